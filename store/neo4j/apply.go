package neo4j

import (
	"context"
	"errors"
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
		b.WriteString("\nUNION ALL\n")
		b.WriteString(edgeLookupCypher(t))
	}
	b.WriteString("\nUNION ALL\nMATCH (n:Node)-[r]-() USING INDEX SEEK n:Node(id) WHERE n.id IN $deleteIds\nRETURN 'incident' AS what, null AS node, null AS rel, n.id AS from, null AS to, r.id AS rid")
	return b.String()
}

// edgeLookupCypher is the part of cypherApplyRead that looks up the
// relationships of type t with the ids $edgeIds, if t has any.
func edgeLookupCypher(t kg.RelType) string {
	q := quote(string(t))
	return fmt.Sprintf("MATCH ()-[c:%s]->() WITH count(c) AS stored WHERE stored > 0\nMATCH (a)-[r:%s]->(b) USING INDEX SEEK r:%s(id) WHERE r.id IN $edgeIds\nRETURN 'edge' AS what, null AS node, r AS rel, a.id AS from, b.id AS to, null AS rid", q, q, q)
}

// otherTypesCypher looks up the relationships with the ids $edgeIds under
// every type but those of types (as cypherApplyRead does), for a batch
// whose relationships of those types are created without a read: their
// uniqueness constraints refuse an id stored under the same type, not
// under another.
func otherTypesCypher(types map[kg.RelType]bool) string {
	var parts []string
	for _, t := range kg.RelTypes {
		if !types[t] {
			parts = append(parts, edgeLookupCypher(t))
		}
	}
	return strings.Join(parts, "\nUNION ALL\n")
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
	// cypherCreateEdgesEnds is cypherCreateEdges returning the labels of
	// the ends with their ids, one record per pair of label sets.
	cypherCreateEdgesEnds = "UNWIND $rows AS row MATCH (a:Node {id: row.from}) MATCH (b:Node {id: row.to}) CREATE (a)-[r:%s]->(b) SET r = row.props WITH labels(a) AS fl, labels(b) AS tl, collect(row.from) AS froms, collect(row.to) AS tos RETURN fl, tl, froms, tos"
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
	if b.New && len(b.DeleteNodes)+len(b.DeleteEdges) == 0 {
		res, err := s.applyNew(ctx, &b)
		if err == nil || ctx.Err() != nil {
			return res, err
		}
		// Something the batch names is stored (or a node it needs is
		// gone): the full path below reads, checks and merges.
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
		p := change{st: st, Change: kg.PlanBatch(&pb, st.items(), time.Now().UTC())}
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

// errNotNew rolls back a batch marked kg.Batch.New that meets a stored
// item, so that Apply writes it the full way.
var errNotNew = errors.New("a batch marked new names stored items")

// applyNew writes a prepared batch marked kg.Batch.New, of upserts only,
// without reading what it names first: nodes and relationships are
// created straight away, the uniqueness constraints on node ids and on the
// relationship ids of each type refuse any that is stored, the creation of
// a relationship returns the kinds of its ends for kg.CheckBatch, and only
// the ids of relationships under other types are looked up. Any failure
// (a constraint, an end that is not there, a check) rolls the whole
// transaction back and returns an error, and Apply then writes the batch
// the full way; the outcome of a batch that succeeds here is what the
// full way gives a batch of new items: each one created.
//
// Under concurrent writers this stays correct: the constraints are
// checked by Neo4j at the write, whichever writer created an item first,
// and the kinds checked are those of the ends the relationships were
// created on, in this transaction, under the apply lock.
func (s *Store) applyNew(ctx context.Context, b *kg.Batch) (*kg.WriteResult, error) {
	types := map[kg.RelType]bool{}
	var edgeIDs []string
	for _, e := range b.Edges {
		types[e.Type] = true
		edgeIDs = append(edgeIDs, e.ID)
	}
	return write(ctx, s, "apply", func(tx drv.ManagedTransaction) (*kg.WriteResult, error) {
		if err := exec(ctx, tx, cypherLockApply, nil); err != nil {
			return nil, err
		}
		st := newStored()
		if len(edgeIDs) > 0 && len(types) < len(kg.RelTypes) {
			if err := st.read(ctx, tx, otherTypesCypher(types), map[string]any{"edgeIds": edgeIDs}); err != nil {
				return nil, err
			}
			if len(st.edges) > 0 {
				return nil, errNotNew
			}
		}
		pb := kg.CopyBatch(*b)
		ends := map[string]kg.Kind{}
		p := change{st: st, Change: kg.PlanBatch(&pb, st.items(), time.Now().UTC()), ends: ends}
		if p.Result.NodesCreated != len(b.Nodes) || p.Result.EdgesCreated != len(b.Edges) {
			return nil, errNotNew
		}
		if err := p.write(ctx, tx); err != nil {
			return nil, err
		}
		facts := kg.StoredFacts{
			NodeKind: func(id string) (kg.Kind, bool) { k, ok := ends[id]; return k, ok },
			EdgeType: func(string) (kg.RelType, string, string, bool) { return "", "", "", false },
		}
		if err := kg.CheckBatch(b, facts); err != nil {
			return nil, err
		}
		if b.Audit != nil {
			a := b.Audit.Complete(b, p.Result, time.Now())
			if err := writeAudit(ctx, tx, &a); err != nil {
				return nil, err
			}
		}
		res := p.Result
		return &res, nil
	})
}

// newStored returns an empty stored.
func newStored() *stored {
	return &stored{
		nodes:      map[string]*kg.Node{},
		kinds:      map[string]kg.Kind{},
		flat:       map[string]map[string]any{},
		edges:      map[string]*kg.Edge{},
		incident:   map[string][]string{},
		isIncident: map[string]bool{},
	}
}

// readStored runs cypherApplyRead.
func readStored(ctx context.Context, tx drv.ManagedTransaction, b *kg.Batch, nodeIDs, edgeIDs []string) (*stored, error) {
	st := newStored()
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
	err := st.read(ctx, tx, cypherApplyRead, map[string]any{
		"nodeIds": upserted, "refIds": refs, "edgeIds": nonNil(edgeIDs), "deleteIds": nonNil(b.DeleteNodes),
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// read runs cypherApplyRead, or a part of it, and adds what it finds.
func (st *stored) read(ctx context.Context, tx drv.ManagedTransaction, cypher string, params map[string]any) error {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return err
	}
	for res.Next(ctx) {
		rec := res.Record()
		what, _, err := drv.GetRecordValue[string](rec, "what")
		if err != nil {
			return err
		}
		switch what {
		case "node":
			raw, _, err := drv.GetRecordValue[drv.Node](rec, "node")
			if err != nil {
				return err
			}
			n, err := decodeNode(raw)
			if err != nil {
				return err
			}
			st.nodes[n.ID] = n
			st.kinds[n.ID] = n.Kind
			st.flat[n.ID] = flatNode(n)
		case "ref":
			if _, err := recordKinds(rec, "to", "rid", st.kinds); err != nil {
				return err
			}
		case "edge":
			e, err := recordEdge(rec, "rel", "from", "to")
			if err != nil {
				return err
			}
			st.edges[e.ID] = e
		case "incident":
			owner, _, err := drv.GetRecordValue[string](rec, "from")
			if err != nil {
				return err
			}
			rid, _, err := drv.GetRecordValue[string](rec, "rid")
			if err != nil {
				return err
			}
			st.incident[owner] = append(st.incident[owner], rid)
			st.isIncident[rid] = true
		}
	}
	return res.Err()
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
	// ends, if not nil, gets the kinds of the ends of the relationships
	// write creates (see applyNew).
	ends map[string]kg.Kind
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
		if rows := createEdges[t]; len(rows) > 0 && c.ends != nil {
			if err := createEdgesEnds(ctx, tx, fmt.Sprintf(cypherCreateEdgesEnds, quote(string(t))), rows, c.ends); err != nil {
				return err
			}
		} else if len(rows) > 0 {
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

// createEdgesEnds runs cypherCreateEdgesEnds over rows, adds the kinds of
// the ends to ends, and checks that every row made a relationship.
func createEdgesEnds(ctx context.Context, tx drv.ManagedTransaction, cypher string, rows []any, ends map[string]kg.Kind) error {
	res, err := tx.Run(ctx, cypher, map[string]any{"rows": rows})
	if err != nil {
		return err
	}
	done := 0
	for res.Next(ctx) {
		rec := res.Record()
		for _, side := range [][2]string{{"fl", "froms"}, {"tl", "tos"}} {
			n, err := recordKinds(rec, side[0], side[1], ends)
			if err != nil {
				return err
			}
			if side[0] == "fl" {
				done += n
			}
		}
	}
	if err := res.Err(); err != nil {
		return err
	}
	if done != len(rows) {
		return fmt.Errorf("%s: wrote %d of %d rows", strings.SplitN(cypher, " SET", 2)[0], done, len(rows))
	}
	return nil
}

// sortedKeys returns the keys of m in ascending order.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// recordKinds reads a group of node ids that share one set of labels
// from rec — the labels under key labelsKey, the ids under idsKey — and
// records the kind those labels name for each id in kinds. It returns
// how many ids the group holds.
func recordKinds(rec *drv.Record, labelsKey, idsKey string, kinds map[string]kg.Kind) (int, error) {
	labels, _, err := drv.GetRecordValue[[]any](rec, labelsKey)
	if err != nil {
		return 0, err
	}
	ids, _, err := drv.GetRecordValue[[]any](rec, idsKey)
	if err != nil {
		return 0, err
	}
	var k kg.Kind
	for i, v := range ids {
		id, ok := v.(string)
		if !ok {
			return 0, fmt.Errorf("decoding node ids: %T is not a string", v)
		}
		if i == 0 {
			if k, err = kindOfValues(id, labels); err != nil {
				return 0, err
			}
		}
		kinds[id] = k
	}
	return len(ids), nil
}
