package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/kg"
)

// Writer is an executable schema that answers a fully planned query
// itself: when every field the operation selects is served by the
// results of its fetch plans (one kg.Store Fetch per root field), it
// writes the JSON of the answer straight from those results instead of
// running gqlgen's executor over them, with the bytes the executor would
// write. Any other operation (and any planned one that meets an error:
// an unknown id, a refused argument, a failed read) is executed by the
// schema it wraps, unchanged.
//
// It sits below gqlgen's handler: parsing, validation, the complexity
// and document limits, the error presenter and the operation, response
// and root field interceptors (metrics, traces) all apply to both paths.
// Field interceptors do not run for the fields it writes.
//
// What it writes: the root fields node, nodes and the root lists (but an
// order by a derived key, see derivedKey), __typename; below them the
// nodes' scalar fields, figures and highTech, their typed relationship
// fields and relations (totalCount, pageInfo, edges with cursor, outgoing,
// relation and node), through fragments, inline fragments, aliases,
// variables, @skip and @include. A relationship field the planner leaves
// to the loaders (an order, nodeCount, limits) makes the operation the
// executor's; so does @defer.
//
// What it finds for an operation (whether it writes it, the fetch plans,
// the compiled selection sets) is kept for its next requests, by
// OperationKey, for the PlanCacheSize operations asked last.
type Writer struct {
	graphql.ExecutableSchema
	r *Resolver
	// plans holds what cover found for recent operations, by
	// OperationKey: a repeated query is neither checked nor planned again.
	plans *lru.LRU[*wplan]
}

// PlanCacheSize is the number of operations (query text, operation name
// and variables) whose check and fetch plans a Writer keeps.
const PlanCacheSize = 1000

// NewWriter returns es with the writer in front of it for the resolver
// r (whose store the plans read).
func NewWriter(es graphql.ExecutableSchema, r *Resolver) *Writer {
	return &Writer{ExecutableSchema: es, r: r, plans: lru.New[*wplan](PlanCacheSize)}
}

// wplan is what cover found for one operation with its variables: whether
// the writer answers it and, if so, its root fields with their fetch
// plans and the compiled selection sets. It is shared by the requests of
// the operation and never changed once made: the stores read the plans'
// hops without changing them, and write copies the roots.
type wplan struct {
	covered  bool
	roots    []*root
	compiled map[selKey][]wfield
	// sizes are the lengths of the roots' last answers, the room their
	// next ones start with.
	sizes []atomic.Int64
}

var written, fellBack atomic.Int64

// WriterCounts reports how many answers the writers of this process have
// written and how many planned operations they handed back to the
// executor because of an error met while writing.
func WriterCounts() (wrote, handedBack int64) { return written.Load(), fellBack.Load() }

// OperationKey returns the key under which what is derived from an
// operation alone — its check, plans, complexity — can be kept: the
// query text, the operation's name and its variables (as coerced,
// in canonical JSON). ok is false when the variables cannot be encoded;
// such an operation is not kept.
func OperationKey(op *graphql.OperationContext) (key string, ok bool) {
	var vars []byte
	if len(op.Variables) > 0 {
		var err error
		if vars, err = json.Marshal(op.Variables); err != nil {
			return "", false
		}
	}
	// Neither a name nor JSON holds a NUL byte.
	return op.OperationName + "\x00" + string(vars) + "\x00" + op.RawQuery, true
}

// plan returns what cover finds for the operation op, from the cache
// when the same operation was planned before.
func (w *Writer) plan(ctx context.Context, op *graphql.OperationContext) *wplan {
	key, keep := OperationKey(op)
	if keep {
		if p, ok := w.plans.Get(ctx, key); ok {
			return p
		}
	}
	wc := &writeCtx{op: op, compiled: map[selKey][]wfield{}}
	roots, ok := wc.cover(w.r)
	p := &wplan{covered: ok}
	if ok {
		p.roots, p.compiled, p.sizes = roots, wc.compiled, make([]atomic.Int64, len(roots))
	}
	if keep {
		w.plans.Add(ctx, key, p)
	}
	return p
}

// Exec answers the operation of ctx: by writing it when it is fully
// planned, otherwise through the wrapped schema.
func (w *Writer) Exec(ctx context.Context) graphql.ResponseHandler {
	op := graphql.GetOperationContext(ctx)
	p := w.plan(ctx, op)
	if !p.covered {
		return w.ExecutableSchema.Exec(ctx)
	}
	wc := &writeCtx{op: op, compiled: p.compiled, sizes: p.sizes}
	roots := make([]*root, len(p.roots))
	for i, rt := range p.roots {
		c := *rt // its errs are this request's
		roots[i] = &c
	}
	done := false
	return func(ctx context.Context) *graphql.Response {
		if done {
			return nil
		}
		done = true
		data, err := wc.write(ctx, w.r, roots)
		if err != nil {
			fellBack.Add(1)
			return w.ExecutableSchema.Exec(ctx)(ctx)
		}
		written.Add(1)
		markWritten(ctx, data)
		return &graphql.Response{Data: data}
	}
}

