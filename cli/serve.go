package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/observe"
	"github.com/innograph/innograph/seed"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/embedded"
	"github.com/innograph/innograph/store/observed"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	f := newFlags("serve", stdout, stderr)
	defer func() { err = f.annotate(err) }()
	cfg := server.DefaultConfig()
	var sf storeFlags
	var gen seedFlags
	var lg logging
	var af authFlags
	var origins string
	var maxBody int
	var noSeed bool
	f.str(&cfg.Addr, "addr", "", cfg.Addr, "listen `ADDRESS`, host:port; an empty host listens on every interface")
	sf.define(f)
	f.str(&origins, "cors-origins", "", "", "comma-separated `ORIGINS` allowed to call the API from a browser, such as https://app.example.com; * for any")
	f.int(&maxBody, "max-body-bytes", "", int(cfg.MaxBodyBytes), "largest request body, in `BYTES`")
	f.int(&cfg.MaxDepth, "max-depth", "", cfg.MaxDepth, "deepest query nesting, in relationship `HOPS` (edges, node, pageInfo and introspection do not count)")
	f.int(&cfg.MaxComplexity, "max-complexity", "", cfg.MaxComplexity, "largest query complexity: the objects an answer can hold (objects × page sizes; analytics fields by their arguments)")
	f.int(&cfg.MaxTokens, "max-tokens", "", cfg.MaxTokens, "most tokens of a query document (0: no limit)")
	f.int(&cfg.MaxFields, "max-fields", "", cfg.MaxFields, "most fields of a query document, fragments expanded")
	f.int(&cfg.MaxSelectionFields, "max-selection-fields", "", cfg.MaxSelectionFields, "most fields of one selection set, fragments and merged fields included")
	f.int(&cfg.MaxAliases, "max-aliases", "", cfg.MaxAliases, "most aliases of a query document, fragments expanded")
	f.int(&cfg.MaxIntrospectionRoots, "max-introspection-roots", "", cfg.MaxIntrospectionRoots, "most __schema and __type fields of an operation")
	f.int(&cfg.MaxIntrospectionDepth, "max-introspection-depth", "", cfg.MaxIntrospectionDepth, "deepest nesting under __schema or __type")
	f.int(&cfg.MaxAnalyticsFields, "max-analytics-fields", "", cfg.MaxAnalyticsFields, "most analytics fields (neighborhood, paths, centrality, …) of an operation")
	f.duration(&cfg.Timeout, "timeout", "", cfg.Timeout, "time limit of one request")
	f.duration(&cfg.WriteTimeout, "write-timeout", "", 0, "time limit for writing a response other than an export (0: the timeout and 10s more)")
	f.duration(&cfg.ExportIdleTimeout, "export-idle-timeout", "", cfg.ExportIdleTimeout, "how long an export may wait for its client to take more (an export lasts as long as its client reads)")
	f.duration(&cfg.LoaderWait, "loader-wait", "", cfg.LoaderWait, "how long nested fields collect keys into one store call (0: no wait)")
	f.duration(&cfg.SlowRequest, "slow-request", "", cfg.SlowRequest, "log a warning with the query's shape (not its values) for every request that takes this long or longer (0: never)")
	f.str(&cfg.District, "district", "", cfg.District, "the `DISTRICT` supplyChain and industryChainGaps count as inside when a query names none")
	f.boolean(&noSeed, "no-seed", "", "do not seed the demo ecosystem into an empty store")
	af.define(f)
	gen.define(f)
	lg.define(f)
	if err := f.parse(args); err != nil {
		return err
	}
	log, err := lg.logger(stderr)
	if err != nil {
		return err
	}
	cfg.MaxBodyBytes = int64(maxBody)
	if cfg.AllowedOrigins, err = parseOrigins(origins); err != nil {
		return err
	}
	if err := checkServe(cfg); err != nil {
		return err
	}
	if err := sf.validate(); err != nil {
		return err
	}
	if err := gen.validate(); err != nil {
		return err
	}
	if err := af.apply(&cfg); err != nil {
		return err
	}
	if err := checkListen(cfg.Addr); err != nil {
		return err
	}

	if cfg.Keys.Len() > 0 {
		log.Info("API keys", "keys", cfg.Keys.Names(), "requireKeyForReads", cfg.RequireKeyForReads)
	} else {
		log.Info("no API keys: nobody can write through the API (innograph keys new)")
	}
	stopTracing, tracing, err := observe.Tracing(ctx, log)
	if err != nil {
		return err
	}
	if tracing {
		log.Info("exporting traces by OTLP/HTTP (OTEL_* environment variables)")
		defer func() {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := stopTracing(sctx); err != nil {
				log.Warn("flushing traces", "err", err)
			}
		}()
	}
	log.Info("opening the store", sf.where()...)
	opening := time.Now()
	opened, err := sf.open(ctx, log, true)
	if err != nil {
		return err
	}
	defer opened.Close()
	cfg.Metrics = observe.NewMetrics()
	cfg.Metrics.StoreOpened(sf.kind, time.Since(opening))
	if sf.kind == "embedded" {
		path := filepath.Join(sf.dataDir, embedded.FileName)
		cfg.Metrics.GaugeFunc("innograph_embedded_store_bytes", "Size of the embedded store's file, in bytes.", func() float64 {
			fi, err := os.Stat(path)
			if err != nil {
				return 0
			}
			return float64(fi.Size())
		})
	}
	st := observed.Wrap(opened, sf.kind, cfg.Metrics)
	ready := &server.Readiness{}
	ready.NotReady("starting")
	go bootstrap(ctx, st, ready, !noSeed, gen, sf, log)
	h := server.Handler(cfg, st, ready, log)
	return server.Serve(ctx, cfg, h, log, func(addr string) {
		attrs := []any{"addr", addr, "graphiql", "http://" + displayAddr(addr) + "/", "graphql", "http://" + displayAddr(addr) + "/graphql"}
		log.Info("serving", append(attrs, sf.where()...)...)
	})
}

