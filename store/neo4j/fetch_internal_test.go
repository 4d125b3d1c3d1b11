package neo4j

import (
	"strings"
	"testing"

	"github.com/innograph/innograph/kg"
)

// fetchShapePlan is a plan by ids (kinds read from the labels) with a hop
// restricted to enterprises, of one type, with a total and trimmed
// relationships, and a hop in both directions without totals whose far
// kind the ontology leaves open.
func fetchShapePlan(after string) kg.FetchPlan {
	return kg.FetchPlan{IDs: []string{"e1"}, Props: []string{"name"}, Hops: []*kg.Hop{
		{Key: "sup", Kinds: []kg.Kind{kg.Enterprise}, Types: []kg.RelType{kg.Supplies}, Direction: kg.In, First: 2, After: after,
			EdgeProps: []string{"product"}, Props: []string{"name"}},
		{Key: "co", Types: []kg.RelType{kg.CollaboratesWith}, First: 1, EdgeProps: []string{}, Props: []string{}, NoTotal: true},
	}}
}

// TestFetchStatementCounts checks that the statement counts a hop's
// relationships once where the plan wants its total and has no cursor,
// twice where it has one (the total and those after the cursor), and
// not at all where it wants no total.
func TestFetchStatementCounts(t *testing.T) {
	after := kg.RelationCursor([]kg.RelType{kg.Supplies}, kg.In, nil, nil, &kg.Edge{ID: "r0", Type: kg.Supplies}, "e0")
	for _, tc := range []struct {
		name  string
		after string
		want  int
	}{
		{"first page", "", 1},
		{"after a cursor", after, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := fetchShapePlan(tc.after)
			if err := kg.ValidateFetchPlan(&p); err != nil {
				t.Fatal(err)
			}
			cypher, _, shape, err := compileFetch(p)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Count(cypher, "COUNT {"); got != tc.want {
				t.Errorf("%d COUNT subqueries, want %d:\n%s", got, tc.want, cypher)
			}
			// id, labels, name, the counts and page of sup, the page of co.
			if want := 3 + tc.want + 1 + 1; shape.width != want {
				t.Errorf("a root has %d values, want %d", shape.width, want)
			}
		})
	}
}

// TestFetchDecode decodes projections laid out as the statement lays
// them out, and refuses projections that are not.
func TestFetchDecode(t *testing.T) {
	p := fetchShapePlan("")
	if err := kg.ValidateFetchPlan(&p); err != nil {
		t.Fatal(err)
	}
	_, _, shape, err := compileFetch(p)
	if err != nil {
		t.Fatal(err)
	}
	labels := func(k kg.Kind) []any { return []any{labelNode, string(k)} }
	// sup items: relationship id and product, supplier id and name; co
	// items: relationship id, far id and labels, whether it starts at
	// the root.
	enterprise := []any{"e1", labels(kg.Enterprise), "一号",
		int64(3), []any{[]any{"r1", "芯片", "e2", "二号"}, []any{"r2", nil, "e3", "三号"}},
		[]any{[]any{"r3", "u1", labels(kg.University), false}}}
	university := []any{"u1", labels(kg.University), "大学", nil, nil,
		[]any{[]any{"r3", "e1", labels(kg.Enterprise), true}}}

	t.Run("enterprise", func(t *testing.T) {
		got, err := shape.decode(enterprise, newFetchBuf(shape, []any{enterprise}))
		if err != nil {
			t.Fatal(err)
		}
		if n := got.Node; n.ID != "e1" || n.Kind != kg.Enterprise || n.Props["name"] != "一号" || len(n.Props) != 1 {
			t.Errorf("root %+v", n)
		}
		sup := got.Hops["sup"]
		if sup == nil || sup.Total != 3 || sup.Offset != 0 || len(sup.Items) != 2 {
			t.Fatalf("sup page %+v", sup)
		}
		for i, want := range []struct{ id, from, product, name string }{{"r1", "e2", "芯片", "二号"}, {"r2", "e3", "", "三号"}} {
			it := sup.Items[i]
			if e := it.Edge; e.ID != want.id || e.Type != kg.Supplies || e.From != want.from || e.To != "e1" || e.Props.Str("product") != want.product {
				t.Errorf("sup item %d: edge %+v", i, e)
			}
			if n := it.Node.Node; n.ID != want.from || n.Kind != kg.Enterprise || n.Props.Str("name") != want.name {
				t.Errorf("sup item %d: node %+v", i, n)
			}
		}
		if _, ok := sup.Items[1].Edge.Props["product"]; ok {
			t.Error("a null property was decoded")
		}
		co := got.Hops["co"]
		if co == nil || co.Total != 1 || len(co.Items) != 1 {
			t.Fatalf("co page %+v", co)
		}
		if e, n := co.Items[0].Edge, co.Items[0].Node.Node; e.From != "u1" || e.To != "e1" || n.Kind != kg.University || len(n.Props) != 0 {
			t.Errorf("co item: edge %+v, node %+v", e, n)
		}
	})
	t.Run("university", func(t *testing.T) {
		got, err := shape.decode(university, newFetchBuf(shape, []any{university}))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := got.Hops["sup"]; ok || len(got.Hops) != 1 {
			t.Errorf("pages %v, want co's alone", got.Hops)
		}
		if e := got.Hops["co"].Items[0].Edge; e.From != "u1" || e.To != "e1" {
			t.Errorf("co edge %+v, want from the root", e)
		}
	})

	with := func(i int, v any) []any {
		l := append([]any(nil), enterprise...)
		l[i] = v
		return l
	}
	for _, tc := range []struct {
		name string
		l    []any
		want string
	}{
		{"a value missing", enterprise[:5], "5 values, want 6"},
		{"no kind among the labels", with(1, []any{labelNode}), "no kind among labels"},
		{"a total not a number", with(3, "3"), "total is a string"},
		{"a page not a list", with(4, "x"), "a page is a string"},
		{"an item too short", with(4, []any{[]any{"r1", "e2", "二号"}}), "want 4"},
		{"a property of the wrong type", with(2, int64(1)), `property "name"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := shape.decode(tc.l, newFetchBuf(shape, []any{tc.l}))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}
