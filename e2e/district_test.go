package e2e

import (
	"testing"
)

// TestServeDistrict runs the binary as a planner would, with and without
// --district, and reads the district that supplyChain counts as inside
// when a query names none: the flag's, or 中山区 by default.
func TestServeDistrict(t *testing.T) {
	bin := buildBinary(t)
	for _, tc := range []struct {
		name  string
		flags []string
		want  string
	}{
		{"default", nil, "中山区"},
		{"flag", []string{"--district", "西岗区"}, "西岗区"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t, bin, t.TempDir(), tc.flags...)
			defer s.stop(stopTimeout)
			var list struct {
				Enterprises struct {
					Edges []struct{ Node struct{ ID string } }
				}
			}
			s.apiData(t.Context(), `{ enterprises(first: 1) { edges { node { id } } } }`, &list)
			if len(list.Enterprises.Edges) != 1 {
				t.Fatalf("the demo served no enterprise")
			}
			var chain struct{ SupplyChain struct{ District string } }
			s.apiData(t.Context(), `{ supplyChain(enterprise: "`+list.Enterprises.Edges[0].Node.ID+`") { district } }`, &chain)
			if got := chain.SupplyChain.District; got != tc.want {
				t.Errorf("supplyChain's district with %v: %q, want %q", tc.flags, got, tc.want)
			}
		})
	}
}
