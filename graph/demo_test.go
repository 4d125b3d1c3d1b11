package graph_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/seed"
)

// The queries of TestDemoCredible, each read back through the API.
const (
	demoEnterprisesQuery = `{ enterprises(first: 500, filter: {district: "中山区"}) { totalCount edges { node { id
  figures { year revenue rdDeduction aboveScale }
  policies(first: 100) { totalCount edges { relation { year status amount } node { id ... on Policy { type level } } } } } } } }`
	demoPeopleQuery = `{
  universities(first: 100) { totalCount edges { node { id
    collaborators(first: 500) { totalCount edges { node { id kind } } }
    technologyTransfers(first: 500) { totalCount edges { node { id } } } } } }
  talents(first: 500) { totalCount edges { node { id
    employers(first: 50) { totalCount edges { node { id kind } } }
    founded(first: 50) { totalCount edges { node { id } } }
    almaMater(first: 50) { totalCount edges { node { id } } } } } } }`
	demoAboveScaleQuery = `{
  y2020: enterprises(first: 500, filter: {aboveScaleIn: 2020}) { totalCount edges { node { id } } }
  y2025: enterprises(first: 500, filter: {aboveScaleIn: 2025}) { totalCount edges { node { id } } }
  all: enterprises(first: 500) { totalCount edges { node { id figures { year aboveScale } } } } }`
	demoPlanQuery = `query($plan: ID!) { planProgress(plan: $plan, year: 2025) { indicators { number status actual target } } }`
)

type conn[T any] struct {
	TotalCount int
	Edges      []struct {
		Relation struct {
			Year   int
			Status string
			Amount *float64
		}
		Node T
	}
}

type idKind struct {
	ID, Kind string
	Type     string
	Level    string
}

// complete fails when a page of a connection left some of it out.
func complete[T any](t *testing.T, what string, c conn[T]) {
	t.Helper()
	if c.TotalCount != len(c.Edges) {
		t.Fatalf("%s: %d of %d read; raise first", what, len(c.Edges), c.TotalCount)
	}
}

// chainGapsQuery asks for the gaps of every chain of the dataset, with
// fewerThan 1: segments without an enterprise of the district.
func chainGapsQuery(ds seed.Dataset) (string, []string) {
	var names []string
	for _, n := range ds.Nodes {
		if c := n.Props.Str("chain"); n.Kind == kg.Industry && !slices.Contains(names, c) {
			names = append(names, c)
		}
	}
	var b strings.Builder
	b.WriteString("{")
	for i, c := range names {
		fmt.Fprintf(&b, ` c%d: industryChainGaps(chain: %q, fewerThan: 1, candidates: 3) { chain
  segments { position localEnterprises gap segment { id enterprises(first: 500) { totalCount edges { node { id district } } } } }
  gaps { segment { id } localEnterprises outsideEnterprises candidates { node { id } } } }`, i, c)
	}
	b.WriteString(" }")
	return b.String(), names
}

