package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/backendtest"
	"github.com/innograph/innograph/web"
)

// demo is the district demo in an embedded store, loaded once per test
// binary, wrapped to count the store calls.
var demo struct {
	once  sync.Once
	store *apitest.CountingStore
}

func demoStore(t testing.TB) *apitest.CountingStore {
	demo.once.Do(func() {
		st := backendtest.Embedded(&keepTB{TB: t})
		backendtest.LoadDemo(t, st, 1)
		demo.store = apitest.NewCountingStore(st)
	})
	return demo.store
}

// keepTB keeps a store opened for the whole test binary: its temporary
// directory is not removed at the end of the first test that uses it.
type keepTB struct{ testing.TB }

func (k *keepTB) TempDir() string {
	dir, err := os.MkdirTemp("", "innograph-server-test")
	if err != nil {
		k.Fatal(err)
	}
	return dir
}

func (k *keepTB) Cleanup(func()) {}

// workCalls counts the store calls that read the graph for an answer
// (Stats, which sizes projections for the complexity, excluded).
func workCalls(st *apitest.CountingStore) int {
	n := 0
	for m, c := range st.Calls() {
		if m != "Stats" {
			n += c
		}
	}
	return n
}

func repeat(n int, f func(i int) string) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(f(i))
		b.WriteByte(' ')
	}
	return b.String()
}

func codes(r *apitest.Response) []string {
	var cs []string
	for _, e := range r.Errors {
		cs = append(cs, fmt.Sprint(e.Extensions["code"]))
	}
	return cs
}

// TestIntrospectionPasses: GraphiQL's introspection query (graphql-js
// getIntrospectionQuery as GraphiQL 4.1.2 builds it, with and without its
// options) passes the default limits, although it nests deeper than
// MaxDepth.
func TestIntrospectionPasses(t *testing.T) {
	c := apitest.NewClient(t, server.DefaultConfig(), demoStore(t))
	for _, name := range []string{"introspection-graphiql", "introspection-input-deprecation", "introspection-full"} {
		t.Run(name, func(t *testing.T) {
			q, err := os.ReadFile("testdata/" + name + ".graphql")
			if err != nil {
				t.Fatal(err)
			}
			var out struct {
				Schema struct {
					Types []struct{ Name string } `json:"types"`
				} `json:"__schema"`
			}
			c.MustData(string(q), nil, &out)
			if len(out.Schema.Types) < 50 {
				t.Fatalf("%d types", len(out.Schema.Types))
			}
		})
	}
}

// threeHops: enterprises → suppliers → their suppliers → industries.
const threeHops = `{
  enterprises(first: 5) { edges { node { name
    suppliers(first: 5) { edges { relation { product } node { name ... on Enterprise {
      suppliers(first: 5) { edges { node { name ... on Enterprise {
        industries(first: 3) { edges { node { name ... on Industry { chain position } } } }
      } } } }
    } } } }
  } } }
}`

// threeHopsDefaultPages is the three-hop question as the query builder
// writes it: no page sizes, so each hop takes the default of 20.
const threeHopsDefaultPages = `{
  enterprises { totalCount edges { node { name
    suppliers { totalCount edges { relation { product value since } node { name ... on Enterprise {
      suppliers { edges { node { name ... on Enterprise {
        industries { edges { node { name ... on Industry { chain position } } } }
      } } } }
    } } } }
  } } }
}`

