// Package server wires the HTTP side of InnoGraph: the GraphQL endpoint
// (with its limits), GraphiQL, health and readiness probes, CORS, request
// logging, metrics and traces (package observe), and a graceful start and
// stop.
package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/validator/rules"
	"go.opentelemetry.io/otel/trace"

	"github.com/innograph/innograph/auth"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/generated"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/loaders"
	"github.com/innograph/innograph/observe"
	"github.com/innograph/innograph/seed"
	"github.com/innograph/innograph/web"
)

// Config holds the settings of the HTTP server.
type Config struct {
	// Addr is the listen address, e.g. ":8080".
	Addr string
	// AllowedOrigins are the CORS origins allowed to call the API; "*"
	// allows any. Empty: same-origin only.
	AllowedOrigins []string
	// MaxBodyBytes bounds a request body.
	MaxBodyBytes int64
	// MaxDepth bounds how deeply a query nests, in relationship hops: a
	// connection's edges, node and pageInfo do not count, nor does
	// introspection (see MaxIntrospectionDepth).
	MaxDepth int
	// MaxComplexity bounds a query's complexity, about the objects its
	// answer can hold: each object costs 1 (scalar values and connection
	// wrappers nothing), a field with `first` multiplies the cost of its
	// children by it, and an
	// analytics field costs what its arguments let it return and compute
	// (see docs/security.md). Introspection does not count.
	MaxComplexity int
	// MaxTokens bounds the tokens of a document (gqlgen's parser token
	// limit); 0: no limit.
	MaxTokens int
	// MaxFields bounds the fields of a document, its fragments expanded.
	MaxFields int
	// MaxSelectionFields bounds the fields of one selection set, with its
	// fragments and the same-named fields it merges with: validation and
	// execution do work that grows with the square of it.
	MaxSelectionFields int
	// MaxAliases bounds the aliased fields of a document, its fragments
	// expanded.
	MaxAliases int
	// MaxIntrospectionRoots bounds the __schema and __type fields of an
	// operation.
	MaxIntrospectionRoots int
	// MaxIntrospectionDepth bounds how deeply fields nest under __schema
	// or __type (GraphiQL's introspection query needs 15).
	MaxIntrospectionDepth int
	// MaxAnalyticsFields bounds the analytics fields (neighborhood, paths,
	// centrality, …) of an operation.
	MaxAnalyticsFields int
	// Timeout bounds the handling of one request.
	Timeout time.Duration
	// WriteTimeout bounds the writing of a response other than an export,
	// from the end of its request's headers; 0 or less: Timeout + 10 s.
	WriteTimeout time.Duration
	// ExportIdleTimeout bounds how long an export may wait for its client
	// to take more of it: every write moves its deadline that far ahead,
	// so an export lasts as long as its client keeps reading, whatever
	// WriteTimeout says; 0 or less: DefaultExportIdleTimeout.
	ExportIdleTimeout time.Duration
	// LoaderWait is how long nested fields collect keys into one store call.
	LoaderWait time.Duration
	// DisablePlanner turns request plans off: root fields read only their
	// own nodes, and nested relationship fields read through the loaders,
	// one store call per level (see graph.Resolver).
	DisablePlanner bool
	// District is the district supplyChain and industryChainGaps count as
	// inside when a request names none.
	District string
	// DisableWriter turns the response writer off: every operation is
	// executed by gqlgen's executor, fully planned ones too (see
	// graph.Writer).
	DisableWriter bool
	// Keys are the API keys the server knows (see package auth); nil:
	// none, so that nobody can write.
	Keys *auth.Keys
	// RequireKeyForReads makes /graphql and /export refuse requests
	// without a key; by default anyone may read.
	RequireKeyForReads bool
	// Metrics, if not nil, records the requests and is served at
	// /metrics, behind the same key check as /graphql (see
	// docs/observability.md).
	Metrics *observe.Metrics
	// SlowRequest, if above 0, logs a warning with the query's shape
	// (not its values) for every request that takes at least as long.
	SlowRequest time.Duration
	// TracerProvider makes the spans of requests; nil: the global one,
	// which package observe sets up from the OTEL_* environment.
	TracerProvider trace.TracerProvider
}

// DefaultExportIdleTimeout is the ExportIdleTimeout of a Config that sets
// none.
const DefaultExportIdleTimeout = 30 * time.Second

// DefaultSlowRequest is the SlowRequest of DefaultConfig.
const DefaultSlowRequest = 2 * time.Second

