package storetest

import (
	"encoding/base64"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/innograph/innograph/kg"
)

var (
	findIndustries = []string{"软件", "海洋", "装备", "生物", "金融"}
	findCities     = []string{"大连", "中山", "星海", "旅顺"}
	findDistricts  = []string{"中山区", "西岗区", "沙河口区"}
)

const (
	findEnterprises = 40
	findIncubators  = 12
	findAgencies    = 8
)

// findBatch returns enterprises, incubators and service agencies whose
// properties vary with their number, some of them absent, written in an
// order that is not the id order.
func findBatch(t testing.TB) kg.Batch {
	var b kg.Batch
	for j := range findEnterprises {
		i := (j * 17) % findEnterprises
		p := kg.Props{
			"name":     fmt.Sprintf("%s%s有限公司", findCities[i%4], findIndustries[i%5]),
			"district": findDistricts[i%3],
		}
		if i%9 != 0 {
			p["industry"] = findIndustries[i%5]
		}
		if i%6 != 5 {
			p["foundedYear"] = 1995 + (i*7)%30
		}
		switch i % 3 {
		case 0:
			p["aboveScale"] = true
		case 1:
			p["aboveScale"] = false
		}
		rev := kg.Series{2021: float64(i)*1e6 + 5e5}
		if i%4 != 0 {
			rev[2022] = float64(i%10) * 2e6
		}
		p["revenue"] = rev
		switch i % 5 {
		case 0:
			p["aliases"] = []string{fmt.Sprintf("别名%d", i), fmt.Sprintf("E%d", i)}
		case 1:
			p["aliases"] = []string{}
		}
		if i%2 == 0 {
			p["nameEn"] = fmt.Sprintf("Company %02d", i)
			p["creditCode"] = CreditCode(t, i)
		}
		b.Nodes = append(b.Nodes, kg.Node{ID: fmt.Sprintf("f-e%02d", i), Kind: kg.Enterprise, Props: p})
	}
	for j := range findIncubators {
		p := kg.Props{"name": fmt.Sprintf("孵化器%02d", j), "foundedYear": 2000 + j}
		if j != 11 {
			p["level"] = kg.Level.Values[j%4]
		}
		if j%5 != 4 {
			p["area"] = 1000.5 * float64(j)
		}
		b.Nodes = append(b.Nodes, kg.Node{ID: fmt.Sprintf("f-i%02d", j), Kind: kg.Incubator, Props: p})
	}
	for k := range findAgencies {
		p := kg.Props{"name": fmt.Sprintf("服务机构%02d", k)}
		if k != 7 {
			vs := kg.ServiceCategory.Values
			p["categories"] = []string{vs[k%6], vs[(k+2)%6]}
		}
		b.Nodes = append(b.Nodes, kg.Node{ID: fmt.Sprintf("f-s%02d", k), Kind: kg.ServiceAgency, Props: p})
	}
	return b
}

// Typed accessors for the predicates of the expected results.
func pStr(n *kg.Node, p string) (string, bool) { v, ok := n.Props[p].(string); return v, ok }
func pInt(n *kg.Node, p string) (int64, bool)  { v, ok := n.Props[p].(int64); return v, ok }
func pFlt(n *kg.Node, p string) (float64, bool) {
	v, ok := n.Props[p].(float64)
	return v, ok
}
func pBool(n *kg.Node, p string) (bool, bool) { v, ok := n.Props[p].(bool); return v, ok }
func pList(n *kg.Node, p string) []string     { v, _ := n.Props[p].([]string); return v }
func pYear(n *kg.Node, p string, y int) (float64, bool) {
	v, ok := n.Props[p].(kg.Series)[y]
	return v, ok
}

func anyOf(list []string, f func(string) bool) bool {
	for _, s := range list {
		if f(s) {
			return true
		}
	}
	return false
}

// allNodes returns every node of kind k, read with GetNodes by the ids of
// the batch.
func allNodes(t *testing.T, s kg.Store, b kg.Batch, k kg.Kind) []*kg.Node {
	t.Helper()
	var ids []string
	for _, n := range b.Nodes {
		if n.Kind == k {
			ids = append(ids, n.ID)
		}
	}
	return mustGetNodes(t, s, ids...)
}

