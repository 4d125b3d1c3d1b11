package storetest

import (
	"encoding/base64"
	"errors"
	"fmt"
	"testing"

	"github.com/innograph/innograph/kg"
)

// refFetch computes what Fetch must return for p from the store's own
// FindNodes (or GetNodes) and Neighbors, filtered by the hops' conditions
// (kg.MatchEdgeProps, kg.Match), paged and trimmed as the plan says:
// Fetch is their batched form.
func refFetch(t *testing.T, s kg.Store, p kg.FetchPlan) *kg.FetchResult {
	t.Helper()
	// Validation adds the properties of the query's sort keys to the
	// roots' (see kg.FetchResult).
	if err := kg.ValidateFetchPlan(&p); err != nil {
		t.Fatalf("ValidateFetchPlan: %v", err)
	}
	res := &kg.FetchResult{}
	var roots []*kg.Node
	if p.Query != nil {
		q := *p.Query
		countOnly := q.First == 0
		if countOnly {
			q.First = 1
		}
		page, err := s.FindNodes(t.Context(), q)
		if err != nil {
			t.Fatalf("FindNodes(%+v): %v", q, err)
		}
		roots = page.Nodes
		res.TotalCount, res.Offset, res.HasNextPage = page.TotalCount, page.Offset, page.HasNextPage
		if countOnly {
			// No root; a next page is whether any match follows the cursor.
			roots, res.HasNextPage = nil, len(page.Nodes) > 0
		}
	} else {
		roots = mustGetNodes(t, s, p.IDs...)
	}
	res.Roots = make([]*kg.Fetched, len(roots))
	for i, n := range roots {
		if n != nil {
			res.Roots[i] = refFetched(t, s, n, p.Props, p.Hops)
		}
	}
	return res
}

func refFetched(t *testing.T, s kg.Store, n *kg.Node, props []string, hops []*kg.Hop) *kg.Fetched {
	t.Helper()
	out := &kg.Fetched{Node: kg.KeepProps(n, props)}
	for _, h := range hops {
		if !h.Applies(n.Kind) {
			continue
		}
		got, err := s.Neighbors(t.Context(), kg.NeighborQuery{IDs: []string{n.ID}, Types: h.Types, Direction: h.Direction, AsOf: h.AsOf})
		if err != nil {
			t.Fatalf("Neighbors: %v", err)
		}
		var ns []kg.Neighbor
		for _, nb := range got[n.ID] {
			if kg.MatchEdgeProps(nb.Edge, h.Where) && kg.Match(nb.Node, h.FarWhere) {
				ns = append(ns, nb)
			}
		}
		after, err := h.AfterPosition()
		if err != nil {
			t.Fatalf("hop %q: %v", h.Key, err)
		}
		pg := &kg.HopPage{Total: len(ns)}
		for len(ns) > 0 && !kg.HopAfter(ns[0].Edge, ns[0].Node.ID, after) {
			ns = ns[1:]
			pg.Offset++
		}
		for _, nb := range ns[:min(h.First, len(ns))] {
			pg.Items = append(pg.Items, kg.HopItem{Edge: kg.KeepEdgeProps(nb.Edge, h.EdgeProps), Node: refFetched(t, s, nb.Node, h.Props, h.Hops)})
		}
		if out.Hops == nil {
			out.Hops = map[string]*kg.HopPage{}
		}
		out.Hops[h.Key] = pg
	}
	return out
}

