// Package backendtest gives tests that must hold on every backend their
// stores: an empty embedded store, an empty real Neo4j (through neo4jtest:
// skipped loudly when Neo4j is not running, a failure with CI=true), and a
// way to fill either with batches or the demo.
package backendtest

import (
	"context"
	"testing"
	"time"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/seed"
	"github.com/innograph/innograph/store/embedded"
	"github.com/innograph/innograph/store/neo4j/neo4jtest"
)

// Backend opens an empty store of one kind for a test; the store is closed
// when the test ends.
type Backend struct {
	Name string
	Open func(t testing.TB) kg.Store
}

// All lists every backend: embedded, then Neo4j.
func All() []Backend {
	return []Backend{
		{"embedded", Embedded},
		{"neo4j", func(t testing.TB) kg.Store { return neo4jtest.Open(t) }},
	}
}

// Embedded opens an empty embedded store in a temporary directory.
func Embedded(t testing.TB) kg.Store {
	t.Helper()
	st, err := embedded.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Load applies the batches to st, failing the test on the first error.
func Load(t testing.TB, st kg.Store, batches []kg.Batch) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	for i, b := range batches {
		if _, err := st.Apply(ctx, b); err != nil {
			t.Fatalf("writing batch %d of %d: %v", i+1, len(batches), err)
		}
	}
}

// LoadDemo writes the demo ecosystem at scale (seed 1) into st.
func LoadDemo(t testing.TB, st kg.Store, scale float64) {
	t.Helper()
	Load(t, st, seed.Demo(seed.Config{Scale: scale, Seed: 1}).Batches(5000))
}
