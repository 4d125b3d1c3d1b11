package seed

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/innograph/innograph/kg"
)

// nYears is the number of years with yearly figures, BaselineYear..LastYear.
const nYears = LastYear - BaselineYear + 1

// ref is the index of a node in gen.ids.
type ref = int32

// edgeKey identifies an edge for de-duplication: its type, its ends and,
// for relationships that repeat between the same pair, a distinguishing
// number (the year).
type edgeKey struct {
	from, to ref
	t        uint8
	y        uint16
}

// figures holds a yearly figure for BaselineYear..LastYear; 0 means none.
type figures [nYears]float64

type segment struct {
	ref          ref
	id           string
	chain, idx   int   // the chain and the index of its segDef in the chain
	pos          int   // index into positions
	feeds        []int // indexes of the segments this one feeds
	inside, out  []*ent
	suppliersIn  []*ent // inside enterprises of the segment that supply others
	manufacturer bool
}

type policy struct {
	ref      ref
	id       string
	def      policyDef
	level    int // index into kg.Level
	firstApp int // year of the application that links it in any case
}

type uni struct {
	ref      ref
	id, name string
	district string
	typ      string
	founded  int
	chains   []int
	demo     bool // a demo new R&D institution, not a public anchor
	node     kg.Node
}

type ent struct {
	ref             ref
	id              string
	name, nameEn    string
	code, district  string
	inside          bool
	chain, pos, seg int
	founded         int
	rev, rd, ded    figures
	emp             figures
	above           [nYears]bool // above designated size in the year
	aboveScale      bool         // above designated size in LastYear
	hasRD           bool
	htGranted       int
	htUntil         int
	incubated       bool
	founders        int
	operator        bool
}

type carrier struct {
	ref          ref
	id, name     string
	makerspace   bool
	level        int
	founded      int
	area         float64
	makers       figures
	operatorName string
}

type agency struct {
	ref                    ref
	id, name, nameEn, dist string
	cats                   []int
	level                  int
}

type talent struct {
	ref                              ref
	id, name, district, field, title string
	tier, programme                  string
	employerChain                    int
	academic                         bool
	since                            int
}

// gen builds the demo ecosystem.
type gen struct {
	s     float64
	r     *rand.Rand
	ids   []string
	edges []kg.Edge
	seen  map[edgeKey]struct{}
	names map[string]struct{}
	codes map[string]struct{}
	sites map[string]int // carriers by brand name, for the names of further sites

	segs      []*segment
	chainSegs [][]int // indexes into segs by chain, upstream first
	pols      []*policy
	unis      []*uni
	uniChains [][]*uni // by chain
	ents      []*ent
	inside    []*ent
	carriers  []*carrier
	agencies  []*agency
	talents   []*talent

	// partners are the enterprises each university collaborates with or
	// transfers technology to, in the order the links were made, and
	// partnerSince the first year of each link.
	partners     map[*uni][]*ent
	partnerSince map[[2]ref]int
}

