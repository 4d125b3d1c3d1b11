package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/innograph/innograph/auth"
	"github.com/innograph/innograph/store/neo4j/neo4jtest"
)

// backendHeader names the server behind the proxy that answered.
const backendHeader = "X-Innograph-Backend"

// roundRobin is a load balancer in front of several servers, as an
// intranet would put one: it sends each request to the next server that
// its last /readyz probe found ready, and says which in backendHeader.
type roundRobin struct {
	backends []*url.URL
	ready    []atomic.Bool
	next     atomic.Uint64
	served   []atomic.Int64 // requests sent to each backend
	stop     chan struct{}
	wg       sync.WaitGroup
}

// newRoundRobin starts probing the backends' /readyz every 100 ms.
func newRoundRobin(t *testing.T, baseURLs ...string) (*roundRobin, *httptest.Server) {
	rr := &roundRobin{ready: make([]atomic.Bool, len(baseURLs)), served: make([]atomic.Int64, len(baseURLs)), stop: make(chan struct{})}
	for _, b := range baseURLs {
		u, err := url.Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		rr.backends = append(rr.backends, u)
	}
	rr.probe()
	rr.wg.Add(1)
	go func() {
		defer rr.wg.Done()
		for {
			select {
			case <-rr.stop:
				return
			case <-time.After(100 * time.Millisecond):
				rr.probe()
			}
		}
	}()
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			i := rr.pick()
			r.SetURL(rr.backends[i])
			r.Out.Header.Set(backendHeader, fmt.Sprint(i))
		},
		ModifyResponse: func(resp *http.Response) error {
			resp.Header.Set(backendHeader, resp.Request.Header.Get(backendHeader))
			return nil
		},
	}
	ts := httptest.NewServer(proxy)
	t.Cleanup(func() {
		ts.Close()
		close(rr.stop)
		rr.wg.Wait()
	})
	return rr, ts
}

// probe asks every backend's /readyz.
func (rr *roundRobin) probe() {
	for i, u := range rr.backends {
		st, _ := probe(u.String(), "/readyz")
		rr.ready[i].Store(st == http.StatusOK)
	}
}

// pick returns the next ready backend (the next one at all if none is).
func (rr *roundRobin) pick() int {
	n := uint64(len(rr.backends))
	start := rr.next.Add(1)
	for k := range n {
		i := int((start + k) % n)
		if rr.ready[i].Load() {
			rr.served[i].Add(1)
			return i
		}
	}
	return int(start % n)
}

