package seed

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/innograph/innograph/analytics"
	"github.com/innograph/innograph/kg"
)

// check runs the dataset through kg.PrepareBatch and kg.CheckBatch, with
// stored facts made of the dataset's own nodes, and fails on any error.
func check(t *testing.T, d Dataset) {
	t.Helper()
	b := kg.Batch{Nodes: d.Nodes, Edges: d.Edges}
	if err := kg.PrepareBatch(&b); err != nil {
		t.Fatalf("PrepareBatch: %v", err)
	}
	kinds := make(map[string]kg.Kind, len(d.Nodes))
	for _, n := range d.Nodes {
		kinds[n.ID] = n.Kind
	}
	st := kg.StoredFacts{
		NodeKind: func(id string) (kg.Kind, bool) { k, ok := kinds[id]; return k, ok },
		EdgeType: func(string) (kg.RelType, string, string, bool) { return "", "", "", false },
	}
	if err := kg.CheckBatch(&b, st); err != nil {
		t.Fatalf("CheckBatch: %v", err)
	}
	seen := map[string]bool{}
	for _, n := range b.Nodes {
		if seen[n.ID] {
			t.Fatalf("node id %q repeats", n.ID)
		}
		seen[n.ID] = true
	}
	seen = map[string]bool{}
	for _, e := range b.Edges {
		if e.ID == "" || seen[e.ID] {
			t.Fatalf("edge id %q empty or repeated after PrepareBatch", e.ID)
		}
		seen[e.ID] = true
	}
}

