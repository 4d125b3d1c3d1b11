package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/kg"
)

// seriesFields are the fields that read yearly series, by kind.
var seriesFields = map[kg.Kind]map[string][]string{
	kg.Enterprise: {"figures": {"revenue", "rdInvestment", "rdDeduction", "employees", "aboveScaleByYear"}, "highTech": {"highTechGranted", "highTechValidUntil"}},
	kg.Makerspace: {"figures": {"makersServed"}},
}

// fieldProps returns the properties a scalar field of kind k reads; ok
// is false when it needs the whole node (timestamps, or a field the
// planner does not know).
func fieldProps(k kg.Kind, field string) (props []string, ok bool) {
	switch field {
	case "__typename", "id", "kind":
		return nil, true
	case "createdAt", "updatedAt":
		return nil, false
	}
	if ps, found := seriesFields[k][field]; found {
		return ps, true
	}
	if _, found := kg.NodePropSpec(k, field); found {
		return []string{field}, true
	}
	return nil, false
}

// hopper is a node view that may carry the pages a plan read.
type hopper interface {
	ID() string
	HopPage(key string) *kg.HopPage
}

// planned returns the page a fetch plan read for the field being resolved
// at obj: the one keyed by the field's alias. Nil when the field was not
// planned.
func planned(ctx context.Context, obj hopper) *kg.HopPage {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil {
		return nil
	}
	return obj.HopPage(fc.Field.Alias)
}

// planner turns the selection of a root field into the props and hops
// of a kg.FetchPlan: every relationship field below it, at any depth,
// through fragments, inline fragments and aliases, with its arguments,
// and the properties its nodes' scalar fields read. A field it cannot
// plan (invalid arguments, an alias that means different things on one
// node, hops beyond kg.MaxFetchHops or kg.MaxFetchDepth) is left out: its
// resolver reads it through the loaders, and reports its errors, as
// without a plan. A field's filters (see hopFilter) become the hop's
// conditions; a field with an order, or one whose nodeCount is read, is
// left out too: the loaders read every relationship of the field, which
// those need.
type planner struct {
	op   *graphql.OperationContext
	hops int
	// memo holds the hops planned for a field, by its alias, arguments
	// and selections, so that a field selected on an interface is planned
	// once, not once per kind at every level.
	memo map[string]*kg.Hop
	// partial tells that a relationship field was left out.
	partial bool
}

// newPlanner returns a planner for the operation of ctx.
func newPlanner(ctx context.Context) *planner {
	return &planner{op: graphql.GetOperationContext(ctx), memo: map[string]*kg.Hop{}}
}

// rootSelection returns the selection set of the field being resolved.
func rootSelection(ctx context.Context) ast.SelectionSet {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return nil
	}
	return fc.Field.Selections
}

// connectionNodes returns the selection sets of `edges { node }` in the
// selection of a connection.
func (p *planner) connectionNodes(sel ast.SelectionSet, typ string) []ast.SelectionSet {
	var out []ast.SelectionSet
	for _, f := range graphql.CollectFields(p.op, sel, []string{typ}) {
		if f.Name != "edges" {
			continue
		}
		edgeType := strings.TrimSuffix(typ, "Connection") + "Edge"
		for _, g := range graphql.CollectFields(p.op, f.Selections, []string{edgeType}) {
			if g.Name == "node" {
				out = append(out, g.Selections)
			}
		}
	}
	return out
}

// relationProps returns what the selection of a RelationConnection reads
// besides its nodes: whether it reads the total (totalCount, pageInfo),
// whether it counts distinct nodes (nodeCount, which a fetch plan does
// not read), and the properties of its relationships (nil: all of them,
// for a field the planner does not know).
func (p *planner) relationProps(sel ast.SelectionSet) (total, distinct bool, edgeProps []string) {
	edgeProps = []string{}
	for _, f := range graphql.CollectFields(p.op, sel, []string{"RelationConnection"}) {
		switch f.Name {
		case "nodeCount":
			distinct = true
		case "totalCount", "pageInfo":
			total = true
		case "edges":
			for _, g := range graphql.CollectFields(p.op, f.Selections, []string{"RelationEdge"}) {
				if g.Name != "relation" {
					continue
				}
				for _, r := range graphql.CollectFields(p.op, g.Selections, []string{"Relation"}) {
					switch {
					case r.Name == "__typename" || r.Name == "id" || r.Name == "type" || r.Name == "from" || r.Name == "to":
					case edgeProp(r.Name):
						if edgeProps != nil && !slices.Contains(edgeProps, r.Name) {
							edgeProps = append(edgeProps, r.Name)
						}
					default:
						edgeProps = nil
					}
				}
			}
		}
	}
	return total, distinct, edgeProps
}

// edgeProp reports whether a Relation field reads the property of its
// name, of some relationship type.
func edgeProp(name string) bool {
	for _, t := range kg.RelTypes {
		if _, ok := kg.EdgePropSpec(t, name); ok {
			return true
		}
	}
	return false
}

