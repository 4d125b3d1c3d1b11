package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/kg"
)

func testEmptyStore(t *testing.T, s kg.Store) {
	ctx := t.Context()
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	checkStats(t, mustStats(t, s), nil, nil)
	for _, k := range kg.Kinds {
		page, err := s.FindNodes(ctx, kg.NodeQuery{Kind: k, First: 10})
		if err != nil {
			t.Fatalf("FindNodes(%s): %v", k, err)
		}
		if len(page.Nodes) != 0 || page.TotalCount != 0 || page.HasNextPage {
			t.Errorf("FindNodes(%s) on an empty store: %d nodes, total %d, next %v", k, len(page.Nodes), page.TotalCount, page.HasNextPage)
		}
	}
	if ns := mustGetNodes(t, s, "nobody"); ns[0] != nil {
		t.Errorf("GetNodes on an empty store returned %v", ns[0])
	}
	if es := mustGetEdges(t, s, "nothing"); es[0] != nil {
		t.Errorf("GetEdges on an empty store returned %v", es[0])
	}
	found, err := s.Search(ctx, kg.SearchQuery{Text: "大连", Limit: 10})
	if err != nil || len(found) != 0 {
		t.Errorf("Search on an empty store: %v, %v", nodeIDs(found), err)
	}
	nb, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: []string{"nobody"}})
	if err != nil || len(nb) != 0 {
		t.Errorf("Neighbors on an empty store: %v, %v", nb, err)
	}
	res := mustApply(t, s, kg.Batch{})
	checkResult(t, res, kg.WriteResult{})
}

// testApplyEveryKind writes a node of every kind with every property of
// the kind and reads them back with their normalised types.
func testApplyEveryKind(t *testing.T, s kg.Store) {
	var b kg.Batch
	want := map[string]kg.Props{}
	var ids []string
	for i, k := range kg.Kinds {
		raw, norm := sampleProps(t, kg.NodeProps(k), i)
		id := "all-" + string(k)
		b.Nodes = append(b.Nodes, kg.Node{ID: id, Kind: k, Props: raw})
		want[id] = norm
		ids = append(ids, id)
		// The same kind with only its required property.
		minID := fmt.Sprintf("min-%s", k)
		b.Nodes = append(b.Nodes, Named(minID, k, "最小"+string(k)))
		want[minID] = kg.Props{"name": "最小" + string(k)}
		ids = append(ids, minID)
	}
	before := time.Now()
	res := mustApply(t, s, b)
	after := time.Now()
	checkResult(t, res, kg.WriteResult{NodesCreated: len(b.Nodes)})

	got := mustGetNodes(t, s, ids...)
	for i, n := range got {
		id := ids[i]
		if n == nil {
			t.Errorf("node %q not found", id)
			continue
		}
		if n.ID != id || n.Kind != b.Nodes[i].Kind {
			t.Errorf("GetNodes[%d] = %s %q, want %s %q", i, n.Kind, n.ID, b.Nodes[i].Kind, id)
		}
		if !n.Props.Equal(want[id]) {
			t.Errorf("node %q props\n got  %#v\n want %#v", id, n.Props, want[id])
		}
		checkPropTypes(t, "node "+id, n.Props, func(name string) (*kg.PropSpec, bool) { return kg.NodePropSpec(n.Kind, name) })
		if n.CreatedAt.IsZero() || n.UpdatedAt.IsZero() {
			t.Errorf("node %q: CreatedAt %v, UpdatedAt %v, want both set", id, n.CreatedAt, n.UpdatedAt)
		}
		const slack = time.Second // the store's clock may differ a little
		if n.CreatedAt.Before(before.Add(-slack)) || n.CreatedAt.After(after.Add(slack)) {
			t.Errorf("node %q: CreatedAt %v is not within the call (%v .. %v)", id, n.CreatedAt, before, after)
		}
		if n.UpdatedAt.Before(n.CreatedAt) {
			t.Errorf("node %q: UpdatedAt %v is before CreatedAt %v", id, n.UpdatedAt, n.CreatedAt)
		}
	}
	checkStats(t, mustStats(t, s), countKinds(b.Nodes), nil)
}

// countKinds counts nodes by kind.
func countKinds(ns []kg.Node) map[kg.Kind]int {
	m := map[kg.Kind]int{}
	for _, n := range ns {
		m[n.Kind]++
	}
	return m
}

