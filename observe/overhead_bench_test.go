//go:build unix

package observe_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/observe"
	"github.com/innograph/innograph/store/observed"
)

// nodeStore answers GetNodes at once, so that only the observing costs.
type nodeStore struct{ kg.Store }

var node = &kg.Node{ID: "n1", Kind: kg.Enterprise}

func (nodeStore) GetNodes(_ context.Context, ids []string) ([]*kg.Node, error) {
	return []*kg.Node{node}, nil
}

// BenchmarkOverhead measures what observing adds to one request, apart
// from the request's own work: the middleware, the gqlgen extension
// around one root field, and one store call through store/observed, as
// a point lookup makes them, with nothing else. Variants: off (no
// metrics, a no-op tracer: what every request pays), metrics, and
// metrics with traces of every request, one in ten, one in a hundred
// (an SDK tracer provider batching and exporting by OTLP/HTTP to an
// in-process collector that discards them). It reports the process's CPU
// time per request (getrusage: the exporter's goroutines and the
// collector's included), cpu-ns/op; see docs/benchmarks.md.
func BenchmarkOverhead(b *testing.B) {
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	defer collector.Close()
	for _, v := range []struct {
		name    string
		metrics bool
		sampled float64 // the share of requests traced
	}{{"off", false, 0}, {"metrics", true, 0}, {"metrics+traces", true, 1}, {"metrics+traces10%", true, 0.1}, {"metrics+traces1%", true, 0.01}} {
		b.Run(v.name, func(b *testing.B) {
			var (
				m  *observe.Metrics
				st kg.Store             = nodeStore{}
				tp trace.TracerProvider = noop.NewTracerProvider()
			)
			if v.metrics {
				m = observe.NewMetrics()
				st = observed.Wrap(st, "embedded", m)
			}
			if v.sampled > 0 {
				exp, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(collector.URL+"/v1/traces"))
				if err != nil {
					b.Fatal(err)
				}
				p := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp),
					sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.TraceIDRatioBased(v.sampled))))
				defer p.Shutdown(context.Background())
				tp = p
			}
			ext := observe.Extension{Metrics: m}
			op := &graphql.OperationContext{Operation: &ast.OperationDefinition{Name: "Point", Operation: ast.Query}}
			field := &graphql.RootFieldContext{Object: "Query", Field: graphql.CollectedField{Field: &ast.Field{Name: "node"}}}
			ids := []string{"n1"}
			h := observe.Middleware(m, tp, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ctx := graphql.WithResponseContext(graphql.WithOperationContext(r.Context(), op), graphql.DefaultErrorPresenter, graphql.DefaultRecover)
				ext.InterceptResponse(ctx, func(ctx context.Context) *graphql.Response {
					ext.InterceptRootField(graphql.WithRootFieldContext(ctx, field), func(ctx context.Context) graphql.Marshaler {
						if _, err := st.GetNodes(ctx, ids); err != nil {
							b.Fatal(err)
						}
						return graphql.Null
					})
					return &graphql.Response{}
				})
				w.WriteHeader(http.StatusOK)
			}))
			req := httptest.NewRequest(http.MethodPost, observe.GraphQLPath, nil)
			w := httptest.NewRecorder()
			b.ReportAllocs()
			start, n := cpuTime(b), 0
			for b.Loop() {
				h.ServeHTTP(w, req)
				n++
			}
			b.ReportMetric(float64(cpuTime(b)-start)/float64(n), "cpu-ns/op")
		})
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
