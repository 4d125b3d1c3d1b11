package kg

import (
	"maps"
	"math"
	"slices"
	"time"
)

// Upsert says what upserting one node or edge did to the stored one.
type Upsert int

// What an upsert did.
const (
	// Created: nothing was stored under the id.
	Created Upsert = iota
	// Updated: the stored item's properties changed.
	Updated
	// Unchanged: the merged properties equal the stored ones.
	Unchanged
)

// CopyBatch returns a copy of b that PrepareBatch may normalise in place,
// and PlanBatch take the property maps of, without touching the caller's
// slices and maps.
func CopyBatch(b Batch) Batch {
	out := Batch{
		Nodes:       slices.Clone(b.Nodes),
		Edges:       slices.Clone(b.Edges),
		DeleteNodes: slices.Clone(b.DeleteNodes),
		DeleteEdges: slices.Clone(b.DeleteEdges),
		Audit:       b.Audit,
		New:         b.New,
	}
	for i := range out.Nodes {
		out.Nodes[i].Props = maps.Clone(out.Nodes[i].Props)
	}
	for i := range out.Edges {
		out.Edges[i].Props = maps.Clone(out.Edges[i].Props)
	}
	return out
}

// MergeNode returns the node that upserting n leaves at time now, given
// the stored node old (nil when there is none), and what the upsert did.
//
// A new node has n's kind, n's properties without nil values and NaN
// years (it takes n's map: the caller hands it over, see CopyBatch) and
// now as both timestamps. A stored node keeps its kind and CreatedAt and
// gets the properties Merge(old.Props, n.Props); if they equal the stored
// ones the upsert is Unchanged and old is returned as it is, else
// UpdatedAt becomes now, or a nanosecond after the stored UpdatedAt when
// now is not later, so that an update always moves it forward.
func MergeNode(old, n *Node, now time.Time) (*Node, Upsert) {
	if old == nil {
		return &Node{ID: n.ID, Kind: n.Kind, Props: adopt(n.Props), CreatedAt: now, UpdatedAt: now}, Created
	}
	merged := Merge(old.Props, n.Props)
	if merged.Equal(old.Props) {
		return old, Unchanged
	}
	updated := now
	if !updated.After(old.UpdatedAt) {
		updated = old.UpdatedAt.Add(time.Nanosecond)
	}
	return &Node{ID: n.ID, Kind: old.Kind, Props: merged, CreatedAt: old.CreatedAt, UpdatedAt: updated}, Updated
}

// MergeEdge returns the edge that upserting e leaves, given the stored
// edge old (nil when there is none), and what the upsert did: as
// MergeNode, without timestamps; a stored edge keeps its type and ends.
func MergeEdge(old, e *Edge) (*Edge, Upsert) {
	if old == nil {
		return &Edge{ID: e.ID, Type: e.Type, From: e.From, To: e.To, Props: adopt(e.Props)}, Created
	}
	merged := Merge(old.Props, e.Props)
	if merged.Equal(old.Props) {
		return old, Unchanged
	}
	return &Edge{ID: e.ID, Type: old.Type, From: old.From, To: old.To, Props: merged}, Updated
}

// adopt returns what Merge(nil, p) returns, reusing p's map instead of
// copying it: nil values are dropped, as are NaN years of a series and a
// series left empty; lists are copied, as is a series with NaN years.
func adopt(p Props) Props {
	for k, v := range p {
		switch x := v.(type) {
		case nil:
			delete(p, k)
		case []string:
			p[k] = slices.Clone(x)
		case Series:
			if !hasNaN(x) {
				continue
			}
			s := make(Series, len(x))
			for y, f := range x {
				if !math.IsNaN(f) {
					s[y] = f
				}
			}
			if len(s) == 0 {
				delete(p, k)
			} else {
				p[k] = s
			}
		}
	}
	if p == nil {
		p = Props{}
	}
	return p
}

// hasNaN reports whether a year of s is NaN (removed by a merge).
func hasNaN(s Series) bool {
	for _, f := range s {
		if math.IsNaN(f) {
			return true
		}
	}
	return false
}

