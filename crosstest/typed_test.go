package crosstest_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/store/backendtest"
)

// typedFixture adds, for every typed relationship field the schema
// declares, one relationship of its first type at a new node of its kind,
// on its side, so that every field has something to answer whatever the
// demo holds (a relationship type added to the ontology and the schema
// has none in the demo).
func typedFixture(fields []graph.RelField) kg.Batch {
	var b kg.Batch
	node := func(id string, k kg.Kind) string {
		b.Nodes = append(b.Nodes, kg.Node{ID: id, Kind: k, Props: kg.Props{"name": "字段测试 " + id}})
		return id
	}
	for _, f := range fields {
		t := f.Types[0]
		spec := kg.RelSpecs[t]
		id := "zz-typed-" + string(f.Kind) + "-" + f.Name
		near := node(id, f.Kind)
		e := kg.Edge{ID: id, Type: t}
		if f.Direction == kg.In || (f.Direction == kg.Both && !slices.Contains(spec.From, f.Kind)) {
			e.From, e.To = node(id+"-far", spec.From[0]), near
		} else {
			e.From, e.To = near, node(id+"-far", spec.To[0])
		}
		b.Edges = append(b.Edges, e)
	}
	return b
}

// follows returns, for node id, the relationships of f in w and the node
// at their other end, as "relation→node", the way the field's declaration
// reads: of its types, starting at the node (OUT), ending there (IN), or
// either (BOTH).
func follows(w *world, f graph.RelField, id string) []string {
	var out []string
	for _, e := range w.edges {
		if !slices.Contains(f.Types, e.Type) {
			continue
		}
		if (f.Direction == kg.Out || f.Direction == kg.Both) && e.From == id {
			out = append(out, e.ID+"→"+e.To)
		} else if (f.Direction == kg.In || f.Direction == kg.Both) && e.To == id {
			out = append(out, e.ID+"→"+e.From)
		}
	}
	slices.Sort(out)
	return out
}

// TestTypedFieldsFollowDeclarations asks every typed relationship field
// the schema declares with @rel (graph.RelFields), at every node of its
// kind that has one of its relationships, on both backends: planned (no
// order) and through the loaders (ordered), each answer must hold exactly
// the relationships of the declared types on the declared side that the
// test reads from the store itself, and the backends must answer alike.
func TestTypedFieldsFollowDeclarations(t *testing.T) {
	fields := graph.RelFields()
	if len(fields) == 0 {
		t.Fatal("the schema declares no typed relationship field")
	}
	ds := demo()
	answers := map[string]map[string]string{}
	backends := backendtest.All()
	for _, be := range backends {
		t.Run(be.Name, func(t *testing.T) {
			st := be.Open(t)
			backendtest.Load(t, st, append(ds.Batches(5000), typedFixture(fields)))
			w := read(t, st)
			c := apitest.NewClient(t, serverConfig(), st)
			got := map[string]string{}
			for _, f := range fields {
				t.Run(string(f.Kind)+"."+f.Name, func(t *testing.T) {
					want := map[string][]string{}
					var ids []string
					for id, n := range w.nodes {
						if n.Kind != f.Kind {
							continue
						}
						if rs := follows(w, f, id); len(rs) > 0 {
							want[id] = rs
							ids = append(ids, id)
						}
					}
					if len(ids) == 0 {
						t.Fatalf("no %s has a relationship of %s.%s", f.Kind, f.Kind, f.Name)
					}
					slices.Sort(ids)
					ids = ids[:min(len(ids), graph.MaxIDs)]
					sel := "(first: 500) { totalCount edges { relation { id } node { id } } }"
					q := fmt.Sprintf(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on %s { planned: %s%s
  loaded: %s(first: 500, orderBy: [{field: SINCE}]) { totalCount edges { relation { id } node { id } } } } } }`,
						f.Kind, f.Name, sel, f.Name)
					r := c.Do(q, map[string]any{"ids": ids})
					if len(r.Errors) > 0 {
						t.Fatalf("%s\n%s", r.ErrorText(), q)
					}
					type conn struct {
						TotalCount int
						Edges      []struct {
							Relation struct{ ID string }
							Node     struct{ ID string }
						}
					}
					var data struct {
						Nodes []struct {
							ID              string
							Planned, Loaded conn
						}
					}
					mustDecode(t, r.Data, &data)
					for _, n := range data.Nodes {
						for name, c := range map[string]conn{"planned": n.Planned, "loaded": n.Loaded} {
							var rs []string
							for _, e := range c.Edges {
								rs = append(rs, e.Relation.ID+"→"+e.Node.ID)
							}
							slices.Sort(rs)
							w := want[n.ID]
							if c.TotalCount != len(w) || (len(w) <= 500 && !slices.Equal(rs, w)) || len(rs) != min(len(w), 500) {
								t.Errorf("%s (%s) %s: %d relationships %v, want %d %v", n.ID, name, f.Name, c.TotalCount, rs, len(w), w)
							}
						}
					}
					got[string(f.Kind)+"."+f.Name] = canonical(t, r.Data)
				})
			}
			answers[be.Name] = got
		})
	}
	if len(answers) < len(backends) {
		return
	}
	a, b := answers[backends[0].Name], answers[backends[1].Name]
	for name, x := range a {
		if x != b[name] {
			t.Errorf("%s: the backends answer differently:\n%s\n%s", name, strings.TrimSpace(x), strings.TrimSpace(b[name]))
		}
	}
}