// DefaultConfig returns the defaults documented in the README.
func DefaultConfig() Config {
	return Config{
		Addr: ":8080", MaxBodyBytes: 1 << 20, MaxDepth: 12, MaxComplexity: 200_000,
		MaxTokens: 15_000, MaxFields: 5_000, MaxSelectionFields: 100, MaxAliases: 200,
		MaxIntrospectionRoots: 2, MaxIntrospectionDepth: 20, MaxAnalyticsFields: 10,
		Timeout: 30 * time.Second, LoaderWait: loaders.DefaultWait,
		ExportIdleTimeout: DefaultExportIdleTimeout, SlowRequest: DefaultSlowRequest,
		District: seed.District,
	}
}

// Readiness tells whether the server can serve, and if not, why.
type Readiness struct {
	mu     sync.Mutex
	reason string
}

// NotReady records why the server is not ready.
func (r *Readiness) NotReady(reason string) { r.mu.Lock(); r.reason = reason; r.mu.Unlock() }

// Ready marks the server ready.
func (r *Readiness) Ready() { r.NotReady("") }

// Reason is "" when ready.
func (r *Readiness) Reason() string { r.mu.Lock(); defer r.mu.Unlock(); return r.reason }

// GraphQL returns the GraphQL handler over store with the limits of cfg
// (document size, depth, introspection, analytics fields, complexity; see
// docs/security.md); body size and timeout are applied by Handler.
func GraphQL(cfg Config, store kg.Store) http.Handler {
	resolver := &graph.Resolver{Store: store, DisablePlanner: cfg.DisablePlanner, District: cfg.District}
	ec := generated.Config{Resolvers: resolver}
	setComplexity(&ec.Complexity)
	size := &graphSize{store: store}
	setAnalyticsComplexity(&ec.Complexity, size)
	es := generated.NewExecutableSchema(ec)
	if !cfg.DisableWriter {
		es = graph.NewWriter(es, resolver)
	}
	srv := handler.New(es)
	srv.Use(observe.Extension{Metrics: cfg.Metrics})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(httpTransport{})
	cache := lru.New[*ast.QueryDocument](1000)
	srv.SetQueryCache(cache)
	srv.SetParserTokenLimit(cfg.MaxTokens)
	srv.SetValidationRulesFn(func() *rules.Rules { return validationRules() })
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.Use(documentLimits{cfg: cfg, cache: cache})
	srv.Use(nullVariables{})
	srv.Use(size)
	srv.Use(newComplexityLimit(cfg.MaxComplexity, complexity.WithFixedScalarValue(0), complexity.WithIgnoreFields(map[string]struct{}{"Query.__type": {}})))
	srv.SetErrorPresenter(presentError)
	srv.AroundResponses(orderErrors)
	srv.SetRecoverFunc(func(ctx context.Context, p any) error {
		slog.ErrorContext(ctx, "panic in resolver", "panic", p)
		return fmt.Errorf("internal error")
	})
	return loaders.Middleware(store, cfg.LoaderWait, srv)
}

// presentError adds extensions.code to every error and hides internal
// details of unexpected ones.
func presentError(ctx context.Context, err error) *gqlerror.Error {
	gerr := graphql.DefaultErrorPresenter(ctx, err)
	if gerr.Extensions == nil {
		gerr.Extensions = map[string]any{}
	}
	if _, ok := gerr.Extensions["code"]; !ok {
		gerr.Extensions["code"] = graph.Code(err)
	}
	var ve *kg.ValidationError
	if errors.As(err, &ve) {
		problems := make([]map[string]any, len(ve.Errors))
		for i, fe := range ve.Errors {
			problems[i] = map[string]any{"list": fe.List, "item": fe.Item, "id": fe.ID, "field": fe.Field, "message": fe.Message}
		}
		gerr.Extensions["problems"] = problems
	}
	return gerr
}

// Handler returns the whole HTTP handler: /graphql, /export/{format},
// GraphiQL at /, the explorer at /explore, /healthz, /readyz and, with
// cfg.Metrics, /metrics, with CORS, API keys, body limit, timeout, logging,
// metrics and traces.
func Handler(cfg Config, store kg.Store, ready *Readiness, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	gql := GraphQL(cfg, store)
	mux.Handle("/graphql", requireReady(ready, auth.Middleware(cfg.Keys, cfg.RequireKeyForReads, limitBody(cfg.MaxBodyBytes, requireText(withTimeout(cfg.Timeout, gql))))))
	mux.Handle("GET /export/{format}", requireReady(ready, auth.Middleware(cfg.Keys, cfg.RequireKeyForReads, exportHandler(store, cfg.exportIdle(), log))))
	mux.Handle("/", web.Handler("/graphql"))
	if cfg.Metrics != nil {
		mux.Handle("GET /metrics", auth.Middleware(cfg.Keys, cfg.RequireKeyForReads, cfg.Metrics.Handler()))
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if reason := ready.Reason(); reason != "" {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "not ready: %s\n", reason)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := store.Ping(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "not ready: %v\n", err)
			return
		}
		io.WriteString(w, "ready\n")
	})
	c := cors.New(cors.Options{
		AllowedOrigins: cfg.AllowedOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodOptions},
		AllowedHeaders: []string{"Content-Type", "Authorization"},
		MaxAge:         600,
	})
	return logRequests(log, cfg.SlowRequest, observe.Middleware(cfg.Metrics, cfg.TracerProvider, c.Handler(mux)))
}

