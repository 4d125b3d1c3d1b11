package observe_test

import (
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/innograph/innograph/observe"
	"github.com/innograph/innograph/server"
)

// useProvider makes tp the global TracerProvider for the test.
func useProvider(t *testing.T, tp *sdktrace.TracerProvider) {
	prev, prevProp := otel.GetTracerProvider(), otel.GetTextMapPropagator()
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(propagation.TraceContext{})
	t.Cleanup(func() {
		tp.Shutdown(context.Background())
		otel.SetTracerProvider(prev)
		otel.SetTextMapPropagator(prevProp)
	})
}

// TestSpanTree checks the spans of one request: the server span, which
// continues the caller's trace, a span per root field under it, and a
// span per store call under its root field, without the query's values.
func TestSpanTree(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	useProvider(t, sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)))
	s := newServer(t, server.DefaultConfig())
	const traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	q := `query Two { enterprises(first: 3, filter: {district: "中山区"}) { edges { node { id name } } } search(text: "大连") { id } }`
	if w := s.post(t, map[string]any{"query": q}, map[string]string{"traceparent": "00-" + traceID + "-00f067aa0ba902b7-01"}); w.Code != 200 {
		t.Fatalf("request: %d %s", w.Code, w.Body)
	}
	spans := rec.Ended()
	byName := map[string][]sdktrace.ReadOnlySpan{}
	for _, sp := range spans {
		byName[sp.Name()] = append(byName[sp.Name()], sp)
		if sp.SpanContext().TraceID().String() != traceID {
			t.Errorf("span %s is in trace %s, not the caller's", sp.Name(), sp.SpanContext().TraceID())
		}
		for _, a := range sp.Attributes() {
			if v := a.Value.String(); strings.Contains(v, "中山区") || strings.Contains(v, "大连") {
				t.Errorf("span %s holds a value of the query: %s=%s", sp.Name(), a.Key, v)
			}
		}
	}
	if len(byName["POST /graphql"]) != 1 {
		t.Fatalf("server spans: %d, want 1; spans: %v", len(byName["POST /graphql"]), names(spans))
	}
	root := byName["POST /graphql"][0]
	if root.Parent().SpanID().String() != "00f067aa0ba902b7" {
		t.Errorf("the server span's parent is %s, not the caller's span", root.Parent().SpanID())
	}
	attrs := map[string]string{}
	for _, a := range root.Attributes() {
		attrs[string(a.Key)] = a.Value.String()
	}
	if attrs["graphql.operation.name"] != "Two" || attrs["http.response.status_code"] != "200" || attrs["innograph.outcome"] != "ok" {
		t.Errorf("server span attributes: %v", attrs)
	}
	stores := 0
	for _, field := range []string{"Query.enterprises", "Query.search"} {
		if len(byName[field]) != 1 {
			t.Fatalf("%s spans: %d, want 1; spans: %v", field, len(byName[field]), names(spans))
		}
		f := byName[field][0]
		if f.Parent().SpanID() != root.SpanContext().SpanID() {
			t.Errorf("%s is not a child of the server span", field)
		}
		children := 0
		for _, sp := range spans {
			if strings.HasPrefix(sp.Name(), "kg.Store/") && sp.Parent().SpanID() == f.SpanContext().SpanID() {
				children++
			}
		}
		if children == 0 {
			t.Errorf("%s has no store call span under it; spans: %v", field, names(spans))
		}
		stores += children
	}
	if got := s.counting.Total(); stores != got {
		t.Errorf("%d store call spans, %d calls counted underneath", stores, got)
	}
}

func names(spans []sdktrace.ReadOnlySpan) []string {
	out := make([]string, len(spans))
	for i, sp := range spans {
		out[i] = sp.Name()
	}
	return out
}

