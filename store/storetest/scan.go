package storetest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/innograph/innograph/kg"
)

// testScanAndAudit checks ScanNodes and ScanEdges (order, pages, filters,
// cursors that survive writes, invalid input) and the audit log (entries
// written with their batches and only with them, newest first, invisible
// to the graph's reads).
func testScanAndAudit(t *testing.T, s kg.Store) {
	g := newGraphFixture()
	mustApply(t, s, g.batch())
	edges := fixtureEdges(g)
	t.Run("ScanNodes", func(t *testing.T) { testScanNodes(t, s, g) })
	t.Run("ScanEdges", func(t *testing.T) { testScanEdges(t, s, g, edges) })
	t.Run("ScanInvalid", func(t *testing.T) { testScanInvalid(t, s) })
	t.Run("ScanFollowsWrites", func(t *testing.T) { testScanFollowsWrites(t, s) })
	t.Run("Audit", func(t *testing.T) { testAudit(t, s) })
}

// scanNodes walks a node scan with pages of first and returns the ids, in
// order, checking the pages' sizes and flags.
func scanNodes(t *testing.T, s kg.Store, kinds []kg.Kind, first int) ([]string, []*kg.Node) {
	t.Helper()
	var ids []string
	var nodes []*kg.Node
	after := ""
	for range 1000 {
		p, err := s.ScanNodes(t.Context(), kg.NodeScan{Kinds: kinds, After: after, First: first})
		if err != nil {
			t.Fatalf("ScanNodes(%v, after %q): %v", kinds, after, err)
		}
		if len(p.Nodes) > first {
			t.Fatalf("ScanNodes returned %d nodes, more than first=%d", len(p.Nodes), first)
		}
		if p.HasNextPage && len(p.Nodes) < first {
			t.Errorf("ScanNodes: a page of %d < %d nodes says it has a next page", len(p.Nodes), first)
		}
		for _, n := range p.Nodes {
			ids = append(ids, n.ID)
			nodes = append(nodes, n)
		}
		if !p.HasNextPage {
			return ids, nodes
		}
		if p.EndCursor == "" {
			t.Fatal("ScanNodes: a page with a next page has no end cursor")
		}
		after = p.EndCursor
	}
	t.Fatal("ScanNodes: the walk does not end")
	return nil, nil
}

// scanEdges walks an edge scan and returns the ids, in order.
func scanEdges(t *testing.T, s kg.Store, q kg.EdgeScan) []string {
	t.Helper()
	var ids []string
	for range 1000 {
		p, err := s.ScanEdges(t.Context(), q)
		if err != nil {
			t.Fatalf("ScanEdges(%+v): %v", q, err)
		}
		if len(p.Edges) > q.First {
			t.Fatalf("ScanEdges returned %d edges, more than first=%d", len(p.Edges), q.First)
		}
		if p.HasNextPage && len(p.Edges) < q.First {
			t.Errorf("ScanEdges: a page of %d < %d edges says it has a next page", len(p.Edges), q.First)
		}
		for _, e := range p.Edges {
			ids = append(ids, e.ID)
		}
		if !p.HasNextPage {
			return ids
		}
		q.After = p.EndCursor
	}
	t.Fatal("ScanEdges: the walk does not end")
	return nil
}

func testScanNodes(t *testing.T, s kg.Store, g graphFixture) {
	byKind := func(kinds []kg.Kind) []string {
		var out []string
		for _, k := range kg.Kinds {
			if len(kinds) > 0 && !slices.Contains(kinds, k) {
				continue
			}
			var ids []string
			for _, n := range g.nodes {
				if n.Kind == k {
					ids = append(ids, n.ID)
				}
			}
			out = append(out, sortedCopy(ids)...)
		}
		return out
	}
	cases := []struct {
		name  string
		kinds []kg.Kind
		first int
	}{
		{"all in pages of 1", nil, 1},
		{"all in pages of 3", nil, 3},
		{"all in one page", nil, kg.MaxPageSize},
		{"exactly one full page", nil, len(g.nodes)},
		{"two kinds", []kg.Kind{kg.University, kg.Enterprise}, 2},
		{"a kind without nodes", []kg.Kind{kg.Plan}, 5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, nodes := scanNodes(t, s, tc.kinds, tc.first)
			if want := byKind(tc.kinds); !slices.Equal(got, want) {
				t.Errorf("scan order\n got  %s\n want %s", join(got), join(want))
			}
			stored := mustGetNodes(t, s, got...)
			for i, n := range nodes {
				checkSameNode(t, "scanned node", n, stored[i])
			}
		})
	}
}

