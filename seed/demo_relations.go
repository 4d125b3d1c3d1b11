package seed

import (
	"math"
	"slices"

	"github.com/innograph/innograph/kg"
)

// ------------------------------------------------------------- industry

// inIndustry places every enterprise in its segment, and some also in a
// neighbouring segment of their chain (never, for the district's
// enterprises, in a segment the district has none in).
func (g *gen) inIndustry() {
	for _, e := range g.ents {
		g.addEdge(kg.InIndustry, e.ref, g.segs[e.seg].ref, 0, "", g.props(0, e.founded, 0, g.conf(0.9, 1)))
		if !g.chance(0.1) {
			continue
		}
		seg := g.segs[e.seg]
		var near []int
		for _, i := range g.chainSegs[e.chain] {
			o := g.segs[i]
			sd := &chains[o.chain].segs[o.idx]
			if (o.idx == seg.idx-1 || o.idx == seg.idx+1) && (!e.inside || sd.in > 0) {
				near = append(near, i)
			}
		}
		if len(near) > 0 {
			g.addEdge(kg.InIndustry, e.ref, g.segs[pick(g, near)].ref, 0, "", g.props(0, e.founded, 0, g.conf(0.7, 0.85)))
		}
	}
}

// supplies links suppliers to customers along the industry chains: an
// enterprise supplies the segments its segment feeds, sometimes its own.
// Enterprises outside the district trade with enterprises inside it.
func (g *gen) supplies() {
	for _, e := range g.ents {
		var k int
		switch e.pos {
		case 0:
			k = g.between(1, 4)
		case 1:
			k = g.between(0, 3)
		default:
			k = g.weighted([]float64{0.65, 0.35})
		}
		seg := g.segs[e.seg]
		for range k {
			target := seg
			if len(seg.feeds) > 0 && !g.chance(0.15) {
				target = g.segs[pick(g, seg.feeds)]
			}
			pool, other := target.inside, target.out
			if e.inside && len(target.out) > 0 && !g.chance(0.72) {
				pool, other = other, pool
			}
			if len(pool) == 0 {
				pool = other
			}
			if len(pool) == 0 {
				continue
			}
			c := pick(g, pool)
			if c == e {
				continue
			}
			lo := max(e.founded, c.founded, 2008)
			since := g.between(lo, LastYear)
			until := 0
			if since < LastYear && g.chance(0.15) {
				until = g.between(since, LastYear-1)
			}
			// The yearly value: a share of the supplier's revenue in the
			// last year of the relationship, where known.
			last := LastYear
			if until > 0 {
				last = until
			}
			var value float64
			if last >= BaselineYear && e.rev[yearOf(last)] > 0 {
				value = e.rev[yearOf(last)] * g.uniform(0.02, 0.12)
			} else {
				value = g.logNormal(8e5, 1.0, 3e4, 2e7)
			}
			p := g.props(2, since, until, g.conf(0.7, 0.9))
			p["product"] = pick(g, chains[e.chain].segs[e.pos].products)
			p["value"] = round1k(value)
			if g.addEdge(kg.Supplies, e.ref, c.ref, 0, "", p) && e.inside && e.pos < 2 && target != seg {
				if len(seg.suppliersIn) == 0 || seg.suppliersIn[len(seg.suppliersIn)-1] != e {
					seg.suppliersIn = append(seg.suppliersIn, e)
				}
			}
		}
	}
}

// collaborations links enterprises with universities and with each other,
// and universities with each other.
func (g *gen) collaborations() {
	mode := func() string {
		return kg.CollaborationMode.Values[g.weighted([]float64{0.55, 0.2, 0.25})]
	}
	var since int
	add := func(a, b ref, lo int) bool {
		since = g.between(max(lo, 2012), LastYear)
		until := 0
		if g.chance(0.4) && since+1 < LastYear {
			until = min(since+g.between(1, 3), LastYear)
		}
		p := g.props(1, since, until, g.conf(0.8, 1))
		p["mode"] = mode()
		return g.addEdge(kg.CollaboratesWith, a, b, 0, "", p)
	}
	n := g.quota(65, 75)
	for tries := 0; n > 0 && tries < 20*n+100; tries++ {
		e := g.anyEnterprise(0.85)
		us := g.uniChains[e.chain]
		if len(us) == 0 {
			continue
		}
		u := pick(g, us)
		if add(e.ref, u.ref, max(e.founded, u.founded)) {
			g.partner(u, e, since)
			n--
		}
	}
	n = g.quota(42, 50)
	for tries := 0; n > 0 && tries < 20*n+100; tries++ {
		a := g.anyEnterprise(0.85)
		seg := g.chainSeg(a.chain)
		pool := seg.inside
		if len(pool) == 0 {
			continue
		}
		b := pick(g, pool)
		if a == b {
			continue
		}
		if add(a.ref, b.ref, max(a.founded, b.founded)) {
			n--
		}
	}
	n = g.count(8, 1)
	for tries := 0; n > 0 && tries < 20*n+100; tries++ {
		a, b := pick(g, g.unis), pick(g, g.unis)
		if a == b {
			continue
		}
		if add(a.ref, b.ref, max(a.founded, b.founded)) {
			n--
		}
	}
}