func TestOntology(t *testing.T) {
	tests := []struct {
		name string
		d    func() Dataset
	}{
		{"plan", Plan},
		{"anchors", PublicAnchors},
		{"demo", func() Dataset { return Demo(Config{}) }},
		{"demo scale 0.05", func() Dataset { return Demo(Config{Scale: 0.05, Seed: 3}) }},
		{"demo scale 3 seed 42", func() Dataset { return Demo(Config{Scale: 3, Seed: 42}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check(t, tt.d())
		})
	}
}

// TestNormalised checks that the datasets already hold normalised values:
// kg.PrepareBatch changes nothing but the default edge ids.
func TestNormalised(t *testing.T) {
	prepared, fresh := Demo(Config{}), Demo(Config{})
	b := kg.Batch{Nodes: prepared.Nodes, Edges: prepared.Edges}
	if err := kg.PrepareBatch(&b); err != nil {
		t.Fatal(err)
	}
	for i := range fresh.Nodes {
		if !reflect.DeepEqual(fresh.Nodes[i], prepared.Nodes[i]) {
			t.Fatalf("node %s changed by PrepareBatch:\n%#v\n%#v", fresh.Nodes[i].ID, fresh.Nodes[i].Props, prepared.Nodes[i].Props)
		}
	}
	for i, e := range fresh.Edges {
		p := prepared.Edges[i]
		if e.ID == "" {
			e.ID = kg.EdgeID(e.Type, e.From, e.To)
		}
		if !reflect.DeepEqual(e, p) {
			t.Fatalf("edge %d changed by PrepareBatch:\n%#v\n%#v", i, e, p)
		}
	}
}

type counts struct {
	nodes map[kg.Kind]int
	edges map[kg.RelType]int
}

func countOf(d Dataset) counts {
	c := counts{nodes: map[kg.Kind]int{}, edges: map[kg.RelType]int{}}
	for _, n := range d.Nodes {
		c.nodes[n.Kind]++
	}
	for _, e := range d.Edges {
		c.edges[e.Type]++
	}
	return c
}

func TestSizes(t *testing.T) {
	tests := []struct {
		scale float64
	}{{1}, {10}}
	for _, tt := range tests {
		t.Run(fmt.Sprint("scale ", tt.scale), func(t *testing.T) {
			d := Demo(Config{Scale: tt.scale})
			c := countOf(d)
			s := tt.scale
			mins := []struct {
				kind kg.Kind
				min  float64
			}{
				{kg.Enterprise, 300 * s}, {kg.Incubator, 3 * s}, {kg.Makerspace, 6 * s}, {kg.Talent, 200*s - 40},
				{kg.ServiceAgency, 40 * s}, {kg.University, 8}, {kg.Policy, 25}, {kg.Industry, 40},
				{kg.Plan, 1}, {kg.Indicator, 10},
			}
			for _, m := range mins {
				if float64(c.nodes[m.kind]) < m.min {
					t.Errorf("%d %s nodes, want at least %v", c.nodes[m.kind], m.kind, m.min)
				}
			}
			for _, rt := range kg.RelTypes {
				if c.edges[rt] == 0 {
					t.Errorf("no %s relationship", rt)
				}
			}
			if min := 2000 * s; float64(len(d.Edges)) < min {
				t.Errorf("%d relationships, want at least %v", len(d.Edges), min)
			}
			// Linear growth: about 575 nodes per unit of scale.
			if want := 575*s + 36; math.Abs(float64(len(d.Nodes))-want) > 0.03*want {
				t.Errorf("%d nodes, want about %v", len(d.Nodes), want)
			}
			t.Logf("scale %v: %d nodes %v, %d edges %v", s, len(d.Nodes), c.nodes, len(d.Edges), c.edges)
		})
	}
}

func TestCoverage(t *testing.T) {
	d := Demo(Config{})
	used := map[string]map[string]bool{}
	mark := func(enum, v string) {
		if used[enum] == nil {
			used[enum] = map[string]bool{}
		}
		used[enum][v] = true
	}
	for _, n := range d.Nodes {
		mark("Kind", string(n.Kind))
		switch n.Kind {
		case kg.Policy:
			mark("Level", n.Props.Str("level"))
			mark("PolicyKind", n.Props.Str("type"))
		case kg.University:
			mark("UniversityKind", n.Props.Str("type"))
		case kg.Industry:
			mark("ChainPosition", n.Props.Str("position"))
		case kg.ServiceAgency:
			for _, c := range n.Props.Strings("categories") {
				mark("ServiceCategory", c)
			}
		}
		if n.Props.Str("source") == "" {
			t.Errorf("node %s has no source", n.ID)
		}
	}
	for _, e := range d.Edges {
		mark("RelType", string(e.Type))
		switch e.Type {
		case kg.CollaboratesWith:
			mark("CollaborationMode", e.Props.Str("mode"))
		case kg.AlumnusOf:
			mark("Degree", e.Props.Str("degree"))
		case kg.SupportedBy:
			mark("SupportStatus", e.Props.Str("status"))
		case kg.Serves:
			mark("ServedCategory", e.Props.Str("category"))
		}
		if e.Props.Str("source") == "" {
			t.Errorf("edge %s %s→%s has no source", e.Type, e.From, e.To)
		}
		if _, ok := e.Props.Float("confidence"); !ok {
			t.Errorf("edge %s %s→%s has no confidence", e.Type, e.From, e.To)
		}
	}
	kinds := make([]string, len(kg.Kinds))
	for i, k := range kg.Kinds {
		kinds[i] = string(k)
	}
	rels := make([]string, len(kg.RelTypes))
	for i, r := range kg.RelTypes {
		rels[i] = string(r)
	}
	tests := []struct {
		enum string
		want []string
	}{
		{"Kind", kinds},
		{"RelType", rels},
		{"Level", kg.Level.Values},
		{"PolicyKind", kg.PolicyKind.Values},
		{"UniversityKind", kg.UniversityKind.Values},
		{"ChainPosition", kg.ChainPosition.Values},
		{"ServiceCategory", kg.ServiceCategory.Values},
		{"ServedCategory", kg.ServiceCategory.Values},
		{"CollaborationMode", kg.CollaborationMode.Values},
		{"Degree", kg.Degree.Values},
		{"SupportStatus", kg.SupportStatus.Values},
	}
	for _, tt := range tests {
		for _, v := range tt.want {
			if !used[tt.enum][v] {
				t.Errorf("%s %s is not used", tt.enum, v)
			}
		}
	}
}

// TestEndpointKinds checks that every kind a relationship type allows at
// either end stands there somewhere.
func TestEndpointKinds(t *testing.T) {
	d := Demo(Config{})
	kind := map[string]kg.Kind{}
	for _, n := range d.Nodes {
		kind[n.ID] = n.Kind
	}
	from, to := map[kg.RelType]map[kg.Kind]bool{}, map[kg.RelType]map[kg.Kind]bool{}
	for _, e := range d.Edges {
		if from[e.Type] == nil {
			from[e.Type], to[e.Type] = map[kg.Kind]bool{}, map[kg.Kind]bool{}
		}
		from[e.Type][kind[e.From]] = true
		to[e.Type][kind[e.To]] = true
	}
	for _, rt := range kg.RelTypes {
		spec := kg.RelSpecs[rt]
		for _, k := range spec.From {
			if !from[rt][k] {
				t.Errorf("no %s starts at a %s", rt, k)
			}
		}
		for _, k := range spec.To {
			if !to[rt][k] {
				t.Errorf("no %s ends at a %s", rt, k)
			}
		}
	}
}

// TestSinceUntil checks that relationships carry the years they hold.
func TestSinceUntil(t *testing.T) {
	d := Demo(Config{})
	withSince := map[kg.RelType]int{}
	withUntil := map[kg.RelType]int{}
	total := map[kg.RelType]int{}
	for _, e := range d.Edges {
		total[e.Type]++
		if _, ok := e.Props.Int("since"); ok {
			withSince[e.Type]++
		}
		if _, ok := e.Props.Int("until"); ok {
			withUntil[e.Type]++
		}
	}
	for _, rt := range kg.RelTypes {
		switch rt {
		case kg.Feeds, kg.HasIndicator:
			continue // timeless
		}
		if withSince[rt] != total[rt] {
			t.Errorf("%s: %d of %d carry since", rt, withSince[rt], total[rt])
		}
	}
	for _, rt := range []kg.RelType{kg.Supplies, kg.CollaboratesWith, kg.IncubatedBy, kg.WorksAt, kg.AlumnusOf, kg.Serves, kg.SupportedBy} {
		if withUntil[rt] == 0 {
			t.Errorf("no %s carries until", rt)
		}
	}
}

func TestDeterminism(t *testing.T) {
	tests := []struct {
		name string
		a, b Config
		same bool
	}{
		{"same seed", Config{Scale: 1, Seed: 1}, Config{Scale: 1, Seed: 1}, true},
		{"defaults", Config{}, Config{Scale: 1, Seed: 1}, true},
		{"same seed scale 2.5", Config{Scale: 2.5, Seed: 9}, Config{Scale: 2.5, Seed: 9}, true},
		{"different seed", Config{Seed: 1}, Config{Seed: 2}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := Demo(tt.a), Demo(tt.b)
			if got := reflect.DeepEqual(a, b); got != tt.same {
				t.Fatalf("DeepEqual = %v, want %v", got, tt.same)
			}
			ja, err := json.Marshal(a)
			if err != nil {
				t.Fatal(err)
			}
			jb, err := json.Marshal(b)
			if err != nil {
				t.Fatal(err)
			}
			if got := string(ja) == string(jb); got != tt.same {
				t.Fatalf("JSON equal = %v, want %v", got, tt.same)
			}
		})
	}
}

