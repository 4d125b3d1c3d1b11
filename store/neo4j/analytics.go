package neo4j

import (
	"context"
	"fmt"
	"slices"
	"strings"

	drv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/kg"
)

// cypherProjectEdges selects the edges of a projection: %[1]s and %[3]s
// are the label expressions of the two ends, %[2]s the relationship
// pattern with its types, %[4]s an ORDER BY clause (or nothing) and %[5]s
// what to return. The edges come back as parallel lists in one record
// (their properties as a list of maps, when asked for): Bolt moves one
// record of lists several times faster than a record per edge.
const cypherProjectEdges = `MATCH (a%[1]s)-[r%[2]s]->(b%[3]s)
WHERE ` + cypherActive + `
WITH r, a, b %[4]s LIMIT $limit
%[5]s`

const (
	projectReturnLists = "RETURN collect(r.id) AS ids, collect(type(r)) AS types, collect(a.id) AS froms, collect(b.id) AS tos"
	projectReturnProps = projectReturnLists + ", collect(properties(r)) AS props"
	projectOrder       = "ORDER BY r.id"
)

// cypherProjectNodes returns the ids, labels and requested properties of
// the end nodes of a projection, as parallel lists in one record.
const cypherProjectNodes = `UNWIND $ids AS id
MATCH (n:Node {id: id})
RETURN collect(n.id) AS ids, collect(labels(n)) AS labels, collect([p IN $props | n[p]]) AS vals`

// checkEvery is how many edges or nodes of a projection are decoded
// between two looks at the context: the driver stops reading when the
// context ends, and so does the decoding of what it read.
const checkEvery = 1 << 14

// labelExpr is the label expression of a node pattern that admits the
// kinds (validated names of the ontology): ":Node" for any.
func labelExpr(kinds []kg.Kind) string {
	if len(kinds) == 0 {
		return ":" + labelNode
	}
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = quote(string(k))
	}
	return ":" + strings.Join(parts, "|")
}

// relTypesExpr is the type expression of a relationship pattern: "" for
// any type.
func relTypesExpr(types []kg.RelType) string {
	if len(types) == 0 {
		return ""
	}
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = quote(string(t))
	}
	return ":" + strings.Join(parts, "|")
}

// Project returns the edges of q's types between nodes of q's kinds that
// hold in q.AsOf, the first q.Limit by id, with their end nodes, in one
// read transaction: the edges, and then their ends. The server does not
// sort (sorting hundreds of thousands of ids costs Neo4j more than moving
// them): Go sorts, and only a projection with more than q.Limit edges is
// read again in the server's id order to cut it.
func (s *Store) Project(ctx context.Context, q kg.ProjectionQuery) (*kg.Projection, error) {
	if err := kg.ValidateProjection(&q); err != nil {
		return nil, err
	}
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	ret := projectReturnLists
	if q.EdgeProps {
		ret = projectReturnProps
	}
	cypher := func(order string) string {
		return fmt.Sprintf(cypherProjectEdges, labelExpr(q.Kinds), relTypesExpr(q.Types), labelExpr(q.Kinds), order, ret)
	}
	props := nonNil(q.NodeProps)
	return read(ctx, s, "project", func(tx drv.ManagedTransaction) (*kg.Projection, error) {
		out := &kg.Projection{}
		edges, err := projectEdges(ctx, tx, cypher(""), q.AsOf, q.Limit+1, q.EdgeProps)
		if err != nil {
			return nil, err
		}
		if len(edges) > q.Limit {
			out.Truncated = true
			if edges, err = projectEdges(ctx, tx, cypher(projectOrder), q.AsOf, q.Limit, q.EdgeProps); err != nil {
				return nil, err
			}
		}
		slices.SortFunc(edges, func(a, b *kg.Edge) int { return strings.Compare(a.ID, b.ID) })
		out.Edges = edges
		ends := map[string]bool{}
		for _, e := range edges {
			ends[e.From], ends[e.To] = true, true
		}
		if out.Nodes, err = projectNodes(ctx, tx, sortedKeys(ends), props); err != nil {
			return nil, err
		}
		return out, nil
	})
}

