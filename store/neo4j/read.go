package neo4j

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	drv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/kg"
)

// cypherGetNodes fetches nodes by id through the :Node(id) constraint.
const cypherGetNodes = `MATCH (n:Node) WHERE n.id IN $ids RETURN n`

// GetNodes returns the nodes with the given ids, in the order of ids; an
// unknown id yields nil at its place.
func (s *Store) GetNodes(ctx context.Context, ids []string) ([]*kg.Node, error) {
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	out := make([]*kg.Node, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	byID, err := readOnce(ctx, s, "get nodes", func(tx runner) (map[string]*kg.Node, error) {
		return getNodes(ctx, tx, ids)
	})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for i, id := range ids {
		n := byID[id]
		if n == nil {
			continue
		}
		if seen[id] {
			// A repeated id gets a copy of its own.
			c := *n
			c.Props = n.Props.Clone()
			n = &c
		}
		seen[id] = true
		out[i] = n
	}
	return out, nil
}

// getEdges reads the relationships with the given ids, by id.
func getEdges(ctx context.Context, tx runner, ids []string) (map[string]*kg.Edge, error) {
	recs, err := collect(ctx, tx, cypherGetEdges, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*kg.Edge, len(recs))
	for _, rec := range recs {
		e, err := recordEdge(rec, "r", "from", "to")
		if err != nil {
			return nil, err
		}
		byID[e.ID] = e
	}
	return byID, nil
}

// getNodes reads the nodes with the given ids, by id.
func getNodes(ctx context.Context, tx runner, ids []string) (map[string]*kg.Node, error) {
	recs, err := collect(ctx, tx, cypherGetNodes, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*kg.Node, len(recs))
	for _, rec := range recs {
		n, err := recordNode(rec, "n")
		if err != nil {
			return nil, err
		}
		byID[n.ID] = n
	}
	return byID, nil
}

// recordNode decodes the node of a record.
func recordNode(rec *drv.Record, key string) (*kg.Node, error) {
	raw, _, err := drv.GetRecordValue[drv.Node](rec, key)
	if err != nil {
		return nil, err
	}
	return decodeNode(raw)
}

// cypherGetEdges fetches relationships by id: one unique index seek per
// relationship type, as a relationship index needs its type. Built by
// getEdgesCypher.
var cypherGetEdges = getEdgesCypher()

func getEdgesCypher() string {
	parts := make([]string, len(kg.RelTypes))
	for i, t := range kg.RelTypes {
		parts[i] = fmt.Sprintf("MATCH (a)-[r:%s]->(b) WHERE r.id IN $ids RETURN r, a.id AS from, b.id AS to", quote(string(t)))
	}
	return strings.Join(parts, "\nUNION ALL\n")
}

// GetEdges returns the edges with the given ids, in the order of ids; an
// unknown id yields nil at its place.
func (s *Store) GetEdges(ctx context.Context, ids []string) ([]*kg.Edge, error) {
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	out := make([]*kg.Edge, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	byID, err := readOnce(ctx, s, "get edges", func(tx runner) (map[string]*kg.Edge, error) {
		return getEdges(ctx, tx, ids)
	})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for i, id := range ids {
		e := byID[id]
		if e == nil {
			continue
		}
		if seen[id] {
			c := *e
			c.Props = e.Props.Clone()
			e = &c
		}
		seen[id] = true
		out[i] = e
	}
	return out, nil
}

// cypherFindNodes selects one page of a kind and counts all matches, in
// one statement: %[1]s is the kind label, %[2]s the WHERE clause of the
// count (or nothing), %[3]s that of the page (the count's and, after a
// cursor, the predicate that a node sorts after it), %[4]s the ORDER BY
// keys, ending with n.id, %[5]s what counts the matches after the cursor
// (see remainingCount). Without a filter the count comes from the count
// store; ordered by id only, the page walks the kind's id index in order,
// from the cursor's id.
const cypherFindNodes = cypherTotal + `
%[5]s
CALL () { MATCH (n:%[1]s) %[3]s WITH n ORDER BY %[4]s LIMIT $limit RETURN collect(n) AS page }
RETURN total, remaining, page`

// cypherTotal counts the nodes of kind %[1]s that pass WHERE clause %[2]s
// (or all of them): the first part of cypherFindNodes, cypherFetchQuery
// and cypherFetchCount.
const cypherTotal = `CALL () { MATCH (n:%[1]s) %[2]s RETURN count(n) AS total }`

// remainingCount is the part of cypherFindNodes (and cypherFetchQuery)
// that counts the matches after the cursor, whose WHERE clause is
// pageWhere: the total itself when there is no cursor.
func remainingCount(kind kg.Kind, after bool, pageWhere string) string {
	if !after {
		return "WITH total, total AS remaining"
	}
	return fmt.Sprintf("CALL () { MATCH (n:%s) %s RETURN count(n) AS remaining }", quote(string(kind)), pageWhere)
}

// FindNodes returns one page of the nodes of a kind that match a filter,
// in the requested order (then id ascending), after q.After.
func (s *Store) FindNodes(ctx context.Context, q kg.NodeQuery) (*kg.NodePage, error) {
	after, err := kg.PrepareNodeQuery(&q)
	if err != nil {
		return nil, err
	}
	params := map[string]any{"limit": int64(q.First)}
	countWhere, pageWhere, order := findClauses(q, after, params)
	cypher := fmt.Sprintf(cypherFindNodes, quote(string(q.Kind)), countWhere, pageWhere, order, remainingCount(q.Kind, after != nil, pageWhere))
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	return readOnce(ctx, s, "find nodes", func(tx runner) (*kg.NodePage, error) {
		total, remaining, raw, err := countsAndPage(ctx, tx, cypher, params)
		if err != nil {
			return nil, err
		}
		nodes := make([]*kg.Node, 0, len(raw))
		for _, r := range raw {
			dn, ok := r.(drv.Node)
			if !ok {
				return nil, fmt.Errorf("find nodes: page holds a %T", r)
			}
			n, err := decodeNode(dn)
			if err != nil {
				return nil, err
			}
			nodes = append(nodes, n)
		}
		return &kg.NodePage{
			Nodes:       nodes,
			TotalCount:  int(total),
			Offset:      int(total - remaining),
			HasNextPage: len(nodes) < int(remaining),
		}, nil
	})
}

// countsAndPage runs a statement that returns one record holding "total",
// "remaining" and "page".
func countsAndPage(ctx context.Context, tx runner, cypher string, params map[string]any) (total, remaining int64, page []any, err error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return 0, 0, nil, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return 0, 0, nil, err
	}
	timed(ctx, res)
	if total, _, err = drv.GetRecordValue[int64](rec, "total"); err != nil {
		return 0, 0, nil, err
	}
	if remaining, _, err = drv.GetRecordValue[int64](rec, "remaining"); err != nil {
		return 0, 0, nil, err
	}
	page, _, err = drv.GetRecordValue[[]any](rec, "page")
	return total, remaining, page, err
}

// findClauses returns the WHERE clauses of the count and of the page of
// a validated node query (the count's and the predicate that a node sorts
// after position after, when there is one), and its ORDER BY keys (ending
// with n.id), adding the values of its conditions and of the position to
// params.
func findClauses(q kg.NodeQuery, after *kg.Position, params map[string]any) (countWhere, pageWhere, order string) {
	var where []string
	for i, c := range q.Where {
		name := "c" + strconv.Itoa(i)
		where = append(where, condition(q.Kind, c, name))
		params[name] = c.Value
	}
	if len(where) > 0 {
		countWhere = "WHERE " + strings.Join(where, " AND ")
	}
	if len(q.OrderBy) == 0 && after == nil {
		// Every node has an id: the predicate only lets the planner see
		// that the kind's id index returns them in order.
		where = append(where, "n.id IS NOT NULL")
	}
	exprs := make([]string, len(q.OrderBy))
	var keys []string
	for i, k := range q.OrderBy {
		dir := " ASC"
		if k.Desc {
			dir = " DESC"
		}
		exprs[i] = propExpr(q.Kind, k.Prop, k.Year)
		keys = append(keys, exprs[i]+dir)
	}
	keys = append(keys, "n.id ASC")
	if after != nil {
		param := func(v any) string {
			name := "a" + strconv.Itoa(len(params))
			params[name] = v
			return "$" + name
		}
		where = append(where, afterPredicate(exprs, kg.Descending(q.OrderBy), "n.id", after, param))
	}
	if len(where) > 0 {
		pageWhere = "WHERE " + strings.Join(where, " AND ")
	}
	return countWhere, pageWhere, strings.Join(keys, ", ")
}

// afterPredicate is the Cypher predicate that an item sorts strictly
// after position p, as kg.Position.CompareTo orders: exprs are the
// expressions of the order's keys at the item (descending where desc),
// idExpr that of its id; param adds a value as a parameter and returns
// its reference. A missing value is null and sorts as Cypher's ORDER BY
// sorts null (last ascending, first descending), which is the order of
// kg.CompareMissing. The predicate uses only AND and OR, so that a
// comparison with null (null) counts as false.
func afterPredicate(exprs []string, desc []bool, idExpr string, p *kg.Position, param func(any) string) string {
	pred := idExpr + " > " + param(p.ID)
	for i := len(exprs) - 1; i >= 0; i-- {
		e, v := exprs[i], p.Values[i]
		var after, equal string
		switch {
		case v == nil && !desc[i]:
			after, equal = "false", e+" IS NULL"
		case v == nil:
			after, equal = e+" IS NOT NULL", e+" IS NULL"
		case !desc[i]:
			pv := param(v)
			after, equal = "("+e+" IS NULL OR "+e+" > "+pv+")", e+" = "+pv
		default:
			pv := param(v)
			after, equal = e+" < "+pv, e+" = "+pv
		}
		pred = "(" + after + " OR (" + equal + " AND " + pred + "))"
	}
	return pred
}

// propExpr is the Cypher expression of a property of n as kg.Value sees
// it: the id, a property, or one year of a series (its flattened key).
func propExpr(k kg.Kind, prop string, year int) string {
	if prop == "id" {
		return "n.id"
	}
	if spec, ok := kg.NodePropSpec(k, prop); ok && spec.Type == kg.SeriesType {
		return "n." + quote(kg.SeriesKey(prop, year))
	}
	return "n." + quote(prop)
}

// condition is the Cypher predicate of a normalised condition, its value
// in parameter $param. A missing property is null, and every comparison
// with null is null, which WHERE drops: a node without the property never
// matches, for NE too. On a list property the predicate holds for any
// element.
func condition(k kg.Kind, c kg.Condition, param string) string {
	v := propExpr(k, c.Prop, c.Year)
	p := "$" + param
	list := false
	if spec, ok := kg.NodePropSpec(k, c.Prop); ok && (spec.Type == kg.Strings || spec.Type == kg.Enums) {
		list = true
	}
	if list {
		v = "x"
	}
	pred := opPredicate(v, c.Op, p)
	if list {
		return fmt.Sprintf("any(x IN n.%s WHERE %s)", quote(c.Prop), pred)
	}
	return pred
}

// opPredicate is the Cypher predicate that compares expression v with
// parameter reference p by operator op.
func opPredicate(v string, op kg.Op, p string) string {
	var pred string
	switch op {
	case kg.EQ:
		pred = v + " = " + p
	case kg.NE:
		pred = v + " <> " + p
	case kg.GT:
		pred = v + " > " + p
	case kg.GTE:
		pred = v + " >= " + p
	case kg.LT:
		pred = v + " < " + p
	case kg.LTE:
		pred = v + " <= " + p
	case kg.IN:
		pred = v + " IN " + p
	case kg.CONTAINS:
		pred = v + " CONTAINS " + p
	case kg.PREFIX:
		pred = v + " STARTS WITH " + p
	}
	return pred
}

// cypherActive is kg.Edge.Active in Cypher: relationship r holds in year
// $asOf (0: any), since and until inclusive, a missing one open.
const cypherActive = "($asOf = 0 OR ((r.since IS NULL OR r.since <= $asOf) AND (r.until IS NULL OR r.until >= $asOf)))"

// cypherLinks is kg.Edge.Links in Cypher: relationship r holds in year
// $asOf, or is a person's relationship (a type of $person) begun by then.
const cypherLinks = "($asOf = 0 OR ((r.since IS NULL OR r.since <= $asOf) AND (r.until IS NULL OR r.until >= $asOf OR type(r) IN $person)))"

// personTypes is kg.PersonTypes as the $person parameter of cypherLinks.
func personTypes() []string {
	out := make([]string, len(kg.PersonTypes))
	for i, t := range kg.PersonTypes {
		out[i] = string(t)
	}
	return out
}

// cypherNeighbors returns the relationships of many nodes at once with
// the nodes at their other ends: %s is the pattern from (n) to (m), with
// the direction and the relationship types. Since and until bound the
// years a relationship holds, inclusive; a missing one is open.
// The second %s is what each row returns besides the relationship: the
// whole node, or (bare) its id and labels.
const cypherNeighbors = `UNWIND $ids AS id
MATCH (n:Node {id: id})%s(m)
WHERE ` + cypherActive + `
  AND (size($among) = 0 OR m.id IN $among)
RETURN id, r, startNode(r).id AS from, endNode(r).id AS to, %s`

const (
	neighborsWhole = "m"
	neighborsBare  = "m.id AS mid, labels(m) AS labels"
)

// Neighbors returns, for each id of q.IDs, its relationships of the
// requested types and direction with the node at their other end, ordered
// by kg.SortNeighbors.
func (s *Store) Neighbors(ctx context.Context, q kg.NeighborQuery) (map[string][]kg.Neighbor, error) {
	if err := kg.ValidateNeighborQuery(&q); err != nil {
		return nil, err
	}
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	ids := []string{}
	for _, id := range q.IDs {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	out := map[string][]kg.Neighbor{}
	if len(ids) == 0 {
		return out, nil
	}
	rel := "[r" + relTypesExpr(q.Types) + "]"
	var pattern string
	switch q.Direction {
	case kg.Out:
		pattern = "-" + rel + "->"
	case kg.In:
		pattern = "<-" + rel + "-"
	default:
		pattern = "-" + rel + "-"
	}
	ret, decode := neighborsWhole, recordNeighbor
	if q.BareNodes {
		ret, decode = neighborsBare, recordBareNeighbor
	}
	cypher := fmt.Sprintf(cypherNeighbors, pattern, ret)
	among := nonNil(q.Among)
	return readOnce(ctx, s, "neighbors", func(tx runner) (map[string][]kg.Neighbor, error) {
		res, err := tx.Run(ctx, cypher, map[string]any{"ids": ids, "asOf": int64(q.AsOf), "among": among})
		if err != nil {
			return nil, err
		}
		out := map[string][]kg.Neighbor{}
		for res.Next(ctx) {
			rec := res.Record()
			id, _, err := drv.GetRecordValue[string](rec, "id")
			if err != nil {
				return nil, err
			}
			nb, err := decode(rec)
			if err != nil {
				return nil, err
			}
			out[id] = append(out[id], nb)
		}
		if err := res.Err(); err != nil {
			return nil, err
		}
		timed(ctx, res)
		for _, ns := range out {
			kg.SortNeighbors(ns)
		}
		return out, nil
	})
}

// recordNeighbor reads a row of cypherNeighbors with neighborsWhole.
func recordNeighbor(rec *drv.Record) (kg.Neighbor, error) {
	e, err := recordEdge(rec, "r", "from", "to")
	if err != nil {
		return kg.Neighbor{}, err
	}
	m, err := recordNode(rec, "m")
	if err != nil {
		return kg.Neighbor{}, err
	}
	return kg.Neighbor{Edge: e, Node: m}, nil
}

// recordBareNeighbor reads a row of cypherNeighbors with neighborsBare.
func recordBareNeighbor(rec *drv.Record) (kg.Neighbor, error) {
	e, err := recordEdge(rec, "r", "from", "to")
	if err != nil {
		return kg.Neighbor{}, err
	}
	id, _, err := drv.GetRecordValue[string](rec, "mid")
	if err != nil {
		return kg.Neighbor{}, err
	}
	labels, _, err := drv.GetRecordValue[[]any](rec, "labels")
	if err != nil {
		return kg.Neighbor{}, err
	}
	kind, err := kindOfValues(id, labels)
	if err != nil {
		return kg.Neighbor{}, err
	}
	return kg.Neighbor{Edge: e, Node: &kg.Node{ID: id, Kind: kind}}, nil
}

// cypherSearch finds nodes whose derived search text contains $text,
// through the text index kg_node_search, and ranks them as kg.SearchRank
// does: 0 an exact name, 1 a name prefix, 2 a name substring, 3 an
// English name or alias substring; then by the name's length in runes
// (size counts code points) and id.
const cypherSearch = `MATCH (n:Node)
WHERE n._search CONTAINS $text AND (size($kinds) = 0 OR any(l IN labels(n) WHERE l IN $kinds))
WITH n, CASE
  WHEN n._searchName = $text THEN 0
  WHEN n._searchName STARTS WITH $text THEN 1
  WHEN n._searchName CONTAINS $text THEN 2
  ELSE 3 END AS rank
RETURN n ORDER BY rank, size(n.name), n.id LIMIT $limit`

// Search finds nodes whose name, English name or alias contains the text,
// case-insensitively, ranked as kg.SortSearch ranks them. Matching is on
// texts lower-cased by Go when written, so it is exactly the embedded
// store's.
func (s *Store) Search(ctx context.Context, q kg.SearchQuery) ([]*kg.Node, error) {
	if err := kg.ValidateSearch(&q); err != nil {
		return nil, err
	}
	text := kg.SearchText(q.Text)
	kinds := make([]string, len(q.Kinds))
	for i, k := range q.Kinds {
		kinds[i] = string(k)
	}
	limit := int64(q.Limit)
	if strings.Contains(text, searchSep) {
		// The text could match across two joined texts: fetch every
		// candidate and let kg.SearchRank decide.
		limit = 1 << 62
	}
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	return readOnce(ctx, s, "search", func(tx runner) ([]*kg.Node, error) {
		recs, err := collect(ctx, tx, cypherSearch, map[string]any{"text": text, "kinds": kinds, "limit": limit})
		if err != nil {
			return nil, err
		}
		out := make([]*kg.Node, 0, len(recs))
		for _, rec := range recs {
			n, err := recordNode(rec, "n")
			if err != nil {
				return nil, err
			}
			if kg.SearchRank(n, text) >= 0 {
				out = append(out, n)
			}
		}
		kg.SortSearch(out, text)
		return out[:min(len(out), q.Limit)], nil
	})
}

// cypherStats counts nodes per kind label and relationships per type, in
// one statement of count-store lookups (counting before projecting the
// names keeps the planner on the count store). Built by statsCypher.
var cypherStats = statsCypher()

func statsCypher() string {
	var parts []string
	for _, k := range kg.Kinds {
		parts = append(parts, fmt.Sprintf("MATCH (n:%s) WITH count(n) AS c RETURN 'node' AS what, '%s' AS name, c AS count", quote(string(k)), k))
	}
	for _, t := range kg.RelTypes {
		parts = append(parts, fmt.Sprintf("MATCH ()-[r:%s]->() WITH count(r) AS c RETURN 'edge' AS what, '%s' AS name, c AS count", quote(string(t)), t))
	}
	return strings.Join(parts, "\nUNION ALL\n")
}

// Stats counts nodes by kind and edges by type. Kinds and types without
// any are absent from the maps.
func (s *Store) Stats(ctx context.Context) (*kg.Stats, error) {
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	return readOnce(ctx, s, "stats", func(tx runner) (*kg.Stats, error) {
		recs, err := collect(ctx, tx, cypherStats, nil)
		if err != nil {
			return nil, err
		}
		st := &kg.Stats{NodesByKind: map[kg.Kind]int{}, EdgesByType: map[kg.RelType]int{}}
		for _, rec := range recs {
			what, _, err := drv.GetRecordValue[string](rec, "what")
			if err != nil {
				return nil, err
			}
			name, _, err := drv.GetRecordValue[string](rec, "name")
			if err != nil {
				return nil, err
			}
			n, _, err := drv.GetRecordValue[int64](rec, "count")
			if err != nil {
				return nil, err
			}
			if n == 0 {
				continue
			}
			if what == "node" {
				st.NodesByKind[kg.Kind(name)] = int(n)
				st.Nodes += int(n)
			} else {
				st.EdgesByType[kg.RelType(name)] = int(n)
				st.Edges += int(n)
			}
		}
		return st, nil
	})
}