// indicators computes the plan's indicators for a year from a dataset, by
// the definitions of the plan's table. With district set, enterprises
// outside it are left out.
func indicators(d Dataset, year int, district string) map[string]float64 {
	v := map[string]float64{}
	level := map[string]int{}
	for _, n := range d.Nodes {
		p := n.Props
		founded, _ := p.Int("foundedYear")
		switch n.Kind {
		case kg.Enterprise:
			if district != "" && p.Str("district") != district {
				continue
			}
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
				if r > 100_000_000 {
					v[analytics.FormulaRevenueOver100M]++
				}
			}
		case kg.Incubator:
			if kg.LevelRank(p.Str("level")) >= 2 && int(founded) <= year {
				v[analytics.FormulaIncubators]++
			}
		case kg.Makerspace:
			if kg.LevelRank(p.Str("level")) >= 2 && int(founded) <= year {
				v[analytics.FormulaMakerspaces]++
				v["MAKERS_SERVED_MUNICIPAL_PLUS"] += p.Series("makersServed")[year]
			}
			v[analytics.FormulaMakersServed] += p.Series("makersServed")[year]
		case kg.Policy:
			level[n.ID] = kg.LevelRank(p.Str("level"))
		}
	}
	for _, e := range d.Edges {
		switch e.Type {
		case kg.SupportedBy:
			if y, _ := e.Props.Int("year"); int(y) == year && level[e.To] >= 2 {
				v[analytics.FormulaPolicyApplications]++
			}
		case kg.IncubatedBy:
			if e.Active(year) {
				v[analytics.FormulaIncubated]++
				if strings.HasPrefix(e.To, "inc-") {
					v["INCUBATED_IN_INCUBATORS"]++
				}
			}
		}
	}
	return v
}

