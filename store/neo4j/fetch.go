package neo4j

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	drv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/kg"
)

// cypherFetchQuery reads a plan whose roots are a node query: the counts
// and the page of cypherFindNodes, each root projected with its hops.
// %[1]s is the kind label, %[2]s and %[3]s the WHERE clauses of the count
// and of the page, %[4]s the ORDER BY keys, %[5]s the projection of n,
// %[6]s the count of the matches after the cursor (see remainingCount).
const cypherFetchQuery = `CALL () { MATCH (n:%[1]s) %[2]s RETURN count(n) AS total }
%[6]s
CALL () { MATCH (n:%[1]s) %[3]s WITH n ORDER BY %[4]s LIMIT $limit RETURN collect(%[5]s) AS page }
RETURN total, remaining, page`

// cypherFetchIDs reads a plan whose roots are nodes by id: %s is the
// projection of n. (Aggregating in WITH yields one record when no id
// matches.)
const cypherFetchIDs = `MATCH (n:Node) WHERE n.id IN $ids WITH collect(%s) AS page RETURN 0 AS total, 0 AS remaining, page`

// Fetch reads a plan in one statement: the roots, and for every hop a
// COLLECT subquery that orders, skips and limits the relationships of
// each parent as kg.SortNeighbors orders them, and a COUNT subquery for
// the total where the plan wants it. Every node comes back as a list of
// the values the plan asks for, in the order fetchCompiler.node writes
// them (whole where it asks for all properties or for a yearly series,
// trimmed here), every relationship as a list of its id and selected
// properties (whole where the plan asks for all), so that the result
// carries no map keys and no more than the request reads.
func (s *Store) Fetch(ctx context.Context, p kg.FetchPlan) (*kg.FetchResult, error) {
	if err := kg.ValidateFetchPlan(&p); err != nil {
		return nil, err
	}
	if p.Query == nil && len(p.IDs) == 0 {
		return &kg.FetchResult{Roots: []*kg.Fetched{}}, nil
	}
	cypher, params, err := compileFetch(p)
	if err != nil {
		return nil, err
	}
	return read(ctx, s, "fetch", func(tx drv.ManagedTransaction) (*kg.FetchResult, error) {
		total, remaining, raw, err := countsAndPage(ctx, tx, cypher, params)
		if err != nil {
			return nil, err
		}
		res := &kg.FetchResult{}
		if p.Query != nil {
			res.Roots = make([]*kg.Fetched, len(raw))
			for i, r := range raw {
				if res.Roots[i], err = decodeFetched(r, p.Query.Kind, p.Props, p.Hops); err != nil {
					return nil, err
				}
			}
			res.TotalCount, res.Offset, res.HasNextPage = int(total), int(total-remaining), len(raw) < int(remaining)
			return res, nil
		}
		byID := make(map[string]any, len(raw))
		for _, r := range raw {
			l, _ := r.([]any)
			if len(l) == 0 {
				return nil, fmt.Errorf("fetch: a root is a %T", r)
			}
			id, _ := l[0].(string)
			if dn, ok := l[0].(drv.Node); ok {
				id, _ = dn.Props[propID].(string)
			}
			byID[id] = r
		}
		res.Roots = make([]*kg.Fetched, len(p.IDs))
		for i, id := range p.IDs {
			if r, ok := byID[id]; ok {
				// A repeated id is decoded again: every root is a copy of its own.
				if res.Roots[i], err = decodeFetched(r, "", p.Props, p.Hops); err != nil {
					return nil, err
				}
			}
		}
		return res, nil
	})
}