// TestDepthCountsHops: depth counts relationship hops, so every README
// example and a three-hop question pass the defaults (also with every page
// left at its default size, as the query builder writes it: complexity
// counts the objects of an answer, not its scalars or connection
// wrappers), while a deep chain of hops is refused before validation.
func TestDepthCountsHops(t *testing.T) {
	st := demoStore(t)
	c := apitest.NewClient(t, server.DefaultConfig(), st)
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	queries := map[string]string{"three hops": threeHops, "three hops, default pages": threeHopsDefaultPages, "GraphiQL's default query": web.DefaultQuery}
	for i, b := range regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllStringSubmatch(string(readme), -1) {
		queries[fmt.Sprintf("README example %d", i+1)] = b[1]
	}
	security, err := os.ReadFile("../docs/security.md")
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllStringSubmatch(string(security), -1) {
		queries[fmt.Sprintf("docs/security.md example %d", i+1)] = b[1]
	}
	for name, q := range queries {
		t.Run(name, func(t *testing.T) {
			if r := c.Do(q, nil); len(r.Errors) > 0 {
				t.Fatalf("%s\n%s", r.ErrorText(), q)
			}
		})
	}
	// deep(d) has depth d: enterprises, d-2 suppliers and the id.
	deep := func(d int) string {
		return `{ enterprises(first: 1) { edges { node { id ` + strings.Repeat(`... on Enterprise { suppliers(first: 1) { edges { node { id `, d-2) +
			strings.Repeat(`} } } } `, d-2) + `} } } }`
	}
	for _, tc := range []struct {
		depth int
		code  string
	}{{12, ""}, {13, "QUERY_TOO_DEEP"}, {60, "QUERY_TOO_DEEP"}} {
		t.Run(fmt.Sprintf("depth %d", tc.depth), func(t *testing.T) {
			before := server.Validations()
			r := c.Do(deep(tc.depth), nil)
			got := strings.Join(codes(r), ",")
			if got != tc.code {
				t.Fatalf("codes %q, want %q: %s", got, tc.code, r.ErrorText())
			}
			if tc.code != "" && server.Validations() != before {
				t.Fatalf("the refused document was validated")
			}
		})
	}
}

// hostile are documents within the body limit that cost seconds of CPU,
// or gigabytes, without the limits; each is refused before validation.
var hostile = []struct {
	name, doc, code string
}{
	{"duplicated fields", `{ stats { ` + strings.Repeat("nodes ", 10_000) + `} }`, "TOO_MANY_FIELDS"},
	{"duplicated fields in fragments", `{ stats { ...A ...A ...A ...A } } fragment A on Stats { ` + strings.Repeat("nodes ", 60) + `}`, "TOO_MANY_FIELDS"},
	{"distinct aliases", `{ ` + repeat(20_000, func(i int) string { return fmt.Sprintf("a%d: __typename", i) }) + `}`, "TOO_MANY_TOKENS"},
	{"distinct aliases under the token limit", `{ ` + repeat(4_000, func(i int) string { return fmt.Sprintf("a%d: __typename", i) }) + `}`, "TOO_MANY_ALIASES"},
	{"duplicated fields in merged selections", `{ ` + strings.Repeat("stats { "+strings.Repeat("nodes ", 100)+"} ", 45) + `}`, "TOO_MANY_FIELDS"},
	{"duplicated fields in merged fragments", `{ ` + strings.Repeat("stats { ...N } ", 45) + `} fragment N on Stats { ` + strings.Repeat("nodes ", 100) + `}`, "TOO_MANY_FIELDS"},
	{"aliases spread over selection sets", `{ ` + repeat(30, func(i int) string {
		return fmt.Sprintf("s%d: stats { %s }", i, repeat(50, func(j int) string { return fmt.Sprintf("n%d: nodes", j) }))
	}) + `}`, "TOO_MANY_ALIASES"},
	{"duplicated fields with a fragment cycle", `{ stats { ` + strings.Repeat("nodes ", 4900) + `} } fragment X on Stats { ...Y } fragment Y on Stats { ...X }`, "GRAPHQL_VALIDATION_FAILED"},
	{"fragments doubling", `{ stats { ...F20 } } fragment F0 on Stats { nodes } ` + repeat(20, func(i int) string {
		return fmt.Sprintf("fragment F%d on Stats { ...F%d ...F%d }", i+1, i, i)
	}), "TOO_MANY_FIELDS"},
	{"introspection aliases", `{ ` + repeat(1_000, func(i int) string {
		return fmt.Sprintf("s%d: __schema { types { fields { type { fields { name } } } } }", i)
	}) + `}`, "TOO_MANY_TOKENS"},
	{"introspection aliases under the token limit", `{ ` + repeat(90, func(i int) string {
		return fmt.Sprintf("s%d: __schema { types { fields { type { fields { name } } } } }", i)
	}) + `}`, "INTROSPECTION_TOO_LARGE"},
	{"three introspections", `{ a: __schema { types { name } } b: __schema { types { name } } c: __type(name: "Query") { name } }`, "INTROSPECTION_TOO_LARGE"},
	{"introspection in fragments", `{ ...I ...I ...I } fragment I on Query { __schema { types { name } } }`, "INTROSPECTION_TOO_LARGE"},
	{"deep introspection", `{ __type(name: "Enterprise") { name ` + strings.Repeat("ofType { name ", 30) + strings.Repeat("} ", 30) + `} }`, "INTROSPECTION_TOO_LARGE"},
	{"neighborhood aliases", `{ ` + repeat(600, func(i int) string {
		return fmt.Sprintf(`n%d: neighborhood(id: "ent-0001", depth: 4, limit: 5000) { nodes { id } }`, i)
	}) + `}`, "TOO_MANY_ANALYTICS_FIELDS"},
	{"analytics fields", `{ ` + repeat(11, func(i int) string {
		return fmt.Sprintf(`n%d: neighborhood(id: "ent-0001", depth: 1, limit: 1) { nodes { id } }`, i)
	}) + `}`, "TOO_MANY_ANALYTICS_FIELDS"},
	{"betweenness aliases", `{ ` + repeat(100, func(i int) string {
		return fmt.Sprintf(`c%d: centrality(metric: BETWEENNESS) { ranking { score } }`, i)
	}) + `}`, "TOO_MANY_ANALYTICS_FIELDS"},
	{"deep nesting", strings.Repeat("{ stats ", 900) + strings.Repeat("} ", 900), "QUERY_TOO_DEEP"},
	{"deeper nesting", strings.Repeat("{ stats ", 3000) + strings.Repeat("} ", 3000), "GRAPHQL_PARSE_FAILED"},
	{"tokens", `{ nodes(ids: [` + strings.Repeat(`"x" `, 16_000) + `]) { id } }`, "TOO_MANY_TOKENS"},
}

