package neo4j

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	drv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/kg"
)

// cypherLockApply takes the write lock every Apply holds until it commits,
// before it reads anything: batches are serialised across processes, so
// that each one checks, counts and merges against the graph as the batches
// before it left it. The uniqueness constraint kg_apply_lock makes the
// MERGE safe when the lock node does not exist yet.
const cypherLockApply = `MERGE (l:ApplyLock {name: 'apply'}) SET l.at = datetime()`

// cypherApplyRead reads, in one statement, what a batch needs to know of
// the stored graph: the nodes it upserts ($nodeIds), the kinds of the
// other nodes it names ($refIds: ends of relationships, deletes; one
// record per set of labels, with the ids that carry it), the
// relationships it names ($edgeIds) and the ids of the relationships of
// the nodes it deletes ($deleteIds). Built by applyReadCypher.
//
// Relationship indexes are per type, so an id is looked for under every
// type: one index seek per id and type, but only for the types that have
// relationships (the count store says so, in the transaction's view, at
// no cost). Every lookup names its index with USING INDEX SEEK: on a
// small graph the planner would otherwise scan an index and filter.
var cypherApplyRead = applyReadCypher()

func applyReadCypher() string {
	var b strings.Builder
	b.WriteString("MATCH (n:Node) USING INDEX SEEK n:Node(id) WHERE n.id IN $nodeIds\nRETURN 'node' AS what, n AS node, null AS rel, null AS from, null AS to, null AS rid")
	b.WriteString("\nUNION ALL\nMATCH (n:Node) USING INDEX SEEK n:Node(id) WHERE n.id IN $refIds WITH labels(n) AS labels, collect(n.id) AS ids\nRETURN 'ref' AS what, null AS node, null AS rel, null AS from, labels AS to, ids AS rid")
	for _, t := range kg.RelTypes {
		q := quote(string(t))
		fmt.Fprintf(&b, "\nUNION ALL\nMATCH ()-[c:%s]->() WITH count(c) AS stored WHERE stored > 0\nMATCH (a)-[r:%s]->(b) USING INDEX SEEK r:%s(id) WHERE r.id IN $edgeIds\nRETURN 'edge' AS what, null AS node, r AS rel, a.id AS from, b.id AS to, null AS rid", q, q, q)
	}
	b.WriteString("\nUNION ALL\nMATCH (n:Node)-[r]-() USING INDEX SEEK n:Node(id) WHERE n.id IN $deleteIds\nRETURN 'incident' AS what, null AS node, null AS rel, n.id AS from, null AS to, r.id AS rid")
	return b.String()
}

// Write statements of Apply; %s is a kind label or relationship type of
// the ontology.
const (
	// cypherCreateNodes creates the new nodes of one kind; each row is
	// the node's full property map.
	cypherCreateNodes = "UNWIND $rows AS row CREATE (n:Node:%s) SET n = row RETURN count(n) AS done"
	// cypherUpdateNodes applies property changes: each row's props hold
	// the changed properties, and null for the removed ones.
	cypherUpdateNodes = "UNWIND $rows AS row MATCH (n:Node {id: row.id}) SET n += row.props RETURN count(n) AS done"
	// cypherCreateEdges creates the new relationships of one type.
	cypherCreateEdges = "UNWIND $rows AS row MATCH (a:Node {id: row.from}) MATCH (b:Node {id: row.to}) CREATE (a)-[r:%s]->(b) SET r = row.props RETURN count(r) AS done"
	// cypherUpdateEdges applies property changes to relationships of one type.
	cypherUpdateEdges = "UNWIND $rows AS row MATCH ()-[r:%s {id: row.id}]->() SET r += row.props RETURN count(r) AS done"
	// cypherDeleteEdges deletes relationships of one type by id.
	cypherDeleteEdges = "UNWIND $ids AS id MATCH ()-[r:%s {id: id}]->() DELETE r"
	// cypherDeleteNodes deletes nodes with their relationships.
	cypherDeleteNodes = "MATCH (n:Node) WHERE n.id IN $ids DETACH DELETE n"
)

// stored is what cypherApplyRead found.
type stored struct {
	nodes      map[string]*kg.Node       // the stored nodes the batch upserts
	kinds      map[string]kg.Kind        // every stored node the batch names
	flat       map[string]map[string]any // properties of nodes, as flatNode computes them
	edges      map[string]*kg.Edge       // the stored relationships the batch names
	incident   map[string][]string       // deleted node id → ids of its relationships
	isIncident map[string]bool           // ids of the relationships of deleted nodes
}

