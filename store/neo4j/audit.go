package neo4j

import (
	"context"
	"time"

	drv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/kg"
)

// The audit log is a chain of :AuditEntry nodes, without the :Node label
// and outside the ontology, so that no read, search or count of the graph
// sees them. Apply writes a batch's entry in the batch's own transaction,
// after taking the apply lock: the lock node keeps the last sequence
// number (auditSeq), so that numbers follow the order of writes across
// processes.
const (
	// cypherAuditIndex indexes entries by sequence number (run by Migrate).
	cypherAuditIndex = "CREATE INDEX kg_audit_seq IF NOT EXISTS FOR (a:AuditEntry) ON (a.seq)"
	// cypherWriteAudit numbers and creates an entry.
	cypherWriteAudit = `MATCH (l:ApplyLock {name: 'apply'})
SET l.auditSeq = coalesce(l.auditSeq, 0) + 1
CREATE (a:AuditEntry) SET a = $props, a.seq = l.auditSeq`
	// cypherAuditLog reads a page of entries, newest first, and counts them.
	cypherAuditLog = `CALL () { MATCH (a:AuditEntry) RETURN count(a) AS total }
CALL () { MATCH (a:AuditEntry) WHERE $before = 0 OR a.seq < $before
  WITH a ORDER BY a.seq DESC LIMIT $limit RETURN collect(a) AS page }
RETURN total, page`
)

// writeAudit persists the completed entry a in tx.
func writeAudit(ctx context.Context, tx drv.ManagedTransaction, a *kg.AuditEntry) error {
	r := a.Result
	return exec(ctx, tx, cypherWriteAudit, map[string]any{"props": map[string]any{
		"at": a.At.UTC(), "actor": a.Actor, "role": a.Role, "action": a.Action, "note": a.Note,
		"nodesCreated": int64(r.NodesCreated), "nodesUpdated": int64(r.NodesUpdated), "nodesUnchanged": int64(r.NodesUnchanged),
		"edgesCreated": int64(r.EdgesCreated), "edgesUpdated": int64(r.EdgesUpdated), "edgesUnchanged": int64(r.EdgesUnchanged),
		"nodesDeleted": int64(r.NodesDeleted), "edgesDeleted": int64(r.EdgesDeleted),
		"nodes": nonNil(a.Nodes), "edges": nonNil(a.Edges), "deletedNodes": nonNil(a.DeletedNodes), "deletedEdges": nonNil(a.DeletedEdges),
		"truncated": a.Truncated,
	}})
}

// AuditLog returns a page of the audit log, newest first.
func (s *Store) AuditLog(ctx context.Context, q kg.AuditQuery) (*kg.AuditPage, error) {
	before, err := kg.ValidateAuditQuery(&q)
	if err != nil {
		return nil, err
	}
	return read(ctx, s, "audit log", func(tx drv.ManagedTransaction) (*kg.AuditPage, error) {
		total, raw, err := totalAndPage(ctx, tx, cypherAuditLog, map[string]any{"before": before, "limit": int64(q.First + 1)})
		if err != nil {
			return nil, err
		}
		page := &kg.AuditPage{TotalCount: int(total)}
		for _, x := range raw {
			n, ok := x.(drv.Node)
			if !ok {
				continue
			}
			if len(page.Entries) == q.First {
				page.HasNextPage = true
				break
			}
			page.Entries = append(page.Entries, decodeAudit(n))
		}
		return page, nil
	})
}

// decodeAudit rebuilds an entry from its node; missing properties stay zero.
func decodeAudit(n drv.Node) *kg.AuditEntry {
	str := func(k string) string { v, _ := drv.GetProperty[string](n, k); return v }
	num := func(k string) int { v, _ := drv.GetProperty[int64](n, k); return int(v) }
	list := func(k string) []string {
		raw, _ := drv.GetProperty[[]any](n, k)
		var out []string
		for _, x := range raw {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	seq, _ := drv.GetProperty[int64](n, "seq")
	at, _ := drv.GetProperty[time.Time](n, "at")
	truncated, _ := drv.GetProperty[bool](n, "truncated")
	return &kg.AuditEntry{
		Seq: seq, At: at.UTC(), Actor: str("actor"), Role: str("role"), Action: str("action"), Note: str("note"),
		Result: kg.WriteResult{
			NodesCreated: num("nodesCreated"), NodesUpdated: num("nodesUpdated"), NodesUnchanged: num("nodesUnchanged"),
			EdgesCreated: num("edgesCreated"), EdgesUpdated: num("edgesUpdated"), EdgesUnchanged: num("edgesUnchanged"),
			NodesDeleted: num("nodesDeleted"), EdgesDeleted: num("edgesDeleted"),
		},
		Nodes: list("nodes"), Edges: list("edges"), DeletedNodes: list("deletedNodes"), DeletedEdges: list("deletedEdges"),
		Truncated: truncated,
	}
}