// diffFetched lists the differences between two fetched trees read by
// hops. The total of a hop that wants none may be the true one or the
// end of its page.
func diffFetched(path string, got, want *kg.Fetched, hops []*kg.Hop) []string {
	switch {
	case got == nil && want == nil:
		return nil
	case got == nil || want == nil:
		return []string{fmt.Sprintf("%s: got %v, want %v", path, got, want)}
	}
	g, w := got.Node, want.Node
	var out []string
	switch {
	case g == nil:
		return []string{path + ": no node"}
	case g.ID != w.ID || g.Kind != w.Kind:
		return []string{fmt.Sprintf("%s: got %s %q, want %s %q", path, g.Kind, g.ID, w.Kind, w.ID)}
	case !g.Props.Equal(w.Props):
		out = append(out, fmt.Sprintf("%s (%s): props\n got  %v\n want %v", path, g.ID, g.Props, w.Props))
	case !g.CreatedAt.Equal(w.CreatedAt) || !g.UpdatedAt.Equal(w.UpdatedAt):
		out = append(out, fmt.Sprintf("%s (%s): timestamps %v / %v, want %v / %v", path, g.ID, g.CreatedAt, g.UpdatedAt, w.CreatedAt, w.UpdatedAt))
	}
	if len(got.Hops) != len(want.Hops) {
		out = append(out, fmt.Sprintf("%s (%s): %d hop pages, want %d", path, g.ID, len(got.Hops), len(want.Hops)))
	}
	for key, wp := range want.Hops {
		gp := got.Hops[key]
		hp := path + "." + key
		if gp == nil {
			out = append(out, hp+": missing")
			continue
		}
		h := hopOf(hops, key, w.Kind)
		total, offset := gp.Total == wp.Total, gp.Offset == wp.Offset
		if h.NoTotal {
			total = total || gp.Total == len(gp.Items)
			offset = offset || gp.Offset == 0
		}
		if !total || !offset || len(gp.Items) != len(wp.Items) {
			out = append(out, fmt.Sprintf("%s: total %d, offset %d, %d items; want %d, %d, %d", hp, gp.Total, gp.Offset, len(gp.Items), wp.Total, wp.Offset, len(wp.Items)))
			continue
		}
		for i := range wp.Items {
			ge, we := gp.Items[i].Edge, wp.Items[i].Edge
			ip := fmt.Sprintf("%s[%d]", hp, i)
			if ge == nil || ge.ID != we.ID || ge.Type != we.Type || ge.From != we.From || ge.To != we.To || !ge.Props.Equal(we.Props) {
				out = append(out, fmt.Sprintf("%s: edge %+v, want %+v", ip, ge, we))
			}
			out = append(out, diffFetched(ip, gp.Items[i].Node, wp.Items[i].Node, h.Hops)...)
		}
	}
	return out
}

// hopAfter returns a cursor, in the order of hops of types and direction
// dir, at one of a few positions among the fixture's relationships,
// chosen by pos (-1: none; 40: past every relationship). A position need
// not be a stored relationship's.
func hopAfter(types []kg.RelType, dir kg.Direction, pos int) string {
	at := map[int][3]string{
		0:  {string(kg.CollaboratesWith), "g-e2", "g-c2"},
		1:  {string(kg.Feeds), "g-ind", "g-loop"},
		4:  {string(kg.InvestsIn), "g-e2", "g-i2"},
		40: {"~", "", "~"},
	}
	p, ok := at[pos]
	if !ok {
		return ""
	}
	return kg.RelationCursor(types, dir, nil, nil, &kg.Edge{ID: p[2], Type: kg.RelType(p[0])}, p[1])
}

// hopOf returns the hop of hops with the key that applies to kind k.
func hopOf(hops []*kg.Hop, key string, k kg.Kind) *kg.Hop {
	for _, h := range hops {
		if h.Key == key && h.Applies(k) {
			return h
		}
	}
	return &kg.Hop{}
}

// checkFetch runs p and compares it with refFetch.
func checkFetch(t *testing.T, s kg.Store, name string, p kg.FetchPlan) {
	t.Helper()
	got, err := s.Fetch(t.Context(), p)
	if err != nil {
		t.Fatalf("%s: Fetch: %v", name, err)
	}
	want := refFetch(t, s, p)
	if got.TotalCount != want.TotalCount || got.Offset != want.Offset || got.HasNextPage != want.HasNextPage {
		t.Errorf("%s: page total %d offset %d next %v, want %d %d %v", name, got.TotalCount, got.Offset, got.HasNextPage, want.TotalCount, want.Offset, want.HasNextPage)
	}
	if len(got.Roots) != len(want.Roots) {
		t.Fatalf("%s: %d roots, want %d", name, len(got.Roots), len(want.Roots))
	}
	for i := range want.Roots {
		for _, d := range diffFetched(fmt.Sprintf("%s: root %d", name, i), got.Roots[i], want.Roots[i], p.Hops) {
			t.Error(d)
		}
	}
}

