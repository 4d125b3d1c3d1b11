package crosstest_test

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/crosstest"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/seed"
	"github.com/innograph/innograph/store/backendtest"
	"github.com/innograph/innograph/store/neo4j/neo4jtest"
)

// writerCase is a query of the writer's differential test and what the
// writer must do with it.
type writerCase struct {
	crosstest.Query
	// write: the writer must answer it (not the executor); fallBack: it
	// must hand it to the executor; neither: either may answer.
	write, fallBack bool
}

// writerCases are the queries the writer is compared on: the suite, the
// planner's cases, the benchmarks' nested queries (apitest), the peer
// benchmark's queries, the README's examples and a few of what the suite
// does not select (timestamps, __typename, aliases of connection fields,
// variables in nested arguments).
func writerCases(t *testing.T, ds seed.Dataset) []writerCase {
	var out []writerCase
	for _, q := range append(crosstest.Suite(ds), plannerCases(ds)...) {
		out = append(out, writerCase{Query: q})
	}
	for _, q := range apitest.PlannedQueries {
		// "roots" asks for an unknown node: an error the executor reports.
		out = append(out, writerCase{Query: crosstest.Query{Name: "apitest/" + q.Name, Text: q.Query, Errors: q.Name == "roots"}, write: true})
	}
	ent := ""
	for _, n := range ds.Nodes {
		if n.Kind == kg.Enterprise {
			ent = n.ID
			break
		}
	}
	out = append(out, peerCases(t, ent)...)
	var entIDs []string
	for _, n := range ds.Nodes {
		if n.Kind == kg.Enterprise {
			entIDs = append(entIDs, n.ID)
		}
	}
	slices.Sort(entIDs)
	// second pages from after the second enterprise in id order.
	second := kg.NodeCursor(kg.Enterprise, nil, &kg.Node{ID: entIDs[1]})
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllStringSubmatch(string(readme), -1) {
		out = append(out, writerCase{Query: crosstest.Query{Name: "readme/" + string(rune('a'+i)), Text: b[1]}})
	}
	out = append(out,
		writerCase{Query: crosstest.Query{Name: "writer/typenames-timestamps-aliases", Text: `query ($n: Int!, $y: Int!) { __typename
  list: enterprises(first: 30, filter: { aboveScale: true }) { __typename total: totalCount info: pageInfo { __typename more: hasNextPage endCursor }
    edges { __typename cursor n: node { __typename key: id kind createdAt updatedAt nameEn
      ht: highTech(year: $y) f: figures(from: $y) { __typename year revenue employees aboveScale }
      up: suppliers(first: $n, asOf: $y) { __typename totalCount pageInfo { startCursor hasPreviousPage }
        edges { __typename cursor outgoing relation { __typename id type from to since value product }
          node { __typename id kind ... on Enterprise { creditCode aboveScale foundedYear } ... on Node { name } } } } } } }
  second: enterprises(first: 2, after: "` + second + `") { totalCount pageInfo { hasPreviousPage startCursor } edges { cursor node { id } } } }`,
			Vars: map[string]any{"n": 4, "y": 2023}}, write: true},
		writerCase{Query: crosstest.Query{Name: "writer/node-by-id", Text: `query ($id: ID!) { node(id: $id) { __typename id name createdAt
  ... on Enterprise { figures { year revenue rdInvestment rdDeduction employees aboveScale } relations(first: 5) { totalCount edges { outgoing relation { type } node { kind name } } } } } }`,
			Vars: map[string]any{"id": ent}}, write: true},
		writerCase{Query: crosstest.Query{Name: "writer/no-ids", Text: `{ nodes(ids: []) { id } search: __typename }`}, write: true},
		writerCase{Query: crosstest.Query{Name: "writer/count-only", Text: `{ makerspaces(first: 0) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } } }`}, write: true},
		writerCase{Query: crosstest.Query{Name: "writer/fallback-node-count", Text: `{ enterprises(first: 5) { edges { node { id suppliers { nodeCount } } } } }`}, fallBack: true},
		writerCase{Query: crosstest.Query{Name: "writer/fallback-ordered-relations", Text: `{ enterprises(first: 5) { edges { node { id suppliers(orderBy: [{field: VALUE, direction: DESC}]) { edges { node { id } } } } } } }`}, fallBack: true},
		writerCase{Query: crosstest.Query{Name: "writer/fallback-analytics", Text: `{ stats { nodes } enterprises(first: 2) { edges { node { id } } } }`}, fallBack: true},
		writerCase{Query: crosstest.Query{Name: "writer/unknown-ids", Text: `query ($id: ID!) { node(id: "no-such-node") { id } a: nodes(ids: ["no-such", $id, "none"]) { id name }
  b: node(id: $id) { id } c: enterprises(first: 1) { totalCount } }`, Vars: map[string]any{"id": ent}, Errors: true}, write: true},
		writerCase{Query: crosstest.Query{Name: "writer/fallback-bad-argument", Text: `{ enterprises(first: 501) { totalCount } }`, Errors: true}, fallBack: true},
	)
	return out
}

