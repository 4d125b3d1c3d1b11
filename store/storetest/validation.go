package storetest

import (
	"errors"
	"testing"

	"github.com/innograph/innograph/kg"
)

// testValidation writes batches that hold one bad item among good ones:
// each is refused as a whole with an error naming the field, and nothing
// of it is written.
func testValidation(t *testing.T, s kg.Store) {
	mustApply(t, s, kg.Batch{
		Nodes: []kg.Node{
			Named("v-e1", kg.Enterprise, "大连校验科技有限公司", "creditCode", CreditCode(t, 1)),
			Named("v-inc", kg.Incubator, "校验孵化器", "level", "DISTRICT"),
			Named("v-u", kg.University, "校验大学"),
		},
		Edges: []kg.Edge{Edge("v-edge", kg.CollaboratesWith, "v-e1", "v-u")},
	})
	before := mustStats(t, s)
	beforeNode := mustGetNode(t, s, "v-inc")

	// good returns valid items that every case adds to its bad one.
	good := func() kg.Batch {
		return kg.Batch{
			Nodes: []kg.Node{
				Named("v-good1", kg.Enterprise, "好企业一", "creditCode", CreditCode(t, 2)),
				Named("v-good2", kg.Makerspace, "好空间", "level", "MUNICIPAL"),
				Named("v-inc", kg.Incubator, "校验孵化器改名", "level", "PROVINCIAL"),
			},
			Edges: []kg.Edge{
				Edge("v-good-e", kg.Supplies, "v-good1", "v-e1"),
				Edge("", kg.IncubatedBy, "v-good1", "v-good2"),
			},
		}
	}
	type addFn func(b *kg.Batch)
	node := func(n kg.Node) addFn { return func(b *kg.Batch) { b.Nodes = append(b.Nodes, n) } }
	rel := func(e kg.Edge) addFn { return func(b *kg.Batch) { b.Edges = append(b.Edges, e) } }
	cases := []struct {
		name     string
		add      addFn
		sentinel error
		list     string
		field    string
	}{
		{"bad credit code", node(Named("v-x", kg.Enterprise, "坏码企业", "creditCode", badCreditCode(t, 3))), kg.ErrInvalid, "nodes", "creditCode"},
		{"short credit code", node(Named("v-x", kg.Enterprise, "短码企业", "creditCode", "91210202MA0QK")), kg.ErrInvalid, "nodes", "creditCode"},
		{"unknown enum value", node(Named("v-x", kg.Incubator, "星际孵化器", "level", "GALACTIC")), kg.ErrInvalid, "nodes", "level"},
		{"unknown enum value in a list", node(Named("v-x", kg.ServiceAgency, "魔法中心", "categories", []any{"IP", "MAGIC"})), kg.ErrInvalid, "nodes", "categories"},
		{"missing name", node(kg.Node{ID: "v-x", Kind: kg.Enterprise, Props: kg.Props{"district": "中山区"}}), kg.ErrInvalid, "nodes", "name"},
		{"blank name", node(Named("v-x", kg.Enterprise, "   ")), kg.ErrInvalid, "nodes", "name"},
		{"nil name", node(kg.Node{ID: "v-x", Kind: kg.Enterprise, Props: kg.Props{"name": nil}}), kg.ErrInvalid, "nodes", "name"},
		{"unknown property", node(Named("v-x", kg.Enterprise, "彩色企业", "colour", "red")), kg.ErrInvalid, "nodes", "colour"},
		{"property of another kind", node(Named("v-x", kg.Enterprise, "层级企业", "level", "NATIONAL")), kg.ErrInvalid, "nodes", "level"},
		{"unknown kind", node(Named("v-x", kg.Kind("Spaceship"), "飞船")), kg.ErrInvalid, "nodes", "kind"},
		{"string for an int", node(Named("v-x", kg.Enterprise, "年份企业", "foundedYear", "nineteen")), kg.ErrInvalid, "nodes", "foundedYear"},
		{"fraction for an int", node(Named("v-x", kg.Enterprise, "年份企业", "foundedYear", 2001.5)), kg.ErrInvalid, "nodes", "foundedYear"},
		{"list for a string", node(Named("v-x", kg.Enterprise, "列表企业", "district", []any{"中山区"})), kg.ErrInvalid, "nodes", "district"},
		{"string for a bool", node(Named("v-x", kg.Enterprise, "布尔企业", "aboveScale", "maybe")), kg.ErrInvalid, "nodes", "aboveScale"},
		{"year out of range", node(Named("v-x", kg.Enterprise, "古代企业", "foundedYear", 1500)), kg.ErrInvalid, "nodes", "foundedYear"},
		{"series with a bad year", node(Named("v-x", kg.Enterprise, "序列企业", "revenue", map[string]any{"1700": 1})), kg.ErrInvalid, "nodes", "revenue"},
		{"series value not a number", node(Named("v-x", kg.Enterprise, "序列企业", "revenue", map[string]any{"2020": "lots"})), kg.ErrInvalid, "nodes", "revenue"},
		{"empty id", node(Named("", kg.Enterprise, "无名企业")), kg.ErrInvalid, "nodes", "id"},
		{"id with surrounding space", node(Named(" v-x", kg.Enterprise, "空格企业")), kg.ErrInvalid, "nodes", "id"},
		{"duplicate node id", node(Named("v-good1", kg.Enterprise, "重复企业")), kg.ErrInvalid, "nodes", "id"},
		{"kind change of a stored id", func(b *kg.Batch) { b.Nodes[2] = Named("v-inc", kg.Enterprise, "变身企业") }, kg.ErrInvalid, "nodes", "kind"},
		{"kind change of a stored id alone", func(b *kg.Batch) {
			b.Nodes = b.Nodes[:2]
			b.Edges = b.Edges[:1]
			b.Nodes = append(b.Nodes, Named("v-u", kg.Policy, "变身政策"))
		}, kg.ErrInvalid, "nodes", "kind"},
		{"wrong kind at edge start", rel(Edge("", kg.Supplies, "v-inc", "v-e1")), kg.ErrInvalid, "edges", "from"},
		{"wrong kind at edge end", rel(Edge("", kg.Supplies, "v-e1", "v-inc")), kg.ErrInvalid, "edges", "to"},
		{"wrong kind at an end written in the batch", rel(Edge("", kg.AlumnusOf, "v-good1", "v-u")), kg.ErrInvalid, "edges", "from"},
		{"unknown relationship type", rel(Edge("", kg.RelType("LIKES"), "v-e1", "v-u")), kg.ErrInvalid, "edges", "type"},
		{"unknown edge property", rel(Edge("", kg.Supplies, "v-e1", "v-good1", "colour", "red")), kg.ErrInvalid, "edges", "colour"},
		{"since after until", rel(Edge("", kg.Supplies, "v-e1", "v-good1", "since", 2022, "until", 2020)), kg.ErrInvalid, "edges", "until"},
		{"confidence out of range", rel(Edge("", kg.Supplies, "v-e1", "v-good1", "confidence", 1.5)), kg.ErrInvalid, "edges", "confidence"},
		{"unknown enum on an edge", rel(Edge("", kg.SupportedBy, "v-e1", "v-good1", "status", "MAYBE")), kg.ErrInvalid, "edges", "status"},
		{"duplicate edge id", rel(Edge("v-good-e", kg.Supplies, "v-e1", "v-good1")), kg.ErrInvalid, "edges", "id"},
		{"edge id stored with other ends", rel(Edge("v-edge", kg.Supplies, "v-e1", "v-good1")), kg.ErrInvalid, "edges", "id"},
		{"empty edge end", rel(Edge("", kg.Supplies, "v-e1", "")), kg.ErrInvalid, "edges", "to"},
		{"edge to a missing node", rel(Edge("", kg.Supplies, "v-e1", "v-nobody")), kg.ErrNotFound, "edges", "to"},
		{"edge from a missing node", rel(Edge("", kg.Supplies, "v-nobody", "v-e1")), kg.ErrNotFound, "edges", "from"},
		{"delete of a missing node", func(b *kg.Batch) { b.DeleteNodes = append(b.DeleteNodes, "v-nobody") }, kg.ErrNotFound, "deleteNodes", "id"},
		{"delete of a missing edge", func(b *kg.Batch) { b.DeleteEdges = append(b.DeleteEdges, "v-no-edge") }, kg.ErrNotFound, "deleteEdges", "id"},
		{"delete of an empty id", func(b *kg.Batch) { b.DeleteNodes = append(b.DeleteNodes, "") }, kg.ErrInvalid, "deleteNodes", "id"},
		{"negative revenue", node(Named("v-x", kg.Enterprise, "亏损企业", "revenue", map[string]any{"2022": 5e6, "2023": -1})), kg.ErrInvalid, "nodes", "revenue"},
		{"negative R&D investment", node(Named("v-x", kg.Enterprise, "研发企业", "rdInvestment", []any{map[string]any{"year": 2023, "value": -2.5e5}})), kg.ErrInvalid, "nodes", "rdInvestment"},
		{"negative employees", node(Named("v-x", kg.Enterprise, "员工企业", "employees", kg.Series{2023: -3})), kg.ErrInvalid, "nodes", "employees"},
		{"above-scale status of a half", node(Named("v-x", kg.Enterprise, "规上企业", "aboveScaleByYear", kg.Series{2022: 1, 2023: 0.5})), kg.ErrInvalid, "nodes", "aboveScaleByYear"},
		{"above-scale status of 2", node(Named("v-x", kg.Enterprise, "规上企业", "aboveScaleByYear", map[string]any{"2023": 2})), kg.ErrInvalid, "nodes", "aboveScaleByYear"},
		{"negative makers served", node(Named("v-x", kg.Makerspace, "空间", "makersServed", map[string]any{"2023": "-10"})), kg.ErrInvalid, "nodes", "makersServed"},
		{"SUPPLIES from an enterprise to itself", rel(Edge("", kg.Supplies, "v-e1", "v-e1")), kg.ErrInvalid, "edges", "to"},
		{"SUPPLIES to itself within the batch", rel(Edge("v-loop", kg.Supplies, "v-good1", "v-good1")), kg.ErrInvalid, "edges", "to"},
		{"COLLABORATES_WITH itself", rel(Edge("", kg.CollaboratesWith, "v-u", "v-u")), kg.ErrInvalid, "edges", "to"},
		{"INVESTS_IN itself", rel(Edge("", kg.InvestsIn, "v-e1", "v-e1")), kg.ErrInvalid, "edges", "to"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := good()
			c.add(&b)
			res, err := s.Apply(t.Context(), b)
			if err == nil {
				t.Fatalf("Apply accepted the batch: %+v", *res)
			}
			checkValidationError(t, err, c.sentinel, c.list, c.field)
			checkNamesItem(t, err, b, c.list, c.field)
			if after := mustStats(t, s); !sameStats(after, before) {
				t.Errorf("a refused batch changed the stats: %+v, before %+v", after, before)
			}
			for i, n := range mustGetNodes(t, s, "v-good1", "v-good2", "v-x") {
				if n != nil {
					t.Errorf("node %d of a refused batch was written: %q", i, n.ID)
				}
			}
			checkSameNode(t, "stored node of a refused batch", mustGetNode(t, s, "v-inc"), beforeNode)
			if e := mustGetEdges(t, s, "v-good-e")[0]; e != nil {
				t.Errorf("edge of a refused batch was written: %v", e)
			}
		})
	}
	// The good part alone is accepted: the cases failed for their bad item.
	t.Run("good part alone", func(t *testing.T) {
		res := mustApply(t, s, good())
		checkResult(t, res, kg.WriteResult{NodesCreated: 2, NodesUpdated: 1, EdgesCreated: 2})
	})
}

