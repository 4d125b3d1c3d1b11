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

// TestServeObservability runs the binary with traces sent to an
// in-process OTLP/HTTP collector and a slow-request threshold every
// request passes, and checks what it shows: the request's histogram and
// store calls in /metrics, the store's open time and size, the rows its
// first start seeded, the request's log lines, and its spans, sent by
// the time the server has stopped.
func TestServeObservability(t *testing.T) {
	bin := buildBinary(t)
	var (
		mu    sync.Mutex
		spans = map[string]bool{}
		names = map[string]string{}
	)
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var req collectortrace.ExportTraceServiceRequest
		if r.URL.Path != "/v1/traces" || proto.Unmarshal(b, &req) != nil {
			http.Error(w, "want OTLP protobuf at /v1/traces", http.StatusBadRequest)
			return
		}
		mu.Lock()
		for _, rs := range req.ResourceSpans {
			for _, a := range rs.Resource.Attributes {
				names[a.Key] = a.Value.GetStringValue()
			}
			for _, ss := range rs.ScopeSpans {
				for _, sp := range ss.Spans {
					spans[sp.Name] = true
				}
			}
		}
		mu.Unlock()
		out, _ := proto.Marshal(&collectortrace.ExportTraceServiceResponse{})
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.Write(out)
	}))
	defer collector.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL)
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "100")

	s := startServer(t, bin, t.TempDir(), "--log-format", "json", "--slow-request", "1ns")
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
	demo := seed.Demo(seed.Config{Scale: 1, Seed: 1})
	for _, c := range []struct {
		series string
		ok     func(float64) bool
		want   string
	}{
		{`innograph_request_duration_seconds_count{operation="TopFive"}`, func(v float64) bool { return v == 1 }, "1"},
		{`innograph_requests_total{operation="TopFive",outcome="ok"}`, func(v float64) bool { return v == 1 }, "1"},
		{`innograph_store_calls_total{backend="embedded",method="Fetch",outcome="ok"}`, func(v float64) bool { return v >= 1 }, "at least 1"},
		{`innograph_store_open_seconds{backend="embedded"}`, func(v float64) bool { return v > 0 }, "above 0"},
		{`innograph_embedded_store_bytes`, func(v float64) bool { return v > 0 }, "above 0"},
		{`innograph_store_rows_total{direction="written",item="node"}`, func(v float64) bool { return v == float64(len(demo.Nodes)) }, strconv.Itoa(len(demo.Nodes)) + " (the demo seeded)"},
		{`innograph_store_rows_total{direction="written",item="relationship"}`, func(v float64) bool { return v == float64(len(demo.Edges)) }, strconv.Itoa(len(demo.Edges))},
	} {
		if v, ok := metrics[c.series]; !ok || !c.ok(v) {
			t.Errorf("%s = %v (present %v), want %s", c.series, v, ok, c.want)
		}
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
	mu.Lock()
	defer mu.Unlock()
	for _, name := range []string{"POST /graphql", "Query.enterprises", "kg.Store/Fetch"} {
		if !spans[name] {
			t.Errorf("the collector got no %q span; got %v", name, spans)
		}
	}
	if names["service.name"] != "innograph" {
		t.Errorf("service.name %q, want innograph", names["service.name"])
	}
}
