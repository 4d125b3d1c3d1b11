package graph_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/backendtest"
)

// supplyGraph builds n enterprises; enterprise i is supplied by the three
// enterprises i+1..i+3 (mod n) and belongs to industry i%4 and, when i is
// even, also to industry 4.
func supplyGraph(t *testing.T, n int) kg.Store {
	t.Helper()
	st := backendtest.Embedded(t)
	var b kg.Batch
	for i := 0; i < 5; i++ {
		b.Nodes = append(b.Nodes, kg.Node{ID: fmt.Sprintf("ind-%d", i), Kind: kg.Industry, Props: kg.Props{"name": fmt.Sprintf("产业%d", i)}})
	}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("ent-%03d", i)
		b.Nodes = append(b.Nodes, kg.Node{ID: id, Kind: kg.Enterprise, Props: kg.Props{
			"name": fmt.Sprintf("大连测试%03d科技有限公司", i), "district": "中山区", "foundedYear": int64(2000 + i%20),
			"revenue": kg.Series{2024: float64(i) * 1e6},
		}})
		for d := 1; d <= 3; d++ {
			if from := fmt.Sprintf("ent-%03d", (i+d)%n); from != id { // no loop: the ontology refuses one
				b.Edges = append(b.Edges, kg.Edge{Type: kg.Supplies, From: from, To: id, Props: kg.Props{"product": "零件", "since": int64(2020)}})
			}
		}
		b.Edges = append(b.Edges, kg.Edge{Type: kg.InIndustry, From: id, To: fmt.Sprintf("ind-%d", i%4)})
		if i%2 == 0 {
			b.Edges = append(b.Edges, kg.Edge{Type: kg.InIndustry, From: id, To: "ind-4"})
		}
	}
	backendtest.Load(t, st, []kg.Batch{b})
	return st
}

// TestNestedQueryStoreCalls checks the store calls of the nested query:
// one Fetch with request plans; without them, one FindNodes and one
// batched Neighbors per nested level through the loaders (the fallback
// of fields a plan does not cover). The answer is the same either way.
func TestNestedQueryStoreCalls(t *testing.T) {
	const n = 60
	cs := apitest.NewCountingStore(supplyGraph(t, n))
	for _, tc := range []struct {
		name      string
		noPlanner bool
		check     func(calls map[string]int) bool
		want      string
	}{
		{"planned", false, func(c map[string]int) bool { return c["Fetch"] == 1 && len(c) == 1 }, "one Fetch"},
		{"loaders", true, func(c map[string]int) bool {
			// Two levels of 50 and 150 lookups: batched they are two calls; on
			// a loaded machine a level may arrive in two windows, so up to four.
			return c["FindNodes"] == 1 && c["Neighbors"] >= 2 && c["Neighbors"] <= 4 && len(c) == 2
		}, "one FindNodes and two to four Neighbors (200 without batching)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := server.DefaultConfig()
			cfg.DisablePlanner = tc.noPlanner
			// A generous window, so that slow machines (and -race) batch as fast ones do.
			cfg.LoaderWait = 50 * time.Millisecond
			c := apitest.NewClient(t, cfg, cs)
			var out apitest.NestedResult
			cs.Reset()
			c.MustData(apitest.NestedQuery, nil, &out)
			if calls := cs.Calls(); !tc.check(calls) {
				t.Errorf("nested query made store calls %v, want %s", calls, tc.want)
			}
			checkNested(t, out, n)
		})
	}
}

// checkNested checks the answer of the nested query over supplyGraph(n).
func checkNested(t *testing.T, out apitest.NestedResult, n int) {
	t.Helper()
	if got := len(out.Enterprises.Edges); got != 50 || out.Enterprises.TotalCount != n {
		t.Fatalf("got %d enterprises of %d, want 50 of %d", got, out.Enterprises.TotalCount, n)
	}
	for i, e := range out.Enterprises.Edges {
		if want := fmt.Sprintf("ent-%03d", i); e.Node.ID != want {
			t.Fatalf("enterprise %d is %s, want %s (default order by id)", i, e.Node.ID, want)
		}
		if e.Node.Suppliers.TotalCount != 3 || len(e.Node.Suppliers.Edges) != 3 {
			t.Fatalf("%s has %d suppliers, want 3", e.Node.ID, len(e.Node.Suppliers.Edges))
		}
		for _, s := range e.Node.Suppliers.Edges {
			var j int
			fmt.Sscanf(s.Node.ID, "ent-%d", &j)
			want := 1 + (j+1)%2
			if got := len(s.Node.Industries.Edges); got != want {
				t.Errorf("supplier %s has %d industries, want %d", s.Node.ID, got, want)
			}
		}
	}
}