// nodes plans the selection sets sels at nodes of the given kinds: the
// properties their fields read (nil: whole nodes) and their hops.
func (p *planner) nodes(sels []ast.SelectionSet, kinds []kg.Kind, depth int) ([]string, []*kg.Hop) {
	props := []string{}
	whole := false
	var hops []*kg.Hop
	dropped := map[string]bool{}
	for _, sel := range sels {
		for _, k := range kinds {
			for _, f := range graphql.CollectFields(p.op, sel, []string{string(k), "Node"}) {
				h, isRel := p.hop(k, f, depth)
				if !isRel {
					ps, ok := fieldProps(k, f.Name)
					whole = whole || !ok
					for _, name := range ps {
						if !slices.Contains(props, name) {
							props = append(props, name)
						}
					}
					continue
				}
				if h == nil || dropped[f.Alias] {
					dropped[f.Alias] = true
					continue
				}
				hops = mergeHop(hops, h, dropped)
			}
		}
	}
	hops = slices.DeleteFunc(hops, func(h *kg.Hop) bool { return dropped[h.Key] })
	p.partial = p.partial || len(dropped) > 0
	for _, h := range hops {
		if !slices.ContainsFunc(kinds, func(k kg.Kind) bool { return !slices.Contains(h.Kinds, k) }) {
			h.Kinds = nil // it applies to every node it can meet
		}
	}
	if whole {
		props = nil
	}
	return props, hops
}

// mergeHop adds h (for one kind) to hops: into the hop of the same key
// and plan, if there is one; as its own hop if the key is new; otherwise
// (one alias, two meanings on nodes of one kind, through different
// selections of one connection) the key is dropped.
func mergeHop(hops []*kg.Hop, h *kg.Hop, dropped map[string]bool) []*kg.Hop {
	sig := hopSig(h)
	for _, o := range hops {
		if o.Key != h.Key {
			continue
		}
		if hopSig(o) == sig {
			for _, k := range h.Kinds {
				if !slices.Contains(o.Kinds, k) {
					o.Kinds = append(o.Kinds, k)
				}
			}
			return hops
		}
		for _, k := range h.Kinds {
			if slices.Contains(o.Kinds, k) {
				dropped[h.Key] = true
				return hops
			}
		}
	}
	return append(hops, h)
}

// hopSig is a hop's plan without its kinds, for comparing hops.
func hopSig(h *kg.Hop) string {
	b, _ := json.Marshal(struct {
		Types       []kg.RelType
		Dir         kg.Direction
		AsOf, First int
		After       string
		Props       []string
		EdgeProps   []string
		NoTotal     bool
		Where, Far  []kg.Condition
		Hops        []string
	}{h.Types, h.Direction, h.AsOf, h.First, h.After, h.Props, h.EdgeProps, h.NoTotal, h.Where, h.FarWhere, subSigs(h.Hops)})
	return string(b)
}

func subSigs(hops []*kg.Hop) []string {
	out := make([]string, len(hops))
	for i, h := range hops {
		ks := slices.Clone(h.Kinds)
		slices.Sort(ks)
		out[i] = fmt.Sprintf("%s%v%s", h.Key, ks, hopSig(h))
	}
	return out
}

// relSpecOf returns the relationship types and direction that field name
// of a node of kind k follows, with arguments args (a field's
// ArgumentMap, which holds the schema's defaults): those its @rel
// declares, or those the arguments of `relations` name. isRel is false
// for a field that follows no relationship; the direction is empty when
// `direction` is null, which the resolver refuses.
func relSpecOf(k kg.Kind, name string, args map[string]any) (spec relSpec, isRel bool) {
	spec, typed := relFields[k][name]
	if typed {
		return spec, true
	}
	if name != "relations" {
		return relSpec{}, false
	}
	if d, ok := args["direction"].(string); ok {
		spec.dir = kg.Direction(d)
	}
	if ts, ok := args["types"].([]any); ok {
		for _, t := range ts {
			spec.types = append(spec.types, kg.RelType(fmt.Sprint(t)))
		}
	}
	return spec, true
}

