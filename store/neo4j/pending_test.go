package neo4j_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/store/neo4j"
	"github.com/innograph/innograph/store/neo4j/neo4jtest"
)

// TestPendingMigrationWhileDown checks that a store opened while Neo4j
// is down reports it unavailable and starts no migration.
func TestPendingMigrationWhileDown(t *testing.T) {
	cfg := neo4jtest.Config()
	cfg.URI = "bolt://127.0.0.1:1"
	s, err := neo4j.Open(t.Context(), cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	var logged bytes.Buffer
	p := neo4j.MigrateWhenReady(s, slog.New(slog.NewTextHandler(&logged, nil)))
	for range 2 {
		if err := p.Ping(t.Context()); !errors.Is(err, kg.ErrUnavailable) || strings.Contains(err.Error(), "migrating") {
			t.Errorf("Ping while Neo4j is down: %v, want kg.ErrUnavailable for the connection", err)
		}
	}
	if logged.Len() > 0 {
		t.Errorf("a store that never reached Neo4j logged: %s", logged.String())
	}
}

// TestPendingMigrationWhenReady checks that once Neo4j answers, pings
// report the migration until it has finished, then succeed, and that the
// migration runs once.
func TestPendingMigrationWhenReady(t *testing.T) {
	s := neo4jtest.Connect(t, neo4jtest.Config())
	var logged bytes.Buffer
	p := neo4j.MigrateWhenReady(s, slog.New(slog.NewTextHandler(&logged, nil)))
	err := p.Ping(t.Context())
	if !errors.Is(err, kg.ErrUnavailable) || !strings.Contains(err.Error(), "migrating the Neo4j schema") {
		t.Fatalf("first Ping: %v, want unavailable while migrating", err)
	}
	deadline := time.Now().Add(5 * time.Minute)
	for err != nil {
		if time.Now().After(deadline) {
			t.Fatalf("the migration did not finish: last Ping %v; log: %s", err, logged.String())
		}
		time.Sleep(50 * time.Millisecond)
		err = p.Ping(t.Context())
		if err != nil && !strings.Contains(err.Error(), "migrating the Neo4j schema") {
			t.Fatalf("Ping during the migration: %v", err)
		}
	}
	for range 3 {
		if err := p.Ping(t.Context()); err != nil {
			t.Fatalf("Ping after the migration: %v", err)
		}
	}
	if n := strings.Count(logged.String(), "migrated the Neo4j schema"); n != 1 {
		t.Errorf("the migration was logged %d times, want once: %s", n, logged.String())
	}
}

// TestRetriesEndBeforeTheDeadline checks that a read that meets Neo4j
// away, with retries allowed for longer than its context lasts, gives up
// before its context's deadline and reports the store unavailable (not
// that it ran out of time).
func TestRetriesEndBeforeTheDeadline(t *testing.T) {
	cfg := neo4jtest.Config()
	cfg.URI = "bolt://127.0.0.1:1"
	cfg.MaxTxRetry = time.Minute
	s, err := neo4j.Open(t.Context(), cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
	defer cancel()
	_, err = s.GetNodes(ctx, []string{"x"})
	if ctx.Err() != nil {
		t.Errorf("GetNodes returned after its context ended (%v): %v", ctx.Err(), err)
	}
	if !errors.Is(err, kg.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("GetNodes with Neo4j away: %v, want kg.ErrUnavailable alone", err)
	}
}
