package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/server"
)

// plannerQuestion is a planner's ordinary question: the agencies of each
// of the six service categories, 20 each, with 50 of the enterprises each
// serves.
func plannerQuestion() string {
	var b strings.Builder
	b.WriteString("{ ")
	for _, c := range []string{"TECH_TRADING", "IP", "CONSULTING", "FINANCE", "ENTREPRENEURSHIP", "POPULARIZATION"} {
		fmt.Fprintf(&b, `%s: serviceAgencies(filter: {categories: [%s]}, first: 20) { totalCount edges { node { name
  served(first: 50) { totalCount edges { node { name } } } } } } `, strings.ToLower(c), c)
	}
	b.WriteString("}")
	return b.String()
}

// costCases are representative requests: the lists and hops planners
// write, and each analytics field at its defaults or at a planner's
// usual arguments.
var costCases = []struct{ name, doc string }{
	{"planner question", plannerQuestion()},
	{"three hops", threeHops},
	{"three hops default pages", threeHopsDefaultPages},
	{"enterprises 500", `{ enterprises(first: 500) { totalCount edges { node { name industry } } } }`},
	{"neighborhood", `{ neighborhood(id: "ent-0001") { nodes { id name kind } edges { source target type } } }`},
	{"neighborhood at its bounds", `{ neighborhood(id: "ent-0001", depth: 4, limit: 5000) { nodes { id name } edges { source target } } }`},
	{"paths", `{ paths(from: "uni-dlmu", to: "ent-0001") { paths { length explanation } } }`},
	{"supplyChain", `{ supplyChain(enterprise: "ent-0001") { enterpriseCount outsideShare upstream { tier enterprises { name } } downstream { tier enterprises { name } } } }`},
	{"centrality BETWEENNESS", `{ centrality(metric: BETWEENNESS) { ranking { rank score node { name } } } }`},
	{"centrality PAGERANK among organisations", `{ centrality(metric: PAGERANK, among: ORGANISATIONS) { ranking { rank score node { name } } } }`},
	{"communities LOUVAIN with brokers", `{ communities(algorithm: LOUVAIN, among: ORGANISATIONS, brokers: 20) { count communities { size members { name } } brokers { touches node { name } } } }`},
	{"policyReach", `{ policyReach(policy: "$P") { enterpriseCount industries { enterprises node { name } } serviceAgencies { enterprises node { name } } } }`},
	{"networkDiff", `{ networkDiff(fromYear: 2020, toYear: 2025) { appearedCount appeared { edges { id } } disappearedCount } }`},
}

// withPolicy puts the id of the store's first policy for $P in doc.
func withPolicy(t testing.TB, st kg.Store, doc string) string {
	p, err := st.FindNodes(context.Background(), kg.NodeQuery{Kind: kg.Policy, First: 1})
	if err != nil || len(p.Nodes) == 0 {
		t.Fatalf("no policy: %v", err)
	}
	return strings.ReplaceAll(doc, "$P", p.Nodes[0].ID)
}

// countObjects counts the JSON objects in v.
func countObjects(v any) int {
	n := 0
	switch v := v.(type) {
	case map[string]any:
		n++
		for _, x := range v {
			n += countObjects(x)
		}
	case []any:
		for _, x := range v {
			n += countObjects(x)
		}
	}
	return n
}

var complexityRE = regexp.MustCompile(`operation has complexity (\d+)`)

// complexityOf returns the complexity the server computes for doc: the
// number in the error of a server whose limit is 1.
func complexityOf(t testing.TB, c *apitest.Client, doc string) int {
	r := c.Do(doc, nil)
	m := complexityRE.FindStringSubmatch(r.ErrorText())
	if m == nil {
		t.Fatalf("no complexity in %q", r.ErrorText())
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRepresentativeRequestsPass: every representative request, the
// planner's question among them, passes the default limits.
func TestRepresentativeRequestsPass(t *testing.T) {
	st := demoStore(t)
	c := apitest.NewClient(t, server.DefaultConfig(), st)
	for _, tc := range costCases {
		t.Run(tc.name, func(t *testing.T) {
			if r := c.Do(withPolicy(t, st, tc.doc), nil); len(r.Errors) > 0 {
				t.Fatalf("%s", r.ErrorText())
			}
		})
	}
}

// BenchmarkCost runs each representative request through the whole
// handler over the district demo and reports, besides time and
// allocations, its complexity (points), the objects of its answer (a
// connection's edges and node, and every other object, counted), the time
// per point and the store calls per request: how well the cost model follows what a request
// really costs (docs/security.md and docs/benchmarks.md record the
// results). Each request is new (a comment differs), so the query cache
// does not answer.
func BenchmarkCost(b *testing.B) {
	st := demoStore(b)
	one := server.DefaultConfig()
	one.MaxComplexity = 1
	probe := apitest.NewClient(b, one, st)
	h := server.Handler(server.DefaultConfig(), st, &server.Readiness{}, discardLog())
	for _, tc := range costCases {
		doc := withPolicy(b, st, tc.doc)
		points := complexityOf(b, probe, doc)
		b.Run(strings.ReplaceAll(tc.name, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			st.Reset()
			objects := 0
			for i := 0; b.Loop(); i++ {
				body, err := json.Marshal(map[string]any{"query": fmt.Sprintf("# %d\n%s", i, doc)})
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
				if i == 0 {
					var v any
					if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
						b.Fatal(err)
					}
					objects = countObjects(v) - 2 // the response and its data
				}
			}
			b.ReportMetric(float64(objects), "objects")
			b.ReportMetric(float64(points), "points")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(points), "ns/point")
			b.ReportMetric(float64(workCalls(st))/float64(b.N), "calls/op")
		})
	}
}
