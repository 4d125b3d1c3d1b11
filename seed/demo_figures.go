package seed

import (
	"cmp"
	"math"
	"slices"
)

// --------------------------------------------------------------- figures

// figures draws the yearly figures of the district's enterprises so that
// the plan's enterprise indicators land near their targets: revenues of a
// skewed distribution (a few leaders, a long tail of small firms), each
// enterprise on its own noisy path, no two with the same revenue in the
// last year; the above-designated-size status of every year from that
// year's revenue; R&D investment at an intensity of the enterprise's own.
func (g *gen) figures() {
	in := g.inside
	score := make([]float64, len(in))
	for i, e := range in {
		score[i] = math.Log(float64(LastYear+1-e.founded)) + 0.8*g.r.NormFloat64()
	}
	order := make([]int, len(in))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(score[b], score[a]) })
	k100 := g.count(2, 0)
	k10 := g.quota(29.5, 33.5)
	used := make(map[float64]bool, len(in))
	for rank, i := range order {
		e := in[i]
		leader := rank < k100
		var rev25, growth float64
		switch {
		case leader && rank%2 == 0:
			rev25, growth = g.pareto(1.6e8, 4.5e8, 1.5), g.uniform(1.03, 1.08)
		case leader:
			rev25, growth = g.pareto(1.02e8, 1.6e8, 1.2), g.uniform(1.14, 1.22)
		case rank < k10:
			rev25 = g.pareto(1.01e7, 9.5e7, 1.05)
		default:
			rev25 = g.truncLogNormal(1.9e6, 1.1, 1e5, 9.9e6)
		}
		if growth == 0 {
			if e.founded <= 2015 {
				growth = g.truncNormal(1.06, 0.08, 0.85, 1.3)
			} else {
				growth = g.truncNormal(1.22, 0.12, 0.95, 1.6)
			}
		}
		v := round1k(rev25)
		for used[v] {
			v += 1000
		}
		used[v] = true
		first := max(e.founded, BaselineYear)
		// Walk back from the last year; only the leaders ever pass 100
		// million: a path that does is drawn again.
		for again := true; again; {
			again = false
			e.rev[yearOf(LastYear)] = v
			start := g.uniform(0.08, 0.4)
			for y := LastYear - 1; y >= first; y-- {
				var x float64
				if e.founded >= BaselineYear {
					x = rev25 * math.Pow(start, float64(LastYear-y)/float64(LastYear-e.founded)) * math.Exp(0.1*g.r.NormFloat64())
				} else {
					x = e.rev[yearOf(y+1)] / growth * math.Exp(0.09*g.r.NormFloat64())
				}
				e.rev[yearOf(y)] = round1k(x)
				if !leader && x >= 9.8e7 {
					again = true
				}
			}
		}
		perEmployee := g.uniform(2e5, 5e5)
		for y := first; y <= LastYear; y++ {
			e.emp[yearOf(y)] = max(3, math.Round(e.rev[yearOf(y)]/perEmployee*g.uniform(0.95, 1.05)))
		}
		threshold := 1e7
		if g.segs[e.seg].manufacturer {
			threshold = 2e7
		}
		ever := false
		for y := first; y <= LastYear; y++ {
			e.above[yearOf(y)] = e.rev[yearOf(y)] >= threshold
			ever = ever || e.above[yearOf(y)]
		}
		e.aboveScale = e.above[yearOf(LastYear)]
		e.hasRD = ever || g.chance(0.8)
		if e.hasRD {
			intensity := chains[e.chain].rdIntensity * g.truncLogNormal(1, 0.5, 0.25, 3.5)
			for y := first; y <= LastYear; y++ {
				e.rd[yearOf(y)] = e.rev[yearOf(y)] * intensity * math.Exp(0.1*g.r.NormFloat64())
			}
		}
	}
	// R&D investment of the enterprises above designated size in the
	// year: about 85 million CNY in the last year, about doubled since the
	// baseline year. Every enterprise's R&D is scaled alike, and the
	// earlier years less, so intensities rise over the plan period.
	sum := func(y int) float64 {
		var s float64
		for _, e := range in {
			if e.above[yearOf(y)] {
				s += e.rd[yearOf(y)]
			}
		}
		return s
	}
	target := g.s * g.uniform(81e6, 89e6)
	if s25 := sum(LastYear); s25 > 0 {
		f := target / s25
		for _, e := range in {
			for y := range e.rd {
				e.rd[y] *= f
			}
		}
	}
	if s20 := sum(BaselineYear); s20 > 0 {
		c := target / g.uniform(2.0, 2.15) / s20
		for _, e := range in {
			for y := 0; y < nYears-1; y++ {
				e.rd[y] *= math.Pow(c, float64(nYears-1-y)/float64(nYears-1))
			}
		}
	}
	for _, e := range in {
		for y := range e.rd {
			if e.rd[y] > 0 {
				e.rd[y] = round1k(min(e.rd[y], e.rev[y]*g.uniform(0.45, 0.55)))
			}
		}
	}
	for _, e := range g.ents {
		if e.inside {
			continue
		}
		emp25 := g.logNormal(80, 1.1, 8, 5000)
		growth := g.uniform(0.97, 1.15)
		for y := max(e.founded, BaselineYear); y <= LastYear; y++ {
			e.emp[yearOf(y)] = max(3, math.Round(emp25/math.Pow(growth, float64(LastYear-y))))
		}
	}
}