// Demo returns the deterministic demo ecosystem of the district, source
// "demo", together with Plan() and PublicAnchors(): the complete graph
// served on first start. The same Config always gives the same Dataset.
//
// At Scale 1 it holds 300 enterprises (about a fifth of them outside the
// district, as supply-chain partners), 3 incubators, 6 makerspaces, 160
// talents, 40 service agencies, 25 policies, 12 universities and
// institutes and 54 industry-chain segments (10 to 12 per chain, upstream
// to downstream, some with few or none of the district's enterprises),
// with yearly figures for 2020–2025 that put the plan's indicators near
// their targets, some met and some behind, and about 2,500 relationships
// of every type (611 nodes and 2,490 relationships with seed 1). Counts
// grow linearly with Scale (talents by 200 per unit), except the plan, the
// public anchors, the policy catalogue and the industry chains.
//
// Revenues follow a skewed distribution (two leaders above 100 million
// CNY, about 30 enterprises above 10 million, a long tail of small ones),
// each enterprise on a path of its own: no two share a revenue in the last
// year. Whether an enterprise is above designated size (规模以上) is a
// yearly status (aboveScaleByYear) from that year's revenue; aboveScale
// is the status of the last year. Every R&D super-deduction of the yearly
// figures is an approved claim (SUPPORTED_BY, with the amount) under the
// national deduction rules of its year. About two in five of each
// university's partner enterprises (collaborations and technology
// transfers) have a person who links them: a graduate of the university
// working there, or a researcher of it who advises the enterprise.
//
// Enterprises outside the district carry registry facts and employees
// only: the district's statistics (revenue, R&D, certificates) cover its
// own enterprises, so the indicators are the same whether or not they are
// restricted to the district. A high-tech certificate is described by the
// year it was first granted (highTechGranted) and the last year of the
// current certificate (highTechValidUntil); certificates last three years
// and renewals extend highTechValidUntil by three years each.
func Demo(cfg Config) Dataset {
	cfg = cfg.withDefaults()
	// Expected sizes: about 575 nodes and 2,550 edges per unit of scale.
	nodes, edges := int(600*cfg.Scale)+64, int(2600*cfg.Scale)+128
	g := &gen{
		s:     cfg.Scale,
		r:     rand.New(rand.NewPCG(uint64(cfg.Seed), 0x1A0_2025_0202)),
		ids:   make([]string, 0, nodes),
		edges: make([]kg.Edge, 0, edges),
		seen:  make(map[edgeKey]struct{}, edges),
		names: make(map[string]struct{}, nodes/2),
		codes: make(map[string]struct{}, nodes/2),
		sites: map[string]int{},

		partners:     map[*uni][]*ent{},
		partnerSince: map[[2]ref]int{},
	}
	plan, anchorsDS := Plan(), PublicAnchors()
	g.industries()
	g.policies()
	g.universities(anchorsDS)
	g.enterprises()
	g.figures()
	g.highTech()
	g.deductions()
	g.carrierNodes()
	g.agencyNodes()
	g.inIndustry()
	g.supplies()
	g.collaborations()
	g.transfers()
	g.operates()
	g.incubation()
	g.talentNodes()
	g.services()
	g.investments()
	g.support()

	out := Dataset{
		Nodes: make([]kg.Node, 0, len(plan.Nodes)+len(g.ids)),
		Edges: make([]kg.Edge, 0, len(plan.Edges)+len(g.edges)),
	}
	out.Nodes = append(out.Nodes, plan.Nodes...)
	out.Nodes = g.appendNodes(out.Nodes)
	out.Edges = append(out.Edges, plan.Edges...)
	out.Edges = append(out.Edges, g.edges...)
	return out
}

// ---------------------------------------------------------------- helpers

func (g *gen) register(id string) ref {
	g.ids = append(g.ids, id)
	return ref(len(g.ids) - 1)
}

// count scales a count of the district by the scale, at least min.
func (g *gen) count(base float64, min int) int {
	return max(int(math.Round(base*g.s)), min)
}

// quota scales a count drawn between lo and hi by the scale.
func (g *gen) quota(lo, hi float64) int {
	return int(math.Round(g.s * g.uniform(lo, hi)))
}

func (g *gen) uniform(lo, hi float64) float64 { return lo + (hi-lo)*g.r.Float64() }

// between returns an integer in lo..hi inclusive.
func (g *gen) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.r.IntN(hi-lo+1)
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) logNormal(median, sigma, lo, hi float64) float64 {
	return min(max(median*math.Exp(sigma*g.r.NormFloat64()), lo), hi)
}

// truncLogNormal draws from a log-normal distribution of the median and
// sigma, drawing again until the value falls in lo..hi (no clumps at the
// bounds).
func (g *gen) truncLogNormal(median, sigma, lo, hi float64) float64 {
	for {
		if x := median * math.Exp(sigma*g.r.NormFloat64()); x >= lo && x <= hi {
			return x
		}
	}
}

// truncNormal draws from a normal distribution, drawing again until the
// value falls in lo..hi.
func (g *gen) truncNormal(mean, sd, lo, hi float64) float64 {
	for {
		if x := mean + sd*g.r.NormFloat64(); x >= lo && x <= hi {
			return x
		}
	}
}

// pareto draws from a Pareto distribution of index alpha from lo,
// drawing again until the value is at most hi.
func (g *gen) pareto(lo, hi, alpha float64) float64 {
	for {
		if x := lo * math.Pow(1-g.r.Float64(), -1/alpha); x <= hi {
			return x
		}
	}
}

func (g *gen) weighted(ws []float64) int {
	var sum float64
	for _, w := range ws {
		sum += w
	}
	x := g.r.Float64() * sum
	for i, w := range ws {
		if x < w {
			return i
		}
		x -= w
	}
	return len(ws) - 1
}

func pick[T any](g *gen, xs []T) T { return xs[g.r.IntN(len(xs))] }

