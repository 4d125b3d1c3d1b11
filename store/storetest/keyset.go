package storetest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/innograph/innograph/kg"
)

// testPagingUnderWrites walks lists page by page, small pages, while
// another goroutine writes between (and during) the reads: it inserts
// nodes and relationships whose keys sort before, inside and after the
// walk's position, deletes some of those it inserted, and changes a
// property that is not a sort key of nodes that existed before. The
// guarantee of keyset paging (see kg.Position) is checked: every node
// (relationship) that existed throughout the walk and whose sort key did
// not change is returned exactly once; no item is returned twice; the
// items come in the list's order. It covers FindNodes and the roots of
// Fetch in several orders (by id, a property ascending and descending
// with missing values, a yearly figure, with a filter) and a hop of Fetch
// (the relationships of one node).
func testPagingUnderWrites(t *testing.T, s kg.Store) {
	const originals = 40
	var b kg.Batch
	b.Nodes = append(b.Nodes, Named("ks-hub", kg.Enterprise, "枢纽企业"))
	for i := range originals {
		// Every fourth has no founding year, every third no 2023 revenue.
		n := Named(fmt.Sprintf("ks-%03d", 2*i+1), kg.Enterprise, fmt.Sprintf("原有企业%02d", (i*7)%originals), "industry", []string{"软件", "装备"}[i%2])
		if i%4 != 0 {
			n.Props["foundedYear"] = 1990 + (i*13)%30
		}
		if i%3 != 0 {
			n.Props["revenue"] = map[string]any{"2023": float64((i * 37) % 11)}
		}
		b.Nodes = append(b.Nodes, n)
		// A relationship with the hub, in one of two types and either direction.
		e := Edge(fmt.Sprintf("ks-r%03d", 2*i+1), kg.Supplies, n.ID, "ks-hub")
		switch i % 3 {
		case 1:
			e.From, e.To = e.To, e.From
		case 2:
			e.Type = kg.CollaboratesWith
		}
		b.Edges = append(b.Edges, e)
	}
	mustApply(t, s, b)
	names := map[string]string{}
	for _, n := range b.Nodes {
		names[n.ID] = n.Props.Str("name")
	}
	origIDs := map[string]bool{}
	origEdges := map[string]bool{}
	for i := range originals {
		origIDs[fmt.Sprintf("ks-%03d", 2*i+1)] = true
		origEdges[fmt.Sprintf("ks-r%03d", 2*i+1)] = true
	}

	// write inserts, deletes and updates until stop is closed, counting
	// the batches it applied, with a pause after each.
	var writes atomic.Int64
	var failed atomic.Bool
	var ids atomic.Int64 // numbers the nodes written, so that no id returns
	write := func(stop <-chan struct{}, errs chan<- error, seed uint64) {
		r := rand.New(rand.NewPCG(seed, 7))
		var inserted []string
		for i := 0; ; i++ {
			select {
			case <-stop:
				errs <- nil
				return
			default:
			}
			var wb kg.Batch
			// A new node whose id sorts anywhere among the originals, with
			// keys anywhere (or none), related to the hub.
			id := fmt.Sprintf("ks-%03d-w%d", r.IntN(2*originals+2), ids.Add(1))
			n := Named(id, kg.Enterprise, fmt.Sprintf("新企业%d", r.IntN(50)), "industry", []string{"软件", "装备"}[r.IntN(2)])
			if r.IntN(4) != 0 {
				n.Props["foundedYear"] = 1985 + r.IntN(40)
			}
			if r.IntN(3) != 0 {
				n.Props["revenue"] = map[string]any{"2023": float64(r.IntN(12))}
			}
			wb.Nodes = append(wb.Nodes, n)
			wb.Edges = append(wb.Edges, Edge(id+"-r", []kg.RelType{kg.Supplies, kg.CollaboratesWith}[r.IntN(2)], id, "ks-hub"))
			inserted = append(inserted, id)
			// Delete one inserted before (and its relationship with it).
			if len(inserted) > 3 && r.IntN(2) == 0 {
				k := r.IntN(len(inserted) - 1)
				wb.DeleteNodes = append(wb.DeleteNodes, inserted[k])
				inserted = slices.Delete(inserted, k, k+1)
			}
			// Change what is not a sort key of an original node.
			old := fmt.Sprintf("ks-%03d", 2*r.IntN(originals)+1)
			wb.Nodes = append(wb.Nodes, Named(old, kg.Enterprise, names[old], "district", fmt.Sprintf("区%d", i)))
			if _, err := s.Apply(t.Context(), wb); err != nil {
				failed.Store(true)
				errs <- err
				return
			}
			writes.Add(1)
			// A pause, so that the walk outpaces the writes.
			time.Sleep(2 * time.Millisecond)
		}
	}
	// during runs walk while write runs, and returns what walk returned.
	during := func(t *testing.T, walk func(next func()) []string) []string {
		t.Helper()
		stop, errs := make(chan struct{}), make(chan error, 1)
		failed.Store(false)
		go write(stop, errs, uint64(writes.Load()+1))
		// next waits, between two pages, until a write has been applied
		// since the last page (or a while), so that every page boundary
		// sees one.
		next := func() {
			seen := writes.Load()
			for deadline := time.Now().Add(5 * time.Second); writes.Load() == seen && !failed.Load() && time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
		}
		got := walk(next)
		close(stop)
		if failed.Load() {
			t.Fatalf("writer: %v", <-errs)
		}
		if err := <-errs; err != nil {
			t.Fatalf("writer: %v", err)
		}
		return got
	}
	// exactlyOnce checks that ids holds every id of want once and no id
	// twice.
	exactlyOnce := func(t *testing.T, ids []string, want map[string]bool) {
		t.Helper()
		count := map[string]int{}
		for _, id := range ids {
			if count[id]++; count[id] == 2 {
				t.Errorf("%s returned twice", id)
			}
		}
		for id := range want {
			if count[id] != 1 {
				t.Errorf("%s, there throughout with the same key, returned %d times", id, count[id])
			}
		}
	}

	software := []kg.Condition{{Prop: "industry", Op: kg.EQ, Value: "软件"}}
	for _, c := range []struct {
		name  string
		where []kg.Condition
		order []kg.SortKey
	}{
		{"by id", nil, nil},
		{"by founding year", nil, []kg.SortKey{{Prop: "foundedYear"}}},
		{"by founding year descending", nil, []kg.SortKey{{Prop: "foundedYear", Desc: true}}},
		{"by a yearly figure, then name", nil, []kg.SortKey{{Prop: "revenue", Year: 2023, Desc: true}, {Prop: "name"}}},
		{"filtered, by founding year", software, []kg.SortKey{{Prop: "foundedYear"}}},
	} {
		want := map[string]bool{}
		for _, n := range b.Nodes {
			if origIDs[n.ID] && kg.Match(&n, normalized(t, c.where)) {
				want[n.ID] = true
			}
		}
		for _, viaFetch := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/fetch=%v", c.name, viaFetch), func(t *testing.T) {
				q := kg.NodeQuery{Kind: kg.Enterprise, Where: c.where, OrderBy: c.order, First: 3}
				var last *kg.Node
				ids := during(t, func(next func()) []string {
					var ids []string
					for pages := 0; ; pages++ {
						var nodes []*kg.Node
						var more bool
						if viaFetch {
							res, err := s.Fetch(t.Context(), kg.FetchPlan{Query: &q, Props: []string{"industry"}})
							if err != nil {
								t.Fatalf("Fetch page %d: %v", pages, err)
							}
							for _, f := range res.Roots {
								nodes = append(nodes, f.Node)
							}
							more = res.HasNextPage
						} else {
							p, err := s.FindNodes(t.Context(), q)
							if err != nil {
								t.Fatalf("FindNodes page %d: %v", pages, err)
							}
							nodes, more = p.Nodes, p.HasNextPage
						}
						for _, n := range nodes {
							if last != nil && !kg.LessNodes(last, n, c.order) {
								t.Errorf("%s after %s: out of order", n.ID, last.ID)
							}
							ids, last = append(ids, n.ID), n
						}
						// A short page ends the walk; a full one may be the
						// last, which the next (empty) page tells.
						if len(nodes) < q.First || pages > 10*originals {
							if more && len(nodes) < q.First {
								t.Errorf("page %d: %d nodes of %d, and a next page", pages, len(nodes), q.First)
							}
							return ids
						}
						q.After = kg.NodeCursor(q.Kind, q.OrderBy, nodes[len(nodes)-1])
						next()
					}
				})
				exactlyOnce(t, ids, want)
				// With the writes done, the page after the last cursor holds
				// what a fresh walk holds after the last node.
				q.After = kg.NodeCursor(q.Kind, q.OrderBy, last)
				p, err := s.FindNodes(t.Context(), q)
				if err != nil {
					t.Fatal(err)
				}
				var rest []string
				all := everyNode(t, s, kg.NodeQuery{Kind: q.Kind, Where: q.Where, OrderBy: q.OrderBy})
				total := len(all)
				for _, n := range all {
					if kg.LessNodes(last, n, q.OrderBy) {
						rest = append(rest, n.ID)
					}
				}
				if got := nodeIDs(p.Nodes); !slices.Equal(got, rest[:min(len(rest), q.First)]) || p.TotalCount != total || p.Offset+len(rest) != total || p.HasNextPage != (len(rest) > q.First) {
					t.Errorf("after the writes, the page after the last cursor is %v (offset %d, total %d, next %v); want %v (offset %d, total %d, next %v)",
						got, p.Offset, p.TotalCount, p.HasNextPage, rest[:min(len(rest), q.First)], total-len(rest), total, len(rest) > q.First)
				}
			})
		}
	}

	t.Run("relationships of a node", func(t *testing.T) {
		h := &kg.Hop{Key: "r", First: 4, EdgeProps: []string{}, Props: []string{}}
		var lastKey []any
		var lastID string
		ids := during(t, func(next func()) []string {
			var ids []string
			for pages := 0; ; pages++ {
				res, err := s.Fetch(t.Context(), kg.FetchPlan{IDs: []string{"ks-hub"}, Props: []string{}, Hops: []*kg.Hop{h}})
				if err != nil {
					t.Fatalf("Fetch page %d: %v", pages, err)
				}
				pg := res.Roots[0].Hops["r"]
				for _, it := range pg.Items {
					key := []any{string(it.Edge.Type), it.Node.Node.ID}
					if lastKey != nil && kg.CompareValues(lastKey, lastID, key, it.Edge.ID, []bool{false, false}) >= 0 {
						t.Errorf("%s after %s: out of order", it.Edge.ID, lastID)
					}
					ids, lastKey, lastID = append(ids, it.Edge.ID), key, it.Edge.ID
				}
				if len(pg.Items) < h.First || pages > 10*originals {
					return ids
				}
				it := pg.Items[len(pg.Items)-1]
				h.After = kg.RelationCursor(h.Types, h.Direction, nil, nil, it.Edge, it.Node.Node.ID)
				next()
			}
		})
		exactlyOnce(t, ids, origEdges)
	})
}

// everyNode reads every node q selects, page by page.
func everyNode(t *testing.T, s kg.Store, q kg.NodeQuery) []*kg.Node {
	t.Helper()
	q.First, q.After = kg.MaxPageSize, ""
	var out []*kg.Node
	for {
		p, err := s.FindNodes(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Nodes...)
		if !p.HasNextPage {
			return out
		}
		q.After = kg.EndCursor(q, p)
	}
}

// normalized returns conditions normalised as a store sees them.
func normalized(t *testing.T, where []kg.Condition) []kg.Condition {
	t.Helper()
	q := kg.NodeQuery{Kind: kg.Enterprise, Where: where, First: 1}
	if err := kg.ValidateNodeQuery(&q); err != nil {
		t.Fatal(err)
	}
	return q.Where
}
