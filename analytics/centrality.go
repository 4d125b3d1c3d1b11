package analytics

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/innograph/innograph/kg"
)

// Metric is a centrality measure.
type Metric string

// The centrality measures. Over the undirected graph unless said
// otherwise (see Centrality).
const (
	// Degree counts a node's distinct neighbours.
	Degree Metric = "DEGREE"
	// PageRank is the stationary probability of a random walk that follows
	// relationships in their direction (symmetric types both ways) with
	// damping 0.85, jumping anywhere from a node without successors.
	PageRank Metric = "PAGERANK"
	// Betweenness sums, over every pair of other nodes, the share of their
	// shortest paths that pass through the node (each unordered pair once).
	Betweenness Metric = "BETWEENNESS"
	// Closeness is (r-1)/(n-1) · (r-1)/Σd: the inverse mean distance to the
	// r-1 nodes the node reaches, scaled by the share of the n-1 others it
	// reaches (Wasserman and Faust); (n-1)/Σd on a connected graph.
	Closeness Metric = "CLOSENESS"
)

// Bounds of the algorithms.
const (
	// ProjectionLimit is the most relationships an algorithm reads.
	ProjectionLimit = 1_000_000
	// MaxExactNodes is the largest graph whose betweenness and closeness
	// use every node as a source.
	MaxExactNodes = 5000
	// Samples is the number of sources of larger graphs, evenly spaced in
	// id order.
	Samples = 256
	// pageRankDamping, pageRankTol and pageRankMaxIter drive PageRank's
	// power iteration (stopping when the L1 change is below the tolerance).
	pageRankDamping = 0.85
	pageRankTol     = 1e-12
	pageRankMaxIter = 200
)

// Projection selects the graph an algorithm runs over.
type Projection struct {
	Kinds []kg.Kind
	Types []kg.RelType
	AsOf  int
}

// Group names a group of kinds, so that a question need not list kinds
// and relationship types by hand.
type Group string

// Organisations is the group of kg.Organisations: every relationship
// among organisations, no people, policies, industries or plans.
const Organisations Group = "ORGANISATIONS"

// GroupKinds returns the kinds of a projection given either as kinds or
// as a group ("" for none).
func GroupKinds(kinds []kg.Kind, among Group) ([]kg.Kind, error) {
	switch {
	case among == "":
		return kinds, nil
	case len(kinds) > 0:
		return nil, fmt.Errorf("%w: give kinds or among, not both", kg.ErrInvalid)
	case among == Organisations:
		return kg.Organisations(), nil
	}
	return nil, fmt.Errorf("%w: unknown group %q", kg.ErrInvalid, among)
}

// load reads the projection and builds its graph; the second result tells
// whether the projection was cut at ProjectionLimit.
func load(ctx context.Context, s kg.Store, p Projection) (*Graph, bool, error) {
	pr, err := s.Project(ctx, kg.ProjectionQuery{Types: p.Types, Kinds: p.Kinds, AsOf: p.AsOf, NodeProps: []string{"name", "district"}, Limit: ProjectionLimit})
	if err != nil {
		return nil, false, err
	}
	g, err := NewGraph(ctx, pr)
	if err != nil {
		return nil, false, err
	}
	return g, pr.Truncated, nil
}

// Score is one node's score.
type Score struct {
	Node  *kg.Node
	Score float64
}

// CentralityResult ranks nodes by a measure.
type CentralityResult struct {
	Metric Metric
	// Nodes and Edges count the graph analysed.
	Nodes, Edges int
	// Sources is the number of sources of betweenness and closeness;
	// Approximate is set when they were a sample.
	Sources     int
	Approximate bool
	// Ranking holds the top nodes, best first (ties by id).
	Ranking   []Score
	Truncated bool
	By        Bound
}

