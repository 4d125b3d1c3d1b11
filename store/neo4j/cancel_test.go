package neo4j_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/store/backendtest"
	"github.com/innograph/innograph/store/neo4j/neo4jtest"
)

// cypherRunningProjections counts the transactions of the server that are
// running a projection's statement (the end of cypherProjectEdges).
const cypherRunningProjections = `SHOW TRANSACTIONS YIELD currentQuery
WHERE currentQuery CONTAINS 'collect(r.id) AS ids' AND NOT currentQuery CONTAINS 'SHOW TRANSACTIONS'
RETURN currentQuery`

// TestProjectStopsWhenCancelled cancels projections of the whole demo
// (scale 3) a quarter and half way through a whole one's time: Project
// must return an error wrapping context.Canceled (the driver stops
// waiting for the records, and the decoding looks at the context too),
// and the server must not still be running the projection's statement
// 5 s later. How soon Project returned, and whether the server was still
// running the statement just after, are logged.
func TestProjectStopsWhenCancelled(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo into Neo4j")
	}
	s := neo4jtest.Open(t)
	backendtest.LoadDemo(t, s, 3)
	r, err := neo4jtest.NewReader(neo4jtest.Config())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	q := kg.ProjectionQuery{EdgeProps: true, NodeProps: []string{"name", "district"}, Limit: kg.MaxProjection}
	start := time.Now()
	if _, err := s.Project(t.Context(), q); err != nil {
		t.Fatal(err)
	}
	whole := time.Since(start)
	t.Logf("a whole projection takes %v", whole.Round(time.Millisecond))
	for _, share := range []int{4, 2} {
		ctx, cancel := context.WithCancel(t.Context())
		fired := make(chan time.Time, 1)
		timer := time.AfterFunc(whole/time.Duration(share), func() { fired <- time.Now(); cancel() })
		_, err := s.Project(ctx, q)
		returned := time.Now()
		if timer.Stop() {
			t.Logf("cancelled after 1/%d of the time: the projection ended first", share)
			cancel()
			continue
		}
		cancelledAt := <-fired
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled after 1/%d of the time: %v, want an error wrapping context.Canceled", share, err)
		}
		// The server ends the transaction once the driver lets it go.
		var running, first int
		for i := range 100 {
			if running, err = r.Count(t.Context(), cypherRunningProjections, nil); err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				first = running
			}
			if running == 0 {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Logf("cancelled after 1/%d of the time: returned %v later; projections running on the server then: %d", share, returned.Sub(cancelledAt).Round(time.Millisecond), first)
		if running > 0 {
			t.Errorf("cancelled after 1/%d of the time: the server still runs the projection 5 s later", share)
		}
	}
}
