package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/innograph/innograph/auth"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/seed"
	"github.com/innograph/innograph/store/neo4j/neo4jtest"
)

// Settings of the fault test.
const (
	// faultTimeout is the request timeout of the servers under test
	// (--timeout): a request must fail with STORE_UNAVAILABLE within it.
	faultTimeout = 10 * time.Second
	// neo4jScriptTimeout bounds one `neo4j.sh up` or `down`.
	neo4jScriptTimeout = 5 * time.Minute
	// recoverTimeout bounds how long a server may take to serve again
	// once Neo4j is back.
	recoverTimeout = 2 * time.Minute
	// loadWorkers is the number of goroutines querying during the outage.
	loadWorkers = 4
)

// neo4jScript runs tools/neo4j/neo4j.sh with a command (up, down, status)
// and returns its combined output.
func neo4jScript(command string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), neo4jScriptTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, "bash", filepath.Join(root, "tools", "neo4j", "neo4j.sh"), command).CombinedOutput()
	return strings.TrimSpace(string(out)), err
}

// outcome is what one request of a load got.
type outcome struct {
	start, end time.Time
	query      string          // the query, or a name for it
	phase      int             // the phase of the run it began in
	hostile    bool            // sent to be refused
	ok         bool            // data and no errors
	status     int             // HTTP status
	data       json.RawMessage // the answer's data
	codes      []string        // extensions.code of each error
	messages   []string        // the message of each error
	err        error           // transport error or unreadable answer
}

// load sends requests from several goroutines until stopped, and keeps
// every outcome.
type load struct {
	mu       sync.Mutex
	outcomes []outcome
	stop     chan struct{}
	wg       sync.WaitGroup
	phase    atomic.Int32 // recorded in the outcomes of requests begun after it is set
}

// faultQueries are what the load sends: a point lookup with a nested
// relationship field, a filtered and ordered list with nested fields, a
// search and the stats; between them every kind of store call.
func faultQueries(entID string) []string {
	return []string{
		fmt.Sprintf(`{ node(id: %q) { id name ... on Enterprise { suppliers { totalCount edges { node { id name } } } } } }`, entID),
		`{ enterprises(first: 20, filter: {district: "中山区"}, orderBy: [{field: REVENUE, year: 2025, direction: DESC}]) { totalCount edges { node { id name ... on Enterprise { industries { edges { node { id name } } } } } } } }`,
		`{ search(text: "大连", first: 10) { id name } }`,
		`{ stats { nodes relations } }`,
	}
}

func startLoad(baseURL string, queries []string) *load {
	l := &load{stop: make(chan struct{})}
	// The client gives up well after the server's own timeout: an answer
	// that never comes is a hang, not a slow answer.
	client := &http.Client{Timeout: faultTimeout + 20*time.Second}
	l.add(loadWorkers, func(w, i int) outcome { return ask(client, baseURL, queries[(w+i)%len(queries)]) })
	return l
}

// add starts n goroutines; goroutine w sends its i-th request with
// next(w, i), which returns a zero outcome if it sent nothing. After a
// failure it pauses for 100 ms: no busy loop while a store is away.
func (l *load) add(n int, next func(w, i int) outcome) {
	for w := range n {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			for i := 0; ; i++ {
				select {
				case <-l.stop:
					return
				default:
				}
				phase := int(l.phase.Load())
				o := next(w, i)
				if o.start.IsZero() {
					continue // nothing sent
				}
				o.phase = phase
				l.mu.Lock()
				l.outcomes = append(l.outcomes, o)
				l.mu.Unlock()
				if !o.ok && !o.hostile {
					time.Sleep(100 * time.Millisecond)
				}
			}
		}()
	}
}

// ask posts one query and classifies the answer.
func ask(client *http.Client, baseURL, query string) outcome {
	return send(client, baseURL, "", queryBody(query, nil), query)
}

// classify reads the answer resp to the request of o.
func classify(o outcome, resp *http.Response) outcome {
	o.status = resp.StatusCode
	raw, err := io.ReadAll(resp.Body)
	o.end = time.Now()
	if err != nil {
		o.err = err
		return o
	}
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message    string `json:"message"`
			Extensions struct {
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		o.err = fmt.Errorf("HTTP %d, not a GraphQL answer: %.200s", resp.StatusCode, raw)
		return o
	}
	for _, e := range r.Errors {
		o.codes = append(o.codes, e.Extensions.Code)
		o.messages = append(o.messages, e.Message)
	}
	if string(r.Data) != "null" {
		o.data = r.Data
	}
	o.ok = len(r.Errors) == 0 && len(o.data) > 0
	return o
}

// snapshot returns the outcomes so far.
func (l *load) snapshot() []outcome {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.outcomes)
}

