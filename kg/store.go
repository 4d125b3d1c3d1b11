package kg

import (
	"context"
	"errors"
)

// Store is the one contract every backend implements: a generic,
// batch-oriented property graph. Methods take ctx first and return errors
// that wrap the sentinels of this package. What they return is the
// caller's: modifying it does not change the store.
type Store interface {
	// GetNodes returns the nodes with the given ids, in the order of ids;
	// an unknown id yields nil at its place (not an error).
	GetNodes(ctx context.Context, ids []string) ([]*Node, error)
	// GetEdges returns the edges with the given ids, in the order of ids;
	// an unknown id yields nil at its place.
	GetEdges(ctx context.Context, ids []string) ([]*Edge, error)
	// FindNodes returns one page of the nodes of a kind that match a
	// filter, in the requested order (always ending with id ascending).
	FindNodes(ctx context.Context, q NodeQuery) (*NodePage, error)
	// Neighbors returns, for each id of q.IDs, its relationships of the
	// requested types and direction with the node at their other end, ordered
	// by relationship type, neighbour id and edge id. Ids without any are absent.
	// The direction is the stored one (From → To), for symmetric types too.
	Neighbors(ctx context.Context, q NeighborQuery) (map[string][]Neighbor, error)
	// Fetch reads a FetchPlan in one call: the root nodes (as FindNodes
	// or GetNodes) and the pages of its hops from each (as Neighbors,
	// paged), with the properties the plan asks for. Unknown root ids
	// yield nil roots; nodes without relationships an empty page.
	Fetch(ctx context.Context, p FetchPlan) (*FetchResult, error)
	// Search finds nodes whose name, English name or alias contains the
	// text (case-insensitively), best matches first.
	Search(ctx context.Context, q SearchQuery) ([]*Node, error)
	// Apply validates and writes a batch atomically: all of it, or nothing
	// and a *ValidationError listing every problem. It does not modify b.
	Apply(ctx context.Context, b Batch) (*WriteResult, error)
	// Replace makes b the whole graph: every node and edge not in b is
	// removed and b's are written as new. b is checked first, as a batch
	// into an empty store (see PrepareReplace); a refused b changes
	// nothing and yields a *ValidationError listing every problem. The
	// audit log is kept, and b.Audit, if set, is added to it. The result
	// counts b's nodes and edges as created and the old ones as deleted.
	// The embedded store replaces in one transaction; how far a Neo4j
	// replace that fails after the check got is said in package neo4j.
	Replace(ctx context.Context, b Batch) (*WriteResult, error)
	// Stats counts nodes by kind and edges by type.
	Stats(ctx context.Context) (*Stats, error)
	// Project returns, in one call, the edges of some types between nodes
	// of some kinds with their end nodes: the projection that graph
	// algorithms run over (see ProjectionQuery). It is bounded by q.Limit.
	Project(ctx context.Context, q ProjectionQuery) (*Projection, error)
	// Paths returns the k shortest simple paths between two nodes (see
	// PathQuery), in the order of ComparePaths, identically on every backend.
	Paths(ctx context.Context, q PathQuery) (*PathResult, error)
	// ScanNodes walks the nodes of some kinds in pages, ordered by kind
	// and id, for exports of a whole graph (see NodeScan).
	ScanNodes(ctx context.Context, q NodeScan) (*NodeScanPage, error)
	// ScanEdges walks the edges in pages, ordered by type and id (see
	// EdgeScan).
	ScanEdges(ctx context.Context, q EdgeScan) (*EdgeScanPage, error)
	// AuditLog returns a page of the audit entries that Apply persisted
	// with audited batches, newest first.
	AuditLog(ctx context.Context, q AuditQuery) (*AuditPage, error)
	// Ping reports whether the backend can serve requests.
	Ping(ctx context.Context) error
	// Close releases the store.
	Close() error
}

// Op is a comparison operator of a Condition.
type Op string

// The operators. On list properties EQ and IN test membership of any
// element; CONTAINS and PREFIX apply to strings only.
const (
	EQ       Op = "EQ"
	NE       Op = "NE"
	GT       Op = "GT"
	GTE      Op = "GTE"
	LT       Op = "LT"
	LTE      Op = "LTE"
	IN       Op = "IN"
	CONTAINS Op = "CONTAINS"
	PREFIX   Op = "PREFIX"
)

// Condition restricts a property. A node without the property never
// matches. Prop "id" names the node id. For a yearly series, Year selects
// the year's value.
type Condition struct {
	Prop  string
	Op    Op
	Value any // for IN a []any / []string
	Year  int
}

// SortKey orders by a property (or "id"); missing values sort last when
// ascending and first when descending. For a series, Year selects the year.
type SortKey struct {
	Prop string
	Desc bool
	Year int
}

