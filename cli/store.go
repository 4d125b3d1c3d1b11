package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/seed"
	"github.com/innograph/innograph/store/embedded"
	neo4jstore "github.com/innograph/innograph/store/neo4j"
)

// storeFlags select and configure a backend.
type storeFlags struct {
	kind    string
	dataDir string
	neo4j   neo4jstore.Config
}

func (s *storeFlags) define(f *flags) {
	s.neo4j = neo4jstore.DefaultConfig()
	f.str(&s.kind, "store", "", "embedded", "which `KIND` of store: embedded or neo4j")
	f.str(&s.dataDir, "data-dir", "", DefaultDataDir(), "directory `DIR` of the embedded store (created if missing)")
	f.str(&s.neo4j.URI, "neo4j-uri", "NEO4J_URI", s.neo4j.URI, "Neo4j address `URI`: bolt://host:7687, or neo4j://host:7687 for a cluster (bolt+s://, neo4j+s:// with TLS)")
	f.str(&s.neo4j.User, "neo4j-user", "NEO4J_USER", s.neo4j.User, "Neo4j `USER`")
	// The password's default stays out of the help.
	f.str(&s.neo4j.Password, "neo4j-password", "NEO4J_PASSWORD", "", "Neo4j `PASSWORD` (default: the development server's)")
	f.str(&s.neo4j.Database, "neo4j-database", "NEO4J_DATABASE", s.neo4j.Database, "Neo4j `DATABASE`")
}

// neo4jConfig returns the Neo4j configuration of the flags.
func (s *storeFlags) neo4jConfig() neo4jstore.Config {
	cfg := s.neo4j
	if cfg.Password == "" {
		cfg.Password = neo4jstore.DefaultConfig().Password
	}
	return cfg
}

// neo4jSchemes are the URI schemes of the Neo4j driver.
var neo4jSchemes = []string{"bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"}

// validate checks the store flags without touching any store.
func (s *storeFlags) validate() error {
	switch s.kind {
	case "embedded":
		if s.dataDir == "" {
			return badFlag("data-dir", "", "give the directory of the embedded store")
		}
		if fi, err := os.Stat(s.dataDir); err == nil && !fi.IsDir() {
			return badFlag("data-dir", s.dataDir, "is a file, not a directory")
		}
		return nil
	case "neo4j":
		u, err := url.Parse(s.neo4j.URI)
		if err != nil || !slices.Contains(neo4jSchemes, u.Scheme) || u.Host == "" {
			return badFlag("neo4j-uri", s.neo4j.URI, "want bolt://host:7687 or neo4j://host:7687 (bolt+s://, bolt+ssc://, neo4j+s://, neo4j+ssc:// with TLS)")
		}
		if s.neo4j.Database == "" {
			return badFlag("neo4j-database", "", "give the Neo4j database (neo4j by default)")
		}
		return nil
	}
	return badFlag("store", s.kind, "want embedded or neo4j")
}

// where returns log attributes that say where the data lives: the data
// directory, or the Neo4j URI and database.
func (s *storeFlags) where() []any {
	if s.kind == "neo4j" {
		return []any{"store", s.kind, "neo4j", s.neo4j.URI, "database", s.neo4j.Database}
	}
	dir := s.dataDir
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return []any{"store", s.kind, "dataDir", dir}
}

// neo4jHint is what to do when Neo4j at uri does not answer.
func neo4jHint(uri string) string {
	if uri == neo4jstore.DefaultConfig().URI {
		return "is Neo4j running? make neo4j-up starts the development server at " + uri
	}
	return "is Neo4j running at " + uri + "?"
}

// explain adds to an error that says the store is unavailable what to do
// about it.
func (s *storeFlags) explain(err error) error {
	if err != nil && s.kind == "neo4j" && errors.Is(err, kg.ErrUnavailable) {
		return fmt.Errorf("%w (%s)", err, neo4jHint(s.neo4j.URI))
	}
	return err
}

// open opens the selected backend; log receives what opening it has to
// say. A Neo4j store is migrated at once if Neo4j answers. If it does not,
// open fails unless waitForNeo4j is set: then the store is migrated as
// soon as Neo4j answers (see neo4j.PendingMigration), so that the server starts
// while Neo4j is down.
func (s *storeFlags) open(ctx context.Context, log *slog.Logger, waitForNeo4j bool) (kg.Store, error) {
	switch s.kind {
	case "embedded":
		st, err := embedded.Open(ctx, s.dataDir)
		if err != nil {
			return nil, fmt.Errorf("open embedded store in %s: %w", s.dataDir, err)
		}
		return st, nil
	case "neo4j":
		cfg := s.neo4jConfig()
		st, err := neo4jstore.Open(ctx, cfg)
		if err != nil {
			return nil, fmt.Errorf("open neo4j store at %s: %w", cfg.URI, err)
		}
		log := log.With("neo4j", cfg.URI, "database", cfg.Database)
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err = st.Ping(pctx)
		cancel()
		switch {
		case err != nil && waitForNeo4j:
			log.Warn("Neo4j unavailable: the schema will be migrated when it answers", "err", err, "hint", neo4jHint(cfg.URI))
			return neo4jstore.MigrateWhenReady(st, log), nil
		case err != nil:
			st.Close()
			return nil, s.explain(err)
		}
		if err := st.MigrateLogged(ctx, log); err != nil {
			st.Close()
			return nil, s.explain(err)
		}
		return st, nil
	}
	return nil, fmt.Errorf("unknown store %q (want embedded or neo4j)", s.kind)
}