// checkServe checks the server's limits and its listen address's form.
func checkServe(cfg server.Config) error {
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return badFlag("addr", cfg.Addr, "want host:port, such as :8080 or 127.0.0.1:8080")
	}
	if _, err := net.LookupPort("tcp", port); err != nil || port == "" {
		return badFlag("addr", cfg.Addr, fmt.Sprintf("port %q is not a port number", port))
	}
	if strings.ContainsAny(host, " /\\?#@") {
		return badFlag("addr", cfg.Addr, fmt.Sprintf("host %q is neither an IP address nor a host name", host))
	}
	for _, c := range []struct {
		flag string
		n    int64
	}{
		{"max-body-bytes", cfg.MaxBodyBytes},
		{"max-depth", int64(cfg.MaxDepth)},
		{"max-complexity", int64(cfg.MaxComplexity)},
		{"max-fields", int64(cfg.MaxFields)},
		{"max-selection-fields", int64(cfg.MaxSelectionFields)},
		{"max-aliases", int64(cfg.MaxAliases)},
		{"max-introspection-roots", int64(cfg.MaxIntrospectionRoots)},
		{"max-introspection-depth", int64(cfg.MaxIntrospectionDepth)},
		{"max-analytics-fields", int64(cfg.MaxAnalyticsFields)},
	} {
		if c.n <= 0 {
			return badFlag(c.flag, c.n, "want a positive number")
		}
	}
	if strings.TrimSpace(cfg.District) == "" {
		return badFlag("district", cfg.District, "want the name of a district, such as "+seed.District)
	}
	if cfg.MaxTokens < 0 {
		return badFlag("max-tokens", cfg.MaxTokens, "want 0 (no limit) or a positive number")
	}
	for _, c := range []struct {
		flag string
		d    time.Duration
	}{
		{"timeout", cfg.Timeout},
		{"export-idle-timeout", cfg.ExportIdleTimeout},
	} {
		if c.d <= 0 {
			return badFlag(c.flag, c.d, "want a positive duration, such as 30s")
		}
	}
	if cfg.WriteTimeout < 0 {
		return badFlag("write-timeout", cfg.WriteTimeout, "want 0 (the timeout and 10s more) or a positive duration")
	}
	if cfg.SlowRequest < 0 {
		return badFlag("slow-request", cfg.SlowRequest, "want 0 (never) or a positive duration, such as 2s")
	}
	if cfg.LoaderWait < 0 {
		return badFlag("loader-wait", cfg.LoaderWait, "want 0 or a positive duration, such as 3ms")
	}
	return nil
}

// parseOrigins parses --cors-origins: * or origins scheme://host[:port].
func parseOrigins(s string) ([]string, error) {
	var out []string
	for _, o := range strings.Split(s, ",") {
		if o = strings.TrimSpace(o); o == "" {
			continue
		}
		if o != "*" {
			u, err := url.Parse(o)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
				return nil, badFlag("cors-origins", s, fmt.Sprintf("%q is not an origin: want scheme://host[:port] such as https://app.example.com, or *", o))
			}
		}
		out = append(out, o)
	}
	return out, nil
}

// checkListen makes sure that the server can listen on addr before the
// store is opened and seeded.
func checkListen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return badFlag("addr", addr, fmt.Sprintf("cannot listen: %v", err))
	}
	return ln.Close()
}

// bootstrap waits until the store answers, seeds the demo ecosystem into
// an empty store, and then marks the server ready.
func bootstrap(ctx context.Context, st kg.Store, ready *server.Readiness, seedEmpty bool, gen seedFlags, sf storeFlags, log *slog.Logger) {
	for delay := 500 * time.Millisecond; ; delay = min(delay*2, 10*time.Second) {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := st.Ping(pctx)
		cancel()
		if err == nil {
			break
		}
		ready.NotReady(unavailableReason(err))
		attrs := []any{"err", err, "in", delay}
		if sf.kind == "neo4j" {
			attrs = append(attrs, "hint", neo4jHint(sf.neo4j.URI))
		}
		log.Warn("store unavailable, retrying", attrs...)
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
	}
	stats, err := st.Stats(ctx)
	if err != nil {
		ready.NotReady(fmt.Sprintf("reading store stats: %v", err))
		log.Error("reading store stats", "err", err)
		return
	}
	if stats.Nodes == 0 && seedEmpty {
		ready.NotReady("seeding the demo ecosystem")
		if _, err := replaceWithDemo(ctx, st, generate(gen, log), log); err != nil {
			ready.NotReady(fmt.Sprintf("seeding failed: %v", err))
			log.Error("seeding failed", "err", err)
			return
		}
	}
	ready.Ready()
	log.Info("ready")
}

// unavailableReason is the readiness reason of a failed ping: the error,
// which says "store unavailable" once, whether the store said it or not.
func unavailableReason(err error) string {
	if errors.Is(err, kg.ErrUnavailable) {
		return err.Error()
	}
	return fmt.Sprintf("%v: %v", kg.ErrUnavailable, err)
}

func displayAddr(addr string) string {
	if strings.HasPrefix(addr, "[::]:") || strings.HasPrefix(addr, "0.0.0.0:") {
		return "localhost" + addr[strings.LastIndex(addr, ":"):]
	}
	return addr
}
