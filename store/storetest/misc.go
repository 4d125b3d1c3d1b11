package storetest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/innograph/innograph/kg"
)

func testStats(t *testing.T, s kg.Store) {
	checkStats(t, mustStats(t, s), nil, nil)
	var b kg.Batch
	byKind := map[kg.Kind]int{}
	nodesOf := map[kg.Kind][]string{}
	for i, k := range kg.Kinds {
		for j := range i%4 + 2 {
			id := fmt.Sprintf("st-%s-%d", k, j)
			b.Nodes = append(b.Nodes, Named(id, k, fmt.Sprintf("%s统计%d", k, j)))
			nodesOf[k] = append(nodesOf[k], id)
			byKind[k]++
		}
	}
	byType := map[kg.RelType]int{}
	for j, rt := range kg.RelTypes {
		spec := kg.RelSpecs[rt]
		from, to := nodesOf[spec.From[0]], nodesOf[spec.To[0]]
		for k := range j%3 + 1 {
			b.Edges = append(b.Edges, kg.Edge{ID: fmt.Sprintf("st-%s-%d", rt, k), Type: rt, From: from[k%len(from)], To: to[(k+1)%len(to)]})
			byType[rt]++
		}
	}
	mustApply(t, s, b)
	checkStats(t, mustStats(t, s), byKind, byType)

	// Delete one edge, and a node with its edges.
	victim := nodesOf[kg.Enterprise][1]
	del := kg.Batch{DeleteEdges: []string{b.Edges[len(b.Edges)-1].ID}, DeleteNodes: []string{victim}}
	byType[b.Edges[len(b.Edges)-1].Type]--
	for _, e := range b.Edges[:len(b.Edges)-1] {
		if e.From == victim || e.To == victim {
			byType[e.Type]--
		}
	}
	byKind[kg.Enterprise]--
	mustApply(t, s, del)
	checkStats(t, mustStats(t, s), byKind, byType)
}

