package graph_test

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/backendtest"
	"github.com/innograph/innograph/store/storetest"
)

// backends are the stores every API test of this package runs on.
var backends = backendtest.All()

// apiCase is one query of an analytics test and what its answer must be.
type apiCase struct {
	name  string
	query string
	vars  map[string]any
	// check looks at the data of a successful answer.
	check func(t *testing.T, data []byte)
	// code, when set, is the extensions.code the answer's error must carry.
	code string
}

// onBothBackends writes the batches into each backend, runs every case
// through the whole HTTP handler and checks its answer; then the answers
// of the two backends must be the same JSON.
func onBothBackends(t *testing.T, batches []kg.Batch, cases []apiCase) {
	t.Helper()
	answers := map[string]map[string]string{}
	for _, be := range backends {
		t.Run(be.Name, func(t *testing.T) {
			st := be.Open(t)
			backendtest.Load(t, st, batches)
			c := apitest.NewClient(t, server.DefaultConfig(), st)
			got := map[string]string{}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					r := c.Do(tc.query, tc.vars)
					if tc.code != "" {
						if !strings.Contains(r.ErrorText(), tc.code) {
							t.Fatalf("errors = %q, want code %s", r.ErrorText(), tc.code)
						}
						got[tc.name] = r.ErrorText()
						return
					}
					if len(r.Errors) > 0 {
						t.Fatalf("query failed: %s", r.ErrorText())
					}
					got[tc.name] = canonicalJSON(t, r.Data)
					if tc.check != nil {
						tc.check(t, r.Data)
					}
				})
			}
			answers[be.Name] = got
		})
	}
	if len(answers) < len(backends) {
		return
	}
	for _, tc := range cases {
		a, b := answers[backends[0].Name][tc.name], answers[backends[1].Name][tc.name]
		if a != b {
			t.Errorf("%s: the backends answer differently:\n%s: %s\n%s: %s", tc.name, backends[0].Name, a, backends[1].Name, b)
		}
	}
}

// canonicalJSON re-encodes data with sorted keys.
func canonicalJSON(t *testing.T, data []byte) string {
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

// decode unmarshals data into out or fails the test.
func decode(t *testing.T, data []byte, out any) {
	t.Helper()
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("decode: %v: %s", err, data)
	}
}

// node and rel build the fixtures of these tests.
var (
	node = storetest.Named
	rel  = storetest.Edge
)

