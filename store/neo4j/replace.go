package neo4j

import (
	"context"
	"fmt"
	"time"

	drv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/kg"
)

// replaceTxItems bounds the nodes and relationships, the old and the new
// together, that Replace deletes and writes in one transaction; a larger
// replace runs in pieces of at most replaceTxItems (see Replace).
var replaceTxItems = 20_000

// Statements of Replace.
const (
	// cypherCountGraph counts the graph's nodes and relationships (the
	// audit log and the apply lock are nodes without the :Node label and
	// without relationships).
	cypherCountGraph = `CALL () { MATCH (n:Node) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS rels }
RETURN nodes, rels`
	// cypherDeleteGraph deletes every node of the graph with its
	// relationships.
	cypherDeleteGraph = `MATCH (n:Node) DETACH DELETE n`
	// cypherDeleteSomeRels and cypherDeleteSomeNodes delete up to $limit
	// relationships or nodes and say how many they deleted.
	cypherDeleteSomeRels  = `MATCH ()-[r]->() WITH r LIMIT $limit DELETE r RETURN count(*) AS deleted`
	cypherDeleteSomeNodes = `MATCH (n:Node) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted`
)

// Replace makes b the whole graph. b is checked in full before anything
// is written (kg.PrepareReplace): a refused b changes nothing.
//
// When the old graph and b together hold at most 20,000 nodes and
// relationships (the demo at scale 1 holds about 3,100), the replace is
// one write transaction: all of it, or nothing. A larger one would outgrow
// a transaction's memory, so it runs in transactions of at most 20,000
// items: first the old graph is deleted, then b is written, nodes first.
// If one of them fails, the store holds what the ones before it left: a
// part of the old graph, or a part of b. Running the same replace again
// completes it, as it deletes whatever is there before writing. The
// audit entry, if any, is written with the last piece.
func (s *Store) Replace(ctx context.Context, b kg.Batch) (*kg.WriteResult, error) {
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	b = kg.CopyBatch(b)
	if err := kg.PrepareReplace(&b); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	old, err := read(ctx, s, "replace", func(tx drv.ManagedTransaction) ([2]int64, error) {
		return countGraph(ctx, tx)
	})
	if err != nil {
		return nil, err
	}
	if old[0]+old[1]+int64(len(b.Nodes)+len(b.Edges)) <= int64(replaceTxItems) {
		return write(ctx, s, "replace", func(tx drv.ManagedTransaction) (*kg.WriteResult, error) {
			if err := exec(ctx, tx, cypherLockApply, nil); err != nil {
				return nil, err
			}
			old, err := countGraph(ctx, tx)
			if err != nil {
				return nil, err
			}
			if err := exec(ctx, tx, cypherDeleteGraph, nil); err != nil {
				return nil, err
			}
			return writeNew(ctx, tx, &b, &b, now, old)
		})
	}

	var deleted [2]int64
	for i, cypher := range []string{cypherDeleteSomeRels, cypherDeleteSomeNodes} {
		for {
			n, err := write(ctx, s, "replace: delete the old graph", func(tx drv.ManagedTransaction) (int64, error) {
				if err := exec(ctx, tx, cypherLockApply, nil); err != nil {
					return 0, err
				}
				return deleteSome(ctx, tx, cypher)
			})
			if err != nil {
				return nil, err
			}
			deleted[1-i] += n
			if n == 0 {
				break
			}
		}
	}
	pieces := splitBatch(&b, replaceTxItems)
	var res *kg.WriteResult
	for i := range pieces {
		piece := &pieces[i]
		res, err = write(ctx, s, fmt.Sprintf("replace: write piece %d of %d", i+1, len(pieces)), func(tx drv.ManagedTransaction) (*kg.WriteResult, error) {
			if err := exec(ctx, tx, cypherLockApply, nil); err != nil {
				return nil, err
			}
			if i < len(pieces)-1 {
				return nil, creation(piece, now).write(ctx, tx)
			}
			return writeNew(ctx, tx, piece, &b, now, deleted)
		})
		if err != nil {
			return nil, err
		}
	}
	return res, nil
}

// creation plans the creation of every node and relationship of a checked piece
// of a replace.
func creation(piece *kg.Batch, now time.Time) *change {
	st := newStored()
	return &change{st: st, Change: kg.PlanBatch(piece, st.items(), now)}
}

// writeNew writes piece, the last (or only) piece of the replace by whole,
// and whole's audit entry, and returns the replace's result: whole created,
// old (nodes, relationships) deleted.
func writeNew(ctx context.Context, tx drv.ManagedTransaction, piece, whole *kg.Batch, now time.Time, old [2]int64) (*kg.WriteResult, error) {
	if len(piece.Nodes)+len(piece.Edges) > 0 {
		if err := creation(piece, now).write(ctx, tx); err != nil {
			return nil, err
		}
	}
	res := kg.WriteResult{
		NodesCreated: len(whole.Nodes), EdgesCreated: len(whole.Edges),
		NodesDeleted: int(old[0]), EdgesDeleted: int(old[1]),
	}
	if whole.Audit != nil {
		a := whole.Audit.Complete(whole, res, time.Now())
		if err := writeAudit(ctx, tx, &a); err != nil {
			return nil, err
		}
	}
	return &res, nil
}

// countGraph returns the numbers of nodes and relationships of the graph.
func countGraph(ctx context.Context, tx drv.ManagedTransaction) ([2]int64, error) {
	res, err := tx.Run(ctx, cypherCountGraph, nil)
	if err != nil {
		return [2]int64{}, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return [2]int64{}, err
	}
	nodes, _, err := drv.GetRecordValue[int64](rec, "nodes")
	if err != nil {
		return [2]int64{}, err
	}
	rels, _, err := drv.GetRecordValue[int64](rec, "rels")
	return [2]int64{nodes, rels}, err
}

// deleteSome runs cypherDeleteSomeRels or cypherDeleteSomeNodes.
func deleteSome(ctx context.Context, tx drv.ManagedTransaction, cypher string) (int64, error) {
	res, err := tx.Run(ctx, cypher, map[string]any{"limit": int64(replaceTxItems)})
	if err != nil {
		return 0, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return 0, err
	}
	n, _, err := drv.GetRecordValue[int64](rec, "deleted")
	return n, err
}

// splitBatch splits b into pieces of at most size items, nodes first, so
// that every relationship's ends are written in its own piece or an
// earlier one. It returns at least one (maybe empty) piece.
func splitBatch(b *kg.Batch, size int) []kg.Batch {
	var out []kg.Batch
	nodes, edges := b.Nodes, b.Edges
	for len(nodes)+len(edges) > 0 {
		var piece kg.Batch
		n := min(size, len(nodes))
		piece.Nodes, nodes = nodes[:n], nodes[n:]
		e := min(size-n, len(edges))
		piece.Edges, edges = edges[:e], edges[e:]
		out = append(out, piece)
	}
	if len(out) == 0 {
		out = append(out, kg.Batch{})
	}
	return out
}