// width is the number of digits of ids of n items, at least w.
func width(n, w int) int { return max(w, len(strconv.Itoa(n))) }

// padID returns prefix followed by i zero-padded to w digits.
func padID(prefix string, i, w int) string {
	s := strconv.Itoa(i)
	b := make([]byte, 0, len(prefix)+max(w, len(s)))
	b = append(b, prefix...)
	for k := len(s); k < w; k++ {
		b = append(b, '0')
	}
	return string(append(b, s...))
}

func round1k(x float64) float64 { return max(math.Round(x/1000)*1000, 1000) }

// boxed years and confidences, shared by all props (values in an
// interface are immutable).
var (
	boxedYears = func() []any {
		b := make([]any, 400)
		for i := range b {
			b[i] = int64(1800 + i)
		}
		return b
	}()
	boxedConf = func() []any {
		b := make([]any, 21)
		for i := range b {
			b[i] = float64(i) / 20
		}
		return b
	}()
	boxedTrue, boxedFalse any = true, false
)

func yv(y int) any { return boxedYears[y-1800] }

// conf returns a confidence between lo and hi in steps of 0.05.
func (g *gen) conf(lo, hi float64) any {
	a, b := int(math.Round(lo*20)), int(math.Round(hi*20))
	return boxedConf[g.between(a, b)]
}

// yearOf returns the index of year y in figures.
func yearOf(y int) int { return y - BaselineYear }

