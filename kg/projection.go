package kg

import (
	"fmt"
	"slices"
	"strings"
)

// MaxProjection bounds ProjectionQuery.Limit: the most edges one
// projection returns.
const MaxProjection = 2_000_000

// ProjectionQuery selects a projection of the graph for analytics: the
// edges of some types that hold in a year, between nodes of some kinds,
// with their end nodes.
type ProjectionQuery struct {
	Types []RelType // empty: every type
	// Kinds, when not empty, keeps only the edges whose two ends are both
	// of one of these kinds.
	Kinds []Kind
	AsOf  int // year the edge must hold in (see Edge.Active); 0: any
	// NodeProps names the scalar properties (not yearly series) of the end
	// nodes to return besides their id and kind; nil: none. Unknown names
	// are an error.
	NodeProps []string
	// EdgeProps asks for the edges' properties; otherwise Props is nil.
	EdgeProps bool
	// Limit is the most edges to return, 1..MaxProjection: the first
	// Limit of the matching edges by id.
	Limit int
}

// Projection is the answer to a ProjectionQuery.
type Projection struct {
	// Edges are the matching edges in ascending id order.
	Edges []*Edge
	// Nodes are the end nodes of Edges, in ascending id order, with only
	// the requested properties (Props is never nil).
	Nodes []*Node
	// Truncated is set when more edges matched than Limit.
	Truncated bool
}

// ValidateProjection checks a projection query.
func ValidateProjection(q *ProjectionQuery) error {
	if err := CheckEdgeFilter(q.Types, q.Kinds, q.AsOf); err != nil {
		return err
	}
	if q.Limit < 1 || q.Limit > MaxProjection {
		return fmt.Errorf("%w: projection limit must be between 1 and %d, got %d", ErrInvalid, MaxProjection, q.Limit)
	}
	for _, p := range q.NodeProps {
		if !scalarNodeProp(p) {
			return fmt.Errorf("%w: %q is not a scalar property of any kind", ErrInvalid, p)
		}
	}
	return nil
}

// scalarNodeProp reports whether p is a property of some kind that is not
// a yearly series.
func scalarNodeProp(p string) bool {
	for _, k := range Kinds {
		if spec, ok := NodePropSpec(k, p); ok && spec.Type != SeriesType {
			return true
		}
	}
	return false
}

// CheckEdgeFilter validates the relationship filter that projections,
// edge scans and exports share: known types and kinds, a year that is not negative.
func CheckEdgeFilter(types []RelType, kinds []Kind, asOf int) error {
	if err := checkRelTypes(types); err != nil {
		return err
	}
	if err := checkKinds(kinds); err != nil {
		return err
	}
	if asOf < 0 {
		return fmt.Errorf("%w: year %d is negative", ErrInvalid, asOf)
	}
	return nil
}

// MatchEdge reports whether e passes a relationship filter: one of types
// (any when empty), both ends of one of kinds (any when empty; kindOf is
// called only then) and holding in year asOf (see Edge.Active).
func MatchEdge(e *Edge, types []RelType, kinds []Kind, asOf int, kindOf func(id string) Kind) bool {
	if len(types) > 0 && !slices.Contains(types, e.Type) || !e.Active(asOf) {
		return false
	}
	return len(kinds) == 0 || slices.Contains(kinds, kindOf(e.From)) && slices.Contains(kinds, kindOf(e.To))
}

// ProjectNode returns a copy of n holding only the properties named.
func ProjectNode(n *Node, props []string) *Node {
	out := &Node{ID: n.ID, Kind: n.Kind, Props: make(Props, len(props))}
	for _, p := range props {
		switch v := n.Props[p].(type) {
		case nil, Series:
		case []string:
			out.Props[p] = slices.Clone(v)
		default:
			out.Props[p] = v
		}
	}
	return out
}

// MaxPathHops bounds PathQuery.MaxHops.
const MaxPathHops = 6

// MaxPaths bounds PathQuery.K.
const MaxPaths = 50

