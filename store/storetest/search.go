package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/innograph/innograph/kg"
)

// searchBatch holds names chosen so that a text matches some of them
// exactly, by prefix, inside, or only by English name or alias.
func searchBatch() kg.Batch {
	return kg.Batch{Nodes: []kg.Node{
		Named("s-x1", kg.Enterprise, "海事"),
		Named("s-x2", kg.Enterprise, "海事服务中心"),
		Named("s-x3", kg.Enterprise, "海事科技有限公司"),
		Named("s-inc", kg.Incubator, "海事创业孵化器"),
		Named("s-u1", kg.University, "大连海事大学", "nameEn", "Dalian Maritime University", "aliases", []string{"海大", "DMU"}),
		Named("s-u2", kg.University, "大连理工大学", "nameEn", "Dalian University of Technology", "aliases", []string{"大工", "DUT"}),
		Named("s-sa", kg.ServiceAgency, "大连航运咨询中心", "aliases", []string{"海事咨询"}),
		Named("s-x4", kg.Enterprise, "Maritime Tech"),
		Named("s-t", kg.Talent, "王海"),
		Named("s-mix", kg.Talent, "甲乙", "aliases", []string{"乙丙"}),
	}}
}

func search(t *testing.T, s kg.Store, q kg.SearchQuery) []string {
	t.Helper()
	found, err := s.Search(t.Context(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return nodeIDs(found)
}

func testSearch(t *testing.T, s kg.Store) {
	mustApply(t, s, searchBatch())
	cases := []struct {
		name  string
		q     kg.SearchQuery
		want  []string
		check func(t *testing.T, found []*kg.Node)
	}{
		{"exact, prefixes by length, inside, alias", kg.SearchQuery{Text: "海事", Limit: 10}, []string{"s-x1", "s-x2", "s-inc", "s-x3", "s-u1", "s-sa"}, nil},
		{"kinds filter", kg.SearchQuery{Text: "海事", Kinds: []kg.Kind{kg.Enterprise}, Limit: 10}, []string{"s-x1", "s-x2", "s-x3"}, nil},
		{"two kinds", kg.SearchQuery{Text: "海事", Kinds: []kg.Kind{kg.University, kg.ServiceAgency}, Limit: 10}, []string{"s-u1", "s-sa"}, nil},
		{"limit keeps the best", kg.SearchQuery{Text: "海事", Limit: 2}, []string{"s-x1", "s-x2"}, nil},
		{"surrounding space ignored", kg.SearchQuery{Text: "  海事 ", Limit: 10}, []string{"s-x1", "s-x2", "s-inc", "s-x3", "s-u1", "s-sa"}, nil},
		{"two runes at the start", kg.SearchQuery{Text: "大连", Limit: 10}, []string{"s-u1", "s-u2", "s-sa"}, nil},
		{"two runes at the end", kg.SearchQuery{Text: "大学", Limit: 10}, []string{"s-u1", "s-u2"}, nil},
		{"two runes inside", kg.SearchQuery{Text: "理工", Limit: 10}, []string{"s-u2"}, nil},
		{"across a word boundary", kg.SearchQuery{Text: "事服", Limit: 10}, []string{"s-x2"}, nil},
		{"longer text", kg.SearchQuery{Text: "海事大学", Limit: 10}, []string{"s-u1"}, nil},
		{"exact two runes", kg.SearchQuery{Text: "王海", Limit: 10}, []string{"s-t"}, nil},
		{"Chinese alias", kg.SearchQuery{Text: "海大", Limit: 10}, []string{"s-u1"}, nil},
		{"alias any case", kg.SearchQuery{Text: "dut", Limit: 10}, []string{"s-u2"}, nil},
		{"English name lower case", kg.SearchQuery{Text: "maritime", Limit: 10}, []string{"s-x4", "s-u1"}, nil},
		{"English name upper case", kg.SearchQuery{Text: "MARITIME", Limit: 10}, []string{"s-x4", "s-u1"}, nil},
		{"English exact name", kg.SearchQuery{Text: "maritime tech", Limit: 10}, []string{"s-x4"}, nil},
		{"English with a space inside", kg.SearchQuery{Text: "an u", Limit: 10}, []string{"s-u2"}, nil},
		{"English names rank by name length then id", kg.SearchQuery{Text: "University", Limit: 10}, []string{"s-u1", "s-u2"}, nil},
		{"no match", kg.SearchQuery{Text: "航天", Limit: 10}, nil, nil},
		{"texts of one node do not combine", kg.SearchQuery{Text: "甲乙丙", Limit: 10}, nil, nil},
		{"alias only", kg.SearchQuery{Text: "乙丙", Limit: 10}, []string{"s-mix"}, nil},
		{"full nodes", kg.SearchQuery{Text: "海大", Limit: 10}, []string{"s-u1"}, func(t *testing.T, found []*kg.Node) {
			checkSameNode(t, "search result", found[0], mustGetNode(t, s, "s-u1"))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			found, err := s.Search(t.Context(), c.q)
			if err != nil {
				t.Fatalf("Search: %v", err)
			}
			if got := nodeIDs(found); len(got) != len(c.want) || (len(got) > 0 && !reflect.DeepEqual(got, c.want)) {
				t.Errorf("Search(%q) = %v, want %v", c.q.Text, got, c.want)
			}
			if c.check != nil && len(found) > 0 {
				c.check(t, found)
			}
		})
	}
}

// testSearchRanking compares many searches over many similar names with
// the order kg.SearchRank and kg.SortSearch define.
func testSearchRanking(t *testing.T, s kg.Store) {
	prefixes := []string{"大连", "中山", "星海", "海洋", "软件"}
	middles := []string{"海事", "科技", "软件", "装备", "海洋", "生物"}
	suffixes := []string{"有限公司", "研究院", "中心", ""}
	kinds := []kg.Kind{kg.Enterprise, kg.University, kg.ServiceAgency, kg.Incubator}
	var b kg.Batch
	var ids []string
	for i := range 300 {
		n := Named(fmt.Sprintf("sr-%03d", (i*37)%300), kinds[i%4],
			prefixes[i%5]+middles[(i/5)%6]+suffixes[(i/30)%4],
			"nameEn", fmt.Sprintf("Dalian Tech %d", i))
		if i%7 == 0 {
			n.Props["aliases"] = []string{fmt.Sprintf("第%d号", i), "Ocean Lab"}
		}
		b.Nodes = append(b.Nodes, n)
		ids = append(ids, n.ID)
	}
	b.Nodes = append(b.Nodes, Named("sr-x1", kg.Enterprise, "海洋"), Named("sr-x2", kg.Talent, "科技"))
	ids = append(ids, "sr-x1", "sr-x2")
	mustApply(t, s, b)
	all := mustGetNodes(t, s, ids...)

	texts := []string{"海洋", "科技", "大连", "有限公司", "海事科技", "洋科", "研究", "tech", "TECH 1", "ocean", "第7", "lab", "中心", "软件软件", "无此名"}
	for _, text := range texts {
		for _, q := range []kg.SearchQuery{
			{Text: text, Limit: kg.MaxPageSize},
			{Text: text, Limit: 7},
			{Text: text, Limit: 50, Kinds: []kg.Kind{kg.University, kg.Talent}},
		} {
			t.Run(fmt.Sprintf("%s/limit=%d/kinds=%v", text, q.Limit, q.Kinds), func(t *testing.T) {
				var want []*kg.Node
				for _, n := range all {
					if kg.SearchRank(n, text) >= 0 && (len(q.Kinds) == 0 || slices.Contains(q.Kinds, n.Kind)) {
						want = append(want, n)
					}
				}
				kg.SortSearch(want, text)
				if len(want) > q.Limit {
					want = want[:q.Limit]
				}
				if got := search(t, s, q); len(got) != len(want) || (len(got) > 0 && !reflect.DeepEqual(got, nodeIDs(want))) {
					t.Errorf("Search(%q)\n got  %v\n want %v", text, got, nodeIDs(want))
				}
			})
		}
	}
}

// testSearchFollowsWrites checks that renames, alias changes and deletes
// reach the search at once.
func testSearchFollowsWrites(t *testing.T, s kg.Store) {
	mustApply(t, s, searchBatch())
	steps := []struct {
		name  string
		batch kg.Batch
		text  string
		want  []string
	}{
		{"before", kg.Batch{}, "海事", []string{"s-x1", "s-x2", "s-inc", "s-x3", "s-u1", "s-sa"}},
		{"rename drops the old name", kg.Batch{Nodes: []kg.Node{Named("s-x2", kg.Enterprise, "港口服务中心")}}, "海事", []string{"s-x1", "s-inc", "s-x3", "s-u1", "s-sa"}},
		{"rename finds the new name", kg.Batch{}, "港口", []string{"s-x2"}},
		{"alias removed", kg.Batch{Nodes: []kg.Node{Named("s-sa", kg.ServiceAgency, "大连航运咨询中心", "aliases", nil)}}, "海事咨询", nil},
		{"alias added", kg.Batch{Nodes: []kg.Node{Named("s-t", kg.Talent, "王海", "aliases", []string{"海事专家"})}}, "海事专", []string{"s-t"}},
		{"English name changed", kg.Batch{Nodes: []kg.Node{Named("s-u1", kg.University, "大连海事大学", "nameEn", "DMU")}}, "maritime", []string{"s-x4"}},
		{"other property changed", kg.Batch{Nodes: []kg.Node{Named("s-u2", kg.University, "大连理工大学", "district", "甘井子区")}}, "理工", []string{"s-u2"}},
		{"deleted", kg.Batch{DeleteNodes: []string{"s-u1"}}, "大学", []string{"s-u2"}},
		{"created", kg.Batch{Nodes: []kg.Node{Named("s-new", kg.University, "大连医科大学")}}, "大学", []string{"s-new", "s-u2"}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			mustApply(t, s, st.batch)
			if got := search(t, s, kg.SearchQuery{Text: st.text, Limit: 20}); len(got) != len(st.want) || (len(got) > 0 && !reflect.DeepEqual(got, st.want)) {
				t.Errorf("Search(%q) = %v, want %v", st.text, got, st.want)
			}
		})
	}
}

func testSearchInvalid(t *testing.T, s kg.Store) {
	mustApply(t, s, searchBatch())
	cases := []struct {
		name string
		q    kg.SearchQuery
	}{
		{"one rune", kg.SearchQuery{Text: "海", Limit: 10}},
		{"one rune with spaces", kg.SearchQuery{Text: "  海 ", Limit: 10}},
		{"one letter", kg.SearchQuery{Text: "a", Limit: 10}},
		{"empty", kg.SearchQuery{Text: "", Limit: 10}},
		{"spaces", kg.SearchQuery{Text: "   ", Limit: 10}},
		{"limit 0", kg.SearchQuery{Text: "海事"}},
		{"negative limit", kg.SearchQuery{Text: "海事", Limit: -3}},
		{"limit above the maximum", kg.SearchQuery{Text: "海事", Limit: kg.MaxPageSize + 1}},
		{"unknown kind", kg.SearchQuery{Text: "海事", Limit: 10, Kinds: []kg.Kind{"Spaceship"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			found, err := s.Search(t.Context(), c.q)
			if !errors.Is(err, kg.ErrInvalid) {
				t.Errorf("Search(%+v) = %v, %v; want an error wrapping kg.ErrInvalid", c.q, nodeIDs(found), err)
			}
		})
	}
}
