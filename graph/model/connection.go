package model

import "github.com/innograph/innograph/kg"

// PageInfo is Relay's page information.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// NewPageInfo describes a page of items with the given cursors, after
// offset items that sort before it.
func NewPageInfo(offset int, cursors []string, hasNext bool) *PageInfo {
	pi := &PageInfo{HasNextPage: hasNext, HasPreviousPage: offset > 0}
	if n := len(cursors); n > 0 {
		s, e := cursors[0], cursors[n-1]
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

// NewConnection builds a connection over a page of query q, viewing each
// node as T.
func NewConnection[T any](q kg.NodeQuery, p *kg.NodePage) *Connection[T] {
	views := make([]Node, len(p.Nodes))
	cursors := make([]string, len(p.Nodes))
	for i, n := range p.Nodes {
		views[i], cursors[i] = Wrap(n), kg.NodeCursor(q.Kind, q.OrderBy, n)
	}
	return NewNodeConnection[T](p.TotalCount, p.Offset, p.HasNextPage, views, cursors)
}

// NewFetchedConnection builds a connection over the roots a fetch plan
// read by node query q, viewing each as T.
func NewFetchedConnection[T any](q kg.NodeQuery, r *kg.FetchResult) *Connection[T] {
	views := make([]Node, len(r.Roots))
	cursors := make([]string, len(r.Roots))
	for i, f := range r.Roots {
		views[i], cursors[i] = WrapFetched(f), kg.NodeCursor(q.Kind, q.OrderBy, f.Node)
	}
	return NewNodeConnection[T](r.TotalCount, r.Offset, r.HasNextPage, views, cursors)
}

// NewNodeConnection builds a connection over a page of views (each a T)
// with their cursors, after offset nodes of total.
func NewNodeConnection[T any](total, offset int, hasNext bool, views []Node, cursors []string) *Connection[T] {
	c := &Connection[T]{TotalCount: total, PageInfo: NewPageInfo(offset, cursors, hasNext), Edges: make([]*Edge[T], len(views))}
	for i, v := range views {
		c.Edges[i] = &Edge[T]{Cursor: cursors[i], Node: v.(T)}
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

// NewRelationConnection pages the neighbours ns of node id, whose cursors
// are cursors: the first items from position start, of all of ns.
func NewRelationConnection(id string, ns []kg.Neighbor, cursors []string, first, start int) *RelationConnection {
	start = min(start, len(ns))
	end := min(start+first, len(ns))
	c := &RelationConnection{TotalCount: len(ns), PageInfo: NewPageInfo(start, cursors[start:end], end < len(ns)), Edges: make([]*RelationEdge, 0, end-start)}
	for i := start; i < end; i++ {
		c.Edges = append(c.Edges, &RelationEdge{Cursor: cursors[i], Node: Wrap(ns[i].Node), Outgoing: ns[i].Edge.From == id, Relation: &Relation{ns[i].Edge}})
	}
	return c
}

// NewHopConnection views the page a fetch plan read from node id, along
// relationships of types in direction dir, as NewRelationConnection views
// the same page of all its neighbours.
func NewHopConnection(id string, p *kg.HopPage, types []kg.RelType, dir kg.Direction) *RelationConnection {
	end := p.Offset + len(p.Items)
	cursors := make([]string, len(p.Items))
	for i, it := range p.Items {
		cursors[i] = kg.RelationCursor(types, dir, nil, nil, it.Edge, it.Node.Node.ID)
	}
	c := &RelationConnection{TotalCount: p.Total, PageInfo: NewPageInfo(p.Offset, cursors, end < p.Total), Edges: make([]*RelationEdge, len(p.Items))}
	for i, it := range p.Items {
		c.Edges[i] = &RelationEdge{Cursor: cursors[i], Node: WrapFetched(it.Node), Outgoing: it.Edge.From == id, Relation: &Relation{it.Edge}}
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
