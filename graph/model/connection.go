package model

import "github.com/innograph/innograph/kg"

// PageInfo is Relay's page information.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// NewPageInfo describes a page of n items starting at offset.
func NewPageInfo(offset, n int, hasNext bool) *PageInfo {
	pi := &PageInfo{HasNextPage: hasNext, HasPreviousPage: offset > 0}
	if n > 0 {
		s, e := kg.Cursor(offset), kg.Cursor(offset+n-1)
		pi.StartCursor, pi.EndCursor = &s, &e
	}
	return pi
}

// Connection is a page of nodes of one kind.
type Connection[T any] struct {
	TotalCount int
	PageInfo   *PageInfo
	Edges      []*Edge[T]
}

// Edge is one node of a Connection with its cursor.
type Edge[T any] struct {
	Cursor string
	Node   T
}

// NewConnection builds a connection over a page, viewing each node as T.
func NewConnection[T any](p *kg.NodePage) *Connection[T] {
	c := &Connection[T]{TotalCount: p.TotalCount, PageInfo: NewPageInfo(p.Offset, len(p.Nodes), p.HasNextPage), Edges: make([]*Edge[T], len(p.Nodes))}
	for i, n := range p.Nodes {
		c.Edges[i] = &Edge[T]{Cursor: kg.Cursor(p.Offset + i), Node: Wrap(n).(T)}
	}
	return c
}

// NewFetchedConnection builds a connection over the roots a fetch plan
// read by a node query, viewing each as T.
func NewFetchedConnection[T any](r *kg.FetchResult) *Connection[T] {
	c := &Connection[T]{TotalCount: r.TotalCount, PageInfo: NewPageInfo(r.Offset, len(r.Roots), r.HasNextPage), Edges: make([]*Edge[T], len(r.Roots))}
	for i, f := range r.Roots {
		c.Edges[i] = &Edge[T]{Cursor: kg.Cursor(r.Offset + i), Node: WrapFetched(f).(T)}
	}
	return c
}

// The connections of the root lists.
type (
	EnterpriseConnection    = Connection[*Enterprise]
	EnterpriseEdge          = Edge[*Enterprise]
	IncubatorConnection     = Connection[*Incubator]
	IncubatorEdge           = Edge[*Incubator]
	MakerspaceConnection    = Connection[*Makerspace]
	MakerspaceEdge          = Edge[*Makerspace]
	TalentConnection        = Connection[*Talent]
	TalentEdge              = Edge[*Talent]
	UniversityConnection    = Connection[*University]
	UniversityEdge          = Edge[*University]
	ServiceAgencyConnection = Connection[*ServiceAgency]
	ServiceAgencyEdge       = Edge[*ServiceAgency]
	PolicyConnection        = Connection[*Policy]
	PolicyEdge              = Edge[*Policy]
	IndustryConnection      = Connection[*Industry]
	IndustryEdge            = Edge[*Industry]
	PlanConnection          = Connection[*Plan]
	PlanEdge                = Edge[*Plan]
	IndicatorConnection     = Connection[*Indicator]
	IndicatorEdge           = Edge[*Indicator]
)

// RelationConnection is a page of the relationships of one node.
type RelationConnection struct {
	TotalCount int
	// NodeCount counts the distinct nodes at the other ends of every
	// relationship; only connections read through the loaders know it
	// (the planner does not plan a field that reads it).
	NodeCount int
	PageInfo  *PageInfo
	Edges     []*RelationEdge
}

// RelationEdge is a relationship of a node and the node at its other end.
type RelationEdge struct {
	Cursor   string
	Node     Node
	Outgoing bool
	Relation *Relation
}

// NewRelationConnection pages the neighbours of node id: first items after
// the cursor position after (-1 for the start).
func NewRelationConnection(id string, ns []kg.Neighbor, first, after int) *RelationConnection {
	start := min(after+1, len(ns))
	end := min(start+first, len(ns))
	c := &RelationConnection{TotalCount: len(ns), PageInfo: NewPageInfo(start, end-start, end < len(ns)), Edges: make([]*RelationEdge, 0, end-start)}
	for i := start; i < end; i++ {
		c.Edges = append(c.Edges, &RelationEdge{Cursor: kg.Cursor(i), Node: Wrap(ns[i].Node), Outgoing: ns[i].Edge.From == id, Relation: &Relation{ns[i].Edge}})
	}
	return c
}

// NewHopConnection views the page a fetch plan read from node id as
// NewRelationConnection views the same page of all its neighbours.
func NewHopConnection(id string, p *kg.HopPage) *RelationConnection {
	end := p.Offset + len(p.Items)
	c := &RelationConnection{TotalCount: p.Total, PageInfo: NewPageInfo(p.Offset, len(p.Items), end < p.Total), Edges: make([]*RelationEdge, len(p.Items))}
	for i, it := range p.Items {
		c.Edges[i] = &RelationEdge{Cursor: kg.Cursor(p.Offset + i), Node: WrapFetched(it.Node), Outgoing: it.Edge.From == id, Relation: &Relation{it.Edge}}
	}
	return c
}

// Relation is a view over a kg.Edge.
type Relation struct{ E *kg.Edge }

func (r *Relation) ID() string { return r.E.ID }

func (r *Relation) Type() kg.RelType { return r.E.Type }

// From is the id of the start node.
func (r *Relation) From() string { return r.E.From }

// To is the id of the end node.
func (r *Relation) To() string { return r.E.To }

// Since is the first year the relationship holds.
func (r *Relation) Since() *int { return optInt(r.E.Props, "since") }

// Until is the last year the relationship holds.
func (r *Relation) Until() *int { return optInt(r.E.Props, "until") }

func (r *Relation) Source() *string { return optStr(r.E.Props, "source") }

func (r *Relation) Confidence() *float64 { return optFloat(r.E.Props, "confidence") }

func (r *Relation) Product() *string { return optStr(r.E.Props, "product") }

// Value is a yearly or contract value.
func (r *Relation) Value() *float64 { return optFloat(r.E.Props, "value") }

func (r *Relation) Mode() *CollaborationMode {
	return optEnum[CollaborationMode](r.E.Props, "mode")
}

func (r *Relation) Technology() *string { return optStr(r.E.Props, "technology") }

// Year is the year of the event.
func (r *Relation) Year() *int { return optInt(r.E.Props, "year") }

// Amount is an amount of money.
func (r *Relation) Amount() *float64 { return optFloat(r.E.Props, "amount") }

// Graduated is the graduation year of an incubated enterprise.
func (r *Relation) Graduated() *int { return optInt(r.E.Props, "graduated") }

func (r *Relation) Role() *string { return optStr(r.E.Props, "role") }

func (r *Relation) Degree() *Degree { return optEnum[Degree](r.E.Props, "degree") }

func (r *Relation) Category() *ServiceCategory {
	return optEnum[ServiceCategory](r.E.Props, "category")
}

func (r *Relation) Round() *string { return optStr(r.E.Props, "round") }

func (r *Relation) Status() *SupportStatus { return optEnum[SupportStatus](r.E.Props, "status") }
