package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/server"
)

// FuzzGraphQLDocument feeds documents to the whole handler, with the
// default limits, over the district demo. Every answer must be a JSON
// GraphQL response, no resolver may panic (the handler answers a panic
// with "internal error" or HTTP 500), and the limits must keep every
// input's work bounded: an input that times out fails.
//
// In CI: go test -run '^$' -fuzz '^FuzzGraphQLDocument$' -fuzztime 20s ./server/
// Longer:  go test -run '^$' -fuzz '^FuzzGraphQLDocument$' -fuzztime 30m ./server/
func FuzzGraphQLDocument(f *testing.F) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		f.Fatal(err)
	}
	for _, b := range regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllStringSubmatch(string(readme), -1) {
		f.Add(b[1])
	}
	for _, name := range []string{"introspection-graphiql", "introspection-full"} {
		q, err := os.ReadFile("testdata/" + name + ".graphql")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(q))
	}
	f.Add(threeHops)
	for _, h := range hostile {
		if len(h.doc) < 4<<10 {
			f.Add(h.doc)
		}
	}
	for _, seed := range []string{
		`{ stats { nodes nodes a: nodes } }`,
		`{ s: stats { ...F } } fragment F on Stats { nodes ...G } fragment G on Stats { ...F }`,
		`query Q($id: ID!) { node(id: $id) { id ... on Enterprise { suppliers { edges { node { name } } } } } }`,
		`{ __type(name: "Enterprise") { fields { name type { ofType { name } } } } }`,
		`{ neighborhood(id: "ent-0001", depth: 2, limit: 50) { nodes { id } edges { source target } } }`,
		`{ centrality(metric: CLOSENESS, top: 3) { ranking { score node { id } } } }`,
		`mutation { deleteNodes(ids: ["ent-0001"]) { counts { nodesDeleted } } }`,
		`{ a: enterprises(first: 500) { edges { node { suppliers(first: 500) { totalCount } } } } }`,
	} {
		f.Add(seed)
	}
	cfg := server.DefaultConfig()
	cfg.Timeout = 10 * time.Second
	h := server.Handler(cfg, demoStore(f), &server.Readiness{}, discardLog())
	f.Fuzz(func(t *testing.T, doc string) {
		body, err := json.Marshal(map[string]any{"query": doc})
		if err != nil {
			t.Skip()
		}
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("HTTP %d: %s", w.Code, w.Body.String())
		}
		var resp struct {
			Data   json.RawMessage `json:"data"`
			Errors []struct {
				Message    string         `json:"message"`
				Extensions map[string]any `json:"extensions"`
			} `json:"errors"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
			t.Fatalf("not JSON (%v): %q", err, w.Body.String())
		}
		if resp.Data == nil && len(resp.Errors) == 0 {
			t.Fatalf("neither data nor errors: %s", w.Body.String())
		}
		for _, e := range resp.Errors {
			if e.Message == "internal error" || e.Extensions["code"] == "TIMEOUT" {
				t.Fatalf("%s (%v) for %q", e.Message, e.Extensions["code"], doc)
			}
		}
	})
}