// indicatorRanges are the ranges the indicators of the last year must
// fall in, per unit of scale.
var indicatorRanges = map[string][2]float64{
	analytics.FormulaHighTech:           {70, 95},
	analytics.FormulaRDDeduction:        {60, 85},
	analytics.FormulaRDInvestment:       {70e6, 95e6},
	analytics.FormulaPolicyApplications: {95, 150},
	analytics.FormulaRevenueOver10M:     {25, 35},
	analytics.FormulaRevenueOver100M:    {2, 4},
	analytics.FormulaIncubators:         {1, 2},
	analytics.FormulaIncubated:          {25, 40},
	analytics.FormulaMakerspaces:        {3, 5},
	analytics.FormulaMakersServed:       {500, 700},
	"MAKERS_SERVED_MUNICIPAL_PLUS":      {500, 700},
	"INCUBATED_IN_INCUBATORS":           {25, 40},
}

func TestIndicators(t *testing.T) {
	tests := []struct {
		cfg Config
	}{
		{Config{Seed: 1}}, {Config{Seed: 2}}, {Config{Seed: 3}}, {Config{Seed: 4}}, {Config{Seed: 5}},
		{Config{Scale: 10, Seed: 1}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("scale %v seed %d", tt.cfg.withDefaults().Scale, tt.cfg.Seed), func(t *testing.T) {
			d := Demo(tt.cfg)
			s := tt.cfg.withDefaults().Scale
			last, base := indicators(d, LastYear, ""), indicators(d, BaselineYear, "")
			for _, f := range append(slices.Clone(analytics.Formulas), "MAKERS_SERVED_MUNICIPAL_PLUS", "INCUBATED_IN_INCUBATORS") {
				r := indicatorRanges[f]
				if got := last[f] / s; got < r[0] || got > r[1] {
					t.Errorf("%s in %d = %v per unit of scale, want %v..%v", f, LastYear, got, r[0], r[1])
				}
				if base[f] >= last[f] {
					t.Errorf("%s: baseline %v not below %v", f, base[f], last[f])
				}
			}
			for _, f := range []string{analytics.FormulaHighTech, analytics.FormulaRDDeduction, analytics.FormulaRDInvestment, analytics.FormulaPolicyApplications, analytics.FormulaIncubated, analytics.FormulaMakersServed} {
				if base[f] > 0.8*last[f] {
					t.Errorf("%s: baseline %v is not clearly below %v", f, base[f], last[f])
				}
			}
			if ratio := last[analytics.FormulaRDInvestment] / base[analytics.FormulaRDInvestment]; ratio < 1.8 || ratio > 2.4 {
				t.Errorf("R&D investment of above-scale enterprises grew %.2f times, want about double", ratio)
			}
			// Enterprises outside the district carry no statistics: the
			// indicators are the same restricted to the district.
			for _, y := range []int{BaselineYear, LastYear} {
				if all, in := indicators(d, y, ""), indicators(d, y, District); !reflect.DeepEqual(all, in) {
					t.Errorf("%d: indicators differ restricted to %s:\n%v\n%v", y, District, all, in)
				}
			}
			// Some indicators are met, some not.
			met, behind := 0, 0
			for i, def := range indicatorDefs {
				if last[analytics.Formulas[i]] >= def.target*s {
					met++
				} else {
					behind++
				}
			}
			if met < 2 || behind < 2 {
				t.Errorf("%d indicators met and %d behind, want a mix", met, behind)
			}
			for i, f := range analytics.Formulas {
				t.Logf("%2d %-36s %14.0f → %14.0f (target %v)", i+1, f, base[f], last[f], indicatorDefs[i].target*s)
			}
		})
	}
}

func TestCreditCodes(t *testing.T) {
	regions := map[string]string{District: zhongshanCode}
	for _, d := range otherDistricts {
		regions[d.name] = d.code
	}
	for _, scale := range []float64{1, 10} {
		d := Demo(Config{Scale: scale})
		seen := map[string]string{}
		for _, n := range d.Nodes {
			if n.Kind != kg.Enterprise {
				continue
			}
			code := n.Props.Str("creditCode")
			if err := kg.ValidateCreditCode(code); err != nil {
				t.Errorf("%s: %v", n.ID, err)
			}
			if other, dup := seen[code]; dup {
				t.Errorf("%s and %s share credit code %s", other, n.ID, code)
			}
			seen[code] = n.ID
			if want := "91" + regions[n.Props.Str("district")]; !strings.HasPrefix(code, want) {
				t.Errorf("%s in %s has credit code %s, want prefix %s", n.ID, n.Props.Str("district"), code, want)
			}
			if c := orgCodeCheck([]byte(code[8:16])); code[16] != c {
				t.Errorf("%s: organisation code check %c, want %c", code, code[16], c)
			}
		}
		if len(seen) < int(300*scale) {
			t.Errorf("scale %v: %d credit codes", scale, len(seen))
		}
	}
}