// testApplyValueTypes checks, one property at a time, the Go type and
// value a store returns for each loose input form.
func testApplyValueTypes(t *testing.T, s kg.Store) {
	cases := []struct {
		name string
		kind kg.Kind
		prop string
		in   any
		want any
	}{
		{"int from int", kg.Enterprise, "foundedYear", 2005, int64(2005)},
		{"int from int64", kg.Enterprise, "foundedYear", int64(2006), int64(2006)},
		{"int from integral float", kg.Enterprise, "foundedYear", 2007.0, int64(2007)},
		{"int from string", kg.Enterprise, "foundedYear", " 2008 ", int64(2008)},
		{"int from json.Number", kg.Enterprise, "foundedYear", json.Number("2009"), int64(2009)},
		{"float from int", kg.Incubator, "area", 1200, float64(1200)},
		{"float from float", kg.Incubator, "area", 1500.25, 1500.25},
		{"float from string", kg.Incubator, "area", "1750.5", 1750.5},
		{"float from json.Number", kg.Indicator, "target", json.Number("8e7"), 8e7},
		{"bool true", kg.Enterprise, "aboveScale", true, true},
		{"bool false", kg.Enterprise, "aboveScale", false, false},
		{"bool from 是", kg.Enterprise, "aboveScale", "是", true},
		{"string", kg.Enterprise, "district", "中山区", "中山区"},
		{"strings from []any", kg.Enterprise, "aliases", []any{"星海", "Xinghai"}, []string{"星海", "Xinghai"}},
		{"strings from []string", kg.Enterprise, "aliases", []string{"甲"}, []string{"甲"}},
		{"empty list kept", kg.Enterprise, "aliases", []any{}, []string{}},
		{"enum", kg.Incubator, "level", "MUNICIPAL", "MUNICIPAL"},
		{"enum list", kg.ServiceAgency, "categories", []any{"IP", "FINANCE"}, []string{"IP", "FINANCE"}},
		{"series from year map", kg.Enterprise, "revenue", map[string]any{"2020": 1, "2021": "2.5", "2022": json.Number("3e6")}, kg.Series{2020: 1, 2021: 2.5, 2022: 3e6}},
		{"series from Series", kg.Enterprise, "revenue", kg.Series{2023: 4.5}, kg.Series{2023: 4.5}},
		{"series from map[int]float64", kg.Makerspace, "makersServed", map[int]float64{2024: 600}, kg.Series{2024: 600}},
		{"credit code", kg.Enterprise, "creditCode", CreditCode(t, 42), CreditCode(t, 42)},
	}
	var b kg.Batch
	for i, c := range cases {
		b.Nodes = append(b.Nodes, Named(fmt.Sprintf("vt-%02d", i), c.kind, "类型"+c.name, c.prop, c.in))
	}
	mustApply(t, s, b)
	ids := make([]string, len(cases))
	for i := range cases {
		ids[i] = fmt.Sprintf("vt-%02d", i)
	}
	got := mustGetNodes(t, s, ids...)
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := got[i]
			if n == nil {
				t.Fatalf("node %q not found", ids[i])
			}
			v, ok := n.Props[c.prop]
			if !ok {
				t.Fatalf("property %q missing: %v", c.prop, n.Props)
			}
			if reflect.TypeOf(v) != reflect.TypeOf(c.want) || !reflect.DeepEqual(v, c.want) {
				t.Errorf("%s = %#v (%T), want %#v (%T)", c.prop, v, v, c.want, c.want)
			}
		})
	}
}

