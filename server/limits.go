package server

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"github.com/innograph/innograph/graph"
)

// Error codes of refused documents (extensions.code).
const (
	// CodeTooManyTokens: the document has more tokens than MaxTokens.
	CodeTooManyTokens = "TOO_MANY_TOKENS"
	// CodeTooManyFields: a selection set, or the whole document with its
	// fragments expanded, has too many fields.
	CodeTooManyFields = "TOO_MANY_FIELDS"
	// CodeTooManyAliases: the document has more aliases than MaxAliases.
	CodeTooManyAliases = "TOO_MANY_ALIASES"
	// CodeTooDeep: the query nests more relationship hops than MaxDepth.
	CodeTooDeep = "QUERY_TOO_DEEP"
	// CodeIntrospectionTooLarge: too many or too deep introspection fields.
	CodeIntrospectionTooLarge = "INTROSPECTION_TOO_LARGE"
	// CodeTooManyAnalytics: more analytics fields than MaxAnalyticsFields.
	CodeTooManyAnalytics = "TOO_MANY_ANALYTICS_FIELDS"
)

// analyticsFields are the Query fields that run a traversal or a graph
// algorithm; MaxAnalyticsFields bounds how many a request may hold.
var analyticsFields = map[string]bool{
	"neighborhood": true, "paths": true, "supplyChain": true, "collaborationNetwork": true,
	"centrality": true, "communities": true, "planProgress": true, "industryChainGaps": true,
	"policyReach": true, "networkDiff": true,
}

// saturation caps the counts of the document walk, so that a document
// whose fragments double at each level cannot overflow them.
const saturation = 1 << 30

func sat(a, b int) int { return min(a+b, saturation) }

// documentLimits refuses, before gqlgen parses and validates it, a
// document that is too large for the work validation and execution do:
// validation compares fields that share a response name pairwise and the
// executor collects each selection set with a scan per field, so a
// document of a few kilobytes could otherwise cost seconds. It parses the
// document itself (bounded by maxTokens, linear) and walks it once, with
// fragments expanded through a memo, so its own work is linear in the
// document whatever the fragments do.
//
// A document found in the executor's query cache has already passed.
type documentLimits struct {
	cfg   Config
	cache graphql.Cache[*ast.QueryDocument]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = documentLimits{}

func (documentLimits) ExtensionName() string                   { return "DocumentLimits" }
func (documentLimits) Validate(graphql.ExecutableSchema) error { return nil }

func (d documentLimits) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if p.Query == "" {
		return nil // gqlgen reports the missing operation
	}
	if d.cache != nil {
		if _, ok := d.cache.Get(ctx, p.Query); ok {
			return nil
		}
	}
	return checkDocument(d.cfg, p.Query)
}

// checkDocument parses query with the token limit of cfg and checks it
// against the limits of cfg that do not need the schema.
func checkDocument(cfg Config, query string) *gqlerror.Error {
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, cfg.MaxTokens)
	if err != nil {
		gerr, ok := err.(*gqlerror.Error)
		if !ok {
			gerr = gqlerror.Wrap(err)
		}
		if strings.HasPrefix(gerr.Message, "exceeded token limit") {
			return limitError(CodeTooManyTokens, "the document has more tokens than the limit of %d", cfg.MaxTokens)
		}
		errcode.Set(gerr, errcode.ParseFailed)
		return gerr
	}
	w := docWalker{cfg: cfg, frags: map[string]*ast.FragmentDefinition{}, memo: map[fragKey]summary{}, raw: map[string]int{}, collected: map[string][]*ast.Field{}, visiting: map[string]bool{}}
	for _, f := range doc.Fragments {
		if _, dup := w.frags[f.Name]; !dup {
			w.frags[f.Name] = f
		}
	}
	var total summary
	for _, op := range doc.Operations {
		s := w.selectionSet(op.SelectionSet, ctxRoot)
		if err := checkOperation(cfg, s); err != nil {
			return err
		}
		total.fields = sat(total.fields, s.fields)
		total.aliases = sat(total.aliases, s.aliases)
	}
	// Fragments are validated on their own too, used or not.
	for _, f := range doc.Fragments {
		s := w.fragment(f.Name, ctxField)
		total.fields = sat(total.fields, s.fields)
		total.aliases = sat(total.aliases, s.aliases)
	}
	if total.fields > cfg.MaxFields {
		return limitError(CodeTooManyFields, "the document has %s fields with its fragments expanded, more than the limit of %d", count(total.fields), cfg.MaxFields)
	}
	if total.aliases > cfg.MaxAliases {
		return limitError(CodeTooManyAliases, "the document has %s aliases with its fragments expanded, more than the limit of %d", count(total.aliases), cfg.MaxAliases)
	}
	if w.cyclic {
		// Validation refuses it too; refused here, the merged selection
		// sets below need not guard against endless expansion.
		err := gqlerror.Errorf("fragments spread one another in a cycle")
		errcode.Set(err, errcode.ValidationFailed)
		return err
	}
	for _, op := range doc.Operations {
		if w.merged([]ast.SelectionSet{op.SelectionSet}); w.err != nil {
			return w.err
		}
	}
	for _, f := range doc.Fragments {
		if w.merged([]ast.SelectionSet{f.SelectionSet}); w.err != nil {
			return w.err
		}
	}
	return nil
}

