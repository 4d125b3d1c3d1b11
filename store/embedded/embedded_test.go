package embedded_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/store/embedded"
	"github.com/innograph/innograph/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) kg.Store {
		return open(t, t.TempDir())
	})
}

// open opens a store in dir and closes it when the test ends.
func open(t *testing.T, dir string, opts ...embedded.Option) *embedded.Store {
	t.Helper()
	s, err := embedded.Open(context.Background(), dir, opts...)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// richBatch returns nodes with every property of their kind in every
// value type, and edges of every type.
func richBatch(t *testing.T) kg.Batch {
	var b kg.Batch
	for i := range 30 {
		b.Nodes = append(b.Nodes, kg.Node{ID: fmt.Sprintf("e%02d", i), Kind: kg.Enterprise, Props: kg.Props{
			"name":               fmt.Sprintf("大连持久%d号有限公司", i),
			"nameEn":             fmt.Sprintf("Durable %d Co.", i),
			"aliases":            []string{fmt.Sprintf("持久%d", i), "Durable"},
			"district":           "中山区",
			"source":             "test",
			"creditCode":         storetest.CreditCode(t, i),
			"industry":           "软件",
			"foundedYear":        1990 + i,
			"aboveScale":         i%2 == 0,
			"highTechGranted":    2015,
			"highTechValidUntil": 2024,
			"revenue":            kg.Series{2020: 1.25e7 + float64(i), 2021: 0.1, 2022: math.Copysign(0, -1), 2023: math.MaxFloat64},
			"rdInvestment":       map[string]any{"2021": 123456789012, "2022": 1e-9},
			"employees":          kg.Series{2021: 30},
		}})
	}
	b.Nodes = append(b.Nodes,
		kg.Node{ID: "inc", Kind: kg.Incubator, Props: kg.Props{"name": "孵化器", "level": "MUNICIPAL", "area": 1234.5, "foundedYear": 2010, "operator": "某公司"}},
		kg.Node{ID: "mk", Kind: kg.Makerspace, Props: kg.Props{"name": "众创空间", "level": "DISTRICT", "makersServed": kg.Series{2024: 650}}},
		kg.Node{ID: "u", Kind: kg.University, Props: kg.Props{"name": "大连海事大学", "type": "UNIVERSITY", "aliases": []string{}}},
		kg.Node{ID: "sa", Kind: kg.ServiceAgency, Props: kg.Props{"name": "服务机构", "categories": []string{"IP", "FINANCE"}}},
		kg.Node{ID: "kpi", Kind: kg.Indicator, Props: kg.Props{"name": "高新技术企业数", "number": 1, "target": 80, "unit": "家"}},
		kg.Node{ID: "plan", Kind: kg.Plan, Props: kg.Props{"name": "十四五规划", "periodStart": 2021, "periodEnd": 2025}},
		kg.Node{ID: "t", Kind: kg.Talent, Props: kg.Props{"name": "张三", "field": "海洋工程"}},
	)
	for i := 1; i < 30; i++ {
		b.Edges = append(b.Edges, kg.Edge{Type: kg.Supplies, From: fmt.Sprintf("e%02d", i-1), To: fmt.Sprintf("e%02d", i),
			Props: kg.Props{"since": 2015 + i%5, "value": float64(i) * 1e6, "confidence": 0.75, "product": "零件"}})
	}
	b.Edges = append(b.Edges,
		kg.Edge{Type: kg.IncubatedBy, From: "e00", To: "inc", Props: kg.Props{"since": 2019, "graduated": 2022}},
		kg.Edge{ID: "custom", Type: kg.CollaboratesWith, From: "e01", To: "u", Props: kg.Props{"mode": "JOINT_LAB"}},
		kg.Edge{Type: kg.HasIndicator, From: "plan", To: "kpi"},
		kg.Edge{Type: kg.WorksAt, From: "t", To: "mk", Props: kg.Props{"role": "导师"}},
		kg.Edge{Type: kg.Serves, From: "sa", To: "e02", Props: kg.Props{"category": "IP", "year": 2023}},
	)
	return b
}

// snapshot reads everything a store holds, through its public API.
type snapshot struct {
	nodes map[string]*kg.Node
	edges map[string]*kg.Edge
	stats *kg.Stats
	nb    map[string][]kg.Neighbor
	found []*kg.Node
}

func takeSnapshot(t *testing.T, s kg.Store, nodeIDs, edgeIDs []string) snapshot {
	t.Helper()
	ctx := t.Context()
	ns, err := s.GetNodes(ctx, nodeIDs)
	if err != nil {
		t.Fatal(err)
	}
	es, err := s.GetEdges(ctx, edgeIDs)
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: nodeIDs})
	if err != nil {
		t.Fatal(err)
	}
	found, err := s.Search(ctx, kg.SearchQuery{Text: "持久", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	snap := snapshot{nodes: map[string]*kg.Node{}, edges: map[string]*kg.Edge{}, stats: st, nb: nb, found: found}
	for i, n := range ns {
		snap.nodes[nodeIDs[i]] = n
	}
	for i, e := range es {
		snap.edges[edgeIDs[i]] = e
	}
	return snap
}

// diffSnapshots reports every difference between two snapshots; times must
// be identical to the nanosecond and values of the same Go type.
func diffSnapshots(a, b snapshot) []string {
	var diffs []string
	for id, n := range a.nodes {
		m := b.nodes[id]
		switch {
		case (n == nil) != (m == nil):
			diffs = append(diffs, fmt.Sprintf("node %q: %v vs %v", id, n, m))
		case n == nil:
		case n.Kind != m.Kind || !n.Props.Equal(m.Props) || !n.CreatedAt.Equal(m.CreatedAt) || !n.UpdatedAt.Equal(m.UpdatedAt):
			diffs = append(diffs, fmt.Sprintf("node %q:\n %#v\n %#v", id, *n, *m))
		}
	}
	for id, e := range a.edges {
		f := b.edges[id]
		switch {
		case (e == nil) != (f == nil):
			diffs = append(diffs, fmt.Sprintf("edge %q: %v vs %v", id, e, f))
		case e == nil:
		case e.Type != f.Type || e.From != f.From || e.To != f.To || !e.Props.Equal(f.Props):
			diffs = append(diffs, fmt.Sprintf("edge %q:\n %#v\n %#v", id, *e, *f))
		}
	}
	if fmt.Sprint(a.stats) != fmt.Sprint(b.stats) {
		diffs = append(diffs, fmt.Sprintf("stats %+v vs %+v", a.stats, b.stats))
	}
	hops := func(m map[string][]kg.Neighbor) string {
		var sb strings.Builder
		for _, id := range slices.Sorted(maps.Keys(m)) {
			for _, nb := range m[id] {
				fmt.Fprintf(&sb, "%s-%s->%s;", id, nb.Edge.ID, nb.Node.ID)
			}
		}
		return sb.String()
	}
	if hops(a.nb) != hops(b.nb) {
		diffs = append(diffs, fmt.Sprintf("neighbours %s vs %s", hops(a.nb), hops(b.nb)))
	}
	ids := func(ns []*kg.Node) string {
		var out []string
		for _, n := range ns {
			out = append(out, n.ID)
		}
		return strings.Join(out, ",")
	}
	if ids(a.found) != ids(b.found) {
		diffs = append(diffs, fmt.Sprintf("search %s vs %s", ids(a.found), ids(b.found)))
	}
	return diffs
}

func batchIDs(b kg.Batch) (nodes, edges []string) {
	for _, n := range b.Nodes {
		nodes = append(nodes, n.ID)
	}
	for _, e := range b.Edges {
		id := e.ID
		if id == "" {
			id = kg.EdgeID(e.Type, e.From, e.To)
		}
		edges = append(edges, id)
	}
	return nodes, edges
}

// TestReopenKeepsEverything writes, updates and deletes, closes the store,
// opens the directory again and compares everything it reads.
func TestReopenKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	ctx := t.Context()
	s, err := embedded.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	b := richBatch(t)
	if _, err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	later := kg.Batch{
		Nodes: []kg.Node{
			{ID: "e03", Kind: kg.Enterprise, Props: kg.Props{"name": "大连持久3号有限公司", "nameEn": nil, "revenue": kg.Series{2024: 9, 2020: math.NaN()}}},
			{ID: "late", Kind: kg.Policy, Props: kg.Props{"name": "后来的政策", "level": "NATIONAL", "type": "SUBSIDY", "year": 2024}},
		},
		Edges:       []kg.Edge{{Type: kg.SupportedBy, From: "e05", To: "late", Props: kg.Props{"status": "APPROVED", "amount": 5e5}}},
		DeleteEdges: []string{"custom"},
		DeleteNodes: []string{"e10"},
	}
	if _, err := s.Apply(ctx, later); err != nil {
		t.Fatal(err)
	}
	nodeIDs, edgeIDs := batchIDs(b)
	n2, e2 := batchIDs(later)
	nodeIDs, edgeIDs = append(nodeIDs, n2...), append(edgeIDs, e2...)
	before := takeSnapshot(t, s, nodeIDs, edgeIDs)
	if before.nodes["e10"] != nil || before.edges["custom"] != nil || before.nodes["late"] == nil {
		t.Fatal("the writes did not take effect before the reopen")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s2 := open(t, dir)
	after := takeSnapshot(t, s2, nodeIDs, edgeIDs)
	for _, d := range diffSnapshots(before, after) {
		t.Error(d)
	}
	// Types survive exactly.
	n := after.nodes["e01"]
	checks := []struct {
		prop string
		ok   bool
	}{
		{"foundedYear", isType[int64](n.Props["foundedYear"])},
		{"revenue", isType[kg.Series](n.Props["revenue"])},
		{"aliases", isType[[]string](n.Props["aliases"])},
		{"aboveScale", isType[bool](n.Props["aboveScale"])},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("after the reopen %s is a %T", c.prop, n.Props[c.prop])
		}
	}
	if v := after.nodes["kpi"].Props["target"]; !isType[float64](v) {
		t.Errorf("after the reopen an integral float is a %T", v)
	}
	if v := after.nodes["u"].Props["aliases"]; v == nil || len(v.([]string)) != 0 {
		t.Errorf("after the reopen an empty list is %#v", v)
	}
	// The reopened store accepts writes that depend on what it loaded.
	res, err := s2.Apply(ctx, kg.Batch{Nodes: []kg.Node{b.Nodes[0]}, Edges: []kg.Edge{b.Edges[0]}})
	if err != nil {
		t.Fatal(err)
	}
	if *res != (kg.WriteResult{NodesUnchanged: 1, EdgesUnchanged: 1}) {
		t.Errorf("rewriting a loaded node and edge: %+v, want both unchanged", *res)
	}
}

