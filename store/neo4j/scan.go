package neo4j

import (
	"context"
	"fmt"

	drv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/kg"
)

// Statements of the scans. Each walks one kind label or relationship type
// (%s) in id order from after an id, through the range index behind the
// kind's id index or the type's id constraint, so that a page costs its
// own size wherever it starts.
const (
	cypherScanNodes = `MATCH (n:%s) WHERE n.id > $after RETURN n ORDER BY n.id LIMIT $limit`
	cypherScanEdges = `MATCH (a:Node)-[r:%s]->(b:Node) WHERE r.id > $after
  AND ` + cypherActive + `
  AND (size($kinds) = 0 OR (any(l IN labels(a) WHERE l IN $kinds) AND any(l IN labels(b) WHERE l IN $kinds)))
RETURN r, a.id AS from, b.id AS to ORDER BY r.id LIMIT $limit`
)

// ScanNodes returns one page of the walk over the nodes of q.Kinds, by
// kind and id, in one read transaction.
func (s *Store) ScanNodes(ctx context.Context, q kg.NodeScan) (*kg.NodeScanPage, error) {
	kinds, afterKind, afterID, err := kg.ValidateNodeScan(&q)
	if err != nil {
		return nil, err
	}
	return read(ctx, s, "scan nodes", func(tx drv.ManagedTransaction) (*kg.NodeScanPage, error) {
		page := &kg.NodeScanPage{}
		for _, k := range kinds {
			after := ""
			if k == afterKind {
				after = afterID
			}
			// One more than the page holds tells whether there is a next page.
			want := q.First + 1 - len(page.Nodes)
			recs, err := collect(ctx, tx, fmt.Sprintf(cypherScanNodes, quote(string(k))), map[string]any{"after": after, "limit": int64(want)})
			if err != nil {
				return nil, err
			}
			for _, rec := range recs {
				n, err := recordNode(rec, "n")
				if err != nil {
					return nil, err
				}
				if len(page.Nodes) == q.First {
					page.HasNextPage = true
					return page, nil
				}
				page.Nodes = append(page.Nodes, n)
				page.EndCursor = kg.ScanCursor(string(k), n.ID)
			}
		}
		return page, nil
	})
}

// ScanEdges returns one page of the walk over the edges, by type and id,
// in one read transaction.
func (s *Store) ScanEdges(ctx context.Context, q kg.EdgeScan) (*kg.EdgeScanPage, error) {
	types, afterType, afterID, err := kg.ValidateEdgeScan(&q)
	if err != nil {
		return nil, err
	}
	kinds := make([]string, len(q.Kinds))
	for i, k := range q.Kinds {
		kinds[i] = string(k)
	}
	return read(ctx, s, "scan edges", func(tx drv.ManagedTransaction) (*kg.EdgeScanPage, error) {
		page := &kg.EdgeScanPage{}
		for _, t := range types {
			after := ""
			if t == afterType {
				after = afterID
			}
			want := q.First + 1 - len(page.Edges)
			recs, err := collect(ctx, tx, fmt.Sprintf(cypherScanEdges, quote(string(t))), map[string]any{
				"after": after, "limit": int64(want), "asOf": int64(q.AsOf), "kinds": kinds,
			})
			if err != nil {
				return nil, err
			}
			for _, rec := range recs {
				e, err := recordEdge(rec, "r", "from", "to")
				if err != nil {
					return nil, err
				}
				if len(page.Edges) == q.First {
					page.HasNextPage = true
					return page, nil
				}
				page.Edges = append(page.Edges, e)
				page.EndCursor = kg.ScanCursor(string(t), e.ID)
			}
		}
		return page, nil
	})
}