// testUpsertMerges checks kg.Merge semantics and the timestamps of an
// upsert.
func testUpsertMerges(t *testing.T, s kg.Store) {
	const id = "m-e1"
	mustApply(t, s, kg.Batch{Nodes: []kg.Node{Named(id, kg.Enterprise, "大连合并测试有限公司",
		"nameEn", "Merge Test Co.",
		"district", "中山区",
		"aliases", []string{"合并"},
		"foundedYear", 2001,
		"revenue", kg.Series{2020: 1, 2021: 2},
	)}})
	n0 := mustGetNode(t, s, id)

	steps := []struct {
		name    string
		upd     kg.Props
		changed bool
		want    kg.Props
	}{
		{
			name:    "replace, remove, merge series, add",
			upd:     kg.Props{"nameEn": nil, "district": "西岗区", "revenue": kg.Series{2021: 5, 2022: 6}, "employees": map[string]any{"2022": 30}},
			changed: true,
			want: kg.Props{"name": "大连合并测试有限公司", "district": "西岗区", "aliases": []string{"合并"}, "foundedYear": int64(2001),
				"revenue": kg.Series{2020: 1, 2021: 5, 2022: 6}, "employees": kg.Series{2022: 30}},
		},
		{
			name: "only the name",
			want: kg.Props{"name": "大连合并测试有限公司", "district": "西岗区", "aliases": []string{"合并"}, "foundedYear": int64(2001),
				"revenue": kg.Series{2020: 1, 2021: 5, 2022: 6}, "employees": kg.Series{2022: 30}},
		},
		{
			name: "same values again",
			upd:  kg.Props{"district": "西岗区", "foundedYear": "2001", "aliases": []any{"合并"}, "revenue": map[string]any{"2021": 5}, "nameEn": nil},
			want: kg.Props{"name": "大连合并测试有限公司", "district": "西岗区", "aliases": []string{"合并"}, "foundedYear": int64(2001),
				"revenue": kg.Series{2020: 1, 2021: 5, 2022: 6}, "employees": kg.Series{2022: 30}},
		},
		{
			name:    "NaN removes a year",
			upd:     kg.Props{"revenue": kg.Series{2020: math.NaN()}},
			changed: true,
			want: kg.Props{"name": "大连合并测试有限公司", "district": "西岗区", "aliases": []string{"合并"}, "foundedYear": int64(2001),
				"revenue": kg.Series{2021: 5, 2022: 6}, "employees": kg.Series{2022: 30}},
		},
		{
			name:    "nil removes a series and a list",
			upd:     kg.Props{"employees": nil, "aliases": nil},
			changed: true,
			want:    kg.Props{"name": "大连合并测试有限公司", "district": "西岗区", "foundedYear": int64(2001), "revenue": kg.Series{2021: 5, 2022: 6}},
		},
		{
			name:    "rename",
			upd:     kg.Props{"name": "大连新名有限公司"},
			changed: true,
			want:    kg.Props{"name": "大连新名有限公司", "district": "西岗区", "foundedYear": int64(2001), "revenue": kg.Series{2021: 5, 2022: 6}},
		},
	}
	prev := n0
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			// Leave the clock room to move, for stores with coarse clocks.
			time.Sleep(5 * time.Millisecond)
			upd := kg.Props{"name": prev.Props["name"]}
			for k, v := range st.upd {
				upd[k] = v
			}
			res := mustApply(t, s, kg.Batch{Nodes: []kg.Node{{ID: id, Kind: kg.Enterprise, Props: upd}}})
			want := kg.WriteResult{NodesUnchanged: 1}
			if st.changed {
				want = kg.WriteResult{NodesUpdated: 1}
			}
			checkResult(t, res, want)
			n := mustGetNode(t, s, id)
			if !n.Props.Equal(st.want) {
				t.Errorf("props\n got  %v\n want %v", n.Props, st.want)
			}
			if !n.CreatedAt.Equal(n0.CreatedAt) {
				t.Errorf("CreatedAt moved from %v to %v", n0.CreatedAt, n.CreatedAt)
			}
			switch {
			case st.changed && !n.UpdatedAt.After(prev.UpdatedAt):
				t.Errorf("UpdatedAt %v did not move past %v on a change", n.UpdatedAt, prev.UpdatedAt)
			case !st.changed && !n.UpdatedAt.Equal(prev.UpdatedAt):
				t.Errorf("UpdatedAt moved from %v to %v without a change", prev.UpdatedAt, n.UpdatedAt)
			}
			prev = n
		})
	}
}

