package observe_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/auth"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/observe"
	"github.com/innograph/innograph/seed"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/embedded"
	"github.com/innograph/innograph/store/observed"
)

func testKeys(t *testing.T, line string) *auth.Keys {
	t.Helper()
	ks := &auth.Keys{}
	if err := ks.Parse(strings.NewReader(line), "test"); err != nil {
		t.Fatal(err)
	}
	return ks
}

var demoDir string

func tempDir() (string, error) {
	var err error
	demoDir, err = os.MkdirTemp("", "innograph-observe-")
	return demoDir, err
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demo != nil {
		demo.Close()
	}
	if demoDir != "" {
		os.RemoveAll(demoDir)
	}
	os.Exit(code)
}

var (
	demoOnce sync.Once
	demo     kg.Store
	demoErr  error
)

// demoStore is an embedded store holding the district demo, shared by
// the tests (they only read it).
func demoStore(t *testing.T) kg.Store {
	t.Helper()
	demoOnce.Do(func() {
		var dir string
		dir, demoErr = tempDir()
		if demoErr != nil {
			return
		}
		demo, demoErr = embedded.Open(context.Background(), dir)
		if demoErr == nil {
			ds := seed.Demo(seed.Config{Scale: 1, Seed: 1})
			_, demoErr = demo.Replace(context.Background(), kg.Batch{Nodes: ds.Nodes, Edges: ds.Edges})
		}
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demo
}

// testServer is a server over the demo whose store calls are counted
// twice: by observed (into its metrics) and, underneath, by a
// CountingStore.
type testServer struct {
	h        http.Handler
	m        *observe.Metrics
	counting *apitest.CountingStore
	logs     *syncBuffer
}

func newServer(t *testing.T, cfg server.Config) *testServer {
	t.Helper()
	m := observe.NewMetrics()
	cfg.Metrics = m
	counting := apitest.NewCountingStore(demoStore(t))
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	h := server.Handler(cfg, observed.Wrap(counting, "embedded", m), &server.Readiness{}, log)
	return &testServer{h: h, m: m, counting: counting, logs: logs}
}

// post sends a GraphQL request.
func (s *testServer) post(t *testing.T, body any, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	var b []byte
	switch body := body.(type) {
	case string:
		b = []byte(body)
	default:
		var err error
		if b, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, req)
	return w
}

// scrape reads /metrics.
func (s *testServer) scrape(t *testing.T) string {
	t.Helper()
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if w.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", w.Code, w.Body)
	}
	return w.Body.String()
}

// value returns the value of the series (name and labels as exposed,
// such as `x_total{a="b"}`) in a scrape; ok is false if it is absent.
func value(scrape, series string) (float64, bool) {
	sc := bufio.NewScanner(strings.NewReader(scrape))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), series+" "); ok {
			v, err := strconv.ParseFloat(strings.Fields(rest)[0], 64)
			return v, err == nil
		}
	}
	return 0, false
}

// sum adds the values of every series of a metric whose labels contain
// all of the given ones.
func sum(scrape, name string, labels ...string) float64 {
	total := 0.0
	sc := bufio.NewScanner(strings.NewReader(scrape))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, name+"{") && !strings.HasPrefix(line, name+" ") {
			continue
		}
		keep := true
		for _, l := range labels {
			keep = keep && strings.Contains(line, l)
		}
		if keep {
			f := strings.Fields(line)
			v, _ := strconv.ParseFloat(f[len(f)-1], 64)
			total += v
		}
	}
	return total
}

const topQuery = `query TopEnterprises { enterprises(first: 5, filter: {district: "中山区"}) { edges { node { id name } } } }`