// Centrality ranks the nodes of a projection by a measure and returns the
// top ones (top ≥ 1).
func Centrality(ctx context.Context, s kg.Store, m Metric, p Projection, top int) (*CentralityResult, error) {
	if top < 1 || top > MaxNodes {
		return nil, fmt.Errorf("%w: top must be between 1 and %d, got %d", kg.ErrInvalid, MaxNodes, top)
	}
	g, cut, err := load(ctx, s, p)
	if err != nil {
		return nil, err
	}
	res := &CentralityResult{Metric: m, Nodes: g.Len(), Edges: g.EdgeCount()}
	if cut {
		res.Truncated, res.By = true, BoundProjection
	}
	var scores []float64
	switch m {
	case Degree:
		scores = DegreeScores(g)
	case PageRank:
		scores, err = PageRankScores(ctx, g, pageRankDamping, pageRankTol, pageRankMaxIter)
		if err != nil {
			return nil, err
		}
	case Betweenness, Closeness:
		src := Sources(g.Len(), MaxExactNodes, Samples)
		res.Sources, res.Approximate = len(src), len(src) < g.Len()
		if m == Betweenness {
			scores, err = BetweennessScores(ctx, g, src)
		} else {
			scores, err = ClosenessScores(ctx, g, src)
		}
		if err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%w: unknown centrality metric %q", kg.ErrInvalid, m)
	}
	for _, i := range TopK(scores, top) {
		res.Ranking = append(res.Ranking, Score{Node: g.Nodes[i], Score: scores[i]})
	}
	return res, nil
}

// TopK returns the indexes of the k highest scores, highest first, ties
// in index (that is, id) order.
func TopK(scores []float64, k int) []int {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		return cmp.Or(cmp.Compare(scores[b], scores[a]), cmp.Compare(a, b))
	})
	return idx[:min(k, len(idx))]
}

// DegreeScores returns every node's number of distinct neighbours.
func DegreeScores(g *Graph) []float64 {
	out := make([]float64, g.Len())
	for i := range out {
		out[i] = float64(len(g.Neighbors(int32(i))))
	}
	return out
}

// PageRankScores runs the power iteration of PageRank from the uniform
// vector over the directed graph, until the L1 change is below tol or
// after maxIter rounds. The mass of nodes without successors is spread
// evenly. Sums are taken in node order. It returns ctx's error if the
// context ends first.
func PageRankScores(ctx context.Context, g *Graph, damping, tol float64, maxIter int) ([]float64, error) {
	n := g.Len()
	if n == 0 {
		return nil, nil
	}
	m := newMeter(ctx)
	pr := make([]float64, n)
	next := make([]float64, n)
	for i := range pr {
		pr[i] = 1 / float64(n)
	}
	for range maxIter {
		dangling := 0.0
		for i := range next {
			next[i] = 0
		}
		for u := range n {
			out := g.Out(int32(u))
			if err := m.add(len(out) + 1); err != nil {
				return nil, err
			}
			if len(out) == 0 {
				dangling += pr[u]
				continue
			}
			share := pr[u] / float64(len(out))
			for _, v := range out {
				next[v] += share
			}
		}
		base := (1-damping)/float64(n) + damping*dangling/float64(n)
		diff := 0.0
		for i := range next {
			next[i] = base + damping*next[i]
			diff += math.Abs(next[i] - pr[i])
		}
		pr, next = next, pr
		if diff < tol {
			break
		}
	}
	return pr, nil
}

// Sources returns the sources of betweenness and closeness: every node
// of a graph of at most exact nodes, else samples nodes evenly spaced in
// id order.
func Sources(n, exact, samples int) []int32 {
	if n <= exact {
		out := make([]int32, n)
		for i := range out {
			out[i] = int32(i)
		}
		return out
	}
	out := make([]int32, samples)
	for i := range out {
		out[i] = int32(int64(i) * int64(n) / int64(samples))
	}
	return out
}

// bfs holds the state of breadth-first searches from one source at a
// time; arrays are reused between sources. Its meter counts the work of
// its goroutine.
type bfs struct {
	g     *Graph
	m     *meter
	dist  []int32
	sigma []float64
	delta []float64
	order []int32
}

func newBFS(ctx context.Context, g *Graph) *bfs {
	n := g.Len()
	b := &bfs{g: g, m: newMeter(ctx), dist: make([]int32, n), sigma: make([]float64, n), delta: make([]float64, n), order: make([]int32, 0, n)}
	for i := range b.dist {
		b.dist[i] = -1
	}
	return b
}