// costly are documents that pass validation but whose analytics cost is
// refused before any of it runs.
var costly = []struct {
	name, doc, code string
}{
	{"neighborhoods at their bounds", `{ ` + repeat(8, func(i int) string {
		return fmt.Sprintf(`n%d: neighborhood(id: "ent-0001", depth: 4, limit: 5000) { nodes { id name } edges { source target } }`, i)
	}) + `}`, "COMPLEXITY_LIMIT_EXCEEDED"},
	{"supply chains at their bounds", `{ ` + repeat(5, func(i int) string {
		return fmt.Sprintf(`s%d: supplyChain(enterprise: "ent-0001", depth: 6, limit: 5000) { upstream { enterprises { id name } edges { source target } } }`, i)
	}) + `}`, "COMPLEXITY_LIMIT_EXCEEDED"},
	{"diffs at their bounds", `{ ` + repeat(3, func(i int) string {
		return fmt.Sprintf(`d%d: networkDiff(fromYear: 2020, toYear: 2025, limit: 20000) { appeared { edges { id source target type } } disappeared { edges { id source target type } } }`, i)
	}) + `}`, "COMPLEXITY_LIMIT_EXCEEDED"},
}

// TestHostileDocumentsAreRefused sends each hostile document to the whole
// handler with the default limits: it is refused with its code, before
// validation, and without reading the graph.
func TestHostileDocumentsAreRefused(t *testing.T) {
	st := demoStore(t)
	c := apitest.NewClient(t, server.DefaultConfig(), st)
	for _, tc := range hostile {
		t.Run(tc.name, func(t *testing.T) {
			if max := server.DefaultConfig().MaxBodyBytes; int64(len(tc.doc)) > max {
				t.Fatalf("the document has %d bytes, more than the body limit of %d", len(tc.doc), max)
			}
			st.Reset()
			before := server.Validations()
			r := c.Do(tc.doc, nil)
			if got := codes(r); len(got) != 1 || got[0] != tc.code {
				t.Fatalf("codes %v, want [%s]: %s", got, tc.code, r.ErrorText())
			}
			if n := server.Validations() - before; n != 0 {
				t.Errorf("the document was validated (%d)", n)
			}
			if n := st.Total(); n != 0 {
				t.Errorf("%d store calls: %v", n, st.Calls())
			}
		})
	}
	for _, tc := range costly {
		t.Run(tc.name, func(t *testing.T) {
			st.Reset()
			r := c.Do(tc.doc, nil)
			if got := codes(r); len(got) != 1 || got[0] != tc.code {
				t.Fatalf("codes %v, want [%s]: %s", got, tc.code, r.ErrorText())
			}
			if n := workCalls(st); n != 0 {
				t.Errorf("%d store calls: %v", n, st.Calls())
			}
		})
	}
}