// errHandBack stops writing: the executor answers instead.
var errHandBack = errors.New("hand the operation back to the executor")

// writeCtx holds what writing one operation needs.
type writeCtx struct {
	op *graphql.OperationContext
	// compiled holds the fields of a selection set on a type, as
	// compile found them; cover fills it, write only reads it (through
	// fields), as requests of one operation share it.
	compiled map[selKey][]wfield
	// sizes hint the lengths of the roots' answers (see wplan).
	sizes []atomic.Int64
}

// fields returns the compiled fields of sel on type typ, which cover
// compiled.
func (wc *writeCtx) fields(sel ast.SelectionSet, typ string) []wfield {
	if len(sel) == 0 {
		return nil
	}
	return wc.compiled[selKey{&sel[0], len(sel), typ}]
}

type selKey struct {
	first *ast.Selection
	n     int
	typ   string
}

// wop is what a field writes.
type wop uint8

const (
	opTypename wop = iota
	opID
	opKind
	opName
	opAliases
	opCreatedAt
	opUpdatedAt
	opHighTech
	opFigures
	opRelated
	opProp
	opTotalCount
	opPageInfo
	opEdges
	opCursor
	opNode
	opOutgoing
	opRelation
	opFrom
	opTo
	opRelType
	opHasNextPage
	opHasPreviousPage
	opStartCursor
	opEndCursor
	opYear
	opFigure
	opAboveScaleYear
)

// wfield is one field of a selection set on one type.
type wfield struct {
	key  []byte // "alias":
	op   wop
	name string // the field's name: a property's, a figure's
	// alias is the field's alias: the key of the page of a hop.
	alias string
	typ   *ast.Type
	// typename is the value of __typename; enum marshals an enum value.
	typename string
	enum     func(string) graphql.Marshaler
	sel      ast.SelectionSet
	// Arguments of highTech and figures.
	year     int
	from, to *int
	// rel is what a relationship field follows: its edges' cursors name it.
	rel relSpec
}

// root is a root field to write and the plan that reads it.
type root struct {
	field    graphql.CollectedField
	typename bool
	// A root list: its kind, connection type and arguments.
	kind     kg.Kind
	connType string
	first    int
	after    *string
	filter   any
	order    []kg.SortKey
	// node or nodes: the ids.
	byID   bool
	ids    []string
	single bool
	// errs are the errors of its ids without a node.
	errs  []error
	props []string
	hops  []*kg.Hop
}

// rootList is a root list field: its kind, connection type and the
// types of its filter and order inputs.
type rootList struct {
	kind     kg.Kind
	connType string
	args     func(filter, order any) (any, []kg.SortKey, error)
}

func listArgs[F, O any](filter, order any) (any, []kg.SortKey, error) {
	var f *F
	if filter != nil {
		if err := roundTrip(filter, &f); err != nil {
			return nil, nil, err
		}
	}
	var o []*O
	if order != nil {
		if err := roundTrip(order, &o); err != nil {
			return nil, nil, err
		}
	}
	return f, orderKeys(o), nil
}

// roundTrip reads an argument value (as gqlparser gives it, variables
// included) into the input type v points to.
func roundTrip(v any, into any) error {
	b, err := json.Marshal(emptyLists(v))
	if err != nil {
		return err
	}
	return json.Unmarshal(b, into)
}

// emptyLists returns v with the empty lists gqlparser gives as nil
// slices ([] in a document) made empty, so that they do not read as null.
func emptyLists(v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = emptyLists(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = emptyLists(e)
		}
		return out
	}
	return v
}

var rootLists = map[string]rootList{
	"enterprises":     {kg.Enterprise, "EnterpriseConnection", listArgs[model.EnterpriseFilter, model.EnterpriseOrder]},
	"incubators":      {kg.Incubator, "IncubatorConnection", listArgs[model.CarrierFilter, model.IncubatorOrder]},
	"makerspaces":     {kg.Makerspace, "MakerspaceConnection", listArgs[model.CarrierFilter, model.MakerspaceOrder]},
	"talents":         {kg.Talent, "TalentConnection", listArgs[model.TalentFilter, model.NodeOrder]},
	"universities":    {kg.University, "UniversityConnection", listArgs[model.UniversityFilter, model.UniversityOrder]},
	"serviceAgencies": {kg.ServiceAgency, "ServiceAgencyConnection", listArgs[model.ServiceAgencyFilter, model.ServiceAgencyOrder]},
	"policies":        {kg.Policy, "PolicyConnection", listArgs[model.PolicyFilter, model.PolicyOrder]},
	"industries":      {kg.Industry, "IndustryConnection", listArgs[model.IndustryFilter, model.IndustryOrder]},
	"plans":           {kg.Plan, "PlanConnection", listArgs[model.NodeFilter, model.PlanOrder]},
	"indicators":      {kg.Indicator, "IndicatorConnection", listArgs[model.NodeFilter, model.IndicatorOrder]},
}

