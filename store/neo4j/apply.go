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

// cypherApplyRead reads, in one statement, what the upsert statements
// (cypherUpsertNodes, cypherUpsertEdges) do not tell about the stored
// graph: the kinds of the nodes a batch deletes ($refIds; one record per
// set of labels, with the ids that carry it), the relationships it names
// under other types than their own ($edges: id and type of each; type ""
// for the ids it deletes) and the ids of the relationships of the nodes it
// deletes ($deleteIds). Built by applyReadCypher.
//
// Relationship indexes are per type, so an id is looked for under every
// type but its own: one index seek per id and type, but only for the
// types that have relationships (the count store says so, in the
// transaction's view, at no cost). Every lookup names its index with
// USING INDEX SEEK: on a small graph the planner would otherwise scan an
// index and filter.
var cypherApplyRead = applyReadCypher()

func applyReadCypher() string {
	var b strings.Builder
	b.WriteString("MATCH (n:Node) USING INDEX SEEK n:Node(id) WHERE n.id IN $refIds WITH labels(n) AS labels, collect(n.id) AS ids\nRETURN 'ref' AS what, null AS rel, null AS from, labels AS to, ids AS rid")
	for _, t := range kg.RelTypes {
		q := quote(string(t))
		fmt.Fprintf(&b, "\nUNION ALL\nMATCH ()-[c:%s]->() WITH count(c) AS stored WHERE stored > 0\nWITH [e IN $edges WHERE e.type <> '%s' | e.id] AS ids\nMATCH (a)-[r:%s]->(b) USING INDEX SEEK r:%s(id) WHERE r.id IN ids\nRETURN 'edge' AS what, r AS rel, a.id AS from, b.id AS to, null AS rid", q, t, q, q)
	}
	b.WriteString("\nUNION ALL\nMATCH (n:Node)-[r]-() USING INDEX SEEK n:Node(id) WHERE n.id IN $deleteIds\nRETURN 'incident' AS what, null AS rel, n.id AS from, null AS to, r.id AS rid")
	return b.String()
}

// Upsert statements of Apply, one per kind or relationship type of a
// batch (%s), run before anything else is written: each takes its rows as
// a load by hand would (a new node's full property map; a new
// relationship's ends and full property map), creates those that are not
// stored, and returns what is stored under the others' ids, so that no
// statement reads them before. Apply then checks and merges in Go: a
// batch that fails its checks is rolled back with what these created.
const (
	// cypherUpsertNodes creates the nodes whose ids are not stored and
	// returns the stored nodes under the others' ids.
	cypherUpsertNodes = `UNWIND $rows AS row
OPTIONAL MATCH (n:Node) USING INDEX SEEK n:Node(id) WHERE n.id = row.id
FOREACH (_ IN CASE WHEN n IS NULL THEN [1] ELSE [] END | CREATE (m:Node:%s) SET m = row)
WITH n WHERE n IS NOT NULL
RETURN n`
	// cypherUpsertEdges creates the relationships of one type whose ids
	// are not stored under that type and whose ends are stored, and
	// returns, per pair of label sets of the ends, the ends' ids (null
	// labels for ends that are not stored) and the stored relationships
	// under the rows' ids with their ends.
	cypherUpsertEdges = `UNWIND $rows AS row
OPTIONAL MATCH (a:Node) USING INDEX SEEK a:Node(id) WHERE a.id = row.from
OPTIONAL MATCH (b:Node) USING INDEX SEEK b:Node(id) WHERE b.id = row.to
OPTIONAL MATCH (x)-[old:%s]->(y) USING INDEX SEEK old:%s(id) WHERE old.id = row.props.id
FOREACH (_ IN CASE WHEN old IS NULL AND a IS NOT NULL AND b IS NOT NULL THEN [1] ELSE [] END | CREATE (a)-[r:%s]->(b) SET r = row.props)
RETURN labels(a) AS fromLabels, labels(b) AS toLabels, collect(row.from) AS froms, collect(row.to) AS tos,
  collect(CASE WHEN old IS NULL THEN null ELSE [old, x.id, y.id] END) AS stored`
)

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

