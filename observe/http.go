package observe

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// GraphQLPath is the path whose requests Metrics counts.
const GraphQLPath = "/graphql"

// Middleware observes every request that next serves: it starts a server
// span with tp (nil: the global TracerProvider), continuing the caller's
// W3C trace context, except for the probes and /metrics, and records each
// GraphQL request in m (nil: none) by operation and outcome. The spans of
// root fields and store calls are its children. It uses the Request of
// the request's context, adding one if there is none.
func Middleware(m *Metrics, tp trace.TracerProvider, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := routeOf(r.URL.Path)
		if route == "" {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		ctx := r.Context()
		req := RequestFrom(ctx)
		newCtx := req == nil
		if newCtx {
			ctx, req = WithRequest(ctx)
		}
		sctx := otel.GetTextMapPropagator().Extract(ctx, propagation.HeaderCarrier(r.Header))
		sctx, span := TracerOf(tp).Start(sctx, spanName(r.Method, route), serverSpan...)
		if span.IsRecording() {
			// Only a recording span has children (see ChildSpan): the
			// context of one that is not is not passed on.
			ctx, newCtx = sctx, true
		}
		if newCtx {
			r = r.WithContext(ctx)
		}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		graphql, operation, outcome, complexity := req.result()
		if outcome == "" || (outcome == OutcomeOK && status >= 400) {
			// gqlgen did not answer, or its answer was not the one sent
			// (the timeout's was).
			outcome = statusOutcome(status)
		}
		if route == GraphQLPath && r.Method != http.MethodOptions && m != nil {
			if !graphql {
				operation = NoOperation
			}
			m.observeRequest(operation, outcome, time.Since(start), complexity)
		}
		if span.IsRecording() {
			attrs := make([]attribute.KeyValue, 0, 7)
			attrs = append(attrs, attribute.String("http.request.method", r.Method),
				attribute.String("http.route", route),
				attribute.Int("http.response.status_code", status),
				attribute.Int64("innograph.store_calls", req.StoreCalls()))
			if graphql {
				attrs = append(attrs, attribute.String("graphql.operation.name", truncate(operation, maxLoggedName)),
					attribute.Int("innograph.complexity", complexity),
					attribute.String("innograph.outcome", outcome))
			}
			span.SetAttributes(attrs...)
			if outcome != OutcomeOK || status >= 500 {
				span.SetStatus(codes.Error, outcome)
			}
		}
		span.End()
	})
}

// serverSpan are the options of a request's span.
var serverSpan = []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindServer)}

// spanName is the name of the span of a request of method to route.
func spanName(method, route string) string {
	switch {
	case method == http.MethodPost && route == GraphQLPath:
		return "POST " + GraphQLPath
	case method == http.MethodGet && route == GraphQLPath:
		return "GET " + GraphQLPath
	case method == http.MethodGet && route == exportRoute:
		return "GET " + exportRoute
	case method == http.MethodGet && route == "/":
		return "GET /"
	}
	return method + " " + route
}

// exportRoute is the route of the exports.
const exportRoute = "/export/{format}"

// routeOf is the route of a path for span names, bounded: "" for the
// paths that are not traced.
func routeOf(path string) string {
	switch {
	case path == GraphQLPath:
		return GraphQLPath
	case strings.HasPrefix(path, "/export/"):
		return exportRoute
	case path == "/metrics", path == "/healthz", path == "/readyz":
		return ""
	}
	return "/"
}

// statusOutcome is the outcome of a request that gqlgen did not answer,
// by its HTTP status.
func statusOutcome(status int) string {
	switch {
	case status < 400:
		return OutcomeOK
	case status == http.StatusUnauthorized:
		return "UNAUTHENTICATED"
	case status == http.StatusRequestEntityTooLarge:
		return "REQUEST_TOO_LARGE"
	case status == http.StatusServiceUnavailable:
		return "TIMEOUT"
	}
	return "HTTP_" + strconv.Itoa(status)
}

// statusWriter remembers the status of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