// testValidationReportsEveryProblem checks that a refused batch reports
// all its problems, each with its list, item and field.
func testValidationReportsEveryProblem(t *testing.T, s kg.Store) {
	mustApply(t, s, kg.Batch{Nodes: []kg.Node{
		Named("r-e1", kg.Enterprise, "已有企业"),
		Named("r-inc", kg.Incubator, "已有孵化器"),
	}})
	type loc struct {
		list  string
		item  int
		field string
	}
	cases := []struct {
		name     string
		batch    kg.Batch
		sentinel error
		want     []loc
	}{
		{
			name: "problems found without the graph",
			batch: kg.Batch{
				Nodes: []kg.Node{
					Named("r-ok", kg.Enterprise, "好企业"),
					Named("r-bad1", kg.Enterprise, "坏码", "creditCode", badCreditCode(t, 9)),
					Named("r-bad2", kg.Incubator, "坏属性", "colour", "red", "level", "GALACTIC"),
					{ID: "r-bad3", Kind: kg.Talent, Props: kg.Props{}},
				},
				Edges: []kg.Edge{
					Edge("", kg.Supplies, "r-ok", "r-e1"),
					Edge("", kg.Supplies, "r-ok", "r-e1", "since", 2022, "until", 2021),
				},
			},
			sentinel: kg.ErrInvalid,
			want: []loc{
				{"nodes", 1, "creditCode"}, {"nodes", 2, "colour"}, {"nodes", 2, "level"},
				{"nodes", 3, "name"}, {"edges", 1, "until"},
			},
		},
		{
			name: "problems found against the graph",
			batch: kg.Batch{
				Nodes: []kg.Node{Named("r-inc", kg.Makerspace, "变身空间"), Named("r-ok", kg.Enterprise, "好企业")},
				Edges: []kg.Edge{
					Edge("", kg.Supplies, "r-ok", "r-e1"),
					Edge("", kg.Supplies, "r-e1", "r-inc"),
					Edge("", kg.Founded, "r-nobody", "r-ok"),
				},
				DeleteNodes: []string{"r-gone"},
			},
			sentinel: kg.ErrInvalid,
			want:     []loc{{"nodes", 0, "kind"}, {"edges", 1, "to"}, {"edges", 2, "from"}, {"deleteNodes", 0, "id"}},
		},
		{
			name: "only missing items",
			batch: kg.Batch{
				Edges:       []kg.Edge{Edge("", kg.Supplies, "r-e1", "r-nobody")},
				DeleteEdges: []string{"r-no-edge"},
				DeleteNodes: []string{"r-gone"},
			},
			sentinel: kg.ErrNotFound,
			want:     []loc{{"edges", 0, "to"}, {"deleteEdges", 0, "id"}, {"deleteNodes", 0, "id"}},
		},
	}
	before := mustStats(t, s)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.Apply(t.Context(), c.batch)
			if !errors.Is(err, c.sentinel) {
				t.Fatalf("error %v does not wrap %v", err, c.sentinel)
			}
			var ve *kg.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error %v is not a *kg.ValidationError", err)
			}
			for _, w := range c.want {
				found := false
				for _, fe := range ve.Errors {
					if fe.List == w.list && fe.Item == w.item && fe.Field == w.field {
						found = true
					}
				}
				if !found {
					t.Errorf("no problem reported at %s[%d] field %q; got %v", w.list, w.item, w.field, err)
				}
			}
			if after := mustStats(t, s); !sameStats(after, before) {
				t.Errorf("a refused batch changed the stats")
			}
			if n := mustGetNodes(t, s, "r-ok")[0]; n != nil {
				t.Errorf("node of a refused batch was written")
			}
		})
	}
}

// checkNamesItem checks that a problem at field of list names the last
// item of that list in b (where every case adds its bad item): its index,
// and its id if the problem carries one.
func checkNamesItem(t *testing.T, err error, b kg.Batch, list, field string) {
	t.Helper()
	var ve *kg.ValidationError
	if !errors.As(err, &ve) {
		return // reported by checkValidationError
	}
	var item int
	var id string
	switch list {
	case "nodes":
		item, id = len(b.Nodes)-1, b.Nodes[len(b.Nodes)-1].ID
	case "edges":
		e := b.Edges[len(b.Edges)-1]
		item, id = len(b.Edges)-1, e.ID
		if id == "" {
			id = kg.EdgeID(e.Type, e.From, e.To)
		}
	default:
		return
	}
	for _, fe := range ve.Errors {
		// A problem found before the item's id is known carries none.
		if fe.List == list && fe.Field == field && fe.Item == item && (fe.ID == id || fe.ID == "") {
			return
		}
	}
	t.Errorf("no problem names %s[%d] (id %q) field %q: %v", list, item, id, field, err)
}