// projectEdges runs a projection statement and decodes its edges.
func projectEdges(ctx context.Context, tx drv.ManagedTransaction, cypher string, asOf, limit int, withProps bool) ([]*kg.Edge, error) {
	res, err := tx.Run(ctx, cypher, map[string]any{"asOf": int64(asOf), "limit": int64(limit)})
	if err != nil {
		return nil, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return nil, err
	}
	var cols [4][]string
	for i, key := range []string{"ids", "types", "froms", "tos"} {
		if cols[i], err = stringList(rec, key); err != nil {
			return nil, err
		}
	}
	n := len(cols[0])
	if len(cols[1]) != n || len(cols[2]) != n || len(cols[3]) != n {
		return nil, fmt.Errorf("project: columns of %d, %d, %d and %d edges", n, len(cols[1]), len(cols[2]), len(cols[3]))
	}
	var props []any
	if withProps {
		if props, _, err = drv.GetRecordValue[[]any](rec, "props"); err != nil {
			return nil, err
		}
		if len(props) != n {
			return nil, fmt.Errorf("project: properties of %d edges for %d", len(props), n)
		}
	}
	edges := make([]kg.Edge, n)
	out := make([]*kg.Edge, n)
	for i := range n {
		if i%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		e := &edges[i]
		*e = kg.Edge{ID: cols[0][i], Type: kg.RelType(cols[1][i]), From: cols[2][i], To: cols[3][i]}
		if withProps {
			raw, ok := props[i].(map[string]any)
			if !ok {
				return nil, fmt.Errorf("project: properties of relationship %q are a %T", e.ID, props[i])
			}
			if !kg.ValidRelType(e.Type) {
				return nil, fmt.Errorf("decoding relationship %q: unknown type %q", e.ID, e.Type)
			}
			if e.Props, err = decodeProps(raw, func(name string) (*kg.PropSpec, bool) { return kg.EdgePropSpec(e.Type, name) }); err != nil {
				return nil, fmt.Errorf("decoding relationship %q: %w", e.ID, err)
			}
		}
		out[i] = e
	}
	return out, nil
}

// projectNodes reads the kinds and requested properties of ids, in the
// order of ids.
func projectNodes(ctx context.Context, tx drv.ManagedTransaction, ids, props []string) ([]*kg.Node, error) {
	res, err := tx.Run(ctx, cypherProjectNodes, map[string]any{"ids": ids, "props": props})
	if err != nil {
		return nil, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return nil, err
	}
	got, err := stringList(rec, "ids")
	if err != nil {
		return nil, err
	}
	labels, _, err := drv.GetRecordValue[[]any](rec, "labels")
	if err != nil {
		return nil, err
	}
	vals, _, err := drv.GetRecordValue[[]any](rec, "vals")
	if err != nil {
		return nil, err
	}
	if len(labels) != len(got) || len(vals) != len(got) {
		return nil, fmt.Errorf("project: %d nodes with %d label lists and %d value lists", len(got), len(labels), len(vals))
	}
	byID := make(map[string]*kg.Node, len(got))
	for i, id := range got {
		if i%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		ls, _ := labels[i].([]any)
		vs, _ := vals[i].([]any)
		n, err := projectedNode(id, ls, vs, props)
		if err != nil {
			return nil, err
		}
		byID[id] = n
	}
	out := make([]*kg.Node, 0, len(ids))
	for _, id := range ids {
		if n := byID[id]; n != nil {
			out = append(out, n)
		}
	}
	return out, nil
}

// projectedNode decodes one node of cypherProjectNodes.
func projectedNode(id string, labels, vals []any, props []string) (*kg.Node, error) {
	kind, err := kindOfValues(id, labels)
	if err != nil {
		return nil, err
	}
	raw := make(map[string]any, len(props))
	for i, p := range props {
		if i < len(vals) && vals[i] != nil {
			raw[p] = vals[i]
		}
	}
	pr, err := decodeProps(raw, func(name string) (*kg.PropSpec, bool) { return kg.NodePropSpec(kind, name) })
	if err != nil {
		return nil, fmt.Errorf("decoding node %q: %w", id, err)
	}
	return &kg.Node{ID: id, Kind: kind, Props: pr}, nil
}

// cypherPaths finds simple paths between two nodes with Cypher's own
// shortest-path machinery (a SHORTEST selector over a quantified path
// pattern): %[1]s is the selector ("1 GROUPS", "5", "3 GROUPS"), %[2]s
// the relationship types, %[3]d the most hops. The predicate inside the
// parenthesised pattern is applied during the search, before the
// selection, so the selector counts simple paths only: no node twice (the
// nodes after the start are distinct and differ from it), every
// relationship linking in $asOf (cypherLinks), and the nodes between the two ends of one
// of the $through kinds (when given). The result is cut after $limit rows.
const cypherPaths = `MATCH p = SHORTEST %[1]s ((a:Node {id: $from})
  ((x)-[r%[2]s WHERE ` + cypherLinks + `]-(y)){1,%[3]d}
  (b:Node {id: $to})
  WHERE NOT a IN y AND all(i IN range(0, size(y) - 2) WHERE NOT y[i] IN y[i + 1..])
    AND (size($through) = 0 OR all(n IN y[..-1] WHERE any(l IN labels(n) WHERE l IN $through))))
RETURN [n IN nodes(p) | n.id] AS nodes, [r IN relationships(p) | r.id] AS rels
LIMIT $limit`

// cypherPathsOneHop lists the relationships that join two nodes: the
// paths of one hop, for which Neo4j does not plan a quantified pattern of
// {1,1} under a selector; %s is the relationship types.
const cypherPathsOneHop = `MATCH (a:Node {id: $from})-[r%s]-(b:Node {id: $to})
WHERE ` + cypherLinks + `
RETURN [a.id, b.id] AS nodes, [r.id] AS rels
LIMIT $limit`