// TestMetricsScrapeAfterRequest scrapes /metrics after one request and
// finds its operation's latency histogram, its count and its store calls.
func TestMetricsScrapeAfterRequest(t *testing.T) {
	s := newServer(t, server.DefaultConfig())
	if w := s.post(t, map[string]any{"query": topQuery, "operationName": "TopEnterprises"}, nil); w.Code != 200 || strings.Contains(w.Body.String(), `"errors"`) {
		t.Fatalf("request: %d %s", w.Code, w.Body)
	}
	calls := s.counting.Total()
	got := s.scrape(t)
	for _, c := range []struct {
		series string
		want   float64
	}{
		{`innograph_request_duration_seconds_count{operation="TopEnterprises"}`, 1},
		{`innograph_request_duration_seconds_bucket{operation="TopEnterprises",le="+Inf"}`, 1},
		{`innograph_requests_total{operation="TopEnterprises",outcome="ok"}`, 1},
		{`innograph_root_field_duration_seconds_count{field="Query.enterprises"}`, 1},
	} {
		if v, ok := value(got, c.series); !ok || v != c.want {
			t.Errorf("%s = %v (present %v), want %v", c.series, v, ok, c.want)
		}
	}
	if calls == 0 {
		t.Fatal("the request made no store call")
	}
	if n := sum(got, "innograph_store_calls_total", `backend="embedded"`, `outcome="ok"`); n != float64(calls) {
		t.Errorf("store calls in /metrics: %v, counted underneath: %d", n, calls)
	}
	if n := sum(got, "innograph_store_call_duration_seconds_count", `backend="embedded"`); n != float64(calls) {
		t.Errorf("store call durations in /metrics: %v, calls counted underneath: %d", n, calls)
	}
	for _, probe := range []string{"/healthz", "/metrics"} {
		s.h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, probe, nil))
	}
	if n := sum(s.scrape(t), "innograph_requests_total"); n != 1 {
		t.Errorf("requests counted after probes and scrapes: %v, want the 1 GraphQL request", n)
	}
}

// TestRequestOutcomes checks the operation and outcome labels of
// requests that succeed, fail in gqlgen, and are refused before it.
func TestRequestOutcomes(t *testing.T) {
	keys := testKeys(t, auth.Line("alice", auth.Editor, "secret-key-0123456789"))
	long := strings.Repeat("A", observe.MaxOperationName+1)
	cases := []struct {
		name    string
		body    any
		header  map[string]string
		op, out string
	}{
		{"named", map[string]any{"query": topQuery}, nil, "TopEnterprises", "ok"},
		{"anonymous", map[string]any{"query": `{ stats { nodes } }`}, nil, observe.AnonymousOperation, "ok"},
		{"validation", map[string]any{"query": `query Bad { nope }`}, nil, "Bad", "GRAPHQL_VALIDATION_FAILED"},
		{"parse", map[string]any{"query": `query Broken {`, "operationName": "Broken"}, nil, "Broken", "GRAPHQL_PARSE_FAILED"},
		{"long name", map[string]any{"query": "query " + long + " { stats { nodes } }"}, nil, observe.OtherOperation, "ok"},
		{"bad name", map[string]any{"query": `query Broken {`, "operationName": "a b"}, nil, observe.OtherOperation, "GRAPHQL_PARSE_FAILED"},
		{"unknown key", map[string]any{"query": topQuery}, map[string]string{"Authorization": "Bearer nope"}, observe.NoOperation, "UNAUTHENTICATED"},
		{"too large", `{"query": "` + strings.Repeat(" ", 2<<20) + `{ stats { nodes } }"}`, nil, observe.NoOperation, "REQUEST_TOO_LARGE"},
		{"write without key", map[string]any{"query": `mutation Del { deleteNodes(ids: ["x"]) { deletedNodes } }`}, nil, "Del", "UNAUTHENTICATED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := server.DefaultConfig()
			cfg.Keys = keys
			s := newServer(t, cfg)
			s.post(t, c.body, c.header)
			got := s.scrape(t)
			series := fmt.Sprintf(`innograph_requests_total{operation=%q,outcome=%q}`, c.op, c.out)
			if v, ok := value(got, series); !ok || v != 1 {
				t.Errorf("%s = %v (present %v), want 1; requests counted:\n%s", series, v, ok, grep(got, "innograph_requests_total"))
			}
			if n := sum(got, "innograph_requests_total"); n != 1 {
				t.Errorf("%v requests counted, want 1", n)
			}
			for _, l := range logLines(t, s.logs, "request") {
				if l["path"] != "/graphql" {
					continue
				}
				wantCode := any(c.out)
				if c.out == observe.OutcomeOK {
					wantCode = nil
				}
				// Requests refused before gqlgen have no code in their line: their status says it.
				if c.op == observe.NoOperation {
					wantCode = nil
				}
				if l["code"] != wantCode {
					t.Errorf("log line code %v, want %v: %v", l["code"], wantCode, l)
				}
			}
		})
	}
}