// partner records e as a partner of u since year y.
func (g *gen) partner(u *uni, e *ent, y int) {
	k := [2]ref{u.ref, e.ref}
	if first, ok := g.partnerSince[k]; !ok {
		g.partners[u] = append(g.partners[u], e)
		g.partnerSince[k] = y
	} else if y < first {
		g.partnerSince[k] = y
	}
}

// transfers links universities to the enterprises they transfer
// technology to, mostly suppliers of their chain, so that technology flows
// on along the supply chain.
func (g *gen) transfers() {
	suppliers := make([][]*ent, len(chains))
	for c := range chains {
		for _, i := range g.chainSegs[c] {
			if s := g.segs[i]; s.pos < down {
				suppliers[c] = append(suppliers[c], s.suppliersIn...)
			}
		}
	}
	n := g.quota(56, 64)
	for tries := 0; n > 0 && tries < 20*n+100; tries++ {
		c := g.weighted(chainWeightsIn)
		us := g.uniChains[c]
		if len(us) == 0 {
			continue
		}
		u := pick(g, us)
		var e *ent
		if sup := suppliers[c]; len(sup) > 0 && g.chance(0.7) {
			e = pick(g, sup)
		} else {
			seg := g.chainSeg(c)
			pool := seg.inside
			if len(seg.out) > 0 && g.chance(0.2) {
				pool = seg.out
			}
			if len(pool) == 0 {
				continue
			}
			e = pick(g, pool)
		}
		y := g.between(max(e.founded, u.founded, 2016), LastYear)
		p := g.props(3, y, 0, g.conf(0.9, 1))
		p["technology"] = pick(g, chains[c].technologies)
		p["year"] = yv(y)
		p["amount"] = round1k(g.logNormal(6e5, 0.9, 5e4, 1.2e7))
		if g.addEdge(kg.TransfersTechTo, u.ref, e.ref, y, "tt", p) {
			g.partner(u, e, y)
			n--
		}
	}
}

// --------------------------------------------------------------- talents

// talentNodes makes the talents: founders first, then the people who
// link universities to their partner enterprises, then other employees,
// each with a field, a title, sometimes a tier or programme, and degrees.
// Talents grow by 200 per unit of scale, less the 40 nodes the detailed
// industry chains and the catalogue's older deduction policy add at any
// scale, so the district keeps its size.
func (g *gen) talentNodes() {
	n := max(g.count(200, 10)-40, 10)
	w := width(n, 4)
	founders := min(g.quota(60, 68), n)
	var degreeUnis []*uni
	for _, u := range g.unis {
		if !u.demo {
			degreeUnis = append(degreeUnis, u)
		}
	}
	bridges := g.bridgePlan(n - founders)
	for i := range n {
		t := &talent{id: padID("tal-", i+1, w)}
		t.ref = g.register(t.id)
		t.name = pick(g, surnames) + pick(g, givenChars)
		if g.chance(0.6) {
			t.name += pick(g, givenChars)
		}
		var alma *uni
		switch j := i - founders; {
		case j < 0:
			g.founder(t)
		case j < len(bridges):
			alma = g.bridge(t, bridges[j].u, bridges[j].e)
		default:
			g.employee(t)
		}
		t.field = pick(g, chains[t.employerChain].fields)
		if t.academic {
			t.title = pick(g, titlesAcademic)
		} else {
			t.title = pick(g, titlesIndustry)
		}
		if g.chance(0.3) {
			t.tier = pick(g, tiers)
		}
		if g.chance(0.2) {
			t.programme = pick(g, programmes)
		}
		g.alumni(t, degreeUnis, alma)
		g.talents = append(g.talents, t)
	}
}

