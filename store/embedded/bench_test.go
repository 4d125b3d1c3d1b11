package embedded_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/store/embedded"
)

// benchScale multiplies the size of the benchmark graph, e.g.
// go test -bench . -bench.scale 10 for about 100,000 nodes.
var benchScale = flag.Int("bench.scale", 1, "multiplies the benchmark graph's 10,000 nodes")

// benchKinds is the make-up of the benchmark graph at scale 1: about
// 10,000 nodes.
var benchKinds = []struct {
	kind kg.Kind
	n    int
}{
	{kg.Enterprise, 7000}, {kg.Talent, 1500}, {kg.University, 100}, {kg.ServiceAgency, 400},
	{kg.Incubator, 100}, {kg.Makerspace, 100}, {kg.Policy, 200}, {kg.Industry, 500},
	{kg.Plan, 10}, {kg.Indicator, 90},
}

var (
	benchSurnames   = []string{"大连", "中山", "星海", "海洋", "东港", "港湾", "滨海", "辽南"}
	benchIndustries = []string{"软件", "海洋", "装备", "生物", "金融", "物流", "新材料", "人工智能"}
	benchLevels     = kg.Level.Values
)

func benchID(k kg.Kind, i int) string { return fmt.Sprintf("%s-%05d", k, i) }

// benchNode returns node i of kind k with typical properties.
func benchNode(k kg.Kind, i int, r *rand.Rand) kg.Node {
	p := kg.Props{
		"name":     fmt.Sprintf("%s%s%s%d", benchSurnames[r.IntN(len(benchSurnames))], benchIndustries[r.IntN(len(benchIndustries))], k, i),
		"district": "中山区",
		"source":   "bench",
	}
	switch k {
	case kg.Enterprise:
		p["nameEn"] = fmt.Sprintf("Bench Enterprise %d", i)
		p["industry"] = benchIndustries[r.IntN(len(benchIndustries))]
		p["foundedYear"] = 1990 + r.IntN(35)
		p["aboveScale"] = r.IntN(3) == 0
		rev := kg.Series{}
		for y := 2019; y <= 2024; y++ {
			if r.IntN(5) > 0 {
				rev[y] = float64(r.IntN(200_000_000))
			}
		}
		p["revenue"] = rev
		p["employees"] = kg.Series{2024: float64(5 + r.IntN(500))}
		if i%4 == 0 {
			p["aliases"] = []string{fmt.Sprintf("企业%d", i)}
		}
	case kg.Incubator, kg.Makerspace, kg.Policy, kg.ServiceAgency:
		p["level"] = benchLevels[r.IntN(len(benchLevels))]
	case kg.Talent:
		p["field"] = benchIndustries[r.IntN(len(benchIndustries))]
	}
	return kg.Node{ID: benchID(k, i), Kind: k, Props: p}
}

// benchEdges returns about three edges per enterprise and one per talent.
func benchEdges(r *rand.Rand) []kg.Edge {
	count := map[kg.Kind]int{}
	for _, bk := range benchKinds {
		count[bk.kind] = bk.n * *benchScale
	}
	pick := func(k kg.Kind) string { return benchID(k, r.IntN(count[k])) }
	var es []kg.Edge
	add := func(t kg.RelType, from, to string, props kg.Props) {
		es = append(es, kg.Edge{ID: fmt.Sprintf("be-%d", len(es)), Type: t, From: from, To: to, Props: props})
	}
	for i := range count[kg.Enterprise] {
		e := benchID(kg.Enterprise, i)
		add(kg.InIndustry, e, pick(kg.Industry), nil)
		to := pick(kg.Enterprise)
		for to == e { // a SUPPLIES relationship joins two different nodes
			to = pick(kg.Enterprise)
		}
		add(kg.Supplies, e, to, kg.Props{"since": 2015 + r.IntN(10), "value": float64(r.IntN(1e7))})
		if i%3 == 0 {
			add(kg.SupportedBy, e, pick(kg.Policy), kg.Props{"year": 2020 + r.IntN(5), "status": "APPROVED"})
		}
		if i%5 == 0 {
			add(kg.Serves, pick(kg.ServiceAgency), e, kg.Props{"category": "IP"})
		}
		if i%10 == 0 {
			add(kg.IncubatedBy, e, pick(kg.Incubator), kg.Props{"since": 2018, "until": 2023})
		}
	}
	for i := range count[kg.Talent] {
		add(kg.WorksAt, benchID(kg.Talent, i), pick(kg.Enterprise), nil)
	}
	return es
}

