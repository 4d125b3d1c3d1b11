package crosstest_test

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/analytics"
	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/store/backendtest"
)

// stored is everything a store holds, read through ScanNodes and
// ScanEdges: the ground truth the planners' answers are checked against.
type stored struct {
	nodes map[string]*kg.Node
	edges []*kg.Edge
}

func readStored(t *testing.T, st kg.Store) stored {
	t.Helper()
	ctx := context.Background()
	g := stored{nodes: map[string]*kg.Node{}}
	for q := (kg.NodeScan{First: kg.MaxPageSize}); ; {
		p, err := st.ScanNodes(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range p.Nodes {
			g.nodes[n.ID] = n
		}
		if !p.HasNextPage {
			break
		}
		q.After = p.EndCursor
	}
	for q := (kg.EdgeScan{First: kg.MaxPageSize}); ; {
		p, err := st.ScanEdges(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		g.edges = append(g.edges, p.Edges...)
		if !p.HasNextPage {
			break
		}
		q.After = p.EndCursor
	}
	return g
}

// of returns the edges of type typ that pass keep.
func (g stored) of(typ kg.RelType, keep func(*kg.Edge) bool) []*kg.Edge {
	var out []*kg.Edge
	for _, e := range g.edges {
		if e.Type == typ && (keep == nil || keep(e)) {
			out = append(out, e)
		}
	}
	return out
}

// kind returns the nodes of kind k, by id.
func (g stored) kind(k kg.Kind) []*kg.Node {
	var out []*kg.Node
	for _, n := range g.nodes {
		if n.Kind == k {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b *kg.Node) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// busiest returns the node with the most edges of typ at the given end
// (From when from), the smallest id on ties.
func (g stored) busiest(typ kg.RelType, from bool) string {
	n := map[string]int{}
	for _, e := range g.of(typ, nil) {
		if from {
			n[e.From]++
		} else {
			n[e.To]++
		}
	}
	best, bestN := "", 0
	for id, c := range n {
		if c > bestN || (c == bestN && id < best) {
			best, bestN = id, c
		}
	}
	return best
}

// sortedSet returns the distinct strings of ids, sorted.
func sortedSet(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

// ends returns the From (from) or To ends of edges, distinct and sorted.
func ends(es []*kg.Edge, from bool) []string {
	var ids []string
	for _, e := range es {
		if from {
			ids = append(ids, e.From)
		} else {
			ids = append(ids, e.To)
		}
	}
	return sortedSet(ids)
}

// byOtherEnd orders the edges of one node as relationship fields do by
// default: by the id of the other end, then the edge's id.
func byOtherEnd(es []*kg.Edge, other func(*kg.Edge) string) []string {
	es = slices.Clone(es)
	slices.SortFunc(es, func(a, b *kg.Edge) int {
		return cmp.Or(strings.Compare(other(a), other(b)), strings.Compare(a.ID, b.ID))
	})
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	return ids
}

func levelAtLeast(n *kg.Node, l string) bool {
	return n != nil && kg.LevelRank(n.Props.Str("level")) >= kg.LevelRank(l)
}

type idList struct {
	TotalCount int
	Edges      []struct{ Node struct{ ID string } }
}

func (l idList) ids() []string {
	out := []string{}
	for _, e := range l.Edges {
		out = append(out, e.Node.ID)
	}
	return out
}

type relList struct {
	TotalCount int
	NodeCount  int
	Edges      []struct{ Relation struct{ ID string } }
}

func (l relList) ids() []string {
	out := []string{}
	for _, e := range l.Edges {
		out = append(out, e.Relation.ID)
	}
	return out
}

func sameIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got  %d %v\n want %d %v", what, len(got), got, len(want), want)
	}
}

// TestPlannersQuestions asks, on both backends, the questions planners
// used to answer with joins, filters and rankings of their own, each in
// one query, and checks every answer against a computation over what the
// store holds (every node and relationship read back through the store).
func TestPlannersQuestions(t *testing.T) {
	for _, b := range backendtest.All() {
		t.Run(b.Name, func(t *testing.T) {
			st := b.Open(t) // Neo4j skips loudly without a server (fails with CI=true)
			backendtest.Load(t, st, demo().Batches(5000))
			g := readStored(t, st)
			c := apitest.NewClient(t, serverConfig(), st)
			t.Run("incubation", func(t *testing.T) { testIncubation(t, c, g) })
			t.Run("yearly-values", func(t *testing.T) { testYearlyValues(t, c, g) })
			t.Run("services", func(t *testing.T) { testServices(t, c, g) })
			t.Run("policy-support", func(t *testing.T) { testPolicySupport(t, c, g) })
			t.Run("plan-scoreboard", func(t *testing.T) { testScoreboard(t, c, g) })
			t.Run("order", func(t *testing.T) { testOrder(t, c, g) })
			t.Run("bad-arguments", func(t *testing.T) { testBadArguments(t, c, g) })
			t.Run("cursors", func(t *testing.T) { testCursors(t, c, g) })
		})
	}
}

func testIncubation(t *testing.T, c *apitest.Client, g stored) {
	inc := g.busiest(kg.IncubatedBy, false)
	mks := g.kind(kg.Makerspace)
	if inc == "" || len(mks) == 0 {
		t.Fatal("the demo has no incubations or no makerspaces")
	}
	mk := mks[0].ID
	// heldIn reports whether e holds in some year of from..to, year by year.
	heldIn := func(e *kg.Edge, from, to int) bool {
		for y := from; y <= to; y++ {
			if e.Active(y) {
				return true
			}
		}
		return false
	}
	graduatedBy := func(e *kg.Edge, to int) bool { y, ok := e.Props.Int("graduated"); return ok && int(y) <= to }
	tests := []struct {
		name, filter string
		keep         func(*kg.Edge) bool
	}{
		{"by one incubator", fmt.Sprintf(`{by: [%q]}`, inc), func(e *kg.Edge) bool { return e.To == inc }},
		{"by two carriers", fmt.Sprintf(`{by: [%q, %q]}`, inc, mk), func(e *kg.Edge) bool { return e.To == inc || e.To == mk }},
		{"by any carrier", `{}`, nil},
		{"graduated", `{graduated: true}`, func(e *kg.Edge) bool { return graduatedBy(e, math.MaxInt) }},
		{"not graduated", `{graduated: false}`, func(e *kg.Edge) bool { return !graduatedBy(e, math.MaxInt) }},
		{"in 2022..2024, not graduated by 2024", `{from: 2022, to: 2024, graduated: false}`,
			func(e *kg.Edge) bool { return heldIn(e, 2022, 2024) && !graduatedBy(e, 2024) }},
		{"in 2019..2021, graduated by 2021", `{from: 2019, to: 2021, graduated: true}`,
			func(e *kg.Edge) bool { return heldIn(e, 2019, 2021) && graduatedBy(e, 2021) }},
		{"by the incubator in 2023", fmt.Sprintf(`{by: [%q], from: 2023, to: 2023}`, inc),
			func(e *kg.Edge) bool { return e.To == inc && e.Active(2023) }},
		{"from 2025", `{from: 2025}`, func(e *kg.Edge) bool { return heldIn(e, 2025, 2200) }},
		{"to 2016", `{to: 2016}`, func(e *kg.Edge) bool { return heldIn(e, 1900, 2016) }},
	}
	nonEmpty := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out struct{ Enterprises idList }
			c.MustData(fmt.Sprintf(`{ enterprises(first: 500, filter: {incubated: %s}) { totalCount edges { node { id } } } }`, tt.filter), nil, &out)
			want := ends(g.of(kg.IncubatedBy, tt.keep), true)
			sameIDs(t, "enterprises", out.Enterprises.ids(), want)
			if out.Enterprises.TotalCount != len(want) {
				t.Errorf("totalCount %d, want %d", out.Enterprises.TotalCount, len(want))
			}
			if len(want) > 0 {
				nonEmpty++
			}
		})
	}
	if nonEmpty < len(tests)-2 {
		t.Errorf("only %d of %d cases select any enterprise: the cases no longer test much", nonEmpty, len(tests))
	}
}