// testConcurrentWritesAndReads runs writers of disjoint batches next to
// readers of every kind, then checks the final counts.
func testConcurrentWritesAndReads(t *testing.T, s kg.Store) {
	const (
		writers = 6
		batches = 8
		perB    = 15
		readers = 4
	)
	tag := func(w, b int) string { return fmt.Sprintf("并发区%d-%d", w, b) }
	id := func(w, b, i int) string { return fmt.Sprintf("cc-%d-%d-%02d", w, b, i) }
	ctx := t.Context()
	var wg, rg sync.WaitGroup
	done := make(chan struct{})
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				var batch kg.Batch
				for i := range perB {
					batch.Nodes = append(batch.Nodes, Named(id(w, b, i), kg.Enterprise, fmt.Sprintf("并发企业%d号", i), "district", tag(w, b), "foundedYear", 2000+i))
					if i > 0 {
						batch.Edges = append(batch.Edges, Edge("", kg.Supplies, id(w, b, i-1), id(w, b, i)))
					}
				}
				wantEdges := perB - 1
				if b > 0 {
					batch.Edges = append(batch.Edges, Edge("", kg.Supplies, id(w, b, 0), id(w, b-1, 0)))
					wantEdges++
				}
				res, err := s.Apply(ctx, batch)
				if err != nil {
					t.Errorf("writer %d batch %d: %v", w, b, err)
					return
				}
				if *res != (kg.WriteResult{NodesCreated: perB, EdgesCreated: wantEdges}) {
					t.Errorf("writer %d batch %d: %+v", w, b, *res)
				}
			}
		}()
	}
	for r := range readers {
		rg.Add(1)
		go func() {
			defer rg.Done()
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				w, b := (r+i)%writers, i%batches
				var err error
				switch i % 5 {
				case 0:
					_, err = s.GetNodes(ctx, []string{id(w, b, 0), id(w, b, 1)})
				case 1:
					_, err = s.FindNodes(ctx, kg.NodeQuery{Kind: kg.Enterprise, First: 20,
						Where: []kg.Condition{{Prop: "district", Op: kg.EQ, Value: tag(w, b)}}, OrderBy: []kg.SortKey{{Prop: "foundedYear", Desc: true}}})
				case 2:
					_, err = s.Search(ctx, kg.SearchQuery{Text: "并发企业", Limit: 20})
				case 3:
					_, err = s.Neighbors(ctx, kg.NeighborQuery{IDs: []string{id(w, b, 0), id(w, b, 7)}})
				case 4:
					_, err = s.Stats(ctx)
				}
				if err != nil {
					t.Errorf("reader %d: %v", r, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	rg.Wait()
	if t.Failed() {
		return
	}
	checkStats(t, mustStats(t, s),
		map[kg.Kind]int{kg.Enterprise: writers * batches * perB},
		map[kg.RelType]int{kg.Supplies: writers * (batches*(perB-1) + batches - 1)})
	for w := range writers {
		for b := range batches {
			page, err := s.FindNodes(ctx, kg.NodeQuery{Kind: kg.Enterprise, First: 100, Where: []kg.Condition{{Prop: "district", Op: kg.EQ, Value: tag(w, b)}}})
			if err != nil {
				t.Fatal(err)
			}
			if page.TotalCount != perB {
				t.Errorf("batch %d of writer %d: %d nodes, want %d", b, w, page.TotalCount, perB)
			}
		}
	}
	nb, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: []string{id(0, 3, 0)}, Direction: kg.Out})
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, n := range nb[id(0, 3, 0)] {
		to = append(to, n.Node.ID)
	}
	if want := []string{id(0, 2, 0), id(0, 3, 1)}; !slices.Equal(to, want) {
		t.Errorf("out-neighbours of %s: %v, want %v", id(0, 3, 0), to, want)
	}
}

// testConcurrentUpsertsOfOneNode merges yearly figures into one node from
// many goroutines at once: no year may be lost.
func testConcurrentUpsertsOfOneNode(t *testing.T, s kg.Store) {
	const n = 16
	mustApply(t, s, kg.Batch{Nodes: []kg.Node{Named("hot", kg.Enterprise, "热点企业")}})
	var wg sync.WaitGroup
	for g := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := kg.Batch{Nodes: []kg.Node{
				Named("hot", kg.Enterprise, "热点企业", "revenue", kg.Series{2000 + g: float64(g)}),
				Named(fmt.Sprintf("hot-%d", g), kg.Enterprise, "热点伙伴"),
			}}
			if _, err := s.Apply(t.Context(), b); err != nil {
				t.Errorf("goroutine %d: %v", g, err)
			}
		}()
	}
	wg.Wait()
	want := kg.Series{}
	for g := range n {
		want[2000+g] = float64(g)
	}
	if got := mustGetNode(t, s, "hot").Props.Series("revenue"); !maps.Equal(got, want) {
		t.Errorf("revenue after %d concurrent merges: %v, want %v", n, got, want)
	}
	checkStats(t, mustStats(t, s), map[kg.Kind]int{kg.Enterprise: n + 1}, nil)
}

