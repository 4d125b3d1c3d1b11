package neo4j

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	drv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/kg"
)

// cypherFetchQuery reads a plan whose roots are a node query: the count
// and the page of cypherFindNodes, each root projected with its hops.
// %[1]s is the kind label, %[2]s and %[3]s the WHERE clauses of the count
// and of the page, %[4]s the ORDER BY keys, %[5]s the projection of n.
const cypherFetchQuery = `CALL () { MATCH (n:%[1]s) %[2]s RETURN count(n) AS total }
CALL () { MATCH (n:%[1]s) %[3]s WITH n ORDER BY %[4]s SKIP $skip LIMIT $limit RETURN collect(%[5]s) AS page }
RETURN total, page`

// cypherFetchIDs reads a plan whose roots are nodes by id: %s is the
// projection of n. (Aggregating in WITH yields one record when no id
// matches.)
const cypherFetchIDs = `MATCH (n:Node) WHERE n.id IN $ids WITH collect(%s) AS page RETURN 0 AS total, page`

// Fetch reads a plan in one statement: the roots, and for every hop a
// COLLECT subquery that orders, skips and limits the relationships of
// each parent as kg.SortNeighbors orders them, and a COUNT subquery for
// the total. Nodes come back as map projections of the properties the
// plan asks for (whole where it asks for all of them or for a yearly
// series, trimmed here).
func (s *Store) Fetch(ctx context.Context, p kg.FetchPlan) (*kg.FetchResult, error) {
	if err := kg.ValidateFetchPlan(&p); err != nil {
		return nil, err
	}
	c := &fetchCompiler{params: map[string]any{}}
	proj := c.node("n", p.Props, p.Hops, 0)
	var cypher string
	start := 0
	if p.Query != nil {
		q := *p.Query
		var err error
		if start, err = kg.DecodeCursor(q.After); err != nil {
			return nil, err
		}
		start = min(start, maxPosition) + 1
		c.params["skip"], c.params["limit"] = int64(start), int64(q.First)
		countWhere, pageWhere, order := findClauses(q, c.params)
		cypher = fmt.Sprintf(cypherFetchQuery, quote(string(q.Kind)), countWhere, pageWhere, order, proj)
	} else {
		if len(p.IDs) == 0 {
			return &kg.FetchResult{Roots: []*kg.Fetched{}}, nil
		}
		c.params["ids"] = p.IDs
		cypher = fmt.Sprintf(cypherFetchIDs, proj)
	}
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	return read(ctx, s, "fetch", func(tx drv.ManagedTransaction) (*kg.FetchResult, error) {
		total, raw, err := totalAndPage(ctx, tx, cypher, c.params)
		if err != nil {
			return nil, err
		}
		res := &kg.FetchResult{}
		if p.Query != nil {
			res.Roots = make([]*kg.Fetched, len(raw))
			for i, r := range raw {
				if res.Roots[i], err = decodeFetched(r, p.Props, p.Hops); err != nil {
					return nil, err
				}
			}
			res.TotalCount, res.Offset, res.HasNextPage = int(total), start, start+len(raw) < int(total)
			return res, nil
		}
		byID := make(map[string]any, len(raw))
		for _, r := range raw {
			m, _ := r.(map[string]any)
			id, _ := m["id"].(string)
			if dn, ok := m["_node"].(drv.Node); ok {
				id, _ = dn.Props[propID].(string)
			}
			byID[id] = r
		}
		res.Roots = make([]*kg.Fetched, len(p.IDs))
		for i, id := range p.IDs {
			if r, ok := byID[id]; ok {
				// A repeated id is decoded again: every root is a copy of its own.
				if res.Roots[i], err = decodeFetched(r, p.Props, p.Hops); err != nil {
					return nil, err
				}
			}
		}
		return res, nil
	})
}

// fetchCompiler builds the projections of a plan, collecting the values
// of its parameters.
type fetchCompiler struct {
	params map[string]any
}

// param adds a parameter and returns its reference.
func (c *fetchCompiler) param(v any) string {
	name := "f" + strconv.Itoa(len(c.params))
	c.params[name] = v
	return "$" + name
}

// node returns the map projection of node variable v: its id, labels and
// the properties props (or the whole node as _node), and the value of
// each hop as _h0, _h1, …; depth is the depth of v in the plan.
func (c *fetchCompiler) node(v string, props []string, hops []*kg.Hop, depth int) string {
	var parts []string
	if wholeNode(props) {
		parts = append(parts, "_node: "+v)
	} else {
		parts = append(parts, ".id", "_labels: labels("+v+")")
		for _, p := range props {
			if p != propID && !strings.HasPrefix(p, "_") {
				parts = append(parts, "."+quote(p))
			}
		}
	}
	for i, h := range hops {
		parts = append(parts, fmt.Sprintf("_h%d: %s", i, c.hop(v, h, depth+1)))
	}
	return v + " {" + strings.Join(parts, ", ") + "}"
}

// wholeNode reports whether props asks for the whole node: all its
// properties, or a yearly series (stored as one property per year, so
// read whole and trimmed after decoding).
func wholeNode(props []string) bool {
	if props == nil {
		return true
	}
	for _, p := range props {
		for _, k := range kg.Kinds {
			if spec, ok := kg.NodePropSpec(k, p); ok && spec.Type == kg.SeriesType {
				return true
			}
		}
	}
	return false
}

