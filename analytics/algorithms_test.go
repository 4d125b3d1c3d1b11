package analytics_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/network"
	"gonum.org/v1/gonum/graph/path"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"

	"github.com/innograph/innograph/analytics"
	"github.com/innograph/innograph/kg"
)

// randomProjection returns a projection of n enterprises with about m
// random COLLABORATES_WITH and SUPPLIES relationships (parallel ones and
// loops included, which the graph merges and drops).
func randomProjection(seed uint64, n, m int) *kg.Projection {
	r := rand.New(rand.NewPCG(seed, 7))
	p := &kg.Projection{}
	for i := range n {
		p.Nodes = append(p.Nodes, &kg.Node{ID: fmt.Sprintf("n%04d", i), Kind: kg.Enterprise, Props: kg.Props{}})
	}
	for i := range m {
		t := kg.CollaboratesWith
		if r.IntN(2) == 0 {
			t = kg.Supplies
		}
		p.Edges = append(p.Edges, &kg.Edge{ID: fmt.Sprintf("e%05d", i), Type: t, From: p.Nodes[r.IntN(n)].ID, To: p.Nodes[r.IntN(n)].ID})
	}
	return p
}

// gonumGraphs builds the undirected and directed gonum graphs of p
// independently of analytics.Graph (node i is the i-th node by id).
func gonumGraphs(p *kg.Projection) (*simple.UndirectedGraph, *simple.DirectedGraph) {
	u, d := simple.NewUndirectedGraph(), simple.NewDirectedGraph()
	index := map[string]int64{}
	for i, n := range p.Nodes {
		index[n.ID] = int64(i)
		u.AddNode(simple.Node(i))
		d.AddNode(simple.Node(i))
	}
	for _, e := range p.Edges {
		a, b := index[e.From], index[e.To]
		if a == b {
			continue
		}
		u.SetEdge(simple.Edge{F: simple.Node(a), T: simple.Node(b)})
		d.SetEdge(simple.Edge{F: simple.Node(a), T: simple.Node(b)})
		if e.Type == kg.CollaboratesWith {
			d.SetEdge(simple.Edge{F: simple.Node(b), T: simple.Node(a)})
		}
	}
	return u, d
}

func near(a, b, tol float64) bool {
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// TestAlgorithmsAgreeWithGonum checks this package's own algorithms
// against gonum's on random graphs: betweenness (gonum counts each pair
// twice), closeness on connected graphs (gonum's is 1/Σd), PageRank,
// components and modularity.
func TestAlgorithmsAgreeWithGonum(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		seed uint64
		n, m int
	}{{1, 30, 60}, {2, 60, 200}, {3, 80, 90}, {4, 120, 600}, {5, 12, 66}} {
		t.Run(fmt.Sprintf("n=%d m=%d", tc.n, tc.m), func(t *testing.T) {
			p := randomProjection(tc.seed, tc.n, tc.m)
			g := mustGraph(t, p)
			// Nodes without relationships are not in the graph: compare over those that are.
			p.Nodes = g.Nodes
			u, d := gonumGraphs(p)
			all := analytics.Sources(g.Len(), g.Len(), 0)

			bc, err := analytics.BetweennessScores(ctx, g, all)
			if err != nil {
				t.Fatal(err)
			}
			want := network.Betweenness(u)
			for i := range g.Len() {
				if !near(bc[i], want[int64(i)]/2, 1e-9) {
					t.Fatalf("betweenness of %s = %v, gonum %v/2", g.IDs[i], bc[i], want[int64(i)])
				}
			}

			comps := topo.ConnectedComponents(u)
			labels := must[[]int32](t)(analytics.ComponentLabels(ctx, g))
			if got := len(analytics.Groups(labels)); got != len(comps) {
				t.Fatalf("%d components, gonum %d", got, len(comps))
			}
			for _, c := range comps {
				for _, n := range c {
					if labels[n.ID()] != labels[c[0].ID()] {
						t.Fatalf("component of gonum splits in two")
					}
				}
			}

			cl, err := analytics.ClosenessScores(ctx, g, all)
			if err != nil {
				t.Fatal(err)
			}
			if len(comps) == 1 {
				wantCl := network.Closeness(u, path.DijkstraAllPaths(u))
				for i := range g.Len() {
					if !near(cl[i], wantCl[int64(i)]*float64(g.Len()-1), 1e-9) {
						t.Fatalf("closeness of %s = %v, gonum %v·(n-1)", g.IDs[i], cl[i], wantCl[int64(i)])
					}
				}
			}

			pr := must[[]float64](t)(analytics.PageRankScores(ctx, g, 0.85, 1e-13, 1000))
			wantPR := network.PageRank(d, 0.85, 1e-12)
			for i := range g.Len() {
				if !near(pr[i], wantPR[int64(i)], 1e-6) {
					t.Fatalf("PageRank of %s = %v, gonum %v", g.IDs[i], pr[i], wantPR[int64(i)])
				}
			}

			for name, labels := range map[string][]int32{
				"louvain":    must[[]int32](t)(analytics.LouvainLabels(ctx, g)),
				"label":      must[[]int32](t)(analytics.LabelPropagationLabels(ctx, g)),
				"components": labels,
			} {
				var groups [][]graph.Node
				for _, members := range analytics.Groups(labels) {
					var ns []graph.Node
					for _, m := range members {
						ns = append(ns, simple.Node(m))
					}
					groups = append(groups, ns)
				}
				if got, want := must[float64](t)(analytics.Modularity(ctx, g, labels)), community.Q(u, groups, 1); !near(got, want, 1e-9) {
					t.Fatalf("%s: modularity %v, gonum %v", name, got, want)
				}
			}
			// Louvain finds a partition about as good as gonum's own.
			got, ref := must[float64](t)(analytics.Modularity(ctx, g, must[[]int32](t)(analytics.LouvainLabels(ctx, g)))), community.Q(u, community.Modularize(u, 1, rand.NewPCG(1, 1)).Communities(), 1)
			t.Logf("modularity: Louvain %.4f, gonum's Modularize %.4f", got, ref)
			if got < ref-0.05 {
				t.Errorf("Louvain modularity %v, gonum's Modularize %v", got, ref)
			}
		})
	}
}