func testFindFilters(t *testing.T, s kg.Store) {
	b := findBatch(t)
	mustApply(t, s, b)
	type pred func(n *kg.Node) bool
	strIs := func(p string, f func(string) bool) pred {
		return func(n *kg.Node) bool { v, ok := pStr(n, p); return ok && f(v) }
	}
	intIs := func(p string, f func(int64) bool) pred {
		return func(n *kg.Node) bool { v, ok := pInt(n, p); return ok && f(v) }
	}
	fltIs := func(p string, f func(float64) bool) pred {
		return func(n *kg.Node) bool { v, ok := pFlt(n, p); return ok && f(v) }
	}
	yearIs := func(p string, y int, f func(float64) bool) pred {
		return func(n *kg.Node) bool { v, ok := pYear(n, p, y); return ok && f(v) }
	}
	listHas := func(p string, f func(string) bool) pred {
		return func(n *kg.Node) bool { return anyOf(pList(n, p), f) }
	}
	eq := func(s string) func(string) bool { return func(v string) bool { return v == s } }
	cases := []struct {
		name  string
		kind  kg.Kind
		where []kg.Condition
		want  pred
	}{
		{"string EQ", kg.Enterprise, []kg.Condition{{Prop: "industry", Op: kg.EQ, Value: "海洋"}}, strIs("industry", eq("海洋"))},
		{"string NE skips missing", kg.Enterprise, []kg.Condition{{Prop: "industry", Op: kg.NE, Value: "海洋"}}, strIs("industry", func(v string) bool { return v != "海洋" })},
		{"string GT", kg.Enterprise, []kg.Condition{{Prop: "name", Op: kg.GT, Value: "星海"}}, strIs("name", func(v string) bool { return v > "星海" })},
		{"string GTE", kg.Enterprise, []kg.Condition{{Prop: "name", Op: kg.GTE, Value: "大连海洋有限公司"}}, strIs("name", func(v string) bool { return v >= "大连海洋有限公司" })},
		{"string LT", kg.Enterprise, []kg.Condition{{Prop: "nameEn", Op: kg.LT, Value: "Company 10"}}, strIs("nameEn", func(v string) bool { return v < "Company 10" })},
		{"string LTE", kg.Enterprise, []kg.Condition{{Prop: "nameEn", Op: kg.LTE, Value: "Company 10"}}, strIs("nameEn", func(v string) bool { return v <= "Company 10" })},
		{"string IN []string", kg.Enterprise, []kg.Condition{{Prop: "industry", Op: kg.IN, Value: []string{"海洋", "生物"}}}, strIs("industry", func(v string) bool { return v == "海洋" || v == "生物" })},
		{"string IN []any", kg.Enterprise, []kg.Condition{{Prop: "district", Op: kg.IN, Value: []any{"西岗区", "旅顺口区"}}}, strIs("district", eq("西岗区"))},
		{"string CONTAINS", kg.Enterprise, []kg.Condition{{Prop: "name", Op: kg.CONTAINS, Value: "海洋"}}, strIs("name", func(v string) bool { return strings.Contains(v, "海洋") })},
		{"string PREFIX", kg.Enterprise, []kg.Condition{{Prop: "name", Op: kg.PREFIX, Value: "星海"}}, strIs("name", func(v string) bool { return strings.HasPrefix(v, "星海") })},
		{"string CONTAINS is case-sensitive", kg.Enterprise, []kg.Condition{{Prop: "nameEn", Op: kg.CONTAINS, Value: "company"}}, func(*kg.Node) bool { return false }},
		{"int EQ", kg.Enterprise, []kg.Condition{{Prop: "foundedYear", Op: kg.EQ, Value: 2009}}, intIs("foundedYear", func(v int64) bool { return v == 2009 })},
		{"int NE skips missing", kg.Enterprise, []kg.Condition{{Prop: "foundedYear", Op: kg.NE, Value: 2009}}, intIs("foundedYear", func(v int64) bool { return v != 2009 })},
		{"int GT", kg.Enterprise, []kg.Condition{{Prop: "foundedYear", Op: kg.GT, Value: 2010}}, intIs("foundedYear", func(v int64) bool { return v > 2010 })},
		{"int GTE from float", kg.Enterprise, []kg.Condition{{Prop: "foundedYear", Op: kg.GTE, Value: 2010.0}}, intIs("foundedYear", func(v int64) bool { return v >= 2010 })},
		{"int LT from string", kg.Enterprise, []kg.Condition{{Prop: "foundedYear", Op: kg.LT, Value: "2005"}}, intIs("foundedYear", func(v int64) bool { return v < 2005 })},
		{"int LTE", kg.Enterprise, []kg.Condition{{Prop: "foundedYear", Op: kg.LTE, Value: int64(2005)}}, intIs("foundedYear", func(v int64) bool { return v <= 2005 })},
		{"int IN", kg.Enterprise, []kg.Condition{{Prop: "foundedYear", Op: kg.IN, Value: []any{1995, 2002, "2016"}}}, intIs("foundedYear", func(v int64) bool { return v == 1995 || v == 2002 || v == 2016 })},
		{"float GT from int", kg.Incubator, []kg.Condition{{Prop: "area", Op: kg.GT, Value: 3000}}, fltIs("area", func(v float64) bool { return v > 3000 })},
		{"float LTE", kg.Incubator, []kg.Condition{{Prop: "area", Op: kg.LTE, Value: 5002.5}}, fltIs("area", func(v float64) bool { return v <= 5002.5 })},
		{"float EQ", kg.Incubator, []kg.Condition{{Prop: "area", Op: kg.EQ, Value: 2001}}, fltIs("area", func(v float64) bool { return v == 2001 })},
		{"float NE skips missing", kg.Incubator, []kg.Condition{{Prop: "area", Op: kg.NE, Value: 2001}}, fltIs("area", func(v float64) bool { return v != 2001 })},
		{"bool EQ true", kg.Enterprise, []kg.Condition{{Prop: "aboveScale", Op: kg.EQ, Value: true}}, func(n *kg.Node) bool { v, ok := pBool(n, "aboveScale"); return ok && v }},
		{"bool EQ false", kg.Enterprise, []kg.Condition{{Prop: "aboveScale", Op: kg.EQ, Value: "false"}}, func(n *kg.Node) bool { v, ok := pBool(n, "aboveScale"); return ok && !v }},
		{"bool NE skips missing", kg.Enterprise, []kg.Condition{{Prop: "aboveScale", Op: kg.NE, Value: true}}, func(n *kg.Node) bool { v, ok := pBool(n, "aboveScale"); return ok && !v }},
		{"enum EQ", kg.Incubator, []kg.Condition{{Prop: "level", Op: kg.EQ, Value: "MUNICIPAL"}}, strIs("level", eq("MUNICIPAL"))},
		{"enum NE skips missing", kg.Incubator, []kg.Condition{{Prop: "level", Op: kg.NE, Value: "DISTRICT"}}, strIs("level", func(v string) bool { return v != "DISTRICT" })},
		{"enum IN", kg.Incubator, []kg.Condition{{Prop: "level", Op: kg.IN, Value: []string{"NATIONAL", "PROVINCIAL"}}}, strIs("level", func(v string) bool { return v == "NATIONAL" || v == "PROVINCIAL" })},
		{"enum GT compares the strings", kg.Incubator, []kg.Condition{{Prop: "level", Op: kg.GT, Value: "MUNICIPAL"}}, strIs("level", func(v string) bool { return v > "MUNICIPAL" })},
		{"series year GT", kg.Enterprise, []kg.Condition{{Prop: "revenue", Year: 2022, Op: kg.GT, Value: 8e6}}, yearIs("revenue", 2022, func(v float64) bool { return v > 8e6 })},
		{"series year LTE", kg.Enterprise, []kg.Condition{{Prop: "revenue", Year: 2022, Op: kg.LTE, Value: 4e6}}, yearIs("revenue", 2022, func(v float64) bool { return v <= 4e6 })},
		{"series year EQ", kg.Enterprise, []kg.Condition{{Prop: "revenue", Year: 2021, Op: kg.EQ, Value: 7.5e6}}, yearIs("revenue", 2021, func(v float64) bool { return v == 7.5e6 })},
		{"series year NE skips missing years", kg.Enterprise, []kg.Condition{{Prop: "revenue", Year: 2022, Op: kg.NE, Value: 0}}, yearIs("revenue", 2022, func(v float64) bool { return v != 0 })},
		{"series year nobody has", kg.Enterprise, []kg.Condition{{Prop: "revenue", Year: 2030, Op: kg.GTE, Value: 0}}, func(*kg.Node) bool { return false }},
		{"list EQ is membership", kg.Enterprise, []kg.Condition{{Prop: "aliases", Op: kg.EQ, Value: "别名15"}}, listHas("aliases", eq("别名15"))},
		{"list IN", kg.Enterprise, []kg.Condition{{Prop: "aliases", Op: kg.IN, Value: []any{"E10", "别名25", "无此别名"}}}, listHas("aliases", func(v string) bool { return v == "E10" || v == "别名25" })},
		{"list CONTAINS", kg.Enterprise, []kg.Condition{{Prop: "aliases", Op: kg.CONTAINS, Value: "名3"}}, listHas("aliases", func(v string) bool { return strings.Contains(v, "名3") })},
		{"list PREFIX", kg.Enterprise, []kg.Condition{{Prop: "aliases", Op: kg.PREFIX, Value: "E1"}}, listHas("aliases", func(v string) bool { return strings.HasPrefix(v, "E1") })},
		{"enum list EQ", kg.ServiceAgency, []kg.Condition{{Prop: "categories", Op: kg.EQ, Value: "IP"}}, listHas("categories", eq("IP"))},
		{"enum list IN", kg.ServiceAgency, []kg.Condition{{Prop: "categories", Op: kg.IN, Value: []string{"FINANCE", "POPULARIZATION"}}}, listHas("categories", func(v string) bool { return v == "FINANCE" || v == "POPULARIZATION" })},
		{"id EQ", kg.Enterprise, []kg.Condition{{Prop: "id", Op: kg.EQ, Value: "f-e07"}}, func(n *kg.Node) bool { return n.ID == "f-e07" }},
		{"id NE", kg.Enterprise, []kg.Condition{{Prop: "id", Op: kg.NE, Value: "f-e07"}}, func(n *kg.Node) bool { return n.ID != "f-e07" }},
		{"id GT", kg.Enterprise, []kg.Condition{{Prop: "id", Op: kg.GT, Value: "f-e30"}}, func(n *kg.Node) bool { return n.ID > "f-e30" }},
		{"id IN", kg.Enterprise, []kg.Condition{{Prop: "id", Op: kg.IN, Value: []string{"f-e03", "f-e33", "f-i01", "nobody"}}}, func(n *kg.Node) bool { return n.ID == "f-e03" || n.ID == "f-e33" }},
		{"id PREFIX", kg.Enterprise, []kg.Condition{{Prop: "id", Op: kg.PREFIX, Value: "f-e1"}}, func(n *kg.Node) bool { return strings.HasPrefix(n.ID, "f-e1") }},
		{"id CONTAINS", kg.Enterprise, []kg.Condition{{Prop: "id", Op: kg.CONTAINS, Value: "2"}}, func(n *kg.Node) bool { return strings.Contains(n.ID, "2") }},
		{"all conditions hold", kg.Enterprise, []kg.Condition{
			{Prop: "foundedYear", Op: kg.GTE, Value: 2005},
			{Prop: "industry", Op: kg.IN, Value: []string{"软件", "装备"}},
			{Prop: "revenue", Year: 2021, Op: kg.LT, Value: 3e7},
		}, func(n *kg.Node) bool {
			y, okY := pInt(n, "foundedYear")
			ind, okI := pStr(n, "industry")
			r, okR := pYear(n, "revenue", 2021)
			return okY && y >= 2005 && okI && (ind == "软件" || ind == "装备") && okR && r < 3e7
		}},
		{"no match", kg.Enterprise, []kg.Condition{{Prop: "industry", Op: kg.EQ, Value: "航天"}}, func(*kg.Node) bool { return false }},
		{"no conditions", kg.Incubator, nil, func(*kg.Node) bool { return true }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var want []string
			for _, n := range allNodes(t, s, b, c.kind) {
				if c.want(n) {
					want = append(want, n.ID)
				}
			}
			want = sortedCopy(want)
			before := fmt.Sprintf("%#v", c.where)
			page, err := s.FindNodes(t.Context(), kg.NodeQuery{Kind: c.kind, Where: c.where, First: kg.MaxPageSize})
			if err != nil {
				t.Fatalf("FindNodes: %v", err)
			}
			if after := fmt.Sprintf("%#v", c.where); after != before {
				t.Errorf("FindNodes modified the query's conditions: %s, was %s", after, before)
			}
			got := nodeIDs(page.Nodes)
			if len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
				t.Errorf("found %s\n want %s", join(got), join(want))
			}
			if page.TotalCount != len(want) || page.HasNextPage || page.Offset != 0 {
				t.Errorf("TotalCount %d, HasNextPage %v, Offset %d; want %d, false, 0", page.TotalCount, page.HasNextPage, page.Offset, len(want))
			}
			for _, n := range page.Nodes {
				if n.Kind != c.kind {
					t.Errorf("found %q of kind %s, want %s", n.ID, n.Kind, c.kind)
				}
			}
		})
	}
}