func isType[T any](v any) bool { _, ok := v.(T); return ok }

// TestFailedCommitLeavesMemory closes the database under the store so that
// the commit of a valid batch fails, and checks that nothing changed.
func TestFailedCommitLeavesMemory(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	b := richBatch(t)
	if _, err := s.Apply(t.Context(), b); err != nil {
		t.Fatal(err)
	}
	nodeIDs, edgeIDs := batchIDs(b)
	nodeIDs = append(nodeIDs, "new")
	before := takeSnapshot(t, s, nodeIDs, edgeIDs)

	embedded.CloseDB(t, s)
	_, err := s.Apply(t.Context(), kg.Batch{
		Nodes:       []kg.Node{{ID: "new", Kind: kg.Enterprise, Props: kg.Props{"name": "持久新企业"}}, {ID: "e04", Kind: kg.Enterprise, Props: kg.Props{"name": "改名"}}},
		Edges:       []kg.Edge{{Type: kg.Supplies, From: "new", To: "e00"}},
		DeleteEdges: []string{"custom"},
		DeleteNodes: []string{"e07"},
	})
	if !errors.Is(err, kg.ErrUnavailable) {
		t.Fatalf("Apply on a closed database: %v, want an error wrapping kg.ErrUnavailable", err)
	}
	after := takeSnapshot(t, s, nodeIDs, edgeIDs)
	for _, d := range diffSnapshots(before, after) {
		t.Error(d)
	}
}

