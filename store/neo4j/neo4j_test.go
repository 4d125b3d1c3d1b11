package neo4j_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/store/neo4j"
	"github.com/innograph/innograph/store/neo4j/neo4jtest"
	"github.com/innograph/innograph/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) kg.Store { return neo4jtest.Open(t) })
}

// TestOntologyFitsTheModel checks that no ontology property collides with
// the properties the model adds, or with a flattened series key.
func TestOntologyFitsTheModel(t *testing.T) {
	reserved := []string{"id", "createdAt", "updatedAt"}
	for _, k := range kg.Kinds {
		names := map[string]bool{}
		for _, p := range kg.NodeProps(k) {
			names[p.Name] = true
		}
		for _, p := range kg.NodeProps(k) {
			if slices.Contains(reserved, p.Name) || strings.HasPrefix(p.Name, "_") {
				t.Errorf("%s.%s collides with a property of the model", k, p.Name)
			}
			if p.Type == kg.SeriesType {
				for other := range names {
					if strings.HasPrefix(other, p.Name+"_") {
						t.Errorf("%s.%s looks like a year of series %s", k, other, p.Name)
					}
				}
			}
		}
	}
	for _, rt := range kg.RelTypes {
		for _, p := range kg.EdgeProps(rt) {
			if p.Name == "id" || strings.HasPrefix(p.Name, "_") {
				t.Errorf("%s.%s collides with a property of the model", rt, p.Name)
			}
		}
	}
}

