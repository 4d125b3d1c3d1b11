package analytics

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/innograph/innograph/kg"
)

// Status is where an indicator stands in a year.
type Status string

// The statuses of an indicator.
const (
	// Met: the actual value reaches the target.
	Met Status = "MET"
	// OnTrack: not met, but the year is before the plan's last year and
	// the actual value reaches the expected one: the target itself for an
	// annual target, else the linear path from the baseline (in the
	// baseline year) to the target (in the plan's last year).
	OnTrack Status = "ON_TRACK"
	// Behind: neither.
	Behind Status = "BEHIND"
	// Unknown: the indicator has no target or a formula this server does
	// not compute.
	Unknown Status = "UNKNOWN"
)

// formula computes an indicator from the graph. A node formula counts the
// nodes of a kind that match conditions (or sums a yearly figure over
// them), optionally with a further test in Go; a relationship formula
// counts relationships of a type that pass a test.
type formula struct {
	annual bool
	kind   kg.Kind
	where  func(year int) []kg.Condition
	sum    string
	keep   func(n *kg.Node, year int) bool

	rel      kg.RelType
	keepEdge func(e *kg.Edge, from, to *kg.Node, district string, year int) bool
}

// present is a condition every value of a yearly figure passes: the
// figure has a value for the year.
func present(prop string, year int) kg.Condition {
	return kg.Condition{Prop: prop, Op: kg.GTE, Value: -math.MaxFloat64, Year: year}
}

// municipalPlus is the condition of a level of municipal rank or higher.
var municipalPlus = kg.LevelAtLeast("MUNICIPAL")

// foundedBy keeps carriers founded by the year, or of unknown founding.
func foundedBy(n *kg.Node, year int) bool {
	f, ok := n.Props.Int("foundedYear")
	return !ok || int(f) <= year
}

// formulas are the formulas this server computes, by key (see the
// Formula* constants and the plan's table).
var formulas = map[string]*formula{
	FormulaHighTech: {kind: kg.Enterprise, where: kg.HighTechIn},
	FormulaRDDeduction: {kind: kg.Enterprise, where: func(y int) []kg.Condition {
		return []kg.Condition{present("rdDeduction", y)}
	}},
	FormulaRDInvestment: {kind: kg.Enterprise, sum: "rdInvestment", where: func(y int) []kg.Condition {
		return []kg.Condition{{Prop: "aboveScaleByYear", Op: kg.EQ, Value: 1.0, Year: y}, present("rdInvestment", y)}
	}},
	FormulaPolicyApplications: {annual: true, rel: kg.SupportedBy, keepEdge: func(e *kg.Edge, from, to *kg.Node, district string, y int) bool {
		year, _ := e.Props.Int("year")
		return int(year) == y && kg.Match(to, []kg.Condition{municipalPlus}) && inDistrict(from, district)
	}},
	FormulaRevenueOver10M: {kind: kg.Enterprise, where: func(y int) []kg.Condition {
		return []kg.Condition{{Prop: "revenue", Op: kg.GT, Value: 10_000_000.0, Year: y}}
	}},
	FormulaRevenueOver100M: {kind: kg.Enterprise, where: func(y int) []kg.Condition {
		return []kg.Condition{{Prop: "revenue", Op: kg.GT, Value: 100_000_000.0, Year: y}}
	}},
	FormulaIncubators: {kind: kg.Incubator, keep: foundedBy, where: func(int) []kg.Condition {
		return []kg.Condition{municipalPlus}
	}},
	FormulaIncubated: {rel: kg.IncubatedBy, keepEdge: func(e *kg.Edge, from, _ *kg.Node, district string, y int) bool {
		return e.Active(y) && inDistrict(from, district)
	}},
	FormulaMakerspaces: {kind: kg.Makerspace, keep: foundedBy, where: func(int) []kg.Condition {
		return []kg.Condition{municipalPlus}
	}},
	FormulaMakersServed: {kind: kg.Makerspace, sum: "makersServed", where: func(y int) []kg.Condition {
		return []kg.Condition{present("makersServed", y)}
	}},
}

func inDistrict(n *kg.Node, district string) bool {
	return district == "" || n.Props.Str("district") == district
}