// TestSecondOpenFails checks that a directory in use is refused quickly
// with a clear error.
func TestSecondOpenFails(t *testing.T) {
	dir := t.TempDir()
	open(t, dir)
	start := time.Now()
	s, err := embedded.Open(t.Context(), dir, embedded.WithLockTimeout(100*time.Millisecond))
	if err == nil {
		s.Close()
		t.Fatal("a second Open of the same directory succeeded")
	}
	if !errors.Is(err, embedded.ErrLocked) || !errors.Is(err, kg.ErrUnavailable) || !strings.Contains(err.Error(), "data directory is in use by another process") {
		t.Errorf("second Open: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("second Open took %v", d)
	}
}

func TestOpenCreatesDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	s := open(t, dir)
	if s.Path() != filepath.Join(dir, embedded.FileName) {
		t.Errorf("Path() = %q", s.Path())
	}
	if _, err := os.Stat(s.Path()); err != nil {
		t.Errorf("database file: %v", err)
	}
}

func TestOpenRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, embedded.FileName), []byte("not a database, just some text that is long enough"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := embedded.Open(t.Context(), dir); err == nil {
		s.Close()
		t.Fatal("Open accepted a file that is not a database")
	}
}

func TestOpenCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if s, err := embedded.Open(ctx, t.TempDir()); !errors.Is(err, context.Canceled) {
		if s != nil {
			s.Close()
		}
		t.Fatalf("Open with a cancelled context: %v", err)
	}
}

