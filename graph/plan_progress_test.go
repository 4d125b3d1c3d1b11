package graph_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/innograph/innograph/analytics"
	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/seed"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/backendtest"
)

const planProgressQuery = `query($plan: ID!, $year: Int) {
  planProgress(plan: $plan, year: $year) {
    plan { id } year district
    indicators { indicator { id } number name formula unit target actual baselineYear baseline ratio expected status
      contributors(first: 500) { totalCount edges { contribution node { id } relation { id } counterpart { id } } } } } }`

const contributorsPageQuery = `query($plan: ID!, $year: Int, $after: String, $indicators: [Int!]) {
  planProgress(plan: $plan, year: $year, indicators: $indicators) {
    indicators { number actual contributors(first: 7, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { contribution node { id } } } } } }`

type progressJSON struct {
	PlanProgress struct {
		Plan       struct{ ID string }
		Year       int
		District   *string
		Indicators []indicatorJSON
	}
}

type indicatorJSON struct {
	Indicator                 struct{ ID string }
	Number                    int
	Name, Formula, Unit       string
	Target                    float64
	Actual                    *float64
	BaselineYear              *int
	Baseline, Ratio, Expected *float64
	Status                    string
	Contributors              struct {
		TotalCount int
		Edges      []struct {
			Contribution float64
			Node         struct{ ID string }
			Relation     *struct{ ID string }
			Counterpart  *struct{ ID string }
		}
	}
}

// checkContributorsAddUp checks that every indicator's contributors (all
// of them in the first page of 500) add up to its actual value.
func checkContributorsAddUp(t *testing.T, inds []indicatorJSON) {
	t.Helper()
	for _, ind := range inds {
		if ind.Actual == nil {
			t.Errorf("indicator %d has no actual value", ind.Number)
			continue
		}
		if ind.Contributors.TotalCount != len(ind.Contributors.Edges) {
			t.Fatalf("indicator %d: %d contributors, %d listed (the test wants them on one page)", ind.Number, ind.Contributors.TotalCount, len(ind.Contributors.Edges))
		}
		sum := 0.0
		for _, c := range ind.Contributors.Edges {
			sum += c.Contribution
		}
		if math.Abs(sum-*ind.Actual) > 1e-6 {
			t.Errorf("indicator %d: contributors add up to %v, actual is %v", ind.Number, sum, *ind.Actual)
		}
	}
}