func testYearlyValues(t *testing.T, c *apitest.Client, g stored) {
	tests := []struct {
		prop string
		year int
	}{{"revenue", 2024}, {"employees", 2020}, {"rdDeduction", 2023}, {"rdInvestment", 2021}}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.prop, tt.year), func(t *testing.T) {
			var out struct{ Enterprises idList }
			c.MustData(fmt.Sprintf(`{ enterprises(first: 500, filter: {%s: {year: %d}}) { totalCount edges { node { id } } } }`, tt.prop, tt.year), nil, &out)
			var want []string
			all := g.kind(kg.Enterprise)
			for _, n := range all {
				if _, ok := n.Props.Series(tt.prop)[tt.year]; ok {
					want = append(want, n.ID)
				}
			}
			sameIDs(t, "enterprises with a value", out.Enterprises.ids(), want)
			if len(want) == 0 || len(want) == len(all) {
				t.Errorf("%d of %d enterprises have a %s in %d: the case tests nothing", len(want), len(all), tt.prop, tt.year)
			}
		})
	}
}

func testServices(t *testing.T, c *apitest.Client, g stored) {
	// Every agency: its services, and the distinct enterprises served.
	var all struct {
		ServiceAgencies struct {
			Edges []struct {
				Node struct {
					ID     string
					Served relList
					Y2023  relList
				}
			}
		}
	}
	c.MustData(`{ serviceAgencies(first: 500) { edges { node { id
  served(first: 0) { totalCount nodeCount }
  y2023: served(year: 2023, category: [IP, CONSULTING, FINANCE], first: 500) { totalCount nodeCount edges { relation { id } } } } } } }`, nil, &all)
	agencies := g.kind(kg.ServiceAgency)
	if len(all.ServiceAgencies.Edges) != len(agencies) {
		t.Fatalf("%d agencies answered, %d stored", len(all.ServiceAgencies.Edges), len(agencies))
	}
	distinctLess := false
	for _, a := range all.ServiceAgencies.Edges {
		a := a.Node
		served := g.of(kg.Serves, func(e *kg.Edge) bool { return e.From == a.ID })
		if a.Served.TotalCount != len(served) || a.Served.NodeCount != len(ends(served, false)) {
			t.Errorf("%s: served totalCount %d nodeCount %d, want %d and %d", a.ID, a.Served.TotalCount, a.Served.NodeCount, len(served), len(ends(served, false)))
		}
		distinctLess = distinctLess || a.Served.NodeCount < a.Served.TotalCount
		sel := g.of(kg.Serves, func(e *kg.Edge) bool {
			y, _ := e.Props.Int("year")
			cat := e.Props.Str("category")
			return e.From == a.ID && y == 2023 && (cat == "IP" || cat == "CONSULTING" || cat == "FINANCE")
		})
		sameIDs(t, a.ID+": served in 2023 in IP, CONSULTING, FINANCE", a.Y2023.ids(), byOtherEnd(sel, func(e *kg.Edge) string { return e.To }))
		if a.Y2023.NodeCount != len(ends(sel, false)) {
			t.Errorf("%s: served in 2023 nodeCount %d, want %d", a.ID, a.Y2023.NodeCount, len(ends(sel, false)))
		}
	}
	if !distinctLess {
		t.Error("no agency served an enterprise twice: nodeCount is not tested against totalCount")
	}

	// Agencies by the enterprises they served in a year, most first.
	for _, year := range []int{2021, 2024} {
		served := map[string][]string{}
		for _, e := range g.of(kg.Serves, func(e *kg.Edge) bool { y, _ := e.Props.Int("year"); return int(y) == year }) {
			served[e.From] = append(served[e.From], e.To)
		}
		want := make([]string, len(agencies))
		for i, a := range agencies {
			want[i] = a.ID
		}
		count := func(id string) int { return len(sortedSet(served[id])) }
		slices.SortStableFunc(want, func(a, b string) int { return cmp.Or(cmp.Compare(count(b), count(a)), strings.Compare(a, b)) })
		var out struct{ ServiceAgencies idList }
		c.MustData(fmt.Sprintf(`{ serviceAgencies(first: 500, orderBy: [{field: ENTERPRISES_SERVED, year: %d, direction: DESC}]) { totalCount edges { node { id } } } }`, year), nil, &out)
		sameIDs(t, fmt.Sprintf("agencies by enterprises served in %d", year), out.ServiceAgencies.ids(), want)
		if count(want[0]) < 2 {
			t.Errorf("the first agency served %d enterprises in %d: the ranking tests little", count(want[0]), year)
		}
	}
}