// conditions returns the store conditions of a node formula.
func (f *formula) conditions(district string, year int) []kg.Condition {
	where := f.where(year)
	if district != "" {
		where = append(where, kg.Condition{Prop: "district", Op: kg.EQ, Value: district})
	}
	return where
}

// order is the order of a node formula's contributors: by contribution
// (highest first) for sums, by id for counts.
func (f *formula) order(year int) []kg.SortKey {
	if f.sum == "" {
		return nil
	}
	return []kg.SortKey{{Prop: f.sum, Desc: true, Year: year}}
}

// Contributor is one entity behind an indicator's value, and what it adds
// to it: a node counted (1) or summed (its figure), or a relationship
// counted (1), with the node at its start and the one at its end
// (Counterpart).
type Contributor struct {
	Node         *kg.Node
	Contribution float64
	Relation     *kg.Edge
	Counterpart  *kg.Node
}

// ContributorPage is a page of an indicator's contributors.
type ContributorPage struct {
	Items []Contributor
	// Cursors are the cursors of Items, in their order.
	Cursors []string
	Total   int
	// Offset counts the contributors before the page.
	Offset      int
	HasNextPage bool
}

// PlanScorer scores a plan's indicators for one request (PlanProgress)
// and pages their contributors (Contributors), keeping what it reads —
// the projections of relationship formulas and every formula's
// contributors for a district and year — so that indicator values,
// baselines and contributor pages read them once. It is safe for
// concurrent use. Make one per request (loaders do): it never forgets,
// and a value is computed under the context of its first caller.
type PlanScorer struct {
	store kg.Store
	mu    sync.Mutex
	lists map[listKey]func() ([]Contributor, error)
	projs map[kg.RelType]func() (*kg.Projection, error)
}

// NewPlanScorer returns a scorer over s that holds nothing yet.
func NewPlanScorer(s kg.Store) *PlanScorer {
	return &PlanScorer{store: s, lists: map[listKey]func() ([]Contributor, error){}, projs: map[kg.RelType]func() (*kg.Projection, error){}}
}

type listKey struct {
	formula, district string
	year              int
}

// memo returns the value of m[k], computed by f on first use while later
// callers wait for it.
func memo[K comparable, V any](mu *sync.Mutex, m map[K]func() (V, error), k K, f func() (V, error)) (V, error) {
	mu.Lock()
	get, ok := m[k]
	if !ok {
		get = sync.OnceValues(f)
		m[k] = get
	}
	mu.Unlock()
	return get()
}

// projection returns the projection of rel with the properties formulas
// test.
func (c *PlanScorer) projection(ctx context.Context, rel kg.RelType) (*kg.Projection, error) {
	return memo(&c.mu, c.projs, rel, func() (*kg.Projection, error) {
		p, err := c.store.Project(ctx, kg.ProjectionQuery{Types: []kg.RelType{rel}, NodeProps: []string{"name", "district", "level"}, EdgeProps: true, Limit: kg.MaxProjection})
		if err == nil && p.Truncated {
			err = fmt.Errorf("%w: more than %d %s relationships", kg.ErrInvalid, kg.MaxProjection, rel)
		}
		return p, err
	})
}

// plainCount tells a formula that counts nodes matching store conditions
// alone: its value is a FindNodes total and its contributors page through
// FindNodes. The others read every contributor.
func (f *formula) plainCount() bool { return f.rel == "" && f.sum == "" && f.keep == nil }

// value computes formula f for a district and year.
func (c *PlanScorer) value(ctx context.Context, f *formula, key, district string, year int) (float64, error) {
	if f.plainCount() {
		p, err := c.store.FindNodes(ctx, kg.NodeQuery{Kind: f.kind, Where: f.conditions(district, year), First: 1})
		if err != nil {
			return 0, err
		}
		return float64(p.TotalCount), nil
	}
	all, err := c.all(ctx, f, key, district, year)
	if err != nil {
		return 0, err
	}
	var v float64
	for _, c := range all {
		v += c.Contribution
	}
	return v, nil
}