// ids returns the "id" of every element of a decoded list.
func ids[T any](xs []T, id func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

func checkIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func closeTo(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

type sgNode struct {
	ID, Kind, Name string
	District       *string
	Depth          *int
}

type sgEdge struct {
	ID, Type, Source, Target string
	Weight                   float64
}

type subgraphJSON struct {
	Nodes       []sgNode
	Edges       []sgEdge
	Truncated   bool
	TruncatedBy *string
}

const subgraphFields = `nodes { id kind name district depth node { id name } } edges { id type source target since until weight relation { id from to since until } } truncated truncatedBy`

func nodeIDs(sg subgraphJSON) []string { return ids(sg.Nodes, func(n sgNode) string { return n.ID }) }
func edgeIDs(sg subgraphJSON) []string { return ids(sg.Edges, func(e sgEdge) string { return e.ID }) }

func checkTruncation(t *testing.T, truncated bool, by *string, want string) {
	t.Helper()
	got := ""
	if by != nil {
		got = *by
	}
	if truncated != (want != "") || got != want {
		t.Errorf("truncated = %v by %q, want by %q", truncated, got, want)
	}
}

// TestPathsAPI: paths of a small graph, counted by hand.
func TestPathsAPI(t *testing.T) {
	b := kg.Batch{
		Nodes: []kg.Node{
			node("pu", kg.University, "大连海事大学"),
			node("px", kg.Enterprise, "X公司"),
			node("py", kg.Enterprise, "Y公司"),
			node("pz", kg.Enterprise, "Z公司"),
			node("pind", kg.Industry, "船舶配套"),
		},
		Edges: []kg.Edge{
			rel("t1", kg.TransfersTechTo, "pu", "px", "since", 2019, "technology", "船舶能效优化技术"),
			rel("s1", kg.Supplies, "px", "py", "product", "船用配套设备", "value", 1.5e6),
			rel("s2", kg.Supplies, "pz", "py"),
			rel("c1", kg.CollaboratesWith, "pu", "pz", "since", 2015, "until", 2020),
			rel("i1", kg.InIndustry, "px", "pind"),
			rel("i2", kg.InIndustry, "py", "pind"),
			// A person who studied at the university until 2012, worked
			// at Z from 2016 to 2018 and at X from 2024.
			rel("a1", kg.AlumnusOf, "pt", "pu", "since", 2008, "until", 2012),
			rel("w1", kg.WorksAt, "pt", "pz", "since", 2016, "until", 2018),
			rel("w2", kg.WorksAt, "pt", "px", "since", 2024),
		},
	}
	b.Nodes = append(b.Nodes, node("pt", kg.Talent, "张工"))
	type pathsJSON struct {
		Paths struct {
			Paths []struct {
				Length      int
				Explanation string
				Nodes       []struct{ ID string }
				Hops        []struct {
					From, To  struct{ ID string }
					Type      string
					Direction string
					Relation  struct{ ID string }
				}
			}
			Truncated   bool
			TruncatedBy *string
		}
	}
	const q = `query($from: ID!, $to: ID!, $k: Int, $hops: Int, $types: [RelationType!], $through: [NodeKind!], $asOf: Int) {
  paths(from: $from, to: $to, k: $k, maxHops: $hops, relationTypes: $types, through: $through, asOf: $asOf) {
    paths { length explanation nodes { id name kind } hops { from { id } to { id } type direction relation { id type product value } } }
    truncated truncatedBy } }`
	explanations := func(want ...string) func(t *testing.T, data []byte) {
		return func(t *testing.T, data []byte) {
			var out pathsJSON
			decode(t, data, &out)
			var got []string
			for _, p := range out.Paths.Paths {
				got = append(got, p.Explanation)
				if p.Length != len(p.Hops) || len(p.Nodes) != p.Length+1 {
					t.Errorf("path of length %d has %d hops and %d nodes", p.Length, len(p.Hops), len(p.Nodes))
				}
				for i, h := range p.Hops {
					if h.From.ID != p.Nodes[i].ID || h.To.ID != p.Nodes[i+1].ID {
						t.Errorf("hop %d goes %s→%s, the path %s→%s", i, h.From.ID, h.To.ID, p.Nodes[i].ID, p.Nodes[i+1].ID)
					}
				}
			}
			checkIDs(t, "explanations", got, want)
			checkTruncation(t, out.Paths.Truncated, out.Paths.TruncatedBy, "")
		}
	}
	vars := func(from, to string, k, hops int, kv ...any) map[string]any {
		m := map[string]any{"from": from, "to": to, "k": k, "hops": hops}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	onBothBackends(t, []kg.Batch{b}, []apiCase{
		{name: "five paths", query: q, vars: vars("pu", "py", 5, 3), check: explanations(
			"大连海事大学 —技术转移(2019–)→ X公司 —供应→ Y公司",
			"大连海事大学 —合作(2015–2020)→ Z公司 —供应→ Y公司",
			"大连海事大学 ←毕业于(2008–2012)— 张工 —任职(2024–)→ X公司 —供应→ Y公司",
			"大连海事大学 ←毕业于(2008–2012)— 张工 —任职(2016–2018)→ Z公司 —供应→ Y公司",
			"大连海事大学 —技术转移(2019–)→ X公司 —属于产业→ 船舶配套 ←属于产业— Y公司")},
		{name: "k=1", query: q, vars: vars("pu", "py", 1, 3), check: explanations("大连海事大学 —技术转移(2019–)→ X公司 —供应→ Y公司")},
		{name: "against the direction", query: q, vars: vars("py", "pu", 1, 3), check: func(t *testing.T, data []byte) {
			explanations("Y公司 ←供应— X公司 ←技术转移(2019–)— 大连海事大学")(t, data)
			var out pathsJSON
			decode(t, data, &out)
			for _, h := range out.Paths.Paths[0].Hops {
				if h.Direction != "BACKWARD" {
					t.Errorf("hop %s is %s, want BACKWARD", h.Relation.ID, h.Direction)
				}
			}
		}},
		{name: "as of 2021", query: q, vars: vars("pu", "py", 5, 3, "asOf", 2021), check: explanations(
			// The collaboration ended in 2020 and the job at X begins in
			// 2024; the person's former study and job still link.
			"大连海事大学 —技术转移(2019–)→ X公司 —供应→ Y公司",
			"大连海事大学 ←毕业于(2008–2012)— 张工 —任职(2016–2018)→ Z公司 —供应→ Y公司",
			"大连海事大学 —技术转移(2019–)→ X公司 —属于产业→ 船舶配套 ←属于产业— Y公司")},
		{name: "through enterprises", query: q, vars: vars("pu", "py", 5, 3, "through", []string{"ENTERPRISE"}), check: explanations(
			"大连海事大学 —技术转移(2019–)→ X公司 —供应→ Y公司",
			"大连海事大学 —合作(2015–2020)→ Z公司 —供应→ Y公司")},
		{name: "some types", query: q, vars: vars("pu", "py", 5, 3, "types", []string{"SUPPLIES", "TRANSFERS_TECH_TO"}), check: explanations(
			"大连海事大学 —技术转移(2019–)→ X公司 —供应→ Y公司")},
		{name: "a person's former links", query: q, vars: vars("pu", "pz", 5, 2, "asOf", 2021, "types", []string{"ALUMNUS_OF", "WORKS_AT"}), check: explanations(
			"大连海事大学 ←毕业于(2008–2012)— 张工 —任职(2016–2018)→ Z公司")},
		{name: "a person's links not begun", query: q, vars: vars("pu", "px", 5, 2, "asOf", 2021, "types", []string{"ALUMNUS_OF", "WORKS_AT"}), check: explanations()},
		{name: "a person's links begun", query: q, vars: vars("pu", "px", 5, 2, "asOf", 2024, "types", []string{"ALUMNUS_OF", "WORKS_AT"}), check: explanations(
			"大连海事大学 ←毕业于(2008–2012)— 张工 —任职(2024–)→ X公司")},
		{name: "an organisation's ended links", query: q, vars: vars("pu", "pz", 5, 2, "asOf", 2021, "types", []string{"COLLABORATES_WITH"}), check: explanations()},
		{name: "too few hops", query: q, vars: vars("pu", "py", 5, 1), check: explanations()},
		{name: "unknown node", query: q, vars: vars("pu", "nope", 5, 3), code: "NOT_FOUND"},
		{name: "same node", query: q, vars: vars("pu", "pu", 5, 3), code: "BAD_USER_INPUT"},
		{name: "too many hops", query: q, vars: vars("pu", "py", 5, 7), code: "BAD_USER_INPUT"},
	})
}

// TestNeighborhoodAPI: a two-level neighbourhood, its cut and its filters.
func TestNeighborhoodAPI(t *testing.T) {
	b := kg.Batch{
		Nodes: []kg.Node{
			node("c0", kg.Enterprise, "中心公司", "district", "中山区"),
			node("a1", kg.Enterprise, "甲一"), node("a2", kg.Enterprise, "甲二"), node("a3", kg.Enterprise, "甲三"),
			node("b1", kg.Enterprise, "乙一"), node("b2", kg.Industry, "乙产业"), node("x", kg.Enterprise, "远方"),
		},
		Edges: []kg.Edge{
			rel("e-c0a1", kg.Supplies, "c0", "a1"), rel("e-c0a2", kg.Supplies, "c0", "a2"), rel("e-c0a3", kg.Supplies, "c0", "a3"),
			rel("e-a1a2", kg.CollaboratesWith, "a1", "a2"),
			rel("e-a1b1", kg.Supplies, "a1", "b1", "since", 2022), rel("e-a2b1", kg.CollaboratesWith, "a2", "b1"),
			rel("e-a3b2", kg.InIndustry, "a3", "b2"), rel("e-b1x", kg.Supplies, "b1", "x"),
		},
	}
	const q = `query($id: ID!, $depth: Int, $limit: Int, $kinds: [NodeKind!], $types: [RelationType!], $asOf: Int) {
  neighborhood(id: $id, depth: $depth, limit: $limit, kinds: $kinds, relationTypes: $types, asOf: $asOf) { ` + subgraphFields + ` } }`
	expect := func(nodes, edges []string, depths []int, by string) func(t *testing.T, data []byte) {
		return func(t *testing.T, data []byte) {
			var out struct{ Neighborhood subgraphJSON }
			decode(t, data, &out)
			checkIDs(t, "nodes", nodeIDs(out.Neighborhood), nodes)
			checkIDs(t, "edges", edgeIDs(out.Neighborhood), edges)
			for i, n := range out.Neighborhood.Nodes {
				if i < len(depths) && (n.Depth == nil || *n.Depth != depths[i]) {
					t.Errorf("depth of %s = %v, want %d", n.ID, n.Depth, depths[i])
				}
			}
			checkTruncation(t, out.Neighborhood.Truncated, out.Neighborhood.TruncatedBy, by)
		}
	}
	onBothBackends(t, []kg.Batch{b}, []apiCase{
		{name: "depth 2", query: q, vars: map[string]any{"id": "c0", "depth": 2},
			check: expect([]string{"c0", "a1", "a2", "a3", "b1", "b2"}, []string{"e-a1a2", "e-a1b1", "e-a2b1", "e-a3b2", "e-c0a1", "e-c0a2", "e-c0a3"}, []int{0, 1, 1, 1, 2, 2}, "")},
		{name: "depth 1 keeps edges among the last level", query: q, vars: map[string]any{"id": "c0", "depth": 1},
			check: expect([]string{"c0", "a1", "a2", "a3"}, []string{"e-a1a2", "e-c0a1", "e-c0a2", "e-c0a3"}, []int{0, 1, 1, 1}, "")},
		{name: "cut prefers the best linked", query: q, vars: map[string]any{"id": "c0", "depth": 3, "limit": 5},
			check: expect([]string{"c0", "a1", "a2", "a3", "b1"}, []string{"e-a1a2", "e-a1b1", "e-a2b1", "e-c0a1", "e-c0a2", "e-c0a3"}, nil, "NODE_LIMIT")},
		{name: "enterprises only", query: q, vars: map[string]any{"id": "c0", "depth": 3, "kinds": []string{"ENTERPRISE"}},
			check: expect([]string{"c0", "a1", "a2", "a3", "b1", "x"}, []string{"e-a1a2", "e-a1b1", "e-a2b1", "e-b1x", "e-c0a1", "e-c0a2", "e-c0a3"}, []int{0, 1, 1, 1, 2, 3}, "")},
		{name: "supplies as of 2020", query: q, vars: map[string]any{"id": "c0", "depth": 3, "types": []string{"SUPPLIES"}, "asOf": 2020},
			check: expect([]string{"c0", "a1", "a2", "a3"}, []string{"e-c0a1", "e-c0a2", "e-c0a3"}, nil, "")},
		{name: "depth too large", query: q, vars: map[string]any{"id": "c0", "depth": 5}, code: "BAD_USER_INPUT"},
		{name: "unknown node", query: q, vars: map[string]any{"id": "nope"}, code: "NOT_FOUND"},
	})
}

// TestSupplyChainAPI: tiers known by construction, with an enterprise
// reached twice (it belongs to the first tier that reaches it) and a cycle.
func TestSupplyChainAPI(t *testing.T) {
	ent := func(id, district string) kg.Node {
		return node(id, kg.Enterprise, "企业"+id, "district", district)
	}
	b := kg.Batch{
		Nodes: []kg.Node{
			ent("E", "中山区"), ent("s1", "中山区"), ent("s1b", "西岗区"), ent("s2", "中山区"), ent("s2b", "甘井子区"), ent("s3", "中山区"),
			ent("c1", "中山区"), ent("c2", "沙河口区"), ent("c3", "中山区"), node("U", kg.University, "大学"),
		},
		Edges: []kg.Edge{
			rel("u-s1-E", kg.Supplies, "s1", "E", "value", 2e6), rel("u-s1b-E", kg.Supplies, "s1b", "E"),
			rel("u-s2-s1", kg.Supplies, "s2", "s1"), rel("u-s2b-s1", kg.Supplies, "s2b", "s1"),
			rel("u-s3-s1b", kg.Supplies, "s3", "s1b"), rel("u-s3-s2", kg.Supplies, "s3", "s2"),
			rel("d-E-c1", kg.Supplies, "E", "c1"), rel("d-E-c2", kg.Supplies, "E", "c2", "until", 2019),
			rel("d-c1-c3", kg.Supplies, "c1", "c3"), rel("d-c3-E", kg.Supplies, "c3", "E"),
		},
	}
	type tier struct {
		Tier                      int
		Direction                 string
		Enterprises               []struct{ ID string }
		Edges                     []struct{ ID string }
		Inside, Outside           int
		InsideShare, OutsideShare float64
	}
	const q = `query($id: ID!, $dir: SupplyDirection, $depth: Int, $limit: Int, $district: String, $asOf: Int) {
  supplyChain(enterprise: $id, direction: $dir, depth: $depth, limit: $limit, district: $district, asOf: $asOf) {
    enterprise { id } district truncated truncatedBy
    upstream { tier direction enterprises { id name district depth } edges { id source target weight } inside outside insideShare outsideShare }
    downstream { tier direction enterprises { id name district depth } edges { id source target weight } inside outside insideShare outsideShare } } }`
	type want struct {
		ents, edges     []string
		inside, outside int
	}
	expect := func(up, down []want, by string) func(t *testing.T, data []byte) {
		return func(t *testing.T, data []byte) {
			var out struct {
				SupplyChain struct {
					Upstream, Downstream []tier
					Truncated            bool
					TruncatedBy          *string
				}
			}
			decode(t, data, &out)
			for side, pair := range map[string][2]any{"upstream": {out.SupplyChain.Upstream, up}, "downstream": {out.SupplyChain.Downstream, down}} {
				got, w := pair[0].([]tier), pair[1].([]want)
				if len(got) != len(w) {
					t.Fatalf("%s has %d tiers, want %d", side, len(got), len(w))
				}
				for i, tr := range got {
					if tr.Tier != i+1 {
						t.Errorf("%s tier %d is numbered %d", side, i+1, tr.Tier)
					}
					checkIDs(t, fmt.Sprintf("%s tier %d enterprises", side, i+1), ids(tr.Enterprises, func(x struct{ ID string }) string { return x.ID }), w[i].ents)
					checkIDs(t, fmt.Sprintf("%s tier %d edges", side, i+1), ids(tr.Edges, func(x struct{ ID string }) string { return x.ID }), w[i].edges)
					total := float64(w[i].inside + w[i].outside)
					if tr.Inside != w[i].inside || tr.Outside != w[i].outside || !closeTo(tr.InsideShare, float64(w[i].inside)/total) || !closeTo(tr.OutsideShare, float64(w[i].outside)/total) {
						t.Errorf("%s tier %d: inside %d (%v) outside %d (%v), want %d and %d", side, i+1, tr.Inside, tr.InsideShare, tr.Outside, tr.OutsideShare, w[i].inside, w[i].outside)
					}
				}
			}
			checkTruncation(t, out.SupplyChain.Truncated, out.SupplyChain.TruncatedBy, by)
		}
	}
	// c3 supplies E (closing the cycle E→c1→c3→E): a supplier of tier 1,
	// and c1 one of tier 2.
	up := []want{
		{[]string{"c3", "s1", "s1b"}, []string{"d-c3-E", "u-s1-E", "u-s1b-E"}, 2, 1},
		{[]string{"c1", "s2", "s2b", "s3"}, []string{"d-c1-c3", "u-s2-s1", "u-s2b-s1", "u-s3-s1b"}, 3, 1},
	}
	down := []want{
		{[]string{"c1", "c2"}, []string{"d-E-c1", "d-E-c2"}, 1, 1},
		{[]string{"c3"}, []string{"d-c1-c3"}, 1, 0},
	}
	onBothBackends(t, []kg.Batch{b}, []apiCase{
		{name: "both ways", query: q, vars: map[string]any{"id": "E"}, check: expect(up, down, "")},
		{name: "upstream, one tier", query: q, vars: map[string]any{"id": "E", "dir": "UPSTREAM", "depth": 1}, check: expect(up[:1], nil, "")},
		{name: "another district", query: q, vars: map[string]any{"id": "E", "dir": "UPSTREAM", "district": "西岗区"},
			check: expect([]want{{up[0].ents, up[0].edges, 1, 2}, {up[1].ents, up[1].edges, 0, 4}}, nil, "")},
		{name: "as of 2023", query: q, vars: map[string]any{"id": "E", "dir": "DOWNSTREAM", "asOf": 2023},
			check: expect(nil, []want{{[]string{"c1"}, []string{"d-E-c1"}, 1, 0}, down[1]}, "")},
		{name: "cut at four", query: q, vars: map[string]any{"id": "E", "limit": 4},
			check: expect([]want{up[0], {[]string{"c1"}, []string{"d-c1-c3"}, 1, 0}}, nil, "NODE_LIMIT")},
		{name: "not an enterprise", query: q, vars: map[string]any{"id": "U"}, code: "BAD_USER_INPUT"},
	})
}

// TestCollaborationNetworkAPI: a period, kinds and the node limit.
func TestCollaborationNetworkAPI(t *testing.T) {
	b := kg.Batch{
		Nodes: []kg.Node{
			node("U1", kg.University, "大学一"), node("U2", kg.University, "大学二"),
			node("E1", kg.Enterprise, "企业一"), node("E2", kg.Enterprise, "企业二"), node("E3", kg.Enterprise, "企业三"),
			node("T", kg.Talent, "张三"),
		},
		Edges: []kg.Edge{
			rel("k1", kg.CollaboratesWith, "E1", "U1", "since", 2018, "until", 2020, "mode", "JOINT_LAB"),
			rel("k2", kg.CollaboratesWith, "E2", "U1", "since", 2021),
			rel("k3", kg.TransfersTechTo, "U2", "E3", "since", 2022, "year", 2022, "amount", 3e5),
			rel("k4", kg.CollaboratesWith, "E1", "E2"),
			rel("w1", kg.WorksAt, "T", "E1"),
		},
	}
	const q = `query($kinds: [NodeKind!], $from: Int, $until: Int, $limit: Int) {
  collaborationNetwork(kinds: $kinds, from: $from, until: $until, limit: $limit) { ` + subgraphFields + ` } }`
	expect := func(nodes, edges []string, by string) func(t *testing.T, data []byte) {
		return func(t *testing.T, data []byte) {
			var out struct{ CollaborationNetwork subgraphJSON }
			decode(t, data, &out)
			checkIDs(t, "nodes", nodeIDs(out.CollaborationNetwork), nodes)
			checkIDs(t, "edges", edgeIDs(out.CollaborationNetwork), edges)
			checkTruncation(t, out.CollaborationNetwork.Truncated, out.CollaborationNetwork.TruncatedBy, by)
			for _, e := range out.CollaborationNetwork.Edges {
				if e.ID == "k3" && e.Weight != 3e5 {
					t.Errorf("weight of k3 = %v, want its amount", e.Weight)
				}
			}
		}
	}
	onBothBackends(t, []kg.Batch{b}, []apiCase{
		{name: "all", query: q, check: expect([]string{"E1", "E2", "E3", "U1", "U2"}, []string{"k1", "k2", "k3", "k4"}, "")},
		{name: "2021", query: q, vars: map[string]any{"from": 2021, "until": 2021}, check: expect([]string{"E1", "E2", "U1"}, []string{"k2", "k4"}, "")},
		{name: "until 2019", query: q, vars: map[string]any{"until": 2019}, check: expect([]string{"E1", "E2", "U1"}, []string{"k1", "k4"}, "")},
		{name: "enterprises", query: q, vars: map[string]any{"kinds": []string{"ENTERPRISE"}}, check: expect([]string{"E1", "E2"}, []string{"k4"}, "")},
		{name: "three nodes", query: q, vars: map[string]any{"limit": 3}, check: expect([]string{"E1", "E2", "U1"}, []string{"k1", "k2", "k4"}, "NODE_LIMIT")},
		{name: "period backwards", query: q, vars: map[string]any{"from": 2022, "until": 2020}, code: "BAD_USER_INPUT"},
	})
}

// centralityGraph: a kite a-b-c triangle with a tail c-d-e
// (COLLABORATES_WITH), and a directed SUPPLIES cycle f→g→h→f with f→h.
func centralityGraph() kg.Batch {
	var b kg.Batch
	for _, id := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		b.Nodes = append(b.Nodes, node("n-"+id, kg.Enterprise, "企业"+id))
	}
	for _, p := range [][2]string{{"a", "b"}, {"a", "c"}, {"b", "c"}, {"c", "d"}, {"d", "e"}} {
		b.Edges = append(b.Edges, rel("k-"+p[0]+p[1], kg.CollaboratesWith, "n-"+p[0], "n-"+p[1]))
	}
	for _, p := range [][2]string{{"f", "g"}, {"g", "h"}, {"h", "f"}, {"f", "h"}} {
		b.Edges = append(b.Edges, rel("s-"+p[0]+p[1], kg.Supplies, "n-"+p[0], "n-"+p[1]))
	}
	return b
}

// powerIteration is PageRank written out independently: the Google
// matrix applied 1,000 times to the uniform vector.
func powerIteration(n int, arcs [][2]int, damping float64) []float64 {
	out := make([]int, n)
	for _, a := range arcs {
		out[a[0]]++
	}
	pr := make([]float64, n)
	for i := range pr {
		pr[i] = 1 / float64(n)
	}
	for range 1000 {
		next := make([]float64, n)
		for i := range next {
			next[i] = (1 - damping) / float64(n)
		}
		for u := range n {
			if out[u] == 0 {
				for v := range n {
					next[v] += damping * pr[u] / float64(n)
				}
			}
		}
		for _, a := range arcs {
			next[a[1]] += damping * pr[a[0]] / float64(out[a[0]])
		}
		pr = next
	}
	return pr
}

// TestCentralityAPI checks every measure against values computed by hand
// (degree, closeness, betweenness of the kite) and by an independent
// power iteration (PageRank).
func TestCentralityAPI(t *testing.T) {
	const q = `query($metric: CentralityMetric!, $types: [RelationType!], $top: Int) {
  centrality(metric: $metric, relationTypes: $types, top: $top) {
    metric nodeCount edgeCount sources approximate truncated truncatedBy
    ranking { rank score node { id name kind node { id } } } } }`
	type result struct {
		Centrality struct {
			NodeCount, EdgeCount int
			Sources              *int
			Approximate          bool
			Ranking              []struct {
				Rank  int
				Score float64
				Node  struct{ ID string }
			}
		}
	}
	expect := func(nodes, edges int, want []string, scores []float64) func(t *testing.T, data []byte) {
		return func(t *testing.T, data []byte) {
			var out result
			decode(t, data, &out)
			c := out.Centrality
			if c.NodeCount != nodes || c.EdgeCount != edges || c.Approximate {
				t.Errorf("graph of %d nodes and %d edges (approximate %v), want %d and %d", c.NodeCount, c.EdgeCount, c.Approximate, nodes, edges)
			}
			checkIDs(t, "ranking", ids(c.Ranking, func(r struct {
				Rank  int
				Score float64
				Node  struct{ ID string }
			}) string {
				return r.Node.ID
			}), want)
			for i, r := range c.Ranking {
				if r.Rank != i+1 {
					t.Errorf("rank %d numbered %d", i+1, r.Rank)
				}
				if i < len(scores) && !closeTo(r.Score, scores[i]) {
					t.Errorf("score of %s = %v, want %v", r.Node.ID, r.Score, scores[i])
				}
			}
		}
	}
	collab := []string{"COLLABORATES_WITH"}
	// PageRank of the kite (both directions) and of the SUPPLIES graph.
	kite := powerIteration(5, [][2]int{{0, 1}, {1, 0}, {0, 2}, {2, 0}, {1, 2}, {2, 1}, {2, 3}, {3, 2}, {3, 4}, {4, 3}}, 0.85)
	sup := powerIteration(3, [][2]int{{0, 1}, {1, 2}, {2, 0}, {0, 2}}, 0.85)
	prOrder := func(names []string, pr []float64) ([]string, []float64) {
		idx := make([]int, len(pr))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			if d := pr[b] - pr[a]; math.Abs(d) > 1e-12 {
				if d > 0 {
					return 1
				}
				return -1
			}
			return a - b
		})
		var ns []string
		var ss []float64
		for _, i := range idx {
			ns, ss = append(ns, "n-"+names[i]), append(ss, pr[i])
		}
		return ns, ss
	}
	kiteIDs, kiteScores := prOrder([]string{"a", "b", "c", "d", "e"}, kite)
	supIDs, supScores := prOrder([]string{"f", "g", "h"}, sup)
	onBothBackends(t, []kg.Batch{centralityGraph()}, []apiCase{
		{name: "degree", query: q, vars: map[string]any{"metric": "DEGREE", "types": collab},
			check: expect(5, 5, []string{"n-c", "n-a", "n-b", "n-d", "n-e"}, []float64{3, 2, 2, 2, 1})},
		{name: "closeness", query: q, vars: map[string]any{"metric": "CLOSENESS", "types": collab},
			check: expect(5, 5, []string{"n-c", "n-d", "n-a", "n-b", "n-e"}, []float64{4.0 / 5, 4.0 / 6, 4.0 / 7, 4.0 / 7, 4.0 / 9})},
		{name: "betweenness", query: q, vars: map[string]any{"metric": "BETWEENNESS", "types": collab},
			check: expect(5, 5, []string{"n-c", "n-d", "n-a", "n-b", "n-e"}, []float64{4, 3, 0, 0, 0})},
		{name: "pagerank undirected", query: q, vars: map[string]any{"metric": "PAGERANK", "types": collab},
			check: expect(5, 5, kiteIDs, kiteScores)},
		{name: "pagerank directed", query: q, vars: map[string]any{"metric": "PAGERANK", "types": []string{"SUPPLIES"}},
			check: expect(3, 3, supIDs, supScores)},
		{name: "top two of all", query: q, vars: map[string]any{"metric": "DEGREE", "top": 2},
			check: expect(8, 8, []string{"n-c", "n-a"}, []float64{3, 2})},
		{name: "top zero", query: q, vars: map[string]any{"metric": "DEGREE", "top": 0}, code: "BAD_USER_INPUT"},
	})
	if math.Abs(kite[0]+kite[1]+kite[2]+kite[3]+kite[4]-1) > 1e-12 {
		t.Fatalf("the reference PageRank does not sum to 1")
	}
}