// Apply validates and writes a batch atomically in one write transaction:
// all of it, or nothing and an error (a *kg.ValidationError for a batch
// the ontology or the stored graph refuses).
func (s *Store) Apply(ctx context.Context, b kg.Batch) (*kg.WriteResult, error) {
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	b = kg.CopyBatch(b)
	if err := kg.PrepareBatch(&b); err != nil {
		return nil, err
	}
	nodeIDs, edgeIDs := kg.BatchIDs(&b)
	return write(ctx, s, "apply", func(tx drv.ManagedTransaction) (*kg.WriteResult, error) {
		if err := exec(ctx, tx, cypherLockApply, nil); err != nil {
			return nil, err
		}
		st, err := readStored(ctx, tx, &b, nodeIDs, edgeIDs)
		if err != nil {
			return nil, err
		}
		if err := kg.CheckBatch(&b, st.facts()); err != nil {
			return nil, err
		}
		// PlanBatch takes the property maps of new items: it gets a copy,
		// so that a retry of this transaction starts from b as it was.
		pb := kg.CopyBatch(b)
		p := change{st, kg.PlanBatch(&pb, st.items(), time.Now().UTC())}
		if err := p.write(ctx, tx); err != nil {
			return nil, err
		}
		if b.Audit != nil {
			a := b.Audit.Complete(&b, p.Result, time.Now())
			if err := writeAudit(ctx, tx, &a); err != nil {
				return nil, err
			}
		}
		res := p.Result
		return &res, nil
	})
}

// readStored runs cypherApplyRead.
func readStored(ctx context.Context, tx drv.ManagedTransaction, b *kg.Batch, nodeIDs, edgeIDs []string) (*stored, error) {
	st := &stored{
		nodes:      map[string]*kg.Node{},
		kinds:      map[string]kg.Kind{},
		flat:       map[string]map[string]any{},
		edges:      map[string]*kg.Edge{},
		incident:   map[string][]string{},
		isIncident: map[string]bool{},
	}
	if len(nodeIDs) == 0 && len(edgeIDs) == 0 {
		return st, nil
	}
	upserted := make([]string, len(b.Nodes))
	isUpserted := make(map[string]bool, len(b.Nodes))
	for i, n := range b.Nodes {
		upserted[i] = n.ID
		isUpserted[n.ID] = true
	}
	refs := []string{}
	for _, id := range nodeIDs {
		if !isUpserted[id] {
			refs = append(refs, id)
		}
	}
	res, err := tx.Run(ctx, cypherApplyRead, map[string]any{
		"nodeIds": upserted, "refIds": refs, "edgeIds": nonNil(edgeIDs), "deleteIds": nonNil(b.DeleteNodes),
	})
	if err != nil {
		return nil, err
	}
	for res.Next(ctx) {
		rec := res.Record()
		what, _, err := drv.GetRecordValue[string](rec, "what")
		if err != nil {
			return nil, err
		}
		switch what {
		case "node":
			raw, _, err := drv.GetRecordValue[drv.Node](rec, "node")
			if err != nil {
				return nil, err
			}
			n, err := decodeNode(raw)
			if err != nil {
				return nil, err
			}
			st.nodes[n.ID] = n
			st.kinds[n.ID] = n.Kind
			st.flat[n.ID] = flatNode(n)
		case "ref":
			labels, _, err := drv.GetRecordValue[[]any](rec, "to")
			if err != nil {
				return nil, err
			}
			ids, _, err := drv.GetRecordValue[[]any](rec, "rid")
			if err != nil {
				return nil, err
			}
			var k kg.Kind
			for i, v := range ids {
				id, ok := v.(string)
				if !ok {
					return nil, fmt.Errorf("decoding node ids: %T is not a string", v)
				}
				if i == 0 {
					if k, err = kindOfValues(id, labels); err != nil {
						return nil, err
					}
				}
				st.kinds[id] = k
			}
		case "edge":
			e, err := recordEdge(rec, "rel", "from", "to")
			if err != nil {
				return nil, err
			}
			st.edges[e.ID] = e
		case "incident":
			owner, _, err := drv.GetRecordValue[string](rec, "from")
			if err != nil {
				return nil, err
			}
			rid, _, err := drv.GetRecordValue[string](rec, "rid")
			if err != nil {
				return nil, err
			}
			st.incident[owner] = append(st.incident[owner], rid)
			st.isIncident[rid] = true
		}
	}
	if err := res.Err(); err != nil {
		return nil, err
	}
	return st, nil
}

// nonNil returns ids, or an empty list for nil (a null parameter would
// make IN fail).
func nonNil(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}

// recordEdge decodes the relationship and endpoint ids of a record.
func recordEdge(rec *drv.Record, relKey, fromKey, toKey string) (*kg.Edge, error) {
	r, _, err := drv.GetRecordValue[drv.Relationship](rec, relKey)
	if err != nil {
		return nil, err
	}
	from, _, err := drv.GetRecordValue[string](rec, fromKey)
	if err != nil {
		return nil, err
	}
	to, _, err := drv.GetRecordValue[string](rec, toKey)
	if err != nil {
		return nil, err
	}
	return decodeEdge(r, from, to)
}