// enumMarshalers marshal the values of the schema's enums that nodes
// and relationships hold as properties, with the enums' own MarshalGQL.
var enumMarshalers = map[string]func(string) graphql.Marshaler{
	"Level":             func(s string) graphql.Marshaler { return model.Level(s) },
	"ServiceCategory":   func(s string) graphql.Marshaler { return model.ServiceCategory(s) },
	"UniversityKind":    func(s string) graphql.Marshaler { return model.UniversityKind(s) },
	"SupportStatus":     func(s string) graphql.Marshaler { return model.SupportStatus(s) },
	"ChainPosition":     func(s string) graphql.Marshaler { return model.ChainPosition(s) },
	"PolicyKind":        func(s string) graphql.Marshaler { return model.PolicyKind(s) },
	"CollaborationMode": func(s string) graphql.Marshaler { return model.CollaborationMode(s) },
	"Degree":            func(s string) graphql.Marshaler { return model.Degree(s) },
}

// nodeKindNames are the NodeKind values of the kinds, as gqlgen.yml
// binds them.
var nodeKindNames = map[kg.Kind]string{
	kg.Enterprise: "ENTERPRISE", kg.Incubator: "INCUBATOR", kg.Makerspace: "MAKERSPACE", kg.Talent: "TALENT",
	kg.University: "UNIVERSITY", kg.ServiceAgency: "SERVICE_AGENCY", kg.Policy: "POLICY", kg.Industry: "INDUSTRY",
	kg.Plan: "PLAN", kg.Indicator: "INDICATOR",
}

// cover reports whether the writer can answer the operation, and the
// root fields to write with their plans.
func (wc *writeCtx) cover(r *Resolver) ([]*root, bool) {
	op := wc.op
	if r.DisablePlanner || op.Operation == nil || op.Operation.Operation != ast.Query {
		return nil, false
	}
	var roots []*root
	for _, f := range graphql.CollectFields(op, op.Operation.SelectionSet, []string{"Query"}) {
		if f.IsDeferred() {
			return nil, false
		}
		rt := &root{field: f}
		p := &planner{op: op, memo: map[string]*kg.Hop{}}
		args := f.ArgumentMap(op.Variables)
		switch f.Name {
		case "__typename":
			rt.typename = true
			roots = append(roots, rt)
			continue
		case "node":
			id, ok := args["id"].(string)
			if !ok {
				return nil, false
			}
			rt.byID, rt.ids, rt.single = true, []string{id}, true
			rt.props, rt.hops = p.nodes([]ast.SelectionSet{f.Selections}, kg.Kinds, 0)
			if !wc.coverNodes(f.Selections, kg.Kinds) {
				return nil, false
			}
		case "nodes":
			list, ok := args["ids"].([]any)
			if (!ok && args["ids"] != nil) || len(list) > MaxIDs {
				return nil, false
			}
			rt.byID, rt.ids = true, []string{}
			for _, v := range list {
				id, ok := v.(string)
				if !ok {
					return nil, false
				}
				rt.ids = append(rt.ids, id)
			}
			rt.props, rt.hops = p.nodes([]ast.SelectionSet{f.Selections}, kg.Kinds, 0)
			if !wc.coverNodes(f.Selections, kg.Kinds) {
				return nil, false
			}
		default:
			l, ok := rootLists[f.Name]
			if !ok {
				return nil, false
			}
			filter, order, err := l.args(args["filter"], args["orderBy"])
			if err != nil || slices.ContainsFunc(order, derivedKey) {
				return nil, false
			}
			first, ok := pageSize(args)
			if !ok {
				return nil, false
			}
			if a, isStr := args["after"].(string); isStr {
				if _, err := (&kg.NodeQuery{Kind: l.kind, OrderBy: order, After: a}).AfterPosition(); err != nil {
					return nil, false
				}
				rt.after = &a
			} else if args["after"] != nil {
				return nil, false
			}
			rt.kind, rt.connType, rt.first, rt.filter, rt.order = l.kind, l.connType, first, filter, order
			rt.props = []string{} // first 0: a count, no root and no property
			if first > 0 {
				rt.props, rt.hops = p.nodes(p.connectionNodes(f.Selections, l.connType), []kg.Kind{l.kind}, 0)
			}
			if _, ok := wc.compile(f.Selections, l.connType, l.kind); !ok {
				return nil, false
			}
		}
		if p.partial {
			return nil, false
		}
		roots = append(roots, rt)
	}
	return roots, true
}

// coverNodes reports whether the writer can write sel at nodes of the
// given kinds.
func (wc *writeCtx) coverNodes(sel ast.SelectionSet, kinds []kg.Kind) bool {
	for _, k := range kinds {
		if _, ok := wc.compile(sel, string(k), k); !ok {
			return false
		}
	}
	return true
}