// TestGraphIsGonumGraph runs gonum over analytics.Graph itself.
func TestGraphIsGonumGraph(t *testing.T) {
	p := randomProjection(9, 40, 120)
	g := mustGraph(t, p)
	p.Nodes = g.Nodes
	u, _ := gonumGraphs(p)
	got, want := network.Betweenness(g.Gonum()), network.Betweenness(u)
	for id, v := range want {
		if !near(got[id], v, 1e-9) {
			t.Fatalf("betweenness over Graph %v, over simple.UndirectedGraph %v", got[id], v)
		}
	}
	if g.Gonum().Edge(0, 0) != nil {
		t.Error("a node is adjacent to itself")
	}
}

// TestDeterministic runs every algorithm twice over the same projection
// given in two orders: the scores must be bitwise equal.
func TestDeterministic(t *testing.T) {
	ctx := context.Background()
	p := randomProjection(3, 300, 1200)
	q := &kg.Projection{Nodes: slices.Clone(p.Nodes), Edges: slices.Clone(p.Edges)}
	slices.Reverse(q.Nodes)
	slices.Reverse(q.Edges)
	a, b := mustGraph(t, p), mustGraph(t, q)
	src := analytics.Sources(a.Len(), 100, 50)
	must := must[[]float64](t)
	for name, f := range map[string]func(g *analytics.Graph) []float64{
		"degree":      analytics.DegreeScores,
		"pagerank":    func(g *analytics.Graph) []float64 { return must(analytics.PageRankScores(ctx, g, 0.85, 1e-12, 200)) },
		"betweenness": func(g *analytics.Graph) []float64 { return must(analytics.BetweennessScores(ctx, g, src)) },
		"closeness":   func(g *analytics.Graph) []float64 { return must(analytics.ClosenessScores(ctx, g, src)) },
		"louvain":     func(g *analytics.Graph) []float64 { return must(floats(analytics.LouvainLabels(ctx, g))) },
		"labels":      func(g *analytics.Graph) []float64 { return must(floats(analytics.LabelPropagationLabels(ctx, g))) },
	} {
		if x, y := f(a), f(b); len(x) != a.Len() || !slices.Equal(x, y) {
			t.Errorf("%s: %d scores for %d nodes, or they differ between two builds of the same graph", name, len(x), a.Len())
		}
	}
}

func floats(ls []int32, err error) ([]float64, error) {
	out := make([]float64, len(ls))
	for i, l := range ls {
		out[i] = float64(l)
	}
	return out, err
}

// must returns a function that fails the test on an error and returns
// the value otherwise.
func must[T any](t testing.TB) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// mustGraph builds the graph of a projection.
func mustGraph(t testing.TB, p *kg.Projection) *analytics.Graph {
	t.Helper()
	return must[*analytics.Graph](t)(analytics.NewGraph(t.Context(), p))
}

// TestSampledScores checks that sampled betweenness and closeness are
// scaled like the exact ones: with every node as a "sample" they are
// exact, and on a ring (where every node is alike) a sample gives the
// exact value.
func TestSampledScores(t *testing.T) {
	ctx := context.Background()
	const n = 200
	p := &kg.Projection{}
	for i := range n {
		p.Nodes = append(p.Nodes, &kg.Node{ID: fmt.Sprintf("r%03d", i), Kind: kg.Enterprise})
		p.Edges = append(p.Edges, &kg.Edge{ID: fmt.Sprintf("e%03d", i), Type: kg.CollaboratesWith, From: fmt.Sprintf("r%03d", i), To: fmt.Sprintf("r%03d", (i+1)%n)})
	}
	g := mustGraph(t, p)
	exactB, _ := analytics.BetweennessScores(ctx, g, analytics.Sources(n, n, 0))
	exactC, _ := analytics.ClosenessScores(ctx, g, analytics.Sources(n, n, 0))
	sample := analytics.Sources(n, 10, 20)
	if len(sample) != 20 || sample[1] != 10 {
		t.Fatalf("sources %v, want 20 evenly spaced", sample)
	}
	b, _ := analytics.BetweennessScores(ctx, g, sample)
	c, _ := analytics.ClosenessScores(ctx, g, sample)
	for i := range n {
		if !near(exactB[i], exactB[0], 1e-12) || !near(exactC[i], exactC[0], 1e-12) {
			t.Fatalf("exact scores differ around the ring")
		}
		// A source misses its own nearest nodes as sources: only the others
		// are estimated without bias on a ring.
		if i%10 != 0 && !near(b[i], exactB[i], 0.02) {
			t.Errorf("sampled betweenness of %d = %v, exact %v", i, b[i], exactB[i])
		}
		if !near(c[i], exactC[i], 0.02) {
			t.Errorf("sampled closeness of %d = %v, exact %v", i, c[i], exactC[i])
		}
	}
}
