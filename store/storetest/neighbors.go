package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/kg"
)

// hop is one expected neighbour: the edge and the node at its other end.
type hop struct{ edge, node string }

// refNeighbors computes what Neighbors must return for q over edges (with
// their ids set), from the fixture's own data.
func refNeighbors(edges []kg.Edge, q kg.NeighborQuery) map[string][]hop {
	year := func(e kg.Edge, p string) (int, bool) { v, ok := e.Props[p].(int); return v, ok }
	out := map[string][]hop{}
	for _, id := range q.IDs {
		if _, done := out[id]; done {
			continue
		}
		var hops []hop
		for _, e := range edges {
			var other string
			switch {
			case e.From == id && q.Direction != kg.In:
				other = e.To
			case e.To == id && q.Direction != kg.Out:
				other = e.From
			default:
				continue
			}
			if len(q.Types) > 0 && !slices.Contains(q.Types, e.Type) {
				continue
			}
			if len(q.Among) > 0 && !slices.Contains(q.Among, other) {
				continue
			}
			if q.AsOf != 0 {
				if s, ok := year(e, "since"); ok && s > q.AsOf {
					continue
				}
				if u, ok := year(e, "until"); ok && u < q.AsOf {
					continue
				}
			}
			hops = append(hops, hop{e.ID, other})
		}
		if len(hops) == 0 {
			continue
		}
		typeOf := map[string]kg.RelType{}
		for _, e := range edges {
			typeOf[e.ID] = e.Type
		}
		sort.Slice(hops, func(i, j int) bool {
			a, b := hops[i], hops[j]
			if typeOf[a.edge] != typeOf[b.edge] {
				return typeOf[a.edge] < typeOf[b.edge]
			}
			if a.node != b.node {
				return a.node < b.node
			}
			return a.edge < b.edge
		})
		out[id] = hops
	}
	for _, id := range q.IDs {
		if len(out[id]) == 0 {
			delete(out, id)
		}
	}
	return out
}

// fixtureEdges returns the fixture's edges with their ids set.
func fixtureEdges(g graphFixture) []kg.Edge {
	es := slices.Clone(g.edges)
	for i := range es {
		es[i].ID = g.edgeID(i)
	}
	return es
}

// checkNeighbors runs q and compares the result with the reference, and
// each neighbour's node and edge with what GetNodes and GetEdges return.
func checkNeighbors(t *testing.T, s kg.Store, edges []kg.Edge, q kg.NeighborQuery) {
	t.Helper()
	got, err := s.Neighbors(t.Context(), q)
	if err != nil {
		t.Fatalf("Neighbors(%+v): %v", q, err)
	}
	want := refNeighbors(edges, q)
	gotHops := map[string][]hop{}
	for id, ns := range got {
		for _, nb := range ns {
			if nb.Edge == nil || nb.Node == nil {
				t.Fatalf("Neighbors[%q] has a nil edge or node: %+v", id, nb)
			}
			gotHops[id] = append(gotHops[id], hop{nb.Edge.ID, nb.Node.ID})
			if nb.Edge.From != id && nb.Edge.To != id {
				t.Errorf("Neighbors[%q]: edge %q joins %q and %q", id, nb.Edge.ID, nb.Edge.From, nb.Edge.To)
			}
			if nb.Node.ID != nb.Edge.Other(id) {
				t.Errorf("Neighbors[%q]: node %q is not the other end of edge %q", id, nb.Node.ID, nb.Edge.ID)
			}
			node := mustGetNode(t, s, nb.Node.ID)
			checkSameEdge(t, fmt.Sprintf("Neighbors[%q] edge", id), nb.Edge, mustGetEdges(t, s, nb.Edge.ID)[0])
			if q.BareNodes {
				if bare := (&kg.Node{ID: node.ID, Kind: node.Kind}); !reflect.DeepEqual(nb.Node, bare) {
					t.Errorf("bare Neighbors[%q] node = %+v, want only its id and kind: %+v", id, nb.Node, bare)
				}
				continue
			}
			checkSameNode(t, fmt.Sprintf("Neighbors[%q] node", id), nb.Node, node)
		}
		if len(ns) == 0 {
			t.Errorf("Neighbors has an empty entry for %q; ids without neighbours must be absent", id)
		}
	}
	if !reflect.DeepEqual(gotHops, want) {
		t.Errorf("Neighbors(%+v)\n got  %v\n want %v", q, gotHops, want)
	}
}

