package analytics_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/innograph/innograph/analytics"
)

// cancelGraph is the graph of the cancellation tests: 50,000 nodes and
// 250,000 random relationships, large enough that every algorithm looks
// at its context many times.
const cancelNodes, cancelEdges = 50_000, 250_000

// TestStopsSoonAfterCancel runs every algorithm once to completion,
// counting its units of work, then again with its context cancelled after
// a tenth, three tenths and half of that work. The run must end with
// context.Canceled, having done at most one look's worth of work
// (CheckEvery units, plus the largest single step) per goroutine after
// the cancellation. The CPU time the process used from the cancellation
// until the algorithm returned is measured and logged, and must stay
// under a generous half second.
func TestStopsSoonAfterCancel(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a graph of 250,000 relationships")
	}
	p := randomProjection(11, cancelNodes, cancelEdges)
	g := mustGraph(t, p)
	labels := must[[]int32](t)(analytics.ComponentLabels(t.Context(), g))
	sources := analytics.Sources(g.Len(), 0, 64)
	for _, tc := range []struct {
		name string
		// goroutines is how many goroutines share the work, each with
		// its own meter.
		goroutines int
		run        func(ctx context.Context) error
	}{
		{"NewGraph", 1, func(ctx context.Context) error { _, err := analytics.NewGraph(ctx, p); return err }},
		{"PageRank", 1, func(ctx context.Context) error {
			_, err := analytics.PageRankScores(ctx, g, 0.85, 1e-12, 200)
			return err
		}},
		{"Betweenness", 4, func(ctx context.Context) error { _, err := analytics.BetweennessScores(ctx, g, sources); return err }},
		{"Closeness", 4, func(ctx context.Context) error { _, err := analytics.ClosenessScores(ctx, g, sources); return err }},
		{"ConnectedComponents", 1, func(ctx context.Context) error { _, err := analytics.ComponentLabels(ctx, g); return err }},
		{"LabelPropagation", 1, func(ctx context.Context) error { _, err := analytics.LabelPropagationLabels(ctx, g); return err }},
		{"Louvain", 1, func(ctx context.Context) error { _, err := analytics.LouvainLabels(ctx, g); return err }},
		{"Modularity", 1, func(ctx context.Context) error { _, err := analytics.Modularity(ctx, g, labels); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A whole run: its work, and the longest stretch of work
			// between two looks at the context (CheckEvery units and the
			// step that crosses them: one node's relationships, say).
			var total, longest atomic.Int64
			analytics.Observe(func(units int) {
				total.Add(int64(units))
				if int64(units) > longest.Load() {
					longest.Store(int64(units))
				}
			})
			err := tc.run(t.Context())
			analytics.Observe(nil)
			if err != nil {
				t.Fatal(err)
			}
			whole := total.Load()
			if whole < int64(20*tc.goroutines*analytics.CheckEvery) {
				t.Fatalf("%d units of work: too few for the test", whole)
			}
			if longest.Load() > 2*analytics.CheckEvery {
				t.Errorf("%d units of work between two looks at the context, want at most %d", longest.Load(), 2*analytics.CheckEvery)
			}
			// After the cancellation, each goroutine does at most the
			// rest of its stretch.
			bound := int64(tc.goroutines) * longest.Load()
			for _, share := range []float64{0.1, 0.3, 0.5} {
				after, cpu, err := cancelAfter(tc.run, &total, int64(share*float64(whole)))
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("cancelled after %.0f%% of the work: %v, want context.Canceled", share*100, err)
				}
				t.Logf("cancelled after %3.0f%% of %d units: %d units (bound %d) and %v of CPU after the cancellation",
					share*100, whole, after, bound, cpu.Round(10*time.Microsecond))
				if after > bound {
					t.Errorf("cancelled after %.0f%% of the work: %d units of work after the cancellation, want at most %d", share*100, after, bound)
				}
				if cpu > 500*time.Millisecond {
					t.Errorf("cancelled after %.0f%% of the work: %v of CPU after the cancellation", share*100, cpu)
				}
			}
		})
	}
}

// cancelAfter runs run under a context that is cancelled at the first look
// at it once total (which the observer fills) reaches at units: the
// observer, called at each look, cancels it there, so the cancellation
// lands where the test asks on a loaded machine as on a quiet one. It
// returns the units of work counted after the cancellation (by every
// goroutine of the run), the CPU time the process used from just before
// the cancellation until run returned (0 where it cannot be measured),
// and run's error.
func cancelAfter(run func(context.Context) error, total *atomic.Int64, at int64) (int64, time.Duration, error) {
	total.Store(0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var (
		once    sync.Once
		unitsAt int64
		cpuAt   time.Duration
	)
	analytics.Observe(func(units int) {
		if total.Add(int64(units)) >= at {
			once.Do(func() {
				cpuAt, _ = cpuTime()
				cancel()
				unitsAt = total.Load()
			})
		}
	})
	defer analytics.Observe(nil)
	err := run(ctx)
	cpuEnd, ok := cpuTime()
	var cpu time.Duration
	if ok && cpuAt > 0 {
		cpu = cpuEnd - cpuAt
	}
	if unitsAt == 0 { // never cancelled
		return 0, cpu, err
	}
	return total.Load() - unitsAt, cpu, err
}
