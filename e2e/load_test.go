package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/innograph/innograph/auth"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/seed"
	"github.com/innograph/innograph/store/neo4j/neo4jtest"
)

// Settings of the load test.
const (
	// loadReaders, loadWriters and loadHostile are the clients of a load
	// run: readers of the README's questions and analytics, writers of
	// mutations, and senders of documents the limits refuse.
	loadReaders = 64
	loadWriters = 4
	loadHostile = 4
	// defaultLoadDuration is how long a load run lasts: half of it
	// without the hostile clients, half with them, in loadWindows
	// alternating windows.
	defaultLoadDuration = 60 * time.Second
	// loadDurationEnv shortens (or lengthens) the run, for local runs.
	loadDurationEnv = "INNOGRAPH_E2E_LOAD_DURATION"
	loadWindows     = 6
)

// loadDuration is the length of a load run: defaultLoadDuration unless
// loadDurationEnv says otherwise.
func loadDuration(t *testing.T) time.Duration {
	t.Helper()
	v := os.Getenv(loadDurationEnv)
	if v == "" {
		return defaultLoadDuration
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 2*time.Second {
		t.Fatalf("%s=%q: want a duration of at least 2s", loadDurationEnv, v)
	}
	if d != defaultLoadDuration {
		t.Logf("%s=%v: the run lasts %v, not the full %v", loadDurationEnv, d, d, defaultLoadDuration)
	}
	return d
}

// loadClient returns an HTTP client that keeps a connection per client
// goroutine open, so that a run measures requests and not TCP handshakes
// (and does not run out of ports).
func loadClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 512
	tr.MaxIdleConnsPerHost = 512
	return &http.Client{Transport: tr, Timeout: 2 * time.Minute}
}

// namedQuery is a query of the readers.
type namedQuery struct{ name, query string }

// readerQueries returns what the readers ask: every GraphQL example of
// the README (lists, relationships, search, the plan's scoreboard, chain
// gaps, paths, supply chains, PageRank) and more analytics: a
// neighbourhood, communities, betweenness and a collaboration network.
func readerQueries(t *testing.T) []namedQuery {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var qs []namedQuery
	for i, b := range regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllStringSubmatch(string(readme), -1) {
		qs = append(qs, namedQuery{fmt.Sprintf("README %d", i+1), b[1]})
	}
	if len(qs) < 5 {
		t.Fatalf("README has %d GraphQL examples, want at least 5", len(qs))
	}
	return append(qs,
		namedQuery{"neighborhood", `{ neighborhood(id: "ent-0001", depth: 2, limit: 200) { nodes { id name depth } edges { id type source target } truncated } }`},
		namedQuery{"communities", `{ communities(algorithm: LOUVAIN, kinds: [ENTERPRISE], relationTypes: [SUPPLIES], first: 5, membersFirst: 5) { communities { id size members { id name } } } }`},
		namedQuery{"betweenness", `{ centrality(metric: BETWEENNESS, kinds: [ENTERPRISE, UNIVERSITY], relationTypes: [COLLABORATES_WITH, SUPPLIES], top: 10) { ranking { rank score node { id name } } } }`},
		namedQuery{"collaboration", `{ collaborationNetwork(from: 2020, limit: 300) { nodes { id name } edges { source target } truncated } }`},
	)
}

// hostileRequest is a request the server must refuse: the error code it
// answers with and, when not 0, the HTTP status.
type hostileRequest struct {
	name   string
	body   []byte
	code   string
	status int
}

// repeatJoin joins f(0)…f(n-1) with spaces.
func repeatJoin(n int, f func(i int) string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = f(i)
	}
	return strings.Join(parts, " ")
}