// TestCommunitiesAPI: two triangles joined by one relationship, and a
// separate pair.
func TestCommunitiesAPI(t *testing.T) {
	var b kg.Batch
	for _, id := range []string{"a1", "a2", "a3", "b1", "b2", "b3", "c1", "c2"} {
		b.Nodes = append(b.Nodes, node(id, kg.Enterprise, "企业"+id))
	}
	for _, p := range [][2]string{{"a1", "a2"}, {"a1", "a3"}, {"a2", "a3"}, {"b1", "b2"}, {"b1", "b3"}, {"b2", "b3"}, {"a3", "b1"}, {"c1", "c2"}} {
		b.Edges = append(b.Edges, rel("k-"+p[0]+p[1], kg.CollaboratesWith, p[0], p[1]))
	}
	const q = `query($alg: CommunityAlgorithm!, $first: Int, $mf: Int) {
  communities(algorithm: $alg, first: $first, membersFirst: $mf) {
    algorithm nodeCount edgeCount count modularity truncated truncatedBy
    communities { id size members { id name } } } }`
	expect := func(count int, modularity float64, groups ...[]string) func(t *testing.T, data []byte) {
		return func(t *testing.T, data []byte) {
			var out struct {
				Communities struct {
					NodeCount, EdgeCount, Count int
					Modularity                  float64
					Communities                 []struct {
						ID, Size int
						Members  []struct{ ID string }
					}
				}
			}
			decode(t, data, &out)
			c := out.Communities
			if c.NodeCount != 8 || c.EdgeCount != 8 || c.Count != count || !closeTo(c.Modularity, modularity) {
				t.Errorf("%d nodes, %d edges, %d communities, modularity %v; want 8, 8, %d, %v", c.NodeCount, c.EdgeCount, c.Count, c.Modularity, count, modularity)
			}
			if len(c.Communities) != len(groups) {
				t.Fatalf("%d communities listed, want %d", len(c.Communities), len(groups))
			}
			for i, cm := range c.Communities {
				if cm.ID != i+1 {
					t.Errorf("community %d has id %d", i+1, cm.ID)
				}
				checkIDs(t, fmt.Sprintf("community %d", i+1), ids(cm.Members, func(m struct{ ID string }) string { return m.ID }), groups[i])
			}
		}
	}
	// m = 8: two triangles (3 inside, degrees 7) and a pair (1 inside, degrees 2).
	three := 2*(3.0/8-(7.0/16)*(7.0/16)) + 1.0/8 - (2.0/16)*(2.0/16)
	two := 7.0/8 - (14.0/16)*(14.0/16) + 1.0/8 - (2.0/16)*(2.0/16)
	onBothBackends(t, []kg.Batch{b}, []apiCase{
		{name: "louvain", query: q, vars: map[string]any{"alg": "LOUVAIN"},
			check: expect(3, three, []string{"a1", "a2", "a3"}, []string{"b1", "b2", "b3"}, []string{"c1", "c2"})},
		{name: "label propagation", query: q, vars: map[string]any{"alg": "LABEL_PROPAGATION"},
			check: expect(3, three, []string{"a1", "a2", "a3"}, []string{"b1", "b2", "b3"}, []string{"c1", "c2"})},
		{name: "components", query: q, vars: map[string]any{"alg": "CONNECTED_COMPONENTS"},
			check: expect(2, two, []string{"a1", "a2", "a3", "b1", "b2", "b3"}, []string{"c1", "c2"})},
		{name: "first and membersFirst", query: q, vars: map[string]any{"alg": "LOUVAIN", "first": 2, "mf": 1},
			check: expect(3, three, []string{"a1"}, []string{"b1"})},
		{name: "first zero", query: q, vars: map[string]any{"alg": "LOUVAIN", "first": 0}, code: "BAD_USER_INPUT"},
	})
}

