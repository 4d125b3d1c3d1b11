package embedded

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/innograph/innograph/kg"
)

// change is the outcome of a batch, computed before anything is written:
// one write for every node and edge whose stored state it changes, with
// the stored entry it replaces (looked up once) and its encoded form, and
// the kind lists to publish once the write has been committed.
type change struct {
	// nodes are sorted by id, the order of their keys.
	nodes []nodeWrite
	// edges are sorted by record key: those stored, then those created,
	// numbered in the batch's order.
	edges []edgeWrite
	// newEdges counts the edges the change creates; edgeSet says whether
	// it creates or deletes any.
	newEdges int
	edgeSet  bool
	byKind   map[kg.Kind][]*nodeRec
	// kinds holds the kinds of the nodes the change creates, updates or
	// deletes: their columns are dropped.
	kinds map[kg.Kind]bool
	res   kg.WriteResult
	// audit is the batch's completed audit entry, or nil.
	audit *kg.AuditEntry
}

// nodeWrite is the final state of one node a change touches.
type nodeWrite struct {
	id string
	n  *kg.Node // nil: deleted
	// old is the stored entry, nil for a node the change creates; rec is
	// the entry of a created node, published by install.
	old, rec *nodeRec
	data     []byte // the encoded form of n
}

// edgeWrite is the final state of one edge a change touches.
type edgeWrite struct {
	id   string
	e    *kg.Edge // nil: deleted
	old  *edgeRec // the stored entry, nil for an edge the change creates
	key  uint64   // the key of its record
	data []byte   // the encoded form of e
}

// Apply validates and writes a batch atomically: all of it in one bbolt
// transaction, or nothing and an error. Memory is updated only after the
// transaction has been committed.
func (s *Store) Apply(ctx context.Context, b kg.Batch) (*kg.WriteResult, error) {
	write, err := s.PrepareWrite(ctx, kg.CopyBatch(b))
	if err != nil {
		return nil, err
	}
	return write(ctx)
}

// PrepareWrite does the part of Apply that does not read the stored
// graph (ingest.Preparer): it normalises and validates b
// (kg.PrepareBatch) without any lock, so that a writer may prepare its
// next batch while the store writes one. It takes b over: b's slices
// and maps become the store's (normalised in place, kept by the nodes
// and edges it creates), and the caller must not use them afterwards
// (Apply hands it a copy, kg.CopyBatch). The write it returns does the
// rest as Apply does: it checks the batch against the graph as it is
// then, plans, commits in one synced transaction and publishes; it may be
// called once.
func (s *Store) PrepareWrite(ctx context.Context, b kg.Batch) (write func(context.Context) (*kg.WriteResult, error), err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := kg.PrepareBatch(&b); err != nil {
		return nil, err
	}
	var written atomic.Bool
	return func(ctx context.Context) (*kg.WriteResult, error) {
		if written.Swap(true) {
			return nil, errWrittenTwice
		}
		return s.applyPrepared(ctx, &b)
	}, nil
}

// errWrittenTwice is the error of a prepared write called again: the
// first call hands the batch's maps over to the store.
var errWrittenTwice = errors.New("embedded: a prepared write is written once")

// applyPrepared writes a batch that kg.PrepareBatch has normalised and
// validated, and that no one else holds.
func (s *Store) applyPrepared(ctx context.Context, b *kg.Batch) (*kg.WriteResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	// Holding wmu, this goroutine is the only one that may change the
	// indexes (or closed), so it reads them without mu.
	if s.closed {
		return nil, errClosed
	}
	if err := kg.CheckBatch(b, s.facts()); err != nil {
		return nil, err
	}
	c, err := s.plan(b, time.Now().UTC())
	if err != nil {
		return nil, err
	}
	if b.Audit != nil {
		a := b.Audit.Complete(b, c.res, time.Now())
		c.audit = &a
	}
	if err := s.commit(ctx, c); err != nil {
		return nil, err
	}
	s.install(c)
	res := c.res
	return &res, nil
}

// ImportBatchSize is how many records one write of an import holds
// (ingest.BatchSizer) when the import does not say: 20,000, four times
// ingest's default, since each Apply is one synced bbolt commit (two
// fdatasync calls) and fewer, larger commits sync less often.
func (s *Store) ImportBatchSize() int { return 20_000 }

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