// run searches from s, filling dist, sigma (shortest-path counts) and
// order (nodes by distance); it first resets what the last run touched.
// It stops with the context's error if the context ends.
func (b *bfs) run(s int32) error {
	for _, v := range b.order {
		b.dist[v], b.sigma[v], b.delta[v] = -1, 0, 0
	}
	b.order = b.order[:0]
	b.dist[s], b.sigma[s] = 0, 1
	b.order = append(b.order, s)
	for head := 0; head < len(b.order); head++ {
		v := b.order[head]
		nb := b.g.Neighbors(v)
		if err := b.m.add(len(nb) + 1); err != nil {
			return err
		}
		for _, w := range nb {
			if b.dist[w] < 0 {
				b.dist[w] = b.dist[v] + 1
				b.order = append(b.order, w)
			}
			if b.dist[w] == b.dist[v]+1 {
				b.sigma[w] += b.sigma[v]
			}
		}
	}
	return nil
}

// chunks is the fixed number of parts sources are split into for parallel
// work; the parts' sums are added in part order, so results do not depend
// on the number of processors.
const chunks = 4

// perChunk runs work over the sources in chunks goroutines, each with its
// own accumulator of width values per node and its own meter (in b), and
// returns the accumulators in chunk order, or the first error of work
// (the context's, when it ends).
func perChunk(ctx context.Context, g *Graph, sources []int32, width int, work func(b *bfs, s int32, acc []float64) error) ([][]float64, error) {
	accs := make([][]float64, chunks)
	errs := make([]error, chunks)
	done := make(chan int, chunks)
	for c := range chunks {
		go func() {
			defer func() { done <- c }()
			acc := make([]float64, width*g.Len())
			b := newBFS(ctx, g)
			lo, hi := c*len(sources)/chunks, (c+1)*len(sources)/chunks
			for _, s := range sources[lo:hi] {
				if err := work(b, s, acc); err != nil {
					errs[c] = err
					return
				}
			}
			accs[c] = acc
		}()
	}
	for range chunks {
		<-done
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return accs, nil
}

// BetweennessScores runs Brandes' algorithm from the sources over the
// undirected graph. From every node it is exact (each unordered pair
// counted once); from a sample, a node's sum is scaled by (n-1) over the
// number of sources other than itself.
func BetweennessScores(ctx context.Context, g *Graph, sources []int32) ([]float64, error) {
	accs, err := perChunk(ctx, g, sources, 1, func(b *bfs, s int32, acc []float64) error {
		if err := b.run(s); err != nil {
			return err
		}
		for i := len(b.order) - 1; i > 0; i-- {
			w := b.order[i]
			nb := g.Neighbors(w)
			if err := b.m.add(len(nb) + 1); err != nil {
				return err
			}
			for _, v := range nb {
				if b.dist[v] == b.dist[w]-1 {
					b.delta[v] += b.sigma[v] / b.sigma[w] * (1 + b.delta[w])
				}
			}
			acc[w] += b.delta[w]
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	n := g.Len()
	out := make([]float64, n)
	for _, acc := range accs {
		for i, v := range acc {
			out[i] += v
		}
	}
	isSource := make([]bool, n)
	for _, s := range sources {
		isSource[s] = true
	}
	for i := range out {
		// Every pair is counted from both ends; a sample stands for the
		// n-1 sources other than the node itself.
		others := len(sources)
		if isSource[i] {
			others--
		}
		if others > 0 && len(sources) < n {
			out[i] *= float64(n-1) / float64(others)
		}
		out[i] /= 2
	}
	return out, nil
}

// ClosenessScores returns (r-1)/(n-1) · (r-1)/Σd per node, from the
// distances to the sources: from every node it is exact; from a sample,
// the share of sources a node reaches stands for r-1/n-1 and their mean
// distance for Σd/(r-1).
func ClosenessScores(ctx context.Context, g *Graph, sources []int32) ([]float64, error) {
	n := g.Len()
	// acc[v] sums the distances from the sources to v; acc[n+v] counts
	// the sources that reach v.
	accs, err := perChunk(ctx, g, sources, 2, func(b *bfs, s int32, acc []float64) error {
		if err := b.run(s); err != nil {
			return err
		}
		for _, v := range b.order[1:] {
			if err := b.m.add(1); err != nil {
				return err
			}
			acc[v] += float64(b.dist[v])
			acc[n+int(v)]++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	isSource := make([]bool, n)
	for _, s := range sources {
		isSource[s] = true
	}
	out := make([]float64, n)
	for v := range n {
		var sum, count float64
		for c := range chunks {
			sum += accs[c][v]
			count += accs[c][n+v]
		}
		others := float64(len(sources))
		if isSource[v] {
			others--
		}
		if count == 0 || others == 0 {
			continue
		}
		out[v] = (count / others) * (count / sum)
	}
	return out, nil
}