// all returns every contributor of f (formula key), in order.
func (c *PlanScorer) all(ctx context.Context, f *formula, key, district string, year int) ([]Contributor, error) {
	return memo(&c.mu, c.lists, listKey{key, district, year}, func() ([]Contributor, error) {
		if f.rel != "" {
			return c.relations(ctx, f, district, year)
		}
		nodes, err := allNodes(ctx, c.store, f.kind, f.conditions(district, year), f.order(year))
		if err != nil {
			return nil, err
		}
		var out []Contributor
		for _, n := range nodes {
			if f.keep == nil || f.keep(n, year) {
				out = append(out, f.contributor(n, year))
			}
		}
		return out, nil
	})
}

func (f *formula) contributor(n *kg.Node, year int) Contributor {
	c := Contributor{Node: n, Contribution: 1}
	if f.sum != "" {
		c.Contribution = n.Props.Series(f.sum)[year]
	}
	return c
}

// relations returns the relationships a relationship formula counts, by
// the id of their start node, then their own id.
func (c *PlanScorer) relations(ctx context.Context, f *formula, district string, year int) ([]Contributor, error) {
	p, err := c.projection(ctx, f.rel)
	if err != nil {
		return nil, err
	}
	m := newMeter(ctx)
	nodes := make(map[string]*kg.Node, len(p.Nodes))
	for _, n := range p.Nodes {
		if err := m.add(1); err != nil {
			return nil, err
		}
		nodes[n.ID] = n
	}
	var out []Contributor
	for _, e := range p.Edges {
		if err := m.add(1); err != nil {
			return nil, err
		}
		from, to := nodes[e.From], nodes[e.To]
		if f.keepEdge(e, from, to, district, year) {
			out = append(out, Contributor{Node: from, Contribution: 1, Relation: e, Counterpart: to})
		}
	}
	slices.SortStableFunc(out, func(a, b Contributor) int {
		return cmp.Or(strings.Compare(a.Node.ID, b.Node.ID), strings.Compare(a.Relation.ID, b.Relation.ID))
	})
	return out, nil
}

// Contributors returns a page of the contributors of formula key for a
// district and year: the first ones after cursor after ("" for the
// start; see ContributorOrder). Their contributions add up to the
// indicator's value. Plain counts page through FindNodes; the others page
// in memory over what the scorer holds. Nodes of relationship formulas
// carry only their name, district and level.
func (c *PlanScorer) Contributors(ctx context.Context, key, district string, year, first int, after string) (*ContributorPage, error) {
	f := formulas[key]
	if f == nil {
		if _, err := kg.DecodeCursor(after, ContributorOrder(key, year), 0); err != nil {
			return nil, fmt.Errorf("after: %w", err)
		}
		return &ContributorPage{}, nil
	}
	order, desc := f.cursorOrder(key, year)
	pos, err := kg.DecodeCursor(after, order, len(desc))
	if err != nil {
		return nil, fmt.Errorf("after: %w", err)
	}
	if f.plainCount() {
		nq := kg.NodeQuery{Kind: f.kind, Where: f.conditions(district, year), First: max(first, 1)}
		if pos != nil {
			nq.After = kg.EncodeCursor(kg.Position{Order: kg.NodeOrder(f.kind, nil), ID: pos.ID})
		}
		p, err := c.store.FindNodes(ctx, nq)
		if err != nil {
			return nil, err
		}
		out := &ContributorPage{Total: p.TotalCount, Offset: p.Offset, HasNextPage: p.HasNextPage}
		for _, n := range p.Nodes[:min(first, len(p.Nodes))] {
			ct := f.contributor(n, year)
			out.Items = append(out.Items, ct)
			out.Cursors = append(out.Cursors, f.cursor(key, year, ct))
		}
		if first == 0 {
			out.HasNextPage = p.TotalCount > p.Offset
		}
		return out, nil
	}
	all, err := c.all(ctx, f, key, district, year)
	if err != nil {
		return nil, err
	}
	start := 0
	if pos != nil {
		// all is in the order of the cursors: skip those up to pos.
		start = sort.Search(len(all), func(i int) bool {
			p := f.position(key, year, all[i])
			return pos.CompareTo(p.Values, p.ID, desc) > 0
		})
	}
	end := min(start+first, len(all))
	out := &ContributorPage{Items: all[start:end], Total: len(all), Offset: start, HasNextPage: end < len(all)}
	for _, ct := range out.Items {
		out.Cursors = append(out.Cursors, f.cursor(key, year, ct))
	}
	return out, nil
}

