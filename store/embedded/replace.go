package embedded

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/innograph/innograph/kg"
)

// Replace makes b the whole graph in one bbolt transaction: the node and
// edge buckets are emptied and refilled, so that a failure at any point
// leaves the old graph as it was. The audit log is kept. Memory is
// rebuilt only after the transaction has been committed.
func (s *Store) Replace(ctx context.Context, b kg.Batch) (*kg.WriteResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b = kg.CopyBatch(b)
	if err := kg.PrepareReplace(&b); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	nodes := make([]*kg.Node, len(b.Nodes))
	for i, n := range b.Nodes {
		nodes[i] = &kg.Node{ID: n.ID, Kind: n.Kind, Props: kg.Merge(nil, n.Props), CreatedAt: now, UpdatedAt: now}
	}
	slices.SortFunc(nodes, func(a, b *kg.Node) int { return strings.Compare(a.ID, b.ID) })
	edges := make([]storedEdge, len(b.Edges))
	for i, e := range b.Edges {
		edges[i] = storedEdge{e: &kg.Edge{ID: e.ID, Type: e.Type, From: e.From, To: e.To, Props: kg.Merge(nil, e.Props)}}
	}
	slices.SortFunc(edges, func(a, b storedEdge) int { return strings.Compare(a.e.ID, b.e.ID) })
	for i := range edges {
		edges[i].key = uint64(i + 1)
	}
	g, err := indexGraph(nodes, edges)
	if err != nil {
		return nil, err
	}

	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.closed {
		return nil, errClosed
	}
	res := kg.WriteResult{
		NodesCreated: len(nodes), EdgesCreated: len(edges),
		NodesDeleted: len(s.nodes), EdgesDeleted: len(s.edges),
	}
	var audit *kg.AuditEntry
	if b.Audit != nil {
		a := b.Audit.Complete(&b, res, time.Now())
		audit = &a
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		if err := refill(ctx, tx, bucketNodes, nodes, func(n *kg.Node) ([]byte, []byte, error) {
			data, err := encodeNode(n)
			return []byte(n.ID), data, err
		}); err != nil {
			return err
		}
		if err := refill(ctx, tx, bucketEdges, edges, func(e storedEdge) ([]byte, []byte, error) {
			data, err := encodeEdge(e.e)
			return seqKey(e.key), data, err
		}); err != nil {
			return err
		}
		if audit != nil {
			return putAudit(tx, audit)
		}
		return nil
	})
	switch {
	case err == nil:
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return nil, err
	default:
		return nil, fmt.Errorf("%w: replacing the graph in %s: %w", kg.ErrUnavailable, s.path, err)
	}

	s.mu.Lock()
	s.nodes, s.edges, s.byKind, s.typeCount, s.nextEdgeKey = g.nodes, g.edges, g.byKind, g.typeCount, g.nextEdgeKey
	s.searchMu.Lock()
	s.search = nil
	s.searchMu.Unlock()
	s.scanMu.Lock()
	s.edgeOrder = nil
	s.scanMu.Unlock()
	s.colMu.Lock()
	s.cols = map[kg.Kind]map[colKey]*column{}
	s.colMu.Unlock()
	s.mu.Unlock()
	return &res, nil
}

// refill empties bucket name and writes items into it, in key order.
func refill[T any](ctx context.Context, tx *bolt.Tx, name []byte, items []T, encode func(T) (key, data []byte, err error)) error {
	if err := tx.DeleteBucket(name); err != nil && !errors.Is(err, bolterrors.ErrBucketNotFound) {
		return fmt.Errorf("emptying %s: %w", name, err)
	}
	bk, err := tx.CreateBucket(name)
	if err != nil {
		return fmt.Errorf("creating %s: %w", name, err)
	}
	bk.FillPercent = appendFill // keys are written in ascending order
	for i, it := range items {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		key, data, err := encode(it)
		if err != nil {
			return err
		}
		if err := bk.Put(key, data); err != nil {
			return fmt.Errorf("%s %q: %w", name, key, err)
		}
	}
	return nil
}