func TestFirstIsValidated(t *testing.T) {
	c := apitest.NewClient(t, server.DefaultConfig(), supplyGraph(t, 5))
	cases := []struct {
		name, query, wantMsg string
	}{
		{"negative root", `{ enterprises(first: -1) { totalCount } }`, "first must be between 0 and 500, got -1"},
		{"too large root", `{ enterprises(first: 501) { totalCount } }`, "first must be between 0 and 500, got 501"},
		{"negative nested", `{ enterprises(first: 1) { edges { node { suppliers(first: -2) { totalCount } } } } }`, "got -2"},
		{"too large nested", `{ node(id: "ent-000") { relations(first: 10000) { totalCount } } }`, "got 10000"},
		{"search", `{ search(text: "测试", first: 0) { id } }`, "first must be between 1 and 500"},
		{"bad cursor", `{ enterprises(after: "nope") { totalCount } }`, "is not one this server issued"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := c.Do(tc.query, nil)
			if len(r.Errors) == 0 || !strings.Contains(r.ErrorText(), tc.wantMsg) || !strings.Contains(r.ErrorText(), "BAD_USER_INPUT") {
				t.Fatalf("errors = %q, want one containing %q with code BAD_USER_INPUT", r.ErrorText(), tc.wantMsg)
			}
		})
	}
}

func TestPaginationWalksEveryNodeOnce(t *testing.T) {
	const n = 23
	c := apitest.NewClient(t, server.DefaultConfig(), supplyGraph(t, n))
	var seen []string
	after := ""
	for page := 0; ; page++ {
		var out struct {
			Enterprises struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
				Edges []struct {
					Cursor string
					Node   struct{ ID string }
				}
			}
		}
		vars := map[string]any{"after": nil}
		if after != "" {
			vars["after"] = after
		}
		c.MustData(`query($after: String) { enterprises(first: 5, after: $after, orderBy: [{field: FOUNDED_YEAR, direction: DESC}]) {
			totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`, vars, &out)
		if out.Enterprises.TotalCount != n {
			t.Fatalf("totalCount = %d, want %d", out.Enterprises.TotalCount, n)
		}
		for _, e := range out.Enterprises.Edges {
			seen = append(seen, e.Node.ID)
		}
		if !out.Enterprises.PageInfo.HasNextPage {
			break
		}
		after = out.Enterprises.PageInfo.EndCursor
		if page > n {
			t.Fatal("pagination does not end")
		}
	}
	if len(seen) != n {
		t.Fatalf("walked %d nodes, want %d: %v", len(seen), n, seen)
	}
	uniq := map[string]bool{}
	for _, id := range seen {
		uniq[id] = true
	}
	if len(uniq) != n {
		t.Fatalf("pages repeat nodes: %v", seen)
	}
}

func TestFiltersOrderAndLookups(t *testing.T) {
	c := apitest.NewClient(t, server.DefaultConfig(), supplyGraph(t, 30))
	type list struct {
		Enterprises struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
		}
	}
	cases := []struct {
		name    string
		args    string
		total   int
		firstID string
	}{
		{"founded range", `filter: {foundedFrom: 2005, foundedTo: 2006}`, 4, "ent-005"},
		{"revenue in year", `filter: {revenue: {year: 2024, min: 25000000}}`, 5, "ent-025"},
		{"revenue order desc", `orderBy: [{field: REVENUE, year: 2024, direction: DESC}]`, 30, "ent-029"},
		{"ids", `filter: {ids: ["ent-003", "ent-007", "nope"]}`, 2, "ent-003"},
		{"name contains", `filter: {nameContains: "测试02"}`, 10, "ent-020"},
		{"district", `filter: {district: "西岗区"}`, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out list
			c.MustData(fmt.Sprintf(`{ enterprises(first: 3, %s) { totalCount edges { node { id } } } }`, tc.args), nil, &out)
			if out.Enterprises.TotalCount != tc.total {
				t.Errorf("totalCount = %d, want %d", out.Enterprises.TotalCount, tc.total)
			}
			if tc.firstID != "" && (len(out.Enterprises.Edges) == 0 || out.Enterprises.Edges[0].Node.ID != tc.firstID) {
				t.Errorf("first = %+v, want %s", out.Enterprises.Edges, tc.firstID)
			}
		})
	}

	t.Run("unknown id", func(t *testing.T) {
		r := c.Do(`{ node(id: "nope") { id } }`, nil)
		if !strings.Contains(r.ErrorText(), `no node with id "nope"`) || !strings.Contains(r.ErrorText(), "NOT_FOUND") {
			t.Fatalf("errors = %q", r.ErrorText())
		}
	})
	t.Run("nodes keeps order", func(t *testing.T) {
		var out struct{ Nodes []*struct{ ID, Name string } }
		r := c.Do(`{ nodes(ids: ["ent-002", "nope", "ind-1"]) { id name } }`, nil)
		if err := jsonUnmarshal(r.Data, &out); err != nil {
			t.Fatal(err)
		}
		if len(out.Nodes) != 3 || out.Nodes[0].ID != "ent-002" || out.Nodes[1] != nil || out.Nodes[2].Name != "产业1" {
			t.Fatalf("nodes = %+v", out.Nodes)
		}
		if !strings.Contains(r.ErrorText(), "ids[1]") {
			t.Fatalf("want an error naming ids[1], got %q", r.ErrorText())
		}
	})
	t.Run("search substring", func(t *testing.T) {
		var out struct{ Search []struct{ ID string } }
		c.MustData(`{ search(text: "测试01", kinds: [ENTERPRISE]) { id } }`, nil, &out)
		if len(out.Search) != 10 || out.Search[0].ID != "ent-010" {
			t.Fatalf("search = %+v", out.Search)
		}
	})
	t.Run("stats", func(t *testing.T) {
		var out struct {
			Stats struct {
				Nodes, Relations int
				ByType           []struct {
					Type  string
					Count int
				}
			}
		}
		c.MustData(`{ stats { nodes relations byType { type count } } }`, nil, &out)
		if out.Stats.Nodes != 35 || out.Stats.Relations != 30*3+30+15 {
			t.Fatalf("stats = %+v", out.Stats)
		}
		for _, bt := range out.Stats.ByType {
			if bt.Type == "SUPPLIES" && bt.Count != 90 {
				t.Fatalf("SUPPLIES = %d, want 90", bt.Count)
			}
		}
	})
}

