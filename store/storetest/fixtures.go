package storetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/innograph/innograph/kg"
)

// CreditCode returns a valid unified social credit code derived from i,
// for tests of every package.
func CreditCode(t testing.TB, i int) string {
	t.Helper()
	first := fmt.Sprintf("91210202MA%07d", i)
	c, err := kg.CreditCodeCheckChar(first)
	if err != nil {
		t.Fatalf("CreditCodeCheckChar(%q): %v", first, err)
	}
	return first + string(c)
}

// badCreditCode returns a credit code of the right shape whose check
// character is wrong.
func badCreditCode(t testing.TB, i int) string { return WrongCheckChar(CreditCode(t, i)) }

// WrongCheckChar returns the 18-character credit code good with its check
// character replaced by the next one of the alphabet: the right shape,
// the wrong check.
func WrongCheckChar(good string) string {
	j := strings.IndexByte(kg.CreditCodeChars, good[17])
	return good[:17] + string(kg.CreditCodeChars[(j+1)%len(kg.CreditCodeChars)])
}

// sampleValue returns a valid value for spec, distinct for each i, in the
// loose form callers hand in: Go ints, []any lists, year maps with string
// keys.
func sampleValue(t testing.TB, spec kg.PropSpec, i int) any {
	t.Helper()
	switch spec.Type {
	case kg.String:
		switch spec.Name {
		case "name":
			return fmt.Sprintf("样本机构%d号", i)
		case "creditCode":
			return CreditCode(t, i)
		}
		return fmt.Sprintf("%s-%d", spec.Name, i)
	case kg.Int:
		switch {
		case spec.Name == "since":
			return 2010 + i%5
		case spec.Name == "until":
			return 2020 + i%5
		case spec.Min >= 1800:
			return 2000 + i%20
		case spec.Max > spec.Min:
			return int(spec.Min) + 1 + i%int(spec.Max-spec.Min-1)
		}
		return 100 + i
	case kg.Float:
		if spec.Max > spec.Min {
			return spec.Min + (spec.Max-spec.Min)*(0.125+float64(i%50)/100)
		}
		return 1.5 + float64(i)
	case kg.Bool:
		return i%2 == 0
	case kg.Strings:
		return []any{fmt.Sprintf("别名%d", i), fmt.Sprintf("alias-%d", i)}
	case kg.EnumType:
		return spec.Enum.Values[i%len(spec.Enum.Values)]
	case kg.Enums:
		vs := spec.Enum.Values
		return []any{vs[i%len(vs)], vs[(i+1)%len(vs)]}
	case kg.SeriesType:
		if spec.Max > spec.Min && spec.Max < 2 { // a yearly status, 0 or 1
			return map[string]any{"2020": float64(i % 2), "2021": 1}
		}
		return map[string]any{"2020": 1.5 + float64(i), "2021": 2 + i}
	}
	t.Fatalf("no sample for property type %v", spec.Type)
	return nil
}

// sampleProps returns a sample value for every property in specs, and the
// normalised values the store must return for them.
func sampleProps(t testing.TB, specs []kg.PropSpec, i int) (raw, want kg.Props) {
	t.Helper()
	raw, want = kg.Props{}, kg.Props{}
	for _, spec := range specs {
		v := sampleValue(t, spec, i)
		nv, err := kg.NormalizeValue(&spec, v)
		if err != nil {
			t.Fatalf("sample %v for %q is invalid: %v", v, spec.Name, err)
		}
		raw[spec.Name], want[spec.Name] = v, nv
	}
	return raw, want
}

// Named returns a node of kind k with the given name and further
// properties given as name/value pairs.
func Named(id string, k kg.Kind, name string, kv ...any) kg.Node {
	p := kg.Props{"name": name}
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i].(string)] = kv[i+1]
	}
	return kg.Node{ID: id, Kind: k, Props: p}
}