// compile returns the fields of sel on type typ (kind: the kind of a
// node type, or of the nodes of a root list's connection), compiling
// those below them; ok is false when the writer cannot write one.
func (wc *writeCtx) compile(sel ast.SelectionSet, typ string, kind kg.Kind) ([]wfield, bool) {
	if len(sel) == 0 {
		return nil, true
	}
	key := selKey{&sel[0], len(sel), typ}
	if fs, ok := wc.compiled[key]; ok {
		return fs, true
	}
	wc.compiled[key] = []wfield{} // selections do not nest into themselves, but be safe
	satisfies := []string{typ}
	isNode := kg.ValidKind(kg.Kind(typ))
	if isNode {
		satisfies = append(satisfies, "Node")
	}
	var out []wfield
	for _, f := range graphql.CollectFields(wc.op, sel, satisfies) {
		if f.IsDeferred() || (f.Definition == nil && f.Name != "__typename") {
			delete(wc.compiled, key)
			return nil, false
		}
		var keyBuf bytes.Buffer
		graphql.MarshalString(f.Alias).MarshalGQL(&keyBuf)
		keyBuf.WriteByte(':')
		wf := wfield{key: keyBuf.Bytes(), name: f.Name, alias: f.Alias, sel: f.Selections}
		ok := true
		if f.Name == "__typename" {
			wf.op, wf.typename = opTypename, typ
		} else if wf.typ = f.Definition.Type; isNode {
			ok = wc.nodeField(&wf, f, kg.Kind(typ))
		} else {
			ok = wc.otherField(&wf, f, typ, kind)
		}
		if !ok {
			delete(wc.compiled, key)
			return nil, false
		}
		out = append(out, wf)
	}
	wc.compiled[key] = out
	return out, true
}

// nodeField compiles field f of a node of kind k.
func (wc *writeCtx) nodeField(wf *wfield, f graphql.CollectedField, k kg.Kind) bool {
	switch f.Name {
	case "id":
		wf.op = opID
	case "kind":
		wf.op = opKind
	case "name":
		wf.op = opName
	case "aliases":
		wf.op = opAliases
	case "createdAt":
		wf.op = opCreatedAt
	case "updatedAt":
		wf.op = opUpdatedAt
	case "highTech":
		if k != kg.Enterprise {
			return false
		}
		y, ok := intArg(f.ArgumentMap(wc.op.Variables)["year"], 0)
		if !ok {
			return false
		}
		wf.op, wf.year = opHighTech, y
	case "figures":
		args := f.ArgumentMap(wc.op.Variables)
		for name, dst := range map[string]**int{"from": &wf.from, "to": &wf.to} {
			if v := args[name]; v != nil {
				n, ok := intArg(v, 0)
				if !ok {
					return false
				}
				*dst = &n
			}
		}
		wf.op = opFigures
		rowType := map[kg.Kind]string{kg.Enterprise: "EnterpriseYear", kg.Makerspace: "MakerspaceYear"}[k]
		if rowType == "" {
			return false
		}
		wf.typename = rowType
		_, ok := wc.compile(f.Selections, rowType, k)
		return ok
	default:
		if spec, isRel := relSpecOf(k, f.Name, f.ArgumentMap(wc.op.Variables)); isRel {
			wf.op, wf.rel = opRelated, spec
			_, ok := wc.compile(f.Selections, "RelationConnection", "")
			return ok
		}
		spec, found := kg.NodePropSpec(k, f.Name)
		if !found || len(f.Arguments) > 0 {
			return false
		}
		return wc.propField(wf, spec)
	}
	return true
}

// propField compiles a field that writes the property of its name.
func (wc *writeCtx) propField(wf *wfield, spec *kg.PropSpec) bool {
	named := wf.typ.Name()
	wf.op = opProp
	switch spec.Type {
	case kg.String:
		return named == "String" && !wf.typ.NonNull
	case kg.Int:
		return named == "Int" && !wf.typ.NonNull
	case kg.Float:
		return named == "Float" && !wf.typ.NonNull
	case kg.Bool:
		return named == "Boolean" && !wf.typ.NonNull
	case kg.EnumType:
		wf.enum = enumMarshalers[named]
		return wf.enum != nil && !wf.typ.NonNull && wf.typ.Elem == nil
	case kg.Enums:
		wf.enum = enumMarshalers[named]
		return wf.enum != nil && wf.typ.Elem != nil && wf.typ.NonNull && wf.typ.Elem.NonNull
	}
	return false
}