// testCanceledContext calls every method with a cancelled context: each
// fails with an error that wraps it, and nothing is written.
func testCanceledContext(t *testing.T, s kg.Store) {
	g := newGraphFixture()
	mustApply(t, s, g.batch())
	before := mustStats(t, s)
	expired, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	for _, c := range []struct {
		name string
		ctx  context.Context
		want error
	}{
		{"canceled", canceled(), context.Canceled},
		{"deadline exceeded", expired, context.DeadlineExceeded},
	} {
		ctx := c.ctx
		calls := []struct {
			name string
			call func() error
		}{
			{"GetNodes", func() error { _, err := s.GetNodes(ctx, []string{"g-e1"}); return err }},
			{"GetEdges", func() error { _, err := s.GetEdges(ctx, []string{"g-op"}); return err }},
			{"FindNodes", func() error {
				_, err := s.FindNodes(ctx, kg.NodeQuery{Kind: kg.Enterprise, First: 10})
				return err
			}},
			{"Neighbors", func() error { _, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: []string{"g-e1"}}); return err }},
			{"Search", func() error { _, err := s.Search(ctx, kg.SearchQuery{Text: "大连", Limit: 10}); return err }},
			{"Stats", func() error { _, err := s.Stats(ctx); return err }},
			{"Ping", func() error { return s.Ping(ctx) }},
			{"Apply", func() error {
				_, err := s.Apply(ctx, kg.Batch{
					Nodes:       []kg.Node{Named("ctx-new", kg.Enterprise, "取消企业")},
					Edges:       []kg.Edge{Edge("ctx-e", kg.Supplies, "ctx-new", "g-e1")},
					DeleteNodes: []string{"g-iso"},
				})
				return err
			}},
			{"Replace", func() error {
				_, err := s.Replace(ctx, kg.Batch{Nodes: []kg.Node{Named("ctx-new", kg.Enterprise, "取消企业")}})
				return err
			}},
		}
		for _, cl := range calls {
			t.Run(c.name+"/"+cl.name, func(t *testing.T) {
				if err := cl.call(); !errors.Is(err, c.want) {
					t.Errorf("%s with a %s context: %v, want an error wrapping %v", cl.name, c.name, err, c.want)
				}
			})
		}
	}
	if ns := mustGetNodes(t, s, "ctx-new", "g-iso"); ns[0] != nil || ns[1] == nil {
		t.Errorf("Apply with a cancelled context wrote: %v", nodeIDs(ns))
	}
	if after := mustStats(t, s); !sameStats(after, before) {
		t.Errorf("stats changed by cancelled calls: %+v, before %+v", after, before)
	}
}

// testClosed checks that a closed store refuses every call with an error
// wrapping kg.ErrUnavailable, and that closing it again is no error. The
// calls are valid, so that nothing but the closing can refuse them.
func testClosed(t *testing.T, s kg.Store) {
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	ctx := t.Context()
	node := Named("closed-1", kg.Talent, "某人")
	calls := []struct {
		name string
		call func() error
	}{
		{"GetNodes", func() error { _, err := s.GetNodes(ctx, []string{"x"}); return err }},
		{"GetEdges", func() error { _, err := s.GetEdges(ctx, []string{"x"}); return err }},
		{"FindNodes", func() error { _, err := s.FindNodes(ctx, kg.NodeQuery{Kind: kg.Enterprise, First: 1}); return err }},
		{"Neighbors", func() error { _, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: []string{"x"}}); return err }},
		{"Fetch", func() error { _, err := s.Fetch(ctx, kg.FetchPlan{IDs: []string{"x"}}); return err }},
		{"Search", func() error { _, err := s.Search(ctx, kg.SearchQuery{Text: "大连", Limit: 1}); return err }},
		{"Apply", func() error { _, err := s.Apply(ctx, kg.Batch{Nodes: []kg.Node{node}}); return err }},
		{"Replace", func() error { _, err := s.Replace(ctx, kg.Batch{Nodes: []kg.Node{node}}); return err }},
		{"Stats", func() error { _, err := s.Stats(ctx); return err }},
		{"Project", func() error { _, err := s.Project(ctx, kg.ProjectionQuery{Limit: 10}); return err }},
		{"Paths", func() error {
			_, err := s.Paths(ctx, kg.PathQuery{From: "a", To: "b", MaxHops: 2, K: 1})
			return err
		}},
		{"ScanNodes", func() error { _, err := s.ScanNodes(ctx, kg.NodeScan{First: 1}); return err }},
		{"ScanEdges", func() error { _, err := s.ScanEdges(ctx, kg.EdgeScan{First: 1}); return err }},
		{"AuditLog", func() error { _, err := s.AuditLog(ctx, kg.AuditQuery{First: 1}); return err }},
		{"Ping", func() error { return s.Ping(ctx) }},
	}
	// Every method but Close is called.
	if want := reflect.TypeFor[kg.Store]().NumMethod() - 1; len(calls) != want {
		t.Errorf("the case calls %d methods; kg.Store has %d besides Close", len(calls), want)
	}
	for _, c := range calls {
		if err := c.call(); !errors.Is(err, kg.ErrUnavailable) {
			t.Errorf("%s after Close: %v, want an error wrapping kg.ErrUnavailable", c.name, err)
		}
	}
}
