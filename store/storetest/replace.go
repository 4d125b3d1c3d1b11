package storetest

import (
	"errors"
	"testing"

	"github.com/innograph/innograph/kg"
)

// snapshot is the whole graph of a store, with the size of its audit log.
type snapshot struct {
	nodes map[string]*kg.Node
	edges map[string]*kg.Edge
	audit int
}

// takeSnapshot reads every node and edge of s and counts its audit log.
func takeSnapshot(t *testing.T, s kg.Store) snapshot {
	t.Helper()
	ctx := t.Context()
	snap := snapshot{nodes: map[string]*kg.Node{}, edges: map[string]*kg.Edge{}}
	for after := ""; ; {
		p, err := s.ScanNodes(ctx, kg.NodeScan{First: kg.MaxPageSize, After: after})
		if err != nil {
			t.Fatalf("ScanNodes: %v", err)
		}
		for _, n := range p.Nodes {
			snap.nodes[n.ID] = n
		}
		if !p.HasNextPage {
			break
		}
		after = p.EndCursor
	}
	for after := ""; ; {
		p, err := s.ScanEdges(ctx, kg.EdgeScan{First: kg.MaxPageSize, After: after})
		if err != nil {
			t.Fatalf("ScanEdges: %v", err)
		}
		for _, e := range p.Edges {
			snap.edges[e.ID] = e
		}
		if !p.HasNextPage {
			break
		}
		after = p.EndCursor
	}
	a, err := s.AuditLog(ctx, kg.AuditQuery{First: 1})
	if err != nil {
		t.Fatalf("AuditLog: %v", err)
	}
	snap.audit = a.TotalCount
	return snap
}

// checkSnapshot fails unless s holds exactly the graph of want, every
// node and edge the same in every field, and as many audit entries.
func checkSnapshot(t *testing.T, what string, s kg.Store, want snapshot) {
	t.Helper()
	got := takeSnapshot(t, s)
	if len(got.nodes) != len(want.nodes) || len(got.edges) != len(want.edges) || got.audit != want.audit {
		t.Errorf("%s: %d nodes, %d edges, %d audit entries; want %d, %d and %d",
			what, len(got.nodes), len(got.edges), got.audit, len(want.nodes), len(want.edges), want.audit)
	}
	for id, n := range want.nodes {
		checkSameNode(t, what, got.nodes[id], n)
	}
	for id, e := range want.edges {
		checkSameEdge(t, what, got.edges[id], e)
	}
}

// testReplaceRefused checks that a replace the ontology refuses changes
// nothing and reports every problem.
func testReplaceRefused(t *testing.T, s kg.Store) {
	g := newGraphFixture()
	b := g.batch()
	b.Audit = &kg.AuditEntry{Actor: "storetest", Role: "admin", Action: "fixture"}
	mustApply(t, s, b)
	before := takeSnapshot(t, s)
	fresh := Named("r-new", kg.Enterprise, "大连新星科技有限公司")
	for _, c := range []struct {
		name     string
		b        kg.Batch
		sentinel error
		list     string
		field    string
	}{
		{"edge to a node only the old graph has", kg.Batch{Nodes: []kg.Node{fresh}, Edges: []kg.Edge{Edge("r-s", kg.Supplies, "r-new", "g-e1")}}, kg.ErrNotFound, "edges", "to"},
		{"edge between kinds the ontology refuses", kg.Batch{Nodes: []kg.Node{fresh, Named("r-t", kg.Talent, "李明")}, Edges: []kg.Edge{Edge("r-x", kg.Supplies, "r-new", "r-t")}}, kg.ErrInvalid, "edges", "to"},
		{"unknown kind", kg.Batch{Nodes: []kg.Node{fresh, {ID: "r-bad", Kind: "Castle", Props: kg.Props{"name": "城堡"}}}}, kg.ErrInvalid, "nodes", "kind"},
		{"missing name", kg.Batch{Nodes: []kg.Node{fresh, {ID: "r-anon", Kind: kg.Enterprise, Props: kg.Props{}}}}, kg.ErrInvalid, "nodes", "name"},
		{"a node twice", kg.Batch{Nodes: []kg.Node{fresh, fresh}}, kg.ErrInvalid, "nodes", "id"},
		{"deletes", kg.Batch{Nodes: []kg.Node{fresh}, DeleteNodes: []string{"g-e1"}}, kg.ErrInvalid, "deleteNodes", "id"},
		{"edge deletes", kg.Batch{Nodes: []kg.Node{fresh}, DeleteEdges: []string{"g-op"}}, kg.ErrInvalid, "deleteEdges", "id"},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.b.Audit = &kg.AuditEntry{Actor: "storetest", Role: "admin", Action: "replace"}
			res, err := s.Replace(t.Context(), c.b)
			if res != nil {
				t.Errorf("a refused replace returned a result: %+v", *res)
			}
			checkValidationError(t, err, c.sentinel, c.list, c.field)
			checkSnapshot(t, "after a refused replace", s, before)
		})
	}
}