// highTech grants high-tech certificates: about 85 enterprises hold a
// valid one in the last year, about half of them did in the baseline year,
// and a few certificates lapsed in between.
func (g *gen) highTech() {
	type cand struct {
		e     *ent
		score float64
	}
	var cands []cand
	for _, e := range g.inside {
		if e.hasRD && e.founded <= LastYear-2 {
			s := g.r.Float64() + e.rd[nYears-1]/max(e.rev[nYears-1], 1)*5
			if e.aboveScale {
				s += 0.5
			}
			cands = append(cands, cand{e, s})
		}
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return cmp.Compare(b.score, a.score) })
	q := min(g.quota(82, 88), len(cands))
	for _, c := range cands[:q] {
		e := c.e
		earliest := max(e.founded+1, 2010)
		if earliest <= BaselineYear && g.chance(0.55) {
			e.htGranted = g.between(max(earliest, 2012), BaselineYear)
		} else {
			e.htGranted = g.between(max(earliest, BaselineYear+1), LastYear)
		}
		e.htUntil = e.htGranted + 2
		for e.htUntil < LastYear {
			e.htUntil += 3
		}
	}
	// Lapsed certificates.
	lapsed := g.quota(6, 10)
	for tries := 0; lapsed > 0 && tries < 50*len(g.inside)+50; tries++ {
		e := pick(g, g.inside)
		if e.htGranted != 0 || e.founded > 2016 {
			continue
		}
		e.htGranted = g.between(max(e.founded+1, 2012), BaselineYear)
		e.htUntil = e.htGranted + 2
		if g.chance(0.3) && e.htUntil+3 < LastYear {
			e.htUntil += 3
		}
		lapsed--
	}
}

// deductions makes about 73 enterprises claim the R&D super-deduction in
// the last year, about half as many in the baseline year.
func (g *gen) deductions() {
	type cand struct {
		e     *ent
		score float64
	}
	var cands []cand
	for _, e := range g.inside {
		if !e.hasRD {
			continue
		}
		s := g.uniform(0, 1.5)
		if e.htUntil >= LastYear {
			s += 2
		}
		if e.aboveScale {
			s += 0.5
		}
		cands = append(cands, cand{e, s})
	}
	slices.SortStableFunc(cands, func(a, b cand) int { return cmp.Compare(b.score, a.score) })
	q := min(g.quota(70, 76), len(cands))
	for _, c := range cands[:q] {
		e := c.e
		first := max(e.founded, BaselineYear)
		start := g.between(max(first, BaselineYear+1), LastYear)
		if first == BaselineYear && g.chance(0.6) {
			start = BaselineYear
		}
		eligible := g.uniform(0.65, 0.9)
		for y := start; y <= LastYear; y++ {
			rate := 0.75
			if y >= 2023 || (y >= 2021 && g.segs[e.seg].manufacturer) {
				rate = 1
			}
			e.ded[yearOf(y)] = round1k(e.rd[yearOf(y)] * eligible * rate)
		}
	}
}