// schema lists the indexes and constraints of the database with their
// states.
func schema(t *testing.T, s *neo4j.Store) []string {
	t.Helper()
	rows, err := neo4j.Query(t.Context(), s, "SHOW INDEXES YIELD name, state RETURN name + ' ' + state AS x ORDER BY x", nil)
	if err != nil {
		t.Fatal(err)
	}
	cons, err := neo4j.Query(t.Context(), s, "SHOW CONSTRAINTS YIELD name, type RETURN name + ' ' + type AS x ORDER BY x", nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range append(rows, cons...) {
		out = append(out, r["x"].(string))
	}
	return out
}

func TestMigrateIsIdempotent(t *testing.T) {
	s := neo4jtest.Open(t) // migrated once
	before := schema(t, s)
	for i := range 2 {
		start := time.Now()
		if err := s.Migrate(t.Context()); err != nil {
			t.Fatalf("Migrate again (%d): %v", i+1, err)
		}
		t.Logf("Migrate on a migrated database took %v", time.Since(start).Round(time.Millisecond))
	}
	after := schema(t, s)
	if !slices.Equal(before, after) {
		t.Errorf("schema changed by a second Migrate:\n before %v\n after  %v", before, after)
	}
	want := []string{"kg_node_id UNIQUENESS", "kg_apply_lock UNIQUENESS", "kg_rel_SUPPLIES_id RELATIONSHIP_UNIQUENESS",
		"kg_node_search ONLINE", "kg_node_names ONLINE", "kg_Enterprise_foundedYear ONLINE", "kg_Indicator_target ONLINE"}
	for _, w := range want {
		if !slices.Contains(after, w) {
			t.Errorf("schema lacks %q: %v", w, after)
		}
	}
	for _, x := range after {
		if f := strings.Fields(x); len(f) == 2 && strings.HasPrefix(f[0], "kg_") && (f[1] == "POPULATING" || f[1] == "FAILED") {
			t.Errorf("index %s", x)
		}
	}
}

// runCounter counts the statements sessions send.
type runCounter struct{ runs atomic.Int64 }

func (c *runCounter) LogClientMessage(_ string, msg string, _ ...any) {
	if strings.HasPrefix(msg, "RUN") {
		c.runs.Add(1)
	}
}
func (c *runCounter) LogServerMessage(string, string, ...any) {}

// TestLargeBatch writes 10,000 rows in one Apply and checks that it costs
// a number of statements bounded by the kinds and types, not the rows.
func TestLargeBatch(t *testing.T) {
	s := neo4jtest.Open(t)
	const nodes, edges = 6000, 4000
	var b kg.Batch
	kinds := []kg.Kind{kg.Enterprise, kg.University, kg.Talent}
	for i := range nodes {
		p := kg.Props{"name": fmt.Sprintf("批量机构%d", i), "district": "中山区"}
		if kinds[i%3] == kg.Enterprise {
			p["revenue"] = kg.Series{2022: float64(i), 2023: float64(2 * i)}
			p["foundedYear"] = 1990 + i%30
		}
		b.Nodes = append(b.Nodes, kg.Node{ID: fmt.Sprintf("big-%05d", i), Kind: kinds[i%3], Props: p})
	}
	for i := range edges {
		j := i / 2
		switch i % 2 {
		case 0: // Enterprise → Enterprise
			b.Edges = append(b.Edges, kg.Edge{Type: kg.Supplies, From: fmt.Sprintf("big-%05d", 3*j), To: fmt.Sprintf("big-%05d", (3*j+3)%nodes), Props: kg.Props{"since": 2015}})
		default: // Talent → University
			b.Edges = append(b.Edges, kg.Edge{Type: kg.AlumnusOf, From: fmt.Sprintf("big-%05d", 3*j+2), To: fmt.Sprintf("big-%05d", 3*j+1), Props: kg.Props{"degree": "PHD"}})
		}
	}
	counter := &runCounter{}
	neo4j.SetBoltLogger(s, counter)
	start := time.Now()
	res, err := s.Apply(t.Context(), b)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	if *res != (kg.WriteResult{NodesCreated: nodes, EdgesCreated: edges}) {
		t.Errorf("result %+v", *res)
	}
	// lock, read, 3 node kinds, 2 relationship types
	if runs := counter.runs.Load(); runs > 7 {
		t.Errorf("Apply of %d rows ran %d statements, want at most 7", nodes+edges, runs)
	}
	t.Logf("Apply of %d nodes and %d edges (created) took %v in %d statements", nodes, edges, took.Round(time.Millisecond), counter.runs.Load())

	counter.runs.Store(0)
	start = time.Now()
	res, err = s.Apply(t.Context(), b)
	if err != nil {
		t.Fatal(err)
	}
	if *res != (kg.WriteResult{NodesUnchanged: nodes, EdgesUnchanged: edges}) {
		t.Errorf("second result %+v", *res)
	}
	t.Logf("Apply of the same %d rows (unchanged) took %v in %d statements", nodes+edges, time.Since(start).Round(time.Millisecond), counter.runs.Load())

	for i := range b.Nodes {
		b.Nodes[i].Props["district"] = "西岗区"
	}
	counter.runs.Store(0)
	start = time.Now()
	res, err = s.Apply(t.Context(), kg.Batch{Nodes: b.Nodes})
	if err != nil {
		t.Fatal(err)
	}
	if *res != (kg.WriteResult{NodesUpdated: nodes}) {
		t.Errorf("third result %+v", *res)
	}
	t.Logf("Apply of %d node updates took %v in %d statements", nodes, time.Since(start).Round(time.Millisecond), counter.runs.Load())

	counter.runs.Store(0)
	var del []string
	for _, n := range b.Nodes[:5000] {
		del = append(del, n.ID)
	}
	start = time.Now()
	res, err = s.Apply(t.Context(), kg.Batch{DeleteNodes: del})
	if err != nil {
		t.Fatal(err)
	}
	if res.NodesDeleted != 5000 || res.EdgesDeleted == 0 {
		t.Errorf("delete result %+v", *res)
	}
	t.Logf("Apply of %d node deletes (%d edges with them) took %v in %d statements", len(del), res.EdgesDeleted, time.Since(start).Round(time.Millisecond), counter.runs.Load())
	st, err := s.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if st.Nodes != nodes-5000 || st.Edges != edges-res.EdgesDeleted {
		t.Errorf("stats after the deletes: %+v", st)
	}
}

// TestSeriesFlattened checks the stored form of a yearly series: one
// float property per year, merged and removed year by year, and usable by
// one Cypher aggregation.
// TestApplyReadSeeks checks that the statement with which Apply reads
// what a batch names finds nodes and relationships by index seeks, also
// for relationship types that have relationships, and never scans.
func TestApplyReadSeeks(t *testing.T) {
	s := neo4jtest.Open(t)
	ctx := t.Context()
	// Relationships of one type: its lookup runs after the count store
	// has said that it has some.
	const nodes, perNode = 100, 10
	var b kg.Batch
	for i := range nodes {
		b.Nodes = append(b.Nodes, kg.Node{ID: fmt.Sprintf("seek-%03d", i), Kind: kg.Enterprise, Props: kg.Props{"name": fmt.Sprintf("检索%d", i)}})
	}
	for i := range nodes {
		for j := 1; j <= perNode; j++ {
			b.Edges = append(b.Edges, kg.Edge{Type: kg.Supplies, From: fmt.Sprintf("seek-%03d", i), To: fmt.Sprintf("seek-%03d", (i+j)%nodes)})
		}
	}
	if _, err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	for _, stage := range []string{"with relationships of one type", "empty"} {
		t.Run(stage, func(t *testing.T) {
			ops, err := neo4j.ApplyReadOperators(ctx, s, nodes*perNode)
			if err != nil {
				t.Fatal(err)
			}
			count := func(prefix string) int {
				n := 0
				for _, op := range ops {
					if strings.HasPrefix(op, prefix) {
						n++
					}
				}
				return n
			}
			for _, op := range ops {
				if strings.Contains(op, "Scan") {
					t.Errorf("the plan has %s: %v", op, ops)
				}
			}
			if n := count("NodeUniqueIndexSeek"); n != 3 {
				t.Errorf("%d node index seeks, want 3 (upserted, referred to, deleted): %v", n, ops)
			}
			if n := count("DirectedRelationshipUniqueIndexSeek"); n != len(kg.RelTypes) {
				t.Errorf("%d relationship index seeks, want one per type (%d): %v", n, len(kg.RelTypes), ops)
			}
		})
		if err := neo4jtest.Wipe(ctx, neo4jtest.Config()); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSeriesFlattened(t *testing.T) {
	s := neo4jtest.Open(t)
	ctx := t.Context()
	write := func(id string, rev any) {
		t.Helper()
		if _, err := s.Apply(ctx, kg.Batch{Nodes: []kg.Node{{ID: id, Kind: kg.Enterprise, Props: kg.Props{"name": "序列" + id, "revenue": rev}}}}); err != nil {
			t.Fatal(err)
		}
	}
	stored := func(id string) map[string]any {
		t.Helper()
		rows, err := neo4j.Query(ctx, s, "MATCH (n:Node {id: $id}) RETURN properties(n) AS p", map[string]any{"id": id})
		if err != nil || len(rows) != 1 {
			t.Fatalf("reading %s: %v %v", id, rows, err)
		}
		p := rows[0]["p"].(map[string]any)
		out := map[string]any{}
		for k, v := range p {
			if strings.HasPrefix(k, "revenue") {
				out[k] = v
			}
		}
		return out
	}
	steps := []struct {
		name   string
		rev    any
		stored map[string]any
		read   kg.Series
	}{
		{"create", kg.Series{2021: 1.5, 2022: 2}, map[string]any{"revenue_2021": 1.5, "revenue_2022": 2.0}, kg.Series{2021: 1.5, 2022: 2}},
		{"merge a year", map[string]any{"2023": 3}, map[string]any{"revenue_2021": 1.5, "revenue_2022": 2.0, "revenue_2023": 3.0}, kg.Series{2021: 1.5, 2022: 2, 2023: 3}},
		{"replace and remove a year", kg.Series{2021: math.NaN(), 2022: 20}, map[string]any{"revenue_2022": 20.0, "revenue_2023": 3.0}, kg.Series{2022: 20, 2023: 3}},
		{"remove the series", nil, map[string]any{}, nil},
		{"again", kg.Series{2024: 0.5}, map[string]any{"revenue_2024": 0.5}, kg.Series{2024: 0.5}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			write("ser-1", st.rev)
			if got := stored("ser-1"); !reflect.DeepEqual(got, st.stored) {
				t.Errorf("stored %v, want %v", got, st.stored)
			}
			n, err := s.GetNodes(ctx, []string{"ser-1"})
			if err != nil {
				t.Fatal(err)
			}
			got := n[0].Props.Series("revenue")
			if !reflect.DeepEqual(got, st.read) {
				t.Errorf("read %#v, want %#v", got, st.read)
			}
		})
	}
	write("ser-2", kg.Series{2024: 10, 2023: 7})
	write("ser-3", kg.Series{2023: 1})
	rows, err := neo4j.Query(ctx, s, "MATCH (n:Enterprise) RETURN sum(n['revenue_' + $year]) AS total, count(n['revenue_' + $year]) AS n", map[string]any{"year": "2024"})
	if err != nil {
		t.Fatal(err)
	}
	if rows[0]["total"] != 10.5 || rows[0]["n"] != int64(2) {
		t.Errorf("sum of revenue_2024: %v", rows[0])
	}
}

// closedPort returns a local address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestUnreachable checks that a store whose server is gone opens, fails
// fast with kg.ErrUnavailable, and, retrying, ends before the ctx
// deadline (see TestRetriesEndBeforeTheDeadline for longer retries).
func TestUnreachable(t *testing.T) {
	cfg := neo4j.DefaultConfig()
	cfg.URI = "bolt://" + closedPort(t)
	s, err := neo4j.Open(t.Context(), cfg)
	if err != nil {
		t.Fatalf("Open without a server: %v", err)
	}
	defer s.Close()
	start := time.Now()
	err = s.Ping(context.Background())
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Ping took %v", d)
	}
	if !errors.Is(err, kg.ErrUnavailable) {
		t.Errorf("Ping: %v, want an error wrapping kg.ErrUnavailable", err)
	}
	calls := map[string]func(ctx context.Context) error{
		"GetNodes": func(ctx context.Context) error { _, err := s.GetNodes(ctx, []string{"x"}); return err },
		"FindNodes": func(ctx context.Context) error {
			_, err := s.FindNodes(ctx, kg.NodeQuery{Kind: kg.Enterprise, First: 1})
			return err
		},
		"Apply": func(ctx context.Context) error {
			_, err := s.Apply(ctx, kg.Batch{Nodes: []kg.Node{{ID: "x", Kind: kg.Talent, Props: kg.Props{"name": "某人"}}}})
			return err
		},
		"Migrate": func(ctx context.Context) error { return s.Migrate(ctx) },
	}
	for name, call := range calls {
		ctx, cancel := context.WithTimeout(t.Context(), 1500*time.Millisecond)
		err := call(ctx)
		ended := ctx.Err()
		cancel()
		// The store gives up retrying a little before the deadline, so
		// that its caller still has time to report the outage.
		if ended != nil {
			t.Errorf("%s returned after its 1.5s deadline (%v): %v", name, ended, err)
		}
		if !errors.Is(err, kg.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: %v, want an error wrapping kg.ErrUnavailable, not context.DeadlineExceeded", name, err)
		}
	}
}

// proxy forwards TCP connections from a local port to Neo4j, and can cut
// them all, as a server that goes away does.
type proxy struct {
	addr, target string
	mu           sync.Mutex
	l            net.Listener
	conns        []net.Conn
}

func startProxy(t *testing.T, addr, target string) *proxy {
	t.Helper()
	p := &proxy{addr: addr, target: target}
	p.start(t)
	t.Cleanup(p.stop)
	return p
}

func (p *proxy) start(t *testing.T) {
	t.Helper()
	l, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	p.l, p.addr = l, l.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, u)
			p.mu.Unlock()
			go io.Copy(c, u)
			go io.Copy(u, c)
		}
	}()
}