// refValue is the value a sort key sees on n, read with typed accessors.
func refValue(n *kg.Node, k kg.SortKey) (any, bool) {
	if k.Prop == "id" {
		return n.ID, true
	}
	if k.Year != 0 {
		return pYear(n, k.Prop, k.Year)
	}
	v, ok := n.Props[k.Prop]
	return v, ok && v != nil
}

// refCompare compares two values of one property type.
func refCompare(a, b any) int {
	switch x := a.(type) {
	case string:
		return strings.Compare(x, b.(string))
	case int64:
		y := b.(int64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	case float64:
		y := b.(float64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	case bool:
		y := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	}
	panic(fmt.Sprintf("cannot compare %T", a))
}

// refLess is the expected order: each key in turn, missing values last
// when ascending and first when descending, then id ascending.
func refLess(a, b *kg.Node, keys []kg.SortKey) bool {
	for _, k := range keys {
		va, okA := refValue(a, k)
		vb, okB := refValue(b, k)
		switch {
		case !okA && !okB:
			continue
		case okA != okB:
			return okA != k.Desc
		}
		c := refCompare(va, vb)
		if c == 0 {
			continue
		}
		if k.Desc {
			return c > 0
		}
		return c < 0
	}
	return a.ID < b.ID
}

// expected returns the ids of the nodes of kind q.Kind that match pred,
// in the order of q.OrderBy.
func expected(t *testing.T, s kg.Store, b kg.Batch, kind kg.Kind, keys []kg.SortKey, pred func(*kg.Node) bool) []string {
	t.Helper()
	var ns []*kg.Node
	for _, n := range allNodes(t, s, b, kind) {
		if pred == nil || pred(n) {
			ns = append(ns, n)
		}
	}
	sort.SliceStable(ns, func(i, j int) bool { return refLess(ns[i], ns[j], keys) })
	return nodeIDs(ns)
}

func testFindOrder(t *testing.T, s kg.Store) {
	b := findBatch(t)
	mustApply(t, s, b)
	notOcean := func(n *kg.Node) bool { v, ok := pStr(n, "industry"); return ok && v != "海洋" }
	cases := []struct {
		name  string
		kind  kg.Kind
		where []kg.Condition
		pred  func(*kg.Node) bool
		keys  []kg.SortKey
	}{
		{"default is id", kg.Enterprise, nil, nil, nil},
		{"int asc, missing last", kg.Enterprise, nil, nil, []kg.SortKey{{Prop: "foundedYear"}}},
		{"int desc, missing first", kg.Enterprise, nil, nil, []kg.SortKey{{Prop: "foundedYear", Desc: true}}},
		{"series year desc", kg.Enterprise, nil, nil, []kg.SortKey{{Prop: "revenue", Year: 2022, Desc: true}}},
		{"series year asc", kg.Enterprise, nil, nil, []kg.SortKey{{Prop: "revenue", Year: 2022}}},
		{"string asc with ties", kg.Enterprise, nil, nil, []kg.SortKey{{Prop: "name"}}},
		{"string desc, missing first", kg.Enterprise, nil, nil, []kg.SortKey{{Prop: "nameEn", Desc: true}}},
		{"bool desc", kg.Enterprise, nil, nil, []kg.SortKey{{Prop: "aboveScale", Desc: true}}},
		{"bool asc", kg.Enterprise, nil, nil, []kg.SortKey{{Prop: "aboveScale"}}},
		{"two keys", kg.Enterprise, nil, nil, []kg.SortKey{{Prop: "industry"}, {Prop: "foundedYear", Desc: true}}},
		{"two keys desc asc", kg.Enterprise, nil, nil, []kg.SortKey{{Prop: "aboveScale", Desc: true}, {Prop: "revenue", Year: 2021}}},
		{"id desc", kg.Enterprise, nil, nil, []kg.SortKey{{Prop: "id", Desc: true}}},
		{"float asc", kg.Incubator, nil, nil, []kg.SortKey{{Prop: "area"}}},
		{"enum desc", kg.Incubator, nil, nil, []kg.SortKey{{Prop: "level", Desc: true}}},
		{"filtered and ordered", kg.Enterprise, []kg.Condition{{Prop: "industry", Op: kg.NE, Value: "海洋"}}, notOcean, []kg.SortKey{{Prop: "foundedYear", Desc: true}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := expected(t, s, b, c.kind, c.keys, c.pred)
			page, err := s.FindNodes(t.Context(), kg.NodeQuery{Kind: c.kind, Where: c.where, OrderBy: c.keys, First: kg.MaxPageSize})
			if err != nil {
				t.Fatalf("FindNodes: %v", err)
			}
			if got := nodeIDs(page.Nodes); !reflect.DeepEqual(got, want) {
				t.Errorf("order\n got  %s\n want %s", join(got), join(want))
			}
			if page.TotalCount != len(want) {
				t.Errorf("TotalCount %d, want %d", page.TotalCount, len(want))
			}
		})
	}
	// The data must make the cases meaningful: missing values and ties.
	ns := allNodes(t, s, b, kg.Enterprise)
	missing, ties := 0, map[string]int{}
	for _, n := range ns {
		if _, ok := pInt(n, "foundedYear"); !ok {
			missing++
		}
		name, _ := pStr(n, "name")
		ties[name]++
	}
	if missing == 0 || len(ties) == len(ns) {
		t.Fatalf("test data has %d missing foundedYear and %d distinct names of %d", missing, len(ties), len(ns))
	}
}

// testFindFollowsWrites writes nodes in several batches whose ids
// interleave, updates and deletes some, and checks the orders after each.
func testFindFollowsWrites(t *testing.T, s kg.Store) {
	live := map[string]int{} // id → foundedYear
	write := func(ids []int, year int) {
		var b kg.Batch
		for _, i := range ids {
			id := fmt.Sprintf("fw-%03d", i)
			b.Nodes = append(b.Nodes, Named(id, kg.Enterprise, "写后查询企业", "foundedYear", year+i%7))
			live[id] = year + i%7
		}
		mustApply(t, s, b)
	}
	check := func(t *testing.T) {
		t.Helper()
		var want []string
		for id := range live {
			want = append(want, id)
		}
		want = sortedCopy(want)
		got, total := walk(t, s, kg.NodeQuery{Kind: kg.Enterprise}, 4)
		if total != len(want) || !reflect.DeepEqual(got, want) {
			t.Errorf("by id\n got  %s\n want %s", join(got), join(want))
		}
		sort.SliceStable(want, func(i, j int) bool {
			a, b := live[want[i]], live[want[j]]
			if a != b {
				return a > b
			}
			return want[i] < want[j]
		})
		got, _ = walk(t, s, kg.NodeQuery{Kind: kg.Enterprise, OrderBy: []kg.SortKey{{Prop: "foundedYear", Desc: true}}}, 3)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("by foundedYear desc\n got  %s\n want %s", join(got), join(want))
		}
	}
	steps := []struct {
		name string
		do   func()
	}{
		{"first batch", func() { write([]int{10, 20, 30, 40}, 2000) }},
		{"ids before, between and after", func() { write([]int{5, 15, 25, 35, 45, 1}, 2010) }},
		{"updates move nodes in the order", func() { write([]int{20, 5}, 1990) }},
		{"deletes", func() {
			mustApply(t, s, kg.Batch{DeleteNodes: []string{"fw-001", "fw-030", "fw-045"}})
			delete(live, "fw-001")
			delete(live, "fw-030")
			delete(live, "fw-045")
		}},
		{"delete and create together", func() {
			mustApply(t, s, kg.Batch{Nodes: []kg.Node{Named("fw-000", kg.Enterprise, "新企业", "foundedYear", 2020)}, DeleteNodes: []string{"fw-015"}})
			delete(live, "fw-015")
			live["fw-000"] = 2020
		}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.do()
			check(t)
		})
	}
}