// link is a university and one of its partner enterprises.
type link struct {
	u *uni
	e *ent
}

// bridgePlan chooses the university–enterprise partnerships that people
// link, at most max: about two in five of each university's partners, at
// least one for a university with three or more, the universities taking
// turns so that a shortage falls on none of them alone.
func (g *gen) bridgePlan(most int) []link {
	per := make([][]link, len(g.unis))
	for i, u := range g.unis {
		ps := g.partners[u]
		k := int(math.Round(0.4 * float64(len(ps)) * g.uniform(0.8, 1.2)))
		if len(ps) >= 3 {
			k = max(k, 1)
		}
		for _, j := range g.r.Perm(len(ps))[:min(k, len(ps))] {
			per[i] = append(per[i], link{u, ps[j]})
		}
	}
	var out []link
	for round := 0; len(out) < most; round++ {
		added := false
		for i := range per {
			if round < len(per[i]) && len(out) < most {
				out = append(out, per[i][round])
				added = true
			}
		}
		if !added {
			break
		}
	}
	return out
}

// bridge makes t a person who links university u to its partner e: a
// graduate of u working at e (the university returned, where the last
// degree is taken), or, for institutes and some professors, a researcher of
// u who also advises e since their partnership began.
func (g *gen) bridge(t *talent, u *uni, e *ent) *uni {
	since := g.partnerSince[[2]ref{u.ref, e.ref}]
	if !u.demo && g.chance(0.7) {
		t.since = g.between(max(e.founded, 2005), LastYear)
		g.worksAt(t, e.ref, pick(g, rolesEnterprise), t.since, 0)
		t.district, t.employerChain = e.district, e.chain
		return u
	}
	t.since = g.between(max(u.founded, 1995), min(since, LastYear-1))
	role := pick(g, rolesUniversity)
	if u.demo {
		role = pick(g, rolesInstitute)
	}
	g.worksAt(t, u.ref, role, t.since, 0)
	g.worksAt(t, e.ref, pick(g, rolesAdviser), max(since, e.founded), 0)
	t.district, t.employerChain, t.academic = u.district, e.chain, !u.demo
	return nil
}

func (g *gen) worksAt(t *talent, org ref, role string, since, until int) {
	p := g.props(1, since, until, g.conf(0.9, 1))
	p["role"] = role
	g.addEdge(kg.WorksAt, t.ref, org, 0, "", p)
}

// founder makes t the founder of an enterprise of the district (sometimes
// its co-founder), working there since its founding.
func (g *gen) founder(t *talent) {
	var e *ent
	for tries := 0; tries < 200; tries++ {
		c := g.anyEnterprise(0.92)
		if (c.founders == 0 || (c.founders == 1 && g.chance(0.12))) && (c.founded >= 2005 || g.chance(0.15)) {
			e = c
			break
		}
	}
	if e == nil {
		e = pick(g, g.ents)
	}
	e.founders++
	g.addEdge(kg.Founded, t.ref, e.ref, 0, "", g.props(0, e.founded, 0, boxedConf[20]))
	role := pick(g, []string{"董事长", "总经理", "创始人"})
	if e.founders > 1 {
		role = "联合创始人"
	}
	g.worksAt(t, e.ref, role, e.founded, 0)
	t.district, t.employerChain, t.since = e.district, e.chain, e.founded
}

// employee gives t a current employer and sometimes a former one.
func (g *gen) employee(t *talent) {
	switch g.weighted([]float64{0.55, 0.2, 0.12, 0.08, 0.05}) {
	case 0:
		e := g.anyEnterprise(0.85)
		t.since = g.between(max(e.founded, 2005), LastYear)
		g.worksAt(t, e.ref, pick(g, rolesEnterprise), t.since, 0)
		t.district, t.employerChain = e.district, e.chain
	case 1, 4:
		var u *uni
		for range 20 {
			u = pick(g, g.unis)
			if u.demo == (g.r.IntN(5) == 0) {
				break
			}
		}
		t.since = g.between(max(u.founded, 1995), LastYear-1)
		role := pick(g, rolesUniversity)
		if u.demo {
			role = pick(g, rolesInstitute)
		}
		g.worksAt(t, u.ref, role, t.since, 0)
		t.district, t.employerChain, t.academic = u.district, pick(g, u.chains), !u.demo
	case 2:
		a := pick(g, g.agencies)
		t.since = g.between(2010, LastYear)
		g.worksAt(t, a.ref, pick(g, rolesAgency), t.since, 0)
		t.district, t.employerChain = a.dist, len(chains)-1
	case 3:
		c := pick(g, g.carriers)
		t.since = g.between(c.founded, LastYear)
		g.worksAt(t, c.ref, pick(g, rolesCarrier), t.since, 0)
		t.district, t.employerChain = District, len(chains)-1
	}
	if g.chance(0.25) && t.since > 2000 {
		until := t.since - 1
		since := until - g.between(2, 9)
		if g.chance(0.5) {
			e := g.anyEnterprise(0.7)
			if e.founded <= since {
				g.worksAt(t, e.ref, pick(g, rolesEnterprise), since, until)
			}
		} else if u := pick(g, g.unis); u.founded <= since {
			g.worksAt(t, u.ref, pick(g, rolesUniversity), since, until)
		}
	}
}

