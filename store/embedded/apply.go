package embedded

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/innograph/innograph/kg"
)

// change is the outcome of a batch, computed before anything is written:
// the final state of every node and edge it touches (nil for deleted),
// their encoded forms, and the in-memory entries and kind lists to publish
// once the write has been committed.
type change struct {
	nodes    map[string]*kg.Node
	edges    map[string]*kg.Edge
	nodeData map[string][]byte
	edgeData map[string][]byte
	// edgeKeys holds the record keys of the edges the change creates.
	edgeKeys map[string]uint64
	newRecs  map[string]*nodeRec
	byKind   map[kg.Kind][]*nodeRec
	// kinds holds the kinds of the nodes the change creates, updates or
	// deletes: their columns are dropped.
	kinds map[kg.Kind]bool
	res   kg.WriteResult
	// audit is the batch's completed audit entry, or nil.
	audit *kg.AuditEntry
}

// Apply validates and writes a batch atomically: all of it in one bbolt
// transaction, or nothing and an error. Memory is updated only after the
// transaction has been committed.
func (s *Store) Apply(ctx context.Context, b kg.Batch) (*kg.WriteResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b = copyBatch(b)
	if err := kg.PrepareBatch(&b); err != nil {
		return nil, err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	// Holding wmu, this goroutine is the only one that may change the
	// indexes (or closed), so it reads them without mu.
	if s.closed {
		return nil, errClosed
	}
	if err := kg.CheckBatch(&b, s.facts()); err != nil {
		return nil, err
	}
	c, err := s.plan(&b, time.Now().UTC())
	if err != nil {
		return nil, err
	}
	if b.Audit != nil {
		a := b.Audit.Complete(&b, c.res, time.Now())
		c.audit = &a
	}
	if err := s.commit(ctx, c); err != nil {
		return nil, err
	}
	s.install(c)
	res := c.res
	return &res, nil
}

// copyBatch returns a copy of b that kg.PrepareBatch may normalise in
// place without touching the caller's slices and maps.
func copyBatch(b kg.Batch) kg.Batch {
	out := kg.Batch{
		Nodes:       slices.Clone(b.Nodes),
		Edges:       slices.Clone(b.Edges),
		DeleteNodes: slices.Clone(b.DeleteNodes),
		DeleteEdges: slices.Clone(b.DeleteEdges),
		Audit:       b.Audit,
	}
	for i := range out.Nodes {
		out.Nodes[i].Props = maps.Clone(out.Nodes[i].Props)
	}
	for i := range out.Edges {
		out.Edges[i].Props = maps.Clone(out.Edges[i].Props)
	}
	return out
}

// adopt returns what kg.Merge(nil, p) returns, reusing p's map instead of
// copying it: p belongs to the batch's own copy (see copyBatch), which is
// not used again once planned, and kg.PrepareBatch gave it fresh lists
// and series. Nil values are dropped, as are NaN years of a series and a
// series left empty; lists are still copied.
func adopt(p kg.Props) kg.Props {
	for k, v := range p {
		switch x := v.(type) {
		case nil:
			delete(p, k)
		case []string:
			p[k] = slices.Clone(x)
		case kg.Series:
			if !hasNaN(x) {
				continue
			}
			s := make(kg.Series, len(x))
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
		p = kg.Props{}
	}
	return p
}

// hasNaN reports whether a year of s is NaN (removed by a merge).
func hasNaN(s kg.Series) bool {
	for _, f := range s {
		if math.IsNaN(f) {
			return true
		}
	}
	return false
}

// facts tells kg.CheckBatch about the stored graph. The caller holds wmu.
func (s *Store) facts() kg.StoredFacts {
	return kg.StoredFacts{
		NodeKind: func(id string) (kg.Kind, bool) {
			if r := s.nodes[id]; r != nil {
				return r.n.Kind, true
			}
			return "", false
		},
		EdgeType: func(id string) (kg.RelType, string, string, bool) {
			if r := s.edges[id]; r != nil {
				return r.e.Type, r.e.From, r.e.To, true
			}
			return "", "", "", false
		},
	}
}

// plan computes the change a checked batch makes, in the batch's order:
// node upserts, edge upserts, edge deletes, node deletes with their edges.
// The caller holds wmu.
func (s *Store) plan(b *kg.Batch, now time.Time) (*change, error) {
	nn, ne := len(b.Nodes)+len(b.DeleteNodes), len(b.Edges)+len(b.DeleteEdges)
	c := &change{
		nodes:    make(map[string]*kg.Node, nn),
		edges:    make(map[string]*kg.Edge, ne),
		nodeData: make(map[string][]byte, len(b.Nodes)),
		edgeData: make(map[string][]byte, len(b.Edges)),
		edgeKeys: make(map[string]uint64, len(b.Edges)),
		newRecs:  make(map[string]*nodeRec, len(b.Nodes)),
		byKind:   map[kg.Kind][]*nodeRec{},
		kinds:    map[kg.Kind]bool{},
	}
	node := func(id string) *kg.Node {
		if n, ok := c.nodes[id]; ok {
			return n
		}
		if r := s.nodes[id]; r != nil {
			return r.n
		}
		return nil
	}
	edge := func(id string) *kg.Edge {
		if e, ok := c.edges[id]; ok {
			return e
		}
		if r := s.edges[id]; r != nil {
			return r.e
		}
		return nil
	}
	for _, n := range b.Nodes {
		old := node(n.ID)
		if old == nil {
			c.nodes[n.ID] = &kg.Node{ID: n.ID, Kind: n.Kind, Props: adopt(n.Props), CreatedAt: now, UpdatedAt: now}
			c.res.NodesCreated++
			continue
		}
		merged := kg.Merge(old.Props, n.Props)
		if merged.Equal(old.Props) {
			c.res.NodesUnchanged++
			continue
		}
		updated := now
		if !updated.After(old.UpdatedAt) {
			updated = old.UpdatedAt.Add(time.Nanosecond)
		}
		c.nodes[n.ID] = &kg.Node{ID: n.ID, Kind: old.Kind, Props: merged, CreatedAt: old.CreatedAt, UpdatedAt: updated}
		c.res.NodesUpdated++
	}
	for _, e := range b.Edges {
		old := edge(e.ID)
		if old == nil {
			c.edges[e.ID] = &kg.Edge{ID: e.ID, Type: e.Type, From: e.From, To: e.To, Props: adopt(e.Props)}
			c.res.EdgesCreated++
			continue
		}
		merged := kg.Merge(old.Props, e.Props)
		if merged.Equal(old.Props) {
			c.res.EdgesUnchanged++
			continue
		}
		c.edges[e.ID] = &kg.Edge{ID: e.ID, Type: old.Type, From: old.From, To: old.To, Props: merged}
		c.res.EdgesUpdated++
	}
	deleteEdge := func(id string) {
		if edge(id) != nil {
			c.edges[id] = nil
			c.res.EdgesDeleted++
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
		if node(id) == nil {
			continue
		}
		c.nodes[id] = nil
		c.res.NodesDeleted++
		if r := s.nodes[id]; r != nil {
			for _, er := range r.out {
				deleteEdge(er.e.ID)
			}
			for _, er := range r.in {
				deleteEdge(er.e.ID)
			}
		}
		for _, eid := range batchEdgesOf[id] {
			deleteEdge(eid)
		}
	}

	// Encode what is written, and prepare the entries and kind lists to
	// publish after the commit.
	removed := map[kg.Kind]map[string]bool{}
	added := map[kg.Kind][]*nodeRec{}
	for id, n := range c.nodes {
		r := s.nodes[id]
		if n != nil {
			c.kinds[n.Kind] = true
		}
		if r != nil {
			c.kinds[r.n.Kind] = true
		}
		if n == nil {
			if r != nil {
				if removed[r.n.Kind] == nil {
					removed[r.n.Kind] = map[string]bool{}
				}
				removed[r.n.Kind][id] = true
			}
			continue
		}
		data, err := encodeNode(n)
		if err != nil {
			return nil, err
		}
		c.nodeData[id] = data
		if r == nil {
			nr := &nodeRec{n: n}
			c.newRecs[id] = nr
			added[n.Kind] = append(added[n.Kind], nr)
		}
	}
	for id, e := range c.edges {
		if e == nil {
			continue
		}
		data, err := encodeEdge(e)
		if err != nil {
			return nil, err
		}
		c.edgeData[id] = data
		if s.edges[id] == nil {
			c.edgeKeys[id] = 0 // numbered below, in id order
		}
	}
	next := s.nextEdgeKey
	for _, id := range sortedKeys(c.edgeKeys) {
		c.edgeKeys[id] = next
		next++
	}
	for _, k := range kg.Kinds {
		if len(removed[k]) == 0 && len(added[k]) == 0 {
			continue
		}
		add := added[k]
		slices.SortFunc(add, func(a, b *nodeRec) int { return strings.Compare(a.n.ID, b.n.ID) })
		c.byKind[k] = mergeKind(s.byKind[k], removed[k], add)
	}
	return c, nil
}

// commit writes c in one bbolt transaction, in key order. bbolt syncs the
// file before Update returns, so a nil error means the change is durable.
// The caller holds wmu.
func (s *Store) commit(ctx context.Context, c *change) error {
	type edgeWrite struct {
		key  uint64
		id   string
		data []byte // nil to delete
	}
	edgeWrites := make([]edgeWrite, 0, len(c.edges))
	for id := range c.edges {
		data := c.edgeData[id]
		switch r := s.edges[id]; {
		case r != nil:
			edgeWrites = append(edgeWrites, edgeWrite{r.key, id, data})
		case data != nil:
			edgeWrites = append(edgeWrites, edgeWrite{c.edgeKeys[id], id, data})
		}
		// else created and deleted by the batch: nothing stored
	}
	slices.SortFunc(edgeWrites, func(a, b edgeWrite) int { return cmp.Compare(a.key, b.key) })
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		nb, eb := tx.Bucket(bucketNodes), tx.Bucket(bucketEdges)
		for _, w := range edgeWrites {
			var err error
			if w.data != nil {
				err = eb.Put(seqKey(w.key), w.data)
			} else {
				err = eb.Delete(seqKey(w.key))
			}
			if err != nil {
				return fmt.Errorf("edge %q: %w", w.id, err)
			}
		}
		for _, id := range sortedKeys(c.nodes) {
			var err error
			if data, ok := c.nodeData[id]; ok {
				err = nb.Put([]byte(id), data)
			} else {
				err = nb.Delete([]byte(id))
			}
			if err != nil {
				return fmt.Errorf("node %q: %w", id, err)
			}
		}
		if c.audit != nil {
			return putAudit(tx, c.audit)
		}
		return nil
	})
	switch {
	case err == nil:
		s.nextEdgeKey += uint64(len(c.edgeKeys))
		return nil
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return fmt.Errorf("%w: writing %s: %w", kg.ErrUnavailable, s.path, err)
}

// install publishes a committed change to the in-memory indexes. The
// caller holds wmu.
func (s *Store) install(c *change) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropEdgeOrder(c)
	for id, e := range c.edges {
		if e != nil {
			continue
		}
		r := s.edges[id]
		if r == nil {
			continue // created and deleted by the same batch
		}
		from, to := s.nodes[r.e.From], s.nodes[r.e.To]
		from.out = removeEdge(from.out, r)
		to.in = removeEdge(to.in, r)
		delete(s.edges, id)
		s.typeCount[r.e.Type]--
	}
	// Holding mu, no reader is building the search index: a built one
	// is kept current, an unbuilt one will be built from the new nodes.
	search := s.search
	for id, n := range c.nodes {
		r := s.nodes[id]
		switch {
		case n == nil && r != nil:
			delete(s.nodes, id)
			if search != nil {
				search.remove(r, nodeBigrams(r.n))
			}
		case n == nil:
			// created and deleted by the same batch
		case r == nil:
			r = c.newRecs[id]
			s.nodes[id] = r
			if search != nil {
				search.add(r, nodeBigrams(n))
			}
		default:
			if search != nil && !sameSearchText(r.n, n) {
				search.remove(r, nodeBigrams(r.n))
				search.add(r, nodeBigrams(n))
			}
			r.n = n
		}
	}
	for id, e := range c.edges {
		if e == nil {
			continue
		}
		if r := s.edges[id]; r != nil {
			r.e = e
			continue
		}
		r := &edgeRec{e: e, key: c.edgeKeys[id]}
		s.edges[id] = r
		from, to := s.nodes[e.From], s.nodes[e.To]
		from.out = append(from.out, r)
		to.in = append(to.in, r)
		s.typeCount[e.Type]++
	}
	for k, list := range c.byKind {
		s.byKind[k] = list
	}
	s.dropColumns(c.kinds)
}