// planFixture is a plan with the ten formulas over a handful of entities
// whose values are added up by hand in TestPlanProgressAPI.
func planFixture() kg.Batch {
	ent := func(id, district string, kv ...any) kg.Node {
		return node(id, kg.Enterprise, "企业"+id, append([]any{"district", district}, kv...)...)
	}
	b := kg.Batch{
		Nodes: []kg.Node{
			node("tp", kg.Plan, "测试规划", "district", "中山区", "periodStart", 2021, "periodEnd", 2025),
			ent("e1", "中山区", "highTechGranted", 2019, "highTechValidUntil", 2024, "aboveScale", true, "aboveScaleByYear", kg.Series{2020: 1, 2023: 1},
				"rdDeduction", kg.Series{2023: 5e5}, "rdInvestment", kg.Series{2020: 1e6, 2023: 3e6}, "revenue", kg.Series{2023: 2e8}),
			ent("e2", "中山区", "highTechGranted", 2021, "highTechValidUntil", 2023, "aboveScale", false, "aboveScaleByYear", kg.Series{2023: 0},
				"rdDeduction", kg.Series{2020: 1e5, 2023: 1e5}, "rdInvestment", kg.Series{2023: 9e6}, "revenue", kg.Series{2023: 5e7}),
			ent("e3", "西岗区", "highTechGranted", 2020, "highTechValidUntil", 2025, "aboveScale", true, "aboveScaleByYear", kg.Series{2023: 1},
				"rdDeduction", kg.Series{2023: 1}, "rdInvestment", kg.Series{2023: 7e6}, "revenue", kg.Series{2023: 5e8}),
			ent("e4", "中山区", "aboveScale", true, "aboveScaleByYear", kg.Series{2020: 0, 2023: 1}, "rdInvestment", kg.Series{2020: 5e5, 2023: 2e6}, "revenue", kg.Series{2023: 1e7}),
			node("pN", kg.Policy, "国家政策", "level", "NATIONAL"),
			node("pD", kg.Policy, "区级政策", "level", "DISTRICT"),
			node("inc1", kg.Incubator, "孵化器一", "district", "中山区", "level", "MUNICIPAL", "foundedYear", 2019),
			node("inc2", kg.Incubator, "孵化器二", "district", "中山区", "level", "DISTRICT", "foundedYear", 2010),
			node("inc3", kg.Incubator, "孵化器三", "district", "中山区", "level", "PROVINCIAL", "foundedYear", 2024),
			node("inc4", kg.Incubator, "孵化器四", "district", "中山区", "level", "NATIONAL"),
			node("inc5", kg.Incubator, "孵化器五", "district", "西岗区", "level", "NATIONAL", "foundedYear", 2000),
			node("mks1", kg.Makerspace, "众创空间一", "district", "中山区", "level", "MUNICIPAL", "foundedYear", 2018, "makersServed", kg.Series{2020: 100, 2023: 150}),
			node("mks2", kg.Makerspace, "众创空间二", "district", "中山区", "level", "DISTRICT", "makersServed", kg.Series{2023: 50}),
		},
		Edges: []kg.Edge{
			rel("sb1", kg.SupportedBy, "e1", "pN", "year", 2023, "status", "APPROVED"),
			rel("sb2", kg.SupportedBy, "e2", "pN", "year", 2023, "status", "REJECTED"),
			rel("sb3", kg.SupportedBy, "e1", "pD", "year", 2023, "status", "APPROVED"),
			rel("sb4", kg.SupportedBy, "e3", "pN", "year", 2023, "status", "APPROVED"),
			rel("sb5", kg.SupportedBy, "e4", "pN", "year", 2020, "status", "APPLIED"),
			rel("ib1", kg.IncubatedBy, "e1", "inc1", "since", 2021, "until", 2023),
			rel("ib2", kg.IncubatedBy, "e2", "inc1", "since", 2024),
			rel("ib3", kg.IncubatedBy, "e4", "mks1", "since", 2019),
			rel("ib4", kg.IncubatedBy, "e3", "inc1", "since", 2019),
		},
	}
	targets := []float64{2, 4, 4e6, 3, 3, 1, 1, 4, 2, 280}
	for i, f := range analytics.Formulas {
		id := fmt.Sprintf("ti-%02d", i+1)
		b.Nodes = append(b.Nodes, node(id, kg.Indicator, "指标"+id, "number", i+1, "target", targets[i], "baselineYear", 2020, "formula", f, "unit", "家"))
		b.Edges = append(b.Edges, rel("hi-"+id, kg.HasIndicator, "tp", id))
	}
	b.Nodes = append(b.Nodes, node("ti-99", kg.Indicator, "自定义指标", "number", 99, "target", 1.0, "formula", "SOMETHING_ELSE"))
	b.Edges = append(b.Edges, rel("hi-ti-99", kg.HasIndicator, "tp", "ti-99"))
	return b
}