// hop plans field f of a node of kind k. isRel tells a relationship
// field; h is nil when it cannot be planned.
func (p *planner) hop(k kg.Kind, f graphql.CollectedField, depth int) (h *kg.Hop, isRel bool) {
	args := f.ArgumentMap(p.op.Variables)
	spec, isRel := relSpecOf(k, f.Name, args)
	if !isRel {
		return nil, false
	}
	if spec.dir == "" {
		return nil, true // a null direction, which the resolver refuses
	}
	if depth >= kg.MaxFetchDepth || p.hops >= kg.MaxFetchHops {
		return nil, true
	}
	rf, ok := hopFilter(args)
	if !ok {
		return nil, true // ordered, or arguments the resolver refuses
	}
	first, ok := pageSize(args)
	if !ok {
		return nil, true
	}
	after := ""
	if a, isStr := args["after"].(string); isStr {
		if _, err := kg.DecodeRelationCursor(a, spec.types, spec.dir, nil); err != nil {
			return nil, true
		}
		after = a
	} else if args["after"] != nil {
		return nil, true
	}
	asOf, ok := intArg(args["asOf"], 0)
	if !ok || asOf < 0 {
		return nil, true
	}
	h = &kg.Hop{Key: f.Alias, Kinds: []kg.Kind{k}, Types: spec.types, Direction: spec.dir, AsOf: asOf, First: first, After: after,
		Where: rf.edge, FarWhere: rf.far}
	memoKey := fmt.Sprintf("%d|%s|%v|%s|%d|%d|%q|%v|%v|%p", depth, f.Alias, spec.types, spec.dir, asOf, first, after, rf.edge, rf.far, f.Selections)
	for _, s := range f.Selections {
		memoKey += fmt.Sprintf(",%p", s)
	}
	if m, ok := p.memo[memoKey]; ok {
		h.Props, h.Hops, h.EdgeProps, h.NoTotal = m.Props, m.Hops, m.EdgeProps, m.NoTotal
		return h, true
	}
	total, distinct, edgeProps := p.relationProps(f.Selections)
	if distinct {
		return nil, true // nodeCount: read through the loaders
	}
	p.hops++
	h.Props, h.Hops = []string{}, nil
	h.NoTotal = !total && first > 0
	if first > 0 {
		h.Props, h.Hops = p.nodes(p.connectionNodes(f.Selections, "RelationConnection"), kg.Kinds, depth+1)
		h.EdgeProps = edgeProps
	}
	p.memo[memoKey] = h
	return h, true
}

// hopFilter reads the filter arguments of a relationship field (`year`,
// `category`, `status`, `levelAtLeast`) into the relFilter its resolver
// builds from them, whose conditions the hop carries. ok is false when
// the field cannot be planned: it has an order, or a value the resolver
// refuses (or that arrives in a shape the planner does not read), so its
// resolver reads it and reports its error.
func hopFilter(args map[string]any) (rf relFilter, ok bool) {
	if args["orderBy"] != nil {
		return rf, false
	}
	if y := args["year"]; y != nil {
		v, ok := intArg(y, 0)
		if !ok || rf.inYear(&v) != nil {
			return rf, false
		}
	}
	for _, name := range []string{"category", "status"} {
		l := args[name]
		if l == nil {
			continue
		}
		xs, isList := l.([]any)
		if !isList {
			return rf, false
		}
		vals := make([]string, len(xs))
		for i, x := range xs {
			s, isStr := x.(string)
			if !isStr {
				return rf, false
			}
			vals[i] = s
		}
		anyOf(&rf, name, vals)
	}
	if l := args["levelAtLeast"]; l != nil {
		s, isStr := l.(string)
		if !isStr {
			return rf, false
		}
		level := model.Level(s)
		rf.levelAtLeast(&level)
	}
	return rf, true
}

// pageSize reads the `first` of a field that pages from its ArgumentMap,
// which holds the schema's default when the request gives none. ok is
// false for a null (a variable set to null) or a size out of range, which
// the field's resolver refuses.
func pageSize(args map[string]any) (first int, ok bool) {
	if args["first"] == nil {
		return 0, false
	}
	first, ok = intArg(args["first"], 0)
	return first, ok && checkFirst("first", first, 0) == nil
}

// intArg reads an Int argument; def when it is absent or null.
func intArg(v any, def int) (int, bool) {
	switch x := v.(type) {
	case nil:
		return def, true
	case int:
		return x, true
	case int64:
		return int(x), true
	case int32:
		return int(x), true
	case float64:
		return int(x), x == float64(int(x))
	case json.Number:
		n, err := x.Int64()
		return int(n), err == nil
	}
	return 0, false
}

// fetchList reads the page of a root list with every planned field below
// it in one store call; with q.First 0 it counts, reading no node.
func fetchList(ctx context.Context, s kg.Store, q kg.NodeQuery, connType string) (*kg.FetchResult, error) {
	plan := kg.FetchPlan{Query: &q, Props: []string{}}
	if q.First > 0 {
		p := newPlanner(ctx)
		plan.Props, plan.Hops = p.nodes(p.connectionNodes(rootSelection(ctx), connType), []kg.Kind{q.Kind}, 0)
	}
	return s.Fetch(ctx, plan)
}

// fetchNodes reads nodes by id with every planned field below them in one
// store call; nil where there is no node.
func fetchNodes(ctx context.Context, s kg.Store, ids []string) ([]model.Node, error) {
	p := newPlanner(ctx)
	plan := kg.FetchPlan{IDs: ids}
	plan.Props, plan.Hops = p.nodes([]ast.SelectionSet{rootSelection(ctx)}, kg.Kinds, 0)
	res, err := s.Fetch(ctx, plan)
	if err != nil {
		return nil, err
	}
	out := make([]model.Node, len(res.Roots))
	for i, f := range res.Roots {
		out[i] = model.WrapFetched(f)
	}
	return out, nil
}