// count adds one upsert's outcome to the node or edge counts of r.
func (r *WriteResult) count(edge bool, u Upsert) {
	switch {
	case !edge && u == Created:
		r.NodesCreated++
	case !edge && u == Updated:
		r.NodesUpdated++
	case !edge:
		r.NodesUnchanged++
	case u == Created:
		r.EdgesCreated++
	case u == Updated:
		r.EdgesUpdated++
	default:
		r.EdgesUnchanged++
	}
}

// StoredItems is what a store tells PlanBatch about the stored graph, for
// the ids a checked batch names.
type StoredItems struct {
	// Node returns the stored node with the id of a node the batch
	// upserts, or nil.
	Node func(id string) *Node
	// Edge returns the stored edge with the id of an edge the batch
	// upserts, or nil.
	Edge func(id string) *Edge
	// HasNode reports whether a node the batch deletes is stored.
	HasNode func(id string) bool
	// HasEdge reports whether an edge the batch deletes, or an edge of a
	// node it deletes, is stored.
	HasEdge func(id string) bool
	// Incident returns the ids of the stored edges of a node the batch
	// deletes.
	Incident func(id string) []string
}

// Change is what a checked batch does to the stored graph.
type Change struct {
	// Nodes holds the final state of every node the batch creates or
	// updates, and nil for every stored node it deletes. Nodes an upsert
	// leaves unchanged are not in it; a node the batch creates and then
	// deletes is, as nil.
	Nodes map[string]*Node
	// Edges is the same for edges, with the edges deleted with their
	// nodes.
	Edges map[string]*Edge
	// Result counts what the batch did.
	Result WriteResult
}

// PlanBatch computes the change a batch makes to the stored graph at time
// now, in the batch's order: node upserts, edge upserts, edge deletes,
// node deletes with their edges (stored ones and those the batch
// upserts). b must be prepared (PrepareBatch) and checked (CheckBatch);
// the new items take b's property maps (see MergeNode). Every store
// writes what it returns, so that merges and counts are the same on each.
func PlanBatch(b *Batch, st StoredItems, now time.Time) *Change {
	c := &Change{
		Nodes: make(map[string]*Node, len(b.Nodes)+len(b.DeleteNodes)),
		Edges: make(map[string]*Edge, len(b.Edges)+len(b.DeleteEdges)),
	}
	for i := range b.Nodes {
		n := &b.Nodes[i]
		old, ok := c.Nodes[n.ID]
		if !ok {
			old = st.Node(n.ID)
		}
		merged, u := MergeNode(old, n, now)
		if u != Unchanged {
			c.Nodes[n.ID] = merged
		}
		c.Result.count(false, u)
	}
	for i := range b.Edges {
		e := &b.Edges[i]
		old, ok := c.Edges[e.ID]
		if !ok {
			old = st.Edge(e.ID)
		}
		merged, u := MergeEdge(old, e)
		if u != Unchanged {
			c.Edges[e.ID] = merged
		}
		c.Result.count(true, u)
	}
	deleteEdge := func(id string) {
		exists := false
		if e, ok := c.Edges[id]; ok {
			exists = e != nil
		} else {
			exists = st.HasEdge(id)
		}
		if exists {
			c.Edges[id] = nil
			c.Result.EdgesDeleted++
		}
	}
	for _, id := range b.DeleteEdges {
		deleteEdge(id)
	}
	var batchEdgesOf map[string][]string // node id → ids of edges upserted by the batch
	if len(b.DeleteNodes) > 0 && len(b.Edges) > 0 {
		batchEdgesOf = map[string][]string{}
		for _, e := range b.Edges {
			batchEdgesOf[e.From] = append(batchEdgesOf[e.From], e.ID)
			if e.To != e.From {
				batchEdgesOf[e.To] = append(batchEdgesOf[e.To], e.ID)
			}
		}
	}
	for _, id := range b.DeleteNodes {
		if n, ok := c.Nodes[id]; ok && n == nil || !ok && !st.HasNode(id) {
			continue
		}
		c.Nodes[id] = nil
		c.Result.NodesDeleted++
		for _, eid := range st.Incident(id) {
			deleteEdge(eid)
		}
		for _, eid := range batchEdgesOf[id] {
			deleteEdge(eid)
		}
	}
	return c
}