// MaxPageSize bounds NodeQuery.First.
const MaxPageSize = 1000

// NodeQuery selects a page of nodes of one kind.
type NodeQuery struct {
	Kind    Kind
	Where   []Condition // all must hold
	OrderBy []SortKey   // then id ascending
	First   int         // 1..MaxPageSize
	// After is the cursor of the last node of the previous page (see
	// NodeCursor): the page holds the nodes that sort strictly after it.
	After string
}

// NodePage is a page of nodes.
type NodePage struct {
	Nodes      []*Node
	TotalCount int
	// Offset counts the matches that sort before the page (at the time
	// of the read): 0 for a first page.
	Offset      int
	HasNextPage bool
}

// Direction selects relationships by the side a node stands on.
type Direction string

// The directions.
const (
	Out  Direction = "OUT"
	In   Direction = "IN"
	Both Direction = "BOTH"
)

// NeighborQuery selects the relationships of many nodes at once.
type NeighborQuery struct {
	IDs       []string
	Types     []RelType // empty: all
	Direction Direction // "" means Both
	AsOf      int       // year; 0: any
	// Among, when not empty, keeps only the neighbours whose id it holds:
	// the relationships inside a set of nodes.
	Among []string
	// BareNodes asks for the neighbours with only their id and kind (the
	// relationships stay whole): for traversals that choose among many
	// neighbours before reading the few they keep.
	BareNodes bool
}

// Neighbor is one relationship of a node and the node at its other end.
type Neighbor struct {
	Edge *Edge
	Node *Node
}

// SearchQuery is a text search over names.
type SearchQuery struct {
	Text  string
	Kinds []Kind // empty: all
	Limit int    // 1..MaxPageSize
}

// MinSearchRunes is the shortest search text.
const MinSearchRunes = 2

// Batch is a set of writes applied atomically, in this order: node upserts,
// edge upserts, edge deletes, node deletes (a deleted node loses its edges).
// An upsert merges properties into an existing node or edge (see Merge).
type Batch struct {
	Nodes       []Node
	Edges       []Edge
	DeleteNodes []string
	DeleteEdges []string
	// Audit, if set, is recorded in the audit log in the same transaction
	// as the batch (see AuditEntry).
	Audit *AuditEntry
	// New says that the writer found none of the batch's nodes and edges
	// stored when it checked them (an import's validation pass does), so
	// that a store may create them without reading them first. It is a
	// hint, never trusted: a store that finds any of them stored after all
	// writes the batch as it would without it, with the same outcome.
	New bool
}

// PrepareReplace normalises and checks a batch that is to become the
// whole graph (see Store.Replace): everything PrepareBatch checks, no
// deletes, and every edge's ends among b's nodes, of kinds the ontology
// allows. It returns a *ValidationError, or nil.
func PrepareReplace(b *Batch) error {
	var errs []FieldError
	for i, id := range b.DeleteNodes {
		errs = append(errs, FieldError{List: "deleteNodes", Item: i, ID: id, Field: "id", Message: "a replace deletes everything it does not write: it takes no deletes"})
	}
	for i, id := range b.DeleteEdges {
		errs = append(errs, FieldError{List: "deleteEdges", Item: i, ID: id, Field: "id", Message: "a replace deletes everything it does not write: it takes no deletes"})
	}
	if err := PrepareBatch(b); err != nil {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			return err
		}
		errs = append(ve.Errors, errs...)
	}
	if len(errs) > 0 {
		return NewValidationError(ErrInvalid, errs...)
	}
	none := StoredFacts{
		NodeKind: func(string) (Kind, bool) { return "", false },
		EdgeType: func(string) (RelType, string, string, bool) { return "", "", "", false },
	}
	return CheckBatch(b, none)
}

// WriteResult says what a batch changed. An upsert that leaves a node or
// edge as it was counts as unchanged. EdgesDeleted includes the edges
// removed with their nodes.
type WriteResult struct {
	NodesCreated, NodesUpdated, NodesUnchanged int
	EdgesCreated, EdgesUpdated, EdgesUnchanged int
	NodesDeleted, EdgesDeleted                 int
}

// Add adds the counts of r to w.
func (w *WriteResult) Add(r *WriteResult) {
	w.NodesCreated += r.NodesCreated
	w.NodesUpdated += r.NodesUpdated
	w.NodesUnchanged += r.NodesUnchanged
	w.EdgesCreated += r.EdgesCreated
	w.EdgesUpdated += r.EdgesUpdated
	w.EdgesUnchanged += r.EdgesUnchanged
	w.NodesDeleted += r.NodesDeleted
	w.EdgesDeleted += r.EdgesDeleted
}

// Stats counts the graph.
type Stats struct {
	Nodes       int
	Edges       int
	NodesByKind map[Kind]int
	EdgesByType map[RelType]int
}