// walk reads every page of q with page size first and returns the ids in
// order and the total count, checking each page's bookkeeping.
func walk(t *testing.T, s kg.Store, q kg.NodeQuery, first int) ([]string, int) {
	t.Helper()
	var ids []string
	total := -1
	q.First, q.After = first, ""
	for pages := 0; ; pages++ {
		page, err := s.FindNodes(t.Context(), q)
		if err != nil {
			t.Fatalf("FindNodes page %d: %v", pages, err)
		}
		if page.Offset != len(ids) {
			t.Errorf("page %d: Offset %d, want %d", pages, page.Offset, len(ids))
		}
		if total < 0 {
			total = page.TotalCount
		} else if page.TotalCount != total {
			t.Errorf("page %d: TotalCount %d, first page said %d", pages, page.TotalCount, total)
		}
		ids = append(ids, nodeIDs(page.Nodes)...)
		if !page.HasNextPage {
			if len(ids) != total {
				t.Errorf("last page after %d nodes, TotalCount %d", len(ids), total)
			}
			return ids, total
		}
		if len(page.Nodes) != first {
			t.Fatalf("page %d has %d nodes and a next page, want %d", pages, len(page.Nodes), first)
		}
		if pages > total {
			t.Fatalf("more pages than nodes")
		}
		q.After = kg.EndCursor(q, page)
	}
}