func TestLimits(t *testing.T) {
	cfg := server.DefaultConfig()
	cfg.MaxBodyBytes = 2000
	cfg.MaxDepth = 6
	cfg.MaxComplexity = 5000
	c := apitest.NewClient(t, cfg, supplyGraph(t, 5))
	t.Run("depth", func(t *testing.T) {
		// Depth counts relationship hops (edges and node do not count):
		// enterprises, five suppliers and id are 7.
		hops := strings.Repeat(`suppliers(first: 1) { edges { node { ... on Enterprise { `, 5)
		r := c.Do(`{ enterprises(first: 1) { edges { node { `+hops+`id`+strings.Repeat(` } } } }`, 5)+` } } } }`, nil)
		if !strings.Contains(r.ErrorText(), "exceeds the limit of 6") || !strings.Contains(r.ErrorText(), "QUERY_TOO_DEEP") {
			t.Fatalf("errors = %q", r.ErrorText())
		}
	})
	t.Run("complexity", func(t *testing.T) {
		// Objects count, scalars do not: 500 enterprises × 500 suppliers.
		r := c.Do(`{ enterprises(first: 500) { edges { node { suppliers(first: 500) { edges { node { id } } } } } } }`, nil)
		if !strings.Contains(r.ErrorText(), "complexity") {
			t.Fatalf("errors = %q", r.ErrorText())
		}
	})
	t.Run("body", func(t *testing.T) {
		r := c.Do(`{ stats { nodes } }`+strings.Repeat(" ", 3000), nil)
		if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(r.ErrorText(), "larger than the limit of 2000 bytes") || !strings.Contains(r.ErrorText(), "REQUEST_TOO_LARGE") {
			t.Fatalf("status %d errors = %q", r.Status, r.ErrorText())
		}
	})
	t.Run("timeout", func(t *testing.T) {
		cfg := server.DefaultConfig()
		cfg.Timeout = 200 * time.Millisecond
		slow := apitest.NewClient(t, cfg, stallingStore{backendtest.Embedded(t)})
		r := slow.Do(`{ stats { nodes } }`, nil)
		if !strings.Contains(r.ErrorText(), "TIMEOUT") {
			t.Fatalf("status %d errors = %q, want TIMEOUT", r.Status, r.ErrorText())
		}
	})
	t.Run("malformed", func(t *testing.T) {
		r := c.Do(`{ enterprises(first: 1) { edges { node { nosuchfield } } } }`, nil)
		if !strings.Contains(r.ErrorText(), "nosuchfield") {
			t.Fatalf("errors = %q", r.ErrorText())
		}
	})
}

