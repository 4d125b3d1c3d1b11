package embedded_test

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/store/backendtest"
)

// lookCtx is a context that counts the looks at it (calls of Err) and is
// cancelled from the look numbered at on: a cancellation that lands just
// before that look.
type lookCtx struct {
	context.Context
	at    int64
	looks atomic.Int64
}

func (c *lookCtx) Err() error {
	if c.looks.Add(1) >= c.at {
		return context.Canceled
	}
	return nil
}

// TestAnalyticsReadsStopAtFirstLook runs the store's analytics reads
// (a projection of the whole graph, the neighbours of every node, a path
// search between the two busiest nodes) over the demo at scale 10, first
// to the end, counting how often they look at their context, then
// cancelled at their first, middle and last look: each must stop at the
// look that sees the cancellation, with the context's error. The
// projection must look at least once per 16,384 relationships, and
// Neighbors once per 4,096 relationship ends; the CPU time of a whole
// run per look is logged (what a cancellation costs at most, on
// average).
func TestAnalyticsReadsStopAtFirstLook(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo at scale 10")
	}
	st := backendtest.Embedded(t)
	backendtest.LoadDemo(t, st, 10)
	ctx := t.Context()
	stats, err := st.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.Project(ctx, kg.ProjectionQuery{Limit: kg.MaxProjection})
	if err != nil {
		t.Fatal(err)
	}
	degree := map[string]int{}
	for _, e := range p.Edges {
		degree[e.From]++
		degree[e.To]++
	}
	ids := make([]string, 0, len(degree))
	for id := range degree {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int { return cmp.Or(cmp.Compare(degree[b], degree[a]), cmp.Compare(a, b)) })

	for _, tc := range []struct {
		name     string
		minLooks int64
		run      func(ctx context.Context) error
	}{
		{"Project", int64(stats.Edges / (1 << 14)), func(ctx context.Context) error {
			_, err := st.Project(ctx, kg.ProjectionQuery{EdgeProps: true, NodeProps: []string{"name"}, Limit: kg.MaxProjection})
			return err
		}},
		{"Neighbors", int64(2 * stats.Edges / (1 << 12)), func(ctx context.Context) error {
			_, err := st.Neighbors(ctx, kg.NeighborQuery{IDs: ids, BareNodes: true})
			return err
		}},
		{"Paths", 2, func(ctx context.Context) error {
			_, err := st.Paths(ctx, kg.PathQuery{From: ids[0], To: ids[1], MaxHops: kg.MaxPathHops, K: kg.MaxPaths})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			whole := &lookCtx{Context: ctx, at: math.MaxInt64}
			cpu0 := cpuTime()
			if err := tc.run(whole); err != nil {
				t.Fatal(err)
			}
			cpu := cpuTime() - cpu0
			looks := whole.looks.Load()
			t.Logf("%d looks at the context, one per %v of CPU", looks, (cpu / time.Duration(looks)).Round(time.Microsecond))
			if looks < tc.minLooks {
				t.Errorf("%d looks at the context, want at least %d", looks, tc.minLooks)
			}
			for _, at := range []int64{1, (looks + 1) / 2, looks} {
				c := &lookCtx{Context: ctx, at: at}
				err := tc.run(c)
				if !errors.Is(err, context.Canceled) {
					t.Errorf("cancelled at look %d of %d: %v, want context.Canceled", at, looks, err)
				}
				if got := c.looks.Load(); got != at {
					t.Errorf("cancelled at look %d of %d: stopped after %d looks", at, looks, got)
				}
			}
		})
	}
}