// alumni gives t the degrees it took at Dalian's universities; with alma
// set, t surely holds one, the last taken there.
func (g *gen) alumni(t *talent, unis []*uni, alma *uni) {
	if alma == nil && !g.chance(0.85) {
		return
	}
	grad := min(max(t.since-g.between(0, 12), 1985), LastYear-2)
	if t.academic {
		grad = min(max(t.since-g.between(0, 3), 1985), LastYear-2)
	}
	if alma != nil {
		grad = min(max(t.since-g.between(0, 6), alma.founded+8), LastYear-1)
	}
	degrees := []int{0}
	if g.chance(0.5) || t.academic {
		degrees = append(degrees, 1)
		if g.chance(0.3) || t.academic {
			degrees = append(degrees, 2)
		}
	}
	if alma != nil && alma.typ != "UNIVERSITY" && len(degrees) == 1 {
		degrees = append(degrees, 1) // institutes grant no bachelor's degrees
	}
	// Work back from the last degree.
	years := []int{4, 3, 4}
	until := grad
	for i := len(degrees) - 1; i >= 0; i-- {
		d := degrees[i]
		since := until - years[d]
		var u *uni
		if alma != nil && i == len(degrees)-1 && alma.founded <= since {
			u = alma
		}
		for range 10 {
			if u != nil {
				break
			}
			c := pick(g, unis)
			if (d > 0 || c.typ == "UNIVERSITY") && c.founded <= since {
				u = c
			}
		}
		if u != nil {
			p := g.props(1, since, until, g.conf(0.9, 1))
			p["degree"] = kg.Degree.Values[d]
			if !g.addEdge(kg.AlumnusOf, t.ref, u.ref, 0, "", p) {
				g.addEdge(kg.AlumnusOf, t.ref, u.ref, until, "alu", p)
			}
		}
		until = since
	}
}

// --------------------------------------------------------------- support