// halt stops the load and waits for requests in flight.
func (l *load) halt() []outcome {
	close(l.stop)
	l.wg.Wait()
	return l.snapshot()
}

// waitFor polls cond every 200 ms until it holds or timeout passes.
func waitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(200 * time.Millisecond)
	}
	return true
}

// probe GETs a path of a server and returns the status and body.
func probe(baseURL, path string) (int, string) {
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(baseURL + path)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	return resp.StatusCode, strings.TrimSpace(string(b))
}

// TestNeo4jFaults stops and restarts the real Neo4j under two servers of
// the real binary, with one restart for two scenarios:
//
//   - Neo4j goes away under load (readers, writers and a client of
//     hostile requests): queries and writes fail with STORE_UNAVAILABLE
//     within the request timeout (no hang, no panic, the process stays
//     up and /readyz says why), and succeed again, without a restart of
//     the server, once Neo4j is back; the hostile requests are refused by
//     their limits throughout, and every write acknowledged before, during
//     or after the outage is stored whole, read through either server;
//   - Neo4j is down when a server starts: it starts all the same, /readyz
//     answers 503 "store unavailable…", and it becomes ready by itself
//     once Neo4j is up (the schema migration included).
//
// Neo4j is brought back up in t.Cleanup whatever happens.
func TestNeo4jFaults(t *testing.T) {
	bin := buildBinary(t)
	cfg := useNeo4j(t)
	if u, err := url.Parse(cfg.URI); err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost") {
		msg := fmt.Sprintf("NEO4J_URI %s is not the local development server that tools/neo4j/neo4j.sh stops and starts", cfg.URI)
		if isCI() {
			t.Fatal(msg)
		}
		t.Skip("SKIPPED: " + msg)
	}
	if out, err := neo4jScript("status"); err != nil {
		msg := fmt.Sprintf("Neo4j at %s is not run by tools/neo4j/neo4j.sh (%v: %s), so this test cannot stop and start it", cfg.URI, err, out)
		if isCI() {
			t.Fatal(msg)
		}
		t.Skip("SKIPPED: " + msg)
	}
	ctx, cancel := context.WithTimeout(context.Background(), cliTimeout)
	defer cancel()
	if err := neo4jtest.Wipe(ctx, cfg); err != nil {
		t.Fatalf("emptying the database: %v", err)
	}
	env := processEnv(cfg)
	editor, editorLine := newKey(t, "fault-writer", auth.Editor)
	flags := []string{"--store", "neo4j", "--timeout", faultTimeout.String(), "--api-keys", editorLine}

	// A server on an empty Neo4j seeds the demo, then serves under load.
	s1 := startWith(t, bin, env, flags...)
	var entID string
	for _, n := range seed.Demo(seed.Config{Scale: 1, Seed: 1}).Nodes {
		if n.Kind == kg.Enterprise {
			entID = n.ID
			break
		}
	}
	ld := startLoad(s1.baseURL, faultQueries(entID))
	// Writers and a client of hostile requests join the readers.
	client := &http.Client{Timeout: faultTimeout + 20*time.Second}
	wr := &writers{prefix: "fault", key: editor, customers: demoEnterprises(50)}
	ld.add(loadWriters, func(w, i int) outcome { return wr.write(client, s1.baseURL, w, i) })
	hostile := hostileRequests()
	ld.add(1, func(w, i int) outcome {
		time.Sleep(50 * time.Millisecond) // a steady trickle, not a flood of its own
		o := send(client, s1.baseURL, "", hostile[i%len(hostile)].body, hostile[i%len(hostile)].name)
		o.hostile = true
		return o
	})
	halted := false
	defer func() {
		if !halted {
			ld.halt()
		}
	}()
	if !waitFor(time.Minute, func() bool {
		return countOK(ld.snapshot(), time.Time{}) >= 20 && writesOK(ld.snapshot(), time.Time{}) >= 5
	}) {
		t.Fatalf("the load did not get 20 answers and 5 acknowledged writes in a minute: %s\n%s", summary(ld.snapshot()), s1.describe())
	}

	// Neo4j goes away.
	t.Cleanup(func() {
		if out, err := neo4jScript("up"); err != nil {
			t.Errorf("bringing Neo4j back up after the test: %v\n%s", err, out)
		}
	})
	downStart := time.Now()
	if out, err := neo4jScript("down"); err != nil {
		t.Fatalf("neo4j.sh down: %v\n%s", err, out)
	}
	downDone := time.Now()
	t.Logf("Neo4j stopped in %v", downDone.Sub(downStart).Round(time.Millisecond))

	// Scenario (a): a server started while Neo4j is down.
	s2 := launchWith(t, bin, env, flags...)
	if !waitFor(30*time.Second, func() bool { st, _ := probe(s2.baseURL, "/healthz"); return st == http.StatusOK }) {
		t.Fatalf("a server started while Neo4j is down does not answer /healthz\n%s", s2.describe())
	}
	var (
		status int
		body   string
	)
	if !waitFor(30*time.Second, func() bool {
		status, body = probe(s2.baseURL, "/readyz")
		return status != http.StatusServiceUnavailable || strings.Contains(body, "store unavailable")
	}) || status != http.StatusServiceUnavailable {
		t.Fatalf("/readyz with Neo4j down: HTTP %d %q, want 503 and the reason (store unavailable…)\n%s", status, body, s2.describe())
	}
	t.Logf("server started with Neo4j down: /readyz 503 %q", body)
	if o := ask(http.DefaultClient, s2.baseURL, faultQueries(entID)[1]); o.ok || !allCodes(o.codes, "STORE_UNAVAILABLE") || o.err != nil {
		t.Errorf("a query to the server started with Neo4j down: ok=%v codes=%v err=%v, want STORE_UNAVAILABLE", o.ok, o.codes, o.err)
	}

	// Scenario (b), the outage: let the load run for longer than a request
	// may take, so that requests begun before the stop have ended too.
	time.Sleep(faultTimeout + 2*time.Second)
	if st, body := probe(s1.baseURL, "/healthz"); st != http.StatusOK {
		t.Errorf("/healthz of the loaded server during the outage: %d %q", st, body)
	}
	if st, body := probe(s1.baseURL, "/readyz"); st != http.StatusServiceUnavailable || !strings.Contains(body, "store unavailable") {
		t.Errorf("/readyz of the loaded server during the outage: %d %q, want 503 store unavailable…", st, body)
	}

	// Neo4j comes back.
	upStart := time.Now()
	if out, err := neo4jScript("up"); err != nil {
		t.Fatalf("neo4j.sh up: %v\n%s", err, out)
	}
	upDone := time.Now()
	t.Logf("Neo4j started in %v", upDone.Sub(upStart).Round(time.Millisecond))

	if !waitFor(recoverTimeout, func() bool { return countOK(ld.snapshot(), upDone) >= 10 && writesOK(ld.snapshot(), upDone) >= 5 }) {
		t.Errorf("the loaded server did not answer again within %v of Neo4j's return: %s\n%s", recoverTimeout, summary(ld.snapshot()), s1.describe())
	} else {
		t.Logf("the loaded server answered again %v after Neo4j was up", firstOK(ld.snapshot(), upDone).Sub(upDone).Round(time.Millisecond))
	}
	if err := s2.waitReady(recoverTimeout); err != nil {
		t.Errorf("the server started with Neo4j down did not become ready within %v of Neo4j's return: %v\n%s", recoverTimeout, err, s2.describe())
	} else {
		t.Logf("the server started with Neo4j down became ready %v after Neo4j was up", time.Since(upDone).Round(time.Millisecond))
		if o := ask(http.DefaultClient, s2.baseURL, faultQueries(entID)[1]); !o.ok {
			t.Errorf("a query after recovery: codes %v, err %v", o.codes, o.err)
		}
	}
	outcomes := ld.halt()
	halted = true

	// What the load saw. Requests answered before the stop must succeed;
	// requests that overlap the stop or the outage may only fail with
	// STORE_UNAVAILABLE (and must fail if begun once Neo4j was down);
	// requests that overlap the start may also end in TIMEOUT, as the
	// first queries on a cold Neo4j can take longer than the limit. None
	// may go unanswered or outlast the request timeout.
	var outage, timeouts, refused, writesDown int
	var outageFail []time.Duration
	for _, o := range outcomes {
		d := o.end.Sub(o.start)
		at := o.start.Sub(downStart).Round(time.Millisecond)
		if o.hostile {
			// The limits hold whether Neo4j is there or not.
			h := hostile[slices.IndexFunc(hostile, func(h hostileRequest) bool { return h.name == o.query })]
			if o.err != nil || o.ok || !allCodes(o.codes, h.code) {
				t.Errorf("hostile request %q begun %v after the stop: HTTP %d, codes %v, err %v; want %s", h.name, at, o.status, o.codes, o.err, h.code)
			} else {
				refused++
			}
			continue
		}
		if o.query == "write" && o.start.After(downDone) && o.end.Before(upStart) {
			writesDown++
		}
		switch {
		case o.err != nil:
			t.Errorf("a request begun %v after the stop got no answer after %v: %v", at, d.Round(time.Millisecond), o.err)
			continue
		case d > faultTimeout+5*time.Second:
			t.Errorf("a request begun %v after the stop was answered after %v, past the request timeout %v", at, d.Round(time.Millisecond), faultTimeout)
		}
		switch {
		case o.end.Before(downStart):
			if !o.ok {
				t.Errorf("a request answered before the stop failed with %v: %s", o.codes, o.query)
			}
		case o.end.Before(upStart):
			if o.ok && o.start.After(downDone) {
				t.Errorf("a request begun %v after the stop, with Neo4j down, succeeded: %s", at, o.query)
			}
			if !o.ok && !allCodes(o.codes, "STORE_UNAVAILABLE") {
				t.Errorf("a request begun %v after the stop failed after %v with codes %v, want STORE_UNAVAILABLE: %s", at, d.Round(time.Millisecond), o.codes, o.query)
			}
			if o.start.After(downDone) {
				outage++
				outageFail = append(outageFail, d)
			}
		default:
			if !o.ok {
				unavailable, timeout := allCodes(o.codes, "STORE_UNAVAILABLE"), allCodes(o.codes, "TIMEOUT")
				if timeout {
					timeouts++
				}
				if !unavailable && !timeout {
					t.Errorf("a request begun %v after the stop, while Neo4j started, failed with codes %v, want STORE_UNAVAILABLE or TIMEOUT: %s", at, o.codes, o.query)
				}
			}
		}
	}
	if outage == 0 {
		t.Errorf("no request was made while Neo4j was down: %s", summary(outcomes))
	}
	slices.Sort(outageFail)
	if len(outageFail) > 0 {
		t.Logf("while Neo4j was down, %d requests failed with STORE_UNAVAILABLE after %v (fastest), %v (median), %v (slowest); request timeout %v",
			len(outageFail), outageFail[0].Round(time.Millisecond), outageFail[len(outageFail)/2].Round(time.Millisecond),
			outageFail[len(outageFail)-1].Round(time.Millisecond), faultTimeout)
	}
	t.Logf("load: %s; %d TIMEOUT while Neo4j started; %d hostile requests refused; %d writes tried while Neo4j was down", summary(outcomes), timeouts, refused, writesDown)
	if writesDown == 0 {
		t.Errorf("no write was tried while Neo4j was down")
	}

	// No acknowledged write is lost: each is stored whole once Neo4j is
	// back, through either server.
	acked := wr.acknowledged()
	var before, after int
	for _, o := range outcomes {
		if o.query == "write" && o.ok {
			if o.end.Before(downStart) {
				before++
			} else if o.start.After(upStart) {
				after++
			}
		}
	}
	if before == 0 || after == 0 {
		t.Errorf("writes acknowledged before the stop: %d, after the start: %d; want some of each", before, after)
	}
	whole := checkAcknowledged(t, client, s1.baseURL, acked)
	checkAcknowledged(t, client, s2.baseURL, acked)
	t.Logf("%d writes acknowledged (%d before the stop, %d after Neo4j was up), %d stored whole", len(acked), before, after, whole)

	for _, s := range []*server{s1, s2} {
		if strings.Contains(s.output(), "panic") {
			t.Errorf("server %s logged a panic\n%s", s.addr, s.describe())
		}
		s.stop(stopTimeout) // fails unless it still runs and exits cleanly
	}
}