// requireReady answers 503 with a STORE_UNAVAILABLE error that gives the
// reason while the server is not ready (the store not yet reached or
// migrated, or being seeded), so that nothing is read from a store being
// filled and no write lands before the seeding that would replace it.
func requireReady(ready *Readiness, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if reason := ready.Reason(); reason != "" {
			w.Header().Set("Retry-After", "1")
			writeErrorAs(w, responseMedia(r), http.StatusServiceUnavailable, codeUnavailable, "the server is not ready: "+reason)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// withTimeout answers 503 with a TIMEOUT error, in the negotiated media
// type, when next takes longer than d.
func withTimeout(d time.Duration, next http.Handler) http.Handler {
	th := http.TimeoutHandler(next, d, timeoutBody(d))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// On a timeout, http.TimeoutHandler writes its body to w with the
		// headers set here; otherwise next's own headers replace them.
		w.Header().Set("Content-Type", responseMedia(r)+"; charset=utf-8")
		th.ServeHTTP(w, r)
	})
}

func timeoutBody(d time.Duration) string {
	b, _ := json.Marshal(map[string]any{"errors": []map[string]any{{
		"message":    fmt.Sprintf("request took longer than the limit of %s", d),
		"extensions": map[string]any{"code": "TIMEOUT"},
	}}})
	return string(b)
}

// limitBody refuses bodies larger than max with a GraphQL-shaped error
// (413, in the negotiated media type).
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			body, err := io.ReadAll(io.LimitReader(r.Body, max+1))
			if err != nil {
				writeErrorAs(w, responseMedia(r), http.StatusBadRequest, codeBadRequest, fmt.Sprintf("reading the request body: %v", err))
				return
			}
			if int64(len(body)) > max {
				writeErrorAs(w, responseMedia(r), http.StatusRequestEntityTooLarge, "REQUEST_TOO_LARGE", fmt.Sprintf("request body is larger than the limit of %d bytes", max))
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}

// writeError writes an application/json response with one error.
func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{"message": msg, "extensions": map[string]any{"code": code}}}})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusWriter) WriteHeader(code int) { s.status = code; s.ResponseWriter.WriteHeader(code) }

// Unwrap lets http.ResponseController reach the connection's writer (an
// export moves its write deadline through it).
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// logRequests logs one line per request: its method, path, status, size,
// duration and remote address, and what observe.Request knows of it (the
// GraphQL operation, its complexity and outcome, the store calls). A
// request that takes slow or longer (if slow > 0) is logged again, as a
// warning with the shape of its query.
func logRequests(log *slog.Logger, slow time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		ctx, req := observe.WithRequest(r.Context())
		next.ServeHTTP(sw, r.WithContext(ctx))
		took := time.Since(start)
		attrs := append([]slog.Attr{
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", sw.status), slog.Int("bytes", sw.bytes),
			slog.Duration("duration", took), slog.String("remote", r.RemoteAddr)}, req.LogAttrs()...)
		log.LogAttrs(ctx, slog.LevelInfo, "request", attrs...)
		if slow > 0 && took >= slow {
			log.LogAttrs(ctx, slog.LevelWarn, "slow request", append(attrs, slog.Duration("threshold", slow), slog.String("shape", req.Shape()))...)
		}
	})
}

// writeTimeout is cfg.WriteTimeout, or its default.
func (cfg Config) writeTimeout() time.Duration {
	if cfg.WriteTimeout <= 0 {
		return cfg.Timeout + 10*time.Second
	}
	return cfg.WriteTimeout
}

// Serve listens on cfg.Addr and serves h until ctx is done, then shuts
// down gracefully, letting requests in flight finish (up to 15 s).
// started, if not nil, receives the bound address once listening.
//
// A request's body must arrive within Timeout + 10 s and its response be
// written within cfg.WriteTimeout (Timeout + 10 s by default), except an
// export's: its handler moves the deadline ahead as the client takes the
// data, so a long export to a steady reader goes through and only a
// client that stops reading (for ExportIdleTimeout) is cut.
func Serve(ctx context.Context, cfg Config, h http.Handler, log *slog.Logger, started func(addr string)) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       cfg.Timeout + 10*time.Second,
		WriteTimeout:      cfg.writeTimeout(),
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if started != nil {
		started(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
