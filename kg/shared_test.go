package kg_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/innograph/innograph/kg"
)

func TestWithHops(t *testing.T) {
	n := &kg.Node{ID: "e", Kind: kg.Enterprise}
	hops := []*kg.Hop{
		{Key: "all"},
		{Key: "incubators only", Kinds: []kg.Kind{kg.Incubator}},
		{Key: "none found"},
		{Key: "enterprises", Kinds: []kg.Kind{kg.Enterprise}},
	}
	var asked []int
	got, err := kg.WithHops(n, hops, func(i int, h *kg.Hop) (*kg.HopPage, bool, error) {
		asked = append(asked, i)
		return &kg.HopPage{Total: i}, h.Key != "none found", nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(asked, []int{0, 2, 3}) {
		t.Errorf("asked for the pages of hops %v, want those that apply to an enterprise: [0 2 3]", asked)
	}
	if got.Node != n || len(got.Hops) != 2 || got.Hops["all"].Total != 0 || got.Hops["enterprises"].Total != 3 {
		t.Errorf("WithHops = %+v, want the pages of all and enterprises", got)
	}
	boom := errors.New("boom")
	if _, err := kg.WithHops(n, hops, func(int, *kg.Hop) (*kg.HopPage, bool, error) { return nil, false, boom }); !errors.Is(err, boom) {
		t.Errorf("error %v, want the page's", err)
	}
	none, err := kg.WithHops(n, nil, nil)
	if err != nil || none.Hops != nil {
		t.Errorf("no hops: %+v %v, want no pages", none, err)
	}
}

func TestLoose(t *testing.T) {
	for _, k := range kg.Kinds {
		for _, spec := range kg.NodeProps(k) {
			l := spec.Loose()
			if l.Check != nil || l.Min != 0 || l.Max != 0 || l.Enum != nil || l.Type == kg.EnumType || l.Type == kg.Enums {
				t.Errorf("%s.%s: Loose kept a check, a bound or an enum: %+v", k, spec.Name, l)
			}
			if l.Name != spec.Name {
				t.Errorf("%s.%s: Loose renamed it %s", k, spec.Name, l.Name)
			}
		}
	}
}

func TestSearchText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"  Dalian Ligong ", "dalian ligong"},
		{"大连理工", "大连理工"},
		{"ÉCOLE\t", "école"},
	} {
		if got := kg.SearchText(tc.in); got != tc.want {
			t.Errorf("SearchText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
