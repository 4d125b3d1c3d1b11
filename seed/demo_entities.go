package seed

import (
	"math"
	"slices"
	"strconv"

	"github.com/innograph/innograph/kg"
)

// ------------------------------------------------------------ industries

// industries makes the segments of the chains, numbered upstream to
// downstream within each chain, and links them by FEEDS, along each chain
// and across chains.
func (g *gen) industries() {
	g.chainSegs = make([][]int, len(chains))
	for c := range chains {
		for i, sd := range chains[c].segs {
			id := padID("ind-"+chains[c].key+"-", i+1, 2)
			g.chainSegs[c] = append(g.chainSegs[c], len(g.segs))
			g.segs = append(g.segs, &segment{ref: g.register(id), id: id, chain: c, idx: i, pos: sd.pos,
				manufacturer: sd.manufacturing})
		}
	}
	feed := func(a, b int) {
		g.segs[a].feeds = append(g.segs[a].feeds, b)
		g.addEdge(kg.Feeds, g.segs[a].ref, g.segs[b].ref, 0, "", g.props(1, 0, 0, boxedConf[20]))
	}
	for c := range chains {
		for i, sd := range chains[c].segs {
			for _, to := range sd.feeds {
				feed(g.chainSegs[c][i], g.chainSegs[c][to-1])
			}
		}
	}
	for _, f := range crossFeeds {
		feed(g.segByKey(f[0]), g.segByKey(f[1]))
	}
}

// -------------------------------------------------------------- policies

// policies makes the catalogue of policies and, at larger scales, further
// policies of every level and kind.
func (g *gen) policies() {
	n := g.count(24, len(policyCatalogue))
	w := width(n, 3)
	for i := range n {
		var d policyDef
		if i < len(policyCatalogue) {
			d = policyCatalogue[i]
		} else {
			j := i - len(policyCatalogue)
			lv, kd := j%4, (j/4)%8
			year := g.between(2016, 2024)
			d = policyDef{
				level:  kg.Level.Values[lv],
				kind:   kg.PolicyKind.Values[kd],
				name:   levelPrefix[lv] + policyTopics[kd] + "专项实施细则(" + strconv.Itoa(year) + "年第" + strconv.Itoa(j/32+1) + "批)",
				issuer: levelIssuer[lv],
				year:   year,
			}
		}
		id := padID("pol-", i+1, w)
		p := &policy{ref: g.register(id), id: id, def: d,
			level: slices.Index(kg.Level.Values, d.level)}
		p.firstApp = min(max(d.year, BaselineYear)+g.r.IntN(2), LastYear)
		g.pols = append(g.pols, p)
	}
}

// ---------------------------------------------------------- universities

// universities registers the public anchors, with the chains their
// research fits, and the demo's new R&D institutions.
func (g *gen) universities(anchorsDS Dataset) {
	g.uniChains = make([][]*uni, len(chains))
	chainIndex := func(key string) int {
		return slices.IndexFunc(chains, func(c chainDef) bool { return c.key == key })
	}
	for i, a := range anchors {
		u := &uni{ref: g.register(a.id), id: a.id, name: a.name, district: a.district, typ: a.typ,
			founded: a.founded, node: anchorsDS.Nodes[i]}
		for _, k := range a.chains {
			c := chainIndex(k)
			u.chains = append(u.chains, c)
			g.uniChains[c] = append(g.uniChains[c], u)
		}
		g.unis = append(g.unis, u)
	}
	n := g.count(2, 1)
	w := width(n, 2)
	for i := range n {
		c := i % len(chains)
		name, _ := g.uniqueName(func(a int) (string, string) {
			t, _ := g.tradeName(a)
			return "大连" + t + chains[c].instituteField + "创新研究院", ""
		})
		dist := District
		if g.chance(0.3) {
			dist = otherDistricts[g.weighted(districtWeights)].name
		}
		id := padID("uni-nri-", i+1, w)
		u := &uni{ref: g.register(id), id: id, name: name, district: dist, typ: "NEW_RD_INSTITUTION",
			founded: g.between(2016, 2023), chains: []int{c}, demo: true}
		g.uniChains[c] = append(g.uniChains[c], u)
		g.unis = append(g.unis, u)
	}
}

var districtWeights = func() []float64 {
	w := make([]float64, len(otherDistricts))
	for i, d := range otherDistricts {
		w[i] = d.weight
	}
	return w
}()

var chainWeightsIn, chainWeightsOut = func() ([]float64, []float64) {
	in, out := make([]float64, len(chains)), make([]float64, len(chains))
	for i, c := range chains {
		in[i], out[i] = c.weightIn, c.weightOut
	}
	return in, out
}()