// otherField compiles field f of an object that is not a node.
func (wc *writeCtx) otherField(wf *wfield, f graphql.CollectedField, typ string, kind kg.Kind) bool {
	switch typ {
	case "PageInfo":
		wf.op = map[string]wop{"hasNextPage": opHasNextPage, "hasPreviousPage": opHasPreviousPage, "startCursor": opStartCursor, "endCursor": opEndCursor}[f.Name]
		return wf.op != opTypename
	case "RelationConnection":
		switch f.Name {
		case "totalCount":
			wf.op = opTotalCount
		case "pageInfo":
			wf.op = opPageInfo
			_, ok := wc.compile(f.Selections, "PageInfo", "")
			return ok
		case "edges":
			wf.op = opEdges
			_, ok := wc.compile(f.Selections, "RelationEdge", "")
			return ok
		default:
			return false // nodeCount
		}
	case "RelationEdge":
		switch f.Name {
		case "cursor":
			wf.op = opCursor
		case "outgoing":
			wf.op = opOutgoing
		case "relation":
			wf.op = opRelation
			_, ok := wc.compile(f.Selections, "Relation", "")
			return ok
		case "node":
			wf.op = opNode
			return wc.coverNodes(f.Selections, kg.Kinds)
		default:
			return false
		}
	case "Relation":
		switch f.Name {
		case "id":
			wf.op = opID
		case "type":
			wf.op = opRelType
		case "from":
			wf.op = opFrom
		case "to":
			wf.op = opTo
		default:
			for _, t := range kg.RelTypes {
				if spec, ok := kg.EdgePropSpec(t, f.Name); ok {
					return wc.propField(wf, spec)
				}
			}
			return false
		}
	case "EnterpriseYear", "MakerspaceYear":
		switch f.Name {
		case "year":
			wf.op = opYear
		case "aboveScale":
			wf.op = opAboveScaleYear
		case "revenue", "rdInvestment", "rdDeduction", "employees", "makersServed":
			wf.op = opFigure
		default:
			return false
		}
	default:
		l, isList := rootLists[rootListField(typ)]
		switch {
		case isList && typ == l.connType:
			switch f.Name {
			case "totalCount":
				wf.op = opTotalCount
			case "pageInfo":
				wf.op = opPageInfo
				_, ok := wc.compile(f.Selections, "PageInfo", "")
				return ok
			case "edges":
				wf.op = opEdges
				_, ok := wc.compile(f.Selections, string(kind)+"Edge", kind)
				return ok
			default:
				return false
			}
		case typ == string(kind)+"Edge":
			switch f.Name {
			case "cursor":
				wf.op = opCursor
			case "node":
				wf.op = opNode
				return wc.coverNodes(f.Selections, []kg.Kind{kind})
			default:
				return false
			}
		default:
			return false
		}
	}
	return true
}

// rootListField returns the root list field whose connection type is typ.
func rootListField(typ string) string {
	for name, l := range rootLists {
		if l.connType == typ {
			return name
		}
	}
	return ""
}

// write reads and writes the root fields, as the executor would, each
// through the root field interceptors.
func (wc *writeCtx) write(ctx context.Context, r *Resolver, roots []*root) ([]byte, error) {
	ctx = graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "Query"})
	bufs := make([]bytes.Buffer, len(roots))
	errs := make([]error, len(roots))
	one := func(i int) {
		rt := roots[i]
		if i < len(wc.sizes) {
			bufs[i].Grow(int(wc.sizes[i].Load()))
			defer func() { wc.sizes[i].Store(int64(bufs[i].Len())) }()
		}
		if rt.typename {
			graphql.MarshalString("Query").MarshalGQL(&bufs[i])
			return
		}
		rctx := graphql.WithRootFieldContext(ctx, &graphql.RootFieldContext{Object: rt.field.Name, Field: rt.field})
		wc.op.RootResolverMiddleware(rctx, func(ctx context.Context) graphql.Marshaler {
			defer func() {
				if p := recover(); p != nil {
					slog.ErrorContext(ctx, "panic in the response writer: the executor answers", "panic", p)
					errs[i] = fmt.Errorf("%w: %v", errHandBack, p)
				}
			}()
			errs[i] = wc.writeRoot(ctx, r, rt, &bufs[i])
			return graphql.Null
		})
	}
	if len(roots) == 1 {
		one(0)
	} else {
		var wg sync.WaitGroup
		for i := range roots {
			wg.Add(1)
			go func() { defer wg.Done(); one(i) }()
		}
		wg.Wait()
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, rt := range roots {
		if len(rt.errs) > 0 {
			// As node's resolver returns its error (at the field's path and
			// location) and nodes' adds them (at its path).
			fctx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: "Query", Field: rt.field, IsMethod: true, IsResolver: true})
			for _, err := range rt.errs {
				if rt.single {
					err = graphql.AddFieldLocationToError(fctx, err)
				}
				graphql.AddError(fctx, err)
			}
		}
	}
	size := 2
	for i := range bufs {
		size += bufs[i].Len() + len(roots[i].field.Alias) + 4
	}
	out := bytes.NewBuffer(make([]byte, 0, size))
	out.WriteByte('{')
	for i, rt := range roots {
		if i > 0 {
			out.WriteByte(',')
		}
		graphql.MarshalString(rt.field.Alias).MarshalGQL(out)
		out.WriteByte(':')
		out.Write(bufs[i].Bytes())
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}