// queryBody is the JSON body of a POST with a query and its variables.
func queryBody(query string, vars map[string]any) []byte {
	m := map[string]any{"query": query}
	if vars != nil {
		m["variables"] = vars
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

// hostileRequests are requests of each kind docs/security.md lists, each
// refused by its limit at the defaults: an oversized body, a huge
// document, an alias flood, deep nesting, fragments that multiply fields,
// an answer too large and too many analytics fields.
func hostileRequests() []hostileRequest {
	oversized, _ := json.Marshal(map[string]any{
		"query":     `query($pad: String) { stats { nodes } }`,
		"variables": map[string]any{"pad": strings.Repeat("x", 1<<20+1024)},
	})
	return []hostileRequest{
		{name: "oversized body", body: oversized, code: "REQUEST_TOO_LARGE", status: http.StatusRequestEntityTooLarge},
		{name: "huge document", body: queryBody(`{ nodes(ids: [`+strings.Repeat(`"x" `, 16_000)+`]) { id } }`, nil), code: "TOO_MANY_TOKENS"},
		{name: "alias flood", body: queryBody(`{ `+repeatJoin(30, func(i int) string {
			return fmt.Sprintf("s%d: stats { %s }", i, repeatJoin(50, func(j int) string { return fmt.Sprintf("n%d: nodes", j) }))
		})+` }`, nil), code: "TOO_MANY_ALIASES"},
		{name: "deep nesting", body: queryBody(strings.Repeat("{ stats ", 900)+strings.Repeat("} ", 900), nil), code: "QUERY_TOO_DEEP"},
		{name: "fragment bomb", body: queryBody(`{ stats { ...F20 } } fragment F0 on Stats { nodes } `+repeatJoin(20, func(i int) string {
			return fmt.Sprintf("fragment F%d on Stats { ...F%d ...F%d }", i+1, i, i)
		}), nil), code: "TOO_MANY_FIELDS"},
		{name: "answer too large", body: queryBody(`{ enterprises(first: 500) { edges { node { id ... on Enterprise {
			suppliers(first: 500) { edges { node { id ... on Enterprise { suppliers(first: 500) { edges { node { id } } } } } } } } } } } }`, nil), code: "COMPLEXITY_LIMIT_EXCEEDED"},
		{name: "analytics flood", body: queryBody(`{ `+repeatJoin(100, func(i int) string {
			return fmt.Sprintf(`c%d: centrality(metric: BETWEENNESS) { ranking { score } }`, i)
		})+` }`, nil), code: "TOO_MANY_ANALYTICS_FIELDS"},
	}
}

// ackedWrite is a write the server acknowledged: an enterprise and its
// SUPPLIES relationship to a customer.
type ackedWrite struct {
	id, name, customer string
	revenue            int
}

// writers write through the API, each write an enterprise and a SUPPLIES
// relationship to a stored enterprise in one batch, and keep the writes
// the server acknowledged.
type writers struct {
	prefix    string   // of the written ids
	key       string   // an editor's API key
	customers []string // stored enterprises the written ones supply
	mu        sync.Mutex
	tried     []ackedWrite // every write sent
	acked     []ackedWrite // the writes acknowledged
}

// writeMutation is what a writer sends.
const writeMutation = `mutation($in: BatchInput!) { applyBatch(input: $in) { counts { nodesCreated relationsCreated } } }`

// writeID is the id of writer w's i-th write.
func (wr *writers) writeID(w, i int) string { return fmt.Sprintf("%s-w%d-%05d", wr.prefix, w, i) }

// batch returns writer w's i-th write and the variables that send it.
func (wr *writers) batch(w, i int) (ackedWrite, map[string]any) {
	a := ackedWrite{
		id:       wr.writeID(w, i),
		customer: wr.customers[(w*7919+i)%len(wr.customers)],
		revenue:  1_000_000 + i,
	}
	a.name = "负载测试企业 " + a.id
	return a, map[string]any{"in": map[string]any{
		"upsertNodes": []any{map[string]any{"id": a.id, "kind": "ENTERPRISE", "properties": map[string]any{
			"name": a.name, "district": "中山区", "revenue": map[string]any{"2025": a.revenue},
		}}},
		"upsertRelations": []any{map[string]any{"type": "SUPPLIES", "from": a.id, "to": a.customer, "properties": map[string]any{"since": 2025}}},
	}}
}

// write sends writer w's i-th write to baseURL and keeps it if the
// server acknowledged it; an answer without errors that did not create
// the node and its relationship is an error (code UNEXPECTED_COUNTS).
func (wr *writers) write(client *http.Client, baseURL string, w, i int) outcome {
	a, vars := wr.batch(w, i)
	wr.mu.Lock()
	wr.tried = append(wr.tried, a)
	wr.mu.Unlock()
	o := send(client, baseURL, wr.key, queryBody(writeMutation, vars), "write")
	if !o.ok {
		return o
	}
	var d struct {
		ApplyBatch struct {
			Counts struct{ NodesCreated, RelationsCreated int }
		}
	}
	if err := json.Unmarshal(o.data, &d); err != nil || d.ApplyBatch.Counts.NodesCreated != 1 || d.ApplyBatch.Counts.RelationsCreated != 1 {
		o.ok = false
		o.codes = []string{"UNEXPECTED_COUNTS"}
		o.messages = []string{string(o.data)}
		return o
	}
	wr.mu.Lock()
	wr.acked = append(wr.acked, a)
	wr.mu.Unlock()
	return o
}

// sent returns the writes sent so far, acknowledged or not.
func (wr *writers) sent() []ackedWrite {
	wr.mu.Lock()
	defer wr.mu.Unlock()
	return slices.Clone(wr.tried)
}

// acknowledged returns the writes acknowledged so far.
func (wr *writers) acknowledged() []ackedWrite {
	wr.mu.Lock()
	defer wr.mu.Unlock()
	return slices.Clone(wr.acked)
}

// readBackQuery reads written enterprises with their figures and
// customers.
const readBackQuery = `query($ids: [ID!]!) { nodes(ids: $ids) { id name ... on Enterprise {
  figures(from: 2025) { year revenue } customers(first: 100) { edges { node { id } } } } } }`

// writtenNode is a node of readBackQuery's answer.
type writtenNode struct {
	ID      string
	Name    string
	Figures []struct {
		Year    int
		Revenue *float64
	}
	Customers struct {
		Edges []struct{ Node struct{ ID string } }
	}
}

// readBack reads the nodes of ids through baseURL: found maps the id of
// each node found to it. Ids not found are missing from the map.
func readBack(t *testing.T, client *http.Client, baseURL string, ids []string) map[string]writtenNode {
	t.Helper()
	found := map[string]writtenNode{}
	for start := 0; start < len(ids); start += 100 {
		part := ids[start:min(start+100, len(ids))]
		o := send(client, baseURL, "", queryBody(readBackQuery, map[string]any{"ids": part}), "read back")
		if o.err != nil || len(o.data) == 0 || string(o.data) == "null" {
			t.Fatalf("reading back %d written nodes: %v %v %v", len(part), o.err, o.codes, o.messages)
		}
		for _, c := range o.codes {
			if c != "NOT_FOUND" {
				t.Fatalf("reading back %d written nodes: codes %v: %v", len(part), o.codes, o.messages)
			}
		}
		var d struct{ Nodes []*writtenNode }
		if err := json.Unmarshal(o.data, &d); err != nil {
			t.Fatalf("reading back written nodes: %v: %.300s", err, o.data)
		}
		for _, n := range d.Nodes {
			if n != nil {
				found[n.ID] = *n
			}
		}
	}
	return found
}

// checkWrite reports how a stored node differs from the write a, or "".
func checkWrite(a ackedWrite, n writtenNode) string {
	var problems []string
	if n.Name != a.name {
		problems = append(problems, fmt.Sprintf("name %q, want %q", n.Name, a.name))
	}
	rev := false
	for _, f := range n.Figures {
		if f.Year == 2025 && f.Revenue != nil && *f.Revenue == float64(a.revenue) {
			rev = true
		}
	}
	if !rev {
		problems = append(problems, fmt.Sprintf("no 2025 revenue of %d", a.revenue))
	}
	if !slices.ContainsFunc(n.Customers.Edges, func(e struct{ Node struct{ ID string } }) bool { return e.Node.ID == a.customer }) {
		problems = append(problems, fmt.Sprintf("does not supply %s", a.customer))
	}
	return strings.Join(problems, "; ")
}

// checkAcknowledged fails t unless every acknowledged write is stored
// whole (the enterprise, its revenue and its relationship) as read
// through baseURL; it returns how many are.
func checkAcknowledged(t *testing.T, client *http.Client, baseURL string, acked []ackedWrite) (whole int) {
	t.Helper()
	ids := make([]string, len(acked))
	for i, a := range acked {
		ids[i] = a.id
	}
	found := readBack(t, client, baseURL, ids)
	lost := 0
	for _, a := range acked {
		n, ok := found[a.id]
		switch {
		case !ok:
			lost++
			if lost <= 10 {
				t.Errorf("acknowledged write %s is not stored", a.id)
			}
		default:
			if p := checkWrite(a, n); p != "" {
				t.Errorf("acknowledged write %s is stored wrong: %s", a.id, p)
			} else {
				whole++
			}
		}
	}
	if lost > 0 {
		t.Errorf("%d of %d acknowledged writes are lost", lost, len(acked))
	}
	return whole
}

// demoEnterprises returns the ids of the demo's first n enterprises.
func demoEnterprises(n int) []string {
	var ids []string
	for _, node := range seed.Demo(seed.Config{Scale: 1, Seed: 1}).Nodes {
		if node.Kind == kg.Enterprise && len(ids) < n {
			ids = append(ids, node.ID)
		}
	}
	return ids
}

// newKey returns a new key of a role and its key line.
func newKey(t *testing.T, name string, role auth.Role) (key, line string) {
	t.Helper()
	key, err := auth.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return key, auth.Line(name, role, key)
}

// latencies returns the p50 and p99 of the durations of outs.
func latencies(outs []outcome) (p50, p99 time.Duration) {
	if len(outs) == 0 {
		return 0, 0
	}
	ds := make([]time.Duration, len(outs))
	for i, o := range outs {
		ds[i] = o.end.Sub(o.start)
	}
	slices.Sort(ds)
	at := func(q float64) time.Duration { return ds[min(len(ds)-1, int(q*float64(len(ds))))] }
	return at(0.50), at(0.99)
}

// loadAverage returns the first three fields of /proc/loadavg.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// phaseStats is what one phase of a run measured.
type phaseStats struct {
	readers, writers, hostile    []outcome
	readP50, readP99             time.Duration
	writeP50, writeP99           time.Duration
	hostileP50, hostileP99       time.Duration
	readErrors, writeErrors, bad int
}

// TestLoad runs 64 readers (the README's questions and more analytics),
// 4 writers (a new enterprise and its relationship per mutation) and, in
// every other of six windows, 4 clients of hostile requests against the
// real binary, on each backend, for 60 s (INNOGRAPH_E2E_LOAD_DURATION
// shortens it). Every reader and writer request must succeed, every
// hostile one be refused with its code, and every acknowledged write be
// stored whole afterwards. The latencies (p50, p99) without and with the
// hostile clients are logged side by side with the load average, for
// docs/reliability.md.
func TestLoad(t *testing.T) {
	bin := buildBinary(t)
	d := loadDuration(t)
	for _, backend := range []string{"embedded", "neo4j"} {
		t.Run(backend, func(t *testing.T) {
			editor, editorLine := newKey(t, "load-writer", auth.Editor)
			flags := []string{"--api-keys", editorLine, "--log-level", "warn"}
			var s *server
			if backend == "neo4j" {
				cfg := useNeo4j(t)
				ctx := t.Context()
				if err := neo4jtest.Wipe(ctx, cfg); err != nil {
					t.Fatalf("emptying the database: %v", err)
				}
				s = startWith(t, bin, processEnv(cfg), append(flags, "--store", "neo4j")...)
			} else {
				s = startServer(t, bin, t.TempDir(), flags...)
			}
			runLoad(t, s, editor, backend, d)
		})
	}
}

// runLoad runs the load of TestLoad against s for d and checks it.
func runLoad(t *testing.T, s *server, editorKey, backend string, d time.Duration) {
	client := loadClient()
	queries := readerQueries(t)
	hostile := hostileRequests()
	wr := &writers{prefix: "load-" + backend, key: editorKey, customers: demoEnterprises(50)}
	// Each question once, alone, first: it must succeed, and the run
	// measures a warm server.
	for _, q := range queries {
		if o := send(client, s.baseURL, "", queryBody(q.query, nil), q.name); !o.ok {
			t.Fatalf("reader query %q alone: HTTP %d, codes %v %v, err %v", q.name, o.status, o.codes, o.messages, o.err)
		}
	}
	ld := &load{stop: make(chan struct{})}
	ld.add(loadReaders, func(w, i int) outcome {
		q := queries[(w+i)%len(queries)]
		return send(client, s.baseURL, "", queryBody(q.query, nil), q.name)
	})
	ld.add(loadWriters, func(w, i int) outcome { return wr.write(client, s.baseURL, w, i) })
	// The hostile clients send only in the phases that have them
	// (phase 1): windows without and with them alternate, so that a
	// change in the machine's other load falls on both alike.
	ld.add(loadHostile, func(w, i int) outcome {
		if ld.phase.Load() == 0 {
			time.Sleep(10 * time.Millisecond)
			return outcome{} // nothing sent
		}
		h := hostile[(w+i)%len(hostile)]
		o := send(client, s.baseURL, "", h.body, h.name)
		o.hostile = true
		return o
	})
	loadStart := time.Now()
	var spent [2]time.Duration
	for k := range loadWindows {
		ld.phase.Store(int32(k % 2))
		start := time.Now()
		time.Sleep(d / loadWindows)
		spent[k%2] += time.Since(start)
	}
	outs := ld.halt()
	took := time.Since(loadStart)
	loadAvg := loadAverage()

	var phases [2]phaseStats
	byHostile := map[string]int{}
	for _, o := range outs {
		p := &phases[o.phase]
		switch {
		case o.hostile:
			p.hostile = append(p.hostile, o)
			h := hostile[slices.IndexFunc(hostile, func(h hostileRequest) bool { return h.name == o.query })]
			if o.err != nil || o.ok || len(o.data) > 0 || !allCodes(o.codes, h.code) || (h.status != 0 && o.status != h.status) {
				p.bad++
				if p.bad <= 10 {
					t.Errorf("hostile request %q: HTTP %d, codes %v, data %.100s, err %v; want %s refused (HTTP %d)", h.name, o.status, o.codes, o.data, o.err, h.code, h.status)
				}
			}
			byHostile[h.name]++
		case o.query == "write":
			p.writers = append(p.writers, o)
			if !o.ok {
				p.writeErrors++
				if p.writeErrors <= 10 {
					t.Errorf("a write failed after %v: HTTP %d, codes %v %v, err %v", o.end.Sub(o.start).Round(time.Millisecond), o.status, o.codes, o.messages, o.err)
				}
			}
		default:
			p.readers = append(p.readers, o)
			if !o.ok {
				p.readErrors++
				if p.readErrors <= 10 {
					t.Errorf("reader query %q failed after %v: HTTP %d, codes %v %v, err %v", o.query, o.end.Sub(o.start).Round(time.Millisecond), o.status, o.codes, o.messages, o.err)
				}
			}
		}
	}
	for _, h := range hostile {
		if byHostile[h.name] == 0 {
			t.Errorf("the hostile request %q was never sent", h.name)
		}
	}
	for i := range phases {
		p := &phases[i]
		p.readP50, p.readP99 = latencies(p.readers)
		p.writeP50, p.writeP99 = latencies(p.writers)
		p.hostileP50, p.hostileP99 = latencies(p.hostile)
		if len(p.readers) == 0 || len(p.writers) == 0 {
			t.Errorf("phase %d: %d reader and %d writer requests, want some of each", i, len(p.readers), len(p.writers))
		}
	}
	if len(phases[1].hostile) == 0 {
		t.Errorf("no hostile request was answered")
	}

	// Every acknowledged write is stored whole.
	acked := wr.acknowledged()
	whole := checkAcknowledged(t, client, s.baseURL, acked)

	t.Logf("load on %s for %v (%d windows, alternately without and with hostile clients); load average %s; %s",
		backend, took.Round(time.Second), loadWindows, loadAvg, summary(outs))
	t.Logf("| backend | hostile clients | reads | reads/s | read p50 | read p99 | writes | write p50 | write p99 | hostile refused | hostile p50 | errors |")
	for i, name := range []string{"without", "with"} {
		p := phases[i]
		t.Logf("| %s | %s | %d | %.0f | %v | %v | %d | %v | %v | %d | %v | %d |", backend, name,
			len(p.readers), float64(len(p.readers))/spent[i].Seconds(), ms(p.readP50), ms(p.readP99), len(p.writers), ms(p.writeP50), ms(p.writeP99),
			len(p.hostile)-p.bad, ms(p.hostileP50), p.readErrors+p.writeErrors+p.bad)
	}
	for _, h := range hostile {
		var outs []outcome
		for _, o := range phases[1].hostile {
			if o.query == h.name {
				outs = append(outs, o)
			}
		}
		p50, p99 := latencies(outs)
		t.Logf("hostile %q: %d refused with %s, p50 %v, p99 %v", h.name, len(outs), h.code, ms(p50), ms(p99))
	}
	t.Logf("%d writes acknowledged, %d found whole afterwards (load average %s, %d cores)", len(acked), whole, loadAvg, numCPU())
	if strings.Contains(s.output(), "panic") {
		t.Errorf("the server logged a panic\n%s", s.describe())
	}
	s.stop(stopTimeout)
}

// ms formats d in milliseconds, to one decimal.
func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// send POSTs body to baseURL's /graphql (with an API key, when not
// empty) and classifies the answer; label names the request.
func send(client *http.Client, baseURL, key string, body []byte, label string) outcome {
	o := outcome{start: time.Now(), query: label}
	req, err := http.NewRequest(http.MethodPost, baseURL+"/graphql", bytes.NewReader(body))
	if err != nil {
		o.err, o.end = err, time.Now()
		return o
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := client.Do(req)
	if err != nil {
		o.err, o.end = err, time.Now()
		return o
	}
	defer resp.Body.Close()
	return classify(o, resp)
}

// numCPU is the number of CPUs the tests see.
func numCPU() int { return runtime.NumCPU() }
