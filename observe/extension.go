package observe

import (
	"context"
	"regexp"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"go.opentelemetry.io/otel/codes"
)

// Extension is the gqlgen extension that tells the request's Request what
// gqlgen made of it (operation, complexity, outcome), and times each root
// field in a span and in Metrics (nil: none). Use it before any extension
// that may refuse a request's parameters, so that it sees them all.
type Extension struct {
	Metrics *Metrics
}

var (
	_ graphql.HandlerExtension          = Extension{}
	_ graphql.OperationParameterMutator = Extension{}
	_ graphql.ResponseInterceptor       = Extension{}
	_ graphql.RootFieldInterceptor      = Extension{}
)

// ExtensionName names the extension.
func (Extension) ExtensionName() string { return "Observe" }

// Validate accepts every schema.
func (Extension) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationParameters notes the operation's name and document as
// the client sent them, for requests refused before gqlgen reads them.
func (Extension) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if req := RequestFrom(ctx); req != nil {
		req.mu.Lock()
		req.operation, req.query = p.OperationName, p.Query
		req.mu.Unlock()
	}
	return nil
}

// maxNameTokens bounds the tokens read to find the name of an operation
// that gqlgen refused before it had read it.
const maxNameTokens = 15_000

// refused returns the operation of a document that gqlgen did not read
// (a refused one): the one named name, or its only one; nil when query
// does not parse within maxNameTokens or names no operation.
func refused(query, name string) (*ast.QueryDocument, *ast.OperationDefinition) {
	if query == "" {
		return nil, nil
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, maxNameTokens)
	if err != nil {
		return nil, nil
	}
	return doc, doc.Operations.ForName(name)
}

// errorCode is the form of the error codes used as outcomes.
var errorCode = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,49}$`)

// InterceptResponse records the operation and the outcome of the response.
func (e Extension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	req := RequestFrom(ctx)
	if req == nil {
		return resp
	}
	outcome := OutcomeOK
	if resp != nil && len(resp.Errors) > 0 {
		outcome = "OTHER"
		if code, ok := resp.Errors[0].Extensions["code"].(string); ok && errorCode.MatchString(code) {
			outcome = code
		}
	}
	req.mu.Lock()
	name, query := req.operation, req.query
	req.mu.Unlock()
	var (
		doc        *ast.QueryDocument
		op         *ast.OperationDefinition
		complexity int
	)
	if graphql.HasOperationContext(ctx) {
		oc := graphql.GetOperationContext(ctx)
		doc, op = oc.Doc, oc.Operation
		if s := extension.GetComplexityStats(ctx); s != nil {
			complexity = s.Complexity
		}
	}
	if op == nil {
		doc, op = refused(query, name)
	}
	opType := ""
	if op != nil {
		name, opType = op.Name, string(op.Operation)
	}
	req.answered(name, opType, outcome, complexity, doc, op)
	return resp
}

// InterceptRootField times a root field (its resolver and its
// selection) in a span, when the request's span is recording, and in a
// histogram.
func (e Extension) InterceptRootField(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	rfc := graphql.GetRootFieldContext(ctx)
	if rfc == nil || rfc.Field.Field == nil {
		return next(ctx)
	}
	var opType ast.Operation
	if oc := graphql.GetOperationContext(ctx); oc.Operation != nil {
		opType = oc.Operation.Operation
	}
	field := rootFieldName(opType, rfc.Field.Name)
	start := time.Now()
	ctx, span := ChildSpan(ctx, field)
	res := next(ctx)
	if e.Metrics != nil {
		e.Metrics.rootField(field).Observe(time.Since(start).Seconds())
	}
	if span.IsRecording() {
		if graphql.HasFieldError(ctx, graphql.GetFieldContext(ctx)) {
			span.SetStatus(codes.Error, "field error")
		}
		span.End()
	}
	return res
}

// rootFieldNames holds the name of each root field seen, by operation
// type and field name: Query.enterprises, Mutation.applyBatch, …
var rootFieldNames sync.Map

type rootFieldKey struct {
	op    ast.Operation
	field string
}

// rootFieldName is the name of a root field of an operation of type op,
// made once per field: the fields are the schema's, so they are bounded.
func rootFieldName(op ast.Operation, field string) string {
	k := rootFieldKey{op, field}
	if name, ok := rootFieldNames.Load(k); ok {
		return name.(string)
	}
	prefix := "Query."
	switch op {
	case ast.Mutation:
		prefix = "Mutation."
	case ast.Subscription:
		prefix = "Subscription."
	}
	name, _ := rootFieldNames.LoadOrStore(k, prefix+field)
	return name.(string)
}