func TestOrgCodeCheck(t *testing.T) {
	tests := []struct {
		code string
		want byte
	}{
		// Weighted sums 3·1+7·2+9·3+10·4+5·5+8·6+4·7+2·8 = 201, 201 mod 11 = 3.
		{"12345678", '8'},
		{"00000000", '0'},
		// 3·1 = 3: 11-3 = 8.
		{"10000000", '8'},
		// 7·1 = 7 → 4; 2·1 = 2 → 9; 10·1 = 10 → 1; 5·2 = 10 → 1.
		{"01000000", '4'},
		{"00000001", '9'},
		// 3·22(M)+7·10(A) = 136, 136 mod 11 = 4 → 7.
		{"MA000000", '7'},
		// 9·1 = 9 → 2; 3·4 = 12 → 1 → 10 → X.
		{"00100000", '2'},
		{"40000000", 'X'},
	}
	for _, tt := range tests {
		if got := orgCodeCheck([]byte(tt.code)); got != tt.want {
			t.Errorf("orgCodeCheck(%s) = %c, want %c", tt.code, got, tt.want)
		}
	}
}

func TestNames(t *testing.T) {
	d := Demo(Config{Scale: 10})
	seen := map[string]string{}
	nameRe := regexp.MustCompile(`^大连\p{Han}{2,3}\p{Han}+(股份)?有限公司$`)
	for _, n := range d.Nodes {
		name := n.Props.Str("name")
		switch n.Kind {
		case kg.Enterprise:
			if !nameRe.MatchString(name) {
				t.Errorf("%s: implausible name %q", n.ID, name)
			}
		case kg.Talent:
			continue // people share names
		}
		if other, dup := seen[name]; dup {
			t.Errorf("%s and %s are both named %q", other, n.ID, name)
		}
		seen[name] = n.ID
	}
}

func TestIDs(t *testing.T) {
	tests := []struct {
		scale float64
		re    map[kg.Kind]string
	}{
		{1, map[kg.Kind]string{
			kg.Enterprise: `^ent-\d{4}$`, kg.Incubator: `^inc-\d{2}$`, kg.Makerspace: `^mks-\d{2}$`,
			kg.Talent: `^tal-\d{4}$`, kg.ServiceAgency: `^sa-\d{3}$`, kg.Policy: `^pol-\d{3}$`,
			kg.University: `^uni-[a-z]+(-\d{2})?$`, kg.Industry: `^ind-[a-z]+-\d{2}$`,
			kg.Plan: `^plan-zs-14$`, kg.Indicator: `^ind-zs-14-\d{2}$`,
		}},
		{40, map[kg.Kind]string{
			kg.Enterprise: `^ent-\d{5}$`, kg.Incubator: `^inc-\d{3}$`, kg.Makerspace: `^mks-\d{3}$`,
			kg.Talent: `^tal-\d{4}$`, kg.ServiceAgency: `^sa-\d{4}$`, kg.Policy: `^pol-\d{3}$`,
		}},
	}
	for _, tt := range tests {
		d := Demo(Config{Scale: tt.scale})
		for _, n := range d.Nodes {
			if re, ok := tt.re[n.Kind]; ok && !regexp.MustCompile(re).MatchString(n.ID) {
				t.Errorf("scale %v: %s id %q does not match %s", tt.scale, n.Kind, n.ID, re)
			}
		}
	}
}

