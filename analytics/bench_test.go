package analytics_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/graph/community"

	"github.com/innograph/innograph/analytics"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/seed"
)

// demoProjection is the projection of every relationship of the demo at
// a scale, built from the dataset directly (no store).
func demoProjection(scale float64) *kg.Projection {
	ds := seed.Demo(seed.Config{Scale: scale, Seed: 1})
	p := &kg.Projection{}
	ends := map[string]bool{}
	for i := range ds.Edges {
		e := &ds.Edges[i]
		if e.ID == "" {
			e.ID = kg.EdgeID(e.Type, e.From, e.To)
		}
		p.Edges = append(p.Edges, e)
		ends[e.From], ends[e.To] = true, true
	}
	for i := range ds.Nodes {
		if ends[ds.Nodes[i].ID] {
			p.Nodes = append(p.Nodes, &ds.Nodes[i])
		}
	}
	return p
}

// BenchmarkCommunities compares this package's Louvain with gonum's
// Modularize over the demo's whole graph: gonum's cost grows with the
// square of community sizes, so it is measured at small scales only.
func BenchmarkCommunities(b *testing.B) {
	for _, scale := range []float64{1, 10, 174} {
		g := mustGraph(b, demoProjection(scale))
		name := fmt.Sprintf("nodes=%d", g.Len())
		b.Run(name+"/Louvain", func(b *testing.B) {
			for b.Loop() {
				must[[]int32](b)(analytics.LouvainLabels(b.Context(), g))
			}
		})
		b.Run(name+"/LabelPropagation", func(b *testing.B) {
			for b.Loop() {
				must[[]int32](b)(analytics.LabelPropagationLabels(b.Context(), g))
			}
		})
		if scale <= 10 {
			b.Run(name+"/gonum.Modularize", func(b *testing.B) {
				for b.Loop() {
					community.Modularize(g.Gonum(), 1, rand.NewPCG(1, 1))
				}
			})
		}
	}
}

// BenchmarkCentrality measures the algorithms alone over the demo's
// whole graph at about 100,000 nodes.
func BenchmarkCentrality(b *testing.B) {
	g := mustGraph(b, demoProjection(174))
	src := analytics.Sources(g.Len(), analytics.MaxExactNodes, analytics.Samples)
	b.Run("NewGraph", func(b *testing.B) {
		p := demoProjection(174)
		b.ResetTimer()
		for b.Loop() {
			mustGraph(b, p)
		}
	})
	b.Run("Degree", func(b *testing.B) {
		for b.Loop() {
			analytics.DegreeScores(g)
		}
	})
	b.Run("PageRank", func(b *testing.B) {
		for b.Loop() {
			must[[]float64](b)(analytics.PageRankScores(b.Context(), g, 0.85, 1e-12, 200))
		}
	})
	b.Run("Betweenness", func(b *testing.B) {
		for b.Loop() {
			if _, err := analytics.BetweennessScores(b.Context(), g, src); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Closeness", func(b *testing.B) {
		for b.Loop() {
			if _, err := analytics.ClosenessScores(b.Context(), g, src); err != nil {
				b.Fatal(err)
			}
		}
	})
}
