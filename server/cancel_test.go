//go:build unix

package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/backendtest"
)

// cpuTime is the CPU time (user and system) the process has used so far.
func cpuTime(t testing.TB) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatalf("measuring CPU time: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestResolversStopWhenRequestEnds sends a query of 20 betweenness
// aliases over the demo at scale 30 (each alias reads its own projection
// of the whole graph, more than analytics.MaxExactNodes nodes, and runs
// analytics.Samples breadth-first searches over it) through
// server.Handler, and ends the request while they run: its client
// leaves, or its timeout passes. Every resolver must stop soon after:
// the CPU time the process uses from the end of the request until the
// request's goroutines are gone is measured and must stay under half a
// second (it was about 2 s of CPU, and 4 s, before the algorithms looked
// at their context as they went).
func TestResolversStopWhenRequestEnds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs betweenness many times over")
	}
	st := backendtest.Embedded(t)
	backendtest.LoadDemo(t, st, 30)
	var q strings.Builder
	q.WriteString("{")
	for i := range 20 {
		fmt.Fprintf(&q, " a%d: centrality(metric: BETWEENNESS, top: 3) { nodeCount }", i)
	}
	q.WriteString(" }")
	body := fmt.Sprintf(`{"query": %q}`, q.String())

	for _, tc := range []struct {
		name string
		// timeout is the request timeout; leave, when set, is when the
		// client leaves.
		timeout, leave time.Duration
	}{
		{"client leaves", time.Minute, 500 * time.Millisecond},
		{"timeout", 500 * time.Millisecond, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := server.DefaultConfig()
			cfg.MaxComplexity = 1 << 30
			cfg.MaxAnalyticsFields = 100
			cfg.Timeout = tc.timeout
			h := server.Handler(cfg, st, &server.Readiness{}, slog.New(slog.DiscardHandler))
			runtime.GC()
			before := runtime.NumGoroutine()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			served := make(chan struct{})
			go func() {
				defer close(served)
				h.ServeHTTP(rec, req)
			}()
			var cpuAt time.Duration
			var wallAt time.Time
			if tc.leave > 0 {
				time.Sleep(tc.leave)
				cpuAt, wallAt = cpuTime(t), time.Now()
				cancel()
				<-served
			} else {
				<-served
				cpuAt, wallAt = cpuTime(t), time.Now()
				if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "TIMEOUT") {
					t.Fatalf("the request answered %d %.200s before its timeout", rec.Code, rec.Body.String())
				}
			}
			// The handler answers at once; wait for the resolvers.
			giveUp := time.Now().Add(30 * time.Second)
			for runtime.NumGoroutine() > before && time.Now().Before(giveUp) {
				time.Sleep(5 * time.Millisecond)
			}
			cpu, wall := cpuTime(t)-cpuAt, time.Since(wallAt)
			t.Logf("after the request ended: %v of CPU, %v until its goroutines were gone", cpu.Round(time.Millisecond), wall.Round(time.Millisecond))
			if n := runtime.NumGoroutine(); n > before {
				buf := make([]byte, 1<<16)
				t.Fatalf("%d goroutines left running (%d before the request):\n%s", n, before, buf[:runtime.Stack(buf, true)])
			}
			if cpu > 500*time.Millisecond {
				t.Errorf("%v of CPU after the request ended, want at most 500ms", cpu)
			}
		})
	}
}
