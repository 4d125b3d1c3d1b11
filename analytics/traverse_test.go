package analytics_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/innograph/innograph/analytics"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/store/backendtest"
)

// readCounter counts the nodes a store hands out whole: ids asked of
// GetNodes and neighbours of Neighbors calls that are not BareNodes.
type readCounter struct {
	kg.Store
	mu    sync.Mutex
	whole int
}

func (r *readCounter) add(n int) { r.mu.Lock(); r.whole += n; r.mu.Unlock() }

func (r *readCounter) GetNodes(ctx context.Context, ids []string) ([]*kg.Node, error) {
	r.add(len(ids))
	return r.Store.GetNodes(ctx, ids)
}

func (r *readCounter) Neighbors(ctx context.Context, q kg.NeighborQuery) (map[string][]kg.Neighbor, error) {
	res, err := r.Store.Neighbors(ctx, q)
	if !q.BareNodes {
		for _, ns := range res {
			r.add(len(ns))
		}
	}
	return res, err
}

// TestNeighborhoodReadsOnlyKeptNodesWhole: from an enterprise in an
// industry of 300 enterprises, a neighbourhood of 10 nodes reads 10 nodes
// whole, not the industry's 300.
func TestNeighborhoodReadsOnlyKeptNodesWhole(t *testing.T) {
	node := func(id string, k kg.Kind) kg.Node {
		return kg.Node{ID: id, Kind: k, Props: kg.Props{"name": "节点" + id}}
	}
	b := kg.Batch{Nodes: []kg.Node{node("hub", kg.Industry)}}
	for i := range 300 {
		id := fmt.Sprintf("e%03d", i)
		b.Nodes = append(b.Nodes, node(id, kg.Enterprise))
		b.Edges = append(b.Edges, kg.Edge{ID: "in-" + id, Type: kg.InIndustry, From: id, To: "hub"})
	}
	st := backendtest.Embedded(t)
	backendtest.Load(t, st, []kg.Batch{b})
	for _, c := range []struct {
		depth, limit, nodes int
		truncated           bool
	}{
		{1, 10, 2, false}, // e000 and its industry
		{2, 10, 10, true}, // and 8 of the industry's enterprises
		{2, 301, 301, false},
	} {
		t.Run(fmt.Sprintf("depth %d limit %d", c.depth, c.limit), func(t *testing.T) {
			rc := &readCounter{Store: st}
			sg, err := analytics.Neighborhood(t.Context(), rc, analytics.NeighborhoodQuery{ID: "e000", Depth: c.depth, Limit: c.limit})
			if err != nil {
				t.Fatal(err)
			}
			if len(sg.Nodes) != c.nodes || sg.Truncated != c.truncated || len(sg.Edges) != c.nodes-1 {
				t.Fatalf("%d nodes, %d edges, truncated %v; want %d, %d, %v", len(sg.Nodes), len(sg.Edges), sg.Truncated, c.nodes, c.nodes-1, c.truncated)
			}
			for _, n := range sg.Nodes {
				if n.Node.Name() == "" {
					t.Errorf("node %s is not whole: %+v", n.Node.ID, n.Node)
				}
			}
			if rc.whole != c.nodes {
				t.Errorf("read %d nodes whole for a subgraph of %d", rc.whole, c.nodes)
			}
		})
	}
}

// TestPeriod: the years a relationship held, as a path's explanation
// names them.
func TestPeriod(t *testing.T) {
	for _, tc := range []struct {
		props kg.Props
		want  string
	}{
		{kg.Props{"since": int64(2019), "until": int64(2023)}, "2019–2023"},
		{kg.Props{"since": int64(2019)}, "2019–"},
		{kg.Props{"until": int64(2023)}, "–2023"},
		{kg.Props{"since": int64(2021), "until": int64(2021)}, "2021"},
		{kg.Props{"year": int64(2022)}, "2022"},
		{kg.Props{"since": int64(2020), "year": int64(2022)}, "2020–"},
		{kg.Props{}, ""},
	} {
		if got := analytics.Period(&kg.Edge{Type: kg.Supplies, Props: tc.props}); got != tc.want {
			t.Errorf("Period(%v) = %q, want %q", tc.props, got, tc.want)
		}
	}
}
