package analytics

import (
	"slices"
	"sort"

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

// NewGraph builds the graph of a projection.
func NewGraph(p *kg.Projection) *Graph {
	g := &Graph{index: make(map[string]int32, len(p.Nodes))}
	nodes := slices.Clone(p.Nodes)
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].ID < nodes[j].ID })
	for i, n := range nodes {
		g.IDs = append(g.IDs, n.ID)
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
	undAdj, undOff := place(degU, func(add func(from, to int32)) {
		for _, x := range arcs {
			add(x.a, x.b)
			add(x.b, x.a)
		}
	})
	dirAdj, dirOff := place(degD, func(add func(from, to int32)) {
		for _, x := range arcs {
			add(x.a, x.b)
			if x.sym {
				add(x.b, x.a)
			}
		}
	})
	g.off, g.adj = compact(undOff, undAdj)
	g.outOff, g.out = compact(dirOff, dirAdj)
	g.edges = len(g.adj) / 2
	return g
}

// place lays out adjacency lists of the given lengths (deg[i] for node i)
// in one array, filled by fill; it returns the array and the offsets.
func place(deg []int32, fill func(add func(from, to int32))) ([]int32, []int32) {
	n := len(deg) - 1
	off := make([]int32, n+1)
	for i := range n {
		off[i+1] = off[i] + deg[i]
	}
	adj := make([]int32, off[n])
	next := slices.Clone(off[:n])
	fill(func(from, to int32) {
		adj[next[from]] = to
		next[from]++
	})
	return adj, off
}

// compact sorts every list and removes repeats, in place, returning the
// new offsets and the shortened array.
func compact(off, adj []int32) ([]int32, []int32) {
	n := len(off) - 1
	out := make([]int32, n+1)
	w := int32(0)
	for i := range n {
		l := adj[off[i]:off[i+1]]
		slices.Sort(l)
		l = slices.Compact(l)
		copy(adj[w:], l)
		w += int32(len(l))
		out[i+1] = w
	}
	return out, adj[:w:w]
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
