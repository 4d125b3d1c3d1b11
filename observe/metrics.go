// Package observe makes the server observable: Prometheus metrics
// (Metrics), OpenTelemetry traces (Tracing, configured by the standard
// OTEL_* environment variables), and what each request's log line says
// (Request). The HTTP middleware (Middleware) and the gqlgen extension
// (Extension) feed all three; package store/observed does the same for
// every call of a kg.Store. See docs/observability.md.
package observe

import (
	"net/http"
	"regexp"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// The bounds of the operation label: operation names are chosen by the
// clients, so only names of at most MaxOperationName characters of
// [A-Za-z0-9_] become labels, and only the first MaxOperations distinct
// ones; any other name is counted as OtherOperation.
const (
	MaxOperationName = 64
	MaxOperations    = 200
)

// The operation labels that are not names a client gave.
const (
	// AnonymousOperation labels operations without a name.
	AnonymousOperation = "anonymous"
	// OtherOperation labels names past the bounds.
	OtherOperation = "other"
	// NoOperation labels requests refused before their document was
	// read (by the key check, the body limit, …).
	NoOperation = "none"
)

// OutcomeOK is the outcome label of a request or store call without error.
const OutcomeOK = "ok"

// Metrics holds the server's Prometheus metrics in a registry of its own.
// Its methods are safe for concurrent use; a nil *Metrics records nothing.
type Metrics struct {
	reg             *prometheus.Registry
	requests        *prometheus.CounterVec
	requestDuration *prometheus.HistogramVec
	complexity      prometheus.Histogram
	fieldDuration   *prometheus.HistogramVec
	storeCalls      *prometheus.CounterVec
	storeDuration   *prometheus.HistogramVec
	storeKeys       *prometheus.HistogramVec
	rows            *prometheus.CounterVec
	auditEntries    prometheus.Counter
	storeOpen       *prometheus.GaugeVec

	fixed map[string]*operationMetrics // AnonymousOperation, OtherOperation, NoOperation
	opMu  sync.RWMutex
	ops   map[string]*operationMetrics // the names that are labels, at most MaxOperations

	fields sync.Map // root field name ("Query.enterprises") → prometheus.Observer
}

// operationMetrics are the metrics of one operation label, bound to it
// once, so that a request looks its label up once.
type operationMetrics struct {
	label    string
	duration prometheus.Observer
	ok       prometheus.Counter
}

// latencyBuckets are the buckets of every duration histogram, in seconds:
// 0.5 ms to 30 s (the default request timeout).
var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

// NewMetrics returns the server's metrics, with the Go runtime's and the
// process's, in a new registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "innograph_requests_total",
			Help: "GraphQL requests, by operation name (bounded, see docs/observability.md) and outcome: ok, or the first error's extensions.code.",
		}, []string{"operation", "outcome"}),
		requestDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "innograph_request_duration_seconds",
			Help:    "Time to answer a GraphQL request, by operation name.",
			Buckets: latencyBuckets,
		}, []string{"operation"}),
		complexity: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "innograph_request_complexity",
			Help:    "Complexity of the GraphQL operations that passed validation (see --max-complexity).",
			Buckets: prometheus.ExponentialBuckets(1, 4, 10),
		}),
		fieldDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "innograph_root_field_duration_seconds",
			Help:    "Time to resolve a root field and its selection, by field (Query.enterprises, Mutation.applyBatch, …).",
			Buckets: latencyBuckets,
		}, []string{"field"}),
		storeCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "innograph_store_calls_total",
			Help: "Calls of the store, by backend, method and outcome (ok, not_found, invalid, conflict, unavailable, canceled, timeout, error).",
		}, []string{"backend", "method", "outcome"}),
		storeDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "innograph_store_call_duration_seconds",
			Help:    "Time of a store call, by backend and method.",
			Buckets: latencyBuckets,
		}, []string{"backend", "method"}),
		storeKeys: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "innograph_store_batch_keys",
			Help:    "Ids asked for by one GetNodes, GetEdges or Neighbors call: the batch sizes of the per-request loaders.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 12),
		}, []string{"backend", "method"}),
		rows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "innograph_store_rows_total",
			Help: "Nodes and relationships written (Apply, Replace: imports, mutations, seeding) and scanned (ScanNodes, ScanEdges: exports), by direction (written, scanned) and item (node, relationship).",
		}, []string{"direction", "item"}),
		auditEntries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "innograph_audit_entries_total",
			Help: "Audit entries written with the batches that carried them.",
		}),
		storeOpen: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "innograph_store_open_seconds",
			Help: "Time the store took to open at start (the embedded store reads every record and builds its indexes), by backend.",
		}, []string{"backend"}),
		ops: map[string]*operationMetrics{},
	}
	m.reg.MustRegister(m.requests, m.requestDuration, m.complexity, m.fieldDuration,
		m.storeCalls, m.storeDuration, m.storeKeys, m.rows, m.auditEntries, m.storeOpen,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.fixed = map[string]*operationMetrics{}
	for _, label := range []string{AnonymousOperation, OtherOperation, NoOperation} {
		m.fixed[label] = m.bind(label)
	}
	return m
}

