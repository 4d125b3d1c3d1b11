package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/innograph/innograph/kg"
)

// testAnalytics checks the two methods graph analytics read through:
// Project (filters, order, the limit and its flag, the properties asked
// for) and Paths (the k shortest simple paths, ranked as kg.ComparePaths
// ranks them, against a brute-force enumeration; filters; the cut when
// there are too many candidates).
func testAnalytics(t *testing.T, s kg.Store) {
	g := newGraphFixture()
	mustApply(t, s, g.batch())
	t.Run("Project", func(t *testing.T) { testProject(t, s, g) })
	t.Run("ProjectInvalid", func(t *testing.T) { testProjectInvalid(t, s) })
	t.Run("Paths", func(t *testing.T) { testPaths(t, s) })
	t.Run("PathsInvalid", func(t *testing.T) { testPathsInvalid(t, s) })
	t.Run("PathsTruncated", func(t *testing.T) { testPathsTruncated(t, s) })
}

// refEdgeMatches tells, from the fixture's own data and without kg's
// matching code, whether edge e passes a filter of types, kinds (both
// ends) and year (since and until, inclusive, where given).
func refEdgeMatches(e kg.Edge, types []kg.RelType, kinds []kg.Kind, asOf int, kindOf map[string]kg.Kind) bool {
	if len(types) > 0 && !slices.Contains(types, e.Type) {
		return false
	}
	if len(kinds) > 0 && (!slices.Contains(kinds, kindOf[e.From]) || !slices.Contains(kinds, kindOf[e.To])) {
		return false
	}
	if asOf != 0 {
		if since, ok := e.Props["since"].(int); ok && since > asOf {
			return false
		}
		if until, ok := e.Props["until"].(int); ok && until < asOf {
			return false
		}
	}
	return true
}

// refProjectNode is what a projection must return of node n: its id,
// kind and the named properties it has, yearly figures excepted.
func refProjectNode(n *kg.Node, names []string) *kg.Node {
	out := &kg.Node{ID: n.ID, Kind: n.Kind, Props: kg.Props{}}
	for _, name := range names {
		if v, ok := n.Props[name]; ok {
			if _, series := v.(kg.Series); !series {
				out.Props[name] = v
			}
		}
	}
	return out
}

// refProjection computes the edge ids and end node ids a projection must
// return, from the fixture's own data.
func refProjection(g graphFixture, q kg.ProjectionQuery) (edgeIDs, nodeIDs []string, truncated bool) {
	for _, e := range fixtureEdges(g) {
		if refEdgeMatches(e, q.Types, q.Kinds, q.AsOf, g.kinds()) {
			edgeIDs = append(edgeIDs, e.ID)
		}
	}
	slices.Sort(edgeIDs)
	if len(edgeIDs) > q.Limit {
		edgeIDs, truncated = edgeIDs[:q.Limit], true
	}
	ends := map[string]bool{}
	for _, e := range fixtureEdges(g) {
		if slices.Contains(edgeIDs, e.ID) {
			ends[e.From], ends[e.To] = true, true
		}
	}
	for id := range ends {
		nodeIDs = append(nodeIDs, id)
	}
	slices.Sort(nodeIDs)
	return edgeIDs, nodeIDs, truncated
}

// normalizedEdge returns e with its properties normalised, as a store
// holds it.
func normalizedEdge(e kg.Edge) (*kg.Edge, error) {
	c := e
	c.Props = e.Props.Clone()
	if errs := kg.NormalizeEdge(&c); len(errs) > 0 {
		return nil, errs[0]
	}
	return &c, nil
}