// checkOperation checks the depth, introspection and analytics counts of
// one operation.
func checkOperation(cfg Config, s summary) *gqlerror.Error {
	switch {
	case s.depth > cfg.MaxDepth:
		return limitError(CodeTooDeep, "query depth %s exceeds the limit of %d (relationship hops: edges, node and pageInfo do not count)", count(s.depth), cfg.MaxDepth)
	case s.introRoots > cfg.MaxIntrospectionRoots:
		return limitError(CodeIntrospectionTooLarge, "the operation has %s __schema and __type fields, more than the limit of %d", count(s.introRoots), cfg.MaxIntrospectionRoots)
	case s.introDepth > cfg.MaxIntrospectionDepth:
		return limitError(CodeIntrospectionTooLarge, "introspection depth %s exceeds the limit of %d", count(s.introDepth), cfg.MaxIntrospectionDepth)
	case s.analytics > cfg.MaxAnalyticsFields:
		return limitError(CodeTooManyAnalytics, "the operation has %s analytics fields (%s), more than the limit of %d", count(s.analytics), analyticsList(), cfg.MaxAnalyticsFields)
	}
	return nil
}

// count prints a saturated count as "more than 2^30".
func count(n int) string {
	if n >= saturation {
		return fmt.Sprintf("more than %d", saturation)
	}
	return fmt.Sprint(n)
}

func analyticsList() string {
	return strings.Join(slices.Sorted(maps.Keys(analyticsFields)), ", ")
}

func limitError(code, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	errcode.Set(err, code)
	return err
}

// walkCtx is where a selection set stands, for counting depth in hops.
type walkCtx uint8

const (
	// ctxRoot: the operation's selection set (analytics fields count).
	ctxRoot walkCtx = iota
	// ctxField: under a field that counts.
	ctxField
	// ctxEdges: under a connection's `edges`.
	ctxEdges
	// ctxItem: under `node` or `pageInfo`, which did not count.
	ctxItem
)

// summary is what the walk learns of a selection set with its fragments
// expanded. Counts saturate at saturation.
type summary struct {
	fields     int // fields, at every level
	aliases    int // fields with an alias other than their name
	depth      int // levels of fields that count (see wrapper)
	introRoots int // __schema and __type fields
	introDepth int // deepest nesting under one of them, itself included
	analytics  int // analytics fields of the root
}

func (s *summary) add(o summary) {
	s.fields = sat(s.fields, o.fields)
	s.aliases = sat(s.aliases, o.aliases)
	s.depth = max(s.depth, o.depth)
	s.introRoots = sat(s.introRoots, o.introRoots)
	s.introDepth = max(s.introDepth, o.introDepth)
	s.analytics = sat(s.analytics, o.analytics)
}

type fragKey struct {
	name string
	at   walkCtx
}

// docWalker walks a parsed, not yet validated, document. Fragment spreads
// are expanded through memo (by fragment and context), so that the walk
// is linear in the document; a fragment cycle expands to nothing and is
// noted in cyclic.
type docWalker struct {
	cfg    Config
	frags  map[string]*ast.FragmentDefinition
	memo   map[fragKey]summary
	raw    map[string]int // rawDepth of fragments
	cyclic bool           // a fragment spreads itself
	// collected are the fields of fragments, theirs expanded (see collect).
	collected map[string][]*ast.Field
	visiting  map[string]bool
	err       *gqlerror.Error
}

