package neo4j_test

import (
	"context"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/store/neo4j"
	"github.com/innograph/innograph/store/neo4j/neo4jtest"
)

// TestStatementTimings checks that the reads' statements add the server's
// timings to the span of their context when it records, and nothing when
// it does not (a span that is not sampled).
func TestStatementTimings(t *testing.T) {
	s := neo4jtest.Open(t)
	ctx := t.Context()
	nodes := []kg.Node{{ID: "t1", Kind: kg.Enterprise, Props: kg.Props{"name": "计时一"}}, {ID: "t2", Kind: kg.Enterprise, Props: kg.Props{"name": "计时二"}}}
	if _, err := s.Apply(ctx, kg.Batch{Nodes: nodes, Edges: []kg.Edge{{ID: "te", Type: kg.Supplies, From: "t1", To: "t2"}}}); err != nil {
		t.Fatal(err)
	}
	reads := []struct {
		name string
		run  func(context.Context) error
	}{
		{"GetNodes", func(ctx context.Context) error { _, err := s.GetNodes(ctx, []string{"t1", "t2"}); return err }},
		{"FindNodes", func(ctx context.Context) error {
			_, err := s.FindNodes(ctx, kg.NodeQuery{Kind: kg.Enterprise, First: 10})
			return err
		}},
		{"Neighbors", func(ctx context.Context) error {
			_, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: []string{"t1"}})
			return err
		}},
	}
	for _, r := range reads {
		for _, sampled := range []bool{true, false} {
			rec := tracetest.NewSpanRecorder()
			sampler := sdktrace.NeverSample()
			if sampled {
				sampler = sdktrace.AlwaysSample()
			}
			tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sampler), sdktrace.WithSpanProcessor(rec))
			sctx, span := tp.Tracer("test").Start(ctx, "kg.Store/"+r.name)
			if err := r.run(sctx); err != nil {
				t.Fatalf("%s: %v", r.name, err)
			}
			span.End()
			ended := rec.Ended()
			if !sampled {
				if len(ended) != 0 {
					t.Errorf("%s, not sampled: %d spans recorded", r.name, len(ended))
				}
				continue
			}
			if len(ended) != 1 {
				t.Fatalf("%s: %d spans, want 1", r.name, len(ended))
			}
			events := 0
			for _, e := range ended[0].Events() {
				if e.Name != neo4j.StatementEvent {
					continue
				}
				events++
				keys := map[string]int64{}
				for _, a := range e.Attributes {
					keys[string(a.Key)] = a.Value.AsInt64()
				}
				for _, k := range []string{"innograph.neo4j.result_available_after_ms", "innograph.neo4j.result_consumed_after_ms"} {
					if v, ok := keys[k]; !ok || v < 0 {
						t.Errorf("%s: event %s has %s = %d (present %v)", r.name, e.Name, k, v, ok)
					}
				}
			}
			if events == 0 {
				t.Errorf("%s: no %s event on the span; events: %v", r.name, neo4j.StatementEvent, ended[0].Events())
			}
			tp.Shutdown(ctx)
		}
	}
}