// MaxPathCandidates bounds how many paths a Paths call ranks: when more
// simple paths than this are as short as the k-th, the answer is cut (see
// PathQuery).
const MaxPathCandidates = 10_000

// PathQuery selects the k shortest simple paths between two nodes. A path
// follows relationships in either direction, visits no node twice, and has
// 1..MaxHops relationships of the given types that link in AsOf (see
// Edge.Links: those that hold in the year, and a person's former
// relationships, begun by then and since ended); the nodes
// between From and To are of the Through kinds. Parallel relationships make
// distinct paths.
//
// Paths are ranked by ComparePaths: length, then the sequence of node ids,
// then the sequence of relationship ids. The answer is the first K. To rank
// them, a store looks at every path as short as the K-th (the candidates);
// when there are more than MaxPathCandidates of them the result is
// Truncated and holds only the shortest paths, if there are at most
// MaxPathCandidates of those (there are fewer than K), or none. Every
// backend gives the same answer.
type PathQuery struct {
	From, To string
	MaxHops  int       // 1..MaxPathHops
	Types    []RelType // empty: every type
	// Through, when not empty, restricts the nodes between From and To to
	// these kinds.
	Through []Kind
	AsOf    int // year every relationship must link in (Edge.Links); 0: any
	K       int // 1..MaxPaths
}

// Path is a walk from one node to another: Edges[i] joins Nodes[i] and
// Nodes[i+1], in either direction.
type Path struct {
	Nodes []*Node
	Edges []*Edge
}

// Len is the number of relationships of the path.
func (p *Path) Len() int { return len(p.Edges) }

// PathResult is the answer to a PathQuery.
type PathResult struct {
	Paths []*Path
	// Truncated is set when the candidates were more than MaxPathCandidates.
	Truncated bool
}

// ValidatePathQuery checks a path query.
func ValidatePathQuery(q *PathQuery) error {
	if q.From == "" || q.To == "" {
		return fmt.Errorf("%w: a path needs a start and an end", ErrInvalid)
	}
	if q.From == q.To {
		return fmt.Errorf("%w: a path needs two different nodes, got %q twice", ErrInvalid, q.From)
	}
	if q.MaxHops < 1 || q.MaxHops > MaxPathHops {
		return fmt.Errorf("%w: maxHops must be between 1 and %d, got %d", ErrInvalid, MaxPathHops, q.MaxHops)
	}
	if q.K < 1 || q.K > MaxPaths {
		return fmt.Errorf("%w: k must be between 1 and %d, got %d", ErrInvalid, MaxPaths, q.K)
	}
	if err := checkRelTypes(q.Types); err != nil {
		return err
	}
	if err := checkKinds(q.Through); err != nil {
		return err
	}
	if q.AsOf < 0 {
		return fmt.Errorf("%w: year %d is negative", ErrInvalid, q.AsOf)
	}
	return nil
}

// PathKey is what paths are ranked by: the ids of their nodes and of
// their relationships, in path order.
type PathKey struct {
	Nodes []string
	Edges []string
}

// ComparePaths orders path keys: fewer relationships first, then by the
// node ids, then by the relationship ids, each sequence compared element
// by element.
func ComparePaths(a, b PathKey) int {
	if c := len(a.Edges) - len(b.Edges); c != 0 {
		return c
	}
	if c := slices.Compare(a.Nodes, b.Nodes); c != 0 {
		return c
	}
	return slices.Compare(a.Edges, b.Edges)
}

// RankPaths sorts path keys by ComparePaths and keeps the first k.
func RankPaths(keys []PathKey, k int) []PathKey {
	out := slices.Clone(keys)
	slices.SortFunc(out, ComparePaths)
	return out[:min(k, len(out))]
}

// String renders a path key for messages.
func (k PathKey) String() string {
	var b strings.Builder
	for i, n := range k.Nodes {
		if i > 0 {
			fmt.Fprintf(&b, " -%s- ", k.Edges[i-1])
		}
		b.WriteString(n)
	}
	return b.String()
}