// wrapper tells whether a field of a selection set at ctx is part of the
// hop of its parent rather than a level of its own: a connection's edges
// and pageInfo, and the node of an edge (or of an analytics item), which
// take no arguments. It returns the context of the field's selections.
func wrapper(f *ast.Field, at walkCtx) (bool, walkCtx) {
	switch {
	case f.Name == "edges" && at == ctxField && len(f.Arguments) == 0:
		return true, ctxEdges
	case f.Name == "pageInfo" && at == ctxField && len(f.Arguments) == 0:
		return true, ctxItem
	case f.Name == "node" && (at == ctxField || at == ctxEdges) && len(f.Arguments) == 0:
		return true, ctxItem
	}
	return false, ctxField
}

func (w *docWalker) selectionSet(ss ast.SelectionSet, at walkCtx) summary {
	var s summary
	for _, sel := range ss {
		switch sel := sel.(type) {
		case *ast.Field:
			s.add(w.field(sel, at))
		case *ast.InlineFragment:
			s.add(w.selectionSet(sel.SelectionSet, at))
		case *ast.FragmentSpread:
			s.add(w.fragment(sel.Name, at))
		}
	}
	return s
}

func (w *docWalker) field(f *ast.Field, at walkCtx) summary {
	s := summary{fields: 1}
	if f.Alias != "" && f.Alias != f.Name {
		s.aliases = 1
	}
	if f.Name == "__schema" || f.Name == "__type" {
		// Introspection counts apart: it does not add depth.
		s.introRoots = 1
		s.introDepth = 1 + rawDepth(w, f.SelectionSet)
		sub := w.selectionSet(f.SelectionSet, ctxField)
		s.fields = sat(s.fields, sub.fields)
		s.aliases = sat(s.aliases, sub.aliases)
		return s
	}
	if at == ctxRoot && analyticsFields[f.Name] {
		s.analytics = 1
	}
	wrap, inner := wrapper(f, at)
	if len(f.SelectionSet) == 0 {
		s.depth = 1
		return s
	}
	sub := w.selectionSet(f.SelectionSet, inner)
	if !wrap {
		sub.depth++
	}
	s.add(sub)
	return s
}

func (w *docWalker) fragment(name string, at walkCtx) summary {
	def := w.frags[name]
	if def == nil {
		return summary{} // unknown: validation refuses it
	}
	if w.visiting[name] {
		w.cyclic = true // validation refuses it
		return summary{}
	}
	k := fragKey{name, at}
	if s, ok := w.memo[k]; ok {
		return s
	}
	w.visiting[name] = true
	s := w.selectionSet(def.SelectionSet, at)
	delete(w.visiting, name)
	w.memo[k] = s
	return s
}

// merged checks the selection sets that validation and execution merge:
// sets, the selections of fields that share a response name in one
// selection set (with its fragments), are compared pairwise by
// validation and collected with a scan per field by the executor, so
// their fields together must stay within MaxSelectionFields. It walks the
// document with its fragments expanded, which the earlier walk bounded by
// MaxFields and found free of fragment cycles.
func (w *docWalker) merged(sets []ast.SelectionSet) {
	var fields []*ast.Field
	for _, ss := range sets {
		fields = w.collect(ss, fields)
	}
	if len(fields) > w.cfg.MaxSelectionFields {
		w.err = limitError(CodeTooManyFields, "a selection set has %d fields with its fragments and the fields it merges with, more than the limit of %d", len(fields), w.cfg.MaxSelectionFields)
		if pos := fields[0].Position; pos != nil {
			w.err.Locations = []gqlerror.Location{{Line: pos.Line, Column: pos.Column}}
		}
		return
	}
	var names []string
	groups := map[string][]ast.SelectionSet{}
	for _, f := range fields {
		if len(f.SelectionSet) == 0 {
			continue
		}
		if _, ok := groups[f.Alias]; !ok {
			names = append(names, f.Alias)
		}
		groups[f.Alias] = append(groups[f.Alias], f.SelectionSet)
	}
	for _, n := range names {
		if w.merged(groups[n]); w.err != nil {
			return
		}
	}
}