// testFetch holds Fetch to the answers of FindNodes, GetNodes and
// Neighbors: roots by query (ordered, filtered, paged) and by id (unknown
// and repeated ids), hops of every direction, with types or without,
// asOf, pages of every size including none (of roots too: a count
// alone), nested hops restricted to
// kinds, and nodes whole or trimmed to some properties.
func testFetch(t *testing.T, s kg.Store) {
	g := newGraphFixture()
	mustApply(t, s, g.batch())
	mustApply(t, s, kg.Batch{Nodes: []kg.Node{
		Named("g-e1", kg.Enterprise, "大连星海软件有限公司", "district", "中山区", "foundedYear", 2001,
			"revenue", map[string]any{"2023": 12.5, "2024": 13}),
		Named("g-e2", kg.Enterprise, "大连港湾物流有限公司", "district", "西岗区", "aliases", []any{"港湾物流"}),
	}})
	// ents pages enterprises after the position of node after (nil: from
	// the first), which need not be stored.
	ents := func(after *kg.Node, first int, order ...kg.SortKey) *kg.NodeQuery {
		c := ""
		if after != nil {
			c = kg.NodeCursor(kg.Enterprise, order, after)
		}
		return &kg.NodeQuery{Kind: kg.Enterprise, OrderBy: order, First: first, After: c}
	}
	e1 := &kg.Node{ID: "g-e1", Props: kg.Props{"name": "大连星海软件有限公司"}}
	all := func(key string, first, after int, hops ...*kg.Hop) *kg.Hop {
		return &kg.Hop{Key: key, First: first, After: hopAfter(nil, "", after), Hops: hops}
	}
	industriesOf := &kg.Hop{Key: "ind", Kinds: []kg.Kind{kg.Enterprise}, Types: []kg.RelType{kg.InIndustry}, Direction: kg.Out, First: 20, Props: []string{"name"}}
	suppliers := func(asOf, first, after int) *kg.Hop {
		return &kg.Hop{Key: "sup", Kinds: []kg.Kind{kg.Enterprise}, Types: []kg.RelType{kg.Supplies}, Direction: kg.In,
			AsOf: asOf, First: first, After: hopAfter([]kg.RelType{kg.Supplies}, kg.In, after), Props: []string{"name", "district"}, Hops: []*kg.Hop{industriesOf}}
	}
	cases := []struct {
		name string
		plan kg.FetchPlan
	}{
		{"ids, whole nodes, every relationship", kg.FetchPlan{IDs: g.nodeIDs(), Hops: []*kg.Hop{all("all", 100, -1)}}},
		{"unknown and repeated ids", kg.FetchPlan{IDs: []string{"g-e1", "no-such-node", "g-e1", "g-iso"}, Props: []string{"name"},
			Hops: []*kg.Hop{all("all", 2, 0), suppliers(0, 5, -1)}}},
		{"only unknown ids", kg.FetchPlan{IDs: []string{"no-such-node", "nor-this"}, Props: []string{"name"}, Hops: []*kg.Hop{all("all", 1, -1)}}},
		{"no ids", kg.FetchPlan{IDs: []string{}, Hops: []*kg.Hop{all("all", 1, -1)}}},
		{"query by id, suppliers and their industries", kg.FetchPlan{Query: ents(nil, 10), Props: []string{"name", "foundedYear"},
			Hops: []*kg.Hop{suppliers(0, 10, -1), {Key: "cust", Types: []kg.RelType{kg.Supplies}, Direction: kg.Out, First: 1, After: hopAfter([]kg.RelType{kg.Supplies}, kg.Out, 0), Props: []string{}}}}},
		{"query paged and ordered, asOf", kg.FetchPlan{Query: ents(e1, 2, kg.SortKey{Prop: "name", Desc: true}), Props: []string{},
			Hops: []*kg.Hop{suppliers(2019, 5, -1), {Key: "sup2021", Types: []kg.RelType{kg.Supplies}, Direction: kg.Both, AsOf: 2021, First: 5}}}},
		{"query past the end", kg.FetchPlan{Query: ents(&kg.Node{ID: "~"}, 5), Hops: []*kg.Hop{all("all", 5, -1)}}},
		{"query filtered", kg.FetchPlan{Query: &kg.NodeQuery{Kind: kg.Enterprise, Where: []kg.Condition{{Prop: "district", Op: kg.EQ, Value: "中山区"}}, First: 5},
			Props: []string{"name", "revenue", "aliases"}, Hops: []*kg.Hop{all("all", 3, 1)}}},
		{"count only", kg.FetchPlan{Query: ents(nil, 0), Props: []string{}}},
		{"count only, after a cursor, ordered", kg.FetchPlan{Query: ents(e1, 0, kg.SortKey{Prop: "name", Desc: true}), Props: []string{"name"}}},
		{"count only, filtered, past the end", kg.FetchPlan{Query: &kg.NodeQuery{Kind: kg.Enterprise, Where: []kg.Condition{{Prop: "district", Op: kg.EQ, Value: "中山区"}},
			After: kg.NodeCursor(kg.Enterprise, nil, &kg.Node{ID: "~"})}}},
		{"count only, filtered", kg.FetchPlan{Query: &kg.NodeQuery{Kind: kg.Enterprise, Where: []kg.Condition{{Prop: "district", Op: kg.EQ, Value: "中山区"}}},
			Hops: []*kg.Hop{all("all", 3, -1)}}},
		{"totals only", kg.FetchPlan{Query: ents(nil, 10), Props: []string{"name"},
			Hops: []*kg.Hop{all("n", 0, -1), {Key: "c", Types: []kg.RelType{kg.CollaboratesWith}, First: 0}}}},
		{"pages of every start", kg.FetchPlan{IDs: []string{"g-e1", "g-ind", "g-u1"}, Props: []string{"name"}, Hops: []*kg.Hop{
			all("p0", 1, -1), all("p1", 1, 0), all("p2", 2, 1), all("p3", 3, 4), all("past", 3, 40),
			{Key: "loop", Types: []kg.RelType{kg.Feeds}, First: 5, Props: []string{"name"}},
			{Key: "loopIn", Types: []kg.RelType{kg.Feeds}, Direction: kg.In, First: 5},
			{Key: "two", Types: []kg.RelType{kg.CollaboratesWith, kg.Operates}, Direction: kg.Out, First: 5}}}},
		{"nested three deep, restricted to kinds", kg.FetchPlan{IDs: []string{"g-t", "g-u1"}, Props: []string{"name"}, Hops: []*kg.Hop{
			{Key: "emp", Types: []kg.RelType{kg.WorksAt, kg.Founded}, Direction: kg.Out, First: 10, Props: []string{"name", "district"},
				Hops: []*kg.Hop{suppliers(0, 10, -1), {Key: "x", Kinds: []kg.Kind{kg.University}, First: 10},
					all("all", 10, -1, all("all", 2, -1))}},
			{Key: "uni", Kinds: []kg.Kind{kg.University}, Direction: kg.Both, First: 10}}}},
		{"one key, disjoint kinds", kg.FetchPlan{IDs: []string{"g-e1", "g-u1", "g-e2"}, Props: []string{"name"}, Hops: []*kg.Hop{
			{Key: "x", Kinds: []kg.Kind{kg.Enterprise}, Types: []kg.RelType{kg.Supplies}, Direction: kg.Out, First: 5},
			{Key: "x", Kinds: []kg.Kind{kg.University}, Types: []kg.RelType{kg.CollaboratesWith}, First: 1, After: hopAfter([]kg.RelType{kg.CollaboratesWith}, "", 0), Props: []string{"name"}}}}},
		{"relationships trimmed, no totals", kg.FetchPlan{IDs: g.nodeIDs(), Props: []string{"name"}, Hops: []*kg.Hop{
			{Key: "all", First: 100, EdgeProps: []string{"since", "until", "product", "mode"}, NoTotal: true, Props: []string{"name"}},
			{Key: "ids", First: 3, After: hopAfter(nil, "", 0), EdgeProps: []string{}, NoTotal: true, Props: []string{}},
			{Key: "past", First: 3, After: hopAfter(nil, "", 40), EdgeProps: []string{}, NoTotal: true},
			{Key: "sup", Kinds: []kg.Kind{kg.Enterprise}, Types: []kg.RelType{kg.Supplies}, Direction: kg.In, First: 5,
				EdgeProps: []string{"product", "value"}, Props: []string{"name"}, Hops: []*kg.Hop{{Key: "ind", Types: []kg.RelType{kg.InIndustry},
					Direction: kg.Out, First: 20, EdgeProps: []string{}, NoTotal: true, Props: []string{"name"}}}},
			{Key: "two", Types: []kg.RelType{kg.CollaboratesWith, kg.Operates}, First: 5, EdgeProps: []string{"mode"}, NoTotal: true}}}},
		{"query, relationships trimmed", kg.FetchPlan{Query: ents(nil, 10), Props: []string{"name"}, Hops: []*kg.Hop{
			{Key: "sup", Types: []kg.RelType{kg.Supplies}, Direction: kg.In, First: 10, EdgeProps: []string{}, NoTotal: true, Props: []string{},
				Hops: []*kg.Hop{{Key: "ind", Kinds: []kg.Kind{kg.Enterprise}, Types: []kg.RelType{kg.InIndustry}, Direction: kg.Out, First: 20,
					EdgeProps: []string{}, NoTotal: true, Props: []string{"name"}}}},
			{Key: "cust", Types: []kg.RelType{kg.Supplies}, Direction: kg.Out, First: 0, NoTotal: true}}}},
	}
	for _, c := range cases {
		checkFetch(t, s, c.name, c.plan)
	}

	// Conditions on relationships and on the nodes at their other ends.
	mustApply(t, s, kg.Batch{Edges: []kg.Edge{
		Edge("g-sv1", kg.Serves, "g-sa", "g-e1", "year", 2023, "category", "FINANCE", "value", 5000),
		Edge("g-sv2", kg.Serves, "g-sa", "g-e1", "year", 2024, "category", "IP", "value", 800),
		Edge("g-sv3", kg.Serves, "g-sa", "g-e2", "year", 2023, "category", "IP"),
		Edge("g-sv4", kg.Serves, "g-sa", "g-e3", "category", "FINANCE", "value", 12000),
		Edge("g-sb2", kg.SupportedBy, "g-e2", "g-p", "year", 2023, "status", "REJECTED"),
		Edge("g-ib2", kg.IncubatedBy, "g-e2", "g-inc", "since", 2020, "graduated", 2023),
	}})
	served := func(key string, where, far []kg.Condition, first, after int) *kg.Hop {
		return &kg.Hop{Key: key, Types: []kg.RelType{kg.Serves}, Direction: kg.Out, Where: where, FarWhere: far, First: first,
			After: hopAfter([]kg.RelType{kg.Serves}, kg.Out, after), Props: []string{"name"}}
	}
	filtered := []struct {
		name string
		plan kg.FetchPlan
		keys map[string]int // the total of each hop of the first root, to show the conditions select
	}{
		{"relationship conditions", kg.FetchPlan{IDs: []string{"g-sa"}, Props: []string{"name"}, Hops: []*kg.Hop{
			served("y2023", []kg.Condition{{Prop: "year", Op: kg.EQ, Value: 2023}}, nil, 10, -1),
			served("ip", []kg.Condition{{Prop: "category", Op: kg.IN, Value: []any{"IP", "CONSULTING"}}}, nil, 1, 0),
			served("big", []kg.Condition{{Prop: "value", Op: kg.GTE, Value: 1000}, {Prop: "category", Op: kg.EQ, Value: "FINANCE"}}, nil, 10, -1),
			served("none", []kg.Condition{{Prop: "year", Op: kg.GT, Value: 2030}}, nil, 10, -1),
			served("notIP", []kg.Condition{{Prop: "category", Op: kg.NE, Value: "IP"}}, nil, 0, -1)}},
			map[string]int{"y2023": 2, "ip": 2, "big": 2, "none": 0, "notIP": 2}},
		{"far conditions, nested", kg.FetchPlan{IDs: []string{"g-e1", "g-e2"}, Props: []string{"name"}, Hops: []*kg.Hop{
			{Key: "pol", Types: []kg.RelType{kg.SupportedBy}, Direction: kg.Out, FarWhere: []kg.Condition{{Prop: "level", Op: kg.IN, Value: []any{"NATIONAL", "PROVINCIAL"}}},
				Where: []kg.Condition{{Prop: "status", Op: kg.IN, Value: []any{"APPROVED"}}}, First: 5,
				Hops: []*kg.Hop{{Key: "back", Types: []kg.RelType{kg.SupportedBy}, Direction: kg.In, Where: []kg.Condition{{Prop: "year", Op: kg.EQ, Value: 2023}}, First: 5}}},
			{Key: "district", Types: []kg.RelType{kg.SupportedBy}, Direction: kg.Out, FarWhere: []kg.Condition{{Prop: "level", Op: kg.EQ, Value: "DISTRICT"}}, First: 5},
			{Key: "grad", Types: []kg.RelType{kg.IncubatedBy}, Where: []kg.Condition{{Prop: "graduated", Op: kg.LTE, Value: 2023}}, First: 5, EdgeProps: []string{"graduated"}},
			{Key: "named", FarWhere: []kg.Condition{{Prop: "name", Op: kg.CONTAINS, Value: "服务"}}, First: 2}}},
			map[string]int{"pol": 1, "district": 0, "grad": 0, "named": 3}},
	}
	for _, c := range filtered {
		checkFetch(t, s, c.name, c.plan)
		res, err := s.Fetch(t.Context(), c.plan)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		for key, want := range c.keys {
			if pg := res.Roots[0].Hops[key]; pg == nil || pg.Total != want {
				t.Errorf("%s: hop %s: page %+v, want a total of %d", c.name, key, pg, want)
			}
		}
	}

	// A hop restricted to other kinds has no page; one that applies has
	// one, empty where there is nothing to follow.
	res, err := s.Fetch(t.Context(), kg.FetchPlan{IDs: []string{"g-iso", "g-u1"}, Props: []string{"name"},
		Hops: []*kg.Hop{suppliers(0, 5, -1), all("all", 5, -1)}})
	if err != nil {
		t.Fatal(err)
	}
	if iso := res.Roots[0]; iso.Hops["sup"] == nil || iso.Hops["sup"].Total != 0 || len(iso.Hops["sup"].Items) != 0 {
		t.Errorf("isolated enterprise: suppliers page %+v, want an empty one", iso.Hops["sup"])
	}
	if u := res.Roots[1]; u.Hops["sup"] != nil || u.Hops["all"] == nil {
		t.Errorf("university: hop pages %v, want all but not sup", u.Hops)
	}
	if n := res.Roots[0].Node; len(n.Props) != 1 || !n.CreatedAt.IsZero() {
		t.Errorf("trimmed node %+v, want only its name and no timestamps", n)
	}

	// Plans beyond the bounds are refused.
	deep := &kg.Hop{Key: "d", First: 1}
	for range kg.MaxFetchDepth {
		deep = &kg.Hop{Key: "d", First: 1, Hops: []*kg.Hop{deep}}
	}
	many := make([]*kg.Hop, kg.MaxFetchHops+1)
	for i := range many {
		many[i] = &kg.Hop{Key: fmt.Sprint(i), First: 1}
	}
	for _, bad := range []struct {
		name string
		plan kg.FetchPlan
	}{
		{"first too large", kg.FetchPlan{IDs: []string{"g-e1"}, Hops: []*kg.Hop{all("a", kg.MaxPageSize+1, -1)}}},
		{"negative first", kg.FetchPlan{IDs: []string{"g-e1"}, Hops: []*kg.Hop{all("a", -1, -1)}}},
		{"positional hop cursor", kg.FetchPlan{IDs: []string{"g-e1"}, Hops: []*kg.Hop{{Key: "a", First: 1, After: base64.RawURLEncoding.EncodeToString([]byte("o:3"))}}}},
		{"hop cursor of another order", kg.FetchPlan{IDs: []string{"g-e1"}, Hops: []*kg.Hop{{Key: "a", First: 1, After: hopAfter([]kg.RelType{kg.Supplies}, kg.In, 0)}}}},
		{"hop cursor of a node list", kg.FetchPlan{IDs: []string{"g-e1"}, Hops: []*kg.Hop{{Key: "a", First: 1, After: kg.NodeCursor(kg.Enterprise, nil, e1)}}}},
		{"root cursor of another order", kg.FetchPlan{Query: &kg.NodeQuery{Kind: kg.Enterprise, First: 1, After: kg.NodeCursor(kg.Enterprise, []kg.SortKey{{Prop: "name"}}, e1)}}},
		{"root cursor of another kind", kg.FetchPlan{Query: &kg.NodeQuery{Kind: kg.Talent, First: 1, After: kg.NodeCursor(kg.Enterprise, nil, e1)}}},
		{"repeated key", kg.FetchPlan{IDs: []string{"g-e1"}, Hops: []*kg.Hop{all("a", 1, -1), all("a", 2, -1)}}},
		{"repeated key for one kind", kg.FetchPlan{IDs: []string{"g-e1"}, Hops: []*kg.Hop{
			{Key: "a", Kinds: []kg.Kind{kg.Enterprise, kg.Talent}, First: 1}, {Key: "a", Kinds: []kg.Kind{kg.Talent}, First: 2}}}},
		{"empty key", kg.FetchPlan{IDs: []string{"g-e1"}, Hops: []*kg.Hop{all("", 1, -1)}}},
		{"unknown type", kg.FetchPlan{IDs: []string{"g-e1"}, Hops: []*kg.Hop{{Key: "a", Types: []kg.RelType{"LIKES"}, First: 1}}}},
		{"unknown kind", kg.FetchPlan{IDs: []string{"g-e1"}, Hops: []*kg.Hop{{Key: "a", Kinds: []kg.Kind{"Robot"}, First: 1}}}},
		{"negative asOf", kg.FetchPlan{IDs: []string{"g-e1"}, Hops: []*kg.Hop{{Key: "a", AsOf: -1, First: 1}}}},
		{"bad root query", kg.FetchPlan{Query: &kg.NodeQuery{Kind: kg.Enterprise, First: -1}}},
		{"root page too large", kg.FetchPlan{Query: &kg.NodeQuery{Kind: kg.Enterprise, First: kg.MaxPageSize + 1}}},
		{"bad cursor", kg.FetchPlan{Query: &kg.NodeQuery{Kind: kg.Enterprise, First: 1, After: "nope"}}},
		{"too deep", kg.FetchPlan{IDs: []string{"g-e1"}, Hops: []*kg.Hop{deep}}},
		{"too many hops", kg.FetchPlan{IDs: []string{"g-e1"}, Hops: many}},
		{"condition without types", kg.FetchPlan{IDs: []string{"g-e1"}, Hops: []*kg.Hop{{Key: "a", Where: []kg.Condition{{Prop: "year", Op: kg.EQ, Value: 2023}}, First: 1}}}},
		{"condition on another type's property", kg.FetchPlan{IDs: []string{"g-e1"}, Hops: []*kg.Hop{{Key: "a", Types: []kg.RelType{kg.Supplies},
			Where: []kg.Condition{{Prop: "status", Op: kg.EQ, Value: "APPROVED"}}, First: 1}}}},
		{"condition with a bad value", kg.FetchPlan{IDs: []string{"g-e1"}, Hops: []*kg.Hop{{Key: "a", Types: []kg.RelType{kg.SupportedBy},
			Where: []kg.Condition{{Prop: "status", Op: kg.EQ, Value: "MAYBE"}}, First: 1}}}},
		{"far condition on a list", kg.FetchPlan{IDs: []string{"g-e1"}, Hops: []*kg.Hop{{Key: "a", FarWhere: []kg.Condition{{Prop: "aliases", Op: kg.EQ, Value: "x"}}, First: 1}}}},
		{"far condition on an unknown property", kg.FetchPlan{IDs: []string{"g-e1"}, Hops: []*kg.Hop{{Key: "a", FarWhere: []kg.Condition{{Prop: "colour", Op: kg.EQ, Value: "x"}}, First: 1}}}},
	} {
		if _, err := s.Fetch(t.Context(), bad.plan); !errors.Is(err, kg.ErrInvalid) {
			t.Errorf("%s: Fetch error %v, want one wrapping ErrInvalid", bad.name, err)
		}
	}
}
