package kg_test

import (
	"testing"

	"github.com/innograph/innograph/kg"
)

// TestLinks: in the network of a year, a relationship links when it holds
// in the year; a person's relationship also when it began by then and has
// ended; one that begins after the year never does.
func TestLinks(t *testing.T) {
	edge := func(typ kg.RelType, kv ...int64) *kg.Edge {
		p := kg.Props{}
		if len(kv) > 0 && kv[0] != 0 {
			p["since"] = kv[0]
		}
		if len(kv) > 1 && kv[1] != 0 {
			p["until"] = kv[1]
		}
		return &kg.Edge{Type: typ, Props: p}
	}
	for _, tc := range []struct {
		name string
		e    *kg.Edge
		year int
		want bool
	}{
		{"any year", edge(kg.Supplies, 2010, 2012), 0, true},
		{"holds", edge(kg.Supplies, 2010, 2012), 2011, true},
		{"an organisation's ended relationship", edge(kg.Supplies, 2010, 2012), 2020, false},
		{"a collaboration not begun", edge(kg.CollaboratesWith, 2022), 2020, false},
		{"a former job", edge(kg.WorksAt, 2010, 2012), 2020, true},
		{"an alumnus", edge(kg.AlumnusOf, 2004, 2008), 2020, true},
		{"a founder who left", edge(kg.Founded, 2015, 2018), 2020, true},
		{"a job not begun", edge(kg.WorksAt, 2022), 2020, false},
		{"a former job of unknown start", edge(kg.WorksAt, 0, 2012), 2020, true},
		{"a job without years", edge(kg.WorksAt), 2020, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.e.Links(tc.year); got != tc.want {
				t.Errorf("Links(%d) of %s %v = %v, want %v", tc.year, tc.e.Type, tc.e.Props, got, tc.want)
			}
		})
	}
}