// collect appends the fields of ss, its fragments expanded, to fields; it
// stops past MaxSelectionFields.
func (w *docWalker) collect(ss ast.SelectionSet, fields []*ast.Field) []*ast.Field {
	for _, sel := range ss {
		switch sel := sel.(type) {
		case *ast.Field:
			fields = append(fields, sel)
		case *ast.InlineFragment:
			fields = w.collect(sel.SelectionSet, fields)
		case *ast.FragmentSpread:
			fs, ok := w.collected[sel.Name]
			if !ok {
				if def := w.frags[sel.Name]; def != nil {
					fs = w.collect(def.SelectionSet, nil)
				}
				w.collected[sel.Name] = fs
			}
			fields = append(fields, fs...)
		}
		if len(fields) > w.cfg.MaxSelectionFields {
			return fields
		}
	}
	return fields
}

// rawDepth is the deepest nesting of fields under ss, every field
// counting, fragments expanded (memoized in the walker, cycles cut).
func rawDepth(w *docWalker, ss ast.SelectionSet) int {
	d := 0
	for _, sel := range ss {
		switch sel := sel.(type) {
		case *ast.Field:
			d = max(d, 1+rawDepth(w, sel.SelectionSet))
		case *ast.InlineFragment:
			d = max(d, rawDepth(w, sel.SelectionSet))
		case *ast.FragmentSpread:
			def := w.frags[sel.Name]
			key := "raw:" + sel.Name // apart from the walk's own visits
			if def == nil || w.visiting[key] {
				continue
			}
			c, ok := w.raw[sel.Name]
			if !ok {
				w.visiting[key] = true
				c = rawDepth(w, def.SelectionSet)
				delete(w.visiting, key)
				w.raw[sel.Name] = c
			}
			d = max(d, c)
		}
	}
	return d
}

// pageCost is the complexity of a field that pages: its children times
// the page size (the schema's default when not given); out of
// 1..MaxFirst, the field itself refuses it. setComplexity
// (complexity_gen.go, generated from the schema) sets it on every field
// with a `first` argument.
func pageCost(childComplexity, first int) int {
	return cost(mul(childComplexity, within(first, graph.MaxFirst)))
}

// wrapCost is the complexity of a connection's edges and pageInfo: only
// their children, which they wrap.
func wrapCost(childComplexity int) int { return childComplexity }

// validationRules returns the rules documents are validated with (the
// default ones); tests wrap it to count validations.
var validationRules = rules.NewDefaultRules

// complexityLimit is gqlgen's fixed complexity limit with the complexity
// of recent operations kept by graph.OperationKey (query text, operation
// name, variables): a repeated operation is not walked again. An
// operation with an analytics field is always computed, since its
// complexity follows the graph's current size (graphSize). The
// complexity statistics and the error are those of gqlgen's limit.
type complexityLimit struct {
	limit *extension.ComplexityLimit
	max   int
	known *lru.LRU[int]
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = complexityLimit{}

// complexityCacheSize is the number of operations whose complexity
// complexityLimit keeps.
const complexityCacheSize = 1000

func newComplexityLimit(max int, opts ...complexity.Option) complexityLimit {
	return complexityLimit{limit: extension.FixedComplexityLimit(max, opts...), max: max, known: lru.New[int](complexityCacheSize)}
}

func (c complexityLimit) ExtensionName() string { return c.limit.ExtensionName() }

func (c complexityLimit) Validate(es graphql.ExecutableSchema) error { return c.limit.Validate(es) }

// MutateOperationContext computes the operation's complexity, or takes
// it from the cache, and refuses it above the limit.
func (c complexityLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	key, keep := graph.OperationKey(oc)
	if !keep || oc.Operation == nil {
		return c.limit.MutateOperationContext(ctx, oc)
	}
	n, ok := c.known.Get(ctx, key)
	if !ok {
		err := c.limit.MutateOperationContext(ctx, oc)
		if s := extension.GetComplexityStats(graphql.WithOperationContext(ctx, oc)); s != nil &&
			!hasAnalytics(oc.Operation.SelectionSet, map[string]bool{}) {
			c.known.Add(ctx, key, s.Complexity)
		}
		return err
	}
	oc.Stats.SetExtension(c.limit.ExtensionName(), &extension.ComplexityStats{Complexity: n, ComplexityLimit: c.max})
	if n > c.max {
		err := gqlerror.Errorf("operation has complexity %d, which exceeds the limit of %d", n, c.max)
		errcode.Set(err, "COMPLEXITY_LIMIT_EXCEEDED")
		return err
	}
	return nil
}