// ContributorOrder names the order of the contributors of formula key in
// a year, for their cursors.
func ContributorOrder(key string, year int) string {
	if f := formulas[key]; f != nil {
		order, _ := f.cursorOrder(key, year)
		return order
	}
	return "contributors of " + key
}

// cursorOrder returns the name of the order of f's contributors (f being
// formula key) in a year, and whether each of its keys descends: by the
// start node's id, then the relationship's, for relationship formulas;
// by the order of f's node list (see formula.order), then id, for the
// others.
func (f *formula) cursorOrder(key string, year int) (string, []bool) {
	if f.rel != "" {
		return "contributors of " + key + " by node", []bool{false}
	}
	keys := f.order(year)
	return "contributors of " + key + ": " + kg.NodeOrder(f.kind, keys), kg.Descending(keys)
}

// position returns where contributor ct stands in the order of
// cursorOrder.
func (f *formula) position(key string, year int, ct Contributor) kg.Position {
	order, _ := f.cursorOrder(key, year)
	if f.rel != "" {
		return kg.Position{Order: order, Values: []any{ct.Node.ID}, ID: ct.Relation.ID}
	}
	return kg.Position{Order: order, Values: kg.NodeValues(ct.Node, f.order(year)), ID: ct.Node.ID}
}

// cursor returns the cursor of contributor ct.
func (f *formula) cursor(key string, year int, ct Contributor) string {
	return kg.EncodeCursor(f.position(key, year, ct))
}

// IndicatorProgress is where one indicator of a plan stands in a year.
type IndicatorProgress struct {
	Indicator *kg.Node
	Formula   string
	District  string
	Year      int
	// Target, Actual, Baseline, Expected, Ratio (actual / target) and
	// BaselineRatio (actual / baseline) are nil where unknown (a ratio to
	// 0 too).
	Target, Actual, Baseline, Expected, Ratio, BaselineRatio *float64
	BaselineYear                                             int
	Status                                                   Status
}

// Progress is a plan's scoreboard for a year.
type Progress struct {
	Plan       *kg.Node
	Year       int
	District   string
	Indicators []IndicatorProgress
}