// segWeightsIn and segWeightsOut weigh the segments of each chain for
// enterprises inside and outside the district.
var segWeightsIn, segWeightsOut = func() ([][]float64, [][]float64) {
	in, out := make([][]float64, len(chains)), make([][]float64, len(chains))
	for c, ch := range chains {
		for _, sd := range ch.segs {
			in[c], out[c] = append(in[c], sd.in), append(out[c], sd.out)
		}
	}
	return in, out
}()

// ----------------------------------------------------------- enterprises

// enterprises draws the enterprises: about a fifth of them outside the
// district, each with its segment, founding year, name and credit code.
func (g *gen) enterprises() {
	n := g.count(300, 20)
	nOut := int(math.Round(float64(n) * g.uniform(0.20, 0.24)))
	outside := make([]bool, n)
	for _, i := range g.r.Perm(n)[:nOut] {
		outside[i] = true
	}
	w := width(n, 4)
	g.ents = make([]*ent, n)
	for i := range n {
		e := &ent{id: padID("ent-", i+1, w), inside: !outside[i]}
		e.ref = g.register(e.id)
		if e.inside {
			e.chain = g.weighted(chainWeightsIn)
			e.seg = g.chainSegs[e.chain][g.weighted(segWeightsIn[e.chain])]
			e.district = District
			e.founded = g.foundedInside()
		} else {
			e.chain = g.weighted(chainWeightsOut)
			e.seg = g.chainSegs[e.chain][g.weighted(segWeightsOut[e.chain])]
			e.district = otherDistricts[g.weighted(districtWeights)].name
			e.founded = g.between(1992, 2022)
		}
		e.pos = g.segs[e.seg].pos
		seg := &chains[e.chain].segs[g.segs[e.seg].idx]
		form, formEn := "有限公司", "Co., Ltd."
		if g.chance(0.12) {
			form = "股份有限公司"
		}
		e.name, e.nameEn = g.uniqueName(func(a int) (string, string) {
			t, py := g.tradeName(a)
			wd := pick(g, seg.words)
			return "大连" + t + wd.zh + form, "Dalian " + py + " " + wd.en + " " + formEn
		})
		if !g.chance(0.45) {
			e.nameEn = ""
		}
		code := zhongshanCode
		if !e.inside {
			code = otherDistricts[slices.IndexFunc(otherDistricts, func(d district) bool { return d.name == e.district })].code
		}
		e.code = g.creditCode(code, e.founded)
		g.ents[i] = e
		s := g.segs[e.seg]
		if e.inside {
			g.inside = append(g.inside, e)
			s.inside = append(s.inside, e)
		} else {
			s.out = append(s.out, e)
		}
	}
}

// foundedInside draws the founding year of an enterprise of the district.
func (g *gen) foundedInside() int {
	switch g.weighted([]float64{0.08, 0.20, 0.24, 0.26, 0.22}) {
	case 0:
		return g.between(1993, 1999)
	case 1:
		return g.between(2000, 2009)
	case 2:
		return g.between(2010, 2015)
	case 3:
		return g.between(2016, 2020)
	}
	return g.between(2021, 2025)
}

// creditCode returns a new unified social credit code (GB 32100-2015) of
// an enterprise registered in the division region: 9 (registered by the
// market regulator), 1 (enterprise), the division code, the organisation
// code (GB 11714, with its own check character; "MA…" for enterprises
// registered from 2016) and the check character.
func (g *gen) creditCode(region string, founded int) string {
	for {
		var b [18]byte
		b[0], b[1] = '9', '1'
		copy(b[2:8], region)
		if founded >= 2016 {
			b[8], b[9] = 'M', 'A'
			for i := 10; i < 16; i++ {
				b[i] = kg.CreditCodeChars[g.r.IntN(len(kg.CreditCodeChars))]
			}
		} else {
			b[8] = byte('1' + g.r.IntN(9))
			for i := 9; i < 16; i++ {
				b[i] = byte('0' + g.r.IntN(10))
			}
		}
		b[16] = orgCodeCheck(b[8:16])
		c, err := kg.CreditCodeCheckChar(string(b[:17]))
		if err != nil {
			panic("seed: " + err.Error())
		}
		b[17] = c
		s := string(b[:])
		if _, dup := g.codes[s]; !dup {
			g.codes[s] = struct{}{}
			return s
		}
	}
}

// orgCodeCheck computes the check character of an organisation code
// (GB 11714-1997) from its first eight characters.
func orgCodeCheck(c []byte) byte {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, ch := range c {
		v := int(ch - '0')
		if ch >= 'A' {
			v = int(ch-'A') + 10
		}
		sum += v * weights[i]
	}
	switch r := 11 - sum%11; r {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + r)
	}
}