// facts tells kg.CheckBatch about the stored graph.
func (st *stored) facts() kg.StoredFacts {
	return kg.StoredFacts{
		NodeKind: func(id string) (kg.Kind, bool) {
			k, ok := st.kinds[id]
			return k, ok
		},
		EdgeType: func(id string) (kg.RelType, string, string, bool) {
			if e := st.edges[id]; e != nil {
				return e.Type, e.From, e.To, true
			}
			return "", "", "", false
		},
	}
}

// items tells kg.PlanBatch about the stored graph.
func (st *stored) items() kg.StoredItems {
	return kg.StoredItems{
		Node:     func(id string) *kg.Node { return st.nodes[id] },
		Edge:     func(id string) *kg.Edge { return st.edges[id] },
		HasNode:  func(id string) bool { _, ok := st.kinds[id]; return ok },
		HasEdge:  func(id string) bool { return st.edges[id] != nil || st.isIncident[id] },
		Incident: func(id string) []string { return st.incident[id] },
	}
}

// change is the outcome of a batch (kg.PlanBatch) and what was stored.
type change struct {
	st *stored
	*kg.Change
}

// write writes the final states of c: new nodes per kind, node changes,
// new relationships per type, relationship changes per type, then deletes
// of relationships (per type) and of nodes (with their relationships).
// Every statement is one UNWIND over all its rows.
func (c *change) write(ctx context.Context, tx drv.ManagedTransaction) error {
	createNodes := map[kg.Kind][]any{}
	var updateNodes []any
	var deleteNodes []string
	for _, id := range sortedKeys(c.Nodes) {
		n := c.Nodes[id]
		_, stored := c.st.kinds[id]
		switch {
		case n == nil && stored:
			deleteNodes = append(deleteNodes, id)
		case n == nil:
			// created and deleted by the batch: nothing to write
		case !stored:
			createNodes[n.Kind] = append(createNodes[n.Kind], flatNode(n))
		default:
			flat := flatNode(n)
			d := diffProps(c.st.flat[id], flat)
			d[propSearch], d[propSearchName] = flat[propSearch], flat[propSearchName]
			updateNodes = append(updateNodes, map[string]any{"id": id, "props": d})
		}
	}
	createEdges := map[kg.RelType][]any{}
	updateEdges := map[kg.RelType][]any{}
	deleteEdges := map[kg.RelType][]any{}
	for _, id := range sortedKeys(c.Edges) {
		e, old := c.Edges[id], c.st.edges[id]
		switch {
		case e == nil && old != nil:
			deleteEdges[old.Type] = append(deleteEdges[old.Type], id)
		case e == nil:
			// created and deleted, or a relationship of a deleted node:
			// DETACH DELETE takes it
		case old == nil:
			createEdges[e.Type] = append(createEdges[e.Type], map[string]any{"from": e.From, "to": e.To, "props": flatEdge(e)})
		default:
			updateEdges[e.Type] = append(updateEdges[e.Type], map[string]any{"id": id, "props": diffProps(flatEdge(old), flatEdge(e))})
		}
	}
	for _, k := range kg.Kinds {
		if rows := createNodes[k]; len(rows) > 0 {
			if err := execCount(ctx, tx, fmt.Sprintf(cypherCreateNodes, quote(string(k))), rows); err != nil {
				return err
			}
		}
	}
	if len(updateNodes) > 0 {
		if err := execCount(ctx, tx, cypherUpdateNodes, updateNodes); err != nil {
			return err
		}
	}
	for _, t := range kg.RelTypes {
		if rows := createEdges[t]; len(rows) > 0 {
			if err := execCount(ctx, tx, fmt.Sprintf(cypherCreateEdges, quote(string(t))), rows); err != nil {
				return err
			}
		}
		if rows := updateEdges[t]; len(rows) > 0 {
			if err := execCount(ctx, tx, fmt.Sprintf(cypherUpdateEdges, quote(string(t))), rows); err != nil {
				return err
			}
		}
	}
	for _, t := range kg.RelTypes {
		if ids := deleteEdges[t]; len(ids) > 0 {
			if err := exec(ctx, tx, fmt.Sprintf(cypherDeleteEdges, quote(string(t))), map[string]any{"ids": ids}); err != nil {
				return err
			}
		}
	}
	if len(deleteNodes) > 0 {
		if err := exec(ctx, tx, cypherDeleteNodes, map[string]any{"ids": deleteNodes}); err != nil {
			return err
		}
	}
	return nil
}

// execCount runs a write statement over rows and checks that it reports
// one row done per row given: a node or relationship that vanished would
// otherwise be skipped silently.
func execCount(ctx context.Context, tx drv.ManagedTransaction, cypher string, rows []any) error {
	res, err := tx.Run(ctx, cypher, map[string]any{"rows": rows})
	if err != nil {
		return err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return err
	}
	done, _, err := drv.GetRecordValue[int64](rec, "done")
	if err != nil {
		return err
	}
	if done != int64(len(rows)) {
		return fmt.Errorf("%s: wrote %d of %d rows", strings.SplitN(cypher, " SET", 2)[0], done, len(rows))
	}
	return nil
}

// sortedKeys returns the keys of m in ascending order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