// TestPlanProgressAPI checks the scoreboard of a small plan whose values
// are added up by hand (see planFixture), for 2023, on both backends.
func TestPlanProgressAPI(t *testing.T) {
	type want struct {
		actual, baseline float64
		status           string
		contributors     []string
	}
	// Year 2023, baseline 2020, plan ends 2025: expected = b + (t-b)·3/5.
	wants := []want{
		{2, 1, "MET", []string{"e1", "e2"}},            // high-tech valid in 2023: e1 (2019–24), e2 (2021–23); e3 is outside
		{2, 1, "BEHIND", []string{"e1", "e2"}},         // R&D deduction: expected 1+3·0.6 = 2.8
		{5e6, 1e6, "MET", []string{"e1", "e4"}},        // R&D of the year's above-scale: 3e6 + 2e6 (e2 not above scale); 2020: e1 only (e4 not yet)
		{2, 1, "BEHIND", []string{"e1", "e2"}},         // applications of 2023 (any status) to municipal+ policies by the district's enterprises; annual target 3
		{2, 0, "ON_TRACK", []string{"e1", "e2"}},       // revenue > 10M: expected 0+3·0.6 = 1.8 (e4 has exactly 10M)
		{1, 0, "MET", []string{"e1"}},                  // revenue > 100M
		{2, 2, "MET", []string{"inc1", "inc4"}},        // municipal+ incubators founded by 2023 (inc4: unknown year)
		{2, 1, "BEHIND", []string{"e1", "e4"}},         // incubations active in 2023: expected 1+3·0.6 = 2.8
		{1, 1, "BEHIND", []string{"mks1"}},             // municipal+ makerspaces: expected 1.6
		{200, 100, "BEHIND", []string{"mks1", "mks2"}}, // makers served: expected 100+180·0.6 = 208
	}
	onBothBackends(t, []kg.Batch{planFixture()}, []apiCase{
		{name: "2023", query: planProgressQuery, vars: map[string]any{"plan": "tp", "year": 2023}, check: func(t *testing.T, data []byte) {
			var out progressJSON
			decode(t, data, &out)
			p := out.PlanProgress
			if p.Year != 2023 || p.District == nil || *p.District != "中山区" || len(p.Indicators) != 11 {
				t.Fatalf("year %d district %v with %d indicators, want 2023, 中山区, 11", p.Year, p.District, len(p.Indicators))
			}
			for i, w := range wants {
				ind := p.Indicators[i]
				if ind.Number != i+1 || ind.Actual == nil || ind.Baseline == nil || *ind.Actual != w.actual || *ind.Baseline != w.baseline || ind.Status != w.status {
					t.Errorf("indicator %d (%s): actual %v baseline %v status %s; want %v, %v, %s", ind.Number, ind.Formula, deref(ind.Actual), deref(ind.Baseline), ind.Status, w.actual, w.baseline, w.status)
				}
				if ind.Ratio == nil || !closeTo(*ind.Ratio, w.actual/ind.Target) {
					t.Errorf("indicator %d: ratio %v, want %v", ind.Number, deref(ind.Ratio), w.actual/ind.Target)
				}
				checkIDs(t, fmt.Sprintf("indicator %d contributors", i+1), ids(ind.Contributors.Edges, func(c struct {
					Contribution float64
					Node         struct{ ID string }
					Relation     *struct{ ID string }
					Counterpart  *struct{ ID string }
				}) string {
					return c.Node.ID
				}), w.contributors)
			}
			if e := p.Indicators[4].Expected; e == nil || !closeTo(*e, 1.8) {
				t.Errorf("expected of indicator 5 = %v, want 1.8", deref(e))
			}
			if e := p.Indicators[3].Expected; e == nil || *e != 3 {
				t.Errorf("expected of the annual indicator 4 = %v, want its target 3", deref(e))
			}
			if c := p.Indicators[3].Contributors.Edges[0]; c.Relation == nil || c.Relation.ID != "sb1" || c.Counterpart == nil || c.Counterpart.ID != "pN" {
				t.Errorf("contributor of indicator 4 = %+v, want e1 through sb1 to pN", c)
			}
			if c := p.Indicators[2].Contributors.Edges; c[0].Contribution != 3e6 || c[1].Contribution != 2e6 {
				t.Errorf("contributions to R&D investment = %v, %v; want 3e6, 2e6 (largest first)", c[0].Contribution, c[1].Contribution)
			}
			if other := p.Indicators[10]; other.Status != "UNKNOWN" || other.Actual != nil {
				t.Errorf("an unknown formula gives %s %v, want UNKNOWN and no value", other.Status, deref(other.Actual))
			}
			checkContributorsAddUp(t, p.Indicators[:10])
		}},
		{name: "default year is the plan's last", query: planProgressQuery, vars: map[string]any{"plan": "tp"}, check: func(t *testing.T, data []byte) {
			var out progressJSON
			decode(t, data, &out)
			if out.PlanProgress.Year != 2025 {
				t.Errorf("year = %d, want 2025", out.PlanProgress.Year)
			}
			checkContributorsAddUp(t, out.PlanProgress.Indicators[:10])
		}},
		{name: "not a plan", query: planProgressQuery, vars: map[string]any{"plan": "e1"}, code: "BAD_USER_INPUT"},
		{name: "unknown plan", query: planProgressQuery, vars: map[string]any{"plan": "nope"}, code: "NOT_FOUND"},
	})
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// refIndicators computes the plan's indicators from the demo dataset
// itself, by the definitions of the plan's table: enterprises and
// carriers of the district only.
func refIndicators(d seed.Dataset, year int) map[string]float64 {
	v := map[string]float64{}
	kind, level, district := map[string]kg.Kind{}, map[string]int{}, map[string]string{}
	for _, n := range d.Nodes {
		p := n.Props
		kind[n.ID], level[n.ID], district[n.ID] = n.Kind, kg.LevelRank(p.Str("level")), p.Str("district")
		if p.Str("district") != seed.District {
			continue
		}
		founded, hasFounded := p.Int("foundedYear")
		switch n.Kind {
		case kg.Enterprise:
			g, okG := p.Int("highTechGranted")
			u, okU := p.Int("highTechValidUntil")
			if okG && okU && int(g) <= year && year <= int(u) {
				v[analytics.FormulaHighTech]++
			}
			if _, ok := p.Series("rdDeduction")[year]; ok {
				v[analytics.FormulaRDDeduction]++
			}
			if p.Series("aboveScaleByYear")[year] == 1 {
				v[analytics.FormulaRDInvestment] += p.Series("rdInvestment")[year]
			}
			if r := p.Series("revenue")[year]; r > 10_000_000 {
				v[analytics.FormulaRevenueOver10M]++
			}
			if r := p.Series("revenue")[year]; r > 100_000_000 {
				v[analytics.FormulaRevenueOver100M]++
			}
		case kg.Incubator:
			if kg.LevelRank(p.Str("level")) >= 2 && (!hasFounded || int(founded) <= year) {
				v[analytics.FormulaIncubators]++
			}
		case kg.Makerspace:
			if kg.LevelRank(p.Str("level")) >= 2 && (!hasFounded || int(founded) <= year) {
				v[analytics.FormulaMakerspaces]++
			}
			v[analytics.FormulaMakersServed] += p.Series("makersServed")[year]
		}
	}
	for _, e := range d.Edges {
		if district[e.From] != seed.District {
			continue
		}
		switch e.Type {
		case kg.SupportedBy:
			if y, _ := e.Props.Int("year"); int(y) == year && level[e.To] >= 2 {
				v[analytics.FormulaPolicyApplications]++
			}
		case kg.IncubatedBy:
			if e.Active(year) {
				v[analytics.FormulaIncubated]++
			}
		}
	}
	return v
}

// TestPlanProgressDemo checks the built-in 14th plan on the district's
// demo (scale 1) on both backends: its ten indicators with the targets of
// the plan's table, values equal to an independent computation from the
// seed data, contributors that add up to them, and pages of contributors
// that walk every one once.
func TestPlanProgressDemo(t *testing.T) {
	ds := seed.Demo(seed.Config{Scale: 1, Seed: 1})
	targets := []float64{80, 80, 80_000_000, 50, 30, 3, 1, 30, 4, 600}
	check := func(year int) func(t *testing.T, data []byte) {
		return func(t *testing.T, data []byte) {
			var out progressJSON
			decode(t, data, &out)
			p := out.PlanProgress
			if p.Plan.ID != seed.PlanID || p.Year != year || len(p.Indicators) != 10 {
				t.Fatalf("plan %s year %d with %d indicators, want %s, %d, 10", p.Plan.ID, p.Year, len(p.Indicators), seed.PlanID, year)
			}
			ref, base := refIndicators(ds, year), refIndicators(ds, seed.BaselineYear)
			for i, ind := range p.Indicators {
				f := analytics.Formulas[i]
				if ind.Number != i+1 || ind.Formula != f || ind.Target != targets[i] {
					t.Errorf("indicator %d: number %d formula %s target %v, want %s %v", i+1, ind.Number, ind.Formula, ind.Target, f, targets[i])
				}
				if ind.Actual == nil || math.Abs(*ind.Actual-ref[f]) > 1e-6 || ind.Baseline == nil || math.Abs(*ind.Baseline-base[f]) > 1e-6 {
					t.Errorf("indicator %d (%s): actual %v baseline %v, the seed data gives %v and %v", i+1, f, deref(ind.Actual), deref(ind.Baseline), ref[f], base[f])
				}
				if ind.Status == "UNKNOWN" {
					t.Errorf("indicator %d has no status", i+1)
				}
			}
			checkContributorsAddUp(t, p.Indicators)
		}
	}
	onBothBackends(t, ds.Batches(5000), []apiCase{
		{name: "2025", query: planProgressQuery, vars: map[string]any{"plan": seed.PlanID}, check: check(2025)},
		{name: "2022", query: planProgressQuery, vars: map[string]any{"plan": seed.PlanID, "year": 2022}, check: check(2022)},
	})
}

// TestContributorPages walks the contributors of every indicator of the
// demo plan page by page: each contributor once, adding up to the value.
// A cursor belongs to its indicator's list: another indicator's refuses
// it.
func TestContributorPages(t *testing.T) {
	st := backendtest.Embedded(t)
	backendtest.LoadDemo(t, st, 1)
	c := apitest.NewClient(t, server.DefaultConfig(), st)
	type page struct {
		PlanProgress struct {
			Indicators []struct {
				Number       int
				Actual       float64
				Contributors struct {
					TotalCount int
					PageInfo   struct {
						HasNextPage bool
						EndCursor   string
					}
					Edges []struct {
						Contribution float64
						Node         struct{ ID string }
					}
				}
			}
		}
	}
	for i := range 10 {
		seen := map[string]int{}
		sum, walked, after := 0.0, 0, any(nil)
		for pages := 0; ; pages++ {
			var out page
			c.MustData(contributorsPageQuery, map[string]any{"plan": seed.PlanID, "after": after, "indicators": []int{i + 1}}, &out)
			ind := out.PlanProgress.Indicators[0]
			for _, e := range ind.Contributors.Edges {
				seen[e.Node.ID]++
				sum += e.Contribution
				walked++
			}
			if !ind.Contributors.PageInfo.HasNextPage {
				if walked != ind.Contributors.TotalCount || math.Abs(sum-ind.Actual) > 1e-6 {
					t.Errorf("indicator %d: walked %d of %d contributors adding up to %v, actual %v", i+1, walked, ind.Contributors.TotalCount, sum, ind.Actual)
				}
				break
			}
			if pages > 1000 {
				t.Fatalf("indicator %d: the pages do not end", i+1)
			}
			after = ind.Contributors.PageInfo.EndCursor
			if pages == 0 {
				other := map[string]any{"plan": seed.PlanID, "after": after, "indicators": []int{(i+1)%10 + 1}}
				if r := c.Do(contributorsPageQuery, other); len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "another list or order") {
					t.Errorf("indicator %d's cursor at indicator %d: %s, want it refused as another list's (BAD_USER_INPUT)", i+1, (i+1)%10+1, r.ErrorText())
				}
			}
		}
		for id, n := range seen {
			// Relationship indicators may list one enterprise per relationship.
			if n > 1 && i != 3 && i != 7 {
				t.Errorf("indicator %d lists %s %d times", i+1, id, n)
			}
		}
	}
}

// TestPlanProgressReadsOnce: one planProgress request with every
// indicator's contributors reads each relationship projection once and
// each node formula once per year; the contributor pages of sums and
// tested counts come from what the values read.
func TestPlanProgressReadsOnce(t *testing.T) {
	st := apitest.NewCountingStore(backendtest.Embedded(t))
	backendtest.LoadDemo(t, st, 1)
	c := apitest.NewClient(t, server.DefaultConfig(), st)
	st.Reset()
	var out progressJSON
	c.MustData(planProgressQuery, map[string]any{"plan": seed.PlanID}, &out)
	checkContributorsAddUp(t, out.PlanProgress.Indicators)
	// Four plain counts: the year, the baseline and the contributors'
	// page; two sums and two tested counts: the year and the baseline
	// (one page each at the district's scale).
	want := map[string]int{"Project": 2, "FindNodes": 4*3 + 4*2}
	for method, n := range want {
		if got := st.Calls()[method]; got != n {
			t.Errorf("%d %s calls, want %d (all calls: %v)", got, method, n, st.Calls())
		}
	}
}