func TestPlan(t *testing.T) {
	d := Plan()
	if d.Nodes[0].ID != PlanID || d.Nodes[0].Kind != kg.Plan {
		t.Fatalf("first node %s %s", d.Nodes[0].ID, d.Nodes[0].Kind)
	}
	targets := []float64{80, 80, 80_000_000, 50, 30, 3, 1, 30, 4, 600}
	for i, n := range d.Nodes[1:] {
		p := n.Props
		num, _ := p.Int("number")
		target, _ := p.Float("target")
		base, _ := p.Int("baselineYear")
		if n.ID != IndicatorID(i+1) || num != int64(i+1) || p.Str("formula") != analytics.Formulas[i] ||
			target != targets[i] || base != BaselineYear || p.Str("text") == "" || p.Str("unit") == "" {
			t.Errorf("indicator %d: %s %v", i+1, n.ID, p)
		}
		if !strings.Contains("科技创新能力 创新型企业培育 创新载体培育", p.Str("category")) {
			t.Errorf("indicator %d: category %q", i+1, p.Str("category"))
		}
		e := d.Edges[i]
		if e.Type != kg.HasIndicator || e.From != PlanID || e.To != n.ID {
			t.Errorf("edge %d: %s %s→%s", i, e.Type, e.From, e.To)
		}
	}
	if len(d.Nodes) != 11 || len(d.Edges) != 10 {
		t.Errorf("%d nodes, %d edges", len(d.Nodes), len(d.Edges))
	}
}

func TestPublicAnchors(t *testing.T) {
	d := PublicAnchors()
	if len(d.Nodes) < 8 {
		t.Fatalf("%d anchors, want at least 8", len(d.Nodes))
	}
	byID := map[string]kg.Node{}
	for _, n := range d.Nodes {
		if n.Kind != kg.University || n.Props.Str("source") != SourcePublic || n.Props.Str("nameEn") == "" {
			t.Errorf("%s: %s %v", n.ID, n.Kind, n.Props)
		}
		byID[n.ID] = n
	}
	tests := []struct {
		id, name, district, typ string
	}{
		{"uni-dlut", "大连理工大学", "甘井子区", "UNIVERSITY"},
		{"uni-dlmu", "大连海事大学", "甘井子区", "UNIVERSITY"},
		{"uni-dufe", "东北财经大学", "沙河口区", "UNIVERSITY"},
		{"uni-dicp", "中国科学院大连化学物理研究所", "沙河口区", "RESEARCH_INSTITUTE"},
		{"uni-dlufl", "大连外国语大学", "旅顺口区", "UNIVERSITY"},
	}
	for _, tt := range tests {
		n, ok := byID[tt.id]
		if !ok || n.Props.Str("name") != tt.name || n.Props.Str("district") != tt.district || n.Props.Str("type") != tt.typ {
			t.Errorf("%s: %v", tt.id, n.Props)
		}
	}
}

// TestSupplyChains checks that a fifth of the enterprises are outside the
// district, that supply relationships cross its border and follow the
// chains, and that technology reaches downstream enterprises from
// universities through transfers and supplies.
func TestSupplyChains(t *testing.T) {
	d := Demo(Config{})
	district := map[string]string{}
	position := map[string]string{} // industry id → position
	ents := 0
	outside := 0
	for _, n := range d.Nodes {
		switch n.Kind {
		case kg.Enterprise:
			ents++
			district[n.ID] = n.Props.Str("district")
			if district[n.ID] != District {
				outside++
			}
		case kg.Industry:
			position[n.ID] = n.Props.Str("position")
		}
	}
	if share := float64(outside) / float64(ents); share < 0.18 || share > 0.26 {
		t.Errorf("%.2f of the enterprises are outside the district", share)
	}
	downstream := map[string]bool{}
	supplies := map[string][]string{}
	transfers := map[string][]string{}
	cross, total := 0, 0
	for _, e := range d.Edges {
		switch e.Type {
		case kg.InIndustry:
			if position[e.To] == "DOWNSTREAM" {
				downstream[e.From] = true
			}
		case kg.Supplies:
			total++
			if district[e.From] != District || district[e.To] != District {
				cross++
			}
			supplies[e.From] = append(supplies[e.From], e.To)
		case kg.TransfersTechTo:
			transfers[e.From] = append(transfers[e.From], e.To)
		}
	}
	if share := float64(cross) / float64(total); share < 0.15 || share > 0.5 {
		t.Errorf("%.2f of %d supply relationships cross the district's border", share, total)
	}
	reaching := 0
	for _, n := range d.Nodes {
		if n.Kind != kg.University {
			continue
		}
		// Breadth-first over the transfers, then supplies.
		seen := map[string]bool{}
		queue := slices.Clone(transfers[n.ID])
		found := false
		for len(queue) > 0 && !found {
			id := queue[0]
			queue = queue[1:]
			if seen[id] {
				continue
			}
			seen[id] = true
			if downstream[id] && !slices.Contains(transfers[n.ID], id) {
				found = true
			}
			queue = append(queue, supplies[id]...)
		}
		if found {
			reaching++
		}
	}
	if reaching < 5 {
		t.Errorf("%d universities reach a downstream enterprise through a transfer and supplies, want at least 5", reaching)
	}
}