// testWriteCounts checks that a write result counts exactly what changed.
func testWriteCounts(t *testing.T, s kg.Store) {
	first := func() kg.Batch {
		return kg.Batch{
			Nodes: []kg.Node{
				Named("w-e1", kg.Enterprise, "企业一", "foundedYear", 2001),
				Named("w-e2", kg.Enterprise, "企业二", "revenue", map[string]any{"2020": 10}),
				Named("w-e3", kg.Enterprise, "企业三"),
				Named("w-u1", kg.University, "大学一", "type", "UNIVERSITY"),
				Named("w-inc", kg.Incubator, "孵化器一", "level", "DISTRICT"),
			},
			Edges: []kg.Edge{
				Edge("", kg.Supplies, "w-e1", "w-e2", "product", "芯片"),
				Edge("", kg.CollaboratesWith, "w-e2", "w-u1", "mode", "JOINT_RD"),
				Edge("w-ib", kg.IncubatedBy, "w-e3", "w-inc", "since", 2019),
				Edge("w-ib2", kg.IncubatedBy, "w-e1", "w-inc", "since", 2020),
			},
		}
	}
	checkResult(t, mustApply(t, s, first()), kg.WriteResult{NodesCreated: 5, EdgesCreated: 4})
	checkResult(t, mustApply(t, s, first()), kg.WriteResult{NodesUnchanged: 5, EdgesUnchanged: 4})

	mixed := kg.Batch{
		Nodes: []kg.Node{
			Named("w-e1", kg.Enterprise, "企业一", "foundedYear", 2002),            // updated
			Named("w-e2", kg.Enterprise, "企业二", "revenue", kg.Series{2020: 10}), // unchanged
			Named("w-e4", kg.Enterprise, "企业四"),                                 // created
			Named("w-u1", kg.University, "大学一", "nameEn", "University One"),     // updated
			Named("w-inc", kg.Incubator, "孵化器一"),                                // unchanged
		},
		Edges: []kg.Edge{
			Edge("", kg.Supplies, "w-e1", "w-e2", "product", "存储芯片"),      // updated
			Edge("w-ib2", kg.IncubatedBy, "w-e1", "w-inc", "since", 2020), // unchanged
			Edge("", kg.Supplies, "w-e4", "w-e1"),                         // created
		},
		DeleteEdges: []string{kg.EdgeID(kg.CollaboratesWith, "w-e2", "w-u1")},
		DeleteNodes: []string{"w-e3"}, // takes w-ib with it
	}
	checkResult(t, mustApply(t, s, mixed), kg.WriteResult{
		NodesCreated: 1, NodesUpdated: 2, NodesUnchanged: 2, NodesDeleted: 1,
		EdgesCreated: 1, EdgesUpdated: 1, EdgesUnchanged: 1, EdgesDeleted: 2,
	})
	checkStats(t, mustStats(t, s),
		map[kg.Kind]int{kg.Enterprise: 3, kg.University: 1, kg.Incubator: 1},
		map[kg.RelType]int{kg.Supplies: 2, kg.IncubatedBy: 1})
}

func testGetInIDOrder(t *testing.T, s kg.Store) {
	g := newGraphFixture()
	mustApply(t, s, g.batch())
	ids := []string{"g-u1", "missing", "g-e1", "g-u1", ""}
	got := mustGetNodes(t, s, ids...)
	want := []string{"g-u1", "<nil>", "g-e1", "g-u1", "<nil>"}
	if !reflect.DeepEqual(nodeIDs(got), want) {
		t.Errorf("GetNodes(%q) = %v, want %v", ids, nodeIDs(got), want)
	}
	if got := mustGetNodes(t, s); len(got) != 0 {
		t.Errorf("GetNodes() = %v, want none", nodeIDs(got))
	}
	eids := []string{"g-op", "nope", g.edgeID(2), "g-s-a"}
	es := mustGetEdges(t, s, eids...)
	for i, e := range es {
		switch {
		case eids[i] == "nope" && e != nil:
			t.Errorf("GetEdges[%d] = %v, want nil", i, e)
		case eids[i] != "nope" && (e == nil || e.ID != eids[i]):
			t.Errorf("GetEdges[%d] = %v, want edge %q", i, e, eids[i])
		}
	}
}