// stored is what cypherApplyRead and the upsert statements found.
type stored struct {
	nodes      map[string]*kg.Node       // the stored nodes the batch upserts
	kinds      map[string]kg.Kind        // every stored node the batch names
	flat       map[string]map[string]any // properties of nodes, as flatNode computes them
	edges      map[string]*kg.Edge       // the stored relationships the batch names
	incident   map[string][]string       // deleted node id → ids of its relationships
	isIncident map[string]bool           // ids of the relationships of deleted nodes
	// createdNodes and createdEdges hold the ids (and types) of the
	// nodes and relationships the upsert statements created.
	createdNodes map[string]bool
	createdEdges map[string]kg.RelType
}

// Apply validates and writes a batch atomically in one write transaction:
// all of it, or nothing and an error (a *kg.ValidationError for a batch
// the ontology or the stored graph refuses). Under the apply lock, one
// statement reads what only deletes and ids under other types need
// (cypherApplyRead), one statement per kind and per relationship type
// creates what is new and returns what is stored (cypherUpsertNodes,
// cypherUpsertEdges); then the batch is checked (kg.CheckBatch) and
// merged and counted (kg.PlanBatch) in Go, and only updates and deletes
// are written after that. A batch that fails its checks is rolled back.
func (s *Store) Apply(ctx context.Context, b kg.Batch) (*kg.WriteResult, error) {
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	b = kg.CopyBatch(b)
	if err := kg.PrepareBatch(&b); err != nil {
		return nil, err
	}
	return write(ctx, s, "apply", func(tx drv.ManagedTransaction) (*kg.WriteResult, error) {
		if err := exec(ctx, tx, cypherLockApply, nil); err != nil {
			return nil, err
		}
		now := time.Now().UTC()
		st, err := readStored(ctx, tx, &b)
		if err != nil {
			return nil, err
		}
		if err := st.upsertNodes(ctx, tx, &b, now); err != nil {
			return nil, err
		}
		if err := st.upsertEdges(ctx, tx, &b); err != nil {
			return nil, err
		}
		if err := kg.CheckBatch(&b, st.facts()); err != nil {
			return nil, err // rolls back what the upserts created
		}
		p := change{st, kg.PlanBatch(&b, st.items(), now)}
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

// newStored returns an empty stored.
func newStored() *stored {
	return &stored{
		nodes:        map[string]*kg.Node{},
		kinds:        map[string]kg.Kind{},
		flat:         map[string]map[string]any{},
		edges:        map[string]*kg.Edge{},
		incident:     map[string][]string{},
		isIncident:   map[string]bool{},
		createdNodes: map[string]bool{},
		createdEdges: map[string]kg.RelType{},
	}
}

// readStored runs cypherApplyRead.
func readStored(ctx context.Context, tx drv.ManagedTransaction, b *kg.Batch) (*stored, error) {
	st := newStored()
	if len(b.DeleteNodes)+len(b.Edges)+len(b.DeleteEdges) == 0 {
		return st, nil
	}
	upserted := make(map[string]bool, len(b.Nodes))
	for _, n := range b.Nodes {
		upserted[n.ID] = true
	}
	refs := []string{}
	for _, id := range b.DeleteNodes {
		if !upserted[id] {
			refs = append(refs, id)
		}
	}
	edges := make([]any, 0, len(b.Edges)+len(b.DeleteEdges))
	for _, e := range b.Edges {
		edges = append(edges, map[string]any{"id": e.ID, "type": string(e.Type)})
	}
	for _, id := range b.DeleteEdges {
		edges = append(edges, map[string]any{"id": id, "type": ""})
	}
	res, err := tx.Run(ctx, cypherApplyRead, map[string]any{
		"refIds": refs, "edges": edges, "deleteIds": nonNil(b.DeleteNodes),
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
		case "ref":
			labels, _, err := drv.GetRecordValue[[]any](rec, "to")
			if err != nil {
				return nil, err
			}
			ids, _, err := drv.GetRecordValue[[]any](rec, "rid")
			if err != nil {
				return nil, err
			}
			if err := st.addKinds(labels, ids); err != nil {
				return nil, err
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

// addKinds records that the nodes ids carry labels (null: not stored).
func (st *stored) addKinds(labels []any, ids []any) error {
	if labels == nil {
		return nil
	}
	var k kg.Kind
	for i, v := range ids {
		id, ok := v.(string)
		if !ok {
			return fmt.Errorf("decoding node ids: %T is not a string", v)
		}
		if i == 0 {
			var err error
			if k, err = kindOfValues(id, labels); err != nil {
				return err
			}
		}
		st.kinds[id] = k
	}
	return nil
}

// upsertNodes runs cypherUpsertNodes for each kind of the nodes b
// upserts: it creates those that are not stored, as kg.MergeNode makes
// them at now, and records the stored ones.
func (st *stored) upsertNodes(ctx context.Context, tx drv.ManagedTransaction, b *kg.Batch, now time.Time) error {
	rows := map[kg.Kind][]any{}
	for _, n := range b.Nodes {
		created := &kg.Node{ID: n.ID, Kind: n.Kind, Props: kg.Merge(nil, n.Props), CreatedAt: now, UpdatedAt: now}
		rows[n.Kind] = append(rows[n.Kind], flatNode(created))
		st.createdNodes[n.ID] = true
	}
	for _, k := range kg.Kinds {
		if len(rows[k]) == 0 {
			continue
		}
		res, err := tx.Run(ctx, fmt.Sprintf(cypherUpsertNodes, quote(string(k))), map[string]any{"rows": rows[k]})
		if err != nil {
			return err
		}
		for res.Next(ctx) {
			raw, _, err := drv.GetRecordValue[drv.Node](res.Record(), "n")
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
			delete(st.createdNodes, n.ID)
		}
		if err := res.Err(); err != nil {
			return err
		}
	}
	return nil
}

// upsertEdges runs cypherUpsertEdges for each type of the edges b
// upserts: it creates those that are not stored under their type and
// whose ends are, and records the kinds of the ends and the stored
// relationships.
func (st *stored) upsertEdges(ctx context.Context, tx drv.ManagedTransaction, b *kg.Batch) error {
	rows := map[kg.RelType][]any{}
	for _, e := range b.Edges {
		created := &kg.Edge{ID: e.ID, Type: e.Type, From: e.From, To: e.To, Props: kg.Merge(nil, e.Props)}
		rows[e.Type] = append(rows[e.Type], map[string]any{"from": e.From, "to": e.To, "props": flatEdge(created)})
		st.createdEdges[e.ID] = e.Type
	}
	for _, t := range kg.RelTypes {
		if len(rows[t]) == 0 {
			continue
		}
		q := quote(string(t))
		res, err := tx.Run(ctx, fmt.Sprintf(cypherUpsertEdges, q, q, q), map[string]any{"rows": rows[t]})
		if err != nil {
			return err
		}
		for res.Next(ctx) {
			rec := res.Record()
			for _, end := range [][2]string{{"fromLabels", "froms"}, {"toLabels", "tos"}} {
				labels, _, err := drv.GetRecordValue[[]any](rec, end[0])
				if err != nil {
					return err
				}
				ids, _, err := drv.GetRecordValue[[]any](rec, end[1])
				if err != nil {
					return err
				}
				if err := st.addKinds(labels, ids); err != nil {
					return err
				}
			}
			old, _, err := drv.GetRecordValue[[]any](rec, "stored")
			if err != nil {
				return err
			}
			for _, v := range old {
				e, err := storedEdge(v)
				if err != nil {
					return err
				}
				st.edges[e.ID] = e
				delete(st.createdEdges, e.ID)
			}
		}
		if err := res.Err(); err != nil {
			return err
		}
	}
	return nil
}

// storedEdge decodes a [relationship, from id, to id] list of
// cypherUpsertEdges.
func storedEdge(v any) (*kg.Edge, error) {
	l, ok := v.([]any)
	if !ok || len(l) != 3 {
		return nil, fmt.Errorf("decoding a stored relationship: %T is not a list of 3", v)
	}
	r, okR := l[0].(drv.Relationship)
	from, okF := l[1].(string)
	to, okT := l[2].(string)
	if !okR || !okF || !okT {
		return nil, fmt.Errorf("decoding a stored relationship: %T, %T, %T", l[0], l[1], l[2])
	}
	return decodeEdge(r, from, to)
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
		case n == nil && (stored || c.st.createdNodes[id]):
			deleteNodes = append(deleteNodes, id)
		case n == nil:
			// neither stored nor created: nothing to write
		case c.st.createdNodes[id]:
			// created by cypherUpsertNodes
		case c.st.nodes[id] == nil:
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
		t, created := c.st.createdEdges[id]
		switch {
		case e == nil && old != nil:
			deleteEdges[old.Type] = append(deleteEdges[old.Type], id)
		case e == nil && created:
			deleteEdges[t] = append(deleteEdges[t], id)
		case e == nil:
			// a relationship of a deleted node: DETACH DELETE takes it
		case created:
			// created by cypherUpsertEdges
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
