package graph_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/backendtest"
)

// TestKeysetPagesUnderWrites walks, through the API and on both backends,
// lists whose order the resolvers compute or apply themselves: a list
// ranked by LEVEL (in Go), a relationship field ordered by a property
// (through the loaders) and one without an order (planned into the
// root's Fetch), two items a page, writing between every two pages: a new
// node or relationship whose key sorts before, inside or after the walk's
// position, and the deletion of one written before. Every item there
// throughout is returned exactly once, and no item twice.
func TestKeysetPagesUnderWrites(t *testing.T) {
	levels := []any{"DISTRICT", "MUNICIPAL", "PROVINCIAL", "NATIONAL", nil}
	for _, b := range backendtest.All() {
		t.Run(b.Name, func(t *testing.T) {
			st := b.Open(t)
			var batch kg.Batch
			batch.Nodes = append(batch.Nodes, kg.Node{ID: "ks-hub", Kind: kg.Enterprise, Props: kg.Props{"name": "枢纽"}})
			want := map[string]map[string]bool{"agencies": {}, "suppliers": {}}
			for i := range 12 {
				a := kg.Node{ID: fmt.Sprintf("ks-a%02d", 2*i), Kind: kg.ServiceAgency, Props: kg.Props{"name": fmt.Sprintf("机构%02d", (i*5)%12)}}
				if l := levels[i%len(levels)]; l != nil {
					a.Props["level"] = l
				}
				e := kg.Node{ID: fmt.Sprintf("ks-e%02d", 2*i), Kind: kg.Enterprise, Props: kg.Props{"name": fmt.Sprintf("供应商%02d", i)}}
				r := kg.Edge{ID: fmt.Sprintf("ks-s%02d", 2*i), Type: kg.Supplies, From: e.ID, To: "ks-hub", Props: kg.Props{}}
				if i%3 != 0 {
					r.Props["value"] = float64((i * 7) % 5)
				}
				batch.Nodes = append(batch.Nodes, a, e)
				batch.Edges = append(batch.Edges, r)
				want["agencies"][a.ID], want["suppliers"][r.ID] = true, true
			}
			backendtest.Load(t, st, []kg.Batch{batch})
			c := apitest.NewClient(t, server.DefaultConfig(), st)

			written := 0
			var inserted []string
			// write adds an agency and a supplier whose keys sort anywhere,
			// and deletes one node written before.
			write := func() {
				written++
				n := written
				w := kg.Batch{
					Nodes: []kg.Node{
						{ID: fmt.Sprintf("ks-a%02d-%d", (n*7)%25, n), Kind: kg.ServiceAgency, Props: kg.Props{"name": fmt.Sprintf("新机构%d", n)}},
						{ID: fmt.Sprintf("ks-e%02d-%d", (n*11)%25, n), Kind: kg.Enterprise, Props: kg.Props{"name": fmt.Sprintf("新供应商%d", n)}},
					},
					Edges: []kg.Edge{{ID: fmt.Sprintf("ks-s%02d-%d", (n*11)%25, n), Type: kg.Supplies, From: fmt.Sprintf("ks-e%02d-%d", (n*11)%25, n), To: "ks-hub",
						Props: kg.Props{"value": float64(n % 6)}}},
				}
				if l := levels[n%len(levels)]; l != nil {
					w.Nodes[0].Props["level"] = l
				}
				if len(inserted) > 2 {
					w.DeleteNodes = []string{inserted[0]}
					inserted = inserted[1:]
				}
				inserted = append(inserted, w.Nodes[0].ID, w.Nodes[1].ID)
				if _, err := st.Apply(t.Context(), w); err != nil {
					t.Fatal(err)
				}
			}
			type page struct {
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
				Edges []struct {
					Node     struct{ ID string }
					Relation *struct{ ID string }
				}
			}
			for _, tc := range []struct {
				name, list, query string
				get               func(json.RawMessage) page
			}{
				{"ranked by level", "agencies",
					`query($after: String) { serviceAgencies(first: 2, after: $after, orderBy: [{field: LEVEL, direction: DESC}]) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
					func(d json.RawMessage) page {
						var out struct{ ServiceAgencies page }
						_ = json.Unmarshal(d, &out)
						return out.ServiceAgencies
					}},
				{"relationships ordered by value", "suppliers",
					`query($after: String) { node(id: "ks-hub") { ... on Enterprise { suppliers(first: 2, after: $after, orderBy: [{field: VALUE}]) { pageInfo { hasNextPage endCursor } edges { node { id } relation { id } } } } } }`,
					func(d json.RawMessage) page {
						var out struct{ Node struct{ Suppliers page } }
						_ = json.Unmarshal(d, &out)
						return out.Node.Suppliers
					}},
				{"relationships planned", "suppliers",
					`query($after: String) { node(id: "ks-hub") { ... on Enterprise { suppliers(first: 2, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } relation { id } } } } } }`,
					func(d json.RawMessage) page {
						var out struct{ Node struct{ Suppliers page } }
						_ = json.Unmarshal(d, &out)
						return out.Node.Suppliers
					}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					seen := map[string]int{}
					var after any
					for pages := 0; pages < 200; pages++ {
						r := c.Do(tc.query, map[string]any{"after": after})
						if len(r.Errors) > 0 {
							t.Fatalf("page %d: %s", pages, r.ErrorText())
						}
						p := tc.get(r.Data)
						for _, e := range p.Edges {
							id := e.Node.ID
							if e.Relation != nil {
								id = e.Relation.ID
							}
							if seen[id]++; seen[id] == 2 {
								t.Errorf("%s returned twice", id)
							}
						}
						if !p.PageInfo.HasNextPage {
							break
						}
						after = p.PageInfo.EndCursor
						write()
					}
					for id := range want[tc.list] {
						if seen[id] != 1 {
							t.Errorf("%s, there throughout, returned %d times", id, seen[id])
						}
					}
				})
			}
		})
	}
}