// Edge returns an edge with the given properties as name/value pairs.
func Edge(id string, rt kg.RelType, from, to string, kv ...any) kg.Edge {
	p := kg.Props{}
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i].(string)] = kv[i+1]
	}
	return kg.Edge{ID: id, Type: rt, From: from, To: to, Props: p}
}

// graphFixture is a small graph with edges of many types, some dated,
// two parallel edges, a loop (FEEDS, the one type that allows one) and an
// isolated node. Every edge has an explicit id, except the one that
// checks default ids.
type graphFixture struct {
	nodes []kg.Node
	edges []kg.Edge
}

func newGraphFixture() graphFixture {
	return graphFixture{
		nodes: []kg.Node{
			Named("g-e1", kg.Enterprise, "大连星海软件有限公司"),
			Named("g-e2", kg.Enterprise, "大连港湾物流有限公司"),
			Named("g-e3", kg.Enterprise, "大连蓝海装备有限公司"),
			Named("g-iso", kg.Enterprise, "大连孤岛科技有限公司"),
			Named("g-u1", kg.University, "大连海事大学", "type", "UNIVERSITY"),
			Named("g-inc", kg.Incubator, "中山区科技企业孵化器", "level", "MUNICIPAL"),
			Named("g-p", kg.Policy, "高新技术企业认定", "level", "NATIONAL"),
			Named("g-ind", kg.Industry, "海洋装备", "position", "MIDSTREAM"),
			Named("g-t", kg.Talent, "张海"),
			Named("g-sa", kg.ServiceAgency, "中山区科技金融服务中心", "categories", []string{"FINANCE"}),
		},
		edges: []kg.Edge{
			Edge("g-s-b", kg.Supplies, "g-e1", "g-e2", "since", 2018, "until", 2020, "product", "软件"),
			Edge("g-s-a", kg.Supplies, "g-e1", "g-e2", "since", 2021),
			Edge("", kg.Supplies, "g-e3", "g-e1"),
			Edge("g-c1", kg.CollaboratesWith, "g-e1", "g-u1", "until", 2019, "mode", "JOINT_LAB"),
			Edge("g-c2", kg.CollaboratesWith, "g-u1", "g-e2"),
			Edge("g-ib", kg.IncubatedBy, "g-e1", "g-inc", "since", 2019, "until", 2022),
			Edge("g-sb", kg.SupportedBy, "g-e1", "g-p", "since", 2020, "until", 2020, "status", "APPROVED"),
			Edge("g-ii", kg.InIndustry, "g-e1", "g-ind"),
			Edge("g-w", kg.WorksAt, "g-t", "g-e1", "since", 2015),
			Edge("g-f", kg.Founded, "g-t", "g-e1", "until", 2010),
			Edge("g-i1", kg.InvestsIn, "g-sa", "g-e1", "since", 2022),
			Edge("g-i2", kg.InvestsIn, "g-e2", "g-e1"),
			Edge("g-op", kg.Operates, "g-u1", "g-inc"),
			Edge("g-loop", kg.Feeds, "g-ind", "g-ind", "since", 2019),
		},
	}
}

func (g graphFixture) batch() kg.Batch {
	return kg.Batch{Nodes: g.nodes, Edges: g.edges}
}

// edgeID returns the id the store gives edge i: its own, or the default.
func (g graphFixture) edgeID(i int) string {
	e := g.edges[i]
	if e.ID != "" {
		return e.ID
	}
	return kg.EdgeID(e.Type, e.From, e.To)
}

// nodeIDs returns the ids of the fixture's nodes.
// kinds maps the fixture's node ids to their kinds.
func (g graphFixture) kinds() map[string]kg.Kind {
	out := make(map[string]kg.Kind, len(g.nodes))
	for _, n := range g.nodes {
		out[n.ID] = n.Kind
	}
	return out
}

func (g graphFixture) nodeIDs() []string {
	ids := make([]string, len(g.nodes))
	for i, n := range g.nodes {
		ids[i] = n.ID
	}
	return ids
}
