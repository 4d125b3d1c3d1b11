// Package observed wraps a kg.Store so that every call is observed: it is
// counted and timed per backend and method in observe.Metrics, counted
// for its request's log line (observe.Request), and traced in a span under
// its request's span (calls outside a traced request, such as the start's
// seeding, are not traced). The ids a batched read asks for, the rows
// written and scanned and the audit entries written are counted too.
// Spans carry the method, the backend and sizes, never ids, text or other
// parameters.
package observed

import (
	"context"
	"errors"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/observe"
)

// Store is a kg.Store that observes the calls of the one it wraps.
type Store struct {
	kg.Store
	backend string
	m       *observe.Metrics
	methods map[string]*method
}

// method is what the calls of one method share: their metrics, their
// span's name and its options.
type method struct {
	metrics *observe.StoreMethod
	span    string // kg.Store/Fetch, …
	opts    []trace.SpanStartOption
}

var _ kg.Store = (*Store)(nil)

// The methods observed: every method of kg.Store but Close.
var methods = []string{"GetNodes", "GetEdges", "FindNodes", "Neighbors", "Fetch", "Search",
	"Apply", "Replace", "Stats", "Project", "Paths", "ScanNodes", "ScanEdges", "AuditLog", "Ping"}

// Wrap returns st observed in m under the label backend ("embedded",
// "neo4j").
func Wrap(st kg.Store, backend string, m *observe.Metrics) *Store {
	s := &Store{Store: st, backend: backend, m: m, methods: map[string]*method{}}
	for _, name := range methods {
		s.methods[name] = &method{
			metrics: m.StoreMethod(backend, name),
			span:    "kg.Store/" + name,
			opts: []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindClient),
				trace.WithAttributes(attribute.String("db.system", backend), attribute.String("db.operation.name", name))},
		}
	}
	return s
}

// Unwrap returns the wrapped store.
func (s *Store) Unwrap() kg.Store { return s.Store }

// call is one observed call in progress.
type call struct {
	method *method
	start  time.Time
	span   trace.Span // nil when the call is not traced
}

// begin starts observing a call of method name. The call has a span only
// when its context's span is recording (see observe.ChildSpan).
func (s *Store) begin(ctx context.Context, name string) (context.Context, call) {
	observe.RequestFrom(ctx).StoreCall()
	m := s.methods[name]
	c := call{method: m}
	if trace.SpanFromContext(ctx).IsRecording() {
		ctx, c.span = observe.ChildSpan(ctx, m.span, m.opts...)
	}
	c.start = time.Now()
	return ctx, c
}

// end records the call's time and outcome and ends its span.
func (c call) end(err error) {
	outcome := Outcome(err)
	c.method.metrics.Observe(time.Since(c.start), outcome)
	if c.span != nil {
		if err != nil {
			c.span.SetStatus(codes.Error, outcome)
		}
		c.span.End()
	}
}

// keys records the number of ids a batched read asks for.
func (c call) keys(n int) {
	c.method.metrics.Keys(n)
	if c.span != nil {
		c.span.SetAttributes(attribute.Int("innograph.keys", n))
	}
}

// Outcome is the label of a call's error: ok, not_found, invalid,
// conflict, unavailable, canceled, timeout or error.
func Outcome(err error) string {
	switch {
	case err == nil:
		return observe.OutcomeOK
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, kg.ErrUnavailable):
		return "unavailable"
	case errors.Is(err, kg.ErrNotFound):
		return "not_found"
	case errors.Is(err, kg.ErrConflict):
		return "conflict"
	case errors.Is(err, kg.ErrInvalid):
		return "invalid"
	}
	return "error"
}

// GetNodes observes kg.Store.GetNodes.
func (s *Store) GetNodes(ctx context.Context, ids []string) ([]*kg.Node, error) {
	ctx, c := s.begin(ctx, "GetNodes")
	c.keys(len(ids))
	r, err := s.Store.GetNodes(ctx, ids)
	c.end(err)
	return r, err
}

// GetEdges observes kg.Store.GetEdges.
func (s *Store) GetEdges(ctx context.Context, ids []string) ([]*kg.Edge, error) {
	ctx, c := s.begin(ctx, "GetEdges")
	c.keys(len(ids))
	r, err := s.Store.GetEdges(ctx, ids)
	c.end(err)
	return r, err
}

// FindNodes observes kg.Store.FindNodes.
func (s *Store) FindNodes(ctx context.Context, q kg.NodeQuery) (*kg.NodePage, error) {
	ctx, c := s.begin(ctx, "FindNodes")
	r, err := s.Store.FindNodes(ctx, q)
	c.end(err)
	return r, err
}