// testReturnedValuesAreCopies modifies what reads return and checks that
// the store did not change.
func testReturnedValuesAreCopies(t *testing.T, s kg.Store) {
	ctx := t.Context()
	mustApply(t, s, kg.Batch{
		Nodes: []kg.Node{
			Named("c-e1", kg.Enterprise, "大连复制测试有限公司", "aliases", []string{"复制"}, "revenue", kg.Series{2020: 1}, "district", "中山区"),
			Named("c-e2", kg.Enterprise, "大连另一测试有限公司"),
		},
		Edges: []kg.Edge{Edge("c-s", kg.Supplies, "c-e1", "c-e2", "product", "钢材")},
	})
	stored := mustGetNode(t, s, "c-e1")
	want := &kg.Node{ID: "c-e1", Kind: kg.Enterprise, CreatedAt: stored.CreatedAt, UpdatedAt: stored.UpdatedAt, Props: kg.Props{
		"name": "大连复制测试有限公司", "aliases": []string{"复制"}, "revenue": kg.Series{2020: 1}, "district": "中山区"}}
	checkSameNode(t, "stored node", stored, want)
	wantEdge := &kg.Edge{ID: "c-s", Type: kg.Supplies, From: "c-e1", To: "c-e2", Props: kg.Props{"product": "钢材"}}
	spoil := func(n *kg.Node) {
		n.Props["name"] = "改掉"
		n.Props.Strings("aliases")[0] = "改掉"
		n.Props.Series("revenue")[2020] = 999
		delete(n.Props, "district")
	}
	spoil(stored)
	spoil(mustGetNode(t, s, "c-e1"))
	page, err := s.FindNodes(ctx, kg.NodeQuery{Kind: kg.Enterprise, First: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range page.Nodes {
		if n.ID == "c-e1" {
			spoil(n)
		}
	}
	found, err := s.Search(ctx, kg.SearchQuery{Text: "复制", Limit: 10})
	if err != nil || len(found) != 1 {
		t.Fatalf("Search: %v, %v", nodeIDs(found), err)
	}
	spoil(found[0])
	nb, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: []string{"c-e2"}})
	if err != nil || len(nb["c-e2"]) != 1 {
		t.Fatalf("Neighbors: %v, %v", nb, err)
	}
	spoil(nb["c-e2"][0].Node)
	nb["c-e2"][0].Edge.Props["product"] = "改掉"
	for range 2 {
		mustGetEdges(t, s, "c-s")[0].Props["product"] = "改掉"
	}

	checkSameNode(t, "node after changing returned copies", mustGetNode(t, s, "c-e1"), want)
	checkSameEdge(t, "edge after changing returned copies", mustGetEdges(t, s, "c-s")[0], wantEdge)
}

// testApplyLeavesBatchAlone checks that Apply does not modify the batch.
func testApplyLeavesBatchAlone(t *testing.T, s kg.Store) {
	build := func() kg.Batch {
		return kg.Batch{
			Nodes: []kg.Node{
				Named("b-e1", kg.Enterprise, "企业甲", "foundedYear", 2003, "aliases", []any{"甲"}, "revenue", map[string]any{"2020": 7}),
				Named("b-e2", kg.Enterprise, "企业乙", "aboveScale", "是"),
			},
			Edges: []kg.Edge{Edge("", kg.Supplies, "b-e1", "b-e2", "since", "2019")},
		}
	}
	b := build()
	mustApply(t, s, b)
	if !reflect.DeepEqual(b, build()) {
		t.Errorf("Apply modified its batch:\n got  %#v\n want %#v", b, build())
	}
}