func testNeighbors(t *testing.T, s kg.Store) {
	g := newGraphFixture()
	mustApply(t, s, g.batch())
	edges := fixtureEdges(g)
	ids := []string{"g-e1", "g-e2", "g-e3", "g-u1", "g-inc", "g-iso", "missing", "g-e1"}
	for _, dir := range []kg.Direction{"", kg.Out, kg.In, kg.Both} {
		for _, types := range [][]kg.RelType{nil, {kg.Supplies}, {kg.Supplies, kg.InvestsIn}, {kg.CollaboratesWith}, {kg.Feeds}} {
			for _, year := range []int{0, 2010, 2019, 2020, 2021, 2023} {
				name := fmt.Sprintf("dir=%s/types=%v/asOf=%d", cmpOr(string(dir), "default"), types, year)
				t.Run(name, func(t *testing.T) {
					checkNeighbors(t, s, edges, kg.NeighborQuery{IDs: ids, Direction: dir, Types: types, AsOf: year})
				})
			}
		}
	}
	// Among and BareNodes, over the same directions, types and years.
	among := [][]string{{"g-e2"}, {"g-e1", "g-e3", "g-u1", "g-inc"}, {"missing"}}
	for _, dir := range []kg.Direction{"", kg.Out, kg.In} {
		for _, types := range [][]kg.RelType{nil, {kg.Supplies}} {
			for _, year := range []int{0, 2021} {
				for _, set := range append(among, nil) {
					for _, bare := range []bool{false, true} {
						name := fmt.Sprintf("dir=%s/types=%v/asOf=%d/among=%v/bare=%t", cmpOr(string(dir), "default"), types, year, set, bare)
						t.Run(name, func(t *testing.T) {
							checkNeighbors(t, s, edges, kg.NeighborQuery{IDs: ids, Direction: dir, Types: types, AsOf: year, Among: set, BareNodes: bare})
						})
					}
				}
			}
		}
	}
	t.Run("among the same set: each relationship inside it once from its start", func(t *testing.T) {
		set := []string{"g-e1", "g-e2", "g-e3", "g-u1"}
		got, err := s.Neighbors(t.Context(), kg.NeighborQuery{IDs: set, Direction: kg.Out, Among: set, BareNodes: true})
		if err != nil {
			t.Fatal(err)
		}
		var gotIDs, want []string
		for _, ns := range got {
			for _, nb := range ns {
				gotIDs = append(gotIDs, nb.Edge.ID)
			}
		}
		for _, e := range edges {
			if slices.Contains(set, e.From) && slices.Contains(set, e.To) {
				want = append(want, e.ID)
			}
		}
		slices.Sort(gotIDs)
		slices.Sort(want)
		if len(want) < 3 || !slices.Equal(gotIDs, want) {
			t.Errorf("relationships inside %v: got %v, want %v", set, gotIDs, want)
		}
	})
	t.Run("one id at a time agrees with many", func(t *testing.T) {
		all, err := s.Neighbors(t.Context(), kg.NeighborQuery{IDs: g.nodeIDs()})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range g.nodeIDs() {
			one, err := s.Neighbors(t.Context(), kg.NeighborQuery{IDs: []string{id}})
			if err != nil {
				t.Fatal(err)
			}
			if len(one[id]) != len(all[id]) {
				t.Errorf("%q: %d neighbours alone, %d among many", id, len(one[id]), len(all[id]))
			}
		}
	})
	t.Run("no ids", func(t *testing.T) {
		got, err := s.Neighbors(t.Context(), kg.NeighborQuery{})
		if err != nil || len(got) != 0 {
			t.Errorf("Neighbors without ids = %v, %v; want an empty map", got, err)
		}
	})
	// The sample must exercise the order: parallel edges, several types.
	if hops := refNeighbors(edges, kg.NeighborQuery{IDs: []string{"g-e1"}})["g-e1"]; len(hops) < 10 {
		t.Fatalf("fixture gives g-e1 only %d neighbours", len(hops))
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func testNeighborsInvalid(t *testing.T, s kg.Store) {
	mustApply(t, s, newGraphFixture().batch())
	cases := []struct {
		name string
		q    kg.NeighborQuery
	}{
		{"unknown direction", kg.NeighborQuery{IDs: []string{"g-e1"}, Direction: "SIDEWAYS"}},
		{"lower-case direction", kg.NeighborQuery{IDs: []string{"g-e1"}, Direction: "out"}},
		{"unknown type", kg.NeighborQuery{IDs: []string{"g-e1"}, Types: []kg.RelType{kg.Supplies, "LIKES"}}},
		{"negative year", kg.NeighborQuery{IDs: []string{"g-e1"}, AsOf: -1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.Neighbors(t.Context(), c.q)
			if !errors.Is(err, kg.ErrInvalid) {
				t.Errorf("Neighbors(%+v) = %v, %v; want an error wrapping kg.ErrInvalid", c.q, got, err)
			}
		})
	}
}

func testDeleteEdges(t *testing.T, s kg.Store) {
	g := newGraphFixture()
	mustApply(t, s, g.batch())
	edges := fixtureEdges(g)
	before := mustStats(t, s)
	gone := []string{"g-s-a", g.edgeID(2), "g-op"}
	res := mustApply(t, s, kg.Batch{DeleteEdges: gone})
	checkResult(t, res, kg.WriteResult{EdgesDeleted: len(gone)})
	for i, e := range mustGetEdges(t, s, gone...) {
		if e != nil {
			t.Errorf("edge %q still there after its delete", gone[i])
		}
	}
	edges = slices.DeleteFunc(edges, func(e kg.Edge) bool { return slices.Contains(gone, e.ID) })
	checkNeighbors(t, s, edges, kg.NeighborQuery{IDs: g.nodeIDs()})
	after := mustStats(t, s)
	if after.Edges != before.Edges-3 || after.EdgesByType[kg.Supplies] != before.EdgesByType[kg.Supplies]-2 ||
		after.EdgesByType[kg.Operates] != before.EdgesByType[kg.Operates]-1 || after.Nodes != before.Nodes {
		t.Errorf("stats after deleting 3 edges: %+v, before %+v", after, before)
	}
	// The nodes are untouched.
	for _, n := range mustGetNodes(t, s, g.nodeIDs()...) {
		if n == nil {
			t.Errorf("a node disappeared with an edge delete")
		}
	}
	// A deleted edge can be written again.
	res = mustApply(t, s, kg.Batch{Edges: []kg.Edge{g.edges[1]}})
	checkResult(t, res, kg.WriteResult{EdgesCreated: 1})
}

func testDeleteNodes(t *testing.T, s kg.Store) {
	g := newGraphFixture()
	mustApply(t, s, g.batch())
	edges := fixtureEdges(g)
	before := mustStats(t, s)
	old := mustGetNode(t, s, "g-e1")

	var touching []string
	lost := map[kg.RelType]int{}
	for _, e := range edges {
		if e.From == "g-e1" || e.To == "g-e1" {
			touching = append(touching, e.ID)
			lost[e.Type]++
		}
	}
	res := mustApply(t, s, kg.Batch{DeleteNodes: []string{"g-e1"}})
	checkResult(t, res, kg.WriteResult{NodesDeleted: 1, EdgesDeleted: len(touching)})

	if n := mustGetNodes(t, s, "g-e1")[0]; n != nil {
		t.Errorf("node still there after its delete: %v", n)
	}
	for i, e := range mustGetEdges(t, s, touching...) {
		if e != nil {
			t.Errorf("edge %q of a deleted node is still there", touching[i])
		}
	}
	edges = slices.DeleteFunc(edges, func(e kg.Edge) bool { return slices.Contains(touching, e.ID) })
	checkNeighbors(t, s, edges, kg.NeighborQuery{IDs: g.nodeIDs()})
	after := mustStats(t, s)
	if after.Nodes != before.Nodes-1 || after.NodesByKind[kg.Enterprise] != before.NodesByKind[kg.Enterprise]-1 || after.Edges != before.Edges-len(touching) {
		t.Errorf("stats after deleting a node with %d edges: %+v, before %+v", len(touching), after, before)
	}
	for rt, n := range lost {
		if after.EdgesByType[rt] != before.EdgesByType[rt]-n {
			t.Errorf("stats: %d %s edges, want %d", after.EdgesByType[rt], rt, before.EdgesByType[rt]-n)
		}
	}
	page, err := s.FindNodes(t.Context(), kg.NodeQuery{Kind: kg.Enterprise, First: 100})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(nodeIDs(page.Nodes), "g-e1") || page.TotalCount != after.NodesByKind[kg.Enterprise] {
		t.Errorf("FindNodes after the delete: %v (total %d)", nodeIDs(page.Nodes), page.TotalCount)
	}
	found, err := s.Search(t.Context(), kg.SearchQuery{Text: old.Name(), Limit: 10})
	if err != nil || slices.Contains(nodeIDs(found), "g-e1") {
		t.Errorf("Search still finds the deleted node: %v, %v", nodeIDs(found), err)
	}

	t.Run("id reused by a new node of another kind", func(t *testing.T) {
		time.Sleep(5 * time.Millisecond)
		res := mustApply(t, s, kg.Batch{Nodes: []kg.Node{Named("g-e1", kg.University, "新大学")}})
		checkResult(t, res, kg.WriteResult{NodesCreated: 1})
		n := mustGetNode(t, s, "g-e1")
		if n.Kind != kg.University || !n.Props.Equal(kg.Props{"name": "新大学"}) || !n.CreatedAt.After(old.CreatedAt) {
			t.Errorf("new node %+v, want a fresh University", n)
		}
		nb, err := s.Neighbors(t.Context(), kg.NeighborQuery{IDs: []string{"g-e1"}})
		if err != nil || len(nb) != 0 {
			t.Errorf("the new node inherited neighbours: %v, %v", nb, err)
		}
	})
}

// testDeleteInSameBatch checks the order of a batch: upserts first, then
// edge deletes, then node deletes with their edges.
func testDeleteInSameBatch(t *testing.T, s kg.Store) {
	g := newGraphFixture()
	mustApply(t, s, g.batch())
	before := mustStats(t, s)
	b := kg.Batch{
		Nodes:       []kg.Node{Named("sb-new", kg.Enterprise, "转瞬企业"), Named("g-e2", kg.Enterprise, "大连港湾物流有限公司", "district", "中山区")},
		Edges:       []kg.Edge{Edge("sb-e1", kg.Supplies, "sb-new", "g-e2"), Edge("sb-e2", kg.Supplies, "g-e3", "g-iso")},
		DeleteNodes: []string{"sb-new", "g-iso"},
	}
	if _, err := s.Apply(t.Context(), b); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if ns := mustGetNodes(t, s, "sb-new", "g-iso"); ns[0] != nil || ns[1] != nil {
		t.Errorf("nodes deleted by their batch remain: %v", nodeIDs(ns))
	}
	if es := mustGetEdges(t, s, "sb-e1", "sb-e2"); es[0] != nil || es[1] != nil {
		t.Errorf("edges to nodes deleted by their batch remain")
	}
	if d, _ := pStr(mustGetNode(t, s, "g-e2"), "district"); d != "中山区" {
		t.Errorf("upsert of the same batch lost: district %q", d)
	}
	after := mustStats(t, s)
	if after.Nodes != before.Nodes-1 || after.Edges != before.Edges {
		t.Errorf("stats %+v, want one node fewer than %+v and the same edges", after, before)
	}
	nb, err := s.Neighbors(t.Context(), kg.NeighborQuery{IDs: []string{"g-e2", "g-e3"}, Types: []kg.RelType{kg.Supplies}})
	if err != nil {
		t.Fatal(err)
	}
	for id, ns := range nb {
		for _, n := range ns {
			if strings.HasPrefix(n.Edge.ID, "sb-") {
				t.Errorf("Neighbors[%q] shows edge %q of a deleted node", id, n.Edge.ID)
			}
		}
	}
}