// testReplace checks that Replace makes a batch the whole graph: what the
// old graph alone had is gone (from reads, searches, neighbourhoods and
// stats), a kept id holds the new properties only, and the audit log
// stays.
func testReplace(t *testing.T, s kg.Store) {
	ctx := t.Context()
	g := newGraphFixture()
	mustApply(t, s, kg.Batch{Nodes: g.nodes, Edges: g.edges, Audit: &kg.AuditEntry{Actor: "storetest", Role: "admin", Action: "fixture"}})
	old := mustStats(t, s)
	newGraph := kg.Batch{
		Nodes: []kg.Node{
			// g-e1 stays, with other properties: they are not merged.
			Named("g-e1", kg.Enterprise, "大连新航软件有限公司", "foundedYear", 2024),
			Named("r-e2", kg.Enterprise, "大连远洋数据有限公司"),
			Named("r-u", kg.University, "大连理工大学", "type", "UNIVERSITY"),
		},
		Edges: []kg.Edge{
			Edge("r-s", kg.Supplies, "r-e2", "g-e1", "since", 2024),
			Edge("r-c", kg.CollaboratesWith, "g-e1", "r-u"),
		},
		Audit: &kg.AuditEntry{Actor: "storetest", Role: "admin", Action: "replace"},
	}
	res, err := s.Replace(ctx, newGraph)
	if err != nil {
		t.Fatalf("Replace: %v", err)
	}
	checkResult(t, res, kg.WriteResult{NodesCreated: 3, EdgesCreated: 2, NodesDeleted: old.Nodes, EdgesDeleted: old.Edges})
	checkStats(t, mustStats(t, s), map[kg.Kind]int{kg.Enterprise: 2, kg.University: 1}, map[kg.RelType]int{kg.Supplies: 1, kg.CollaboratesWith: 1})

	ns := mustGetNodes(t, s, "g-e1", "g-e2", "r-e2", "g-iso")
	if ns[1] != nil || ns[3] != nil {
		t.Errorf("nodes of the old graph only are still there: %v", nodeIDs(ns))
	}
	if ns[0] == nil || ns[2] == nil {
		t.Fatalf("nodes of the new graph are missing: %v", nodeIDs(ns))
	}
	if want := (kg.Props{"name": "大连新航软件有限公司", "foundedYear": int64(2024)}); !ns[0].Props.Equal(want) {
		t.Errorf("a kept id holds %v, want the new properties only %v", ns[0].Props, want)
	}
	if !ns[0].CreatedAt.Equal(ns[0].UpdatedAt) || !ns[0].CreatedAt.Equal(ns[2].CreatedAt) {
		t.Errorf("replaced nodes are new: createdAt %v updatedAt %v, other node createdAt %v", ns[0].CreatedAt, ns[0].UpdatedAt, ns[2].CreatedAt)
	}
	if es := mustGetEdges(t, s, "g-op", "g-w", "r-s"); es[0] != nil || es[1] != nil || es[2] == nil {
		t.Errorf("edges after the replace: g-op %v, g-w %v, r-s %v", es[0], es[1], es[2])
	}
	nb, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: []string{"g-e1"}})
	if err != nil {
		t.Fatalf("Neighbors: %v", err)
	}
	var got []string
	for _, n := range nb["g-e1"] {
		got = append(got, n.Edge.ID+"→"+n.Node.ID)
	}
	if want := []string{"r-c→r-u", "r-s→r-e2"}; join(sortedCopy(got)) != join(want) {
		t.Errorf("neighbours of g-e1: %v, want %v", got, want)
	}
	for text, want := range map[string][]string{"星海": nil, "孤岛": nil, "新航": {"g-e1"}, "远洋": {"r-e2"}} {
		found, err := s.Search(ctx, kg.SearchQuery{Text: text, Limit: 10})
		if err != nil {
			t.Fatalf("Search(%q): %v", text, err)
		}
		if join(nodeIDs(found)) != join(want) {
			t.Errorf("Search(%q) = %v, want %v", text, nodeIDs(found), want)
		}
	}
	page, err := s.FindNodes(ctx, kg.NodeQuery{Kind: kg.Enterprise, First: 10})
	if err != nil {
		t.Fatalf("FindNodes: %v", err)
	}
	if join(nodeIDs(page.Nodes)) != join([]string{"g-e1", "r-e2"}) || page.TotalCount != 2 {
		t.Errorf("enterprises after the replace: %v (total %d)", nodeIDs(page.Nodes), page.TotalCount)
	}
	a, err := s.AuditLog(ctx, kg.AuditQuery{First: 10})
	if err != nil {
		t.Fatalf("AuditLog: %v", err)
	}
	if a.TotalCount != 2 || len(a.Entries) == 0 || a.Entries[0].Action != "replace" || a.Entries[0].Result != *res {
		t.Errorf("audit log after the replace: %d entries, newest %+v", a.TotalCount, a.Entries)
	}

	// The replaced graph takes writes as any other.
	mustApply(t, s, kg.Batch{Edges: []kg.Edge{Edge("r-s2", kg.Supplies, "g-e1", "r-e2")}})
	// Replacing with nothing empties the store.
	res, err = s.Replace(ctx, kg.Batch{})
	if err != nil {
		t.Fatalf("Replace with an empty batch: %v", err)
	}
	checkResult(t, res, kg.WriteResult{NodesDeleted: 3, EdgesDeleted: 3})
	checkStats(t, mustStats(t, s), nil, nil)
	if errors.Is(s.Ping(ctx), kg.ErrUnavailable) {
		t.Error("the store is unavailable after a replace")
	}
}