func TestBatches(t *testing.T) {
	d := Demo(Config{Scale: 0.2})
	total := len(d.Nodes) + len(d.Edges)
	tests := []struct {
		size, batches int
	}{
		{1, total},
		{7, (total + 6) / 7},
		{len(d.Nodes), (total + len(d.Nodes) - 1) / len(d.Nodes)},
		{500, (total + 499) / 500},
		{0, 1},
		{-3, 1},
		{total * 2, 1},
	}
	for _, tt := range tests {
		bs := d.Batches(tt.size)
		if len(bs) != tt.batches {
			t.Errorf("size %d: %d batches, want %d", tt.size, len(bs), tt.batches)
		}
		var got Dataset
		for i, b := range bs {
			if n := len(b.Nodes) + len(b.Edges); (tt.size > 0 && n > tt.size) || n == 0 {
				t.Errorf("size %d: batch %d holds %d items", tt.size, i, n)
			}
			if len(b.Nodes) > 0 && len(got.Edges) > 0 {
				t.Errorf("size %d: batch %d holds nodes after edges", tt.size, i)
			}
			got.Nodes = append(got.Nodes, b.Nodes...)
			got.Edges = append(got.Edges, b.Edges...)
		}
		if !reflect.DeepEqual(got, d) {
			t.Errorf("size %d: batches do not add up to the dataset", tt.size)
		}
	}
	if bs := (Dataset{}).Batches(10); len(bs) != 0 {
		t.Errorf("empty dataset: %d batches", len(bs))
	}
}

// TestLargeScale checks that a scale of about 100,000 nodes works.
func TestLargeScale(t *testing.T) {
	if testing.Short() {
		t.Skip("large")
	}
	d := Demo(Config{Scale: 174})
	if n := len(d.Nodes); n < 95_000 || n > 105_000 {
		t.Errorf("scale 174: %d nodes, want about 100,000", n)
	}
	check(t, d)
	t.Logf("scale 174: %d nodes, %d edges", len(d.Nodes), len(d.Edges))
}

func BenchmarkDemo(b *testing.B) {
	for _, scale := range []float64{1, 174} {
		b.Run(fmt.Sprint("scale=", scale), func(b *testing.B) {
			b.ReportAllocs()
			var d Dataset
			for b.Loop() {
				d = Demo(Config{Scale: scale})
			}
			b.ReportMetric(float64(len(d.Nodes)), "nodes")
			b.ReportMetric(float64(len(d.Edges)), "edges")
		})
	}
}

