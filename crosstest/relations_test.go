package crosstest_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/seed"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/backendtest"
)

// The relationship questions of a planner, each asked in one query on
// both backends and checked against what the test computes itself from
// the nodes and relationships it reads through the store: no expected
// answer is written down, so the demo may change.

// world is what a test reads of the stored graph: every node (whole) and
// every relationship, with its properties.
type world struct {
	nodes map[string]*kg.Node
	edges []*kg.Edge
}

// read loads the whole graph through the store: the nodes of every kind
// page by page, the relationships from one projection.
func read(t *testing.T, st kg.Store) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{nodes: map[string]*kg.Node{}}
	for _, k := range kg.Kinds {
		q := kg.NodeQuery{Kind: k, First: kg.MaxPageSize}
		for {
			p, err := st.FindNodes(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range p.Nodes {
				w.nodes[n.ID] = n
			}
			if !p.HasNextPage || len(p.Nodes) == 0 {
				break
			}
			q.After = kg.EndCursor(q, p)
		}
	}
	p, err := st.Project(ctx, kg.ProjectionQuery{EdgeProps: true, Limit: kg.MaxProjection})
	if err != nil {
		t.Fatal(err)
	}
	if p.Truncated {
		t.Fatal("the projection was cut")
	}
	w.edges = p.Edges
	return w
}

// yearOf returns an edge's year property, or 0.
func yearOf(e *kg.Edge, name string) int {
	y, _ := e.Props.Int(name)
	return int(y)
}

// holds tells whether e holds in year (0: any): since and until, where
// given, cover it.
func holds(e *kg.Edge, year int) bool {
	if year == 0 {
		return true
	}
	if s := yearOf(e, "since"); s != 0 && s > year {
		return false
	}
	if u := yearOf(e, "until"); u != 0 && u < year {
		return false
	}
	return true
}

// personal tells whether e is a person's relationship with an
// organisation: it starts at a Talent.
func (w *world) personal(e *kg.Edge) bool { return w.nodes[e.From].Kind == kg.Talent }

// links is the rule of paths' asOf as the schema states it: the
// relationship holds in the year, or is a person's and began by then.
func (w *world) links(e *kg.Edge, year int) bool {
	if holds(e, year) {
		return true
	}
	s := yearOf(e, "since")
	return w.personal(e) && (s == 0 || s <= year)
}

// relationFixture adds to the demo what its questions need whatever the
// demo holds: a person who studied at a university and has left one
// enterprise and not yet joined another, a supplier whose relationship
// with an enterprise ended long ago, and an organisation that links two
// others. The ends are the first university and enterprises of the
// dataset by id.
func relationFixture(ds seed.Dataset) (kg.Batch, map[string]string) {
	var unis, ents []string
	for _, n := range ds.Nodes {
		switch n.Kind {
		case kg.University:
			unis = append(unis, n.ID)
		case kg.Enterprise:
			ents = append(ents, n.ID)
		}
	}
	slices.Sort(unis)
	slices.Sort(ents)
	at := map[string]string{"uni": unis[0], "left": ents[0], "joins": ents[1], "customer": ents[2]}
	b := kg.Batch{
		Nodes: []kg.Node{
			{ID: "zz-person", Kind: kg.Talent, Props: kg.Props{"name": "测试人才"}},
			{ID: "zz-supplier", Kind: kg.Enterprise, Props: kg.Props{"name": "测试供应商", "district": "甘井子区"}},
		},
		Edges: []kg.Edge{
			{ID: "zz-alumnus", Type: kg.AlumnusOf, From: "zz-person", To: at["uni"], Props: kg.Props{"since": int64(2004), "until": int64(2008)}},
			{ID: "zz-worked", Type: kg.WorksAt, From: "zz-person", To: at["left"], Props: kg.Props{"since": int64(2012), "until": int64(2018)}},
			{ID: "zz-joins", Type: kg.WorksAt, From: "zz-person", To: at["joins"], Props: kg.Props{"since": int64(2030)}},
			{ID: "zz-old-supply", Type: kg.Supplies, From: "zz-supplier", To: at["customer"], Props: kg.Props{"since": int64(2001), "until": int64(2003)}},
		},
	}
	return b, at
}

// relCase is one question: its query, and the check of its answer
// against the stored graph.
type relCase struct {
	name  string
	query string
	check func(t *testing.T, w *world, data []byte)
	// code is the error code a bad question must get.
	code string
}