// TestAnalyticsWithinLimits: the analytics questions of the README and a
// few at their defaults pass together, and one at its largest bounds
// passes alone.
func TestAnalyticsWithinLimits(t *testing.T) {
	c := apitest.NewClient(t, server.DefaultConfig(), demoStore(t))
	for name, q := range map[string]string{
		"defaults together": `{
  neighborhood(id: "ent-0001") { nodes { id name kind } edges { source target type } }
  paths(from: "uni-dlmu", to: "ent-0001") { paths { length explanation } }
  supplyChain(enterprise: "ent-0001") { upstream { tier enterprises { name } } downstream { tier enterprises { name } } }
  collaborationNetwork { nodes { id name } edges { source target } }
  c1: centrality(metric: BETWEENNESS) { ranking { rank score node { name } } }
  c2: centrality(metric: PAGERANK) { ranking { rank score node { name } } }
  communities(algorithm: LOUVAIN) { count communities { size members { name } } }
  policyReach(policy: "pol-0001") { enterpriseCount industries { enterprises node { name } } }
  networkDiff(fromYear: 2020, toYear: 2025) { appearedCount appeared { edges { id } } }
}`,
		"neighborhood at its bounds":  `{ neighborhood(id: "ent-0001", depth: 4, limit: 5000) { nodes { id name kind depth } edges { id source target type weight } truncated } }`,
		"supply chain at its bounds":  `{ supplyChain(enterprise: "ent-0001", depth: 6, limit: 5000) { upstream { tier enterprises { id name } edges { source target } } downstream { tier enterprises { id name } } } }`,
		"betweenness at its bounds":   `{ centrality(metric: BETWEENNESS, top: 5000) { ranking { rank score node { id name } } } }`,
		"communities at their bounds": `{ communities(algorithm: LOUVAIN, first: 500, membersFirst: 20) { count communities { size members { id } } } }`,
	} {
		t.Run(name, func(t *testing.T) {
			r := c.Do(q, nil)
			for _, e := range r.Errors {
				if code := e.Extensions["code"]; code == "COMPLEXITY_LIMIT_EXCEEDED" || strings.HasPrefix(fmt.Sprint(code), "TOO_MANY") {
					t.Fatalf("%s", r.ErrorText())
				}
			}
		})
	}
}

// TestLimitsAreConfigurable: each limit refuses at its configured value
// and not below it.
func TestLimitsAreConfigurable(t *testing.T) {
	st := demoStore(t)
	fields := func(n int) string { return `{ stats { ` + strings.Repeat("nodes ", n) + `} }` }
	aliases := func(n int) string {
		return `{ ` + repeat(n, func(i int) string { return fmt.Sprintf("s%d: stats { nodes }", i) }) + `}`
	}
	for _, tc := range []struct {
		name  string
		set   func(*server.Config)
		ok    string
		wrong string
		code  string
	}{
		{"tokens", func(c *server.Config) { c.MaxTokens = 100 }, fields(90), fields(100), "TOO_MANY_TOKENS"},
		{"selection fields", func(c *server.Config) { c.MaxSelectionFields = 10 }, fields(10), fields(11), "TOO_MANY_FIELDS"},
		{"fields", func(c *server.Config) { c.MaxFields = 21 }, aliases(10), aliases(11), "TOO_MANY_FIELDS"},
		{"aliases", func(c *server.Config) { c.MaxAliases = 5 }, aliases(5), aliases(6), "TOO_MANY_ALIASES"},
		{"introspection roots", func(c *server.Config) { c.MaxIntrospectionRoots = 1 },
			`{ __schema { queryType { name } } }`, `{ __schema { queryType { name } } __type(name: "Stats") { name } }`, "INTROSPECTION_TOO_LARGE"},
		{"introspection depth", func(c *server.Config) { c.MaxIntrospectionDepth = 3 },
			`{ __type(name: "Stats") { ofType { name } } }`, `{ __type(name: "Stats") { ofType { ofType { name } } } }`, "INTROSPECTION_TOO_LARGE"},
		{"analytics fields", func(c *server.Config) { c.MaxAnalyticsFields = 1 },
			`{ planProgress(plan: "plan-zs-14") { year } }`, `{ a: planProgress(plan: "plan-zs-14") { year } b: planProgress(plan: "plan-zs-14") { year } }`, "TOO_MANY_ANALYTICS_FIELDS"},
		{"depth", func(c *server.Config) { c.MaxDepth = 3 },
			`{ enterprises(first: 1) { edges { node { suppliers(first: 1) { totalCount } } } } }`,
			`{ enterprises(first: 1) { edges { node { suppliers(first: 1) { edges { node { ... on Enterprise { industries { totalCount } } } } } } } } }`, "QUERY_TOO_DEEP"},
		{"analytics cost", func(c *server.Config) { c.MaxComplexity = 5000 },
			`{ neighborhood(id: "ent-0001", depth: 1, limit: 100) { nodes { id } } }`,
			`{ neighborhood(id: "ent-0001", depth: 4, limit: 2000) { nodes { id } } }`, "COMPLEXITY_LIMIT_EXCEEDED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := server.DefaultConfig()
			tc.set(&cfg)
			c := apitest.NewClient(t, cfg, st)
			if r := c.Do(tc.ok, nil); len(r.Errors) > 0 {
				t.Fatalf("within the limit: %s", r.ErrorText())
			}
			r := c.Do(tc.wrong, nil)
			if got := codes(r); len(got) != 1 || got[0] != tc.code {
				t.Fatalf("codes %v, want [%s]: %s", got, tc.code, r.ErrorText())
			}
		})
	}
}