// TestCredible checks, for several seeds and scales, what makes the demo a
// credible district: revenues without clumps, industry chains in detail
// with gaps, people who link universities to their partner enterprises,
// R&D deductions that match claims, and a yearly above-scale status.
func TestCredible(t *testing.T) {
	tests := []struct {
		cfg Config
	}{
		{Config{Seed: 1}}, {Config{Seed: 2}}, {Config{Seed: 7}}, {Config{Scale: 3, Seed: 5}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("scale %v seed %d", tt.cfg.withDefaults().Scale, tt.cfg.Seed), func(t *testing.T) {
			d := Demo(tt.cfg)
			nodes := map[string]kg.Node{}
			for _, n := range d.Nodes {
				nodes[n.ID] = n
			}
			local := func(id string) bool { return nodes[id].Props.Str("district") == District }

			// Revenues: no 2025 value of more than two enterprises, no
			// two equal series.
			by2025 := map[float64]int{}
			series := map[string]string{}
			for _, n := range d.Nodes {
				rev := n.Props.Series("revenue")
				if n.Kind != kg.Enterprise || len(rev) == 0 {
					continue
				}
				if by2025[rev[LastYear]]++; by2025[rev[LastYear]] == 3 {
					t.Errorf("three or more enterprises have the 2025 revenue %v", rev[LastYear])
				}
				key := fmt.Sprint(rev)
				if other, dup := series[key]; dup {
					t.Errorf("%s and %s have the same revenues %s", other, n.ID, key)
				}
				series[key] = n.ID
				// The yearly status covers the years of the figures and
				// follows the year's revenue (10 or 20 million CNY).
				status := n.Props.Series("aboveScaleByYear")
				for y, r := range rev {
					s, ok := status[y]
					if !ok || (s == 1 && r < 1e7) || (s == 0 && r >= 2e7) {
						t.Errorf("%s %d: status %v (%v) with revenue %v", n.ID, y, s, ok, r)
					}
				}
				if above, _ := n.Props.Bool("aboveScale"); above != (status[LastYear] == 1) {
					t.Errorf("%s: aboveScale %v, status of %d %v", n.ID, above, LastYear, status[LastYear])
				}
			}

			// Chains: at least 8 segments each, at least one without an
			// enterprise of the district.
			segs, empty := map[string]int{}, map[string]int{}
			members := map[string]int{}
			for _, e := range d.Edges {
				if e.Type == kg.InIndustry && local(e.From) {
					members[e.To]++
				}
			}
			for _, n := range d.Nodes {
				if n.Kind == kg.Industry {
					c := n.Props.Str("chain")
					segs[c]++
					if members[n.ID] == 0 {
						empty[c]++
					}
				}
			}
			for c, k := range segs {
				if k < 8 || k > 15 || empty[c] == 0 {
					t.Errorf("%s: %d segments, %d without a local enterprise", c, k, empty[c])
				}
			}

			// People: every university with 5 or more partner enterprises
			// has a person who studied or works there and works at or
			// founded one of them.
			partners := map[string]map[string]bool{}
			unisOf, entsOf := map[string][]string{}, map[string][]string{}
			var claims [][3]any
			for _, e := range d.Edges {
				switch e.Type {
				case kg.CollaboratesWith, kg.TransfersTechTo:
					u, x := e.From, e.To
					if nodes[u].Kind != kg.University {
						u, x = x, u
					}
					if nodes[u].Kind == kg.University && nodes[x].Kind == kg.Enterprise {
						if partners[u] == nil {
							partners[u] = map[string]bool{}
						}
						partners[u][x] = true
					}
				case kg.AlumnusOf:
					unisOf[e.From] = append(unisOf[e.From], e.To)
				case kg.WorksAt, kg.Founded:
					if nodes[e.To].Kind == kg.University {
						unisOf[e.From] = append(unisOf[e.From], e.To)
					} else {
						entsOf[e.From] = append(entsOf[e.From], e.To)
					}
				case kg.SupportedBy:
					if nodes[e.To].Props.Str("type") == "RD_DEDUCTION" {
						y, _ := e.Props.Int("year")
						claims = append(claims, [3]any{e.From, int(y), e})
					}
				}
			}
			for u, ps := range partners {
				if len(ps) < 5 {
					continue
				}
				linked := false
				for p, us := range unisOf {
					if slices.Contains(us, u) && slices.ContainsFunc(entsOf[p], func(x string) bool { return ps[x] }) {
						linked = true
						break
					}
				}
				if !linked {
					t.Errorf("%s has %d partners and nobody links it to one", u, len(ps))
				}
			}

			// Deductions: one approved national claim per deduction, for
			// its amount; no deduction application without a deduction.
			national := map[[2]any]float64{}
			for _, c := range claims {
				e := c[2].(kg.Edge)
				ded, ok := nodes[e.From].Props.Series("rdDeduction")[c[1].(int)]
				if !ok {
					t.Errorf("%s applied to %s in %d without a deduction", e.From, e.To, c[1])
					continue
				}
				if nodes[e.To].Props.Str("level") == "NATIONAL" {
					amount, _ := e.Props.Float("amount")
					if e.Props.Str("status") != "APPROVED" || amount != ded {
						t.Errorf("%s %d: claim %s of %v, deduction %v", e.From, c[1], e.Props.Str("status"), amount, ded)
					}
					national[[2]any{e.From, c[1]}]++
				}
			}
			for _, n := range d.Nodes {
				for y := range n.Props.Series("rdDeduction") {
					if national[[2]any{n.ID, y}] != 1 {
						t.Errorf("%s %d: %v national claims of its deduction, want 1", n.ID, y, national[[2]any{n.ID, y}])
					}
				}
			}
		})
	}
}