// Paths returns the k shortest simple paths of q (see kg.PathQuery), in
// one read transaction: all the shortest paths ("SHORTEST 1 GROUPS"); if
// they are fewer than k, the lengths of the k shortest ("SHORTEST k")
// and every path of those lengths ("SHORTEST g GROUPS"). Go ranks the
// candidates by kg.ComparePaths, so that ties among paths of one length
// fall as on every backend, then reads the nodes and relationships of
// the answer.
func (s *Store) Paths(ctx context.Context, q kg.PathQuery) (*kg.PathResult, error) {
	if err := kg.ValidatePathQuery(&q); err != nil {
		return nil, err
	}
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	through := make([]string, len(q.Through))
	for i, k := range q.Through {
		through[i] = string(k)
	}
	params := map[string]any{"from": q.From, "to": q.To, "asOf": int64(q.AsOf), "person": personTypes(), "through": through, "limit": int64(kg.MaxPathCandidates) + 1}
	types := relTypesExpr(q.Types)
	run := func(ctx context.Context, tx drv.ManagedTransaction, selector string) ([]kg.PathKey, error) {
		cypher := fmt.Sprintf(cypherPaths, selector, types, q.MaxHops)
		if q.MaxHops == 1 {
			cypher = fmt.Sprintf(cypherPathsOneHop, types)
		}
		recs, err := collect(ctx, tx, cypher, params)
		if err != nil {
			return nil, err
		}
		keys := make([]kg.PathKey, len(recs))
		for i, rec := range recs {
			if keys[i].Nodes, err = stringList(rec, "nodes"); err != nil {
				return nil, err
			}
			if keys[i].Edges, err = stringList(rec, "rels"); err != nil {
				return nil, err
			}
		}
		return keys, nil
	}
	return read(ctx, s, "paths", func(tx drv.ManagedTransaction) (*kg.PathResult, error) {
		shortest, err := run(ctx, tx, "1 GROUPS")
		if err != nil {
			return nil, err
		}
		if len(shortest) > kg.MaxPathCandidates {
			return &kg.PathResult{Truncated: true}, nil
		}
		keys, truncated := kg.RankPaths(shortest, q.K), false
		if len(shortest) > 0 && len(shortest) < q.K && len(shortest[0].Edges) < q.MaxHops {
			first, err := run(ctx, tx, fmt.Sprint(q.K))
			if err != nil {
				return nil, err
			}
			lengths := map[int]bool{}
			for _, k := range first {
				lengths[len(k.Edges)] = true
			}
			cands, err := run(ctx, tx, fmt.Sprintf("%d GROUPS", len(lengths)))
			if err != nil {
				return nil, err
			}
			if len(cands) > kg.MaxPathCandidates {
				keys, truncated = kg.RankPaths(shortest, len(shortest)), true
			} else {
				keys = kg.RankPaths(cands, q.K)
			}
		}
		return pathsOf(ctx, tx, keys, truncated)
	})
}

// stringList reads a list of strings from a record.
func stringList(rec *drv.Record, key string) ([]string, error) {
	raw, _, err := drv.GetRecordValue[[]any](rec, key)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(raw))
	for i, v := range raw {
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("%s[%d] is a %T, not a string", key, i, v)
		}
		out[i] = s
	}
	return out, nil
}

// pathsOf reads the nodes and relationships of the paths keys name.
func pathsOf(ctx context.Context, tx drv.ManagedTransaction, keys []kg.PathKey, truncated bool) (*kg.PathResult, error) {
	out := &kg.PathResult{Paths: make([]*kg.Path, len(keys)), Truncated: truncated}
	if len(keys) == 0 {
		return out, nil
	}
	var nodeIDs, edgeIDs []string
	for _, k := range keys {
		nodeIDs = append(nodeIDs, k.Nodes...)
		edgeIDs = append(edgeIDs, k.Edges...)
	}
	slices.Sort(nodeIDs)
	slices.Sort(edgeIDs)
	nodes, err := getNodes(ctx, tx, slices.Compact(nodeIDs))
	if err != nil {
		return nil, err
	}
	edges, err := getEdges(ctx, tx, slices.Compact(edgeIDs))
	if err != nil {
		return nil, err
	}
	for i, k := range keys {
		p := &kg.Path{}
		for _, id := range k.Nodes {
			n := nodes[id]
			if n == nil {
				return nil, fmt.Errorf("path node %q vanished", id)
			}
			c := *n
			c.Props = n.Props.Clone()
			p.Nodes = append(p.Nodes, &c)
		}
		for _, id := range k.Edges {
			e := edges[id]
			if e == nil {
				return nil, fmt.Errorf("path relationship %q vanished", id)
			}
			c := *e
			c.Props = e.Props.Clone()
			p.Edges = append(p.Edges, &c)
		}
		out.Paths[i] = p
	}
	return out, nil
}