func testScanEdges(t *testing.T, s kg.Store, g graphFixture, edges []kg.Edge) {
	kindOf := g.kinds()
	want := func(q kg.EdgeScan) []string {
		var out []string
		for _, rt := range kg.RelTypes {
			var ids []string
			for _, e := range edges {
				if e.Type == rt && refEdgeMatches(e, q.Types, q.Kinds, q.AsOf, kindOf) {
					ids = append(ids, e.ID)
				}
			}
			out = append(out, sortedCopy(ids)...)
		}
		return out
	}
	cases := []struct {
		name string
		q    kg.EdgeScan
	}{
		{"all in pages of 1", kg.EdgeScan{First: 1}},
		{"all in pages of 4", kg.EdgeScan{First: 4}},
		{"all in one page", kg.EdgeScan{First: kg.MaxPageSize}},
		{"exactly one full page", kg.EdgeScan{First: len(edges)}},
		{"two types", kg.EdgeScan{Types: []kg.RelType{kg.InvestsIn, kg.Supplies}, First: 2}},
		{"as of 2020", kg.EdgeScan{AsOf: 2020, First: 3}},
		{"as of 2023", kg.EdgeScan{AsOf: 2023, First: 3}},
		{"enterprises only", kg.EdgeScan{Kinds: []kg.Kind{kg.Enterprise}, First: 2}},
		{"enterprises and universities in 2019", kg.EdgeScan{Kinds: []kg.Kind{kg.Enterprise, kg.University}, AsOf: 2019, First: 2}},
		{"a type without edges", kg.EdgeScan{Types: []kg.RelType{kg.Feeds}, First: 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := scanEdges(t, s, tc.q)
			if w := want(tc.q); !slices.Equal(got, w) {
				t.Errorf("scan order\n got  %s\n want %s", join(got), join(w))
			}
		})
	}
	t.Run("edges are whole", func(t *testing.T) {
		p, err := s.ScanEdges(t.Context(), kg.EdgeScan{First: kg.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]string, len(p.Edges))
		for i, e := range p.Edges {
			ids[i] = e.ID
		}
		stored := mustGetEdges(t, s, ids...)
		for i, e := range p.Edges {
			checkSameEdge(t, "scanned edge", e, stored[i])
		}
	})
}

func testScanInvalid(t *testing.T, s kg.Store) {
	ctx := t.Context()
	cases := []struct {
		name string
		call func() error
	}{
		{"nodes first 0", func() error { _, err := s.ScanNodes(ctx, kg.NodeScan{}); return err }},
		{"nodes first too large", func() error { _, err := s.ScanNodes(ctx, kg.NodeScan{First: kg.MaxPageSize + 1}); return err }},
		{"nodes unknown kind", func() error { _, err := s.ScanNodes(ctx, kg.NodeScan{Kinds: []kg.Kind{"Nope"}, First: 1}); return err }},
		{"nodes bad cursor", func() error { _, err := s.ScanNodes(ctx, kg.NodeScan{After: "zzz", First: 1}); return err }},
		{"nodes cursor of an edge scan", func() error {
			_, err := s.ScanNodes(ctx, kg.NodeScan{After: kg.ScanCursor(string(kg.Supplies), "x"), First: 1})
			return err
		}},
		{"edges first 0", func() error { _, err := s.ScanEdges(ctx, kg.EdgeScan{}); return err }},
		{"edges unknown type", func() error {
			_, err := s.ScanEdges(ctx, kg.EdgeScan{Types: []kg.RelType{"NOPE"}, First: 1})
			return err
		}},
		{"edges unknown kind", func() error { _, err := s.ScanEdges(ctx, kg.EdgeScan{Kinds: []kg.Kind{"Nope"}, First: 1}); return err }},
		{"edges negative year", func() error { _, err := s.ScanEdges(ctx, kg.EdgeScan{AsOf: -1, First: 1}); return err }},
		{"edges bad cursor", func() error {
			_, err := s.ScanEdges(ctx, kg.EdgeScan{After: kg.NodeCursor(kg.Enterprise, nil, &kg.Node{ID: "x"}), First: 1})
			return err
		}},
		{"audit first 0", func() error { _, err := s.AuditLog(ctx, kg.AuditQuery{}); return err }},
		{"audit bad cursor", func() error {
			_, err := s.AuditLog(ctx, kg.AuditQuery{First: 1, After: kg.NodeCursor(kg.Enterprise, nil, &kg.Node{ID: "x"})})
			return err
		}},
	}
	for _, tc := range cases {
		if err := tc.call(); !errors.Is(err, kg.ErrInvalid) {
			t.Errorf("%s: error %v, want kg.ErrInvalid", tc.name, err)
		}
	}
	for _, call := range []func() error{
		func() error { _, err := s.ScanNodes(canceled(), kg.NodeScan{First: 1}); return err },
		func() error { _, err := s.ScanEdges(canceled(), kg.EdgeScan{First: 1}); return err },
		func() error { _, err := s.AuditLog(canceled(), kg.AuditQuery{First: 1}); return err },
	} {
		if err := call(); err == nil {
			t.Error("a call with a cancelled context succeeded")
		}
	}
}