// PlanProgress computes the indicators of a plan (its HAS_INDICATOR
// relationships, by number) for a year (0: the plan's last year), with
// their baseline-year values, counting only enterprises and carriers of
// the plan's district (all, when the plan has none): every indicator, or
// those of the given numbers, each of which must be one of the plan's.
// What it reads stays in c, for the contributors of the same request.
func (c *PlanScorer) PlanProgress(ctx context.Context, planID string, year int, numbers ...int) (*Progress, error) {
	s := c.store
	plan, err := one(ctx, s, planID)
	if err != nil {
		return nil, err
	}
	if plan.Kind != kg.Plan {
		return nil, fmt.Errorf("%w: %q is a %s, not a plan", kg.ErrInvalid, planID, plan.Kind)
	}
	end, hasEnd := plan.Props.Int("periodEnd")
	if year == 0 {
		if !hasEnd {
			return nil, fmt.Errorf("%w: plan %q has no last year: give a year", kg.ErrInvalid, planID)
		}
		year = int(end)
	}
	if year < 1 {
		return nil, fmt.Errorf("%w: year %d is not a year", kg.ErrInvalid, year)
	}
	res, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: []string{plan.ID}, Types: []kg.RelType{kg.HasIndicator}, Direction: kg.Out})
	if err != nil {
		return nil, err
	}
	var inds []*kg.Node
	for _, nb := range res[plan.ID] {
		if nb.Node.Kind == kg.Indicator && !slices.ContainsFunc(inds, func(n *kg.Node) bool { return n.ID == nb.Node.ID }) {
			inds = append(inds, nb.Node)
		}
	}
	slices.SortFunc(inds, func(a, b *kg.Node) int {
		na, okA := a.Props.Int("number")
		nb, okB := b.Props.Int("number")
		switch {
		case okA && okB && na != nb:
			return cmp.Compare(na, nb)
		case okA != okB:
			if okA {
				return -1
			}
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	if numbers != nil {
		if inds, err = selectIndicators(inds, numbers); err != nil {
			return nil, fmt.Errorf("plan %q: %w", planID, err)
		}
	}
	district := plan.Props.Str("district")
	out := &Progress{Plan: plan, Year: year, District: district, Indicators: make([]IndicatorProgress, len(inds))}
	// The values are independent store reads: compute a few at once.
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(concurrentValues)
	for i, ind := range inds {
		ip := &out.Indicators[i]
		*ip = IndicatorProgress{Indicator: ind, Formula: ind.Props.Str("formula"), District: district, Year: year, Status: Unknown}
		if t, ok := ind.Props.Float("target"); ok {
			ip.Target = &t
		}
		f := formulas[ip.Formula]
		if f == nil {
			continue
		}
		g.Go(func() error {
			v, err := c.value(gctx, f, ip.Formula, district, year)
			if err != nil {
				return fmt.Errorf("indicator %q: %w", ind.ID, err)
			}
			ip.Actual = &v
			return nil
		})
		if by, ok := ind.Props.Int("baselineYear"); ok {
			ip.BaselineYear = int(by)
			g.Go(func() error {
				b, err := c.value(gctx, f, ip.Formula, district, int(by))
				if err != nil {
					return fmt.Errorf("indicator %q: baseline: %w", ind.ID, err)
				}
				ip.Baseline = &b
				return nil
			})
		}
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i := range out.Indicators {
		ip := &out.Indicators[i]
		f := formulas[ip.Formula]
		ip.Expected = expected(f, *ip, year, int(end), hasEnd)
		ip.Status = status(*ip, year, int(end), hasEnd)
		ip.Ratio = ratio(ip.Actual, ip.Target)
		ip.BaselineRatio = ratio(ip.Actual, ip.Baseline)
	}
	return out, nil
}

// ratio is a / b; nil where either is unknown or b is 0.
func ratio(a, b *float64) *float64 {
	if a == nil || b == nil || *b == 0 {
		return nil
	}
	r := *a / *b
	return &r
}

// selectIndicators keeps the indicators of inds (in their order) whose
// numbers are among numbers; a number no indicator has is an error.
func selectIndicators(inds []*kg.Node, numbers []int) ([]*kg.Node, error) {
	var out []*kg.Node
	for _, num := range numbers {
		if !slices.ContainsFunc(inds, func(n *kg.Node) bool { v, ok := n.Props.Int("number"); return ok && int(v) == num }) {
			var have []string
			for _, n := range inds {
				if v, ok := n.Props.Int("number"); ok {
					have = append(have, fmt.Sprint(v))
				}
			}
			return nil, fmt.Errorf("%w: no indicator number %d (the plan's numbers: %s)", kg.ErrInvalid, num, strings.Join(have, ", "))
		}
	}
	for _, n := range inds {
		if v, ok := n.Props.Int("number"); ok && slices.Contains(numbers, int(v)) {
			out = append(out, n)
		}
	}
	return out, nil
}

// concurrentValues is how many indicator values PlanProgress computes at
// once.
const concurrentValues = 4

// expected is the value an indicator should have reached in year to be on
// track: the target for an annual target; else the point of the line from
// the baseline (in the baseline year) to the target (in the plan's last
// year), the baseline itself up to the baseline year.
func expected(f *formula, ip IndicatorProgress, year, end int, hasEnd bool) *float64 {
	if f == nil || ip.Target == nil {
		return nil
	}
	if f.annual {
		t := *ip.Target
		return &t
	}
	if ip.Baseline == nil || !hasEnd || ip.BaselineYear >= end {
		return nil
	}
	b, t := *ip.Baseline, *ip.Target
	var v float64
	switch {
	case year <= ip.BaselineYear:
		v = b
	case year >= end:
		v = t
	default:
		v = b + (t-b)*float64(year-ip.BaselineYear)/float64(end-ip.BaselineYear)
	}
	return &v
}

// status applies the definitions of Met, OnTrack and Behind.
func status(ip IndicatorProgress, year, end int, hasEnd bool) Status {
	switch {
	case ip.Actual == nil || ip.Target == nil:
		return Unknown
	case *ip.Actual >= *ip.Target:
		return Met
	case hasEnd && year < end && ip.Expected != nil && *ip.Actual >= *ip.Expected:
		return OnTrack
	}
	return Behind
}