func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.l != nil {
		p.l.Close()
		p.l = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// TestServerGoesAway cuts the connections to a working server: calls fail
// with kg.ErrUnavailable within a few MaxTxRetry (the driver sleeps with
// exponential backoff between attempts), Ping at once, and the
// store recovers when the server is back.
func TestServerGoesAway(t *testing.T) {
	cfg := neo4jtest.Config()
	target := boltAddress(t, cfg.URI)
	neo4jtest.Connect(t, cfg) // skips when Neo4j is down
	p := startProxy(t, "127.0.0.1:0", target)
	cfg.URI = "bolt://" + p.addr
	cfg.MaxTxRetry = 2 * time.Second
	s, err := neo4j.Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	find := func() error {
		_, err := s.FindNodes(ctx, kg.NodeQuery{Kind: kg.Policy, First: 1})
		return err
	}
	if err := find(); err != nil {
		t.Fatalf("through the proxy: %v", err)
	}
	p.stop()
	start := time.Now()
	err = find()
	if d := time.Since(start); d > 4*cfg.MaxTxRetry {
		t.Errorf("FindNodes with the server gone took %v (MaxTxRetry %v)", d, cfg.MaxTxRetry)
	}
	if !errors.Is(err, kg.ErrUnavailable) {
		t.Errorf("FindNodes with the server gone: %v, want an error wrapping kg.ErrUnavailable", err)
	}
	start = time.Now()
	if err := s.Ping(ctx); !errors.Is(err, kg.ErrUnavailable) || time.Since(start) > time.Second {
		t.Errorf("Ping with the server gone: %v after %v", err, time.Since(start))
	}
	p.start(t)
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping with the server back: %v", err)
	}
	if err := find(); err != nil {
		t.Errorf("FindNodes with the server back: %v", err)
	}
}

