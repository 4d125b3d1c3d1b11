package seed

import (
	"cmp"
	"math"
	"slices"
)

// --------------------------------------------------------------- figures

// figures draws the yearly figures of the district's enterprises so that
// the plan's enterprise indicators land near their targets.
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
	for rank, i := range order {
		e := in[i]
		var rev25, growth float64
		switch {
		case rank < k100 && rank%2 == 0:
			rev25, growth = g.uniform(1.8e8, 3.0e8), g.uniform(1.03, 1.08)
		case rank < k100:
			rev25, growth = g.uniform(1.05e8, 1.5e8), g.uniform(1.14, 1.22)
		case rank < k10:
			rev25 = g.logNormal(2.2e7, 0.6, 1.05e7, 9.5e7)
		default:
			rev25 = g.logNormal(2.2e6, 1.0, 2e5, 9.6e6)
		}
		if growth == 0 {
			if e.founded <= 2015 {
				growth = g.uniform(0.96, 1.25)
			} else {
				growth = g.uniform(1.10, 1.50)
			}
		}
		first := max(e.founded, BaselineYear)
		start := g.uniform(0.08, 0.4)
		for y := first; y <= LastYear; y++ {
			var v float64
			switch {
			case y == LastYear:
				v = rev25
			case e.founded >= BaselineYear:
				v = rev25 * math.Pow(start, float64(LastYear-y)/float64(LastYear-e.founded)) * g.uniform(0.95, 1.05)
			default:
				v = rev25 / math.Pow(growth, float64(LastYear-y)) * g.uniform(0.95, 1.05)
			}
			if rank >= k100 {
				v = min(v, 9.5e7) // only the leaders ever pass 100 million
			}
			e.rev[yearOf(y)] = round1k(v)
		}
		perEmployee := g.uniform(2e5, 5e5)
		for y := first; y <= LastYear; y++ {
			e.emp[yearOf(y)] = max(3, math.Round(e.rev[yearOf(y)]/perEmployee*g.uniform(0.95, 1.05)))
		}
		threshold := 1e7
		if g.segs[e.seg].manufacturer {
			threshold = 2e7
		}
		e.aboveScale = rev25 >= threshold
		e.hasRD = e.aboveScale || g.chance(0.8)
		if e.hasRD {
			intensity := chains[e.chain].rdIntensity * g.uniform(0.6, 1.4)
			for y := first; y <= LastYear; y++ {
				e.rd[yearOf(y)] = e.rev[yearOf(y)] * intensity * g.uniform(0.9, 1.1)
			}
		}
	}
	// R&D investment of above-scale enterprises: about 85 million CNY in
	// the last year, about doubled since the baseline.
	var s25, s20 float64
	for _, e := range in {
		if e.aboveScale {
			s25 += e.rd[nYears-1]
		}
	}
	target := g.s * g.uniform(81e6, 89e6)
	if s25 > 0 {
		f := target / s25
		for _, e := range in {
			if e.aboveScale {
				for y := range e.rd {
					e.rd[y] *= f
				}
				s20 += e.rd[0]
			}
		}
	}
	if s20 > 0 {
		c := target / g.uniform(2.0, 2.15) / s20
		for _, e := range in {
			if e.aboveScale {
				for y := 0; y < nYears-1; y++ {
					e.rd[y] *= math.Pow(c, float64(nYears-1-y)/float64(nYears-1))
				}
			}
		}
	}
	for _, e := range in {
		for y := range e.rd {
			if e.rd[y] > 0 {
				e.rd[y] = round1k(min(e.rd[y], 0.5*e.rev[y]))
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