func testPolicySupport(t *testing.T, c *apitest.Client, g stored) {
	pol := g.busiest(kg.SupportedBy, false)
	var years []int
	for _, e := range g.of(kg.SupportedBy, func(e *kg.Edge) bool { return e.To == pol }) {
		y, _ := e.Props.Int("year")
		years = append(years, int(y))
	}
	slices.Sort(years)
	year := years[len(years)/2]
	var one struct {
		Node struct{ Approved, Applied relList }
	}
	c.MustData(fmt.Sprintf(`{ node(id: %q) { ... on Policy {
  approved: beneficiaries(status: [APPROVED], year: %d, first: 500) { totalCount nodeCount edges { relation { id } } }
  applied: beneficiaries(status: [APPLIED, REJECTED], first: 500) { totalCount nodeCount edges { relation { id } } } } } }`, pol, year), nil, &one)
	from := func(e *kg.Edge) string { return e.From }
	approved := g.of(kg.SupportedBy, func(e *kg.Edge) bool {
		y, _ := e.Props.Int("year")
		return e.To == pol && int(y) == year && e.Props.Str("status") == "APPROVED"
	})
	sameIDs(t, fmt.Sprintf("%s: approved in %d", pol, year), one.Node.Approved.ids(), byOtherEnd(approved, from))
	if len(approved) == 0 {
		t.Errorf("%s approved nothing in %d: the case tests little", pol, year)
	}
	applied := g.of(kg.SupportedBy, func(e *kg.Edge) bool {
		s := e.Props.Str("status")
		return e.To == pol && (s == "APPLIED" || s == "REJECTED")
	})
	sameIDs(t, pol+": applied or rejected", one.Node.Applied.ids(), byOtherEnd(applied, from))
	if one.Node.Applied.NodeCount != len(ends(applied, true)) {
		t.Errorf("%s: nodeCount %d, want %d", pol, one.Node.Applied.NodeCount, len(ends(applied, true)))
	}

	// Every enterprise's applications to municipal-or-higher policies.
	var all struct {
		Enterprises struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ID       string
					Policies relList
				}
			}
		}
	}
	c.MustData(`{ enterprises(first: 500) { totalCount edges { node { id
  policies(levelAtLeast: MUNICIPAL, status: [APPLIED, APPROVED], first: 500) { totalCount nodeCount edges { relation { id } } } } } } }`, nil, &all)
	if all.Enterprises.TotalCount > 500 {
		t.Fatalf("%d enterprises: the test reads only 500", all.Enterprises.TotalCount)
	}
	lower, kept := 0, 0
	for _, e := range all.Enterprises.Edges {
		id := e.Node.ID
		want := g.of(kg.SupportedBy, func(r *kg.Edge) bool {
			s := r.Props.Str("status")
			ok := r.From == id && (s == "APPLIED" || s == "APPROVED")
			if ok && !levelAtLeast(g.nodes[r.To], "MUNICIPAL") {
				lower++
				return false
			}
			return ok
		})
		kept += len(want)
		sameIDs(t, id+": municipal-or-higher applications", e.Node.Policies.ids(), byOtherEnd(want, func(r *kg.Edge) string { return r.To }))
		if e.Node.Policies.TotalCount != len(want) {
			t.Errorf("%s: totalCount %d, want %d", id, e.Node.Policies.TotalCount, len(want))
		}
	}
	if lower == 0 || kept == 0 {
		t.Errorf("%d applications kept, %d to district policies left out: the level filter is not tested", kept, lower)
	}
}