// testEdgesEveryType creates a relationship of every type between the
// first and the last kinds its ends allow, with every property.
func testEdgesEveryType(t *testing.T, s kg.Store) {
	var b kg.Batch
	for _, k := range kg.Kinds {
		for _, suffix := range []string{"a", "b"} {
			b.Nodes = append(b.Nodes, Named(fmt.Sprintf("et-%s-%s", k, suffix), k, fmt.Sprintf("%s端点%s", k, suffix)))
		}
	}
	type wantEdge struct {
		id    string
		edge  kg.Edge
		props kg.Props
	}
	var want []wantEdge
	byType := map[kg.RelType]int{}
	for i, rt := range kg.RelTypes {
		spec := kg.RelSpecs[rt]
		pairs := [][2]kg.Kind{{spec.From[0], spec.To[0]}}
		if last := [2]kg.Kind{spec.From[len(spec.From)-1], spec.To[len(spec.To)-1]}; last != pairs[0] {
			pairs = append(pairs, last)
		}
		for j, p := range pairs {
			raw, norm := sampleProps(t, kg.EdgeProps(rt), i+j)
			from, to := fmt.Sprintf("et-%s-a", p[0]), fmt.Sprintf("et-%s-b", p[1])
			e := kg.Edge{Type: rt, From: from, To: to, Props: raw}
			b.Edges = append(b.Edges, e)
			want = append(want, wantEdge{kg.EdgeID(rt, from, to), e, norm})
			byType[rt]++
		}
	}
	// A second relationship between the same ends, with its own id.
	b.Edges = append(b.Edges, Edge("et-custom", kg.Supplies, "et-Enterprise-a", "et-Enterprise-b", "product", "另一批"))
	want = append(want, wantEdge{"et-custom", b.Edges[len(b.Edges)-1], kg.Props{"product": "另一批"}})
	byType[kg.Supplies]++

	res := mustApply(t, s, b)
	checkResult(t, res, kg.WriteResult{NodesCreated: len(b.Nodes), EdgesCreated: len(b.Edges)})
	ids := make([]string, len(want))
	for i, w := range want {
		ids[i] = w.id
	}
	got := mustGetEdges(t, s, ids...)
	for i, w := range want {
		e := got[i]
		if e == nil {
			t.Errorf("edge %s %s→%s not found under id %q", w.edge.Type, w.edge.From, w.edge.To, w.id)
			continue
		}
		checkSameEdge(t, string(w.edge.Type), e, &kg.Edge{ID: w.id, Type: w.edge.Type, From: w.edge.From, To: w.edge.To, Props: w.props})
		checkPropTypes(t, "edge "+w.id, e.Props, func(name string) (*kg.PropSpec, bool) { return kg.EdgePropSpec(e.Type, name) })
	}
	checkStats(t, mustStats(t, s), countKinds(b.Nodes), byType)

	// Writing a relationship again without an id finds it by its default id.
	again := kg.Batch{Edges: []kg.Edge{{Type: want[0].edge.Type, From: want[0].edge.From, To: want[0].edge.To, Props: want[0].edge.Props}}}
	checkResult(t, mustApply(t, s, again), kg.WriteResult{EdgesUnchanged: 1})
}

func testEdgeUpsert(t *testing.T, s kg.Store) {
	mustApply(t, s, kg.Batch{
		Nodes: []kg.Node{Named("eu-1", kg.Enterprise, "供应商"), Named("eu-2", kg.Enterprise, "客户")},
		Edges: []kg.Edge{Edge("eu-s", kg.Supplies, "eu-1", "eu-2", "since", 2018, "product", "轴承", "confidence", 0.5)},
	})
	steps := []struct {
		name    string
		props   kg.Props
		changed bool
		want    kg.Props
	}{
		{"replace and remove", kg.Props{"product": "齿轮", "confidence": nil}, true, kg.Props{"since": int64(2018), "product": "齿轮"}},
		{"same again", kg.Props{"product": "齿轮", "since": "2018"}, false, kg.Props{"since": int64(2018), "product": "齿轮"}},
		{"nothing given", nil, false, kg.Props{"since": int64(2018), "product": "齿轮"}},
		{"add", kg.Props{"until": 2024, "value": 1e6}, true, kg.Props{"since": int64(2018), "until": int64(2024), "product": "齿轮", "value": 1e6}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			res := mustApply(t, s, kg.Batch{Edges: []kg.Edge{{ID: "eu-s", Type: kg.Supplies, From: "eu-1", To: "eu-2", Props: st.props}}})
			want := kg.WriteResult{EdgesUnchanged: 1}
			if st.changed {
				want = kg.WriteResult{EdgesUpdated: 1}
			}
			checkResult(t, res, want)
			e := mustGetEdges(t, s, "eu-s")[0]
			checkSameEdge(t, "edge", e, &kg.Edge{ID: "eu-s", Type: kg.Supplies, From: "eu-1", To: "eu-2", Props: st.want})
		})
	}
}