// seriesOf returns the figures as a series, or nil if there are none.
func seriesOf(f *figures) kg.Series {
	n := 0
	for _, v := range f {
		if v > 0 {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	s := make(kg.Series, n)
	for i, v := range f {
		if v > 0 {
			s[BaselineYear+i] = v
		}
	}
	return s
}

// putSeries sets the property name to the figures, if there are any.
func putSeries(p kg.Props, name string, f *figures) {
	if s := seriesOf(f); s != nil {
		p[name] = s
	}
}

// uniqueName returns the first name of try (called with attempt 0, 1, …)
// not used yet.
func (g *gen) uniqueName(try func(attempt int) (string, string)) (string, string) {
	for a := 0; ; a++ {
		zh, en := try(a)
		if _, dup := g.names[zh]; !dup {
			g.names[zh] = struct{}{}
			return zh, en
		}
	}
}

// tradeName returns a trade name (字号) of two characters, or three from
// the third attempt on, and its pinyin.
func (g *gen) tradeName(attempt int) (string, string) {
	a, b := pick(g, tradeFirst), pick(g, tradeSecond)
	zh, py := a.zh+b.zh, a.py+b.py
	if attempt >= 2 {
		c := pick(g, tradeSecond)
		zh, py = zh+c.zh, py+c.py
	}
	return zh, py
}

// addEdge adds an edge unless one of the same type, ends and y exists
// (ends unordered for symmetric types). A tag gives the edge the explicit
// id tag-from-to-y, for relationships that repeat between the same pair.
func (g *gen) addEdge(t kg.RelType, from, to ref, y int, tag string, p kg.Props) bool {
	k := edgeKey{from: from, to: to, t: relIndex(t), y: uint16(y)}
	if t == kg.CollaboratesWith && k.from > k.to {
		k.from, k.to = k.to, k.from
	}
	if _, dup := g.seen[k]; dup {
		return false
	}
	g.seen[k] = struct{}{}
	p["source"] = SourceDemo
	e := kg.Edge{Type: t, From: g.ids[from], To: g.ids[to], Props: p}
	if tag != "" {
		e.ID = tag + "-" + e.From + "-" + e.To + "-" + strconv.Itoa(y)
	}
	g.edges = append(g.edges, e)
	return true
}

func relIndex(t kg.RelType) uint8 {
	return uint8(slices.Index(kg.RelTypes, t))
}

// props returns an edge's properties with room for n more.
func (g *gen) props(n int, since, until int, conf any) kg.Props {
	p := make(kg.Props, n+4)
	if since > 0 {
		p["since"] = yv(since)
	}
	if until > 0 {
		p["until"] = yv(until)
	}
	p["confidence"] = conf
	return p
}

// segByKey returns the index of the segment "chain-number" (sw-04) or
// "chain-key" (ts-incubation).
func (g *gen) segByKey(key string) int {
	for i, s := range g.segs {
		c := &chains[s.chain]
		if s.id == "ind-"+key || c.key+"-"+c.segs[s.idx].key == key {
			return i
		}
	}
	panic("seed: unknown segment " + key)
}

// chainSeg picks a segment of chain c, any of them.
func (g *gen) chainSeg(c int) *segment { return g.segs[pick(g, g.chainSegs[c])] }

// ----------------------------------------------------------------- nodes

// appendNodes appends the nodes of the demo ecosystem to out: the public
// anchors, then the demo's own nodes kind by kind.
func (g *gen) appendNodes(out []kg.Node) []kg.Node {
	for _, u := range g.unis {
		if !u.demo {
			out = append(out, u.node)
			continue
		}
		out = append(out, kg.Node{ID: u.id, Kind: kg.University, Props: kg.Props{
			"name": u.name, "district": u.district, "type": u.typ,
			"foundedYear": yv(u.founded), "source": SourceDemo,
		}})
	}
	for _, s := range g.segs {
		c, sd := &chains[s.chain], &chains[s.chain].segs[s.idx]
		out = append(out, kg.Node{ID: s.id, Kind: kg.Industry, Props: kg.Props{
			"name": sd.name, "nameEn": sd.nameEn, "chain": c.name, "position": positions[sd.pos],
			"source": SourceDemo,
		}})
	}
	for _, p := range g.pols {
		props := kg.Props{
			"name": p.def.name, "level": p.def.level, "issuer": p.def.issuer,
			"year": yv(p.def.year), "type": p.def.kind, "source": SourceDemo,
		}
		if p.def.level == "DISTRICT" {
			props["district"] = District
		}
		out = append(out, kg.Node{ID: p.id, Kind: kg.Policy, Props: props})
	}
	for _, e := range g.ents {
		props := make(kg.Props, 14)
		props["name"] = e.name
		if e.nameEn != "" {
			props["nameEn"] = e.nameEn
		}
		props["district"] = e.district
		props["source"] = SourceDemo
		props["creditCode"] = e.code
		props["industry"] = chains[e.chain].name
		props["foundedYear"] = yv(e.founded)
		if e.inside {
			if e.aboveScale {
				props["aboveScale"] = boxedTrue
			} else {
				props["aboveScale"] = boxedFalse
			}
			status := make(kg.Series, LastYear-max(e.founded, BaselineYear)+1)
			for y := max(e.founded, BaselineYear); y <= LastYear; y++ {
				status[y] = 0
				if e.above[yearOf(y)] {
					status[y] = 1
				}
			}
			props["aboveScaleByYear"] = status
		}
		if e.htGranted > 0 {
			props["highTechGranted"] = yv(e.htGranted)
			props["highTechValidUntil"] = yv(e.htUntil)
		}
		putSeries(props, "revenue", &e.rev)
		putSeries(props, "rdInvestment", &e.rd)
		putSeries(props, "rdDeduction", &e.ded)
		putSeries(props, "employees", &e.emp)
		out = append(out, kg.Node{ID: e.id, Kind: kg.Enterprise, Props: props})
	}
	for _, c := range g.carriers {
		props := kg.Props{
			"name": c.name, "district": District, "level": kg.Level.Values[c.level],
			"operator": c.operatorName, "foundedYear": yv(c.founded), "source": SourceDemo,
		}
		kind := kg.Incubator
		if c.makerspace {
			kind = kg.Makerspace
			putSeries(props, "makersServed", &c.makers)
		} else {
			props["area"] = c.area
		}
		out = append(out, kg.Node{ID: c.id, Kind: kind, Props: props})
	}
	for _, a := range g.agencies {
		cats := make([]string, len(a.cats))
		for i, c := range a.cats {
			cats[i] = kg.ServiceCategory.Values[c]
		}
		props := kg.Props{
			"name": a.name, "district": a.dist, "categories": cats,
			"level": kg.Level.Values[a.level], "source": SourceDemo,
		}
		if a.nameEn != "" {
			props["nameEn"] = a.nameEn
		}
		out = append(out, kg.Node{ID: a.id, Kind: kg.ServiceAgency, Props: props})
	}
	for _, t := range g.talents {
		props := kg.Props{
			"name": t.name, "district": t.district, "field": t.field, "title": t.title, "source": SourceDemo,
		}
		if t.tier != "" {
			props["tier"] = t.tier
		}
		if t.programme != "" {
			props["programme"] = t.programme
		}
		out = append(out, kg.Node{ID: t.id, Kind: kg.Talent, Props: props})
	}
	return out
}