// writeRoot reads one root field with its plan and writes its value.
// The errors of ids without a node go to rt.errs, as the resolvers
// report them, for write to add once every root field is written.
func (wc *writeCtx) writeRoot(ctx context.Context, r *Resolver, rt *root, b *bytes.Buffer) error {
	if rt.byID {
		res, err := r.Store.Fetch(ctx, kg.FetchPlan{IDs: rt.ids, Props: rt.props, Hops: rt.hops})
		if err != nil {
			return err
		}
		if !rt.single {
			b.WriteByte('[')
		}
		for i, f := range res.Roots {
			if i > 0 {
				b.WriteByte(',')
			}
			if f == nil {
				pos := i
				if rt.single {
					pos = -1
				}
				rt.errs = append(rt.errs, noNode(rt.ids[i], pos))
				b.WriteString("null")
				continue
			}
			if err := wc.writeNode(ctx, b, f, rt.field.Selections); err != nil {
				return err
			}
		}
		if !rt.single {
			b.WriteByte(']')
		}
		return nil
	}
	where, err := r.where(ctx, rt.kind, rt.filter)
	if err != nil {
		return err
	}
	q := kg.NodeQuery{Kind: rt.kind, Where: where, OrderBy: rt.order, First: rt.first}
	if rt.after != nil {
		q.After = *rt.after
	}
	res, err := r.Store.Fetch(ctx, kg.FetchPlan{Query: &q, Props: rt.props, Hops: rt.hops})
	if err != nil {
		return err
	}
	items := res.Roots
	// Cursors are made where the selection reads them; NewPageInfo reads
	// the first and the last.
	cursor := func(i int) string { return kg.NodeCursor(q.Kind, q.OrderBy, items[i].Node) }
	var ends []string
	if n := len(items); n > 0 {
		ends = []string{cursor(0), cursor(n - 1)}
	}
	pi := model.NewPageInfo(res.Offset, ends, res.HasNextPage)
	fs := wc.fields(rt.field.Selections, rt.connType)
	b.WriteByte('{')
	for i, f := range fs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(f.key)
		switch f.op {
		case opTypename:
			graphql.MarshalString(f.typename).MarshalGQL(b)
		case opTotalCount:
			graphql.MarshalInt(res.TotalCount).MarshalGQL(b)
		case opPageInfo:
			wc.writePageInfo(b, pi, f.sel)
		case opEdges:
			ef := wc.fields(f.sel, string(rt.kind)+"Edge")
			b.WriteByte('[')
			for j, n := range items {
				if j > 0 {
					b.WriteByte(',')
				}
				b.WriteByte('{')
				for x, g := range ef {
					if x > 0 {
						b.WriteByte(',')
					}
					b.Write(g.key)
					switch g.op {
					case opTypename:
						graphql.MarshalString(g.typename).MarshalGQL(b)
					case opCursor:
						graphql.MarshalString(cursor(j)).MarshalGQL(b)
					case opNode:
						if err := wc.writeNode(ctx, b, n, g.sel); err != nil {
							return err
						}
					}
				}
				b.WriteByte('}')
			}
			b.WriteByte(']')
		}
	}
	b.WriteByte('}')
	return nil
}

// writePageInfo writes a PageInfo.
func (wc *writeCtx) writePageInfo(b *bytes.Buffer, pi *model.PageInfo, sel ast.SelectionSet) {
	fs := wc.fields(sel, "PageInfo")
	b.WriteByte('{')
	for i, f := range fs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(f.key)
		switch f.op {
		case opTypename:
			graphql.MarshalString(f.typename).MarshalGQL(b)
		case opHasNextPage:
			graphql.MarshalBoolean(pi.HasNextPage).MarshalGQL(b)
		case opHasPreviousPage:
			graphql.MarshalBoolean(pi.HasPreviousPage).MarshalGQL(b)
		case opStartCursor:
			writeOptString(b, pi.StartCursor)
		case opEndCursor:
			writeOptString(b, pi.EndCursor)
		}
	}
	b.WriteByte('}')
}

func writeOptString(b *bytes.Buffer, s *string) {
	if s == nil {
		b.WriteString("null")
		return
	}
	graphql.MarshalString(*s).MarshalGQL(b)
}

