//go:build unix

package graph_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/observe"
	"github.com/innograph/innograph/seed"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/neo4j/neo4jtest"
	"github.com/innograph/innograph/store/observed"
)

// BenchmarkObserve measures what metrics and traces cost in CPU, which
// bounds a busy server's throughput. For each query of BenchmarkAPI (over
// the district demo) and each observed variant, it sends blocks of
// requests through two whole HTTP handlers in turn, a bare one (no
// metrics, a no-op tracer) and an observed one, starting with each in
// turn (after collecting the garbage of the variant before), and takes
// the process's CPU time (getrusage: every goroutine's, the trace
// exporter's too) and the wall time of each block. It reports
// the CPU time of a request through each (bare-cpu-µs, observed-cpu-µs)
// and the observed one's extra CPU and wall time in per cent. The
// variants: metrics (the registry and the store decorator); metrics and
// traces (an SDK tracer provider that samples every request and exports
// its spans in batches by OTLP/HTTP to an in-process collector that
// discards them); the same sampling one request in ten, and one in a
// hundred (a parent-based ratio sampler, what
// OTEL_TRACES_SAMPLER=parentbased_traceidratio and
// OTEL_TRACES_SAMPLER_ARG=0.1 or 0.01 set up). It runs on the embedded
// store, or with INNOGRAPH_BENCH_STORE=neo4j on Neo4j (the test database,
// emptied and seeded with the demo; see neo4jtest), whose own CPU is not
// counted.
func BenchmarkObserve(b *testing.B) {
	var (
		st      kg.Store
		backend string
	)
	switch env := os.Getenv("INNOGRAPH_BENCH_STORE"); env {
	case "", "embedded":
		st, backend = demoStore(b, 1), "embedded"
	case "neo4j":
		neo := neo4jtest.Open(b)
		ds := seed.Demo(seed.Config{Scale: 1, Seed: 1})
		if _, err := neo.Replace(context.Background(), kg.Batch{Nodes: ds.Nodes, Edges: ds.Edges}); err != nil {
			b.Fatal(err)
		}
		st, backend = neo, "neo4j"
	default:
		b.Fatalf("INNOGRAPH_BENCH_STORE=%q: want embedded or neo4j", env)
	}
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	defer collector.Close()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := server.DefaultConfig()
	cfg.TracerProvider = noop.NewTracerProvider()
	bare := server.Handler(cfg, st, &server.Readiness{}, quiet)

	var first struct {
		Enterprises struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	apitest.NewClient(b, server.DefaultConfig(), st).MustData(`{ enterprises(first: 1) { edges { node { id } } } }`, nil, &first)
	queries := []struct {
		name, query string
		block       int // requests per block
	}{
		{"point", `query Point { node(id: "$ID") { id name ... on Enterprise { creditCode figures { year revenue } } } }`, 64},
		{"list50", `query List50 { enterprises(first: 50, filter: {district: "中山区"}, orderBy: [{field: REVENUE, year: 2025, direction: DESC}]) { totalCount edges { node { id name creditCode } } } }`, 16},
		{"nested", apitest.NestedQuery, 4},
		{"deep", apitest.DeepQuery, 8},
	}
	for _, q := range queries {
		body, _ := json.Marshal(map[string]any{"query": strings.ReplaceAll(q.query, "$ID", first.Enterprises.Edges[0].Node.ID)})
		for _, v := range []struct {
			name    string
			sampled float64 // the share of requests traced
		}{{"metrics", 0}, {"metrics+traces", 1}, {"metrics+traces10%", 0.1}, {"metrics+traces1%", 0.01}} {
			b.Run(q.name+"/"+v.name, func(b *testing.B) {
				cfg := server.DefaultConfig()
				cfg.Metrics = observe.NewMetrics()
				cfg.TracerProvider = noop.NewTracerProvider()
				if v.sampled > 0 {
					exp, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(collector.URL+"/v1/traces"))
					if err != nil {
						b.Fatal(err)
					}
					tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp),
						sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(v.sampled))))
					defer tp.Shutdown(context.Background())
					cfg.TracerProvider = trace.TracerProvider(tp)
				}
				handlers := [2]http.Handler{bare, server.Handler(cfg, observed.Wrap(st, backend, cfg.Metrics), &server.Readiness{}, quiet)}
				for _, h := range handlers {
					if code := serve(h, body); code != http.StatusOK {
						b.Fatalf("status %d", code)
					}
				}
				// Start clean: no garbage of the variant before to collect.
				runtime.GC()
				var cpu, wall [2]time.Duration
				requests := 0
				b.ReportAllocs()
				for i := 0; b.Loop(); i++ {
					for k := range 2 {
						j := (i + k) % 2
						c, w := cpuTime(b), time.Now()
						for range q.block {
							if code := serve(handlers[j], body); code != http.StatusOK {
								b.Fatalf("status %d", code)
							}
						}
						cpu[j] += cpuTime(b) - c
						wall[j] += time.Since(w)
					}
					requests += q.block
				}
				perRequest := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(requests) }
				b.ReportMetric(perRequest(cpu[0]), "bare-cpu-µs")
				b.ReportMetric(perRequest(cpu[1]), "observed-cpu-µs")
				b.ReportMetric((float64(cpu[1])/float64(cpu[0])-1)*100, "cpu-cost-%")
				b.ReportMetric((float64(wall[1])/float64(wall[0])-1)*100, "wall-cost-%")
			})
		}
	}
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// serve posts a GraphQL request body to h and returns the status.
func serve(h http.Handler, body []byte) int {
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w.Code
}