// Neighbors observes kg.Store.Neighbors.
func (s *Store) Neighbors(ctx context.Context, q kg.NeighborQuery) (map[string][]kg.Neighbor, error) {
	ctx, c := s.begin(ctx, "Neighbors")
	c.keys(len(q.IDs))
	r, err := s.Store.Neighbors(ctx, q)
	c.end(err)
	return r, err
}

// Fetch observes kg.Store.Fetch.
func (s *Store) Fetch(ctx context.Context, p kg.FetchPlan) (*kg.FetchResult, error) {
	ctx, c := s.begin(ctx, "Fetch")
	r, err := s.Store.Fetch(ctx, p)
	c.end(err)
	return r, err
}

// Search observes kg.Store.Search.
func (s *Store) Search(ctx context.Context, q kg.SearchQuery) ([]*kg.Node, error) {
	ctx, c := s.begin(ctx, "Search")
	r, err := s.Store.Search(ctx, q)
	c.end(err)
	return r, err
}

// Apply observes kg.Store.Apply, counting the rows and the audit entry
// it wrote.
func (s *Store) Apply(ctx context.Context, b kg.Batch) (*kg.WriteResult, error) {
	ctx, c := s.begin(ctx, "Apply")
	r, err := s.Store.Apply(ctx, b)
	c.end(err)
	s.written(b, err)
	return r, err
}

// Replace observes kg.Store.Replace, counting the rows and the audit
// entry it wrote.
func (s *Store) Replace(ctx context.Context, b kg.Batch) (*kg.WriteResult, error) {
	ctx, c := s.begin(ctx, "Replace")
	r, err := s.Store.Replace(ctx, b)
	c.end(err)
	s.written(b, err)
	return r, err
}

// written counts the rows of a batch written, and its audit entry.
func (s *Store) written(b kg.Batch, err error) {
	if err != nil {
		return
	}
	s.m.Rows("written", len(b.Nodes)+len(b.DeleteNodes), len(b.Edges)+len(b.DeleteEdges))
	if b.Audit != nil {
		s.m.AuditEntry()
	}
}

// Stats observes kg.Store.Stats.
func (s *Store) Stats(ctx context.Context) (*kg.Stats, error) {
	ctx, c := s.begin(ctx, "Stats")
	r, err := s.Store.Stats(ctx)
	c.end(err)
	return r, err
}

// Project observes kg.Store.Project.
func (s *Store) Project(ctx context.Context, q kg.ProjectionQuery) (*kg.Projection, error) {
	ctx, c := s.begin(ctx, "Project")
	r, err := s.Store.Project(ctx, q)
	c.end(err)
	return r, err
}

// Paths observes kg.Store.Paths.
func (s *Store) Paths(ctx context.Context, q kg.PathQuery) (*kg.PathResult, error) {
	ctx, c := s.begin(ctx, "Paths")
	r, err := s.Store.Paths(ctx, q)
	c.end(err)
	return r, err
}

// ScanNodes observes kg.Store.ScanNodes, counting the nodes scanned.
func (s *Store) ScanNodes(ctx context.Context, q kg.NodeScan) (*kg.NodeScanPage, error) {
	ctx, c := s.begin(ctx, "ScanNodes")
	r, err := s.Store.ScanNodes(ctx, q)
	c.end(err)
	if err == nil && r != nil {
		s.m.Rows("scanned", len(r.Nodes), 0)
	}
	return r, err
}

// ScanEdges observes kg.Store.ScanEdges, counting the relationships
// scanned.
func (s *Store) ScanEdges(ctx context.Context, q kg.EdgeScan) (*kg.EdgeScanPage, error) {
	ctx, c := s.begin(ctx, "ScanEdges")
	r, err := s.Store.ScanEdges(ctx, q)
	c.end(err)
	if err == nil && r != nil {
		s.m.Rows("scanned", 0, len(r.Edges))
	}
	return r, err
}

// AuditLog observes kg.Store.AuditLog.
func (s *Store) AuditLog(ctx context.Context, q kg.AuditQuery) (*kg.AuditPage, error) {
	ctx, c := s.begin(ctx, "AuditLog")
	r, err := s.Store.AuditLog(ctx, q)
	c.end(err)
	return r, err
}

// Ping observes kg.Store.Ping.
func (s *Store) Ping(ctx context.Context) error {
	ctx, c := s.begin(ctx, "Ping")
	err := s.Store.Ping(ctx)
	c.end(err)
	return err
}