// testScanFollowsWrites checks that a cursor stays valid across writes:
// the walk goes on after the last id seen, skipping what was deleted and
// seeing what was added further on.
func testScanFollowsWrites(t *testing.T, s kg.Store) {
	var b kg.Batch
	for i := range 6 {
		b.Nodes = append(b.Nodes, Named(fmt.Sprintf("w-%d", i*2), kg.Talent, fmt.Sprintf("人才%d", i)))
	}
	for i := range 5 {
		b.Edges = append(b.Edges, Edge(fmt.Sprintf("w-e%d", i*2), kg.WorksAt, fmt.Sprintf("w-%d", i*2), "g-e1"))
	}
	mustApply(t, s, b)
	p, err := s.ScanNodes(t.Context(), kg.NodeScan{Kinds: []kg.Kind{kg.Talent}, First: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := nodeIDs(p.Nodes); !slices.Equal(got, []string{"g-t", "w-0", "w-10"}) {
		t.Fatalf("first page %v", got)
	}
	ep, err := s.ScanEdges(t.Context(), kg.EdgeScan{Types: []kg.RelType{kg.WorksAt}, First: 3})
	if err != nil {
		t.Fatal(err)
	}
	// Delete the node the cursor names and one further on; add one
	// before the cursor and one after it.
	mustApply(t, s, kg.Batch{
		Nodes:       []kg.Node{Named("w-1", kg.Talent, "新人才甲"), Named("w-5", kg.Talent, "新人才乙")},
		Edges:       []kg.Edge{Edge("w-e1", kg.WorksAt, "w-1", "g-e1"), Edge("w-e5", kg.WorksAt, "w-5", "g-e1")},
		DeleteNodes: []string{"w-10", "w-4"},
		DeleteEdges: []string{"w-e4"},
	})
	var rest []string
	for after := p.EndCursor; ; {
		p, err := s.ScanNodes(t.Context(), kg.NodeScan{Kinds: []kg.Kind{kg.Talent}, After: after, First: 2})
		if err != nil {
			t.Fatal(err)
		}
		rest = append(rest, nodeIDs(p.Nodes)...)
		if !p.HasNextPage {
			break
		}
		after = p.EndCursor
	}
	if want := []string{"w-2", "w-5", "w-6", "w-8"}; !slices.Equal(rest, want) {
		t.Errorf("after writes the node walk went on with %v, want %v", rest, want)
	}
	var erest []string
	q := kg.EdgeScan{Types: []kg.RelType{kg.WorksAt}, After: ep.EndCursor, First: 2}
	erest = scanEdges(t, s, q)
	if want := []string{"w-e5", "w-e6", "w-e8"}; !slices.Equal(erest, want) {
		t.Errorf("after writes the edge walk went on with %v (first page %v), want %v", erest, edgeIDsOf(ep.Edges), want)
	}
}

func edgeIDsOf(es []*kg.Edge) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func auditPage(t *testing.T, s kg.Store, first int, after string) *kg.AuditPage {
	t.Helper()
	p, err := s.AuditLog(t.Context(), kg.AuditQuery{First: first, After: after})
	if err != nil {
		t.Fatalf("AuditLog(%d, %q): %v", first, after, err)
	}
	return p
}

func testAudit(t *testing.T, s kg.Store) {
	if p := auditPage(t, s, 10, ""); p.TotalCount != 0 || len(p.Entries) != 0 || p.HasNextPage {
		t.Fatalf("the log holds %d entries (total %d) before any audited write", len(p.Entries), p.TotalCount)
	}
	statsBefore := mustStats(t, s)
	before := time.Now().Add(-time.Second)
	res := mustApply(t, s, kg.Batch{
		Nodes:       []kg.Node{Named("au-1", kg.Enterprise, "审计测试甲公司"), Named("g-e2", kg.Enterprise, "大连港湾物流有限公司")},
		Edges:       []kg.Edge{Edge("", kg.Supplies, "au-1", "g-e2")},
		DeleteEdges: []string{"g-i2"},
		Audit:       &kg.AuditEntry{Actor: "alice", Role: "editor", Action: "applyBatch", Note: "第一次"},
	})
	after := time.Now().Add(time.Second)
	p := auditPage(t, s, 10, "")
	if p.TotalCount != 1 || len(p.Entries) != 1 {
		t.Fatalf("after one audited write the log holds %d entries (total %d), want 1", len(p.Entries), p.TotalCount)
	}
	a := p.Entries[0]
	if a.Actor != "alice" || a.Role != "editor" || a.Action != "applyBatch" || a.Note != "第一次" {
		t.Errorf("entry says %q %q %q %q", a.Actor, a.Role, a.Action, a.Note)
	}
	if a.Seq != 1 {
		t.Errorf("first entry has seq %d, want 1", a.Seq)
	}
	if a.At.Before(before) || a.At.After(after) || a.At.Location() != time.UTC {
		t.Errorf("entry time %v is not the UTC time of the write (between %v and %v)", a.At, before, after)
	}
	if a.Result != *res {
		t.Errorf("entry counts %+v, want the write's %+v", a.Result, *res)
	}
	checkIDs := func(what string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("entry's %s: %v, want %v", what, got, want)
		}
	}
	checkIDs("nodes", a.Nodes, []string{"au-1", "g-e2"})
	checkIDs("edges", a.Edges, []string{kg.EdgeID(kg.Supplies, "au-1", "g-e2")})
	checkIDs("deleted edges", a.DeletedEdges, []string{"g-i2"})
	checkIDs("deleted nodes", a.DeletedNodes, nil)

	// Unaudited and refused writes leave no entry.
	mustApply(t, s, kg.Batch{Nodes: []kg.Node{Named("au-2", kg.Enterprise, "审计测试乙公司")}})
	_, err := s.Apply(t.Context(), kg.Batch{
		Nodes: []kg.Node{Named("au-3", kg.Enterprise, "")},
		Audit: &kg.AuditEntry{Actor: "mallory", Action: "applyBatch"},
	})
	if err == nil {
		t.Fatal("a batch with a nameless node was accepted")
	}
	_, err = s.Apply(t.Context(), kg.Batch{
		Edges: []kg.Edge{Edge("", kg.Supplies, "au-1", "nowhere")},
		Audit: &kg.AuditEntry{Actor: "mallory", Action: "applyBatch"},
	})
	if err == nil {
		t.Fatal("a batch with an edge to a missing node was accepted")
	}
	if p := auditPage(t, s, 10, ""); p.TotalCount != 1 {
		t.Errorf("after an unaudited and two refused writes the log holds %d entries, want 1", p.TotalCount)
	}

	// A large batch keeps MaxAuditIDs ids per list and says so.
	var big kg.Batch
	for i := range kg.MaxAuditIDs + 3 {
		big.Nodes = append(big.Nodes, Named(fmt.Sprintf("au-big-%04d", i), kg.Talent, fmt.Sprintf("审计人才%d", i)))
	}
	big.Audit = &kg.AuditEntry{Actor: "bob", Role: "admin", Action: "import"}
	mustApply(t, s, big)
	// Two more, to page through.
	for i := range 2 {
		mustApply(t, s, kg.Batch{DeleteNodes: []string{fmt.Sprintf("au-big-%04d", i)}, Audit: &kg.AuditEntry{Actor: "carol", Action: fmt.Sprintf("delete%d", i)}})
	}
	var actions []string
	var seqs []int64
	cursor := ""
	for range 10 {
		p := auditPage(t, s, 2, cursor)
		if p.TotalCount != 4 {
			t.Errorf("total count %d, want 4", p.TotalCount)
		}
		for _, e := range p.Entries {
			actions = append(actions, e.Action)
			seqs = append(seqs, e.Seq)
			if e.Action == "import" {
				if !e.Truncated || len(e.Nodes) != kg.MaxAuditIDs || e.Result.NodesCreated != kg.MaxAuditIDs+3 {
					t.Errorf("large entry: truncated %v, %d node ids, %d created", e.Truncated, len(e.Nodes), e.Result.NodesCreated)
				}
			} else if e.Truncated {
				t.Errorf("entry %q is marked truncated", e.Action)
			}
		}
		if !p.HasNextPage {
			break
		}
		cursor = kg.AuditCursor(p.Entries[len(p.Entries)-1].Seq)
	}
	if want := []string{"delete1", "delete0", "import", "applyBatch"}; !slices.Equal(actions, want) {
		t.Errorf("the log, newest first: %v, want %v", actions, want)
	}
	if !slices.Equal(seqs, []int64{4, 3, 2, 1}) {
		t.Errorf("sequence numbers %v, want 4 3 2 1", seqs)
	}

	// The log is not part of the graph.
	st := mustStats(t, s)
	wantNodes := statsBefore.Nodes + 2 + kg.MaxAuditIDs + 3 - 2
	if st.Nodes != wantNodes {
		t.Errorf("stats count %d nodes, want %d", st.Nodes, wantNodes)
	}
	for _, text := range []string{"alice", "applyBatch", "第一次"} {
		ns, err := s.Search(t.Context(), kg.SearchQuery{Text: text, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(ns) > 0 {
			t.Errorf("search %q finds %v", text, nodeIDs(ns))
		}
	}
	ids, _ := scanNodes(t, s, nil, kg.MaxPageSize)
	if len(ids) != wantNodes {
		t.Errorf("a node scan sees %d nodes, want %d", len(ids), wantNodes)
	}
}