// peerCases are the InnoGraph queries of the peer benchmark
// (bench/peer/queries.mjs), with the values that file gives them.
func peerCases(t *testing.T, enterprise string) []writerCase {
	src, err := os.ReadFile("../bench/peer/queries.mjs")
	if err != nil {
		t.Fatal(err)
	}
	consts := map[string]string{}
	for _, m := range regexp.MustCompile(`export const (\w+) = ("[^"]*"|\d+);`).FindAllStringSubmatch(string(src), -1) {
		consts[m[1]] = strings.Trim(m[2], `"`)
	}
	var out []writerCase
	for _, m := range regexp.MustCompile("(?s)name: \"(\\w+)\",.*?innograph: \\{\\s*query: `(.*?)`").FindAllStringSubmatch(string(src), -1) {
		text := regexp.MustCompile(`\$\{(\w+)\}`).ReplaceAllStringFunc(m[2], func(s string) string { return consts[s[2:len(s)-1]] })
		vars := map[string]any{}
		for name, v := range map[string]string{"id": enterprise, "district": consts["DISTRICT"], "text": consts["SEARCH_TEXT"]} {
			if strings.Contains(text, "$"+name) {
				vars[name] = v
			}
		}
		out = append(out, writerCase{Query: crosstest.Query{Name: "peer/" + m[1], Text: text, Vars: vars}, write: m[1] == "nested" || m[1] == "deep" || m[1] == "point"})
	}
	if len(out) < 5 {
		t.Fatalf("found %d queries in bench/peer/queries.mjs, want at least 5", len(out))
	}
	return out
}

// TestWriterAnswersAsExecutor serves the demo from each backend twice,
// with the response writer and without, and requires the same bytes (the
// whole HTTP body: field order, numbers, nulls, errors) to every query of
// writerCases, each page of the suite's walks too, each asked of the
// writer twice (the second time it answers from the check and plans it
// kept). The writer must have written the answers it is meant to write
// and handed back the others.
func TestWriterAnswersAsExecutor(t *testing.T) {
	for _, backend := range []string{"embedded", "neo4j"} {
		t.Run(backend, func(t *testing.T) {
			var st kg.Store
			if backend == "neo4j" {
				st = neo4jtest.Open(t) // skips loudly without Neo4j (fails with CI=true)
			} else {
				st = backendtest.Embedded(t)
			}
			backendtest.Load(t, st, demo().Batches(5000))
			off := serverConfig()
			off.DisableWriter = true
			exec := crosstest.HandlerServer(apitest.NewClient(t, off, st).Handler)
			writer := crosstest.HandlerServer(apitest.NewClient(t, serverConfig(), st).Handler)
			cases := writerCases(t, demo())
			wroteAny, requests := 0, 0
			for _, c := range cases {
				vars := c.Vars
				for page := 0; page < crosstest.MaxPages; page++ {
					want, err := exec(c.Text, vars)
					if err != nil {
						t.Fatal(err)
					}
					requests++
					w0, f0 := graph.WriterCounts()
					got, err := writer(c.Text, vars)
					if err != nil {
						t.Fatal(err)
					}
					w1, f1 := graph.WriterCounts()
					// Asked again, the writer answers from the check and
					// plans it kept.
					again, err := writer(c.Text, vars)
					if err != nil {
						t.Fatal(err)
					}
					if got.Status != want.Status || !bytes.Equal(got.Body, want.Body) {
						at := firstDifference(got.Body, want.Body)
						t.Errorf("%s (page %d): at byte %d the writer answers\n%d …%s\nthe executor\n%d …%s", c.Name, page, at, got.Status, around(got.Body, at), want.Status, around(want.Body, at))
						break
					}
					if again.Status != want.Status || !bytes.Equal(again.Body, want.Body) {
						at := firstDifference(again.Body, want.Body)
						t.Errorf("%s (page %d), asked again: at byte %d the writer answers\n%d …%s\nthe executor\n%d …%s", c.Name, page, at, again.Status, around(again.Body, at), want.Status, around(want.Body, at))
						break
					}
					if w1 > w0 {
						wroteAny++
					}
					if page == 0 && c.write && w1 == w0 {
						t.Errorf("%s: the writer did not write it (handed back: %v)", c.Name, f1 > f0)
					}
					if c.fallBack && w1 > w0 {
						t.Errorf("%s: the writer wrote it, want the executor's answer", c.Name)
					}
					if page == 0 && c.Errors != strings.Contains(string(want.Body), `"errors"`) {
						t.Errorf("%s: errors %v, want %v: %.300s", c.Name, !c.Errors, c.Errors, want.Body)
					}
					var ok bool
					if vars, ok = nextPage(c.Walk, vars, want.Body); !ok {
						break
					}
				}
			}
			if wroteAny < requests/2 {
				t.Errorf("the writer wrote %d of %d answers, want at least half", wroteAny, requests)
			}
			t.Logf("%d cases, %d requests, %d answers written", len(cases), requests, wroteAny)
		})
	}
}

// nextPage returns the variables of the next page of a walk (path below
// data of the connection walked), and false when there is none.
func nextPage(path string, vars map[string]any, body []byte) (map[string]any, bool) {
	if path == "" {
		return nil, false
	}
	var resp struct{ Data any }
	if json.Unmarshal(body, &resp) != nil {
		return nil, false
	}
	v := resp.Data
	for _, name := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		v = m[name]
	}
	m, _ := v.(map[string]any)
	pi, _ := m["pageInfo"].(map[string]any)
	end, _ := pi["endCursor"].(string)
	if more, _ := pi["hasNextPage"].(bool); !more || end == "" {
		return nil, false
	}
	next := map[string]any{}
	for k, x := range vars {
		next[k] = x
	}
	next["after"] = end
	return next, true
}

// firstDifference returns the offset of the first byte where a and b
// differ.
func firstDifference(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// around returns the bytes of b around offset at.
func around(b []byte, at int) string {
	return string(b[max(0, at-150):min(len(b), at+250)])
}
