package observe

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/vektah/gqlparser/v2/ast"
)

// Request is what one HTTP request has done, as far as it is known: the
// GraphQL operation it ran, its complexity, its outcome and the store
// calls made for it. The server's request log line says it (LogAttrs).
type Request struct {
	storeCalls atomic.Int64

	mu         sync.Mutex
	graphql    bool   // gqlgen answered it
	operation  string // the operation's name, as the client gave it
	query      string // the document, as the client sent it
	opType     string // query, mutation, subscription
	outcome    string // "" or the first error's code
	complexity int
	doc        *ast.QueryDocument
	op         *ast.OperationDefinition
}

type requestKey struct{}

// WithRequest returns ctx carrying a new Request, and the Request.
func WithRequest(ctx context.Context) (context.Context, *Request) {
	r := &Request{}
	return context.WithValue(ctx, requestKey{}, r), r
}

// RequestFrom returns the Request of ctx, or nil.
func RequestFrom(ctx context.Context) *Request {
	r, _ := ctx.Value(requestKey{}).(*Request)
	return r
}

// StoreCall counts a store call made for the request; r may be nil.
func (r *Request) StoreCall() {
	if r != nil {
		r.storeCalls.Add(1)
	}
}

// StoreCalls is the number of store calls made for the request so far.
func (r *Request) StoreCalls() int64 { return r.storeCalls.Load() }

// answered records what gqlgen made of the request.
func (r *Request) answered(operation, opType, outcome string, complexity int, doc *ast.QueryDocument, op *ast.OperationDefinition) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.graphql = true
	r.operation, r.opType, r.outcome, r.complexity, r.doc, r.op = operation, opType, outcome, complexity, doc, op
}

// result returns the operation's name ("" when gqlgen did not answer
// the request), its outcome and its complexity.
func (r *Request) result() (graphql bool, operation, outcome string, complexity int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.graphql, r.operation, r.outcome, r.complexity
}

// maxLoggedName bounds an operation name in a log line.
const maxLoggedName = 200

// LogAttrs are the request's attributes for its log line: the store
// calls, and for a GraphQL request its operation (name, type) and
// complexity.
func (r *Request) LogAttrs() []slog.Attr {
	r.mu.Lock()
	defer r.mu.Unlock()
	attrs := make([]slog.Attr, 0, 4)
	if r.graphql {
		attrs = append(attrs, slog.String("operation", truncate(r.operation, maxLoggedName)))
		if r.opType != "" {
			attrs = append(attrs, slog.String("operationType", r.opType))
		}
		attrs = append(attrs, slog.Int("complexity", r.complexity))
		if r.outcome != "" && r.outcome != OutcomeOK {
			attrs = append(attrs, slog.String("code", r.outcome))
		}
	}
	return append(attrs, slog.Int64("storeCalls", r.storeCalls.Load()))
}

// Shape is the shape of the request's GraphQL operation (see Shape),
// or "" when it has none.
func (r *Request) Shape() string {
	r.mu.Lock()
	doc, op := r.doc, r.op
	r.mu.Unlock()
	return Shape(doc, op)
}

// truncate cuts s to at most n bytes, at a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
