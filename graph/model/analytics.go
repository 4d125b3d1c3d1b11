package model

import "github.com/innograph/innograph/kg"

// SubgraphNode is a node of a subgraph: a view over a kg node that may
// carry only its name and district (Full false), as projections return
// them. Its `node` field loads the whole node when it does not.
type SubgraphNode struct {
	N *kg.Node
	// D is the depth of the node in a traversal; nil where it means nothing.
	D *int
	// Full tells whether N carries every property.
	Full bool
}

// WholeNode is the view of n, which carries every property, with no
// depth.
func WholeNode(n *kg.Node) *SubgraphNode { return &SubgraphNode{N: n, Full: true} }

// ProjectedNode is the view of n as a projection holds it, with some of
// its properties (the others are read when asked; see Full), and no
// depth.
func ProjectedNode(n *kg.Node) *SubgraphNode { return &SubgraphNode{N: n} }

// AtDepth gives x its depth in a traversal and returns it.
func (x *SubgraphNode) AtDepth(depth int) *SubgraphNode {
	x.D = &depth
	return x
}

func (x *SubgraphNode) ID() string { return x.N.ID }

func (x *SubgraphNode) Kind() kg.Kind { return x.N.Kind }

func (x *SubgraphNode) Name() string { return x.N.Name() }

func (x *SubgraphNode) District() *string { return optStr(x.N.Props, "district") }

// Depth is the node's distance from the start of a traversal.
func (x *SubgraphNode) Depth() *int { return x.D }

// SubgraphEdge is a relationship of a subgraph.
type SubgraphEdge struct{ E *kg.Edge }

func (x *SubgraphEdge) ID() string { return x.E.ID }

func (x *SubgraphEdge) Type() kg.RelType { return x.E.Type }

// Source is the id of the start node.
func (x *SubgraphEdge) Source() string { return x.E.From }

// Target is the id of the end node.
func (x *SubgraphEdge) Target() string { return x.E.To }

// Since is the first year the relationship holds.
func (x *SubgraphEdge) Since() *int { return optInt(x.E.Props, "since") }

// Until is the last year the relationship holds.
func (x *SubgraphEdge) Until() *int { return optInt(x.E.Props, "until") }

// Weight is the relationship's value or amount, else 1.
func (x *SubgraphEdge) Weight() float64 {
	for _, p := range []string{"value", "amount"} {
		if v, ok := x.E.Props.Float(p); ok {
			return v
		}
	}
	return 1
}

// Relation is the relationship with every property.
func (x *SubgraphEdge) Relation() *Relation { return &Relation{x.E} }

// ContributorKey says which contributors an IndicatorProgress lists: a
// formula for a district and year.
type ContributorKey struct {
	Formula  string
	District string
	Year     int
}

// IndicatorProgress is where one indicator stands; Key selects its
// contributors.
type IndicatorProgress struct {
	Indicator    *Indicator
	Number       *int
	Name         string
	Formula      *string
	Unit         *string
	Target       *float64
	Actual       *float64
	BaselineYear *int
	Baseline     *float64
	Ratio        *float64
	// BaselineRatio is actual / baseline.
	BaselineRatio *float64
	// Text is the plan's wording of the indicator.
	Text     *string
	Expected *float64
	Status   IndicatorStatus
	Key      ContributorKey
}