func testScoreboard(t *testing.T, c *apitest.Client, g stored) {
	plans := g.kind(kg.Plan)
	if len(plans) == 0 {
		t.Fatal("no plan stored")
	}
	plan := plans[0]
	district := plan.Props.Str("district")
	byFormula := map[string]*kg.Node{}
	for _, e := range g.of(kg.HasIndicator, func(e *kg.Edge) bool { return e.From == plan.ID }) {
		n := g.nodes[e.To]
		byFormula[n.Props.Str("formula")] = n
	}
	inDistrict := func(id string) bool { return district == "" || g.nodes[id].Props.Str("district") == district }
	// The two relationship indicators, computed from the relationships.
	compute := map[string]func(year int) float64{
		analytics.FormulaPolicyApplications: func(year int) float64 {
			return float64(len(g.of(kg.SupportedBy, func(e *kg.Edge) bool {
				y, _ := e.Props.Int("year")
				return int(y) == year && levelAtLeast(g.nodes[e.To], "MUNICIPAL") && inDistrict(e.From)
			})))
		},
		analytics.FormulaIncubated: func(year int) float64 {
			return float64(len(g.of(kg.IncubatedBy, func(e *kg.Edge) bool { return e.Active(year) && inDistrict(e.From) })))
		},
	}
	var numbers []int
	for f := range compute {
		n, ok := byFormula[f].Props.Int("number")
		if !ok {
			t.Fatalf("the plan has no indicator of formula %s", f)
		}
		numbers = append(numbers, int(n))
	}
	slices.Sort(numbers)
	numbers = []int{numbers[1], numbers[0]} // asked out of order
	const year = 2024
	var out struct {
		PlanProgress struct {
			Indicators []struct {
				Number                                         int
				Text, Formula                                  *string
				Actual, Baseline, Target, Ratio, BaselineRatio *float64
				BaselineYear                                   *int
			}
		}
	}
	c.MustData(fmt.Sprintf(`{ planProgress(plan: %q, year: %d, indicators: [%d, %d]) { indicators {
  number text formula actual baseline baselineYear target ratio baselineRatio } } }`, plan.ID, year, numbers[0], numbers[1]), nil, &out)
	got := out.PlanProgress.Indicators
	if len(got) != 2 || got[0].Number != numbers[1] || got[1].Number != numbers[0] {
		t.Fatalf("indicators %+v, want numbers %d and %d in the plan's order", got, numbers[1], numbers[0])
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
	for _, ip := range got {
		f := *ip.Formula
		ind := byFormula[f]
		if ip.Text == nil || *ip.Text != ind.Props.Str("text") || *ip.Text == "" {
			t.Errorf("indicator %d: text %v, want %q", ip.Number, ip.Text, ind.Props.Str("text"))
		}
		if want := compute[f](year); ip.Actual == nil || *ip.Actual != want {
			t.Errorf("indicator %d: actual %v, want %v", ip.Number, ip.Actual, want)
		}
		by, _ := ind.Props.Int("baselineYear")
		if want := compute[f](int(by)); ip.Baseline == nil || *ip.Baseline != want {
			t.Errorf("indicator %d: baseline %v, want %v (in %d)", ip.Number, ip.Baseline, want, by)
		}
		target, _ := ind.Props.Float("target")
		if ip.Ratio == nil || !near(*ip.Ratio, *ip.Actual/target) {
			t.Errorf("indicator %d: ratio %v, want %v", ip.Number, ip.Ratio, *ip.Actual/target)
		}
		switch {
		case ip.Baseline == nil || *ip.Baseline == 0:
			if ip.BaselineRatio != nil {
				t.Errorf("indicator %d: baselineRatio %v without a baseline", ip.Number, *ip.BaselineRatio)
			}
		case ip.BaselineRatio == nil || !near(*ip.BaselineRatio, *ip.Actual / *ip.Baseline):
			t.Errorf("indicator %d: baselineRatio %v, want %v", ip.Number, ip.BaselineRatio, *ip.Actual / *ip.Baseline)
		}
	}
}

func testOrder(t *testing.T, c *apitest.Client, g stored) {
	// sortNodes orders nodes by one key (a missing value last ascending,
	// first descending), then id.
	sortNodes := func(ns []*kg.Node, val func(*kg.Node) (float64, bool), desc bool) []string {
		ns = slices.Clone(ns)
		slices.SortStableFunc(ns, func(a, b *kg.Node) int {
			va, okA := val(a)
			vb, okB := val(b)
			var c int
			switch {
			case okA && okB:
				c = cmp.Compare(va, vb)
			case okA:
				c = -1
			case okB:
				c = 1
			}
			if desc {
				c = -c
			}
			return cmp.Or(c, strings.Compare(a.ID, b.ID))
		})
		ids := make([]string, len(ns))
		for i, n := range ns {
			ids[i] = n.ID
		}
		return ids
	}
	prop := func(name string) func(*kg.Node) (float64, bool) {
		return func(n *kg.Node) (float64, bool) { return n.Props.Float(name) }
	}
	// level is a level's rank, written out: the order planners read.
	level := func(n *kg.Node) (float64, bool) {
		r, ok := map[string]float64{"DISTRICT": 1, "MUNICIPAL": 2, "PROVINCIAL": 3, "NATIONAL": 4}[n.Props.Str("level")]
		return r, ok
	}
	tests := []struct {
		list, order string
		kind        kg.Kind
		val         func(*kg.Node) (float64, bool)
		desc        bool
	}{
		{"incubators", `{field: AREA, direction: DESC}`, kg.Incubator, prop("area"), true},
		{"incubators", `{field: FOUNDED_YEAR}`, kg.Incubator, prop("foundedYear"), false},
		{"makerspaces", `{field: MAKERS_SERVED, year: 2023, direction: DESC}`, kg.Makerspace,
			func(n *kg.Node) (float64, bool) { v, ok := n.Props.Series("makersServed")[2023]; return v, ok }, true},
		{"universities", `{field: FOUNDED_YEAR, direction: DESC}`, kg.University, prop("foundedYear"), true},
		{"policies", `{field: YEAR}`, kg.Policy, prop("year"), false},
		{"plans", `{field: PERIOD_END, direction: DESC}`, kg.Plan, prop("periodEnd"), true},
		{"indicators", `{field: TARGET, direction: DESC}`, kg.Indicator, prop("target"), true},
		{"indicators", `{field: NUMBER}`, kg.Indicator, prop("number"), false},
		{"incubators", `{field: LEVEL, direction: DESC}`, kg.Incubator, level, true},
		{"makerspaces", `{field: LEVEL}`, kg.Makerspace, level, false},
		{"serviceAgencies", `{field: LEVEL, direction: DESC}`, kg.ServiceAgency, level, true},
		{"policies", `{field: LEVEL}`, kg.Policy, level, false},
		{"industries", `{field: POSITION, direction: DESC}`, kg.Industry, func(n *kg.Node) (float64, bool) {
			r, ok := map[string]float64{"UPSTREAM": 1, "MIDSTREAM": 2, "DOWNSTREAM": 3}[n.Props.Str("position")]
			return r, ok
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.list+" "+tt.order, func(t *testing.T) {
			var out map[string]idList
			c.MustData(fmt.Sprintf(`{ %s(first: 500, orderBy: [%s]) { totalCount edges { node { id } } } }`, tt.list, tt.order), nil, &out)
			sameIDs(t, tt.list, out[tt.list].ids(), sortNodes(g.kind(tt.kind), tt.val, tt.desc))
		})
	}

	// Relationships: an enterprise's suppliers by value, its policies by
	// year (latest first) then amount.
	ent := g.busiest(kg.SupportedBy, true)
	sup := g.busiest(kg.Supplies, false)
	var out struct {
		A struct{ Policies relList }
		B struct{ Suppliers relList }
	}
	c.MustData(fmt.Sprintf(`{ a: node(id: %q) { ... on Enterprise { policies(first: 500, orderBy: [{field: YEAR, direction: DESC}, {field: AMOUNT}]) { edges { relation { id } } } } }
  b: node(id: %q) { ... on Enterprise { suppliers(first: 500, orderBy: [{field: VALUE, direction: DESC}]) { edges { relation { id } } } } } }`, ent, sup), nil, &out)
	sortEdges := func(es []*kg.Edge, keys []func(*kg.Edge) (float64, bool), desc []bool, other func(*kg.Edge) string) []string {
		es = slices.Clone(es)
		slices.SortFunc(es, func(a, b *kg.Edge) int {
			for i, key := range keys {
				va, okA := key(a)
				vb, okB := key(b)
				var c int
				switch {
				case okA && okB:
					c = cmp.Compare(va, vb)
				case okA:
					c = -1
				case okB:
					c = 1
				}
				if desc[i] {
					c = -c
				}
				if c != 0 {
					return c
				}
			}
			return cmp.Or(strings.Compare(other(a), other(b)), strings.Compare(a.ID, b.ID))
		})
		ids := make([]string, len(es))
		for i, e := range es {
			ids[i] = e.ID
		}
		return ids
	}
	eprop := func(name string) func(*kg.Edge) (float64, bool) {
		return func(e *kg.Edge) (float64, bool) { return e.Props.Float(name) }
	}
	pols := g.of(kg.SupportedBy, func(e *kg.Edge) bool { return e.From == ent })
	sameIDs(t, ent+": policies by year, then amount", out.A.Policies.ids(),
		sortEdges(pols, []func(*kg.Edge) (float64, bool){eprop("year"), eprop("amount")}, []bool{true, false}, func(e *kg.Edge) string { return e.To }))
	sups := g.of(kg.Supplies, func(e *kg.Edge) bool { return e.To == sup })
	sameIDs(t, sup+": suppliers by value", out.B.Suppliers.ids(),
		sortEdges(sups, []func(*kg.Edge) (float64, bool){eprop("value")}, []bool{true}, func(e *kg.Edge) string { return e.From }))
}

func testBadArguments(t *testing.T, c *apitest.Client, g stored) {
	ent := g.kind(kg.Enterprise)[0].ID
	plan := g.kind(kg.Plan)[0].ID
	unknown := 1
	for _, n := range g.kind(kg.Indicator) {
		if v, ok := n.Props.Int("number"); ok && int(v) >= unknown {
			unknown = int(v) + 1
		}
	}
	agency := g.kind(kg.ServiceAgency)[0].ID
	tests := []struct{ name, query, want string }{
		{"unknown carrier", `{ enterprises(filter: {incubated: {by: ["no-such-carrier"]}}) { totalCount } }`,
			`filter.incubated.by: no incubator or makerspace with id "no-such-carrier"`},
		{"not a carrier", fmt.Sprintf(`{ enterprises(filter: {incubated: {by: [%q]}}) { totalCount } }`, ent),
			fmt.Sprintf(`filter.incubated.by: %q is a node of kind Enterprise, not an incubator or makerspace`, ent)},
		{"reversed years", `{ enterprises(filter: {incubated: {from: 2024, to: 2021}}) { totalCount } }`,
			`filter.incubated: from 2024 is after to 2021`},
		{"unknown indicator", fmt.Sprintf(`{ planProgress(plan: %q, indicators: [%d]) { year } }`, plan, unknown),
			fmt.Sprintf(`no indicator number %d (the plan's numbers: `, unknown)},
		{"served without a year", `{ serviceAgencies(orderBy: [{field: ENTERPRISES_SERVED}]) { totalCount } }`,
			`ordering by ENTERPRISES_SERVED needs a year`},
		{"negative service year", fmt.Sprintf(`{ node(id: %q) { ... on ServiceAgency { served(year: -1) { totalCount } } } }`, agency),
			`year -1 is negative`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Do(tt.query, nil)
			if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Message, tt.want) || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
				t.Errorf("errors %s, want one BAD_USER_INPUT with %q", r.ErrorText(), tt.want)
			}
		})
	}
}