// boltAddress returns the host:port of a bolt:// uri; these tests need
// one. Without it they skip loudly, or fail when CI=true.
func boltAddress(t *testing.T, uri string) string {
	t.Helper()
	addr, ok := strings.CutPrefix(uri, "bolt://")
	if !ok {
		msg := fmt.Sprintf("NEO4J_URI %s is not a bolt:// address, which this test needs", uri)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip("SKIPPED: " + msg)
	}
	return addr
}

func TestRoutingScheme(t *testing.T) {
	cfg := neo4jtest.Config()
	cfg.URI = "neo4j://" + boltAddress(t, cfg.URI)
	s := neo4jtest.OpenConfig(t, cfg)
	ctx := t.Context()
	res, err := s.Apply(ctx, kg.Batch{
		Nodes: []kg.Node{{ID: "r1", Kind: kg.Enterprise, Props: kg.Props{"name": "路由企业"}}, {ID: "r2", Kind: kg.Enterprise, Props: kg.Props{"name": "路由伙伴"}}},
		Edges: []kg.Edge{{Type: kg.Supplies, From: "r1", To: "r2"}},
	})
	if err != nil {
		t.Fatalf("Apply over %s: %v", cfg.URI, err)
	}
	if *res != (kg.WriteResult{NodesCreated: 2, EdgesCreated: 1}) {
		t.Errorf("result %+v", *res)
	}
	nb, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: []string{"r1"}})
	if err != nil || len(nb["r1"]) != 1 || nb["r1"][0].Node.ID != "r2" {
		t.Errorf("Neighbors over %s: %v, %v", cfg.URI, nb, err)
	}
}