// -------------------------------------------------------------- carriers

// carrierPattern is a carrier of a block of the district's carriers: its
// level, founding year and, for makerspaces, the makers served in the last
// year and the share of that served in the baseline year.
type carrierPattern struct {
	level        string
	founded      int
	makers, base float64
}

var incubatorPattern = []carrierPattern{
	{"MUNICIPAL", 2021, 0, 0},
	{"DISTRICT", 2014, 0, 0},
	{"DISTRICT", 2019, 0, 0},
}

var makerspacePattern = []carrierPattern{
	{"NATIONAL", 2016, 240, 0.65},
	{"MUNICIPAL", 2017, 172, 0.6},
	{"MUNICIPAL", 2022, 128, 0},
	{"DISTRICT", 2018, 16, 0.7},
	{"DISTRICT", 2020, 13, 0.4},
	{"DISTRICT", 2023, 11, 0},
}

// carrierNodes makes the incubators and makerspaces of the district, block
// by block after the patterns, and the makers the makerspaces serve.
func (g *gen) carrierNodes() {
	nInc, nMks := g.count(3, 1), g.count(6, 1)
	wi, wm := width(nInc, 2), width(nMks, 2)
	for i := range nInc + nMks {
		mks := i >= nInc
		c := &carrier{makerspace: mks}
		var pt carrierPattern
		if mks {
			c.id = padID("mks-", i-nInc+1, wm)
			pt = makerspacePattern[(i-nInc)%len(makerspacePattern)]
		} else {
			c.id = padID("inc-", i+1, wi)
			pt = incubatorPattern[i%len(incubatorPattern)]
		}
		c.ref = g.register(c.id)
		c.level = slices.Index(kg.Level.Values, pt.level)
		c.founded = pt.founded
		if (mks && i-nInc >= len(makerspacePattern)) || (!mks && i >= len(incubatorPattern)) {
			c.founded += g.r.IntN(2)
		}
		pl := pick(g, places)
		if mks {
			c.name = pl + pick(g, makerspaceStyles)
		} else {
			c.name = "大连" + pl + pick(g, incubatorStyles)
		}
		if _, dup := g.names[c.name]; dup {
			// A further site of the same brand.
			g.sites[c.name]++
			c.name += "(" + strconv.Itoa(g.sites[c.name]+1) + "号基地)"
		}
		g.names[c.name] = struct{}{}
		if mks {
			m25 := pt.makers * g.uniform(0.92, 1.08)
			first := max(c.founded, BaselineYear)
			for y := first; y <= LastYear; y++ {
				var v float64
				if pt.base > 0 && c.founded < BaselineYear {
					v = m25 * math.Pow(pt.base, float64(LastYear-y)/float64(nYears-1))
				} else {
					v = m25 * math.Pow(float64(y-first+1)/float64(LastYear-first+1), 0.7)
				}
				if y < LastYear {
					v *= g.uniform(0.95, 1.05)
				}
				c.makers[yearOf(y)] = max(1, math.Round(v))
			}
		} else {
			c.area = math.Round(g.uniform(6000, 25000)/100) * 100
		}
		g.carriers = append(g.carriers, c)
	}
}

// -------------------------------------------------------------- agencies

// agencyNodes makes the service agencies: the first categories of
// consecutive agencies cycle through all six.
func (g *gen) agencyNodes() {
	n := g.count(40, len(kg.ServiceCategory.Values))
	w := width(n, 3)
	for i := range n {
		a := &agency{id: padID("sa-", i+1, w)}
		a.ref = g.register(a.id)
		first := i % len(kg.ServiceCategory.Values)
		has := make([]bool, len(kg.ServiceCategory.Values))
		has[first] = true
		for _, p := range []float64{0.5, 0.2} {
			if g.chance(p) {
				has[g.r.IntN(len(has))] = true
			}
		}
		for c, ok := range has {
			if ok {
				a.cats = append(a.cats, c)
			}
		}
		a.level = g.weighted([]float64{0.05, 0.15, 0.35, 0.45}) // NATIONAL … DISTRICT
		a.dist = District
		if g.chance(0.2) {
			a.dist = otherDistricts[g.weighted(districtWeights)].name
		}
		a.name, a.nameEn = g.uniqueName(func(at int) (string, string) {
			t, py := g.tradeName(at)
			wd := pick(g, agencyNames[first])
			return "大连" + t + wd.zh, "Dalian " + py + " " + wd.en
		})
		if !g.chance(0.5) {
			a.nameEn = ""
		}
		g.agencies = append(g.agencies, a)
	}
}