func TestGetAndCORS(t *testing.T) {
	cfg := server.DefaultConfig()
	cfg.AllowedOrigins = []string{"https://viz.example.org"}
	c := apitest.NewClient(t, cfg, supplyGraph(t, 3))
	req := httptest.NewRequest(http.MethodGet, "/graphql?query="+strings.ReplaceAll("{ stats { nodes } }", " ", "%20"), nil)
	rec := httptest.NewRecorder()
	c.Handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"nodes":8`) {
		t.Fatalf("GET: %d %s", rec.Code, rec.Body.String())
	}
	for _, tc := range []struct {
		origin  string
		allowed bool
	}{{"https://viz.example.org", true}, {"https://evil.example.com", false}} {
		req := httptest.NewRequest(http.MethodOptions, "/graphql", nil)
		req.Header.Set("Origin", tc.origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		rec := httptest.NewRecorder()
		c.Handler.ServeHTTP(rec, req)
		if got := rec.Header().Get("Access-Control-Allow-Origin") == tc.origin; got != tc.allowed {
			t.Errorf("origin %s: allowed = %v, want %v (headers %v)", tc.origin, got, tc.allowed, rec.Header())
		}
	}
}

// stallingStore answers Stats only when the request's context ends.
type stallingStore struct{ kg.Store }

func (s stallingStore) Stats(ctx context.Context) (*kg.Stats, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// planRecorder records the fetch plans a store is asked to read.
type planRecorder struct {
	kg.Store
	plans []kg.FetchPlan
}

// Fetch records p and delegates.
func (r *planRecorder) Fetch(ctx context.Context, p kg.FetchPlan) (*kg.FetchResult, error) {
	r.plans = append(r.plans, p)
	return r.Store.Fetch(ctx, p)
}

// TestPlanReadsOnlyWhatIsSelected checks that a relationship field's hop
// asks for a total only where totalCount or pageInfo is selected, and for
// the relationship properties the selection reads (none for ids, types
// and ends; all for a page of nothing but totals does not matter).
func TestPlanReadsOnlyWhatIsSelected(t *testing.T) {
	rec := &planRecorder{Store: supplyGraph(t, 10)}
	c := apitest.NewClient(t, server.DefaultConfig(), rec)
	for _, tc := range []struct {
		name, field string
		noTotal     bool
		edgeProps   []string
	}{
		{"nodes only", `suppliers(first: 2) { edges { cursor outgoing node { id } } }`, true, []string{}},
		{"total", `suppliers(first: 2) { totalCount edges { node { id } } }`, false, []string{}},
		{"page info", `suppliers(first: 2) { pageInfo { hasNextPage } edges { node { id } } }`, false, []string{}},
		{"structural relation fields", `suppliers(first: 2) { edges { relation { id type from to __typename } } }`, true, []string{}},
		{"relation properties", `suppliers(first: 2) { edges { relation { id since product } r2: relation { since value } } }`, true, []string{"since", "product", "value"}},
		{"totals only", `suppliers(first: 0) { totalCount }`, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec.plans = nil
			c.MustData(`{ enterprises(first: 3) { edges { node { id `+tc.field+` } } } }`, nil, nil)
			if len(rec.plans) != 1 || len(rec.plans[0].Hops) != 1 {
				t.Fatalf("plans %+v, want one with one hop", rec.plans)
			}
			h := rec.plans[0].Hops[0]
			if h.NoTotal != tc.noTotal {
				t.Errorf("NoTotal = %v, want %v", h.NoTotal, tc.noTotal)
			}
			if fmt.Sprint(h.EdgeProps) != fmt.Sprint(tc.edgeProps) || (h.EdgeProps == nil) != (tc.edgeProps == nil) {
				t.Errorf("EdgeProps = %#v, want %#v", h.EdgeProps, tc.edgeProps)
			}
		})
	}
}

// TestCountOnlyReadsNoProperty checks that a root list asked only for its
// count (first: 0) asks the store for no property of its roots — not for
// whole nodes, which a nil list of properties means and which made Neo4j
// sort every match for the one root it reads — with and without the
// response writer.
func TestCountOnlyReadsNoProperty(t *testing.T) {
	rec := &planRecorder{Store: supplyGraph(t, 10)}
	for _, writer := range []bool{true, false} {
		cfg := server.DefaultConfig()
		cfg.DisableWriter = !writer
		c := apitest.NewClient(t, cfg, rec)
		rec.plans = nil
		c.MustData(`{ enterprises(first: 0) { totalCount } }`, nil, nil)
		if len(rec.plans) != 1 {
			t.Fatalf("writer %v: plans %+v, want one", writer, rec.plans)
		}
		if p := rec.plans[0].Props; p == nil || len(p) != 0 {
			t.Errorf("writer %v: Props = %#v, want none (an empty list)", writer, p)
		}
		if q := rec.plans[0].Query; q == nil || q.First != 0 {
			t.Errorf("writer %v: Query = %+v, want a count alone (first 0)", writer, q)
		}
	}
}
