package analytics

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/innograph/innograph/kg"
)

// Algorithm is a community detection algorithm.
type Algorithm string

// The community detection algorithms, all over the undirected graph and
// deterministic: nodes are visited in id order and ties go to the lowest
// community number.
const (
	// Louvain greedily moves nodes between communities while modularity
	// (resolution 1) grows, then merges each community into one node and
	// repeats (at most louvainLevels levels of at most louvainPasses
	// passes each). Each pass is linear in the relationships.
	Louvain Algorithm = "LOUVAIN"
	// LabelPropagation lets every node take the label most of its
	// neighbours carry (keeping its own on a tie that includes it, else
	// the highest: labels start as node numbers in id order, so the labels
	// of nodes visited later flow back), in id order, until no label
	// changes (at most labelPropagationRounds rounds).
	LabelPropagation Algorithm = "LABEL_PROPAGATION"
	// ConnectedComponents groups nodes joined by any path.
	ConnectedComponents Algorithm = "CONNECTED_COMPONENTS"
)

const (
	louvainLevels          = 10
	louvainPasses          = 20
	labelPropagationRounds = 100
)

// Community is one community: its members, in id order.
type Community struct {
	Members []*kg.Node
}

// CommunityResult is a partition of a projection's nodes.
type CommunityResult struct {
	Algorithm Algorithm
	// Nodes and Edges count the graph analysed.
	Nodes, Edges int
	// Modularity of the partition (resolution 1).
	Modularity float64
	// Communities, largest first (ties by the lowest member id).
	Communities []Community
	// Brokers are the nodes with a neighbour in another community, most
	// communities touched first (see SortBrokers).
	Brokers   []Broker
	Truncated bool
	By        Bound
}

// Broker is a node whose neighbours reach into communities besides its
// own. Communities are numbered by their place in
// CommunityResult.Communities, from 1.
type Broker struct {
	Node      *kg.Node
	Community int
	// Touches are the other communities of its neighbours, ascending.
	Touches []int
	// Bridges counts its neighbours in other communities, Degree all its
	// distinct neighbours.
	Bridges, Degree int
}

// The fields brokers can be ordered by.
const (
	ByTouches = "TOUCHES"
	ByBridges = "BRIDGES"
	ByDegree  = "DEGREE"
)

// Order is the order of an analytics list: a field (one of the constants
// of the list) and a direction. Ties fall to the list's other fields and
// finally to ids, ascending.
type Order struct {
	By   string
	Desc bool
}

// direct returns c, reversed when desc.
func direct(c int, desc bool) int {
	if desc {
		return -c
	}
	return c
}

// unknownOrder is the error of an order field a list does not have.
func unknownOrder(list, by string, known ...string) error {
	return fmt.Errorf("%w: %s cannot be ordered by %q (known: %s)", kg.ErrInvalid, list, by, strings.Join(known, ", "))
}

// SortBrokers orders brokers by o: by its field, then the other fields in
// the order TOUCHES, BRIDGES, DEGREE (in the same direction), then by id.
// The zero Order is most communities touched first.
func SortBrokers(bs []Broker, o Order) error {
	if o.By == "" {
		o = Order{By: ByTouches, Desc: true}
	}
	keys := []string{ByTouches, ByBridges, ByDegree}
	if !slices.Contains(keys, o.By) {
		return unknownOrder("brokers", o.By, keys...)
	}
	value := func(b *Broker, k string) int {
		switch k {
		case ByTouches:
			return len(b.Touches)
		case ByBridges:
			return b.Bridges
		}
		return b.Degree
	}
	order := append([]string{o.By}, slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return k == o.By })...)
	slices.SortFunc(bs, func(a, b Broker) int {
		for _, k := range order {
			if c := direct(cmp.Compare(value(&a, k), value(&b, k)), o.Desc); c != 0 {
				return c
			}
		}
		return strings.Compare(a.Node.ID, b.Node.ID)
	})
	return nil
}

// brokers lists the nodes of g with a neighbour in another community,
// groups being the communities in their order.
func brokers(ctx context.Context, g *Graph, groups [][]int32) ([]Broker, error) {
	m := newMeter(ctx)
	comm := make([]int, g.Len())
	for c, members := range groups {
		for _, v := range members {
			comm[v] = c + 1
		}
	}
	var out []Broker
	for v := range int32(g.Len()) {
		nb := g.Neighbors(v)
		if err := m.add(len(nb) + 1); err != nil {
			return nil, err
		}
		b := Broker{Node: g.Nodes[v], Community: comm[v], Degree: len(nb)}
		for _, w := range nb {
			if c := comm[w]; c != comm[v] {
				b.Bridges++
				b.Touches = append(b.Touches, c)
			}
		}
		if b.Bridges == 0 {
			continue
		}
		slices.Sort(b.Touches)
		b.Touches = slices.Compact(b.Touches)
		out = append(out, b)
	}
	return out, SortBrokers(out, Order{})
}