// collector is an OTLP/HTTP trace receiver that keeps what it is sent.
type collector struct {
	mu   sync.Mutex
	reqs []*collectortrace.ExportTraceServiceRequest
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
		http.Error(w, "want protobuf at /v1/traces", http.StatusBadRequest)
		return
	}
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		gz, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body = gz
	}
	b, err := io.ReadAll(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var req collectortrace.ExportTraceServiceRequest
	if err := proto.Unmarshal(b, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	c.reqs = append(c.reqs, &req)
	c.mu.Unlock()
	out, _ := proto.Marshal(&collectortrace.ExportTraceServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.Write(out)
}

// TestOTLPExport sets tracing up from the OTEL_* environment, as the
// server does, and checks that an in-process collector receives the
// request's spans with the service's name.
func TestOTLPExport(t *testing.T) {
	col := &collector{}
	srv := httptest.NewServer(col)
	defer srv.Close()
	prev, prevProp := otel.GetTracerProvider(), otel.GetTextMapPropagator()
	defer func() { otel.SetTracerProvider(prev); otel.SetTextMapPropagator(prevProp) }()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", srv.URL)
	t.Setenv("OTEL_SERVICE_NAME", "")
	t.Setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=test")
	shutdown, enabled, err := observe.Tracing(context.Background(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil || !enabled {
		t.Fatalf("Tracing: enabled %v, err %v", enabled, err)
	}
	s := newServer(t, server.DefaultConfig())
	s.post(t, map[string]any{"query": topQuery}, nil)
	if err := shutdown(context.Background()); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	col.mu.Lock()
	defer col.mu.Unlock()
	got := map[string]bool{}
	resource := map[string]string{}
	for _, req := range col.reqs {
		for _, rs := range req.ResourceSpans {
			for _, a := range rs.Resource.Attributes {
				resource[a.Key] = a.Value.GetStringValue()
			}
			for _, ss := range rs.ScopeSpans {
				for _, sp := range ss.Spans {
					got[sp.Name] = true
				}
			}
		}
	}
	for _, want := range []string{"POST /graphql", "Query.enterprises", "kg.Store/Fetch"} {
		if !got[want] {
			t.Errorf("the collector got no %q span; got %v", want, got)
		}
	}
	if resource["service.name"] != observe.ServiceName || resource["deployment.environment"] != "test" {
		t.Errorf("resource: %v", resource)
	}
}

func TestTracingEnabled(t *testing.T) {
	for _, c := range []struct {
		env     map[string]string
		want    bool
		wantErr string
	}{
		{nil, false, ""},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, true, ""},
		{map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, true, ""},
		{map[string]string{"OTEL_TRACES_EXPORTER": "otlp"}, true, ""},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_SDK_DISABLED": "true"}, false, ""},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_TRACES_EXPORTER": "none"}, false, ""},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"}, true, ""},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, false, "only http/protobuf"},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/protobuf"}, true, ""},
		{map[string]string{"OTEL_TRACES_EXPORTER": "zipkin"}, false, "only otlp"},
	} {
		got, err := observe.TracingEnabled(func(k string) string { return c.env[k] })
		if got != c.want || (err == nil) != (c.wantErr == "") || (err != nil && !strings.Contains(err.Error(), c.wantErr)) {
			t.Errorf("%v: %v, %v; want %v, error with %q", c.env, got, err, c.want, c.wantErr)
		}
	}
}

func TestShape(t *testing.T) {
	for _, c := range []struct{ query, op, want string }{
		{`{ node(id: "ent-1") { id } }`, "", `query { node(id:) { id } }`},
		{`query Q($d: String) { a: enterprises(first: 10, filter: {district: $d}) { totalCount } }`, "Q", `query Q { a: enterprises(first: filter:) { totalCount } }`},
		{`query F { node(id: "x") { ...N ... on Enterprise { creditCode } } } fragment N on Node { id ...M } fragment M on Node { name } fragment Unused on Node { id }`, "F",
			`query F { node(id:) { ...N ... on Enterprise { creditCode } } } fragment N on Node { id ...M } fragment M on Node { name }`},
		{`mutation M { deleteNodes(ids: ["a", "b"]) { deletedNodes } }`, "M", `mutation M { deleteNodes(ids:) { deletedNodes } }`},
	} {
		doc, op := parse(t, c.query, c.op)
		if got := observe.Shape(doc, op); got != c.want {
			t.Errorf("Shape(%s)\n got %s\nwant %s", c.query, got, c.want)
		}
	}
	long := "{ " + strings.Repeat("stats { nodes } ", 1000) + "}"
	doc, op := parse(t, long, "")
	if got := observe.Shape(doc, op); len(got) > observe.MaxShape+len("…") || !strings.HasSuffix(got, "…") {
		t.Errorf("a long shape is %d bytes, want at most %d, marked cut", len(got), observe.MaxShape)
	}
}

// TestSampling checks that a request the sampler drops makes no span at
// all, neither its own nor its root fields' or store calls', and is
// counted in the metrics all the same; and that a caller's sampled trace
// context is followed.
func TestSampling(t *testing.T) {
	const parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-"
	for _, c := range []struct {
		name        string
		sampler     sdktrace.Sampler
		traceparent string
		spans       bool
	}{
		{"never", sdktrace.ParentBased(sdktrace.NeverSample()), "", false},
		{"caller not sampled", sdktrace.ParentBased(sdktrace.AlwaysSample()), parent + "00", false},
		{"caller sampled", sdktrace.ParentBased(sdktrace.NeverSample()), parent + "01", true},
		{"always", sdktrace.ParentBased(sdktrace.AlwaysSample()), "", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := tracetest.NewSpanRecorder()
			useProvider(t, sdktrace.NewTracerProvider(sdktrace.WithSampler(c.sampler), sdktrace.WithSpanProcessor(rec)))
			s := newServer(t, server.DefaultConfig())
			header := map[string]string{}
			if c.traceparent != "" {
				header["traceparent"] = c.traceparent
			}
			if w := s.post(t, map[string]any{"query": topQuery}, header); w.Code != 200 {
				t.Fatalf("request: %d %s", w.Code, w.Body)
			}
			got := map[string]bool{}
			for _, sp := range rec.Ended() {
				got[sp.Name()] = true
			}
			if len(rec.Started()) != len(rec.Ended()) {
				t.Errorf("%d spans started, %d ended", len(rec.Started()), len(rec.Ended()))
			}
			want := map[string]bool{}
			if c.spans {
				want = map[string]bool{"POST /graphql": true, "Query.enterprises": true, "kg.Store/Fetch": true}
			}
			if !maps.Equal(got, want) {
				t.Errorf("spans %v, want %v", got, want)
			}
			if v, ok := value(s.scrape(t), `innograph_requests_total{operation="TopEnterprises",outcome="ok"}`); !ok || v != 1 {
				t.Errorf("requests counted: %v (present %v), want 1", v, ok)
			}
		})
	}
}