func testFindPages(t *testing.T, s kg.Store) {
	b := findBatch(t)
	mustApply(t, s, b)
	big := func(n *kg.Node) bool { v, ok := pYear(n, "revenue", 2021); return ok && v >= 1e7 }
	queries := []struct {
		name string
		q    kg.NodeQuery
		pred func(*kg.Node) bool
	}{
		{"all by id", kg.NodeQuery{Kind: kg.Enterprise}, nil},
		{"filtered by id", kg.NodeQuery{Kind: kg.Enterprise, Where: []kg.Condition{{Prop: "revenue", Year: 2021, Op: kg.GTE, Value: 1e7}}}, big},
		{"ordered", kg.NodeQuery{Kind: kg.Enterprise, OrderBy: []kg.SortKey{{Prop: "foundedYear", Desc: true}}}, nil},
		{"filtered and ordered", kg.NodeQuery{Kind: kg.Enterprise, Where: []kg.Condition{{Prop: "revenue", Year: 2021, Op: kg.GTE, Value: 1e7}}, OrderBy: []kg.SortKey{{Prop: "name"}, {Prop: "revenue", Year: 2022}}}, big},
		{"nothing matches", kg.NodeQuery{Kind: kg.Enterprise, Where: []kg.Condition{{Prop: "industry", Op: kg.EQ, Value: "航天"}}}, func(*kg.Node) bool { return false }},
	}
	for _, qc := range queries {
		want := expected(t, s, b, qc.q.Kind, qc.q.OrderBy, qc.pred)
		for _, first := range []int{1, 3, 7, len(want), kg.MaxPageSize} {
			if first < 1 {
				continue
			}
			t.Run(fmt.Sprintf("%s/first=%d", qc.name, first), func(t *testing.T) {
				got, total := walk(t, s, qc.q, first)
				if total != len(want) {
					t.Errorf("TotalCount %d, want %d", total, len(want))
				}
				if len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
					t.Errorf("pages joined\n got  %s\n want %s", join(got), join(want))
				}
			})
		}
	}
	all := expected(t, s, b, kg.Enterprise, nil, nil)
	at := func(t *testing.T, after string, first int) *kg.NodePage {
		t.Helper()
		page, err := s.FindNodes(t.Context(), kg.NodeQuery{Kind: kg.Enterprise, First: first, After: after})
		if err != nil {
			t.Fatalf("FindNodes(after %q): %v", after, err)
		}
		return page
	}
	after := func(id string) string { return kg.NodeCursor(kg.Enterprise, nil, &kg.Node{ID: id}) }
	t.Run("middle page", func(t *testing.T) {
		page := at(t, after(all[4]), 3)
		if got := nodeIDs(page.Nodes); !reflect.DeepEqual(got, all[5:8]) || page.Offset != 5 || !page.HasNextPage || page.TotalCount != len(all) {
			t.Errorf("page after position 4: %v offset %d next %v total %d; want %v offset 5 next true total %d", got, page.Offset, page.HasNextPage, page.TotalCount, all[5:8], len(all))
		}
	})
	t.Run("page that ends at the last node", func(t *testing.T) {
		page := at(t, after(all[len(all)-4]), 3)
		if got := nodeIDs(page.Nodes); !reflect.DeepEqual(got, all[len(all)-3:]) || page.HasNextPage {
			t.Errorf("last page: %v next %v; want %v next false", got, page.HasNextPage, all[len(all)-3:])
		}
	})
	t.Run("after an id that is not stored", func(t *testing.T) {
		page := at(t, after(all[4]+"\x00"), 3)
		if got := nodeIDs(page.Nodes); !reflect.DeepEqual(got, all[5:8]) || page.Offset != 5 {
			t.Errorf("page after %q: %v offset %d; want %v offset 5", all[4]+"\x00", got, page.Offset, all[5:8])
		}
	})
	for _, id := range []string{all[len(all)-1], all[len(all)-1] + "0", "\U0010FFFF"} {
		t.Run(fmt.Sprintf("after %q", id), func(t *testing.T) {
			page := at(t, after(id), 10)
			if len(page.Nodes) != 0 || page.HasNextPage || page.TotalCount != len(all) {
				t.Errorf("page past the end: %d nodes, next %v, total %d; want 0, false, %d", len(page.Nodes), page.HasNextPage, page.TotalCount, len(all))
			}
		})
	}
}

