package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
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
	f.str(&s.kind, "store", "", "embedded", "backend: embedded or neo4j")
	f.str(&s.dataDir, "data-dir", "", DefaultDataDir(), "directory of the embedded store")
	s.neo4j = neo4jstore.DefaultConfig()
	f.str(&s.neo4j.URI, "neo4j-uri", "NEO4J_URI", s.neo4j.URI, "Neo4j address: bolt://host:7687, or neo4j://host:7687 for a cluster (bolt+s://, neo4j+s:// with TLS)")
	f.str(&s.neo4j.User, "neo4j-user", "NEO4J_USER", s.neo4j.User, "Neo4j user")
	// The password's default stays out of the usage text.
	f.StringVar(&s.neo4j.Password, "neo4j-password", "", "Neo4j password (env NEO4J_PASSWORD, default innograph-dev)")
	f.str(&s.neo4j.Database, "neo4j-database", "NEO4J_DATABASE", s.neo4j.Database, "Neo4j database")
}

// neo4jConfig returns the Neo4j configuration of the flags.
func (s *storeFlags) neo4jConfig() neo4jstore.Config {
	cfg := s.neo4j
	if cfg.Password == "" {
		cfg.Password = neo4jstore.DefaultConfig().Password
	}
	return cfg
}

// open opens the selected backend; log receives what opening it has to
// say. A Neo4j store is migrated at once if Neo4j answers, else as soon as
// it does (see pendingMigration), so that the server starts while Neo4j is
// down.
func (s *storeFlags) open(ctx context.Context, log *slog.Logger) (kg.Store, error) {
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
		if err != nil {
			log.Warn("Neo4j unavailable: the schema will be migrated when it answers", "err", err)
			return &pendingMigration{Store: st, log: log}, nil
		}
		if err := migrate(ctx, st, log); err != nil {
			st.Close()
			return nil, err
		}
		return st, nil
	}
	return nil, fmt.Errorf("unknown store %q (want embedded or neo4j)", s.kind)
}

// migrate runs the Neo4j schema migration and logs it.
func migrate(ctx context.Context, st *neo4jstore.Store, log *slog.Logger) error {
	start := time.Now()
	if err := st.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate the Neo4j schema: %w", err)
	}
	log.Info("migrated the Neo4j schema", "statements", len(neo4jstore.SchemaStatements()), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// pendingMigration is a Neo4j store opened while Neo4j was down: its Ping
// fails with kg.ErrUnavailable until Neo4j answers and the schema
// migration, started in the background by the first successful ping, has
// finished.
type pendingMigration struct {
	*neo4jstore.Store
	log     *slog.Logger
	mu      sync.Mutex
	running bool
	done    bool
}

// Ping reports Neo4j's state and, once it answers, the migration's.
func (p *pendingMigration) Ping(ctx context.Context) error {
	if err := p.Store.Ping(ctx); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.done:
		return nil
	case !p.running:
		p.running = true
		go func() {
			mctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
			err := migrate(mctx, p.Store, p.log)
			cancel()
			if err != nil {
				p.log.Error("Neo4j schema migration failed, retrying at the next ping", "err", err)
			}
			p.mu.Lock()
			p.running, p.done = false, err == nil
			p.mu.Unlock()
		}()
	}
	return fmt.Errorf("%w: migrating the Neo4j schema", kg.ErrUnavailable)
}

// runMigrate creates the schema of the selected store.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("migrate", stderr)
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
	switch sf.kind {
	case "embedded":
		fmt.Fprintf(stdout, "the embedded store (%s) has no schema to migrate: nothing to do\n", sf.dataDir)
		return nil
	case "neo4j":
		cfg := sf.neo4jConfig()
		st, err := neo4jstore.Open(ctx, cfg)
		if err != nil {
			return fmt.Errorf("open neo4j store at %s: %w", cfg.URI, err)
		}
		defer st.Close()
		if err := migrate(ctx, st, log.With("neo4j", cfg.URI, "database", cfg.Database)); err != nil {
			if errors.Is(err, kg.ErrUnavailable) {
				fmt.Fprintf(stderr, "Neo4j at %s does not answer (is it running? `make neo4j-up`)\n", cfg.URI)
			}
			return err
		}
		fmt.Fprintf(stdout, "Neo4j at %s, database %s: schema up to date\n", cfg.URI, cfg.Database)
		return nil
	}
	return fmt.Errorf("unknown store %q (want embedded or neo4j)", sf.kind)
}

// seedFlags configure the demo generator.
type seedFlags struct {
	scale float64
	seed  int
}

func (s *seedFlags) define(f *flags) {
	f.float(&s.scale, "scale", "INNOGRAPH_SEED_SCALE", 1, "size of the demo ecosystem: 1 is the district (~1,000 nodes), 174 about 100,000 nodes")
	f.int(&s.seed, "seed", "INNOGRAPH_SEED", 1, "random seed of the demo generator: the same seed gives the same graph")
}

// BatchSize is how many items one write of a seed holds (imports have
// their own, ingest.DefaultBatchSize).
const BatchSize = 5000

// writeDemo writes the demo ecosystem into st in batches, logging progress.
func writeDemo(ctx context.Context, st kg.Store, sf seedFlags, log *slog.Logger) (*kg.WriteResult, error) {
	if sf.scale <= 0 {
		return nil, fmt.Errorf("scale must be positive, got %v", sf.scale)
	}
	start := time.Now()
	ds := seed.Demo(seed.Config{Scale: sf.scale, Seed: int64(sf.seed)})
	log.Info("generated demo ecosystem", "nodes", len(ds.Nodes), "relations", len(ds.Edges), "scale", sf.scale, "seed", sf.seed, "took", time.Since(start).Round(time.Millisecond))
	total := &kg.WriteResult{}
	batches := ds.Batches(BatchSize)
	done := 0
	for i, b := range batches {
		res, err := st.Apply(ctx, b)
		if err != nil {
			return total, fmt.Errorf("write batch %d of %d: %w", i+1, len(batches), err)
		}
		total.Add(res)
		done += len(b.Nodes) + len(b.Edges)
		log.Info("seeding", "written", done, "of", len(ds.Nodes)+len(ds.Edges))
	}
	log.Info("seeded", "nodes", len(ds.Nodes), "relations", len(ds.Edges), "took", time.Since(start).Round(time.Millisecond))
	return total, nil
}

// clearStore deletes every node (and so every relationship) of st.
func clearStore(ctx context.Context, st kg.Store) (int, error) {
	deleted := 0
	for _, k := range kg.Kinds {
		for {
			p, err := st.FindNodes(ctx, kg.NodeQuery{Kind: k, First: kg.MaxPageSize})
			if err != nil {
				return deleted, err
			}
			if len(p.Nodes) == 0 {
				break
			}
			ids := make([]string, len(p.Nodes))
			for i, n := range p.Nodes {
				ids[i] = n.ID
			}
			if _, err := st.Apply(ctx, kg.Batch{DeleteNodes: ids}); err != nil {
				return deleted, err
			}
			deleted += len(ids)
		}
	}
	return deleted, nil
}

func runSeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("seed", stderr)
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
	st, err := sf.open(ctx, log)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := clearStore(ctx, st)
	if err != nil {
		return fmt.Errorf("clear the store: %w", err)
	}
	log.Info("cleared the store", "nodes", n)
	res, err := writeDemo(ctx, st, gen, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %d nodes and %d relationships (scale %v, seed %d)\n", res.NodesCreated+res.NodesUpdated+res.NodesUnchanged, res.EdgesCreated+res.EdgesUpdated+res.EdgesUnchanged, gen.scale, gen.seed)
	return nil
}