// Communities partitions the nodes of a projection.
func Communities(ctx context.Context, s kg.Store, alg Algorithm, p Projection) (*CommunityResult, error) {
	switch alg {
	case Louvain, LabelPropagation, ConnectedComponents:
	default:
		return nil, fmt.Errorf("%w: unknown community algorithm %q", kg.ErrInvalid, alg)
	}
	g, cut, err := load(ctx, s, p)
	if err != nil {
		return nil, err
	}
	var labels []int32
	switch alg {
	case Louvain:
		labels, err = LouvainLabels(ctx, g)
	case LabelPropagation:
		labels, err = LabelPropagationLabels(ctx, g)
	default:
		labels, err = ComponentLabels(ctx, g)
	}
	if err != nil {
		return nil, err
	}
	q, err := Modularity(ctx, g, labels)
	if err != nil {
		return nil, err
	}
	res := &CommunityResult{Algorithm: alg, Nodes: g.Len(), Edges: g.EdgeCount(), Modularity: q}
	if cut {
		res.Truncated, res.By = true, BoundProjection
	}
	groups := Groups(labels)
	for _, members := range groups {
		c := Community{Members: make([]*kg.Node, len(members))}
		for i, m := range members {
			c.Members[i] = g.Nodes[m]
		}
		res.Communities = append(res.Communities, c)
	}
	if res.Brokers, err = brokers(ctx, g, groups); err != nil {
		return nil, err
	}
	return res, nil
}

// Groups turns labels into groups of node numbers, each ascending, the
// groups largest first, ties by their lowest node.
func Groups(labels []int32) [][]int32 {
	byLabel := map[int32][]int32{}
	for i, l := range labels {
		byLabel[l] = append(byLabel[l], int32(i))
	}
	out := make([][]int32, 0, len(byLabel))
	for _, m := range byLabel {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b []int32) int {
		return cmp.Or(cmp.Compare(len(b), len(a)), cmp.Compare(a[0], b[0]))
	})
	return out
}

// ComponentLabels labels every node with the lowest node of its connected
// component. It returns ctx's error if the context ends first.
func ComponentLabels(ctx context.Context, g *Graph) ([]int32, error) {
	m := newMeter(ctx)
	labels := make([]int32, g.Len())
	for i := range labels {
		labels[i] = -1
	}
	var queue []int32
	for s := range int32(g.Len()) {
		if labels[s] >= 0 {
			continue
		}
		labels[s] = s
		queue = append(queue[:0], s)
		for head := 0; head < len(queue); head++ {
			nb := g.Neighbors(queue[head])
			if err := m.add(len(nb) + 1); err != nil {
				return nil, err
			}
			for _, w := range nb {
				if labels[w] < 0 {
					labels[w] = s
					queue = append(queue, w)
				}
			}
		}
	}
	return labels, nil
}

// LabelPropagationLabels runs asynchronous label propagation in id order.
// It returns ctx's error if the context ends first.
func LabelPropagationLabels(ctx context.Context, g *Graph) ([]int32, error) {
	m := newMeter(ctx)
	n := g.Len()
	labels := make([]int32, n)
	for i := range labels {
		labels[i] = int32(i)
	}
	count := make(map[int32]int, 16)
	for range labelPropagationRounds {
		changed := false
		for v := range int32(n) {
			nb := g.Neighbors(v)
			if err := m.add(2*len(nb) + 1); err != nil {
				return nil, err
			}
			if len(nb) == 0 {
				continue
			}
			clear(count)
			best := 0
			for _, w := range nb {
				count[labels[w]]++
				best = max(best, count[labels[w]])
			}
			if count[labels[v]] == best {
				continue
			}
			choice := int32(-1)
			for _, w := range nb {
				if l := labels[w]; count[l] == best && l > choice {
					choice = l
				}
			}
			labels[v], changed = choice, true
		}
		if !changed {
			break
		}
	}
	return labels, nil
}

// wgraph is a weighted undirected graph for Louvain's levels: adjacency
// lists with weights (a loop's weight counts both its ends).
type wgraph struct {
	off  []int32
	adj  []int32
	w    []float64
	self []float64 // weight of each node's loop
	k    []float64 // weighted degree
	m2   float64   // total weight, twice
}

func weighted(g *Graph) *wgraph {
	n := g.Len()
	wg := &wgraph{off: g.off, adj: g.adj, w: make([]float64, len(g.adj)), self: make([]float64, n), k: make([]float64, n)}
	for i := range wg.w {
		wg.w[i] = 1
	}
	for v := range n {
		wg.k[v] = float64(g.off[v+1] - g.off[v])
		wg.m2 += wg.k[v]
	}
	return wg
}