// TestRelationshipQuestions asks the relationship questions of a planner
// on both backends, each in one query with the default limits, checks
// each answer against the test's own computation over the stored graph,
// and requires the two backends to answer alike.
func TestRelationshipQuestions(t *testing.T) {
	ds := demo()
	fix, at := relationFixture(ds)
	answers := map[string]map[string]string{}
	backends := backendtest.All()
	for _, be := range backends {
		t.Run(be.Name, func(t *testing.T) {
			st := be.Open(t)
			backendtest.Load(t, st, append(ds.Batches(5000), fix))
			w := read(t, st)
			c := apitest.NewClient(t, server.DefaultConfig(), st)
			got := map[string]string{}
			for _, tc := range relationCases(t, w, at) {
				t.Run(tc.name, func(t *testing.T) {
					r := c.Do(tc.query, nil)
					if tc.code != "" {
						if !strings.Contains(r.ErrorText(), tc.code) {
							t.Fatalf("errors %q, want code %s", r.ErrorText(), tc.code)
						}
						got[tc.name] = r.ErrorText()
						return
					}
					if len(r.Errors) > 0 {
						t.Fatalf("%s\n%s", r.ErrorText(), tc.query)
					}
					got[tc.name] = canonical(t, r.Data)
					tc.check(t, w, r.Data)
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
			t.Errorf("%s: the backends answer differently:\n%s\n%s", name, x, b[name])
		}
	}
}

func canonical(t *testing.T, data []byte) string {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func mustDecode(t *testing.T, data []byte, out any) {
	t.Helper()
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("%v: %s", err, data)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9 }

// relationCases are the questions, built from the stored graph w.
func relationCases(t *testing.T, w *world, at map[string]string) []relCase {
	var cs []relCase
	cs = append(cs, pathCases(at)...)
	cs = append(cs, supplyCases(w)...)
	cs = append(cs, brokerCases()...)
	cs = append(cs, orderCases(w)...)
	cs = append(cs, plannerCase())
	return cs
}

// --- paths ---

// period is the years of a relationship as the explanation names them.
func period(e *kg.Edge) string {
	s, u := yearOf(e, "since"), yearOf(e, "until")
	switch {
	case s != 0 && s == u:
		return strconv.Itoa(s)
	case s != 0 && u != 0:
		return fmt.Sprintf("%d–%d", s, u)
	case s != 0:
		return fmt.Sprintf("%d–", s)
	case u != 0:
		return fmt.Sprintf("–%d", u)
	case yearOf(e, "year") != 0:
		return strconv.Itoa(yearOf(e, "year"))
	}
	return ""
}

// path is a path found by the test: its nodes and relationships.
type path struct {
	nodes []string
	edges []*kg.Edge
}

// twoHopPaths lists every simple path of one or two relationships from a
// to b that link in year, ranked as the schema says: length, node ids,
// relationship ids.
func (w *world) twoHopPaths(a, b string, year int) []path {
	var out []path
	for _, e := range w.edges {
		if !w.links(e, year) || (e.From != a && e.To != a) || e.From == e.To {
			continue
		}
		x := e.Other(a)
		if x == b {
			out = append(out, path{[]string{a, b}, []*kg.Edge{e}})
			continue
		}
		for _, f := range w.edges {
			if f == e || !w.links(f, year) || (f.From != x && f.To != x) || f.Other(x) != b {
				continue
			}
			out = append(out, path{[]string{a, x, b}, []*kg.Edge{e, f}})
		}
	}
	slices.SortFunc(out, func(p, q path) int {
		if c := cmp.Compare(len(p.edges), len(q.edges)); c != 0 {
			return c
		}
		if c := slices.Compare(p.nodes, q.nodes); c != 0 {
			return c
		}
		return slices.CompareFunc(p.edges, q.edges, func(x, y *kg.Edge) int { return strings.Compare(x.ID, y.ID) })
	})
	return out
}

// explain is the test's own rendering of a path.
func (w *world) explain(p path) string {
	var b strings.Builder
	for i, id := range p.nodes {
		if i > 0 {
			e := p.edges[i-1]
			name := kg.RelSpecs[e.Type].Chinese
			if y := period(e); y != "" {
				name += "(" + y + ")"
			}
			if e.From == p.nodes[i-1] {
				fmt.Fprintf(&b, " —%s→ ", name)
			} else {
				fmt.Fprintf(&b, " ←%s— ", name)
			}
		}
		b.WriteString(w.nodes[id].Name())
	}
	return b.String()
}

func pathCases(at map[string]string) []relCase {
	const k = 50
	one := func(name, to string, year int, want func(t *testing.T, paths []path, w *world)) relCase {
		return relCase{name: name, query: fmt.Sprintf(`{ paths(from: %q, to: %q, maxHops: 2, asOf: %d, k: %d) {
  paths { length explanation nodes { id } hops { relation { id } } } truncated } }`, at["uni"], to, year, k),
			check: func(t *testing.T, w *world, data []byte) {
				var out struct {
					Paths struct {
						Paths []struct {
							Length      int
							Explanation string
							Nodes       []struct{ ID string }
							Hops        []struct{ Relation struct{ ID string } }
						}
						Truncated bool
					}
				}
				mustDecode(t, data, &out)
				all := w.twoHopPaths(at["uni"], to, year)
				exp := all[:min(k, len(all))]
				var got, wantText []string
				for _, p := range out.Paths.Paths {
					var ids []string
					for _, h := range p.Hops {
						ids = append(ids, h.Relation.ID)
					}
					got = append(got, p.Explanation+" "+strings.Join(ids, ","))
				}
				for _, p := range exp {
					var ids []string
					for _, e := range p.edges {
						ids = append(ids, e.ID)
					}
					wantText = append(wantText, w.explain(p)+" "+strings.Join(ids, ","))
				}
				if !slices.Equal(got, wantText) {
					t.Errorf("paths:\n got %q\nwant %q", got, wantText)
				}
				want(t, all, w)
			}}
	}
	through := func(edge string) func(paths []path) bool {
		return func(paths []path) bool {
			return slices.ContainsFunc(paths, func(p path) bool {
				return slices.ContainsFunc(p.edges, func(e *kg.Edge) bool { return e.ID == edge })
			})
		}
	}
	return []relCase{
		// In 2021 the person has graduated (2008) and left the enterprise
		// (2018): both former links count, the path through them is there.
		one("paths: a person's former links count", at["left"], 2021, func(t *testing.T, paths []path, _ *world) {
			if !through("zz-worked")(paths) || !through("zz-alumnus")(paths) {
				t.Errorf("no path through the person's former links: %d paths", len(paths))
			}
		}),
		// The job that begins in 2030 does not link in 2021, and does in 2030.
		one("paths: a relationship not begun does not count", at["joins"], 2021, func(t *testing.T, paths []path, _ *world) {
			if through("zz-joins")(paths) {
				t.Error("a path goes through a job that begins in 2030")
			}
		}),
		one("paths: a relationship begun counts", at["joins"], 2030, func(t *testing.T, paths []path, _ *world) {
			if !through("zz-joins")(paths) {
				t.Error("no path through the job begun in 2030")
			}
		}),
		{name: "paths: negative year", query: `{ paths(from: "a", to: "b", asOf: -1) { truncated } }`, code: "BAD_USER_INPUT"},
	}
}

// --- supply chains ---

// tiers computes an enterprise's supply tiers over the SUPPLIES
// relationships that hold in year (0: all): for each direction, the
// enterprises first reached at each number of hops.
func (w *world) tiers(start string, year, depth int) (up, down [][]string) {
	walk := func(upstream bool) [][]string {
		seen := map[string]bool{start: true}
		frontier := []string{start}
		var out [][]string
		for level := 1; level <= depth && len(frontier) > 0; level++ {
			in := map[string]bool{}
			for _, id := range frontier {
				in[id] = true
			}
			var next []string
			for _, e := range w.edges {
				if e.Type != kg.Supplies || !holds(e, year) {
					continue
				}
				from, to := e.From, e.To
				if upstream {
					from, to = to, from
				}
				if in[from] && !seen[to] {
					seen[to] = true
					next = append(next, to)
				}
			}
			if len(next) == 0 {
				break
			}
			slices.Sort(next)
			out = append(out, next)
			frontier = next
		}
		return out
	}
	return walk(true), walk(false)
}

// latestSupplyYear is the latest since or until of any SUPPLIES
// relationship.
func (w *world) latestSupplyYear() int {
	y := 0
	for _, e := range w.edges {
		if e.Type == kg.Supplies {
			y = max(y, yearOf(e, "since"), yearOf(e, "until"))
		}
	}
	return y
}

type supplyJSON struct {
	AsOf                      *int
	EnterpriseCount           int
	Inside, Outside           int
	InsideShare, OutsideShare float64
	Upstream, Downstream      []struct {
		Tier        int
		Enterprises []struct{ ID string }
	}
}

const supplyFields = `asOf enterpriseCount inside outside insideShare outsideShare
  upstream { tier enterprises { id } } downstream { tier enterprises { id } }`

func supplyCases(w *world) []relCase {
	// The enterprise with the fixture's ended supply relationship: the
	// customer of zz-supplier.
	var customer string
	for _, e := range w.edges {
		if e.ID == "zz-old-supply" {
			customer = e.To
		}
	}
	check := func(allYears bool) func(t *testing.T, w *world, data []byte) {
		return func(t *testing.T, w *world, data []byte) {
			var out struct{ SupplyChain supplyJSON }
			mustDecode(t, data, &out)
			sc := out.SupplyChain
			year := w.latestSupplyYear()
			if allYears {
				year = 0
			}
			if (sc.AsOf == nil) != (year == 0) || (sc.AsOf != nil && *sc.AsOf != year) {
				t.Errorf("asOf = %v, want %d (0: none)", sc.AsOf, year)
			}
			up, down := w.tiers(customer, year, 6)
			distinct := map[string]bool{}
			for dir, want := range map[string][][]string{"upstream": up, "downstream": down} {
				got := sc.Upstream
				if dir == "downstream" {
					got = sc.Downstream
				}
				var gotIDs [][]string
				for i, tier := range got {
					if tier.Tier != i+1 {
						t.Errorf("%s tier %d is numbered %d", dir, i+1, tier.Tier)
					}
					var ids []string
					for _, n := range tier.Enterprises {
						ids = append(ids, n.ID)
					}
					gotIDs = append(gotIDs, ids)
				}
				if fmt.Sprint(gotIDs) != fmt.Sprint(want) {
					t.Errorf("%s tiers = %v, want %v", dir, gotIDs, want)
				}
				for _, tier := range want {
					for _, id := range tier {
						distinct[id] = true
					}
				}
			}
			inside := 0
			for id := range distinct {
				if w.nodes[id].Props.Str("district") == seed.District {
					inside++
				}
			}
			outside := len(distinct) - inside
			if sc.EnterpriseCount != len(distinct) || sc.Inside != inside || sc.Outside != outside {
				t.Errorf("totals %d (%d in, %d out), want %d (%d in, %d out)", sc.EnterpriseCount, sc.Inside, sc.Outside, len(distinct), inside, outside)
			}
			if len(distinct) > 0 && (!near(sc.OutsideShare, float64(outside)/float64(len(distinct))) || !near(sc.InsideShare+sc.OutsideShare, 1)) {
				t.Errorf("shares %v in, %v out; want %v out", sc.InsideShare, sc.OutsideShare, float64(outside)/float64(len(distinct)))
			}
			found := slices.ContainsFunc(sc.Upstream, func(tier struct {
				Tier        int
				Enterprises []struct{ ID string }
			}) bool {
				return slices.ContainsFunc(tier.Enterprises, func(n struct{ ID string }) bool { return n.ID == "zz-supplier" })
			})
			if found != allYears {
				t.Errorf("the supplier of 2001–2003 listed: %v, want %v", found, allYears)
			}
		}
	}
	q := func(args string) string {
		return fmt.Sprintf(`{ supplyChain(enterprise: %q, depth: 6, limit: 5000%s) { %s } }`, customer, args, supplyFields)
	}
	return []relCase{
		{name: "supply chain: now, with totals", query: q(""), check: check(false)},
		{name: "supply chain: every year", query: q(", allYears: true"), check: check(true)},
		{name: "supply chain: a year and every year", query: q(", asOf: 2020, allYears: true"), code: "BAD_USER_INPUT"},
		{name: "supply chain: year 0", query: q(", asOf: 0"), code: "BAD_USER_INPUT"},
	}
}

// --- brokers ---

// orgGraph is the undirected graph of every relationship between two
// organisations: each node's distinct neighbours.
func (w *world) orgGraph() map[string]map[string]bool {
	org := map[kg.Kind]bool{kg.Enterprise: true, kg.Incubator: true, kg.Makerspace: true, kg.University: true, kg.ServiceAgency: true}
	adj := map[string]map[string]bool{}
	for _, e := range w.edges {
		if !org[w.nodes[e.From].Kind] || !org[w.nodes[e.To].Kind] || e.From == e.To {
			continue
		}
		for _, p := range [][2]string{{e.From, e.To}, {e.To, e.From}} {
			if adj[p[0]] == nil {
				adj[p[0]] = map[string]bool{}
			}
			adj[p[0]][p[1]] = true
		}
	}
	return adj
}

func brokerCases() []relCase {
	type member struct{ ID string }
	return []relCase{
		{name: "centrality among organisations", query: `{ centrality(metric: DEGREE, among: ORGANISATIONS, top: 30) {
  nodeCount edgeCount ranking { rank score node { id kind } } } }`,
			check: func(t *testing.T, w *world, data []byte) {
				var out struct {
					Centrality struct {
						NodeCount, EdgeCount int
						Ranking              []struct {
							Rank  int
							Score float64
							Node  struct{ ID, Kind string }
						}
					}
				}
				mustDecode(t, data, &out)
				adj := w.orgGraph()
				ids := make([]string, 0, len(adj))
				pairs := 0
				for id, nb := range adj {
					ids = append(ids, id)
					pairs += len(nb)
				}
				slices.SortFunc(ids, func(a, b string) int { return cmp.Or(cmp.Compare(len(adj[b]), len(adj[a])), strings.Compare(a, b)) })
				c := out.Centrality
				if c.NodeCount != len(adj) || c.EdgeCount != pairs/2 {
					t.Errorf("%d nodes, %d pairs; want %d, %d", c.NodeCount, c.EdgeCount, len(adj), pairs/2)
				}
				if len(c.Ranking) != min(30, len(ids)) {
					t.Fatalf("%d ranked, want %d", len(c.Ranking), min(30, len(ids)))
				}
				for i, s := range c.Ranking {
					if s.Node.ID != ids[i] || s.Score != float64(len(adj[ids[i]])) {
						t.Errorf("rank %d: %s %v, want %s %d", i+1, s.Node.ID, s.Score, ids[i], len(adj[ids[i]]))
					}
					if s.Node.Kind == "POLICY" || s.Node.Kind == "INDUSTRY" || s.Node.Kind == "TALENT" {
						t.Errorf("rank %d is a %s", i+1, s.Node.Kind)
					}
				}
			}},
		{name: "communities: brokers among organisations", query: `{ communities(algorithm: LOUVAIN, among: ORGANISATIONS, first: 500, membersFirst: 500, brokers: 5000) {
  count communities { id size members { id } }
  brokers { node { id } community touches touchCount bridges degree } } }`,
			check: func(t *testing.T, w *world, data []byte) {
				var out struct {
					Communities struct {
						Count       int
						Communities []struct {
							ID, Size int
							Members  []member
						}
						Brokers []struct {
							Node                        member
							Community                   int
							Touches                     []int
							TouchCount, Bridges, Degree int
						}
					}
				}
				mustDecode(t, data, &out)
				cr := out.Communities
				comm := map[string]int{}
				for _, c := range cr.Communities {
					if len(c.Members) != c.Size {
						t.Fatalf("community %d lists %d of %d members: the check needs them all", c.ID, len(c.Members), c.Size)
					}
					for _, m := range c.Members {
						comm[m.ID] = c.ID
					}
				}
				if len(cr.Communities) != cr.Count {
					t.Fatalf("%d of %d communities listed", len(cr.Communities), cr.Count)
				}
				// Brokers from the partition and the stored relationships.
				type broker struct {
					id              string
					touches         []int
					bridges, degree int
				}
				var want []broker
				adj := w.orgGraph()
				for id, nb := range adj {
					b := broker{id: id, degree: len(nb)}
					for o := range nb {
						if comm[o] != comm[id] {
							b.bridges++
							b.touches = append(b.touches, comm[o])
						}
					}
					if b.bridges == 0 {
						continue
					}
					slices.Sort(b.touches)
					b.touches = slices.Compact(b.touches)
					want = append(want, b)
				}
				slices.SortFunc(want, func(a, b broker) int {
					return cmp.Or(cmp.Compare(len(b.touches), len(a.touches)), cmp.Compare(b.bridges, a.bridges), cmp.Compare(b.degree, a.degree), strings.Compare(a.id, b.id))
				})
				if len(want) == 0 {
					t.Fatal("no broker in the stored graph: the check checks nothing")
				}
				if len(cr.Brokers) != len(want) {
					t.Fatalf("%d brokers, want %d", len(cr.Brokers), len(want))
				}
				for i, b := range cr.Brokers {
					x := want[i]
					if b.Node.ID != x.id || !slices.Equal(b.Touches, x.touches) || b.TouchCount != len(x.touches) || b.Bridges != x.bridges ||
						b.Degree != x.degree || b.Community != comm[x.id] {
						t.Errorf("broker %d: %+v, want %+v (community %d)", i+1, b, x, comm[x.id])
					}
				}
			}},
		{name: "communities: brokers by degree", query: `{ communities(algorithm: LABEL_PROPAGATION, among: ORGANISATIONS, brokers: 10, brokersOrderBy: {field: DEGREE, direction: ASC}) {
  brokers { node { id } touchCount bridges degree } } }`,
			check: func(t *testing.T, w *world, data []byte) {
				var out struct {
					Communities struct {
						Brokers []struct {
							Node                        member
							TouchCount, Bridges, Degree int
						}
					}
				}
				mustDecode(t, data, &out)
				bs := out.Communities.Brokers
				adj := w.orgGraph()
				for i, b := range bs {
					if b.Degree != len(adj[b.Node.ID]) {
						t.Errorf("%s has degree %d, want %d", b.Node.ID, b.Degree, len(adj[b.Node.ID]))
					}
					if i > 0 {
						a := bs[i-1]
						if c := cmp.Or(cmp.Compare(a.Degree, b.Degree), cmp.Compare(a.TouchCount, b.TouchCount), cmp.Compare(a.Bridges, b.Bridges), strings.Compare(a.Node.ID, b.Node.ID)); c > 0 {
							t.Errorf("brokers %d and %d out of order: %+v, %+v", i, i+1, a, b)
						}
					}
				}
				// The least connected brokers have the smallest degree of
				// any node with a neighbour in another community: at
				// least 1.
				if len(bs) > 0 && bs[0].Degree < 1 {
					t.Errorf("first broker %+v", bs[0])
				}
			}},
		{name: "centrality: kinds and among", query: `{ centrality(metric: DEGREE, kinds: [ENTERPRISE], among: ORGANISATIONS) { nodeCount } }`, code: "BAD_USER_INPUT"},
		{name: "communities: too many brokers", query: `{ communities(algorithm: LOUVAIN, brokers: 5001) { count } }`, code: "BAD_USER_INPUT"},
	}
}

// --- orders ---

func orderCases(w *world) []relCase {
	// The policy with the most applicants, the chain of the most segments.
	applicants := map[string]map[string]bool{}
	segments := map[string]int{}
	for _, e := range w.edges {
		if e.Type == kg.SupportedBy {
			if applicants[e.To] == nil {
				applicants[e.To] = map[string]bool{}
			}
			applicants[e.To][e.From] = true
		}
	}
	for _, n := range w.nodes {
		if n.Kind == kg.Industry && n.Props.Str("chain") != "" {
			segments[n.Props.Str("chain")]++
		}
	}
	var policy, chain string
	for p, a := range applicants {
		if policy == "" || len(a) > len(applicants[policy]) || (len(a) == len(applicants[policy]) && p < policy) {
			policy = p
		}
	}
	for c, k := range segments {
		if chain == "" || k > segments[chain] || (k == segments[chain] && c < chain) {
			chain = c
		}
	}
	return []relCase{
		{name: "policy reach: industries fewest enterprises first", query: fmt.Sprintf(`{ policyReach(policy: %q, limit: 5000, orderBy: {field: ENTERPRISES, direction: ASC}) {
  industries { enterprises node { id name } } serviceAgencies { enterprises node { id } } } }`, policy),
			check: func(t *testing.T, w *world, data []byte) {
				var out struct {
					PolicyReach struct {
						Industries, ServiceAgencies []struct {
							Enterprises int
							Node        struct{ ID, Name string }
						}
					}
				}
				mustDecode(t, data, &out)
				count := func(typ kg.RelType, agencyEnd bool) []string {
					n := map[string]map[string]bool{}
					for _, e := range w.edges {
						ent, other := e.From, e.To
						if agencyEnd {
							ent, other = e.To, e.From
						}
						if e.Type != typ || !applicants[policy][ent] {
							continue
						}
						if n[other] == nil {
							n[other] = map[string]bool{}
						}
						n[other][ent] = true
					}
					var out []string
					for id := range n {
						out = append(out, id)
					}
					slices.SortFunc(out, func(a, b string) int { return cmp.Or(cmp.Compare(len(n[a]), len(n[b])), strings.Compare(a, b)) })
					for i, id := range out {
						out[i] = fmt.Sprintf("%s:%d", id, len(n[id]))
					}
					return out
				}
				for _, l := range []struct {
					name string
					got  []struct {
						Enterprises int
						Node        struct{ ID, Name string }
					}
					want []string
				}{
					{"industries", out.PolicyReach.Industries, count(kg.InIndustry, false)},
					{"agencies", out.PolicyReach.ServiceAgencies, count(kg.Serves, true)},
				} {
					var got []string
					for _, c := range l.got {
						got = append(got, fmt.Sprintf("%s:%d", c.Node.ID, c.Enterprises))
					}
					if !slices.Equal(got, l.want) {
						t.Errorf("%s = %v, want %v", l.name, got, l.want)
					}
				}
			}},
		{name: "industry chain: segments with most local enterprises first", query: fmt.Sprintf(`{ industryChainGaps(chain: %q, fewerThan: 1000000, candidates: 5000,
  orderBy: {field: LOCAL_ENTERPRISES, direction: DESC}, candidatesOrderBy: {field: LINKS}) {
  segments { segment { id } localEnterprises outsideEnterprises candidates { node { id } hops links } } } }`, chain),
			check: func(t *testing.T, w *world, data []byte) {
				var out struct {
					IndustryChainGaps struct {
						Segments []struct {
							Segment                              struct{ ID string }
							LocalEnterprises, OutsideEnterprises int
							Candidates                           []struct {
								Node  struct{ ID string }
								Hops  *int
								Links int
							}
						}
					}
				}
				mustDecode(t, data, &out)
				rank := map[string]int{"UPSTREAM": 0, "MIDSTREAM": 1, "DOWNSTREAM": 2}
				type seg struct {
					id, pos     string
					local, away int
				}
				var want []seg
				for _, n := range w.nodes {
					if n.Kind != kg.Industry || n.Props.Str("chain") != chain {
						continue
					}
					s := seg{id: n.ID, pos: n.Props.Str("position")}
					seen := map[string]bool{}
					for _, e := range w.edges {
						if e.Type == kg.InIndustry && e.To == n.ID && !seen[e.From] {
							seen[e.From] = true
							if w.nodes[e.From].Props.Str("district") == seed.District {
								s.local++
							} else {
								s.away++
							}
						}
					}
					want = append(want, s)
				}
				posRank := func(p string) int {
					if r, ok := rank[p]; ok {
						return r
					}
					return 3
				}
				slices.SortFunc(want, func(a, b seg) int {
					return cmp.Or(cmp.Compare(b.local, a.local), cmp.Compare(posRank(a.pos), posRank(b.pos)), strings.Compare(a.id, b.id))
				})
				var got, exp []string
				for _, s := range out.IndustryChainGaps.Segments {
					got = append(got, fmt.Sprintf("%s:%d/%d", s.Segment.ID, s.LocalEnterprises, s.OutsideEnterprises))
					for i := 1; i < len(s.Candidates); i++ {
						a, b := s.Candidates[i-1], s.Candidates[i]
						if a.Links < b.Links || (a.Links == b.Links && hopsKey(a.Hops) > hopsKey(b.Hops)) ||
							(a.Links == b.Links && hopsKey(a.Hops) == hopsKey(b.Hops) && a.Node.ID > b.Node.ID) {
							t.Errorf("candidates of %s out of order at %d", s.Segment.ID, i)
						}
					}
				}
				for _, s := range want {
					exp = append(exp, fmt.Sprintf("%s:%d/%d", s.id, s.local, s.away))
				}
				if !slices.Equal(got, exp) {
					t.Errorf("segments = %v, want %v", got, exp)
				}
			}},
		{name: "policy reach: service agencies by name", query: fmt.Sprintf(`{ policyReach(policy: %q, limit: 5000, orderBy: {field: NAME, direction: ASC}) {
  serviceAgencies { enterprises node { id name } } } }`, policy),
			check: func(t *testing.T, w *world, data []byte) {
				var out struct {
					PolicyReach struct {
						ServiceAgencies []struct {
							Enterprises int
							Node        struct{ ID, Name string }
						}
					}
				}
				mustDecode(t, data, &out)
				n := map[string]map[string]bool{}
				for _, e := range w.edges {
					if e.Type == kg.Serves && applicants[policy][e.To] {
						if n[e.From] == nil {
							n[e.From] = map[string]bool{}
						}
						n[e.From][e.To] = true
					}
				}
				var want []string
				for id := range n {
					want = append(want, id)
				}
				slices.SortFunc(want, func(a, b string) int {
					return cmp.Or(strings.Compare(w.nodes[a].Name(), w.nodes[b].Name()), strings.Compare(a, b))
				})
				var got []string
				for i, c := range out.PolicyReach.ServiceAgencies {
					got = append(got, c.Node.ID)
					if c.Node.Name != w.nodes[c.Node.ID].Name() || c.Enterprises != len(n[c.Node.ID]) {
						t.Errorf("agency %d: %+v, want %d enterprises", i, c, len(n[c.Node.ID]))
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("agencies = %v, want %v", got, want)
				}
			}},
		{name: "policy reach: unknown order", query: fmt.Sprintf(`{ policyReach(policy: %q, orderBy: {field: SIZE}) { enterpriseCount } }`, policy), code: "GRAPHQL_VALIDATION_FAILED"},
	}
}

// hopsKey sorts no hops last.
func hopsKey(h *int) int {
	if h == nil {
		return math.MaxInt
	}
	return *h
}

// --- a planner's ordinary question ---

var categories = []string{"TECH_TRADING", "IP", "CONSULTING", "FINANCE", "ENTREPRENEURSHIP", "POPULARIZATION"}

// plannerQuery is six category lists of 20 agencies with 50 served
// enterprises each.
func plannerQuery() string {
	var b strings.Builder
	b.WriteString("{ ")
	for _, c := range categories {
		fmt.Fprintf(&b, `%s: serviceAgencies(filter: {categories: [%s]}, first: 20) { totalCount edges { node { id name
  served(first: 50) { totalCount edges { node { id name } } } } } } `, strings.ToLower(c), c)
	}
	b.WriteString("}")
	return b.String()
}

func plannerCase() relCase {
	return relCase{name: "six category lists of agencies with what they serve", query: plannerQuery(),
		check: func(t *testing.T, w *world, data []byte) {
			var out map[string]struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						ID, Name string
						Served   struct {
							TotalCount int
							Edges      []struct{ Node struct{ ID string } }
						}
					}
				}
			}
			mustDecode(t, data, &out)
			for _, c := range categories {
				var agencies []string
				for id, n := range w.nodes {
					cats, _ := n.Props["categories"].([]string)
					if n.Kind == kg.ServiceAgency && slices.Contains(cats, c) {
						agencies = append(agencies, id)
					}
				}
				slices.Sort(agencies)
				got := out[strings.ToLower(c)]
				if got.TotalCount != len(agencies) || len(got.Edges) != min(20, len(agencies)) {
					t.Errorf("%s: %d agencies (%d listed), want %d", c, got.TotalCount, len(got.Edges), len(agencies))
					continue
				}
				for i, e := range got.Edges {
					if e.Node.ID != agencies[i] {
						t.Errorf("%s agency %d = %s, want %s", c, i, e.Node.ID, agencies[i])
					}
					served := map[string]int{}
					for _, r := range w.edges {
						if r.Type == kg.Serves && r.From == e.Node.ID {
							served[r.To]++
						}
					}
					total := 0
					for _, k := range served {
						total += k
					}
					if e.Node.Served.TotalCount != total || len(e.Node.Served.Edges) != min(50, total) {
						t.Errorf("%s serves %d (%d listed), want %d", e.Node.ID, e.Node.Served.TotalCount, len(e.Node.Served.Edges), total)
					}
					for _, s := range e.Node.Served.Edges {
						if served[s.Node.ID] == 0 {
							t.Errorf("%s does not serve %s", e.Node.ID, s.Node.ID)
						}
					}
				}
			}
		}}
}