func grep(s, prefix string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestMetricsAuth: /metrics needs a key exactly when /graphql does.
func TestMetricsAuth(t *testing.T) {
	keys := testKeys(t, auth.Line("prom", auth.Reader, "scrape-key-0123456789"))
	for _, c := range []struct {
		requireKey bool
		auth       string
		want       int
	}{
		{false, "", 200},
		{false, "Bearer scrape-key-0123456789", 200},
		{false, "Bearer wrong", 401},
		{true, "", 401},
		{true, "Bearer wrong", 401},
		{true, "Bearer scrape-key-0123456789", 200},
	} {
		t.Run(fmt.Sprintf("require=%v,auth=%q", c.requireKey, c.auth), func(t *testing.T) {
			cfg := server.DefaultConfig()
			cfg.Keys, cfg.RequireKeyForReads = keys, c.requireKey
			s := newServer(t, cfg)
			for _, path := range []string{"/metrics", "/graphql?query=%7Bstats%7Bnodes%7D%7D"} {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Header.Set("Accept", "application/json")
				if c.auth != "" {
					req.Header.Set("Authorization", c.auth)
				}
				w := httptest.NewRecorder()
				s.h.ServeHTTP(w, req)
				if w.Code != c.want {
					t.Errorf("GET %s: %d, want %d", path, w.Code, c.want)
				}
			}
		})
	}
}

// TestOperationLabel checks the bounds on the operation label.
func TestOperationLabel(t *testing.T) {
	m := observe.NewMetrics()
	for _, c := range []struct{ name, want string }{
		{"", observe.AnonymousOperation},
		{"TopEnterprises", "TopEnterprises"},
		{"top_10", "top_10"},
		{strings.Repeat("a", observe.MaxOperationName), strings.Repeat("a", observe.MaxOperationName)},
		{strings.Repeat("a", observe.MaxOperationName+1), observe.OtherOperation},
		{"a-b", observe.OtherOperation},
		{"企业", observe.OtherOperation},
		{"a\nb", observe.OtherOperation},
	} {
		if got := m.Operation(c.name); got != c.want {
			t.Errorf("Operation(%q) = %q, want %q", c.name, got, c.want)
		}
	}
	m = observe.NewMetrics()
	for i := range observe.MaxOperations {
		if got := m.Operation(fmt.Sprintf("op%d", i)); got != fmt.Sprintf("op%d", i) {
			t.Fatalf("name %d of %d: %q", i+1, observe.MaxOperations, got)
		}
	}
	if got := m.Operation("oneTooMany"); got != observe.OtherOperation {
		t.Errorf("name past %d distinct: %q, want %q", observe.MaxOperations, got, observe.OtherOperation)
	}
	if got := m.Operation("op7"); got != "op7" {
		t.Errorf("a name seen before the bound was reached: %q, want itself", got)
	}
}

// logLines decodes the JSON log lines with message msg.
func logLines(t *testing.T, logs *syncBuffer, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

// TestRequestLog checks the request's log line and the slow-request log.
func TestRequestLog(t *testing.T) {
	for _, c := range []struct {
		name     string
		slow     string
		wantSlow bool
	}{
		{"below the threshold", "1h", false},
		{"above the threshold", "1ns", true},
		{"off", "0s", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := server.DefaultConfig()
			var err error
			if cfg.SlowRequest, err = time.ParseDuration(c.slow); err != nil {
				t.Fatal(err)
			}
			s := newServer(t, cfg)
			s.post(t, map[string]any{"query": topQuery}, nil)
			lines := logLines(t, s.logs, "request")
			if len(lines) != 1 {
				t.Fatalf("%d request lines, want 1: %s", len(lines), s.logs)
			}
			l := lines[0]
			complexity := sum(s.scrape(t), "innograph_request_complexity_sum")
			if l["operation"] != "TopEnterprises" || l["operationType"] != "query" || l["path"] != "/graphql" || l["code"] != nil {
				t.Errorf("request line: %v", l)
			}
			if l["storeCalls"] != float64(s.counting.Total()) || s.counting.Total() == 0 {
				t.Errorf("storeCalls %v, counted underneath %d", l["storeCalls"], s.counting.Total())
			}
			if l["complexity"] != complexity || complexity == 0 {
				t.Errorf("complexity %v, in the metrics %v", l["complexity"], complexity)
			}
			var slow []map[string]any
			for _, l := range logLines(t, s.logs, "slow request") {
				if l["path"] == "/graphql" {
					slow = append(slow, l)
				}
			}
			if (len(slow) == 1) != c.wantSlow || len(slow) > 1 {
				t.Fatalf("%d slow-request lines, want slow %v", len(slow), c.wantSlow)
			}
			if c.wantSlow {
				want := `query TopEnterprises { enterprises(first: filter:) { edges { node { id name } } } }`
				if slow[0]["shape"] != want || slow[0]["level"] != "WARN" || slow[0]["operation"] != "TopEnterprises" {
					t.Errorf("slow line: %v, want shape %q", slow[0], want)
				}
				if strings.Contains(s.logs.String(), "中山区") {
					t.Error("the logs hold a value of the query")
				}
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func parse(t *testing.T, query, op string) (*ast.QueryDocument, *ast.OperationDefinition) {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		t.Fatal(err)
	}
	return doc, doc.Operations.ForName(op)
}

// TestDocsNameTheMetrics checks that docs/observability.md and the Grafana
// dashboard name only metrics the server exposes, and that the page
// describes every one of them.
func TestDocsNameTheMetrics(t *testing.T) {
	s := newServer(t, server.DefaultConfig())
	s.m.StoreOpened("embedded", time.Second)
	s.m.GaugeFunc("innograph_embedded_store_bytes", "size", func() float64 { return 1 })
	s.m.Rows("written", 1, 1) // counter vectors show only once used
	s.post(t, map[string]any{"query": topQuery}, nil)
	exposed := map[string]bool{}
	for _, l := range strings.Split(s.scrape(t), "\n") {
		if f := strings.Fields(l); len(f) >= 3 && f[1] == "TYPE" && strings.HasPrefix(f[2], "innograph_") {
			exposed[f[2]] = true
		}
	}
	name := regexp.MustCompile(`innograph_[a-z_]+`)
	for _, file := range []string{"../docs/observability.md", "../docs/grafana-dashboard.json"} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		named := map[string]bool{}
		for _, n := range name.FindAllString(string(b), -1) {
			base := n
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				if trimmed, ok := strings.CutSuffix(n, suffix); ok && exposed[trimmed] {
					base = trimmed
				}
			}
			named[base] = true
			if !exposed[base] {
				t.Errorf("%s names %s, which the server does not expose", file, n)
			}
		}
		if strings.HasSuffix(file, ".md") {
			for n := range exposed {
				if !named[n] {
					t.Errorf("%s does not describe %s", file, n)
				}
			}
		}
	}
}

// TestMetricsFormats: /metrics answers the Prometheus text format, and
// OpenMetrics to a scraper that asks for it.
func TestMetricsFormats(t *testing.T) {
	s := newServer(t, server.DefaultConfig())
	for _, c := range []struct{ accept, want string }{
		{"", "text/plain; version=0.0.4"},
		{"application/openmetrics-text;version=1.0.0", "application/openmetrics-text; version=1.0.0"},
	} {
		req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		if c.accept != "" {
			req.Header.Set("Accept", c.accept)
		}
		w := httptest.NewRecorder()
		s.h.ServeHTTP(w, req)
		if ct := w.Header().Get("Content-Type"); w.Code != 200 || !strings.HasPrefix(ct, c.want) {
			t.Errorf("Accept %q: %d %q, want %q", c.accept, w.Code, ct, c.want)
		}
		if c.accept != "" && !strings.HasSuffix(strings.TrimSpace(w.Body.String()), "# EOF") {
			t.Errorf("an OpenMetrics answer ends with # EOF")
		}
	}
}

// TestRootFieldLabels checks the field label of the root field
// histogram for each operation type, including a second request that
// finds the label already made.
func TestRootFieldLabels(t *testing.T) {
	cfg := server.DefaultConfig()
	cfg.Keys = testKeys(t, auth.Line("alice", auth.Editor, "secret-key-0123456789"))
	s := newServer(t, cfg)
	editor := map[string]string{"Authorization": "Bearer secret-key-0123456789"}
	for _, c := range []struct {
		query  string
		fields []string
	}{
		{`query Two { stats { nodes } enterprises(first: 1) { totalCount } }`, []string{"Query.stats", "Query.enterprises"}},
		{`{ a: stats { nodes } b: stats { relations } }`, []string{"Query.stats"}},
		{`mutation Nothing { deleteNodes(ids: []) { deletedNodes } }`, []string{"Mutation.deleteNodes"}},
	} {
		before := s.scrape(t)
		for range 2 {
			s.post(t, map[string]any{"query": c.query}, editor)
		}
		after := s.scrape(t)
		calls := 0.0
		for _, f := range c.fields {
			series := fmt.Sprintf(`innograph_root_field_duration_seconds_count{field=%q}`, f)
			v0, _ := value(before, series)
			v1, ok := value(after, series)
			if !ok || v1-v0 < 2 {
				t.Errorf("%s: %s grew by %v (present %v), want at least 2", c.query, series, v1-v0, ok)
			}
			calls += v1 - v0
		}
		if all := sum(after, "innograph_root_field_duration_seconds_count") - sum(before, "innograph_root_field_duration_seconds_count"); all != calls {
			t.Errorf("%s: %v root fields timed, %v under the expected labels", c.query, all, calls)
		}
	}
}