// hop returns the value of hop h from node variable v: null where h does
// not apply to v's kind, else {t: the total, p: the page}, each item
// {r: the relationship, m: the projection of the other end} and, for
// both directions, o: whether r starts at v.
func (c *fetchCompiler) hop(v string, h *kg.Hop, depth int) string {
	r, m := "r"+strconv.Itoa(depth), "m"+strconv.Itoa(depth)
	rel := "[" + r + relTypesExpr(h.Types) + "]"
	var pattern string
	switch h.Direction {
	case kg.Out:
		pattern = "(" + v + ")-" + rel + "->(" + m + ")"
	case kg.In:
		pattern = "(" + v + ")<-" + rel + "-(" + m + ")"
	default:
		pattern = "(" + v + ")-" + rel + "-(" + m + ")"
	}
	where := ""
	if h.AsOf != 0 {
		y := c.param(int64(h.AsOf))
		where = fmt.Sprintf(" WHERE (%[1]s.since IS NULL OR %[1]s.since <= %[2]s) AND (%[1]s.until IS NULL OR %[1]s.until >= %[2]s)", r, y)
	}
	page := "[]"
	if h.First > 0 {
		order := m + ".id, " + r + ".id"
		if len(h.Types) != 1 {
			order = "type(" + r + "), " + order
		}
		item := "r: " + r + ", m: " + c.node(m, h.Props, h.Hops, depth)
		if h.Direction != kg.Out && h.Direction != kg.In {
			item += ", o: startNode(" + r + ") = " + v
		}
		page = fmt.Sprintf("COLLECT { MATCH %s%s WITH %s, %s ORDER BY %s SKIP %s LIMIT %s RETURN {%s} }",
			pattern, where, r, m, order, c.param(int64(h.After+1)), c.param(int64(h.First)), item)
	}
	expr := fmt.Sprintf("{t: COUNT { MATCH %s%s }, p: %s}", pattern, where, page)
	if len(h.Kinds) > 0 {
		labels := make([]string, len(h.Kinds))
		for i, k := range h.Kinds {
			labels[i] = v + ":" + quote(string(k))
		}
		expr = "CASE WHEN " + strings.Join(labels, " OR ") + " THEN " + expr + " END"
	}
	return expr
}

// decodeFetched reads a projection made by fetchCompiler.node.
func decodeFetched(raw any, props []string, hops []*kg.Hop) (*kg.Fetched, error) {
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("fetch: a node is a %T", raw)
	}
	var n *kg.Node
	if dn, ok := m["_node"].(drv.Node); ok {
		whole, err := decodeNode(dn)
		if err != nil {
			return nil, err
		}
		n = kg.KeepProps(whole, props)
	} else {
		id, _ := m[propID].(string)
		labels, _ := m["_labels"].([]any)
		kind, err := kindOfValues(id, labels)
		if err != nil {
			return nil, err
		}
		ps, err := decodeProps(m, func(name string) (*kg.PropSpec, bool) { return kg.NodePropSpec(kind, name) })
		if err != nil {
			return nil, fmt.Errorf("decoding node %q: %w", id, err)
		}
		n = &kg.Node{ID: id, Kind: kind, Props: ps}
	}
	out := &kg.Fetched{Node: n}
	for i, h := range hops {
		hv, ok := m["_h"+strconv.Itoa(i)].(map[string]any)
		if !ok || !h.Applies(n.Kind) {
			continue
		}
		pg, err := decodeHopPage(n.ID, h, hv)
		if err != nil {
			return nil, err
		}
		if out.Hops == nil {
			out.Hops = make(map[string]*kg.HopPage, len(hops))
		}
		out.Hops[h.Key] = pg
	}
	return out, nil
}

// decodeHopPage reads the value of hop h from the node with id parent.
func decodeHopPage(parent string, h *kg.Hop, v map[string]any) (*kg.HopPage, error) {
	total, ok := v["t"].(int64)
	if !ok {
		return nil, fmt.Errorf("fetch: hop %q: total is a %T", h.Key, v["t"])
	}
	items, _ := v["p"].([]any)
	start, _ := h.PageBounds(int(total))
	pg := &kg.HopPage{Total: int(total), Offset: start, Items: make([]kg.HopItem, 0, len(items))}
	for _, it := range items {
		im, ok := it.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("fetch: hop %q: an item is a %T", h.Key, it)
		}
		rel, ok := im["r"].(drv.Relationship)
		if !ok {
			return nil, fmt.Errorf("fetch: hop %q: a relationship is a %T", h.Key, im["r"])
		}
		far, err := decodeFetched(im["m"], h.Props, h.Hops)
		if err != nil {
			return nil, err
		}
		from, to := parent, far.Node.ID
		switch h.Direction {
		case kg.Out:
		case kg.In:
			from, to = to, from
		default:
			if out, _ := im["o"].(bool); !out {
				from, to = to, from
			}
		}
		e, err := decodeEdge(rel, from, to)
		if err != nil {
			return nil, err
		}
		pg.Items = append(pg.Items, kg.HopItem{Edge: e, Node: far})
	}
	return pg, nil
}