// TestNetworkDiffAPI: relationships that appear and disappear between
// 2020 and 2023.
func TestNetworkDiffAPI(t *testing.T) {
	b := kg.Batch{
		Nodes: []kg.Node{node("A", kg.Enterprise, "甲"), node("B", kg.Enterprise, "乙"), node("C", kg.Enterprise, "丙"), node("D", kg.Enterprise, "丁")},
		Edges: []kg.Edge{
			rel("d1", kg.Supplies, "A", "B", "since", 2018, "until", 2020),
			rel("d2", kg.Supplies, "B", "C", "since", 2022),
			rel("d3", kg.Supplies, "C", "D"),
			rel("d4", kg.Supplies, "A", "D", "since", 2021, "until", 2022),
			rel("d5", kg.CollaboratesWith, "A", "C", "since", 2023),
		},
	}
	const q = `query($types: [RelationType!], $limit: Int) {
  networkDiff(fromYear: 2020, toYear: 2023, relationTypes: $types, limit: $limit) {
    fromYear toYear appearedCount disappearedCount
    appeared { ` + subgraphFields + ` } disappeared { ` + subgraphFields + ` } } }`
	expect := func(appeared, disappeared []string, na, nd int, nodes []string, by string) func(t *testing.T, data []byte) {
		return func(t *testing.T, data []byte) {
			var out struct {
				NetworkDiff struct {
					AppearedCount, DisappearedCount int
					Appeared, Disappeared           subgraphJSON
				}
			}
			decode(t, data, &out)
			d := out.NetworkDiff
			checkIDs(t, "appeared", edgeIDs(d.Appeared), appeared)
			checkIDs(t, "disappeared", edgeIDs(d.Disappeared), disappeared)
			checkIDs(t, "nodes of appeared", nodeIDs(d.Appeared), nodes)
			if d.AppearedCount != na || d.DisappearedCount != nd {
				t.Errorf("counts %d and %d, want %d and %d", d.AppearedCount, d.DisappearedCount, na, nd)
			}
			checkTruncation(t, d.Appeared.Truncated, d.Appeared.TruncatedBy, by)
		}
	}
	onBothBackends(t, []kg.Batch{b}, []apiCase{
		{name: "all types", query: q, check: expect([]string{"d2", "d5"}, []string{"d1"}, 2, 1, []string{"A", "B", "C"}, "")},
		{name: "supplies", query: q, vars: map[string]any{"types": []string{"SUPPLIES"}}, check: expect([]string{"d2"}, []string{"d1"}, 1, 1, []string{"B", "C"}, "")},
		{name: "limit", query: q, vars: map[string]any{"limit": 1}, check: expect([]string{"d2"}, []string{"d1"}, 2, 1, []string{"B", "C"}, "EDGE_LIMIT")},
	})
}