// BenchmarkRefused measures the CPU a hostile document costs the whole
// handler until it is refused (docs/security.md records the results).
func BenchmarkRefused(b *testing.B) {
	h := server.Handler(server.DefaultConfig(), demoStore(b), &server.Readiness{}, discardLog())
	for _, tc := range append(hostile, costly...) {
		body, err := json.Marshal(map[string]any{"query": tc.doc})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.ReplaceAll(tc.name, " ", "_"), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
				req.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if !strings.Contains(w.Body.String(), tc.code) {
					b.Fatalf("%d %s", w.Code, w.Body.String())
				}
			}
		})
	}
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

var _ kg.Store = (*apitest.CountingStore)(nil)

// BenchmarkAccepted measures documents that pass the limits, each time a
// new one (a comment differs) so that the query cache does not answer:
// GraphiQL's introspection, the three-hop question, and a document at the
// limits of fields, aliases and fields per selection set, which
// validation compares pairwise.
func BenchmarkAccepted(b *testing.B) {
	h := server.Handler(server.DefaultConfig(), demoStore(b), &server.Readiness{}, discardLog())
	intro, err := os.ReadFile("testdata/introspection-graphiql.graphql")
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct{ name, doc string }{
		{"introspection", string(intro)},
		{"three hops", threeHops},
		{"at the field limits", `{ ` + repeat(50, func(i int) string { return fmt.Sprintf("s%d: stats { %s}", i, strings.Repeat("nodes ", 99)) }) + `}`},
	} {
		b.Run(strings.ReplaceAll(tc.name, " ", "_"), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				body, err := json.Marshal(map[string]any{"query": fmt.Sprintf("# %d\n%s", i, tc.doc)})
				if err != nil {
					b.Fatal(err)
				}
				req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
				req.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK || strings.Contains(w.Body.String(), `"errors"`) {
					b.Fatalf("%d %s", w.Code, w.Body.String())
				}
			}
		})
	}
}

// TestComplexityOfRepeatedOperations asks operations whose complexity
// their variables set, over and over (the complexity of an operation is
// kept by text, name and variables): each is refused or answered as when
// it was asked first, with the same message, whatever was asked between.
func TestComplexityOfRepeatedOperations(t *testing.T) {
	cfg := server.DefaultConfig()
	cfg.MaxComplexity = 1000
	c := apitest.NewClient(t, cfg, demoStore(t))
	const q = `query ($n: Int!) { enterprises(first: $n) { edges { node { id suppliers(first: 5) { edges { node { id } } } } } } }`
	cases := []struct {
		n       int
		refused bool
	}{{1, false}, {500, true}, {2, false}, {1, false}, {500, true}, {499, true}, {2, false}}
	msgs := map[int]string{}
	for i, tc := range cases {
		r := c.Do(q, map[string]any{"n": tc.n})
		got := codes(r)
		if tc.refused != (len(got) == 1 && got[0] == "COMPLEXITY_LIMIT_EXCEEDED") || (!tc.refused && len(got) > 0) {
			t.Fatalf("request %d (first: %d): codes %v, want refused %v", i, tc.n, got, tc.refused)
		}
		if m, seen := msgs[tc.n]; seen && m != r.ErrorText() {
			t.Errorf("request %d (first: %d): %q, asked before: %q", i, tc.n, r.ErrorText(), m)
		}
		msgs[tc.n] = r.ErrorText()
	}
	if msgs[500] == msgs[499] {
		t.Errorf("first: 500 and 499 give the same message %q: the complexity does not follow the variable", msgs[500])
	}
}