// support links enterprises of the district to the policies they applied
// to, year by year: high-tech certifications and renewals under the
// national policy; every R&D super-deduction of the yearly figures as an
// approved claim under the national rules of its year, with the amount
// claimed; other applications to municipal-or-higher policies, about 12
// in the baseline year and 20 in the last; and district applications.
// Applications to a deduction policy come only from enterprises that
// claim a deduction in the year, and to a high-tech reward only from
// enterprises whose certificate is valid in it.
func (g *gen) support() {
	ht, ded21, ded18 := g.pols[0], g.pols[1], g.pols[2]
	apply := func(e *ent, p *policy, y int, status string) bool {
		props := g.props(3, y, y, boxedConf[20])
		props["year"] = yv(y)
		props["status"] = status
		switch {
		case p == ded21 || p == ded18:
			props["amount"] = e.ded[yearOf(y)]
		case status == "APPROVED" && p.def.kind != "HIGH_TECH_CERTIFICATION" && p.def.kind != "RD_DEDUCTION":
			props["amount"] = round1k(g.logNormal(supportAmount[p.level], 0.5, 2e4, 1e7))
		}
		return g.addEdge(kg.SupportedBy, e.ref, p.ref, y, "sb", props)
	}
	status := func(y int) string {
		x := g.r.Float64()
		switch {
		case y == LastYear && x < 0.3:
			return "APPLIED"
		case x < 0.72:
			return "APPROVED"
		}
		return "REJECTED"
	}
	perYear := []float64{12, 13, 15, 16, 18, 20}
	var upper, district []*policy
	for _, p := range g.pols[1:] {
		switch {
		case p.def.level == "DISTRICT":
			district = append(district, p)
		case p.def.kind != "RD_DEDUCTION" || p.def.level != "NATIONAL":
			// National deduction rules are claimed under, not applied to.
			upper = append(upper, p)
		}
	}
	// eligible tells whether e may apply to p in year y.
	eligible := func(e *ent, p *policy, y int) bool {
		switch p.def.kind {
		case "RD_DEDUCTION":
			return e.ded[yearOf(y)] > 0
		case "HIGH_TECH_CERTIFICATION":
			return e.htGranted > 0 && e.htGranted <= y && y <= e.htUntil
		}
		return true
	}
	applicant := func(p *policy, y int) *ent {
		for range 100 {
			if e := pick(g, g.inside); e.founded < y && eligible(e, p, y) {
				return e
			}
		}
		return nil
	}
	// fill adds n applications of year y to policies of pool issued by y,
	// first those that have none yet.
	fill := func(pool []*policy, y, n int) {
		for _, p := range pool {
			if p.firstApp == y && n > 0 {
				if e := applicant(p, y); e != nil && apply(e, p, y, status(y)) {
					n--
				}
			}
		}
		for tries := 0; n > 0 && tries < 20*n+100; tries++ {
			p := pick(g, pool)
			if p.def.year > y {
				continue
			}
			if e := applicant(p, y); e != nil && apply(e, p, y, status(y)) {
				n--
			}
		}
	}
	for y := BaselineYear; y <= LastYear; y++ {
		for _, e := range g.inside {
			if e.htGranted > 0 && e.htGranted <= y && y <= e.htUntil-2 && (y-e.htGranted)%3 == 0 {
				apply(e, ht, y, "APPROVED")
			}
			if e.ded[yearOf(y)] > 0 {
				p := ded21
				if y < ded21.def.year {
					p = ded18
				}
				apply(e, p, y, "APPROVED")
			}
		}
		for k := g.quota(2, 4); k > 0; k-- {
			if e := pick(g, g.inside); e.founded < y && (e.htGranted == 0 || e.htUntil < y) {
				apply(e, ht, y, "REJECTED")
			}
		}
		fill(upper, y, int(math.Round(g.s*perYear[yearOf(y)]*g.uniform(0.9, 1.1))))
		fill(district, y, g.quota(15, 25))
	}
}

// ------------------------------------------------------------ incubation

// operates gives every carrier an operator: a university for some
// makerspaces, otherwise an enterprise of the district, preferably one of
// incubation services founded before the carrier.
func (g *gen) operates() {
	incubation := g.segs[g.segByKey("ts-incubation")]
	for i, c := range g.carriers {
		var op ref = -1
		if c.makerspace && i%3 == 1 {
			u := g.unis[g.r.IntN(len(g.unis))]
			if u.founded == 0 || u.founded <= c.founded {
				op, c.operatorName = u.ref, u.name
			}
		}
		for tries := 0; op < 0 && tries < 200; tries++ {
			var e *ent
			if tries < 100 && len(incubation.inside) > 0 {
				e = pick(g, incubation.inside)
			} else {
				e = pick(g, g.inside)
			}
			if e.founded <= c.founded && (!e.operator || tries >= 50) {
				e.operator = true
				op, c.operatorName = e.ref, e.name
			}
		}
		if op < 0 {
			op, c.operatorName = g.unis[0].ref, g.unis[0].name
		}
		g.addEdge(kg.Operates, op, c.ref, 0, "", g.props(1, c.founded, 0, boxedConf[20]))
	}
}