// TestPolicyReachAPI: a policy's applicants, their industries and agencies.
func TestPolicyReachAPI(t *testing.T) {
	b := kg.Batch{
		Nodes: []kg.Node{
			node("P", kg.Policy, "研发补助", "level", "MUNICIPAL"),
			node("e1", kg.Enterprise, "企业一"), node("e2", kg.Enterprise, "企业二"), node("e3", kg.Enterprise, "企业三"),
			node("I1", kg.Industry, "软件"), node("I2", kg.Industry, "海洋"),
			node("A1", kg.ServiceAgency, "机构一"), node("A2", kg.ServiceAgency, "机构二"),
		},
		Edges: []kg.Edge{
			rel("r1", kg.SupportedBy, "e1", "P", "year", 2023, "status", "APPROVED"),
			rel("r2", kg.SupportedBy, "e1", "P", "year", 2024, "status", "APPROVED"),
			rel("r3", kg.SupportedBy, "e2", "P", "year", 2023, "status", "REJECTED"),
			rel("r4", kg.SupportedBy, "e3", "P", "year", 2024, "status", "APPLIED"),
			rel("i1", kg.InIndustry, "e1", "I1"), rel("i2", kg.InIndustry, "e2", "I1"), rel("i3", kg.InIndustry, "e3", "I2"),
			rel("v1", kg.Serves, "A1", "e1", "year", 2023), rel("v2", kg.Serves, "A1", "e2", "year", 2024), rel("v3", kg.Serves, "A2", "e3", "year", 2024),
		},
	}
	const q = `query($p: ID!, $year: Int, $approved: Boolean, $limit: Int) {
  policyReach(policy: $p, year: $year, approvedOnly: $approved, limit: $limit) {
    policy { id name } enterpriseCount truncated truncatedBy
    enterprises { node { id name } applications { id } }
    industries { node { id name } enterprises }
    serviceAgencies { node { id name } enterprises } } }`
	type named struct{ ID, Name string }
	type count struct {
		Node        named
		Enterprises int
	}
	// Every node listed comes whole: its name is the stored one.
	names := map[string]string{}
	for _, n := range b.Nodes {
		names[n.ID] = n.Name()
	}
	checkNames := func(t *testing.T, ns []named) {
		for _, n := range ns {
			if n.Name != names[n.ID] {
				t.Errorf("node %s is named %q, want %q", n.ID, n.Name, names[n.ID])
			}
		}
	}
	counts := func(cs []count) []string {
		return ids(cs, func(c count) string { return fmt.Sprintf("%s:%d", c.Node.ID, c.Enterprises) })
	}
	expect := func(n int, ents, apps, inds, ags []string, by string) func(t *testing.T, data []byte) {
		return func(t *testing.T, data []byte) {
			var out struct {
				PolicyReach struct {
					EnterpriseCount int
					Enterprises     []struct {
						Node         named
						Applications []struct{ ID string }
					}
					Industries, ServiceAgencies []count
					Truncated                   bool
					TruncatedBy                 *string
				}
			}
			decode(t, data, &out)
			r := out.PolicyReach
			if r.EnterpriseCount != n {
				t.Errorf("enterpriseCount = %d, want %d", r.EnterpriseCount, n)
			}
			var gotEnts, gotApps []string
			var listed []named
			for _, c := range append(r.Industries, r.ServiceAgencies...) {
				listed = append(listed, c.Node)
			}
			for _, e := range r.Enterprises {
				listed = append(listed, e.Node)
				gotEnts = append(gotEnts, e.Node.ID)
				for _, a := range e.Applications {
					gotApps = append(gotApps, a.ID)
				}
			}
			checkIDs(t, "enterprises", gotEnts, ents)
			checkIDs(t, "applications", gotApps, apps)
			checkIDs(t, "industries", counts(r.Industries), inds)
			checkIDs(t, "agencies", counts(r.ServiceAgencies), ags)
			checkTruncation(t, r.Truncated, r.TruncatedBy, by)
			checkNames(t, listed)
		}
	}
	onBothBackends(t, []kg.Batch{b}, []apiCase{
		{name: "all years", query: q, vars: map[string]any{"p": "P"},
			check: expect(3, []string{"e1", "e2", "e3"}, []string{"r1", "r2", "r3", "r4"}, []string{"I1:2", "I2:1"}, []string{"A1:2", "A2:1"}, "")},
		{name: "2023", query: q, vars: map[string]any{"p": "P", "year": 2023},
			check: expect(2, []string{"e1", "e2"}, []string{"r1", "r3"}, []string{"I1:2"}, []string{"A1:1"}, "")},
		{name: "approved", query: q, vars: map[string]any{"p": "P", "approved": true},
			check: expect(1, []string{"e1"}, []string{"r1", "r2"}, []string{"I1:1"}, []string{"A1:1"}, "")},
		{name: "limit", query: q, vars: map[string]any{"p": "P", "limit": 1},
			check: expect(3, []string{"e1"}, []string{"r1", "r2"}, []string{"I1:2"}, []string{"A1:2"}, "NODE_LIMIT")},
		{name: "not a policy", query: q, vars: map[string]any{"p": "e1"}, code: "BAD_USER_INPUT"},
	})
}