// benchStore opens a store in a temporary directory holding the benchmark
// graph, closed when b ends.
func benchStore(b *testing.B) *embedded.Store {
	b.Helper()
	s := benchStoreIn(b, b.TempDir())
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkOpen measures opening a store that holds the benchmark graph:
// reading every record and rebuilding the in-memory indexes.
func BenchmarkOpen(b *testing.B) {
	dir := b.TempDir()
	if err := benchStoreIn(b, dir).Close(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		s, err := embedded.Open(b.Context(), dir)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// benchStoreIn opens a store in dir and writes the benchmark graph.
func benchStoreIn(b *testing.B, dir string) *embedded.Store {
	b.Helper()
	s, err := embedded.Open(b.Context(), dir)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	var batch kg.Batch
	for _, bk := range benchKinds {
		for i := range bk.n * *benchScale {
			batch.Nodes = append(batch.Nodes, benchNode(bk.kind, i, r))
		}
	}
	if _, err := s.Apply(b.Context(), batch); err != nil {
		b.Fatal(err)
	}
	if _, err := s.Apply(b.Context(), kg.Batch{Edges: benchEdges(r)}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	return s
}

func BenchmarkGetNodes(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	r := rand.New(rand.NewPCG(3, 4))
	ids := make([][]string, 1024)
	for i := range ids {
		ids[i] = []string{benchID(kg.Enterprise, r.IntN(7000*(*benchScale)))}
	}
	i := 0
	for b.Loop() {
		ns, err := s.GetNodes(ctx, ids[i%len(ids)])
		if err != nil || ns[0] == nil {
			b.Fatal(ns, err)
		}
		i++
	}
}

func BenchmarkFindNodes50(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	q := kg.NodeQuery{
		Kind:    kg.Enterprise,
		Where:   []kg.Condition{{Prop: "foundedYear", Op: kg.GTE, Value: 2005}, {Prop: "industry", Op: kg.IN, Value: []string{"软件", "海洋", "装备"}}},
		OrderBy: []kg.SortKey{{Prop: "revenue", Year: 2023, Desc: true}},
		First:   50,
	}
	for b.Loop() {
		page, err := s.FindNodes(ctx, q)
		if err != nil || len(page.Nodes) != 50 {
			b.Fatal(err)
		}
	}
}

func BenchmarkFindNodesByID50(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	q := kg.NodeQuery{Kind: kg.Enterprise, First: 50, After: kg.NodeCursor(kg.Enterprise, nil, &kg.Node{ID: benchID(kg.Enterprise, 3000*(*benchScale))})}
	for b.Loop() {
		page, err := s.FindNodes(ctx, q)
		if err != nil || len(page.Nodes) != 50 {
			b.Fatal(err)
		}
	}
}

func BenchmarkNeighbors(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	r := rand.New(rand.NewPCG(5, 6))
	queries := make([]kg.NeighborQuery, 64)
	for i := range queries {
		ids := make([]string, 50)
		for j := range ids {
			ids[j] = benchID(kg.Enterprise, r.IntN(7000*(*benchScale)))
		}
		queries[i] = kg.NeighborQuery{IDs: ids}
	}
	i := 0
	for b.Loop() {
		if _, err := s.Neighbors(ctx, queries[i%len(queries)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkSearch(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	for b.Loop() {
		if _, err := s.Search(ctx, kg.SearchQuery{Text: "海洋软件", Limit: 20}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApply writes a batch of 1,000 new nodes per iteration, each
// batch committed (and synced) on its own.
func BenchmarkApply(b *testing.B) {
	s := benchStore(b)
	ctx := b.Context()
	r := rand.New(rand.NewPCG(7, 8))
	n := 10_000_000
	for b.Loop() {
		batch := kg.Batch{Nodes: make([]kg.Node, 1000)}
		for i := range batch.Nodes {
			batch.Nodes[i] = benchNode(kg.Enterprise, n, r)
			n++
		}
		if _, err := s.Apply(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
}