// testApplyNewHint: a batch marked kg.Batch.New is written exactly as the
// same batch unmarked, whether or not the mark is true: stored nodes and
// relationships are merged and counted as updates, an id stored under
// another type, a missing end and an end of a kind the ontology refuses
// are refused as they are without the mark, and a refused batch writes
// nothing, not even its new nodes.
func testApplyNewHint(t *testing.T, s kg.Store) {
	mustApply(t, s, kg.Batch{
		Nodes: []kg.Node{Named("nh-1", kg.Enterprise, "旧一", "industry", "软件"), Named("nh-2", kg.Enterprise, "旧二"), Named("nh-u", kg.University, "大学")},
		Edges: []kg.Edge{Edge("", kg.Supplies, "nh-1", "nh-2", "product", "芯片"), Edge("nh-other", kg.InvestsIn, "nh-1", "nh-2")},
	})
	cases := []struct {
		name string
		b    kg.Batch
		want kg.WriteResult
		err  error
		msg  string // in the error
	}{
		{name: "all new", b: kg.Batch{
			Nodes: []kg.Node{Named("nh-3", kg.Enterprise, "新三"), Named("nh-4", kg.Enterprise, "新四")},
			Edges: []kg.Edge{Edge("", kg.Supplies, "nh-3", "nh-4"), Edge("", kg.Supplies, "nh-1", "nh-3", "value", 5000)},
		}, want: kg.WriteResult{NodesCreated: 2, EdgesCreated: 2}},
		{name: "a node is stored", b: kg.Batch{
			Nodes: []kg.Node{Named("nh-5", kg.Enterprise, "新五"), Named("nh-1", kg.Enterprise, "旧一", "industry", "装备")},
		}, want: kg.WriteResult{NodesCreated: 1, NodesUpdated: 1}},
		{name: "a relationship is stored under its type", b: kg.Batch{
			Edges: []kg.Edge{Edge("", kg.Supplies, "nh-1", "nh-2", "product", "轴承"), Edge("", kg.Supplies, "nh-2", "nh-5")},
		}, want: kg.WriteResult{EdgesCreated: 1, EdgesUpdated: 1}},
		{name: "an id is stored under another type", b: kg.Batch{
			Nodes: []kg.Node{Named("nh-6", kg.Enterprise, "新六")},
			Edges: []kg.Edge{Edge("nh-other", kg.Supplies, "nh-1", "nh-2")},
		}, err: kg.ErrInvalid, msg: "id is stored as INVESTS_IN"},
		{name: "an end is missing", b: kg.Batch{
			Nodes: []kg.Node{Named("nh-7", kg.Enterprise, "新七")},
			Edges: []kg.Edge{Edge("", kg.Supplies, "nh-7", "nh-none")},
		}, err: kg.ErrNotFound, msg: `no node with id "nh-none"`},
		{name: "an end of a kind the ontology refuses", b: kg.Batch{
			Nodes: []kg.Node{Named("nh-8", kg.Enterprise, "新八")},
			Edges: []kg.Edge{Edge("", kg.Supplies, "nh-8", "nh-u")},
		}, err: kg.ErrInvalid, msg: "SUPPLIES must end at"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := mustStats(t, s)
			b := c.b
			b.New = true
			res, err := s.Apply(t.Context(), b)
			if c.err != nil {
				if !errors.Is(err, c.err) || !strings.Contains(fmt.Sprint(err), c.msg) {
					t.Fatalf("Apply: %v, want %v with %q", err, c.err, c.msg)
				}
				if after := mustStats(t, s); after.Nodes != before.Nodes || after.Edges != before.Edges {
					t.Errorf("a refused batch wrote: %d nodes and %d edges before, %d and %d after", before.Nodes, before.Edges, after.Nodes, after.Edges)
				}
				return
			}
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			checkResult(t, res, c.want)
			for _, n := range c.b.Nodes {
				got := mustGetNode(t, s, n.ID)
				for k, v := range n.Props {
					if fmt.Sprint(got.Props[k]) != fmt.Sprint(v) {
						t.Errorf("node %s: %s = %v, want %v", n.ID, k, got.Props[k], v)
					}
				}
			}
			for _, e := range c.b.Edges {
				id := kg.EdgeID(e.Type, e.From, e.To)
				got := mustGetEdges(t, s, id)[0]
				if got == nil {
					t.Fatalf("edge %s is not stored", id)
				}
				for k, v := range e.Props {
					if fmt.Sprint(got.Props[k]) != fmt.Sprint(v) {
						t.Errorf("edge %s: %s = %v, want %v", id, k, got.Props[k], v)
					}
				}
			}
		})
	}
	if n := mustGetNode(t, s, "nh-1"); n.Props.Str("industry") != "装备" || n.Props.Str("name") != "旧一" {
		t.Errorf("nh-1 after the merge: %v", n.Props)
	}
}