// testCursors checks the cursors of keyset paging through the API: a
// relationship cursor read from a planned field is taken by the same
// field read through the loaders, and every cursor that does not belong
// to the list it is given to is refused with a BAD_USER_INPUT error that
// says why: a positional cursor of an earlier version, one of another
// list, kind or order, and one this server did not issue.
func testCursors(t *testing.T, c *apitest.Client, g stored) {
	sup := g.busiest(kg.Supplies, false)
	var out struct {
		Enterprises, ByName struct {
			PageInfo struct{ EndCursor string }
		}
		ServiceAgencies struct {
			PageInfo struct{ EndCursor string }
		}
		Node struct {
			Planned, Ordered struct {
				PageInfo struct{ EndCursor string }
				Edges    []struct{ Relation struct{ ID string } }
			}
			All struct {
				Edges []struct{ Relation struct{ ID string } }
			}
		}
	}
	c.MustData(fmt.Sprintf(`{ enterprises(first: 2) { pageInfo { endCursor } }
  byName: enterprises(first: 2, orderBy: [{field: NAME}]) { pageInfo { endCursor } }
  serviceAgencies(first: 2, orderBy: [{field: LEVEL}]) { pageInfo { endCursor } }
  node(id: %q) { ... on Enterprise {
    planned: suppliers(first: 1) { pageInfo { endCursor } edges { relation { id } } }
    ordered: suppliers(first: 1, orderBy: [{field: NAME}]) { pageInfo { endCursor } edges { relation { id } } }
    all: suppliers(first: 3) { edges { relation { id } } } } } }`, sup), nil, &out)
	if len(out.Node.All.Edges) < 2 {
		t.Fatalf("%s has fewer than 2 suppliers", sup)
	}

	// A cursor of the planned field, given to the field read through the
	// loaders (nodeCount is not planned): the next relationship.
	var next struct {
		Node struct {
			Suppliers struct {
				Edges []struct{ Relation struct{ ID string } }
			}
		}
	}
	c.MustData(fmt.Sprintf(`{ node(id: %q) { ... on Enterprise { suppliers(first: 1, after: %q) { nodeCount edges { relation { id } } } } } }`,
		sup, out.Node.Planned.PageInfo.EndCursor), nil, &next)
	if e := next.Node.Suppliers.Edges; len(e) != 1 || e[0].Relation.ID != out.Node.All.Edges[1].Relation.ID {
		t.Errorf("the page after the first supplier, read through the loaders: %+v, want %s", e, out.Node.All.Edges[1].Relation.ID)
	}

	positional := base64.RawURLEncoding.EncodeToString([]byte("o:3"))
	const (
		other    = "was issued by another list or order"
		old      = "is a positional cursor of an earlier version, which is no longer accepted: lists now page by key; restart from the first page"
		notIssue = "is not one this server issued"
	)
	tests := []struct{ name, query, want string }{
		{"positional, at a list", fmt.Sprintf(`{ enterprises(after: %q) { totalCount } }`, positional), old},
		{"positional, at a relationship field", fmt.Sprintf(`{ node(id: %q) { ... on Enterprise { suppliers(after: %q) { totalCount } } } }`, sup, positional), old},
		{"positional, at a ranked list", fmt.Sprintf(`{ serviceAgencies(after: %q, orderBy: [{field: LEVEL}]) { totalCount } }`, positional), old},
		{"another kind's", fmt.Sprintf(`{ talents(after: %q) { totalCount } }`, out.Enterprises.PageInfo.EndCursor), other},
		{"another order's", fmt.Sprintf(`{ enterprises(after: %q, orderBy: [{field: FOUNDED_YEAR}]) { totalCount } }`, out.ByName.PageInfo.EndCursor), other},
		{"a ranked order's, at a plain order", fmt.Sprintf(`{ serviceAgencies(after: %q, orderBy: [{field: NAME}]) { totalCount } }`, out.ServiceAgencies.PageInfo.EndCursor), other},
		{"a list's, at a relationship field", fmt.Sprintf(`{ node(id: %q) { ... on Enterprise { suppliers(after: %q) { totalCount } } } }`, sup, out.Enterprises.PageInfo.EndCursor), other},
		{"suppliers', at customers", fmt.Sprintf(`{ node(id: %q) { ... on Enterprise { customers(after: %q) { totalCount } } } }`, sup, out.Node.Planned.PageInfo.EndCursor), other},
		{"an unordered field's, at an ordered one", fmt.Sprintf(`{ node(id: %q) { ... on Enterprise { suppliers(after: %q, orderBy: [{field: NAME}]) { totalCount } } } }`, sup, out.Node.Planned.PageInfo.EndCursor), other},
		{"an ordered field's, at the unordered one", fmt.Sprintf(`{ node(id: %q) { ... on Enterprise { suppliers(after: %q) { totalCount } } } }`, sup, out.Node.Ordered.PageInfo.EndCursor), other},
		{"not issued", `{ enterprises(after: "nope") { totalCount } }`, notIssue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.Do(tt.query, nil)
			if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Message, tt.want) || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
				t.Errorf("errors %s, want one BAD_USER_INPUT with %q", r.ErrorText(), tt.want)
			}
		})
	}
}

