package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/server"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("serve", stderr)
	cfg := server.DefaultConfig()
	var sf storeFlags
	var gen seedFlags
	var lg logging
	var af authFlags
	var origins string
	var maxBody int
	var noSeed bool
	f.str(&cfg.Addr, "addr", "", cfg.Addr, "listen address")
	sf.define(f)
	f.str(&origins, "cors-origins", "", "", "comma-separated origins allowed to call the API from a browser; * for any")
	f.int(&maxBody, "max-body-bytes", "", int(cfg.MaxBodyBytes), "largest request body")
	f.int(&cfg.MaxDepth, "max-depth", "", cfg.MaxDepth, "deepest query nesting")
	f.int(&cfg.MaxComplexity, "max-complexity", "", cfg.MaxComplexity, "largest query complexity (fields × page sizes)")
	f.int(&cfg.MaxTokens, "max-tokens", "", cfg.MaxTokens, "most tokens of a query document (0: no limit)")
	f.int(&cfg.MaxFields, "max-fields", "", cfg.MaxFields, "most fields of a query document, fragments expanded")
	f.int(&cfg.MaxSelectionFields, "max-selection-fields", "", cfg.MaxSelectionFields, "most fields of one selection set, fragments and merged fields included")
	f.int(&cfg.MaxAliases, "max-aliases", "", cfg.MaxAliases, "most aliases of a query document, fragments expanded")
	f.int(&cfg.MaxIntrospectionRoots, "max-introspection-roots", "", cfg.MaxIntrospectionRoots, "most __schema and __type fields of an operation")
	f.int(&cfg.MaxIntrospectionDepth, "max-introspection-depth", "", cfg.MaxIntrospectionDepth, "deepest nesting under __schema or __type")
	f.int(&cfg.MaxAnalyticsFields, "max-analytics-fields", "", cfg.MaxAnalyticsFields, "most analytics fields (neighborhood, paths, centrality, …) of an operation")
	f.duration(&cfg.Timeout, "timeout", "", cfg.Timeout, "time limit of one request")
	f.duration(&cfg.LoaderWait, "loader-wait", "", cfg.LoaderWait, "how long nested fields collect keys into one store call")
	f.BoolVar(&noSeed, "no-seed", false, "do not seed the demo ecosystem into an empty store")
	af.define(f)
	gen.define(f)
	lg.define(f)
	if err := f.parse(args); err != nil {
		return err
	}
	if err := af.apply(&cfg); err != nil {
		return err
	}
	cfg.MaxBodyBytes = int64(maxBody)
	for _, o := range strings.Split(origins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			cfg.AllowedOrigins = append(cfg.AllowedOrigins, o)
		}
	}
	log, err := lg.logger(stderr)
	if err != nil {
		return err
	}
	if cfg.Keys.Len() > 0 {
		log.Info("API keys", "keys", cfg.Keys.Names(), "requireKeyForReads", cfg.RequireKeyForReads)
	} else {
		log.Info("no API keys: nobody can write through the API (innograph keys new)")
	}
	st, err := sf.open(ctx, log)
	if err != nil {
		return err
	}
	defer st.Close()
	ready := &server.Readiness{}
	ready.NotReady("starting")
	go bootstrap(ctx, st, ready, !noSeed, gen, log)
	h := server.Handler(cfg, st, ready, log)
	return server.Serve(ctx, cfg, h, log, func(addr string) {
		log.Info("serving", "addr", addr, "store", sf.kind, "graphiql", "http://"+displayAddr(addr)+"/", "graphql", "http://"+displayAddr(addr)+"/graphql")
	})
}

// bootstrap waits until the store answers, seeds the demo ecosystem into
// an empty store, and then marks the server ready.
func bootstrap(ctx context.Context, st kg.Store, ready *server.Readiness, seedEmpty bool, gen seedFlags, log *slog.Logger) {
	for delay := 500 * time.Millisecond; ; delay = min(delay*2, 10*time.Second) {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := st.Ping(pctx)
		cancel()
		if err == nil {
			break
		}
		ready.NotReady(fmt.Sprintf("store unavailable: %v", err))
		log.Warn("store unavailable, retrying", "err", err, "in", delay)
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
		if _, err := writeDemo(ctx, st, gen, log); err != nil {
			ready.NotReady(fmt.Sprintf("seeding failed: %v", err))
			log.Error("seeding failed", "err", err)
			return
		}
	}
	ready.Ready()
	log.Info("ready")
}

func displayAddr(addr string) string {
	if strings.HasPrefix(addr, "[::]:") || strings.HasPrefix(addr, "0.0.0.0:") {
		return "localhost" + addr[strings.LastIndex(addr, ":"):]
	}
	return addr
}
