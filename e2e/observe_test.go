package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/innograph/innograph/seed"
)

// collector is an OTLP/HTTP trace receiver: it keeps the names of the
// spans and the resource attributes it is sent.
type collector struct {
	mu       sync.Mutex
	spans    map[string]bool
	resource map[string]string
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	var req collectortrace.ExportTraceServiceRequest
	if r.URL.Path != "/v1/traces" || proto.Unmarshal(b, &req) != nil {
		http.Error(w, "want OTLP protobuf at /v1/traces", http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	for _, rs := range req.ResourceSpans {
		for _, a := range rs.Resource.Attributes {
			c.resource[a.Key] = a.Value.GetStringValue()
		}
		for _, ss := range rs.ScopeSpans {
			for _, sp := range ss.Spans {
				c.spans[sp.Name] = true
			}
		}
	}
	c.mu.Unlock()
	out, _ := proto.Marshal(&collectortrace.ExportTraceServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.Write(out)
}

// otelEnv starts a collector and returns the environment that sends a
// server's traces to it.
func otelEnv(t *testing.T) (*collector, []string) {
	c := &collector{spans: map[string]bool{}, resource: map[string]string{}}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	return c, []string{"OTEL_EXPORTER_OTLP_ENDPOINT=" + srv.URL, "OTEL_BSP_SCHEDULE_DELAY=100"}
}

// TestServeObservability runs the binary on the embedded store with
// traces sent to an in-process OTLP/HTTP collector and a slow-request
// threshold every request passes, and checks what it shows (see
// checkObservability), and that the rows its first start seeded are
// counted.
func TestServeObservability(t *testing.T) {
	bin := buildBinary(t)
	col, env := otelEnv(t)
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	s := startServer(t, bin, t.TempDir(), "--log-format", "json", "--slow-request", "1ns")
	demo := seed.Demo(seed.Config{Scale: 1, Seed: 1})
	checkObservability(t, s, col, "embedded", map[string]float64{
		`innograph_store_rows_total{direction="written",item="node"}`:         float64(len(demo.Nodes)),
		`innograph_store_rows_total{direction="written",item="relationship"}`: float64(len(demo.Edges)),
	})
}

// TestNeo4jServeObservability is TestServeObservability on Neo4j.
func TestNeo4jServeObservability(t *testing.T) {
	bin := buildBinary(t)
	cfg := useNeo4j(t)
	col, env := otelEnv(t)
	s := startWith(t, bin, append(processEnv(cfg), env...), "--store", "neo4j", "--no-seed", "--log-format", "json", "--slow-request", "1ns")
	checkObservability(t, s, col, "neo4j", nil)
}

// checkObservability makes one request to s and checks its histogram
// and store calls in /metrics (with the store's open time, the embedded
// store's size, and the series of more), its log lines, and its spans,
// sent to col by the time the server has stopped.
func checkObservability(t *testing.T, s *server, col *collector, backend string, more map[string]float64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s.graphql(ctx, `query TopFive { enterprises(first: 5, filter: {district: "中山区"}) { edges { node { id name } } } }`)

	resp, err := http.Get(s.baseURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	metrics := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(string(body)))
	for sc.Scan() {
		if l := sc.Text(); !strings.HasPrefix(l, "#") && l != "" {
			i := strings.LastIndexByte(l, ' ')
			v, _ := strconv.ParseFloat(l[i+1:], 64)
			metrics[l[:i]] = v
		}
	}
	for _, c := range []struct {
		series string
		ok     func(float64) bool
		want   string
	}{
		{`innograph_request_duration_seconds_count{operation="TopFive"}`, func(v float64) bool { return v == 1 }, "1"},
		{`innograph_requests_total{operation="TopFive",outcome="ok"}`, func(v float64) bool { return v == 1 }, "1"},
		{`innograph_store_calls_total{backend="` + backend + `",method="Fetch",outcome="ok"}`, func(v float64) bool { return v >= 1 }, "at least 1"},
		{`innograph_store_open_seconds{backend="` + backend + `"}`, func(v float64) bool { return v > 0 }, "above 0"},
	} {
		if v, ok := metrics[c.series]; !ok || !c.ok(v) {
			t.Errorf("%s = %v (present %v), want %s", c.series, v, ok, c.want)
		}
	}
	for series, want := range more {
		if v, ok := metrics[series]; !ok || v != want {
			t.Errorf("%s = %v (present %v), want %v", series, v, ok, want)
		}
	}
	if v, ok := metrics[`innograph_embedded_store_bytes`]; ok != (backend == "embedded") || (ok && v <= 0) {
		t.Errorf("innograph_embedded_store_bytes = %v (present %v) on the %s store", v, ok, backend)
	}

	s.stop(stopTimeout)
	var request, slow map[string]any
	for _, l := range strings.Split(s.output(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) != nil || m["path"] != "/graphql" {
			continue
		}
		switch m["msg"] {
		case "request":
			request = m
		case "slow request":
			slow = m
		}
	}
	if request == nil || request["operation"] != "TopFive" || request["storeCalls"] == float64(0) || request["complexity"] == float64(0) {
		t.Errorf("request log line: %v", request)
	}
	if slow == nil || slow["shape"] != "query TopFive { enterprises(first: filter:) { edges { node { id name } } } }" {
		t.Errorf("slow request log line: %v", slow)
	}
	col.mu.Lock()
	defer col.mu.Unlock()
	for _, name := range []string{"POST /graphql", "Query.enterprises", "kg.Store/Fetch"} {
		if !col.spans[name] {
			t.Errorf("the collector got no %q span; got %v", name, col.spans)
		}
	}
	if col.resource["service.name"] != "innograph" {
		t.Errorf("service.name %q, want innograph", col.resource["service.name"])
	}
}