// writeNode writes a node a plan read.
func (wc *writeCtx) writeNode(ctx context.Context, b *bytes.Buffer, f *kg.Fetched, sel ast.SelectionSet) error {
	n := f.Node
	fs, ok := wc.compiled[selKey{&sel[0], len(sel), string(n.Kind)}]
	if !ok {
		return fmt.Errorf("%w: %s not compiled", errHandBack, n.Kind)
	}
	var view model.Node
	b.WriteByte('{')
	for i, fd := range fs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(fd.key)
		switch fd.op {
		case opTypename:
			graphql.MarshalString(fd.typename).MarshalGQL(b)
		case opID:
			graphql.MarshalID(n.ID).MarshalGQL(b)
		case opKind:
			graphql.MarshalString(nodeKindNames[n.Kind]).MarshalGQL(b)
		case opName:
			graphql.MarshalString(n.Name()).MarshalGQL(b)
		case opAliases:
			b.WriteByte('[')
			for j, a := range n.Props.Strings("aliases") {
				if j > 0 {
					b.WriteByte(',')
				}
				graphql.MarshalString(a).MarshalGQL(b)
			}
			b.WriteByte(']')
		case opCreatedAt, opUpdatedAt:
			t := n.CreatedAt
			if fd.op == opUpdatedAt {
				t = n.UpdatedAt
			}
			if t.IsZero() {
				b.WriteString("null")
			} else {
				graphql.MarshalTime(t).MarshalGQL(b)
			}
		case opHighTech:
			if view == nil {
				view = model.Wrap(n)
			}
			graphql.MarshalBoolean(view.(*model.Enterprise).HighTech(fd.year)).MarshalGQL(b)
		case opFigures:
			if view == nil {
				view = model.Wrap(n)
			}
			if err := wc.writeFigures(ctx, b, view, fd); err != nil {
				return err
			}
		case opRelated:
			p := f.Hops[fd.alias]
			if p == nil {
				return fmt.Errorf("%w: no page for %s", errHandBack, fd.alias)
			}
			if err := wc.writeRelated(ctx, b, n.ID, p, fd); err != nil {
				return err
			}
		case opProp:
			if err := writeProp(ctx, b, n.Props, fd); err != nil {
				return err
			}
		}
	}
	b.WriteByte('}')
	return nil
}

// writeProp writes the property of a field's name, null when missing.
func writeProp(ctx context.Context, b *bytes.Buffer, p kg.Props, fd wfield) error {
	if fd.typ.Elem != nil {
		b.WriteByte('[')
		for j, s := range p.Strings(fd.name) {
			if j > 0 {
				b.WriteByte(',')
			}
			fd.enum(s).MarshalGQL(b)
		}
		b.WriteByte(']')
		return nil
	}
	switch fd.typ.Name() {
	case "String":
		if s, ok := p[fd.name].(string); ok {
			graphql.MarshalString(s).MarshalGQL(b)
			return nil
		}
	case "Int":
		if v, ok := p.Int(fd.name); ok {
			graphql.MarshalInt(int(v)).MarshalGQL(b)
			return nil
		}
	case "Float":
		if v, ok := p.Float(fd.name); ok {
			return model.MarshalFloatContext(v).MarshalGQLContext(ctx, b)
		}
	case "Boolean":
		if v, ok := p.Bool(fd.name); ok {
			graphql.MarshalBoolean(v).MarshalGQL(b)
			return nil
		}
	default:
		if s, ok := p[fd.name].(string); ok {
			fd.enum(s).MarshalGQL(b)
			return nil
		}
	}
	b.WriteString("null")
	return nil
}

// writeFigures writes the yearly figures of an enterprise or makerspace.
func (wc *writeCtx) writeFigures(ctx context.Context, b *bytes.Buffer, view model.Node, fd wfield) error {
	fs := wc.fields(fd.sel, fd.typename)
	type row struct {
		year  int
		get   func(name string) (*float64, *int, *bool)
		typen string
	}
	var rows []row
	switch v := view.(type) {
	case *model.Enterprise:
		for _, y := range v.Figures(fd.from, fd.to) {
			rows = append(rows, row{y.Year, func(name string) (*float64, *int, *bool) {
				switch name {
				case "revenue":
					return y.Revenue, nil, nil
				case "rdInvestment":
					return y.RdInvestment, nil, nil
				case "rdDeduction":
					return y.RdDeduction, nil, nil
				case "employees":
					return nil, y.Employees, nil
				case "aboveScale":
					return nil, nil, y.AboveScale
				}
				return nil, nil, nil
			}, "EnterpriseYear"})
		}
	case *model.Makerspace:
		for _, y := range v.Figures(fd.from, fd.to) {
			rows = append(rows, row{y.Year, func(string) (*float64, *int, *bool) { return nil, y.MakersServed, nil }, "MakerspaceYear"})
		}
	default:
		return errHandBack
	}
	b.WriteByte('[')
	for j, r := range rows {
		if j > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		for i, f := range fs {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(f.key)
			switch f.op {
			case opTypename:
				graphql.MarshalString(f.typename).MarshalGQL(b)
			case opYear:
				graphql.MarshalInt(r.year).MarshalGQL(b)
			case opFigure, opAboveScaleYear:
				fl, in, bo := r.get(f.name)
				switch {
				case fl != nil:
					if err := model.MarshalFloatContext(*fl).MarshalGQLContext(ctx, b); err != nil {
						return err
					}
				case in != nil:
					graphql.MarshalInt(*in).MarshalGQL(b)
				case bo != nil:
					graphql.MarshalBoolean(*bo).MarshalGQL(b)
				default:
					b.WriteString("null")
				}
			}
		}
		b.WriteByte('}')
	}
	b.WriteByte(']')
	return nil
}