// runMigrate creates the schema of the selected store.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	f := newFlags("migrate", stdout, stderr)
	defer func() { err = f.annotate(err) }()
	var sf storeFlags
	var lg logging
	sf.define(f)
	lg.define(f)
	if err := f.parse(args); err != nil {
		return err
	}
	log, err := lg.logger(stderr)
	if err != nil {
		return err
	}
	if err := sf.validate(); err != nil {
		return err
	}
	if sf.kind == "embedded" {
		fmt.Fprintf(stdout, "the embedded store (%s) has no schema to migrate: nothing to do\n", sf.dataDir)
		return nil
	}
	cfg := sf.neo4jConfig()
	st, err := neo4jstore.Open(ctx, cfg)
	if err != nil {
		return fmt.Errorf("open neo4j store at %s: %w", cfg.URI, err)
	}
	defer st.Close()
	if err := st.MigrateLogged(ctx, log.With("neo4j", cfg.URI, "database", cfg.Database)); err != nil {
		return sf.explain(err)
	}
	fmt.Fprintf(stdout, "Neo4j at %s, database %s: schema up to date\n", cfg.URI, cfg.Database)
	return nil
}

// seedFlags configure the demo generator.
type seedFlags struct {
	scale float64
	seed  int
}

// The size of the demo ecosystem at scale 1, as the help and the README
// give it: its nodes with any seed, its relationships with seed 1 (other
// seeds give a few more or fewer). TestDemoSize checks them.
const (
	demoNodes         = 611
	demoRelationships = 2490
)

// maxScale bounds --scale: about 1.15 million nodes and 4.5 million
// relationships, all held in memory while they are written.
const maxScale = 2000

func (s *seedFlags) define(f *flags) {
	f.float(&s.scale, "scale", "INNOGRAPH_SEED_SCALE", 1, fmt.Sprintf("size of the demo ecosystem, `SCALE` times the district: 1 is %s nodes and %s relationships (with seed 1), 174 about 100,000 nodes (above 0, at most %d)", grouped(demoNodes), grouped(demoRelationships), maxScale))
	f.int(&s.seed, "seed", "INNOGRAPH_SEED", 1, "random `SEED` of the demo generator: the same seed gives the same graph")
}

// validate checks the generator's flags.
func (s *seedFlags) validate() error {
	if !(s.scale > 0) || s.scale > maxScale {
		return badFlag("scale", s.scale, fmt.Sprintf("want a number above 0 and at most %d (1 is the district)", maxScale))
	}
	return nil
}

// generate builds the demo ecosystem as one batch, logging its size.
func generate(gen seedFlags, log *slog.Logger) kg.Batch {
	start := time.Now()
	ds := seed.Demo(seed.Config{Scale: gen.scale, Seed: int64(gen.seed)})
	log.Info("generated demo ecosystem", "nodes", len(ds.Nodes), "relations", len(ds.Edges), "scale", gen.scale, "seed", gen.seed, "took", time.Since(start).Round(time.Millisecond))
	return kg.Batch{Nodes: ds.Nodes, Edges: ds.Edges}
}

// replaceWithDemo makes the demo ecosystem b the whole content of st (see
// kg.Store.Replace), logging what it replaced.
func replaceWithDemo(ctx context.Context, st kg.Store, b kg.Batch, log *slog.Logger) (*kg.WriteResult, error) {
	start := time.Now()
	res, err := st.Replace(ctx, b)
	if err != nil {
		return nil, fmt.Errorf("write the demo ecosystem: %w", err)
	}
	log.Info("seeded", "nodes", res.NodesCreated, "relations", res.EdgesCreated,
		"replacedNodes", res.NodesDeleted, "replacedRelations", res.EdgesDeleted, "took", time.Since(start).Round(time.Millisecond))
	return res, nil
}

// runSeed replaces the store's contents with the demo ecosystem. Every
// flag is checked and the whole graph built before the store is opened;
// the store then replaces its contents in one step (see kg.Store.Replace).
func runSeed(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	f := newFlags("seed", stdout, stderr)
	defer func() { err = f.annotate(err) }()
	var sf storeFlags
	var gen seedFlags
	var lg logging
	sf.define(f)
	gen.define(f)
	lg.define(f)
	if err := f.parse(args); err != nil {
		return err
	}
	log, err := lg.logger(stderr)
	if err != nil {
		return err
	}
	if err := sf.validate(); err != nil {
		return err
	}
	if err := gen.validate(); err != nil {
		return err
	}
	b := generate(gen, log)
	log.Info("opening the store", sf.where()...)
	st, err := sf.open(ctx, log, false)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := replaceWithDemo(ctx, st, b, log)
	if err != nil {
		return sf.explain(err)
	}
	fmt.Fprintf(stdout, "seeded %d nodes and %d relationships (scale %v, seed %d)\n", res.NodesCreated, res.EdgesCreated, gen.scale, gen.seed)
	return nil
}

// grouped writes n with thousands separated by commas: 2,346.
func grouped(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