// incubation links about 34 enterprises incubated in the last year and
// about 23 that graduated before, nearly all in incubators.
func (g *gen) incubation() {
	var incs, mkss []*carrier
	for _, c := range g.carriers {
		if c.makerspace {
			mkss = append(mkss, c)
		} else {
			incs = append(incs, c)
		}
	}
	carrierFor := func(graduated bool) *carrier {
		for range 20 {
			var c *carrier
			if len(mkss) == 0 || (len(incs) > 0 && g.chance(0.88)) {
				c = pick(g, incs)
			} else {
				c = pick(g, mkss)
			}
			if !graduated || c.founded <= LastYear-3 {
				return c
			}
		}
		return nil
	}
	link := func(e *ent, c *carrier, since, graduated int) {
		e.incubated = true
		p := g.props(2, since, graduated, boxedConf[20])
		if graduated > 0 {
			p["graduated"] = yv(graduated)
		}
		g.addEdge(kg.IncubatedBy, e.ref, c.ref, 0, "", p)
	}
	limit := 60*len(g.inside) + 100
	current := g.quota(32, 37)
	for tries := 0; current > 0 && tries < limit; tries++ {
		e := pick(g, g.inside)
		c := carrierFor(false)
		if c == nil || e.incubated || e.founded < 2016 || e.operator {
			continue
		}
		since := min(max(e.founded, c.founded, BaselineYear+1)+g.r.IntN(2), LastYear)
		link(e, c, since, 0)
		current--
	}
	graduates := g.quota(20, 26)
	for tries := 0; graduates > 0 && tries < limit; tries++ {
		e := pick(g, g.inside)
		c := carrierFor(true)
		if c == nil || e.incubated || e.founded < 2013 || e.operator {
			continue
		}
		since := max(e.founded, c.founded) + g.r.IntN(2)
		if since > LastYear-3 {
			continue
		}
		grad := min(since+1+g.r.IntN(3), LastYear-1)
		link(e, c, since, grad)
		graduates--
	}
}

// ------------------------------------------------ services, investments

// services links agencies to the enterprises they serve, year by year.
func (g *gen) services() {
	for _, a := range g.agencies {
		k := g.between(3, 9)
		var last *ent
		for j := 0; j < k; j++ {
			e := last
			if e == nil || !g.chance(0.3) {
				e = g.anyEnterprise(0.88)
			}
			y := g.between(max(e.founded, BaselineYear), LastYear)
			cat := pick(g, a.cats)
			p := g.props(3, y, y, g.conf(0.85, 0.95))
			p["category"] = kg.ServiceCategory.Values[cat]
			p["year"] = yv(y)
			p["value"] = math.Round(g.logNormal(serviceValue[cat], 0.6, 2000, 5e6)/100) * 100
			g.addEdge(kg.Serves, a.ref, e.ref, y, "sv", p)
			last = e
		}
	}
}

// anyEnterprise picks an enterprise, of the district with probability pIn.
func (g *gen) anyEnterprise(pIn float64) *ent {
	if len(g.inside) > 0 && (len(g.inside) == len(g.ents) || g.chance(pIn)) {
		return pick(g, g.inside)
	}
	for {
		if e := pick(g, g.ents); !e.inside {
			return e
		}
	}
}

// investments links venture investors and strategic investors to the
// enterprises they invest in.
func (g *gen) investments() {
	var investors []*agency
	for _, a := range g.agencies {
		if slices.Contains(a.cats, 3) { // FINANCE
			investors = append(investors, a)
		}
	}
	invest := func(from ref, e *ent, y int, round string, amount float64) bool {
		p := g.props(3, y, 0, g.conf(0.9, 1))
		p["round"] = round
		p["year"] = yv(y)
		p["amount"] = round1k(amount)
		return g.addEdge(kg.InvestsIn, from, e.ref, y, "inv", p)
	}
	n := g.quota(42, 48)
	for tries := 0; n > 0 && len(investors) > 0 && tries < 50*n+100; tries++ {
		a := pick(g, investors)
		e := pick(g, g.inside)
		if e.founded < 2010 {
			continue
		}
		y := g.between(max(e.founded, 2016), LastYear)
		for y <= LastYear {
			ri := min(max((y-e.founded)*len(rounds)/9, 0), len(rounds)-1)
			amount := g.logNormal(1e6*math.Pow(2, float64(ri)), 0.4, 2e5, 1e8)
			if !invest(a.ref, e, y, rounds[ri], amount) {
				break
			}
			n--
			if !g.chance(0.25) {
				break
			}
			y += g.between(1, 3)
		}
	}
	// Strategic investments by the district's largest enterprises.
	var big []*ent
	for _, e := range g.inside {
		if e.rev[nYears-1] >= 1e7 {
			big = append(big, e)
		}
	}
	m := g.quota(10, 14)
	for tries := 0; m > 0 && len(big) > 0 && tries < 50*m+100; tries++ {
		from := pick(g, big)
		to := g.anyEnterprise(0.7)
		if to == from || to.chain != from.chain {
			continue
		}
		y := g.between(max(to.founded, from.founded, 2016), LastYear)
		if invest(from.ref, to, y, "战略投资", g.uniform(2e6, 3e7)) {
			m--
		}
	}
}