// countOK counts the successful outcomes begun after since.
func countOK(outs []outcome, since time.Time) int {
	n := 0
	for _, o := range outs {
		if o.ok && o.start.After(since) {
			n++
		}
	}
	return n
}

// writesOK counts the acknowledged writes begun after since.
func writesOK(outs []outcome, since time.Time) int {
	n := 0
	for _, o := range outs {
		if o.ok && o.query == "write" && o.start.After(since) {
			n++
		}
	}
	return n
}

// firstOK returns when the first success begun after since ended.
func firstOK(outs []outcome, since time.Time) time.Time {
	var first time.Time
	for _, o := range outs {
		if o.ok && o.start.After(since) && (first.IsZero() || o.end.Before(first)) {
			first = o.end
		}
	}
	return first
}

// allCodes reports whether there is at least one code and all are want.
func allCodes(codes []string, want string) bool {
	if len(codes) == 0 {
		return false
	}
	for _, c := range codes {
		if c != want {
			return false
		}
	}
	return true
}

// summary counts outcomes by result.
func summary(outs []outcome) string {
	by := map[string]int{}
	for _, o := range outs {
		switch {
		case o.err != nil:
			by["no answer"]++
		case o.ok:
			by["ok"]++
		default:
			codes := slices.Clone(o.codes)
			slices.Sort(codes)
			by[strings.Join(slices.Compact(codes), "+")]++
		}
	}
	keys := make([]string, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, by[k])
	}
	return fmt.Sprintf("%d requests: %s", len(outs), strings.Join(parts, ", "))
}