// writeRelated writes the page of a relationship field a plan read from
// node id, as model.NewHopConnection views it. A cursor is made only
// where the selection reads it.
func (wc *writeCtx) writeRelated(ctx context.Context, b *bytes.Buffer, id string, p *kg.HopPage, rf wfield) error {
	fs := wc.fields(rf.sel, "RelationConnection")
	for _, it := range p.Items {
		if it.Node == nil || it.Node.Node == nil {
			return errHandBack
		}
	}
	cursor := func(i int) string {
		it := p.Items[i]
		return kg.RelationCursor(rf.rel.types, rf.rel.dir, nil, nil, it.Edge, it.Node.Node.ID)
	}
	b.WriteByte('{')
	for i, f := range fs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(f.key)
		switch f.op {
		case opTypename:
			graphql.MarshalString(f.typename).MarshalGQL(b)
		case opTotalCount:
			graphql.MarshalInt(p.Total).MarshalGQL(b)
		case opPageInfo:
			// NewPageInfo reads the first and the last cursor only.
			var ends []string
			if n := len(p.Items); n > 0 {
				ends = []string{cursor(0), cursor(n - 1)}
			}
			end := p.Offset + len(p.Items)
			wc.writePageInfo(b, model.NewPageInfo(p.Offset, ends, end < p.Total), f.sel)
		case opEdges:
			ef := wc.fields(f.sel, "RelationEdge")
			needCursor := slices.ContainsFunc(ef, func(g wfield) bool { return g.op == opCursor })
			b.WriteByte('[')
			for j, it := range p.Items {
				if j > 0 {
					b.WriteByte(',')
				}
				c := ""
				if needCursor {
					c = cursor(j)
				}
				if err := wc.writeEdge(ctx, b, id, c, it, ef); err != nil {
					return err
				}
			}
			b.WriteByte(']')
		}
	}
	b.WriteByte('}')
	return nil
}

// writeEdge writes one RelationEdge.
func (wc *writeCtx) writeEdge(ctx context.Context, b *bytes.Buffer, id, cursor string, it kg.HopItem, fs []wfield) error {
	b.WriteByte('{')
	for i, f := range fs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(f.key)
		switch f.op {
		case opTypename:
			graphql.MarshalString(f.typename).MarshalGQL(b)
		case opCursor:
			graphql.MarshalString(cursor).MarshalGQL(b)
		case opOutgoing:
			graphql.MarshalBoolean(it.Edge.From == id).MarshalGQL(b)
		case opNode:
			if it.Node == nil || it.Node.Node == nil {
				return errHandBack
			}
			if err := wc.writeNode(ctx, b, it.Node, f.sel); err != nil {
				return err
			}
		case opRelation:
			if err := wc.writeRelation(ctx, b, it.Edge, f.sel); err != nil {
				return err
			}
		}
	}
	b.WriteByte('}')
	return nil
}

// writeRelation writes a Relation.
func (wc *writeCtx) writeRelation(ctx context.Context, b *bytes.Buffer, e *kg.Edge, sel ast.SelectionSet) error {
	fs := wc.fields(sel, "Relation")
	b.WriteByte('{')
	for i, f := range fs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(f.key)
		switch f.op {
		case opTypename:
			graphql.MarshalString(f.typename).MarshalGQL(b)
		case opID:
			graphql.MarshalID(e.ID).MarshalGQL(b)
		case opRelType:
			graphql.MarshalString(string(e.Type)).MarshalGQL(b)
		case opFrom:
			graphql.MarshalID(e.From).MarshalGQL(b)
		case opTo:
			graphql.MarshalID(e.To).MarshalGQL(b)
		case opProp:
			if err := writeProp(ctx, b, e.Props, f); err != nil {
				return err
			}
		}
	}
	b.WriteByte('}')
	return nil
}

// String describes a compiled field, for test failures.
func (f wfield) String() string { return fmt.Sprintf("%s(op %d)", f.key, f.op) }

// Written lets a transport recognize the data a Writer wrote for its
// request: valid JSON, compact, written by the executor's marshallers,
// which it may copy into the response as it is instead of checking and
// compacting it again (escaping it as encoding/json would, see
// server.writeResponse).
type Written struct{ data []byte }

type writtenKey struct{}

// WithWritten returns ctx with a Written that the Writer answering the
// request of ctx fills in.
func WithWritten(ctx context.Context) (context.Context, *Written) {
	w := &Written{}
	return context.WithValue(ctx, writtenKey{}, w), w
}

// Holds reports whether data is the very slice the Writer wrote (not
// merely equal bytes): the response's data as the writer left it, not
// data an interceptor put in its place.
func (w *Written) Holds(data []byte) bool {
	return w != nil && len(data) > 0 && len(w.data) == len(data) && &w.data[0] == &data[0]
}

// markWritten records data as written for the Written of ctx, if any.
func markWritten(ctx context.Context, data []byte) {
	if w, ok := ctx.Value(writtenKey{}).(*Written); ok {
		w.data = data
	}
}