func testFindInvalid(t *testing.T, s kg.Store) {
	mustApply(t, s, findBatch(t))
	cond := func(c kg.Condition) kg.NodeQuery {
		return kg.NodeQuery{Kind: kg.Enterprise, First: 10, Where: []kg.Condition{c}}
	}
	order := func(k kg.Kind, keys ...kg.SortKey) kg.NodeQuery {
		return kg.NodeQuery{Kind: k, First: 10, OrderBy: keys}
	}
	cases := []struct {
		name string
		q    kg.NodeQuery
	}{
		{"unknown kind", kg.NodeQuery{Kind: "Spaceship", First: 10}},
		{"no kind", kg.NodeQuery{First: 10}},
		{"first 0", kg.NodeQuery{Kind: kg.Enterprise}},
		{"first negative", kg.NodeQuery{Kind: kg.Enterprise, First: -1}},
		{"first above the maximum", kg.NodeQuery{Kind: kg.Enterprise, First: kg.MaxPageSize + 1}},
		{"cursor not base64", kg.NodeQuery{Kind: kg.Enterprise, First: 10, After: "not a cursor!"}},
		{"cursor of another shape", kg.NodeQuery{Kind: kg.Enterprise, First: 10, After: base64.RawURLEncoding.EncodeToString([]byte("x:3"))}},
		{"cursor with a negative position", kg.NodeQuery{Kind: kg.Enterprise, First: 10, After: base64.RawURLEncoding.EncodeToString([]byte("o:-2"))}},
		{"positional cursor", kg.NodeQuery{Kind: kg.Enterprise, First: 10, After: base64.RawURLEncoding.EncodeToString([]byte("o:2"))}},
		{"cursor of another kind", kg.NodeQuery{Kind: kg.Enterprise, First: 10, After: kg.NodeCursor(kg.Talent, nil, &kg.Node{ID: "x"})}},
		{"cursor of another order", kg.NodeQuery{Kind: kg.Enterprise, First: 10, After: kg.NodeCursor(kg.Enterprise, []kg.SortKey{{Prop: "name"}}, &kg.Node{ID: "x"})}},
		{"cursor of a relationship list", kg.NodeQuery{Kind: kg.Enterprise, First: 10, After: kg.RelationCursor(nil, kg.Both, nil, nil, &kg.Edge{ID: "e", Type: kg.Supplies}, "x")}},
		{"cursor with a value of the wrong type", kg.NodeQuery{Kind: kg.Enterprise, First: 10, OrderBy: []kg.SortKey{{Prop: "foundedYear"}},
			After: kg.EncodeCursor(kg.Position{Order: kg.NodeOrder(kg.Enterprise, []kg.SortKey{{Prop: "foundedYear"}}), Values: []any{"long ago"}, ID: "x"})}},
		{"cursor with too few values", kg.NodeQuery{Kind: kg.Enterprise, First: 10, OrderBy: []kg.SortKey{{Prop: "foundedYear"}},
			After: kg.EncodeCursor(kg.Position{Order: kg.NodeOrder(kg.Enterprise, []kg.SortKey{{Prop: "foundedYear"}}), ID: "x"})}},
		{"unknown property", cond(kg.Condition{Prop: "colour", Op: kg.EQ, Value: "red"})},
		{"property of another kind", cond(kg.Condition{Prop: "level", Op: kg.EQ, Value: "NATIONAL"})},
		{"unknown operator", cond(kg.Condition{Prop: "name", Op: "LIKE", Value: "大连"})},
		{"series without a year", cond(kg.Condition{Prop: "revenue", Op: kg.GT, Value: 1})},
		{"CONTAINS on an int", cond(kg.Condition{Prop: "foundedYear", Op: kg.CONTAINS, Value: "20"})},
		{"PREFIX on a series", cond(kg.Condition{Prop: "revenue", Year: 2021, Op: kg.PREFIX, Value: "1"})},
		{"CONTAINS with a number", cond(kg.Condition{Prop: "name", Op: kg.CONTAINS, Value: 12})},
		{"GT on a bool", cond(kg.Condition{Prop: "aboveScale", Op: kg.GT, Value: true})},
		{"NE on a list", cond(kg.Condition{Prop: "aliases", Op: kg.NE, Value: "E10"})},
		{"LT on a list", cond(kg.Condition{Prop: "aliases", Op: kg.LT, Value: "E10"})},
		{"wrong value type", cond(kg.Condition{Prop: "foundedYear", Op: kg.EQ, Value: "long ago"})},
		{"IN without a list", cond(kg.Condition{Prop: "foundedYear", Op: kg.IN, Value: 2001})},
		{"IN with a bad item", cond(kg.Condition{Prop: "foundedYear", Op: kg.IN, Value: []any{2001, "x"}})},
		{"unknown enum value", kg.NodeQuery{Kind: kg.Incubator, First: 10, Where: []kg.Condition{{Prop: "level", Op: kg.EQ, Value: "GALACTIC"}}}},
		{"CONTAINS on an enum list", kg.NodeQuery{Kind: kg.ServiceAgency, First: 10, Where: []kg.Condition{{Prop: "categories", Op: kg.CONTAINS, Value: "I"}}}},
		{"order by unknown property", order(kg.Enterprise, kg.SortKey{Prop: "colour"})},
		{"order by a list", order(kg.Enterprise, kg.SortKey{Prop: "aliases"})},
		{"order by an enum list", order(kg.ServiceAgency, kg.SortKey{Prop: "categories"})},
		{"order by a series without a year", order(kg.Enterprise, kg.SortKey{Prop: "revenue"})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			page, err := s.FindNodes(t.Context(), c.q)
			if !errors.Is(err, kg.ErrInvalid) {
				t.Errorf("FindNodes(%+v) = %v, %v; want an error wrapping kg.ErrInvalid", c.q, page, err)
			}
		})
	}
}
