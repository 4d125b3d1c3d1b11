package analytics

import (
	"context"
	"slices"
	"strings"

	"github.com/innograph/innograph/kg"
)

// Graph is a compact, immutable graph over a projection: node i is the
// i-th end node in id order; parallel relationships are merged and loops
// dropped. It holds the undirected adjacency (for degree, betweenness,
// closeness and communities) and the directed one (for PageRank), where a
// symmetric relationship type counts in both directions. Neighbour lists
// are sorted, so every algorithm visits nodes in the same order on every
// backend.
type Graph struct {
	// IDs are the node ids, ascending; Nodes the projected nodes.
	IDs   []string
	Nodes []*kg.Node
	index map[string]int32
	// off/adj: undirected CSR; outOff/out: directed CSR.
	off, adj    []int32
	outOff, out []int32
	edges       int
}

// NewGraph builds the graph of a projection. It looks at ctx as it goes
// (see meter) and returns its error if the context ends first.
func NewGraph(ctx context.Context, p *kg.Projection) (*Graph, error) {
	m := newMeter(ctx)
	g := &Graph{index: make(map[string]int32, len(p.Nodes))}
	nodes := p.Nodes
	byID := func(a, b *kg.Node) int { return strings.Compare(a.ID, b.ID) }
	if !slices.IsSortedFunc(nodes, byID) {
		nodes = slices.Clone(nodes)
		slices.SortFunc(nodes, byID)
	}
	g.IDs = make([]string, len(nodes))
	for i, n := range nodes {
		if err := m.add(1); err != nil {
			return nil, err
		}
		g.IDs[i] = n.ID
		g.index[n.ID] = int32(i)
	}
	g.Nodes = nodes
	n := len(nodes)
	// Count each node's entries, place them in one array, then sort and
	// de-duplicate each node's list in place: a few large allocations
	// instead of a slice per node.
	type arc struct {
		a, b int32
		sym  bool
	}
	arcs := make([]arc, 0, len(p.Edges))
	degU := make([]int32, n+1)
	degD := make([]int32, n+1)
	for _, e := range p.Edges {
		if err := m.add(1); err != nil {
			return nil, err
		}
		a, okA := g.index[e.From]
		b, okB := g.index[e.To]
		if !okA || !okB || a == b {
			continue
		}
		spec := kg.RelSpecs[e.Type]
		x := arc{a, b, spec != nil && spec.Symmetric}
		arcs = append(arcs, x)
		degU[a]++
		degU[b]++
		degD[a]++
		if x.sym {
			degD[b]++
		}
	}
	undAdj, undOff, err := place(m, degU, func(add func(from, to int32)) error {
		for _, x := range arcs {
			if err := m.add(2); err != nil {
				return err
			}
			add(x.a, x.b)
			add(x.b, x.a)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	dirAdj, dirOff, err := place(m, degD, func(add func(from, to int32)) error {
		for _, x := range arcs {
			if err := m.add(2); err != nil {
				return err
			}
			add(x.a, x.b)
			if x.sym {
				add(x.b, x.a)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if g.off, g.adj, err = compact(m, undOff, undAdj); err != nil {
		return nil, err
	}
	if g.outOff, g.out, err = compact(m, dirOff, dirAdj); err != nil {
		return nil, err
	}
	g.edges = len(g.adj) / 2
	return g, nil
}

// place lays out adjacency lists of the given lengths (deg[i] for node i)
// in one array, filled by fill; it returns the array and the offsets, or
// fill's error.
func place(m *meter, deg []int32, fill func(add func(from, to int32)) error) ([]int32, []int32, error) {
	n := len(deg) - 1
	off := make([]int32, n+1)
	for i := range n {
		if err := m.add(1); err != nil {
			return nil, nil, err
		}
		off[i+1] = off[i] + deg[i]
	}
	adj := make([]int32, off[n])
	next := slices.Clone(off[:n])
	err := fill(func(from, to int32) {
		adj[next[from]] = to
		next[from]++
	})
	return adj, off, err
}

// compact sorts every list and removes repeats, in place, returning the
// new offsets and the shortened array.
func compact(m *meter, off, adj []int32) ([]int32, []int32, error) {
	n := len(off) - 1
	out := make([]int32, n+1)
	w := int32(0)
	for i := range n {
		l := adj[off[i]:off[i+1]]
		if err := m.add(len(l) + 1); err != nil {
			return nil, nil, err
		}
		slices.Sort(l)
		l = slices.Compact(l)
		copy(adj[w:], l)
		w += int32(len(l))
		out[i+1] = w
	}
	return out, adj[:w:w], nil
}

// Len is the number of nodes.
func (g *Graph) Len() int { return len(g.IDs) }

// EdgeCount is the number of distinct pairs of adjacent nodes.
func (g *Graph) EdgeCount() int { return g.edges }

// Neighbors returns the sorted undirected neighbours of node i.
func (g *Graph) Neighbors(i int32) []int32 { return g.adj[g.off[i]:g.off[i+1]] }

// Out returns the sorted directed successors of node i.
func (g *Graph) Out(i int32) []int32 { return g.out[g.outOff[i]:g.outOff[i+1]] }

// Index returns the number of the node with id.
func (g *Graph) Index(id string) (int32, bool) { i, ok := g.index[id]; return i, ok }