// LouvainLabels returns the Louvain partition of g, or ctx's error if the
// context ends first.
func LouvainLabels(ctx context.Context, g *Graph) ([]int32, error) {
	m := newMeter(ctx)
	n := g.Len()
	labels := make([]int32, n)
	for i := range labels {
		labels[i] = int32(i)
	}
	wg := weighted(g)
	if wg.m2 == 0 {
		return labels, nil
	}
	for range louvainLevels {
		comm, moved, err := wg.localMoves(m)
		if err != nil {
			return nil, err
		}
		if !moved {
			break
		}
		// Renumber communities by their lowest node, in node order.
		renum := map[int32]int32{}
		for _, c := range comm {
			if err := m.add(2); err != nil {
				return nil, err
			}
			if _, ok := renum[c]; !ok {
				renum[c] = int32(len(renum))
			}
		}
		for i := range comm {
			comm[i] = renum[comm[i]]
		}
		for i, l := range labels {
			if err := m.add(1); err != nil {
				return nil, err
			}
			labels[i] = comm[l]
		}
		if wg, err = wg.aggregate(m, comm, len(renum)); err != nil {
			return nil, err
		}
	}
	return labels, nil
}

// localMoves runs Louvain's first phase: it returns each node's community
// and whether any node moved, or the error of m's context.
func (wg *wgraph) localMoves(m *meter) ([]int32, bool, error) {
	n := len(wg.k)
	comm := make([]int32, n)
	tot := make([]float64, n) // total degree of each community
	for i := range comm {
		comm[i] = int32(i)
		tot[i] = wg.k[i]
	}
	links := make([]float64, n) // weight from the current node to each community
	var touched []int32
	movedAny := false
	for range louvainPasses {
		moved := false
		for v := range int32(n) {
			if err := m.add(2*int(wg.off[v+1]-wg.off[v]) + 1); err != nil {
				return nil, false, err
			}
			cv := comm[v]
			touched = touched[:0]
			for e := wg.off[v]; e < wg.off[v+1]; e++ {
				c := comm[wg.adj[e]]
				if links[c] == 0 {
					touched = append(touched, c)
				}
				links[c] += wg.w[e]
			}
			tot[cv] -= wg.k[v]
			kv := wg.k[v]
			// Gain of joining c (up to constants): links to c - tot(c)·k/m2.
			// Stay unless another community is strictly better; among
			// equally good others, take the lowest.
			best, bestGain := cv, links[cv]-tot[cv]*kv/wg.m2
			for _, c := range touched {
				if c == cv {
					continue
				}
				gain := links[c] - tot[c]*kv/wg.m2
				if gain > bestGain || (gain == bestGain && best != cv && c < best) {
					best, bestGain = c, gain
				}
			}
			tot[best] += kv
			if best != cv {
				comm[v], moved = best, true
			}
			for _, c := range touched {
				links[c] = 0
			}
			links[cv] = 0
		}
		if !moved {
			break
		}
		movedAny = true
	}
	return comm, movedAny, nil
}

// aggregate merges each community into one node; it returns the error of
// m's context if the context ends first.
func (wg *wgraph) aggregate(m *meter, comm []int32, nc int) (*wgraph, error) {
	type pair struct{ a, b int32 }
	weights := map[pair]float64{}
	self := make([]float64, nc)
	k := make([]float64, nc)
	for v := range int32(len(wg.k)) {
		if err := m.add(int(wg.off[v+1]-wg.off[v]) + 1); err != nil {
			return nil, err
		}
		cv := comm[v]
		k[cv] += wg.k[v]
		self[cv] += wg.self[v]
		for e := wg.off[v]; e < wg.off[v+1]; e++ {
			cw := comm[wg.adj[e]]
			if cw == cv {
				self[cv] += wg.w[e]
			} else {
				weights[pair{cv, cw}] += wg.w[e]
			}
		}
	}
	lists := make([][]int32, nc)
	for p := range weights {
		lists[p.a] = append(lists[p.a], p.b)
	}
	out := &wgraph{off: make([]int32, nc+1), self: self, k: k, m2: wg.m2}
	for c, l := range lists {
		if err := m.add(len(l) + 1); err != nil {
			return nil, err
		}
		slices.Sort(l)
		for _, d := range l {
			out.adj = append(out.adj, d)
			out.w = append(out.w, weights[pair{int32(c), d}])
		}
		out.off[c+1] = int32(len(out.adj))
	}
	return out, nil
}

// Modularity returns the modularity of a partition of g (resolution 1):
// Σ_c L_c/m − (d_c/2m)², L_c the relationships inside c and d_c the sum
// of its degrees. It returns ctx's error if the context ends first.
func Modularity(ctx context.Context, g *Graph, labels []int32) (float64, error) {
	m := newMeter(ctx)
	m2 := float64(len(g.adj))
	if m2 == 0 {
		return 0, nil
	}
	inside := map[int32]float64{}
	degree := map[int32]float64{}
	for v := range int32(g.Len()) {
		if err := m.add(len(g.Neighbors(v)) + 1); err != nil {
			return 0, err
		}
		degree[labels[v]] += float64(len(g.Neighbors(v)))
		for _, w := range g.Neighbors(v) {
			if labels[w] == labels[v] {
				inside[labels[v]]++
			}
		}
	}
	var q float64
	for _, group := range Groups(labels) {
		l := labels[group[0]]
		q += inside[l]/m2 - (degree[l]/m2)*(degree[l]/m2)
	}
	return q, nil
}