// TestDemoCredible checks, on both backends, that the district's demo
// reads as a credible district through the API: revenues without clumps,
// industry chains in detail with gaps, people who link universities to
// their partner enterprises, R&D deductions that match policy
// applications, a yearly above-scale status, and a plan with indicators
// both met and behind. Every expectation is computed from the answers.
func TestDemoCredible(t *testing.T) {
	ds := seed.Demo(seed.Config{Scale: 1, Seed: 1})
	gapsQuery, chainNames := chainGapsQuery(ds)
	type enterprise struct {
		ID      string
		Figures []struct {
			Year        int
			Revenue     *float64
			RdDeduction *float64
			AboveScale  *bool
		}
		Policies conn[idKind]
	}
	onBothBackends(t, ds.Batches(5000), []apiCase{
		{name: "revenues, deductions and the yearly above-scale status", query: demoEnterprisesQuery, check: func(t *testing.T, data []byte) {
			var out struct{ Enterprises conn[enterprise] }
			decode(t, data, &out)
			complete(t, "enterprises", out.Enterprises)
			by2025 := map[float64][]string{}
			series := map[string]string{}
			changing, claims := 0, 0
			for _, edge := range out.Enterprises.Edges {
				e := edge.Node
				complete(t, e.ID+" policies", e.Policies)
				var key strings.Builder
				var status []bool
				for _, f := range e.Figures {
					if f.Revenue != nil {
						fmt.Fprintf(&key, "%d:%v ", f.Year, *f.Revenue)
						if f.Year == seed.LastYear {
							by2025[*f.Revenue] = append(by2025[*f.Revenue], e.ID)
						}
					}
					if f.AboveScale != nil {
						status = append(status, *f.AboveScale)
						// Designated size is 10 or 20 million CNY of revenue by industry.
						if f.Revenue == nil || (*f.AboveScale && *f.Revenue < 1e7) || (!*f.AboveScale && *f.Revenue >= 2e7) {
							t.Errorf("%s %d: above scale %v with revenue %v", e.ID, f.Year, *f.AboveScale, f.Revenue)
						}
					}
					// Each deduction of the figures is one approved claim under
					// a national deduction policy, for the amount claimed.
					var matching []float64
					deductionApps := 0
					for _, p := range e.Policies.Edges {
						if p.Node.Type != "RD_DEDUCTION" || p.Relation.Year != f.Year {
							continue
						}
						deductionApps++
						if p.Node.Level == "NATIONAL" && p.Relation.Status == "APPROVED" && p.Relation.Amount != nil {
							matching = append(matching, *p.Relation.Amount)
						}
					}
					switch {
					case f.RdDeduction != nil:
						claims++
						if len(matching) != 1 || math.Abs(matching[0]-*f.RdDeduction) > 0.5 {
							t.Errorf("%s %d: deduction %v, national claims %v", e.ID, f.Year, *f.RdDeduction, matching)
						}
					case deductionApps > 0:
						t.Errorf("%s %d: %d applications to deduction policies without a deduction", e.ID, f.Year, deductionApps)
					}
				}
				if slices.Contains(status, true) && slices.Contains(status, false) {
					changing++
				}
				if key.Len() > 0 {
					if other, dup := series[key.String()]; dup {
						t.Errorf("%s and %s have the same revenue series %s", other, e.ID, key.String())
					}
					series[key.String()] = e.ID
				}
			}
			for v, ids := range by2025 {
				if len(ids) > 2 {
					t.Errorf("%d enterprises share the 2025 revenue %v: %v", len(ids), v, ids)
				}
			}
			if len(by2025) < 100 || claims == 0 || changing == 0 {
				t.Errorf("%d revenues in 2025, %d deduction claims, %d enterprises whose above-scale status changes: want many, some and some", len(by2025), claims, changing)
			}
		}},
		{name: "industry chains and their gaps", query: gapsQuery, check: func(t *testing.T, data []byte) {
			var out map[string]struct {
				Chain    string
				Segments []struct {
					Position         string
					LocalEnterprises int
					Gap              bool
					Segment          struct {
						ID          string
						Enterprises conn[struct{ ID, District string }]
					}
				}
				Gaps []struct {
					Segment            struct{ ID string }
					LocalEnterprises   int
					OutsideEnterprises int
					Candidates         []struct{ Node struct{ ID string } }
				}
			}
			decode(t, data, &out)
			if len(out) != len(chainNames) || len(out) < 5 {
				t.Fatalf("%d chains answered, want the %d of the dataset (at least 5)", len(out), len(chainNames))
			}
			candidates := 0
			for _, c := range out {
				if len(c.Segments) < 8 {
					t.Errorf("%s: %d segments, want at least 8", c.Chain, len(c.Segments))
				}
				gaps := 0
				lastPos := -1
				for _, s := range c.Segments {
					complete(t, s.Segment.ID+" enterprises", s.Segment.Enterprises)
					local := map[string]bool{}
					for _, e := range s.Segment.Enterprises.Edges {
						if e.Node.District == seed.District {
							local[e.Node.ID] = true
						}
					}
					if s.LocalEnterprises != len(local) || s.Gap != (len(local) == 0) {
						t.Errorf("%s: %d local enterprises, gap %v; its enterprises count %d", s.Segment.ID, s.LocalEnterprises, s.Gap, len(local))
					}
					if s.Gap {
						gaps++
					}
					pos := slices.Index(kg.ChainPosition.Values, s.Position)
					if pos < lastPos {
						t.Errorf("%s: %s after a later position", s.Segment.ID, s.Position)
					}
					lastPos = pos
				}
				if gaps == 0 || gaps != len(c.Gaps) {
					t.Errorf("%s: %d segments without a local enterprise, %d gaps listed; want at least one", c.Chain, gaps, len(c.Gaps))
				}
				for _, g := range c.Gaps {
					candidates += len(g.Candidates)
				}
			}
			if candidates == 0 {
				t.Errorf("no gap has a candidate outside the district")
			}
		}},
		{name: "people link universities to their partners", query: demoPeopleQuery, check: func(t *testing.T, data []byte) {
			var out struct {
				Universities conn[struct {
					ID                  string
					Collaborators       conn[idKind]
					TechnologyTransfers conn[idKind]
				}]
				Talents conn[struct {
					ID        string
					Employers conn[idKind]
					Founded   conn[idKind]
					AlmaMater conn[idKind]
				}]
			}
			decode(t, data, &out)
			complete(t, "universities", out.Universities)
			complete(t, "talents", out.Talents)
			// links[u][e]: some person studied or works at u and works at or founded e.
			links := map[string]map[string]bool{}
			for _, edge := range out.Talents.Edges {
				p := edge.Node
				complete(t, p.ID+" employers", p.Employers)
				complete(t, p.ID+" almaMater", p.AlmaMater)
				var unis, ents []string
				for _, e := range p.Employers.Edges {
					if e.Node.Kind == "UNIVERSITY" {
						unis = append(unis, e.Node.ID)
					} else {
						ents = append(ents, e.Node.ID)
					}
				}
				for _, e := range p.AlmaMater.Edges {
					unis = append(unis, e.Node.ID)
				}
				for _, e := range p.Founded.Edges {
					ents = append(ents, e.Node.ID)
				}
				for _, u := range unis {
					if links[u] == nil {
						links[u] = map[string]bool{}
					}
					for _, e := range ents {
						links[u][e] = true
					}
				}
			}
			checked := 0
			for _, edge := range out.Universities.Edges {
				u := edge.Node
				complete(t, u.ID+" collaborators", u.Collaborators)
				complete(t, u.ID+" technologyTransfers", u.TechnologyTransfers)
				partners := map[string]bool{}
				for _, e := range u.Collaborators.Edges {
					if e.Node.Kind == "ENTERPRISE" {
						partners[e.Node.ID] = true
					}
				}
				for _, e := range u.TechnologyTransfers.Edges {
					partners[e.Node.ID] = true
				}
				if len(partners) < 5 {
					continue
				}
				checked++
				linked := 0
				for e := range partners {
					if links[u.ID][e] {
						linked++
					}
				}
				if linked == 0 {
					t.Errorf("%s has %d partner enterprises and nobody links it to one of them", u.ID, len(partners))
				}
			}
			if checked == 0 {
				t.Errorf("no university has 5 partner enterprises")
			}
		}},
		{name: "enterprises above designated size in a year", query: demoAboveScaleQuery, check: func(t *testing.T, data []byte) {
			var out struct {
				Y2020, Y2025 conn[idKind]
				All          conn[struct {
					ID      string
					Figures []struct {
						Year       int
						AboveScale *bool
					}
				}]
			}
			decode(t, data, &out)
			complete(t, "all", out.All)
			for _, c := range []struct {
				year int
				got  conn[idKind]
			}{{2020, out.Y2020}, {2025, out.Y2025}} {
				complete(t, fmt.Sprint(c.year), c.got)
				var want, got []string
				for _, e := range out.All.Edges {
					for _, f := range e.Node.Figures {
						if f.Year == c.year && f.AboveScale != nil && *f.AboveScale {
							want = append(want, e.Node.ID)
						}
					}
				}
				for _, e := range c.got.Edges {
					got = append(got, e.Node.ID)
				}
				slices.Sort(want)
				slices.Sort(got)
				if !slices.Equal(got, want) || len(want) == 0 {
					t.Errorf("aboveScaleIn: %d gives %v, the figures %v", c.year, got, want)
				}
			}
			if len(out.Y2020.Edges) >= len(out.Y2025.Edges) {
				t.Errorf("%d enterprises above designated size in 2020, %d in 2025: want growth", len(out.Y2020.Edges), len(out.Y2025.Edges))
			}
		}},
		{name: "aboveScaleIn out of range", query: `{ enterprises(filter: {aboveScaleIn: 0}) { totalCount } }`, code: "BAD_USER_INPUT"},
		{name: "the plan: some indicators met, some behind", query: demoPlanQuery, vars: map[string]any{"plan": seed.PlanID}, check: func(t *testing.T, data []byte) {
			var out struct {
				PlanProgress struct {
					Indicators []struct {
						Number         int
						Status         string
						Actual, Target float64
					}
				}
			}
			decode(t, data, &out)
			count := map[string]int{}
			for _, ind := range out.PlanProgress.Indicators {
				count[ind.Status]++
				if want := ind.Actual >= ind.Target; want != (ind.Status == "MET") {
					t.Errorf("indicator %d: %v of %v is %s", ind.Number, ind.Actual, ind.Target, ind.Status)
				}
			}
			if count["MET"] == 0 || count["BEHIND"] == 0 {
				t.Errorf("statuses %v, want both MET and BEHIND", count)
			}
		}},
	})
}
