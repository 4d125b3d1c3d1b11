package neo4j

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	drv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/kg"
)

// cypherFetchQuery reads a plan whose roots are a node query: the counts
// and the page of cypherFindNodes, each root projected with its hops.
// %[1]s is the kind label, %[2]s and %[3]s the WHERE clauses of the count
// and of the page, %[4]s the ORDER BY keys, %[5]s the projection of n,
// %[6]s the count of the matches after the cursor (see remainingCount).
const cypherFetchQuery = cypherTotal + `
%[6]s
CALL () { MATCH (n:%[1]s) %[3]s WITH n ORDER BY %[4]s LIMIT $limit RETURN collect(%[5]s) AS page }
RETURN total, remaining, page`

// cypherFetchCount counts the roots of a query whose page is empty
// (first 0): %[1]s, %[2]s and %[3]s as %[1]s, %[2]s and %[6]s of
// cypherFetchQuery.
const cypherFetchCount = cypherTotal + `
%[3]s
RETURN total, remaining, [] AS page`

// cypherFetchIDs reads a plan whose roots are nodes by id: %s is the
// projection of n. (Aggregating in WITH yields one record when no id
// matches.)
const cypherFetchIDs = `MATCH (n:Node) WHERE n.id IN $ids WITH collect(%s) AS page RETURN 0 AS total, 0 AS remaining, page`

// Fetch reads a plan in one statement: the roots, and for every hop a
// COLLECT subquery that orders, skips and limits the relationships of
// each parent as kg.SortNeighbors orders them, and a COUNT subquery for
// the total where the plan wants it. The result carries no map keys and
// no more than the request reads, in as few lists as it can: every node
// is one list of the values the plan asks for (see nodeShape), its hops'
// values among them, and every relationship of a page one list of its
// values and those of the node at its other end (see hopShape). The
// shapes the statement is compiled with read its result back.
func (s *Store) Fetch(ctx context.Context, p kg.FetchPlan) (*kg.FetchResult, error) {
	if err := kg.ValidateFetchPlan(&p); err != nil {
		return nil, err
	}
	if p.Query == nil && len(p.IDs) == 0 {
		return &kg.FetchResult{Roots: []*kg.Fetched{}}, nil
	}
	cypher, params, shape, err := compileFetch(p)
	if err != nil {
		return nil, err
	}
	return readOnce(ctx, s, "fetch", func(tx runner) (*kg.FetchResult, error) {
		total, remaining, raw, err := countsAndPage(ctx, tx, cypher, params)
		if err != nil {
			return nil, err
		}
		res := &kg.FetchResult{}
		if p.Query != nil {
			res.Roots = make([]*kg.Fetched, len(raw))
			b := newFetchBuf(shape, raw)
			for i, r := range raw {
				l, ok := r.([]any)
				if !ok {
					return nil, fmt.Errorf("fetch: a root is a %T", r)
				}
				if res.Roots[i], err = shape.decode(l, b); err != nil {
					return nil, err
				}
			}
			res.TotalCount, res.Offset, res.HasNextPage = int(total), int(total-remaining), len(raw) < int(remaining)
			return res, nil
		}
		byID := make(map[string][]any, len(raw))
		for _, r := range raw {
			l, _ := r.([]any)
			if len(l) == 0 {
				return nil, fmt.Errorf("fetch: a root is a %T", r)
			}
			id, _ := l[0].(string)
			if dn, ok := l[0].(drv.Node); ok {
				id, _ = dn.Props[propID].(string)
			}
			byID[id] = l
		}
		res.Roots = make([]*kg.Fetched, len(p.IDs))
		var found []any
		for _, id := range p.IDs {
			if l, ok := byID[id]; ok {
				found = append(found, l)
			}
		}
		b := newFetchBuf(shape, found)
		for i, id := range p.IDs {
			if l, ok := byID[id]; ok {
				// A repeated id is decoded again: every root is a copy of its own.
				if res.Roots[i], err = shape.decode(l, b); err != nil {
					return nil, err
				}
			}
		}
		return res, nil
	})
}