// bind returns the metrics of the operation label.
func (m *Metrics) bind(label string) *operationMetrics {
	return &operationMetrics{
		label:    label,
		duration: m.requestDuration.WithLabelValues(label),
		ok:       m.requests.WithLabelValues(label, OutcomeOK),
	}
}

// Registry is where the metrics are registered; Register more with it.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus text (or OpenMetrics) format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, EnableOpenMetrics: true})
}

// StoreOpened records how long the store of backend took to open.
func (m *Metrics) StoreOpened(backend string, took time.Duration) {
	if m != nil {
		m.storeOpen.WithLabelValues(backend).Set(took.Seconds())
	}
}

// GaugeFunc registers a gauge whose value f gives at every scrape.
func (m *Metrics) GaugeFunc(name, help string, f func() float64) {
	if m != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f))
	}
}

var operationName = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// Operation returns the label of an operation name: the name itself when
// it is short, made of [A-Za-z0-9_] and among the first MaxOperations
// distinct names seen; AnonymousOperation for ""; OtherOperation else.
func (m *Metrics) Operation(name string) string { return m.operation(name).label }

// operation returns the metrics of the label of an operation name (see
// Operation). A name already seen costs one map look-up.
func (m *Metrics) operation(name string) *operationMetrics {
	if name == "" {
		return m.fixed[AnonymousOperation]
	}
	m.opMu.RLock()
	om, known := m.ops[name]
	full := len(m.ops) >= MaxOperations
	m.opMu.RUnlock()
	switch {
	case known:
		return om
	case full, len(name) > MaxOperationName, !operationName.MatchString(name):
		return m.fixed[OtherOperation]
	}
	m.opMu.Lock()
	defer m.opMu.Unlock()
	if om, known := m.ops[name]; known {
		return om
	}
	if len(m.ops) >= MaxOperations {
		return m.fixed[OtherOperation]
	}
	om = m.bind(name)
	m.ops[name] = om
	return om
}

// observeRequest records a GraphQL request.
func (m *Metrics) observeRequest(operation, outcome string, took time.Duration, complexity int) {
	var om *operationMetrics
	if operation == NoOperation {
		om = m.fixed[NoOperation]
	} else {
		om = m.operation(operation)
	}
	if outcome == OutcomeOK {
		om.ok.Inc()
	} else {
		m.requests.WithLabelValues(om.label, outcome).Inc()
	}
	om.duration.Observe(took.Seconds())
	if complexity > 0 {
		m.complexity.Observe(float64(complexity))
	}
}

// rootField returns the duration histogram of a root field, bound to its
// label once: root fields are the schema's, so their labels are bounded.
func (m *Metrics) rootField(field string) prometheus.Observer {
	if o, ok := m.fields.Load(field); ok {
		return o.(prometheus.Observer)
	}
	o, _ := m.fields.LoadOrStore(field, m.fieldDuration.WithLabelValues(field))
	return o.(prometheus.Observer)
}

// StoreMethod holds the metrics of one method of one backend's store,
// bound to their labels once.
type StoreMethod struct {
	m        *Metrics
	backend  string
	method   string
	duration prometheus.Observer
	keys     prometheus.Observer
	ok       prometheus.Counter
}

// StoreMethod returns the metrics of a method of a backend's store.
func (m *Metrics) StoreMethod(backend, method string) *StoreMethod {
	return &StoreMethod{
		m: m, backend: backend, method: method,
		duration: m.storeDuration.WithLabelValues(backend, method),
		keys:     m.storeKeys.WithLabelValues(backend, method),
		ok:       m.storeCalls.WithLabelValues(backend, method, OutcomeOK),
	}
}

// Observe records one call that took took and ended with outcome.
func (s *StoreMethod) Observe(took time.Duration, outcome string) {
	s.duration.Observe(took.Seconds())
	if outcome == OutcomeOK {
		s.ok.Inc()
		return
	}
	s.m.storeCalls.WithLabelValues(s.backend, s.method, outcome).Inc()
}

// Keys records the number of ids one call asked for.
func (s *StoreMethod) Keys(n int) { s.keys.Observe(float64(n)) }

// Rows records nodes and relationships written or scanned (direction
// "written" or "scanned").
func (m *Metrics) Rows(direction string, nodes, relationships int) {
	if nodes > 0 {
		m.rows.WithLabelValues(direction, "node").Add(float64(nodes))
	}
	if relationships > 0 {
		m.rows.WithLabelValues(direction, "relationship").Add(float64(relationships))
	}
}

// AuditEntry records an audit entry written.
func (m *Metrics) AuditEntry() { m.auditEntries.Inc() }