// TestRelationshipFieldCalls counts the store calls of relationship
// fields with and without filters, orders and nodeCount: plain and
// filtered fields are planned into the root's one Fetch; ordered ones and
// those whose nodeCount is read are read through the loaders, one batched
// Neighbors per level, however many nodes. A list ranked by a derived key
// reads its nodes, then the page.
func TestRelationshipFieldCalls(t *testing.T) {
	st := backendtest.Embedded(t)
	backendtest.Load(t, st, demo().Batches(5000))
	cs := apitest.NewCountingStore(st)
	cfg := serverConfig()
	cfg.LoaderWait = 50 * time.Millisecond // batch on slow machines too
	c := apitest.NewClient(t, cfg, cs)
	tests := []struct {
		name, query string
		want        map[string]int
	}{
		{"plain", `{ serviceAgencies(first: 50) { edges { node { id served(first: 3) { totalCount edges { node { id } } } } } } }`,
			map[string]int{"Fetch": 1}},
		{"filtered", `{ serviceAgencies(first: 50) { edges { node { id served(year: 2023, category: [IP]) { totalCount edges { node { id } } } } } } }`,
			map[string]int{"Fetch": 1}},
		{"filtered by the far node", `{ enterprises(first: 50) { edges { node { id policies(levelAtLeast: MUNICIPAL, status: [APPROVED]) { totalCount } } } } }`,
			map[string]int{"Fetch": 1}},
		{"ordered", `{ policies(first: 50) { edges { node { id beneficiaries(orderBy: [{field: YEAR}]) { totalCount } } } } }`,
			map[string]int{"Fetch": 1, "Neighbors": 1}},
		{"nodeCount", `{ enterprises(first: 50) { edges { node { id policies { nodeCount } suppliers(first: 2) { totalCount } } } } }`,
			map[string]int{"Fetch": 1, "Neighbors": 1}},
		{"filtered below planned", `{ enterprises(first: 50) { edges { node { id servingAgencies(first: 2) { edges { node { id
  ... on ServiceAgency { served(category: [IP]) { nodeCount } } } } } } } } }`, map[string]int{"Fetch": 1, "Neighbors": 1}},
		{"ranked", `{ serviceAgencies(first: 5, orderBy: [{field: ENTERPRISES_SERVED, year: 2023, direction: DESC}]) { edges { node { id served(first: 2) { totalCount } } } } }`,
			map[string]int{"FindNodes": 1, "Neighbors": 1, "Fetch": 1}},
		{"incubated", `{ enterprises(filter: {incubated: {graduated: true}}) { edges { node { id } } } }`,
			map[string]int{"ScanEdges": 1, "Fetch": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs.Reset()
			if r := c.Do(tt.query, nil); len(r.Errors) > 0 {
				t.Fatal(r.ErrorText())
			}
			if got := cs.Calls(); !maps.Equal(got, tt.want) {
				t.Errorf("store calls %v, want %v", got, tt.want)
			}
		})
	}
}
