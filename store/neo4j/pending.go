package neo4j

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/innograph/innograph/kg"
)

// MigrateLogged runs Migrate and logs how many schema statements it ran
// and how long it took.
func (s *Store) MigrateLogged(ctx context.Context, log *slog.Logger) error {
	start := time.Now()
	if err := s.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate the Neo4j schema: %w", err)
	}
	log.Info("migrated the Neo4j schema", "statements", len(SchemaStatements()), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// PendingMigration is a store opened while Neo4j was down, for a server
// that starts anyway: its Ping fails with kg.ErrUnavailable until Neo4j
// answers and the schema migration, started in the background by the
// first successful ping, has finished. A failed migration is logged and
// started again by the next ping.
type PendingMigration struct {
	*Store
	log     *slog.Logger
	timeout time.Duration
	mu      sync.Mutex
	running bool
	done    bool
}

// MigrateWhenReady returns s as a PendingMigration that logs to log.
func MigrateWhenReady(s *Store, log *slog.Logger) *PendingMigration {
	return &PendingMigration{Store: s, log: log, timeout: 30 * time.Minute}
}

// Ping reports Neo4j's state and, once it answers, the migration's.
func (p *PendingMigration) Ping(ctx context.Context) error {
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
			mctx, cancel := context.WithTimeout(context.Background(), p.timeout)
			err := p.MigrateLogged(mctx, p.log)
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