// stored tells kg.PlanBatch about the stored graph. The caller holds wmu.
func (s *Store) stored() kg.StoredItems {
	return kg.StoredItems{
		Node: func(id string) *kg.Node {
			if r := s.nodes[id]; r != nil {
				return r.n
			}
			return nil
		},
		Edge: func(id string) *kg.Edge {
			if r := s.edges[id]; r != nil {
				return r.e
			}
			return nil
		},
		HasNode: func(id string) bool { return s.nodes[id] != nil },
		HasEdge: func(id string) bool { return s.edges[id] != nil },
		Incident: func(id string) []string {
			r := s.nodes[id]
			if r == nil {
				return nil // created by the batch
			}
			ids := make([]string, 0, len(r.out)+len(r.in))
			for _, er := range r.out {
				ids = append(ids, er.e.ID)
			}
			for _, er := range r.in {
				ids = append(ids, er.e.ID)
			}
			return ids
		},
	}
}

// plan computes the change a checked batch makes (kg.PlanBatch) and
// encodes what it writes. The caller holds wmu.
func (s *Store) plan(b *kg.Batch, now time.Time) (*change, error) {
	kc := kg.PlanBatch(b, s.stored(), now)
	c := &change{
		byKind: map[kg.Kind][]*nodeRec{},
		kinds:  map[kg.Kind]bool{},
		res:    kc.Result,
	}
	if err := s.planNodes(c, b, kc.Nodes); err != nil {
		return nil, err
	}
	if err := s.planEdges(c, b, kc.Edges); err != nil {
		return nil, err
	}
	return c, nil
}

// planNodes adds to c the writes of nodes, the nodes of b's kg.Change
// (which it empties), sorted by id, and the kind lists they leave. It
// takes them in b's order, so that a batch sorted by id sorts at once.
func (s *Store) planNodes(c *change, b *kg.Batch, nodes map[string]*kg.Node) error {
	c.nodes = make([]nodeWrite, 0, len(nodes))
	removed := map[kg.Kind]map[string]bool{}
	add := func(id string, n *kg.Node) error {
		w := nodeWrite{id: id, n: n, old: s.nodes[id]}
		switch {
		case n == nil && w.old == nil:
			return nil // created and deleted by the batch: nothing stored
		case n == nil:
			k := w.old.n.Kind
			c.kinds[k] = true
			if removed[k] == nil {
				removed[k] = map[string]bool{}
			}
			removed[k][id] = true
		default:
			data, err := encodeNode(n)
			if err != nil {
				return err
			}
			w.data = data
			c.kinds[n.Kind] = true
			if w.old != nil {
				c.kinds[w.old.n.Kind] = true
			} else {
				w.rec = &nodeRec{n: n}
			}
		}
		c.nodes = append(c.nodes, w)
		return nil
	}
	for i := range b.Nodes {
		id := b.Nodes[i].ID
		if n, ok := nodes[id]; ok {
			delete(nodes, id)
			if err := add(id, n); err != nil {
				return err
			}
		}
	}
	for id, n := range nodes { // deleted
		if err := add(id, n); err != nil {
			return err
		}
	}
	slices.SortFunc(c.nodes, func(a, b nodeWrite) int { return strings.Compare(a.id, b.id) })
	added := map[kg.Kind][]*nodeRec{} // sorted by id, as c.nodes
	for _, w := range c.nodes {
		if w.rec != nil {
			added[w.n.Kind] = append(added[w.n.Kind], w.rec)
		}
	}
	for _, k := range kg.Kinds {
		if len(removed[k]) > 0 || len(added[k]) > 0 {
			c.byKind[k] = mergeKind(s.byKind[k], removed[k], added[k])
		}
	}
	return nil
}

