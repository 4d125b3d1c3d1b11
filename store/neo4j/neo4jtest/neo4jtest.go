// Package neo4jtest opens the Neo4j store for tests of any package.
//
// Tests reach Neo4j through the environment: NEO4J_URI, NEO4J_USER,
// NEO4J_PASSWORD and NEO4J_DATABASE (defaults as neo4j.DefaultConfig:
// bolt://127.0.0.1:7687, neo4j, innograph-dev, neo4j). When Neo4j cannot
// be reached the test is skipped with a loud message, or fails when the
// environment variable CI is "true".
//
// Neo4j Community has a single user database, and go test runs the tests
// of different packages in parallel processes, so every test that uses
// the database holds an exclusive file lock (flock on
// $TMPDIR/innograph-neo4j-test.lock) from Open or Connect until it ends:
// tests of all packages, and parallel tests of one package, take their
// turns. A subtest of a test that holds the lock shares it. The lock is
// taken before Neo4j is first contacted, so a test that holds it may stop
// and restart the server without other tests seeing it gone.
package neo4jtest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	drv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/store/neo4j"
)

// LockFile is the path of the file lock that serialises tests using the
// database.
var LockFile = lockPath()

// LockTimeout bounds how long Lock waits for the tests of other packages.
const LockTimeout = 15 * time.Minute

// Config returns the configuration the environment names.
func Config() neo4j.Config {
	cfg := neo4j.DefaultConfig()
	for env, p := range map[string]*string{
		"NEO4J_URI":      &cfg.URI,
		"NEO4J_USER":     &cfg.User,
		"NEO4J_PASSWORD": &cfg.Password,
		"NEO4J_DATABASE": &cfg.Database,
	} {
		if v := os.Getenv(env); v != "" {
			*p = v
		}
	}
	return cfg
}

// Open returns a migrated, empty Neo4j store that is closed when t ends,
// holding the database lock until then (see Lock). It skips t (fails it
// when CI=true) if Neo4j cannot be reached.
func Open(t testing.TB) *neo4j.Store {
	t.Helper()
	return OpenConfig(t, Config())
}

// OpenConfig is Open with an explicit configuration.
func OpenConfig(t testing.TB, cfg neo4j.Config) *neo4j.Store {
	t.Helper()
	s := Connect(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	if err := Wipe(ctx, cfg); err != nil {
		t.Fatalf("emptying the database: %v", err)
	}
	return s
}

// Connect takes the database lock (see Lock), opens a store on cfg and
// pings it, closing it when t ends. It does not empty the database. If
// Neo4j cannot be reached it skips t, or fails it when CI=true.
func Connect(t testing.TB, cfg neo4j.Config) *neo4j.Store {
	t.Helper()
	Lock(t)
	s, err := neo4j.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("neo4j.Open(%s): %v", cfg.URI, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("closing the Neo4j store: %v", err)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Ping(ctx); err != nil {
		msg := fmt.Sprintf("NEO4J NOT REACHABLE at %s (database %q): run `make neo4j-up` (set NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD/NEO4J_DATABASE for another server): %v", cfg.URI, cfg.Database, err)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip("SKIPPED: " + msg)
	}
	return s
}

var (
	holdersMu sync.Mutex
	holders   = map[string]bool{} // names of the tests holding the lock
)

// Lock takes the database lock for the rest of t: an exclusive flock on
// LockFile, released in t.Cleanup. It is a no-op when t or a test it is a
// subtest of already holds the lock.
func Lock(t testing.TB) {
	t.Helper()
	name := t.Name()
	holdersMu.Lock()
	for h := range holders {
		if name == h || strings.HasPrefix(name, h+"/") {
			holdersMu.Unlock()
			return
		}
	}
	holdersMu.Unlock()
	release, err := lockFile(LockFile, LockTimeout)
	if err != nil {
		t.Fatalf("taking the Neo4j test lock %s: %v", LockFile, err)
	}
	holdersMu.Lock()
	holders[name] = true
	holdersMu.Unlock()
	t.Cleanup(func() {
		holdersMu.Lock()
		delete(holders, name)
		holdersMu.Unlock()
		release()
	})
}

// Statements of Wipe, each repeated until it deletes nothing: first the
// relationships, then the nodes, 10,000 at a time, so that no transaction
// outgrows the server's transaction memory.
const (
	cypherWipeRels  = `MATCH ()-[r]->() WITH r LIMIT 10000 DELETE r RETURN count(*) AS deleted`
	cypherWipeNodes = `MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS deleted`
)

// Wipe deletes every node and relationship of the database cfg names.
// Indexes and constraints stay.
func Wipe(ctx context.Context, cfg neo4j.Config) error {
	d, err := drv.NewDriverWithContext(cfg.URI, drv.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		return err
	}
	defer d.Close(context.Background())
	for _, cypher := range []string{cypherWipeRels, cypherWipeNodes} {
		for {
			res, err := drv.ExecuteQuery(ctx, d, cypher, nil, drv.EagerResultTransformer,
				drv.ExecuteQueryWithDatabase(cfg.Database), drv.ExecuteQueryWithWritersRouting())
			if err != nil {
				return err
			}
			if len(res.Records) == 0 {
				break
			}
			n, _, err := drv.GetRecordValue[int64](res.Records[0], "deleted")
			if err != nil {
				return err
			}
			if n == 0 {
				break
			}
		}
	}
	return nil
}