func testProject(t *testing.T, s kg.Store, g graphFixture) {
	cases := []kg.ProjectionQuery{
		{Limit: 100},
		{Limit: 100, EdgeProps: true, NodeProps: []string{"name", "level", "type", "district"}},
		{Limit: 100, Types: []kg.RelType{kg.Supplies}},
		{Limit: 100, Types: []kg.RelType{kg.Supplies, kg.CollaboratesWith}, AsOf: 2019},
		{Limit: 100, Kinds: []kg.Kind{kg.Enterprise, kg.University}},
		{Limit: 100, Kinds: []kg.Kind{kg.Enterprise}, AsOf: 2021, EdgeProps: true},
		{Limit: 100, AsOf: 2010},
		{Limit: 100, Types: []kg.RelType{kg.Feeds}},
		{Limit: 3},
		{Limit: 3, Types: []kg.RelType{kg.Supplies}, NodeProps: []string{"name"}},
		{Limit: 4, Types: []kg.RelType{kg.Supplies}},
	}
	for _, q := range cases {
		t.Run(fmt.Sprintf("%+v", q), func(t *testing.T) {
			got, err := s.Project(t.Context(), q)
			if err != nil {
				t.Fatalf("Project: %v", err)
			}
			wantEdges, wantNodes, wantCut := refProjection(g, q)
			var gotEdges, gotNodes []string
			for _, e := range got.Edges {
				gotEdges = append(gotEdges, e.ID)
			}
			for _, n := range got.Nodes {
				gotNodes = append(gotNodes, n.ID)
			}
			if !slices.Equal(gotEdges, wantEdges) || !slices.Equal(gotNodes, wantNodes) || got.Truncated != wantCut {
				t.Fatalf("Project(%+v)\n got  edges %v nodes %v truncated %v\n want edges %v nodes %v truncated %v",
					q, gotEdges, gotNodes, got.Truncated, wantEdges, wantNodes, wantCut)
			}
			for _, e := range got.Edges {
				stored := mustGetEdges(t, s, e.ID)[0]
				if e.Type != stored.Type || e.From != stored.From || e.To != stored.To {
					t.Errorf("edge %q: %s %s→%s, stored as %s %s→%s", e.ID, e.Type, e.From, e.To, stored.Type, stored.From, stored.To)
				}
				switch {
				case q.EdgeProps && !e.Props.Equal(stored.Props):
					t.Errorf("edge %q: props %v, stored %v", e.ID, e.Props, stored.Props)
				case !q.EdgeProps && e.Props != nil:
					t.Errorf("edge %q: props %v, want none (EdgeProps not set)", e.ID, e.Props)
				}
			}
			for _, n := range got.Nodes {
				stored := mustGetNode(t, s, n.ID)
				want := refProjectNode(stored, q.NodeProps)
				if n.Kind != stored.Kind || n.Props == nil || !n.Props.Equal(want.Props) {
					t.Errorf("node %q: %s %v, want %s %v", n.ID, n.Kind, n.Props, want.Kind, want.Props)
				}
			}
		})
	}
	t.Run("returned values are copies", func(t *testing.T) {
		q := kg.ProjectionQuery{Limit: 100, EdgeProps: true, NodeProps: []string{"name"}}
		first, err := s.Project(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range first.Edges {
			e.Props["source"] = "changed"
		}
		for _, n := range first.Nodes {
			n.Props["name"] = "changed"
		}
		again, err := s.Project(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range again.Nodes {
			if n.Name() == "changed" {
				t.Fatalf("changing a projected node changed the store")
			}
		}
		for _, e := range again.Edges {
			if e.Props.Str("source") == "changed" {
				t.Fatalf("changing a projected edge changed the store")
			}
		}
	})
}

func testProjectInvalid(t *testing.T, s kg.Store) {
	cases := []struct {
		name string
		q    kg.ProjectionQuery
	}{
		{"no limit", kg.ProjectionQuery{}},
		{"limit too large", kg.ProjectionQuery{Limit: kg.MaxProjection + 1}},
		{"unknown type", kg.ProjectionQuery{Limit: 10, Types: []kg.RelType{"LIKES"}}},
		{"unknown kind", kg.ProjectionQuery{Limit: 10, Kinds: []kg.Kind{"Person"}}},
		{"negative year", kg.ProjectionQuery{Limit: 10, AsOf: -2}},
		{"series property", kg.ProjectionQuery{Limit: 10, NodeProps: []string{"revenue"}}},
		{"unknown property", kg.ProjectionQuery{Limit: 10, NodeProps: []string{"colour"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got, err := s.Project(t.Context(), c.q); !errors.Is(err, kg.ErrInvalid) {
				t.Errorf("Project(%+v) = %v, %v; want an error wrapping kg.ErrInvalid", c.q, got, err)
			}
		})
	}
}

// pathGraph is a small graph whose paths can be counted by hand: from the
// university p-u to p-e4 there is one path of two hops (through p-e3),
// four of three and two of four, two of them over parallel SUPPLIES
// relationships p-s1 and p-s1b (the latter held 2010–2015). A person p-p
// studied at a second university p-u2 (2000–2004) and worked at p-e5
// (2005–2010): former links, which paths of later years follow.
func pathGraph() ([]kg.Node, []kg.Edge) {
	nodes := []kg.Node{
		Named("p-u", kg.University, "大连海事大学", "type", "UNIVERSITY"),
		Named("p-e1", kg.Enterprise, "大连甲公司"),
		Named("p-e2", kg.Enterprise, "大连乙公司"),
		Named("p-e3", kg.Enterprise, "大连丙公司"),
		Named("p-e4", kg.Enterprise, "大连丁公司"),
		Named("p-e5", kg.Enterprise, "大连戊公司"),
		Named("p-ind", kg.Industry, "船舶配套"),
		Named("p-u2", kg.University, "大连理工大学", "type", "UNIVERSITY"),
		Named("p-p", kg.Talent, "张工"),
	}
	edges := []kg.Edge{
		Edge("p-t1", kg.TransfersTechTo, "p-u", "p-e1", "since", 2019),
		Edge("p-s1", kg.Supplies, "p-e1", "p-e2"),
		Edge("p-s1b", kg.Supplies, "p-e1", "p-e2", "since", 2010, "until", 2015),
		Edge("p-s2", kg.Supplies, "p-e3", "p-e2"),
		Edge("p-c1", kg.CollaboratesWith, "p-u", "p-e3", "until", 2022),
		Edge("p-s3", kg.Supplies, "p-e2", "p-e4"),
		Edge("p-s4", kg.Supplies, "p-e3", "p-e4"),
		Edge("p-i1", kg.InIndustry, "p-e1", "p-ind"),
		Edge("p-i4", kg.InIndustry, "p-e4", "p-ind"),
		Edge("p-loop", kg.Feeds, "p-ind", "p-ind"),
		Edge("p-s5", kg.Supplies, "p-e4", "p-e5"),
		Edge("p-a", kg.AlumnusOf, "p-p", "p-u2", "since", 2000, "until", 2004),
		Edge("p-w", kg.WorksAt, "p-p", "p-e5", "since", 2005, "until", 2010),
	}
	return nodes, edges
}

// refPaths enumerates every simple path of q by brute force (no pruning)
// and applies the selection rule of kg.PathQuery.
func refPaths(nodes []kg.Node, edges []kg.Edge, q kg.PathQuery) ([]kg.PathKey, bool) {
	kind := map[string]kg.Kind{}
	for _, n := range nodes {
		kind[n.ID] = n.Kind
	}
	var all []kg.PathKey
	var walk func(at string, k kg.PathKey)
	walk = func(at string, k kg.PathKey) {
		if at == q.To {
			all = append(all, kg.PathKey{Nodes: slices.Clone(k.Nodes), Edges: slices.Clone(k.Edges)})
			return
		}
		if len(k.Edges) == q.MaxHops {
			return
		}
		if at != q.From && len(q.Through) > 0 && !slices.Contains(q.Through, kind[at]) {
			return
		}
		for _, e := range edges {
			ne, _ := normalizedEdge(e)
			if (len(q.Types) > 0 && !slices.Contains(q.Types, e.Type)) || !ne.Links(q.AsOf) {
				continue
			}
			if e.From != at && e.To != at {
				continue
			}
			o := e.Other(at)
			if slices.Contains(k.Nodes, o) {
				continue
			}
			walk(o, kg.PathKey{Nodes: append(k.Nodes, o), Edges: append(k.Edges, e.ID)})
		}
	}
	walk(q.From, kg.PathKey{Nodes: []string{q.From}})
	if len(all) == 0 {
		return nil, false
	}
	slices.SortFunc(all, kg.ComparePaths)
	short := 0
	for short < len(all) && len(all[short].Edges) == len(all[0].Edges) {
		short++
	}
	if short > kg.MaxPathCandidates {
		return nil, true
	}
	if short >= q.K {
		return all[:q.K], false
	}
	lk := len(all[min(q.K, len(all))-1].Edges)
	cands := 0
	for cands < len(all) && len(all[cands].Edges) <= lk {
		cands++
	}
	if cands > kg.MaxPathCandidates {
		return all[:short], true
	}
	return all[:min(q.K, len(all))], false
}

// pathKeys returns the keys of paths, checking that each path is a
// connected walk of stored nodes and edges.
func pathKeys(t *testing.T, s kg.Store, res *kg.PathResult) []kg.PathKey {
	t.Helper()
	var keys []kg.PathKey
	for i, p := range res.Paths {
		if len(p.Nodes) != len(p.Edges)+1 {
			t.Fatalf("path %d has %d nodes and %d edges", i, len(p.Nodes), len(p.Edges))
		}
		k := kg.PathKey{}
		for j, n := range p.Nodes {
			checkSameNode(t, fmt.Sprintf("path %d node %d", i, j), n, mustGetNode(t, s, n.ID))
			k.Nodes = append(k.Nodes, n.ID)
		}
		for j, e := range p.Edges {
			checkSameEdge(t, fmt.Sprintf("path %d edge %d", i, j), e, mustGetEdges(t, s, e.ID)[0])
			if a, b := p.Nodes[j].ID, p.Nodes[j+1].ID; !(e.From == a && e.To == b) && !(e.From == b && e.To == a) {
				t.Errorf("path %d edge %d (%s→%s) does not join %s and %s", i, j, e.From, e.To, a, b)
			}
			k.Edges = append(k.Edges, e.ID)
		}
		keys = append(keys, k)
	}
	return keys
}

func testPaths(t *testing.T, s kg.Store) {
	nodes, edges := pathGraph()
	mustApply(t, s, kg.Batch{Nodes: nodes, Edges: edges})
	q := func(from, to string, hops, k int) kg.PathQuery {
		return kg.PathQuery{From: from, To: to, MaxHops: hops, K: k}
	}
	with := func(p kg.PathQuery, f func(*kg.PathQuery)) kg.PathQuery { f(&p); return p }
	cases := []struct {
		name  string
		q     kg.PathQuery
		count int    // paths expected, counted by hand
		first string // the first path, by hand
	}{
		{"shortest only", q("p-u", "p-e4", 4, 1), 1, "p-u -p-c1- p-e3 -p-s4- p-e4"},
		{"all of four hops", q("p-u", "p-e4", 4, 50), 7, "p-u -p-c1- p-e3 -p-s4- p-e4"},
		{"three hops", q("p-u", "p-e4", 3, 50), 5, ""},
		{"ties at three hops cut by ids", q("p-u", "p-e4", 4, 3), 3, ""},
		{"two hops", q("p-u", "p-e4", 2, 5), 1, ""},
		{"one hop finds none", q("p-u", "p-e4", 1, 5), 0, ""},
		{"reverse", q("p-e4", "p-u", 4, 50), 7, "p-e4 -p-s4- p-e3 -p-c1- p-u"},
		{"supplies only", with(q("p-e1", "p-e4", 4, 50), func(p *kg.PathQuery) { p.Types = []kg.RelType{kg.Supplies} }), 4, ""},
		{"as of 2016", with(q("p-u", "p-e4", 4, 50), func(p *kg.PathQuery) { p.AsOf = 2016 }), 2, ""},
		{"as of 2023", with(q("p-u", "p-e4", 4, 50), func(p *kg.PathQuery) { p.AsOf = 2023 }), 3, "p-u -p-t1- p-e1 -p-s1- p-e2 -p-s3- p-e4"},
		{"through enterprises", with(q("p-u", "p-e4", 4, 50), func(p *kg.PathQuery) { p.Through = []kg.Kind{kg.Enterprise} }), 6, ""},
		{"through industries", with(q("p-e1", "p-e4", 4, 50), func(p *kg.PathQuery) { p.Through = []kg.Kind{kg.Industry} }), 1, "p-e1 -p-i1- p-ind -p-i4- p-e4"},
		{"past a loop", q("p-u", "p-e5", 5, 50), 7, ""},
		{"a person's former links", with(q("p-u2", "p-e4", 4, 50), func(p *kg.PathQuery) { p.AsOf = 2020 }), 1, "p-u2 -p-a- p-p -p-w- p-e5 -p-s5- p-e4"},
		{"a person's link not begun", with(q("p-u2", "p-e4", 4, 50), func(p *kg.PathQuery) { p.AsOf = 2003 }), 0, ""},
		{"unknown start", q("nope", "p-e4", 4, 5), 0, ""},
		{"unknown end", q("p-u", "nope", 4, 5), 0, ""},
		{"unreachable", q("p-u", "p-e5", 2, 5), 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := s.Paths(t.Context(), c.q)
			if err != nil {
				t.Fatalf("Paths(%+v): %v", c.q, err)
			}
			got := pathKeys(t, s, res)
			want, wantCut := refPaths(nodes, edges, c.q)
			if len(want) != c.count {
				t.Fatalf("the reference finds %d paths, the case counts %d: %v", len(want), c.count, want)
			}
			if c.first != "" && want[0].String() != c.first {
				t.Fatalf("the reference ranks %s first, the case %s", want[0], c.first)
			}
			if !reflect.DeepEqual(got, want) || res.Truncated != wantCut {
				t.Errorf("Paths(%+v) truncated=%v\n got  %s\n want %s", c.q, res.Truncated, keysText(got), keysText(want))
			}
		})
	}
}

func keysText(keys []kg.PathKey) string {
	var parts []string
	for _, k := range keys {
		parts = append(parts, k.String())
	}
	return "[" + strings.Join(parts, " | ") + "]"
}

func testPathsInvalid(t *testing.T, s kg.Store) {
	cases := []struct {
		name string
		q    kg.PathQuery
	}{
		{"same node", kg.PathQuery{From: "p-u", To: "p-u", MaxHops: 3, K: 1}},
		{"no end", kg.PathQuery{From: "p-u", MaxHops: 3, K: 1}},
		{"no hops", kg.PathQuery{From: "p-u", To: "p-e4", K: 1}},
		{"too many hops", kg.PathQuery{From: "p-u", To: "p-e4", MaxHops: kg.MaxPathHops + 1, K: 1}},
		{"no k", kg.PathQuery{From: "p-u", To: "p-e4", MaxHops: 3}},
		{"k too large", kg.PathQuery{From: "p-u", To: "p-e4", MaxHops: 3, K: kg.MaxPaths + 1}},
		{"unknown type", kg.PathQuery{From: "p-u", To: "p-e4", MaxHops: 3, K: 1, Types: []kg.RelType{"LIKES"}}},
		{"unknown kind", kg.PathQuery{From: "p-u", To: "p-e4", MaxHops: 3, K: 1, Through: []kg.Kind{"Person"}}},
		{"negative year", kg.PathQuery{From: "p-u", To: "p-e4", MaxHops: 3, K: 1, AsOf: -1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got, err := s.Paths(t.Context(), c.q); !errors.Is(err, kg.ErrInvalid) {
				t.Errorf("Paths(%+v) = %v, %v; want an error wrapping kg.ErrInvalid", c.q, got, err)
			}
		})
	}
}

// testPathsTruncated builds more candidate paths than a store ranks:
// from t-a through 101 enterprises and 101 more to t-b there are 101²
// paths of three hops; t-a and t-c are also joined through one node.
func testPathsTruncated(t *testing.T, s kg.Store) {
	const n = 101
	var b kg.Batch
	b.Nodes = append(b.Nodes, Named("t-a", kg.Enterprise, "起点"), Named("t-b", kg.Enterprise, "终点"),
		Named("t-c", kg.Enterprise, "终点二"), Named("t-z", kg.Enterprise, "捷径"))
	for i := range n {
		b.Nodes = append(b.Nodes, Named(fmt.Sprintf("t-m%03d", i), kg.Enterprise, fmt.Sprintf("中间%d", i)),
			Named(fmt.Sprintf("t-n%03d", i), kg.Enterprise, fmt.Sprintf("中转%d", i)))
		b.Edges = append(b.Edges, Edge(fmt.Sprintf("t-am%03d", i), kg.Supplies, "t-a", fmt.Sprintf("t-m%03d", i)),
			Edge(fmt.Sprintf("t-nb%03d", i), kg.Supplies, fmt.Sprintf("t-n%03d", i), "t-b"),
			Edge(fmt.Sprintf("t-nc%03d", i), kg.Supplies, fmt.Sprintf("t-n%03d", i), "t-c"))
		for j := range n {
			b.Edges = append(b.Edges, Edge(fmt.Sprintf("t-mn%03d-%03d", i, j), kg.Supplies, fmt.Sprintf("t-m%03d", i), fmt.Sprintf("t-n%03d", j)))
		}
	}
	b.Edges = append(b.Edges, Edge("t-az", kg.Supplies, "t-a", "t-z"), Edge("t-zc", kg.Supplies, "t-z", "t-c"))
	mustApply(t, s, b)
	cases := []struct {
		name      string
		q         kg.PathQuery
		want      []string
		truncated bool
	}{
		{"too many shortest paths", kg.PathQuery{From: "t-a", To: "t-b", MaxHops: 3, K: 2}, nil, true},
		{"too many candidates", kg.PathQuery{From: "t-a", To: "t-c", MaxHops: 3, K: 2}, []string{"t-a -t-az- t-z -t-zc- t-c"}, true},
		{"few enough", kg.PathQuery{From: "t-a", To: "t-c", MaxHops: 2, K: 2}, []string{"t-a -t-az- t-z -t-zc- t-c"}, false},
		{"k shortest of many", kg.PathQuery{From: "t-m000", To: "t-m001", MaxHops: 2, K: 2}, []string{"t-m000 -t-am000- t-a -t-am001- t-m001", "t-m000 -t-mn000-000- t-n000 -t-mn001-000- t-m001"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := s.Paths(t.Context(), c.q)
			if err != nil {
				t.Fatalf("Paths(%+v): %v", c.q, err)
			}
			var got []string
			for _, k := range pathKeys(t, s, res) {
				got = append(got, k.String())
			}
			if !slices.Equal(got, c.want) || res.Truncated != c.truncated {
				t.Errorf("Paths(%+v) = %v truncated=%v, want %v truncated=%v", c.q, got, res.Truncated, c.want, c.truncated)
			}
		})
	}
}
