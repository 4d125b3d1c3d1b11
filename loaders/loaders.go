// Package loaders batches the store look-ups of nested GraphQL fields:
// loaders are created per request (Middleware), and every nested field of
// one depth shares one store call per kind of look-up. The request's plan
// scorer (analytics.PlanScorer) lives beside them, for the same reason:
// what one field reads, the others of the request reuse.
package loaders

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vikstrous/dataloadgen"

	"github.com/innograph/innograph/analytics"
	"github.com/innograph/innograph/kg"
)

// DefaultWait is how long a loader collects keys before it calls the
// store, unless told otherwise.
const DefaultWait = 3 * time.Millisecond

type ctxKey struct{}

// Loaders are the per-request loaders.
type Loaders struct {
	nodes     *dataloadgen.Loader[string, *kg.Node]
	neighbors *dataloadgen.Loader[NeighborKey, []kg.Neighbor]
	scorer    *analytics.PlanScorer
}

// NeighborKey selects the relationships of one node.
type NeighborKey struct {
	ID string
	// Types is the relationship types joined by ",", empty for all.
	Types     string
	Direction kg.Direction
	AsOf      int
}

// NewNeighborKey builds a key; the order of types does not matter.
func NewNeighborKey(id string, types []kg.RelType, dir kg.Direction, asOf int) NeighborKey {
	ts := make([]string, len(types))
	for i, t := range types {
		ts[i] = string(t)
	}
	slices.Sort(ts)
	return NeighborKey{ID: id, Types: strings.Join(slices.Compact(ts), ","), Direction: dir, AsOf: asOf}
}

// New returns fresh loaders over store that collect keys for wait.
func New(store kg.Store, wait time.Duration) *Loaders {
	return &Loaders{
		scorer: analytics.NewPlanScorer(store),
		nodes: dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]*kg.Node, []error) {
			ns, err := store.GetNodes(ctx, ids)
			if err != nil {
				return nil, fill(len(ids), err)
			}
			return ns, nil
		}, dataloadgen.WithWait(wait)),
		neighbors: dataloadgen.NewLoader(func(ctx context.Context, keys []NeighborKey) ([][]kg.Neighbor, []error) {
			return fetchNeighbors(ctx, store, keys)
		}, dataloadgen.WithWait(wait)),
	}
}

// fetchNeighbors makes one store call per distinct (types, direction,
// asOf) among keys, concurrently, and returns the results in key order.
func fetchNeighbors(ctx context.Context, store kg.Store, keys []NeighborKey) ([][]kg.Neighbor, []error) {
	type group struct {
		q   kg.NeighborQuery
		res map[string][]kg.Neighbor
		err error
	}
	groups := map[NeighborKey]*group{}
	var order []*group
	for _, k := range keys {
		gk := NeighborKey{Types: k.Types, Direction: k.Direction, AsOf: k.AsOf}
		g, ok := groups[gk]
		if !ok {
			g = &group{q: kg.NeighborQuery{Direction: k.Direction, AsOf: k.AsOf}}
			if k.Types != "" {
				for _, t := range strings.Split(k.Types, ",") {
					g.q.Types = append(g.q.Types, kg.RelType(t))
				}
			}
			groups[gk] = g
			order = append(order, g)
		}
		g.q.IDs = append(g.q.IDs, k.ID)
	}
	var wg sync.WaitGroup
	for _, g := range order {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g.res, g.err = store.Neighbors(ctx, g.q)
		}()
	}
	wg.Wait()
	out := make([][]kg.Neighbor, len(keys))
	errs := make([]error, len(keys))
	for i, k := range keys {
		g := groups[NeighborKey{Types: k.Types, Direction: k.Direction, AsOf: k.AsOf}]
		out[i], errs[i] = g.res[k.ID], g.err
	}
	return out, errs
}

func fill(n int, err error) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = err
	}
	return errs
}

// Middleware puts fresh loaders over store into every request's context.
func Middleware(store kg.Store, wait time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(With(r.Context(), New(store, wait))))
	})
}

// With returns ctx carrying l.
func With(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// For returns the loaders of the request; it panics when Middleware (or
// With) did not run, which is a wiring bug.
func For(ctx context.Context) *Loaders {
	return ctx.Value(ctxKey{}).(*Loaders)
}

// PlanScorer is the request's plan scorer: it answers planProgress and
// its contributors, keeping what the request read (see
// analytics.PlanScorer).
func (l *Loaders) PlanScorer() *analytics.PlanScorer { return l.scorer }

// Node loads one node; nil when there is none.
func (l *Loaders) Node(ctx context.Context, id string) (*kg.Node, error) {
	return l.nodes.Load(ctx, id)
}

// Nodes loads many nodes, in the order of ids; nil where there is none.
func (l *Loaders) Nodes(ctx context.Context, ids []string) ([]*kg.Node, error) {
	return l.nodes.LoadAll(ctx, ids)
}

// Neighbors loads the relationships of one node with their other ends.
func (l *Loaders) Neighbors(ctx context.Context, k NeighborKey) ([]kg.Neighbor, error) {
	return l.neighbors.Load(ctx, k)
}