// TestServersShareNeo4j runs two servers of the real binary on one Neo4j
// behind a round-robin proxy (httputil.ReverseProxy, routing by /readyz):
//
//   - the second server, started on the store the first one seeded and
//     wrote to, becomes ready without seeding it again;
//   - a write acknowledged by one server is read at once through the
//     other, for writes through each;
//   - under readers and writers through the proxy, every request
//     succeeds and every acknowledged write is read whole through both;
//   - the audit log is one: read through either server it lists the same
//     entries, with distinct sequence numbers, for writes through both;
//   - each server's /readyz answers 200, and when one stops, the proxy
//     sends everything to the other and every request still succeeds.
func TestServersShareNeo4j(t *testing.T) {
	bin := buildBinary(t)
	cfg := useNeo4j(t)
	if err := neo4jtest.Wipe(t.Context(), cfg); err != nil {
		t.Fatalf("emptying the database: %v", err)
	}
	env := processEnv(cfg)
	editor, editorLine := newKey(t, "cluster-writer", auth.Editor)
	admin, adminLine := newKey(t, "cluster-admin", auth.Admin)
	flags := []string{"--store", "neo4j", "--api-keys", editorLine + ";" + adminLine, "--log-level", "warn"}
	client := loadClient()

	a := startWith(t, bin, env, flags...)
	first := &writers{prefix: "first", key: editor, customers: demoEnterprises(50)}
	if o := first.write(client, a.baseURL, 0, 0); !o.ok {
		t.Fatalf("a write through the first server: codes %v %v, err %v", o.codes, o.messages, o.err)
	}
	b := startWith(t, bin, env, flags...)
	if strings.Contains(b.output(), "generated demo ecosystem") {
		t.Errorf("the second server seeded the store the first one serves\n%s", b.describe())
	}
	checkAcknowledged(t, client, b.baseURL, first.acknowledged())
	servers := []*server{a, b}
	for _, s := range servers {
		if st, body := probe(s.baseURL, "/readyz"); st != http.StatusOK {
			t.Errorf("/readyz of %s: %d %q", s.addr, st, body)
		}
	}
	rr, proxy := newRoundRobin(t, a.baseURL, b.baseURL)

	// Read-your-writes across servers: each write acknowledged through
	// the proxy is read at once through the other server.
	cross := &writers{prefix: "cross", key: editor, customers: demoEnterprises(50)}
	through := [2]int{}
	for i := range 20 {
		w, vars := cross.batch(0, i)
		req, _ := http.NewRequest(http.MethodPost, proxy.URL+"/graphql", bytes.NewReader(queryBody(writeMutation, vars)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+editor)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("a write through the proxy: %v", err)
		}
		o := classify(outcome{start: time.Now(), query: "write"}, resp)
		resp.Body.Close()
		if !o.ok {
			t.Fatalf("a write through the proxy: HTTP %d, codes %v %v, err %v", o.status, o.codes, o.messages, o.err)
		}
		var by int
		fmt.Sscan(resp.Header.Get(backendHeader), &by)
		through[by]++
		other := servers[1-by]
		found := readBack(t, client, other.baseURL, []string{w.id})
		if n, ok := found[w.id]; !ok {
			t.Errorf("write %s acknowledged by server %d is not read through server %d", w.id, by, 1-by)
		} else if p := checkWrite(w, n); p != "" {
			t.Errorf("write %s acknowledged by server %d, read through server %d: %s", w.id, by, 1-by, p)
		}
		cross.acked = append(cross.acked, w)
	}
	if through[0] == 0 || through[1] == 0 {
		t.Errorf("writes through each server: %v; want some through both", through)
	}
	t.Logf("%v writes acknowledged through each server, each read at once through the other", through)

	// Readers and writers through the proxy.
	queries := readerQueries(t)
	wr := &writers{prefix: "cluster", key: editor, customers: demoEnterprises(50)}
	ld := &load{stop: make(chan struct{})}
	ld.add(8, func(w, i int) outcome {
		q := queries[(w+i)%len(queries)]
		return send(client, proxy.URL, "", queryBody(q.query, nil), q.name)
	})
	ld.add(loadWriters, func(w, i int) outcome { return wr.write(client, proxy.URL, w, i) })
	time.Sleep(10 * time.Second)
	outs := ld.halt()
	for _, o := range outs {
		if !o.ok {
			t.Errorf("%q through the proxy failed: HTTP %d, codes %v %v, err %v", o.query, o.status, o.codes, o.messages, o.err)
		}
	}
	served := [2]int64{rr.served[0].Load(), rr.served[1].Load()}
	t.Logf("through the proxy: %s; requests per server %v", summary(outs), served)
	if served[0] == 0 || served[1] == 0 {
		t.Errorf("requests per server %v: want both to serve", served)
	}
	acked := slices.Concat(first.acknowledged(), cross.acknowledged(), wr.acknowledged())
	for _, s := range servers {
		checkAcknowledged(t, client, s.baseURL, acked)
	}

	// One audit log: the same entries through either server, one per
	// write, with distinct sequence numbers.
	logs := make([][]auditRecord, 2)
	for i, s := range servers {
		logs[i] = auditEntries(t, client, s.baseURL, admin)
	}
	if !auditEqual(logs[0], logs[1]) {
		t.Errorf("the audit log differs between the servers: %d entries through one, %d through the other", len(logs[0]), len(logs[1]))
	}
	seqs := map[int]bool{}
	logged := map[string]bool{}
	for _, e := range logs[0] {
		if seqs[e.Seq] {
			t.Errorf("audit sequence number %d appears twice", e.Seq)
		}
		seqs[e.Seq] = true
		for _, id := range e.Nodes {
			logged[id] = true
		}
	}
	missing := 0
	for _, w := range acked {
		if !logged[w.id] {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged writes are not in the audit log", missing, len(acked))
	}
	t.Logf("%d writes acknowledged, read whole through both servers; the audit log holds %d entries through either", len(acked), len(logs[0]))

	// One server stops: the proxy sees it is not ready and sends
	// everything to the other.
	b.stop(stopTimeout)
	if !waitFor(5*time.Second, func() bool { return !rr.ready[1].Load() }) {
		t.Fatalf("the proxy still finds the stopped server ready")
	}
	for i := range 20 {
		q := queries[i%len(queries)]
		if o := send(client, proxy.URL, "", queryBody(q.query, nil), q.name); !o.ok {
			t.Errorf("%q through the proxy with one server stopped: HTTP %d, codes %v, err %v", q.name, o.status, o.codes, o.err)
		}
	}
	if st, body := probe(a.baseURL, "/readyz"); st != http.StatusOK {
		t.Errorf("/readyz of the server still running: %d %q", st, body)
	}
	a.stop(stopTimeout)
}

// auditEqual reports whether two audit logs hold the same entries.
func auditEqual(x, y []auditRecord) bool {
	bx, _ := json.Marshal(x)
	by, _ := json.Marshal(y)
	return bytes.Equal(bx, by)
}