// TestIndustryChainGapsAPI: a three-segment chain with a gap in the middle
// and one at the end, and candidates one hop, two hops and no hop away.
func TestIndustryChainGapsAPI(t *testing.T) {
	seg := func(id, chain, pos string) kg.Node {
		return node(id, kg.Industry, id+"环节", "chain", chain, "position", pos)
	}
	ent := func(id, district string) kg.Node { return node(id, kg.Enterprise, "企业"+id, "district", district) }
	b := kg.Batch{
		Nodes: []kg.Node{
			seg("segU", "测试链", "UPSTREAM"), seg("segM", "测试链", "MIDSTREAM"), seg("segD", "测试链", "DOWNSTREAM"), seg("segX", "其他链", "UPSTREAM"),
			ent("l1", "中山区"), ent("l2", "中山区"), ent("l3", "中山区"), ent("l4", "中山区"),
			ent("o1", "西岗区"), ent("o2", "沙河口区"), ent("o3", "金州区"),
		},
		Edges: []kg.Edge{
			rel("f1", kg.Feeds, "segU", "segM"), rel("f2", kg.Feeds, "segM", "segD"), rel("f3", kg.Feeds, "segX", "segM"),
			rel("m1", kg.InIndustry, "l1", "segU"), rel("m2", kg.InIndustry, "l2", "segU"), rel("m3", kg.InIndustry, "l3", "segU"),
			rel("m4", kg.InIndustry, "l4", "segM"), rel("m5", kg.InIndustry, "o1", "segM"), rel("m6", kg.InIndustry, "o2", "segM"),
			rel("m7", kg.InIndustry, "o3", "segD"),
			rel("n1", kg.Supplies, "o1", "l4"), rel("n2", kg.InvestsIn, "o2", "o1"),
		},
	}
	const q = `query($chain: String!, $fewer: Int) {
  industryChainGaps(chain: $chain, fewerThan: $fewer) {
    chain district
    segments { segment { id } position localEnterprises outsideEnterprises gap upstream { id } downstream { id } candidates { node { id district } hops links } }
    gaps { segment { id } } } }`
	onBothBackends(t, []kg.Batch{b}, []apiCase{
		{name: "gaps", query: q, vars: map[string]any{"chain": "测试链", "fewer": 2}, check: func(t *testing.T, data []byte) {
			var out struct {
				IndustryChainGaps struct {
					Segments []struct {
						Segment                              struct{ ID string }
						Position                             string
						LocalEnterprises, OutsideEnterprises int
						Gap                                  bool
						Upstream, Downstream                 []struct{ ID string }
						Candidates                           []struct {
							Node  struct{ ID string }
							Hops  *int
							Links int
						}
					}
					Gaps []struct{ Segment struct{ ID string } }
				}
			}
			decode(t, data, &out)
			g := out.IndustryChainGaps
			var got []string
			for _, s := range g.Segments {
				line := fmt.Sprintf("%s %s local=%d outside=%d gap=%v up=%v down=%v", s.Segment.ID, s.Position, s.LocalEnterprises, s.OutsideEnterprises, s.Gap,
					ids(s.Upstream, func(x struct{ ID string }) string { return x.ID }), ids(s.Downstream, func(x struct{ ID string }) string { return x.ID }))
				for _, c := range s.Candidates {
					hops := "-"
					if c.Hops != nil {
						hops = fmt.Sprint(*c.Hops)
					}
					line += fmt.Sprintf(" %s/%s/%d", c.Node.ID, hops, c.Links)
				}
				got = append(got, line)
			}
			checkIDs(t, "segments", got, []string{
				"segU UPSTREAM local=3 outside=0 gap=false up=[] down=[segM]",
				"segM MIDSTREAM local=1 outside=2 gap=true up=[segU segX] down=[segD] o1/1/1 o2/2/0",
				"segD DOWNSTREAM local=0 outside=1 gap=true up=[segM] down=[] o3/-/0",
			})
			checkIDs(t, "gaps", ids(g.Gaps, func(x struct{ Segment struct{ ID string } }) string { return x.Segment.ID }), []string{"segM", "segD"})
		}},
		{name: "unknown chain", query: q, vars: map[string]any{"chain": "无此链"}, code: "NOT_FOUND"},
	})
}