// compileFetch returns the statement that reads a valid plan with roots,
// its parameters, and the shape of its roots' projections.
func compileFetch(p kg.FetchPlan) (cypher string, params map[string]any, shape *nodeShape, err error) {
	c := &fetchCompiler{params: map[string]any{}}
	if p.Query == nil {
		c.params["ids"] = p.IDs
		proj, shape := c.node("n", "", p.Props, p.Hops, 0)
		return fmt.Sprintf(cypherFetchIDs, proj), c.params, shape, nil
	}
	q := *p.Query
	after, err := q.AfterPosition()
	if err != nil {
		return "", nil, nil, err
	}
	c.params["limit"] = int64(q.First)
	countWhere, pageWhere, order := findClauses(q, after, c.params)
	proj, shape := c.node("n", q.Kind, p.Props, p.Hops, 0)
	cypher = fmt.Sprintf(cypherFetchQuery, quote(string(q.Kind)), countWhere, pageWhere, order, proj, remainingCount(q.Kind, after != nil, pageWhere))
	if q.First == 0 {
		// Count only: no page to read (the planner would still plan,
		// and might sort, the page's matches).
		delete(c.params, "limit")
		cypher = fmt.Sprintf(cypherFetchCount, quote(string(q.Kind)), countWhere, remainingCount(q.Kind, after != nil, pageWhere))
	}
	return cypher, c.params, shape, nil
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

// nodeShape is the layout of a node's projection, one list: the whole
// node where wholeNode(props), else its id, its labels unless its kind
// is known, and the values of the properties nodeProps(props); then the
// values of each hop (see hopShape), none for a hop that does not apply
// to the known kind.
type nodeShape struct {
	kind  kg.Kind // "" when read from the labels
	whole bool
	props []string // as the plan asks, to trim whole nodes
	names []string // nodeProps(props)
	// specs are the specs of names by kind (nil where a name is not a
	// scalar property of the kind): for the known kind, or for every
	// kind.
	specs map[kg.Kind][]*kg.PropSpec
	hops  []*hopShape
	width int // the values of the list
	// pages counts the hops that may apply to a node: the pages a node
	// may hold.
	pages int
}

// hopShape is the layout of the values of a hop in its parent's list:
// the total and the count of those after h.After where the plan wants
// the total (the count only where there is an After: without, it is the
// total), and the page where h.First is not 0, each null where the hop
// does not apply to the parent's kind. A page is a list of items, each
// one list: the values of the relationship (the whole relationship
// where h.EdgeProps is nil, else its id, its type unless h has one type,
// and the values of nodeProps(h.EdgeProps)), those of the node at the
// other end (see nodeShape) and, for both directions, whether the
// relationship starts at the parent.
type hopShape struct {
	h                      *kg.Hop
	total, remaining, page bool
	width                  int // the hop's values in the parent's list (0: does not apply)
	relWhole, relType      bool
	relWidth               int // the relationship's values in an item
	relNames               []string
	relSpecs               map[kg.RelType][]*kg.PropSpec
	far                    *nodeShape
	stride                 int // the values of an item
}

// node returns the projection of node variable v of kind kind ("" when
// not known) and its shape. depth is the depth of v in the plan.
func (c *fetchCompiler) node(v string, kind kg.Kind, props []string, hops []*kg.Hop, depth int) (string, *nodeShape) {
	sh := &nodeShape{kind: kind, whole: wholeNode(props), props: props}
	var parts []string
	if sh.whole {
		parts = append(parts, v)
	} else {
		parts = append(parts, v+".id")
		if kind == "" {
			parts = append(parts, "labels("+v+")")
		}
		sh.names = nodeProps(props)
		for _, p := range sh.names {
			parts = append(parts, v+"."+quote(p))
		}
		kinds := kg.Kinds
		if kind != "" {
			kinds = []kg.Kind{kind}
		}
		sh.specs = make(map[kg.Kind][]*kg.PropSpec, len(kinds))
		for _, k := range kinds {
			specs := make([]*kg.PropSpec, len(sh.names))
			for i, name := range sh.names {
				if spec, ok := kg.NodePropSpec(k, name); ok && spec.Type != kg.SeriesType {
					specs[i] = spec
				}
			}
			sh.specs[k] = specs
		}
	}
	for _, h := range hops {
		vals, hs := c.hop(v, kind, h, depth+1)
		parts = append(parts, vals...)
		sh.hops = append(sh.hops, hs)
		if hopApplies(h, kind) != "no" {
			sh.pages++
		}
	}
	sh.width = len(parts)
	return "[" + strings.Join(parts, ", ") + "]", sh
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

// hop returns the values of hop h from node variable v of kind kind (""
// when not known), as hopShape lays them out, and their shape.
func (c *fetchCompiler) hop(v string, kind kg.Kind, h *kg.Hop, depth int) ([]string, *hopShape) {
	sh := &hopShape{h: h}
	applies := hopApplies(h, kind)
	if applies == "no" {
		return nil, sh
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
	var vals []string
	// The total, and the count of those after h.After, which tells the
	// page's offset.
	if !h.NoTotal || h.First == 0 {
		sh.total = true
		vals = append(vals, fmt.Sprintf("COUNT { MATCH %s%s }", pattern, where))
		if pageWhere != where {
			sh.remaining = true
			vals = append(vals, fmt.Sprintf("COUNT { MATCH %s%s }", pattern, pageWhere))
		}
	}
	if h.First > 0 {
		sh.page = true
		order := m + ".id, " + r + ".id"
		if len(h.Types) != 1 {
			order = "type(" + r + "), " + order
		}
		relVals := c.rel(r, h, sh)
		farProj, far := c.node(m, farKind(h), h.Props, h.Hops, depth)
		sh.far = far
		// The item is one list: the relationship's values, then the far
		// node's (its projection without the brackets).
		item := strings.Join(relVals, ", ") + ", " + farProj[1:len(farProj)-1]
		sh.relWidth = len(relVals)
		sh.stride = len(relVals) + far.width
		if h.Direction != kg.Out && h.Direction != kg.In {
			item += ", startNode(" + r + ") = " + v
			sh.stride++
		}
		vals = append(vals, fmt.Sprintf("COLLECT { MATCH %s%s WITH %s, %s ORDER BY %s LIMIT %s RETURN [%s] }",
			pattern, pageWhere, r, m, order, c.param(int64(h.First)), item))
	}
	if applies == "" {
		labels := make([]string, len(h.Kinds))
		for i, k := range h.Kinds {
			labels[i] = v + ":" + quote(string(k))
		}
		for i, e := range vals {
			vals[i] = "CASE WHEN " + strings.Join(labels, " OR ") + " THEN " + e + " END"
		}
	}
	sh.width = len(vals)
	return vals, sh
}

// rel returns the values of relationship variable r of hop h, as
// hopShape lays them out, and notes their layout in sh.
func (c *fetchCompiler) rel(r string, h *kg.Hop, sh *hopShape) []string {
	if h.EdgeProps == nil {
		sh.relWhole = true
		return []string{r}
	}
	parts := []string{r + ".id"}
	if len(h.Types) != 1 {
		sh.relType = true
		parts = append(parts, "type("+r+")")
	}
	sh.relNames = nodeProps(h.EdgeProps)
	for _, p := range sh.relNames {
		parts = append(parts, r+"."+quote(p))
	}
	types := h.Types
	if len(types) == 0 {
		types = kg.RelTypes
	}
	sh.relSpecs = make(map[kg.RelType][]*kg.PropSpec, len(types))
	for _, t := range types {
		specs := make([]*kg.PropSpec, len(sh.relNames))
		for i, name := range sh.relNames {
			if spec, ok := kg.EdgePropSpec(t, name); ok && spec.Type != kg.SeriesType {
				specs[i] = spec
			}
		}
		sh.relSpecs[t] = specs
	}
	return parts
}

// fetchedNode holds a fetched node and its node in one allocation.
type fetchedNode struct {
	f kg.Fetched
	n kg.Node
}

// fetchBuf hands out the values a fetched tree needs from backing
// arrays sized for the whole tree (see size), so that decoding allocates
// per value only the maps of properties and of pages.
type fetchBuf struct {
	nodes []fetchedNode
	pages []kg.HopPage
	edges []kg.Edge
	items []kg.HopItem
}

// newFetchBuf returns the buffer for the nodes of shape sh projected in
// roots.
func newFetchBuf(sh *nodeShape, roots []any) *fetchBuf {
	var n fetchCounts
	for _, r := range roots {
		l, _ := r.([]any)
		sh.size(l, &n)
	}
	return &fetchBuf{
		nodes: make([]fetchedNode, n.nodes),
		pages: make([]kg.HopPage, n.pages),
		edges: make([]kg.Edge, n.edges),
		items: make([]kg.HopItem, n.items),
	}
}

// fetchCounts counts what a fetched tree holds.
type fetchCounts struct{ nodes, pages, edges, items int }

// size adds to n what decoding the projection l of a node of shape sh
// takes (at most: a page for every hop that may apply). It reads no
// more than it finds: decode checks the projection.
func (sh *nodeShape) size(l []any, n *fetchCounts) {
	n.nodes++
	n.pages += sh.pages
	if len(l) != sh.width {
		return
	}
	i := sh.width
	for j := len(sh.hops) - 1; j >= 0; j-- {
		hs := sh.hops[j]
		i -= hs.width
		if !hs.page {
			continue
		}
		items, _ := l[i+hs.width-1].([]any)
		n.items += len(items)
		if !hs.relWhole {
			n.edges += len(items)
		}
		for _, it := range items {
			if il, _ := it.([]any); len(il) == hs.stride {
				hs.far.size(il[hs.relWidth:hs.relWidth+hs.far.width], n)
			}
		}
	}
}

// next takes the first element of the preallocated *free, allocating one
// when it is used up.
func next[T any](free *[]T) *T {
	if len(*free) == 0 {
		*free = make([]T, 1)
	}
	v := &(*free)[0]
	*free = (*free)[1:]
	return v
}

// node returns the next fetched node, its Node set.
func (b *fetchBuf) node() *fetchedNode {
	fn := next(&b.nodes)
	fn.f.Node = &fn.n
	return fn
}

// page returns the next page.
func (b *fetchBuf) page() *kg.HopPage { return next(&b.pages) }

// edge returns the next relationship.
func (b *fetchBuf) edge() *kg.Edge { return next(&b.edges) }

// itemSlice returns a slice of n items.
func (b *fetchBuf) itemSlice(n int) []kg.HopItem {
	if len(b.items) < n {
		return make([]kg.HopItem, n)
	}
	out := b.items[:n:n]
	b.items = b.items[n:]
	return out
}

// decode reads the projection l of a node of shape sh, taking its
// values from b.
func (sh *nodeShape) decode(l []any, b *fetchBuf) (*kg.Fetched, error) {
	if len(l) != sh.width {
		return nil, fmt.Errorf("fetch: a node has %d values, want %d", len(l), sh.width)
	}
	fn := b.node()
	n := &fn.n
	if sh.whole {
		dn, ok := l[0].(drv.Node)
		if !ok {
			return nil, fmt.Errorf("fetch: a whole node is a %T", l[0])
		}
		whole, err := decodeNode(dn)
		if err != nil {
			return nil, err
		}
		*n = *kg.KeepProps(whole, sh.props)
		l = l[1:]
	} else {
		n.ID, _ = l[0].(string)
		l = l[1:]
		n.Kind = sh.kind
		if n.Kind == "" {
			labels, _ := l[0].([]any)
			var err error
			if n.Kind, err = kindOfValues(n.ID, labels); err != nil {
				return nil, err
			}
			l = l[1:]
		}
		if len(sh.names) > 0 {
			specs := sh.specs[n.Kind]
			n.Props = make(kg.Props, len(sh.names))
			for i, name := range sh.names {
				if l[i] == nil || specs == nil || specs[i] == nil {
					continue
				}
				v, err := decodeValue(specs[i], l[i])
				if err != nil {
					return nil, fmt.Errorf("decoding node %q: property %q: %w", n.ID, name, err)
				}
				n.Props[name] = v
			}
			l = l[len(sh.names):]
		}
	}
	for _, hs := range sh.hops {
		vals := l[:hs.width]
		l = l[hs.width:]
		if hs.width == 0 || !hs.h.Applies(n.Kind) {
			continue
		}
		pg := b.page()
		if err := hs.decode(n.ID, vals, pg, b); err != nil {
			return nil, err
		}
		if fn.f.Hops == nil {
			fn.f.Hops = make(map[string]*kg.HopPage, sh.pages)
		}
		fn.f.Hops[hs.h.Key] = pg
	}
	return &fn.f, nil
}

// decodeValue returns the stored value v of a property of spec,
// normalised as kg.NormalizeValue normalises it without the spec's
// checks, bounds and enum (see loose); v itself where it already is.
func decodeValue(spec *kg.PropSpec, v any) (any, error) {
	switch spec.Type {
	case kg.String, kg.EnumType:
		if s, ok := v.(string); ok && utf8.ValidString(s) {
			return v, nil
		}
	case kg.Int:
		if _, ok := v.(int64); ok {
			return v, nil
		}
	case kg.Float:
		if f, ok := v.(float64); ok && !math.IsNaN(f) && !math.IsInf(f, 0) {
			return v, nil
		}
	case kg.Bool:
		if _, ok := v.(bool); ok {
			return v, nil
		}
	}
	return kg.NormalizeValue(loose(spec), v)
}

// decode reads the values vals of hop hs from the node with id parent
// into pg.
func (hs *hopShape) decode(parent string, vals []any, pg *kg.HopPage, b *fetchBuf) error {
	h := hs.h
	var total, remaining int64
	if hs.total {
		var ok bool
		if total, ok = vals[0].(int64); !ok {
			return fmt.Errorf("fetch: hop %q: total is a %T", h.Key, vals[0])
		}
		vals = vals[1:]
		remaining = total
		if hs.remaining {
			if remaining, ok = vals[0].(int64); !ok {
				return fmt.Errorf("fetch: hop %q: the count after the cursor is a %T", h.Key, vals[0])
			}
			vals = vals[1:]
		}
	}
	var items []any
	if hs.page {
		var ok bool
		if items, ok = vals[0].([]any); !ok {
			return fmt.Errorf("fetch: hop %q: a page is a %T", h.Key, vals[0])
		}
	}
	if hs.total {
		pg.Total, pg.Offset = int(total), int(total-remaining)
	} else {
		pg.Total = len(items)
	}
	pg.Items = b.itemSlice(len(items))
	for i, it := range items {
		il, ok := it.([]any)
		if !ok || len(il) != hs.stride {
			return fmt.Errorf("fetch: hop %q: an item is a %T of %d values, want %d", h.Key, it, len(il), hs.stride)
		}
		far, err := hs.far.decode(il[hs.relWidth:hs.relWidth+hs.far.width], b)
		if err != nil {
			return err
		}
		from, to := parent, far.Node.ID
		switch h.Direction {
		case kg.Out:
		case kg.In:
			from, to = to, from
		default:
			if out, _ := il[len(il)-1].(bool); !out {
				from, to = to, from
			}
		}
		e, err := hs.decodeEdge(il[:hs.relWidth], from, to, b)
		if err != nil {
			return err
		}
		pg.Items[i] = kg.HopItem{Edge: e, Node: far}
	}
	return nil
}

// decodeEdge reads the values of a relationship of hs's page, as
// fetchCompiler.rel writes them (and, for both directions, the
// direction after them, ignored here).
func (hs *hopShape) decodeEdge(vals []any, from, to string, b *fetchBuf) (*kg.Edge, error) {
	h := hs.h
	if hs.relWhole {
		rel, ok := vals[0].(drv.Relationship)
		if !ok {
			return nil, fmt.Errorf("fetch: hop %q: a relationship is a %T", h.Key, vals[0])
		}
		return decodeEdge(rel, from, to)
	}
	e := b.edge()
	e.ID, _ = vals[0].(string)
	e.From, e.To = from, to
	vals = vals[1:]
	if hs.relType {
		s, _ := vals[0].(string)
		e.Type, vals = kg.RelType(s), vals[1:]
	} else {
		e.Type = h.Types[0]
	}
	specs, ok := hs.relSpecs[e.Type]
	if !ok || !kg.ValidRelType(e.Type) {
		return nil, fmt.Errorf("decoding relationship %q: unknown type %q", e.ID, e.Type)
	}
	if len(hs.relNames) > 0 {
		e.Props = make(kg.Props, len(hs.relNames))
		for i, name := range hs.relNames {
			if vals[i] == nil || specs[i] == nil {
				continue
			}
			v, err := decodeValue(specs[i], vals[i])
			if err != nil {
				return nil, fmt.Errorf("decoding relationship %q: property %q: %w", e.ID, name, err)
			}
			e.Props[name] = v
		}
	}
	return e, nil
}