// TestReadersSeeWholeBatches checks that a reader never sees part of a
// batch: every batch tags its nodes with one district.
func TestReadersSeeWholeBatches(t *testing.T) {
	s := open(t, t.TempDir())
	const batches, size = 40, 25
	ctx := t.Context()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	defer func() {
		close(stop)
		wg.Wait()
	}()
	for r := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				tag := fmt.Sprintf("批次%d", (i+r)%batches)
				page, err := s.FindNodes(ctx, kg.NodeQuery{Kind: kg.Enterprise, First: 1, Where: []kg.Condition{{Prop: "district", Op: kg.EQ, Value: tag}}})
				if err != nil {
					t.Error(err)
					return
				}
				if page.TotalCount != 0 && page.TotalCount != size {
					t.Errorf("saw %d nodes of batch %s, want 0 or %d", page.TotalCount, tag, size)
					return
				}
				st, err := s.Stats(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				if st.Nodes%size != 0 || st.Edges != st.Nodes/size*(size-1) {
					t.Errorf("stats of part of a batch: %+v", st)
					return
				}
			}
		}()
	}
	for b := range batches {
		var batch kg.Batch
		for i := range size {
			batch.Nodes = append(batch.Nodes, kg.Node{ID: fmt.Sprintf("p%d-%d", b, i), Kind: kg.Enterprise, Props: kg.Props{"name": "某企业", "district": fmt.Sprintf("批次%d", b)}})
			if i > 0 {
				batch.Edges = append(batch.Edges, kg.Edge{Type: kg.Supplies, From: fmt.Sprintf("p%d-%d", b, i-1), To: fmt.Sprintf("p%d-%d", b, i)})
			}
		}
		if _, err := s.Apply(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
}