// planEdges adds to c the writes of edges, the edges of b's kg.Change
// (which it empties): the stored ones under their keys, in key order,
// then the created ones, numbered from nextEdgeKey in b's order.
func (s *Store) planEdges(c *change, b *kg.Batch, edges map[string]*kg.Edge) error {
	c.edges = make([]edgeWrite, 0, len(edges))
	var created []edgeWrite
	add := func(id string, e *kg.Edge) error {
		w := edgeWrite{id: id, e: e, old: s.edges[id]}
		if e == nil && w.old == nil {
			return nil // created and deleted by the batch: nothing stored
		}
		if e != nil {
			data, err := encodeEdge(e)
			if err != nil {
				return err
			}
			w.data = data
		}
		if w.old == nil {
			w.key = s.nextEdgeKey + uint64(len(created))
			created = append(created, w)
			return nil
		}
		w.key = w.old.key
		c.edgeSet = c.edgeSet || e == nil
		c.edges = append(c.edges, w)
		return nil
	}
	for i := range b.Edges {
		id := b.Edges[i].ID
		if e, ok := edges[id]; ok {
			delete(edges, id)
			if err := add(id, e); err != nil {
				return err
			}
		}
	}
	for id, e := range edges { // deleted: stored ones, or none
		if err := add(id, e); err != nil {
			return err
		}
	}
	slices.SortFunc(c.edges, func(a, b edgeWrite) int { return cmp.Compare(a.key, b.key) })
	c.edges = append(c.edges, created...)
	c.newEdges = len(created)
	c.edgeSet = c.edgeSet || len(created) > 0
	return nil
}

// commit writes c in one bbolt transaction, in key order. bbolt syncs the
// file before Update returns, so a nil error means the change is durable.
// The caller holds wmu.
func (s *Store) commit(ctx context.Context, c *change) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		nb, eb := tx.Bucket(bucketNodes), tx.Bucket(bucketEdges)
		// Edge keys only grow, and node ids often do in an import: a
		// record that goes after every other fills the pages that split
		// (as refill does) instead of leaving them half full.
		eb.FillPercent = appendFill
		if len(c.nodes) > 0 {
			if last, _ := nb.Cursor().Last(); last == nil || string(last) < c.nodes[0].id {
				nb.FillPercent = appendFill
			}
		}
		for _, w := range c.edges {
			var err error
			if w.e != nil {
				err = eb.Put(seqKey(w.key), w.data)
			} else {
				err = eb.Delete(seqKey(w.key))
			}
			if err != nil {
				return fmt.Errorf("edge %q: %w", w.id, err)
			}
		}
		for _, w := range c.nodes {
			var err error
			if w.n != nil {
				err = nb.Put([]byte(w.id), w.data)
			} else {
				err = nb.Delete([]byte(w.id))
			}
			if err != nil {
				return fmt.Errorf("node %q: %w", w.id, err)
			}
		}
		if c.audit != nil {
			return putAudit(tx, c.audit)
		}
		return nil
	})
	switch {
	case err == nil:
		s.nextEdgeKey += uint64(c.newEdges)
		return nil
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return fmt.Errorf("%w: writing %s: %w", kg.ErrUnavailable, s.path, err)
}

// appendFill is the fill percent of a bucket whose writes all go after
// its last key.
const appendFill = 0.9

// install publishes a committed change to the in-memory indexes. The
// caller holds wmu.
func (s *Store) install(c *change) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.edgeSet {
		s.dropEdgeOrder()
	}
	for _, w := range c.edges {
		if w.e != nil {
			continue
		}
		r := w.old
		from, to := s.nodes[r.e.From], s.nodes[r.e.To]
		from.out = removeEdge(from.out, r)
		to.in = removeEdge(to.in, r)
		delete(s.edges, w.id)
		s.typeCount[r.e.Type]--
	}
	// Holding mu, no reader is building the search index: a built one
	// is kept current, an unbuilt one will be built from the new nodes.
	search := s.search
	for _, w := range c.nodes {
		switch r := w.old; {
		case w.n == nil:
			delete(s.nodes, w.id)
			if search != nil {
				search.remove(r, nodeBigrams(r.n))
			}
		case r == nil:
			s.nodes[w.id] = w.rec
			if search != nil {
				search.add(w.rec, nodeBigrams(w.n))
			}
		default:
			if search != nil && !sameSearchText(r.n, w.n) {
				search.remove(r, nodeBigrams(r.n))
				search.add(r, nodeBigrams(w.n))
			}
			r.n = w.n
		}
	}
	for _, w := range c.edges {
		switch {
		case w.e == nil:
		case w.old != nil:
			w.old.e = w.e
		default:
			r := &edgeRec{e: w.e, key: w.key}
			s.edges[w.id] = r
			from, to := s.nodes[w.e.From], s.nodes[w.e.To]
			from.out = append(from.out, r)
			to.in = append(to.in, r)
			s.typeCount[w.e.Type]++
		}
	}
	for k, list := range c.byKind {
		s.byKind[k] = list
	}
	s.dropColumns(c.kinds)
}