// TestMigrateClosed checks the one method beyond kg.Store on a closed
// store (the conformance suite checks the others).
func TestMigrateClosed(t *testing.T) {
	s, err := neo4j.Open(t.Context(), neo4jtest.Config())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(t.Context()); !errors.Is(err, kg.ErrUnavailable) {
		t.Errorf("Migrate after Close: %v, want an error wrapping kg.ErrUnavailable", err)
	}
}

// TestReplaceInPieces runs the conformance cases of Replace with
// transactions of at most 7 items, so that every replace deletes and
// writes in pieces, and checks that a piecewise replace leaves exactly
// the new graph.
func TestReplaceInPieces(t *testing.T) {
	restore := neo4j.SetReplaceTxItems(7)
	defer restore()
	s := neo4jtest.Open(t)
	ctx := t.Context()
	var first kg.Batch
	for i := range 20 {
		first.Nodes = append(first.Nodes, storetest.Named(fmt.Sprintf("p-%02d", i), kg.Enterprise, fmt.Sprintf("第%d号企业", i)))
		if i > 0 {
			first.Edges = append(first.Edges, storetest.Edge(fmt.Sprintf("p-s-%02d", i), kg.Supplies, fmt.Sprintf("p-%02d", i-1), fmt.Sprintf("p-%02d", i)))
		}
	}
	for round, b := range []kg.Batch{first, {Nodes: first.Nodes[:9], Edges: first.Edges[:8]}, first} {
		before, err := s.Stats(ctx)
		if err != nil {
			t.Fatalf("Stats: %v", err)
		}
		res, err := s.Replace(ctx, b)
		if err != nil {
			t.Fatalf("round %d: Replace: %v", round, err)
		}
		want := kg.WriteResult{NodesCreated: len(b.Nodes), EdgesCreated: len(b.Edges), NodesDeleted: before.Nodes, EdgesDeleted: before.Edges}
		if *res != want {
			t.Errorf("round %d: result %+v, want %+v", round, *res, want)
		}
		st, err := s.Stats(ctx)
		if err != nil {
			t.Fatalf("Stats: %v", err)
		}
		if st.Nodes != len(b.Nodes) || st.Edges != len(b.Edges) {
			t.Errorf("round %d: %d nodes and %d relationships after the replace, want %d and %d", round, st.Nodes, st.Edges, len(b.Nodes), len(b.Edges))
		}
		last := b.Nodes[len(b.Nodes)-1].ID
		nb, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: []string{last}})
		if err != nil || len(nb[last]) != 1 {
			t.Errorf("round %d: neighbours of %s: %v, %v", round, last, nb[last], err)
		}
	}
	if _, err := s.Replace(ctx, kg.Batch{Nodes: first.Nodes[:1], Edges: first.Edges[:1]}); !errors.Is(err, kg.ErrNotFound) {
		t.Errorf("a replace whose edge ends outside it: %v, want ErrNotFound", err)
	}
	if st, err := s.Stats(ctx); err != nil || st.Nodes != 20 || st.Edges != 19 {
		t.Errorf("a refused piecewise replace changed the graph: %+v, %v", st, err)
	}
}
