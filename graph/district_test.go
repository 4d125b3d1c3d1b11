package graph_test

import (
	"testing"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/backendtest"
)

// TestDistrictIsConfiguration: supplyChain and industryChainGaps count the
// server's district (server.Config.District) as inside when a query names
// none, and the query's district when it names one. The default is the
// resolver's, before any store call, so one backend shows it.
func TestDistrictIsConfiguration(t *testing.T) {
	st := backendtest.Embedded(t)
	backendtest.Load(t, st, []kg.Batch{{
		Nodes: []kg.Node{
			node("seg", kg.Industry, "环节", "chain", "测试链", "position", "UPSTREAM"),
			node("a", kg.Enterprise, "甲", "district", "中山区"),
			node("b", kg.Enterprise, "乙", "district", "西岗区"),
			node("c", kg.Enterprise, "丙", "district", "西岗区"),
		},
		Edges: []kg.Edge{
			rel("m1", kg.InIndustry, "a", "seg"), rel("m2", kg.InIndustry, "b", "seg"), rel("m3", kg.InIndustry, "c", "seg"),
			rel("s1", kg.Supplies, "b", "a"), rel("s2", kg.Supplies, "c", "a"),
		},
	}})
	const q = `query($district: String) {
  industryChainGaps(chain: "测试链", district: $district) { district segments { localEnterprises } }
  supplyChain(enterprise: "a", district: $district, allYears: true) { district inside outside } }`
	cases := []struct {
		name, configured string
		asked            any
		want             string
		// The segment's enterprises in the district; a's two suppliers
		// (both of 西岗区) inside and outside it.
		local, inside, outside int
	}{
		{"the default configuration", "", nil, "中山区", 1, 0, 2},
		{"a configured district", "西岗区", nil, "西岗区", 2, 2, 0},
		{"the query's district over the configured one", "西岗区", "中山区", "中山区", 1, 0, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := server.DefaultConfig()
			if tc.configured != "" {
				cfg.District = tc.configured
			}
			r := apitest.NewClient(t, cfg, st).Do(q, map[string]any{"district": tc.asked})
			if len(r.Errors) > 0 {
				t.Fatalf("query failed: %s", r.ErrorText())
			}
			var out struct {
				IndustryChainGaps struct {
					District string
					Segments []struct{ LocalEnterprises int }
				}
				SupplyChain struct {
					District        string
					Inside, Outside int
				}
			}
			decode(t, r.Data, &out)
			g, s := out.IndustryChainGaps, out.SupplyChain
			if g.District != tc.want || s.District != tc.want {
				t.Errorf("districts %q and %q, want %q", g.District, s.District, tc.want)
			}
			if len(g.Segments) != 1 || g.Segments[0].LocalEnterprises != tc.local {
				t.Errorf("segments %+v, want one with %d local enterprises", g.Segments, tc.local)
			}
			if s.Inside != tc.inside || s.Outside != tc.outside {
				t.Errorf("supply chain: %d inside and %d outside, want %d and %d", s.Inside, s.Outside, tc.inside, tc.outside)
			}
		})
	}
}
