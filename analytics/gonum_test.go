package analytics

// Tests check this package's algorithms against gonum's: here, and only in
// tests, Graph is adapted to gonum's graph.Undirected with ordered
// iterators, so gonum's algorithms run over it deterministically.

import (
	"slices"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/simple"
)

// In gonum's terms node i has id i.

// Node returns the node with gonum id id, or nil.
func (g *Graph) Node(id int64) graph.Node {
	if id < 0 || id >= int64(g.Len()) {
		return nil
	}
	return simple.Node(id)
}

// AllNodes returns every node in id order (gonum's Nodes).
func (g *Graph) AllNodes() graph.Nodes { return g.nodesOf(nil, true) }

// From returns the neighbours of the node with gonum id id, in order.
func (g *Graph) From(id int64) graph.Nodes {
	if g.Node(id) == nil {
		return graph.Empty
	}
	return g.nodesOf(g.Neighbors(int32(id)), false)
}

func (g *Graph) nodesOf(list []int32, all bool) graph.Nodes {
	var ns []graph.Node
	if all {
		ns = make([]graph.Node, g.Len())
		for i := range ns {
			ns[i] = simple.Node(i)
		}
	} else {
		ns = make([]graph.Node, len(list))
		for i, v := range list {
			ns[i] = simple.Node(v)
		}
	}
	return iterator.NewOrderedNodes(ns)
}

// HasEdgeBetween reports whether nodes x and y are adjacent.
func (g *Graph) HasEdgeBetween(xid, yid int64) bool {
	if g.Node(xid) == nil || g.Node(yid) == nil {
		return false
	}
	_, found := slices.BinarySearch(g.Neighbors(int32(xid)), int32(yid))
	return found
}

// Edge returns the edge between u and v, or nil.
func (g *Graph) Edge(uid, vid int64) graph.Edge { return g.EdgeBetween(uid, vid) }

// EdgeBetween returns the edge between x and y, or nil.
func (g *Graph) EdgeBetween(xid, yid int64) graph.Edge {
	if !g.HasEdgeBetween(xid, yid) {
		return nil
	}
	return simple.Edge{F: simple.Node(xid), T: simple.Node(yid)}
}

// Gonum returns g as a gonum graph.Undirected.
func (g *Graph) Gonum() graph.Undirected { return gonumGraph{g} }

// gonumGraph renames AllNodes to gonum's Nodes (Graph's Nodes field holds
// the kg nodes).
type gonumGraph struct{ *Graph }

// Nodes returns every node in id order.
func (g gonumGraph) Nodes() graph.Nodes { return g.AllNodes() }
