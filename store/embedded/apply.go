package embedded

import (
	"cmp"
	"context"
	"errors"
	"fmt"
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
	b = kg.CopyBatch(b)
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
		nodes:    kc.Nodes,
		edges:    kc.Edges,
		nodeData: make(map[string][]byte, len(kc.Nodes)),
		edgeData: make(map[string][]byte, len(kc.Edges)),
		edgeKeys: make(map[string]uint64, len(kc.Edges)),
		newRecs:  make(map[string]*nodeRec, len(kc.Nodes)),
		byKind:   map[kg.Kind][]*nodeRec{},
		kinds:    map[kg.Kind]bool{},
		res:      kc.Result,
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