// compileFetch returns the statement that reads a valid plan with roots,
// and its parameters.
func compileFetch(p kg.FetchPlan) (cypher string, params map[string]any, err error) {
	c := &fetchCompiler{params: map[string]any{}}
	if p.Query == nil {
		c.params["ids"] = p.IDs
		return fmt.Sprintf(cypherFetchIDs, c.node("n", "", p.Props, p.Hops, 0)), c.params, nil
	}
	q := *p.Query
	after, err := q.AfterPosition()
	if err != nil {
		return "", nil, err
	}
	c.params["limit"] = int64(q.First)
	countWhere, pageWhere, order := findClauses(q, after, c.params)
	proj := c.node("n", q.Kind, p.Props, p.Hops, 0)
	return fmt.Sprintf(cypherFetchQuery, quote(string(q.Kind)), countWhere, pageWhere, order, proj, remainingCount(q.Kind, after != nil, pageWhere)), c.params, nil
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

// node returns the projection of node variable v, a list: the whole node
// where wholeNode(props), else its id, its labels unless its kind is
// known (kind is not ""), and the properties nodeProps(props); then the
// value of each hop. depth is the depth of v in the plan.
func (c *fetchCompiler) node(v string, kind kg.Kind, props []string, hops []*kg.Hop, depth int) string {
	var parts []string
	if wholeNode(props) {
		parts = append(parts, v)
	} else {
		parts = append(parts, v+".id")
		if kind == "" {
			parts = append(parts, "labels("+v+")")
		}
		for _, p := range nodeProps(props) {
			parts = append(parts, v+"."+quote(p))
		}
	}
	for _, h := range hops {
		parts = append(parts, c.hop(v, kind, h, depth+1))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// nodeProps are the properties of props a node projection reads, in
// order: all but the id and internal names.
func nodeProps(props []string) []string {
	out := make([]string, 0, len(props))
	for _, p := range props {
		if p != propID && !strings.HasPrefix(p, "_") {
			out = append(out, p)
		}
	}
	return out
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

// farKind returns the kind of the nodes at the other end of hop h when
// the ontology allows only one for its types and direction (the store
// writes no relationship the ontology does not allow), else "".
func farKind(h *kg.Hop) kg.Kind {
	if len(h.Types) == 0 {
		return ""
	}
	var kind kg.Kind
	for _, t := range h.Types {
		spec, ok := kg.RelSpecs[t]
		if !ok {
			return ""
		}
		var ks []kg.Kind
		switch h.Direction {
		case kg.Out:
			ks = spec.To
		case kg.In:
			ks = spec.From
		default:
			ks = append(slices.Clone(spec.From), spec.To...)
		}
		for _, k := range ks {
			if kind != "" && k != kind {
				return ""
			}
			kind = k
		}
	}
	return kind
}

// hopApplies reports whether hop h is followed from a node of kind kind:
// "yes", "no", or "" when kind is not known.
func hopApplies(h *kg.Hop, kind kg.Kind) string {
	switch {
	case len(h.Kinds) == 0:
		return "yes"
	case kind == "":
		return ""
	case h.Applies(kind):
		return "yes"
	}
	return "no"
}

// hop returns the value of hop h from node variable v of kind kind (""
// when not known): null where h does not apply to v's kind, else
// [the total, the count of those after h.After (both null where
// h.NoTotal), the page], each item [the
// relationship (see rel), the projection of the other end] and, for both
// directions, whether the relationship starts at v.
func (c *fetchCompiler) hop(v string, kind kg.Kind, h *kg.Hop, depth int) string {
	applies := hopApplies(h, kind)
	if applies == "no" {
		return "null"
	}
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
	var preds []string
	if h.AsOf != 0 {
		y := c.param(int64(h.AsOf))
		preds = append(preds, fmt.Sprintf("(%[1]s.since IS NULL OR %[1]s.since <= %[2]s) AND (%[1]s.until IS NULL OR %[1]s.until >= %[2]s)", r, y))
	}
	// A missing property is null, and a comparison with null drops the
	// relationship, as kg.Match does.
	for _, cond := range h.Where {
		preds = append(preds, opPredicate(r+"."+quote(cond.Prop), cond.Op, c.param(cond.Value)))
	}
	for _, cond := range h.FarWhere {
		preds = append(preds, opPredicate(m+"."+quote(cond.Prop), cond.Op, c.param(cond.Value)))
	}
	where := ""
	if len(preds) > 0 {
		where = " WHERE " + strings.Join(preds, " AND ")
	}
	// The page: the relationships after h.After (validated with the
	// plan), in the order of kg.SortNeighbors.
	pageWhere := where
	if after, _ := h.AfterPosition(); after != nil {
		pred := afterPredicate([]string{"type(" + r + ")", m + ".id"}, []bool{false, false}, r+".id", after, c.param)
		if pageWhere == "" {
			pageWhere = " WHERE " + pred
		} else {
			pageWhere += " AND " + pred
		}
	}
	page := "[]"
	if h.First > 0 {
		order := m + ".id, " + r + ".id"
		if len(h.Types) != 1 {
			order = "type(" + r + "), " + order
		}
		item := c.rel(r, h) + ", " + c.node(m, farKind(h), h.Props, h.Hops, depth)
		if h.Direction != kg.Out && h.Direction != kg.In {
			item += ", startNode(" + r + ") = " + v
		}
		page = fmt.Sprintf("COLLECT { MATCH %s%s WITH %s, %s ORDER BY %s LIMIT %s RETURN [%s] }",
			pattern, pageWhere, r, m, order, c.param(int64(h.First)), item)
	}
	// The total, and the count of those after h.After, which tells the
	// page's offset.
	total, remaining := "null", "null"
	if !h.NoTotal || h.First == 0 {
		total = fmt.Sprintf("COUNT { MATCH %s%s }", pattern, where)
		remaining = total
		if pageWhere != where {
			remaining = fmt.Sprintf("COUNT { MATCH %s%s }", pattern, pageWhere)
		}
	}
	expr := "[" + total + ", " + remaining + ", " + page + "]"
	if applies == "" {
		labels := make([]string, len(h.Kinds))
		for i, k := range h.Kinds {
			labels[i] = v + ":" + quote(string(k))
		}
		expr = "CASE WHEN " + strings.Join(labels, " OR ") + " THEN " + expr + " END"
	}
	return expr
}

// rel returns the projection of relationship variable r of hop h: the
// whole relationship where h.EdgeProps is nil, else a list of its id,
// its type unless h has one type, and the properties h.EdgeProps.
func (c *fetchCompiler) rel(r string, h *kg.Hop) string {
	if h.EdgeProps == nil {
		return r
	}
	parts := []string{r + ".id"}
	if len(h.Types) != 1 {
		parts = append(parts, "type("+r+")")
	}
	for _, p := range nodeProps(h.EdgeProps) {
		parts = append(parts, r+"."+quote(p))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// decodeFetched reads a projection made by fetchCompiler.node for a node
// of kind kind ("" when the plan does not know it).
func decodeFetched(raw any, kind kg.Kind, props []string, hops []*kg.Hop) (*kg.Fetched, error) {
	l, ok := raw.([]any)
	if !ok || len(l) == 0 {
		return nil, fmt.Errorf("fetch: a node is a %T", raw)
	}
	var n *kg.Node
	if wholeNode(props) {
		dn, ok := l[0].(drv.Node)
		if !ok {
			return nil, fmt.Errorf("fetch: a whole node is a %T", l[0])
		}
		whole, err := decodeNode(dn)
		if err != nil {
			return nil, err
		}
		n = kg.KeepProps(whole, props)
		l = l[1:]
	} else {
		id, _ := l[0].(string)
		l = l[1:]
		if kind == "" {
			if len(l) == 0 {
				return nil, fmt.Errorf("fetch: node %q has no labels", id)
			}
			labels, _ := l[0].([]any)
			var err error
			if kind, err = kindOfValues(id, labels); err != nil {
				return nil, err
			}
			l = l[1:]
		}
		names := nodeProps(props)
		if len(l) < len(names) {
			return nil, fmt.Errorf("fetch: node %q has %d values, want %d", id, len(l), len(names))
		}
		ps := make(kg.Props, len(names))
		for i, name := range names {
			if err := decodeProp(ps, name, l[i], func(name string) (*kg.PropSpec, bool) { return kg.NodePropSpec(kind, name) }); err != nil {
				return nil, fmt.Errorf("decoding node %q: %w", id, err)
			}
		}
		l = l[len(names):]
		n = &kg.Node{ID: id, Kind: kind, Props: ps}
	}
	if len(l) != len(hops) {
		return nil, fmt.Errorf("fetch: node %q has %d hop values, want %d", n.ID, len(l), len(hops))
	}
	return kg.WithHops(n, hops, func(i int, h *kg.Hop) (*kg.HopPage, bool, error) {
		hv, ok := l[i].([]any)
		if !ok {
			return nil, false, nil
		}
		pg, err := decodeHopPage(n.ID, h, hv)
		return pg, err == nil, err
	})
}

// decodeProp sets property name of ps to the stored value v, normalised
// (nothing where v is null or the name is not of the ontology).
func decodeProp(ps kg.Props, name string, v any, specOf func(string) (*kg.PropSpec, bool)) error {
	if v == nil {
		return nil
	}
	spec, ok := specOf(name)
	if !ok || spec.Type == kg.SeriesType {
		return nil
	}
	nv, err := kg.NormalizeValue(loose(spec), v)
	if err != nil {
		return fmt.Errorf("property %q: %w", name, err)
	}
	ps[name] = nv
	return nil
}

// decodeHopPage reads the value of hop h from the node with id parent.
func decodeHopPage(parent string, h *kg.Hop, v []any) (*kg.HopPage, error) {
	if len(v) != 3 {
		return nil, fmt.Errorf("fetch: hop %q: %d values, want 3", h.Key, len(v))
	}
	items, _ := v[2].([]any)
	var pg *kg.HopPage
	total, okT := v[0].(int64)
	remaining, okR := v[1].(int64)
	if okT && okR {
		pg = &kg.HopPage{Total: int(total), Offset: int(total - remaining)}
	} else if h.NoTotal && v[0] == nil {
		pg = &kg.HopPage{Total: len(items)}
	} else {
		return nil, fmt.Errorf("fetch: hop %q: total is a %T", h.Key, v[0])
	}
	pg.Items = make([]kg.HopItem, 0, len(items))
	farK := farKind(h)
	for _, it := range items {
		il, ok := it.([]any)
		if !ok || len(il) < 2 {
			return nil, fmt.Errorf("fetch: hop %q: an item is a %T", h.Key, it)
		}
		far, err := decodeFetched(il[1], farK, h.Props, h.Hops)
		if err != nil {
			return nil, err
		}
		from, to := parent, far.Node.ID
		switch h.Direction {
		case kg.Out:
		case kg.In:
			from, to = to, from
		default:
			if out, _ := il[len(il)-1].(bool); len(il) < 3 || !out {
				from, to = to, from
			}
		}
		e, err := decodeHopEdge(h, il[0], from, to)
		if err != nil {
			return nil, err
		}
		pg.Items = append(pg.Items, kg.HopItem{Edge: e, Node: far})
	}
	return pg, nil
}

// decodeHopEdge reads a relationship projection made by fetchCompiler.rel.
func decodeHopEdge(h *kg.Hop, raw any, from, to string) (*kg.Edge, error) {
	if h.EdgeProps == nil {
		rel, ok := raw.(drv.Relationship)
		if !ok {
			return nil, fmt.Errorf("fetch: hop %q: a relationship is a %T", h.Key, raw)
		}
		return decodeEdge(rel, from, to)
	}
	l, ok := raw.([]any)
	if !ok || len(l) == 0 {
		return nil, fmt.Errorf("fetch: hop %q: a relationship is a %T", h.Key, raw)
	}
	id, _ := l[0].(string)
	l = l[1:]
	var t kg.RelType
	if len(h.Types) == 1 {
		t = h.Types[0]
	} else if len(l) > 0 {
		s, _ := l[0].(string)
		t, l = kg.RelType(s), l[1:]
	}
	if !kg.ValidRelType(t) {
		return nil, fmt.Errorf("decoding relationship %q: unknown type %q", id, t)
	}
	names := nodeProps(h.EdgeProps)
	if len(l) != len(names) {
		return nil, fmt.Errorf("fetch: relationship %q has %d values, want %d", id, len(l), len(names))
	}
	ps := make(kg.Props, len(names))
	for i, name := range names {
		if err := decodeProp(ps, name, l[i], func(name string) (*kg.PropSpec, bool) { return kg.EdgePropSpec(t, name) }); err != nil {
			return nil, fmt.Errorf("decoding relationship %q: %w", id, err)
		}
	}
	return &kg.Edge{ID: id, Type: t, From: from, To: to, Props: ps}, nil
}
