// Package embedded is the default kg.Store: an in-process property graph
// persisted in a bbolt file.
//
// Every node and edge is stored as JSON in a bbolt bucket keyed by its id;
// decoding converts the values back to their ontology types. On Open the
// whole graph is loaded into memory and indexed: nodes by id, per-kind
// lists sorted by id, adjacency, edges by id, and a bigram index over
// names, English names and aliases. Every read is served from memory;
// FindNodes reads per-kind property columns built on first use. Apply
// validates a batch with kg, writes it in one bbolt transaction (synced on
// commit) and only then updates the in-memory indexes, so that an
// acknowledged write survives a crash and a failed write changes nothing.
// Replace empties and refills the node and edge buckets in one transaction
// in the same way.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/innograph/innograph/kg"
)

// FileName is the name of the database file inside the data directory.
const FileName = "innograph.db"

// schemaVersion is the version of the stored layout, kept in the meta bucket.
const schemaVersion = "1"

var (
	bucketNodes = []byte("nodes")
	bucketEdges = []byte("edges")
	bucketMeta  = []byte("meta")
	keySchema   = []byte("schema")
)

// ErrLocked is returned by Open when another process holds the data
// directory's database. It wraps kg.ErrUnavailable.
var ErrLocked = fmt.Errorf("%w: data directory is in use by another process", kg.ErrUnavailable)

// Option configures Open.
type Option func(*options)

type options struct {
	lockTimeout time.Duration
}

// WithLockTimeout sets how long Open waits for the database file lock
// held by another process before it fails with ErrLocked (default 2s).
func WithLockTimeout(d time.Duration) Option {
	return func(o *options) { o.lockTimeout = d }
}

// Store is the embedded kg.Store. It is safe for concurrent use.
type Store struct {
	path string
	db   *bolt.DB

	// wmu serialises writers. A writer reads the indexes holding wmu only
	// (no other writer can change them) and takes mu to publish changes.
	wmu sync.Mutex
	// mu guards everything below; readers hold it shared.
	mu        sync.RWMutex
	closed    bool
	nodes     map[string]*nodeRec
	edges     map[string]*edgeRec
	byKind    map[kg.Kind][]*nodeRec // sorted by id
	typeCount map[kg.RelType]int
	search    searchIndex

	// colMu guards cols, which readers fill in while holding mu shared.
	colMu sync.Mutex
	cols  map[kg.Kind]map[colKey]*column

	// scanMu guards edgeOrder, the edges of each type sorted by id for
	// ScanEdges, which readers build while holding mu shared; nil until
	// built and after a write that creates or deletes edges.
	scanMu    sync.Mutex
	edgeOrder map[kg.RelType][]*edgeRec
}

var _ kg.Store = (*Store)(nil)

// Open opens (creating if needed) the store in directory dir and loads it
// into memory.
func Open(ctx context.Context, dir string, opts ...Option) (*Store, error) {
	o := options{lockTimeout: 2 * time.Second}
	for _, opt := range opts {
		opt(&o)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("creating data directory: %w", err)
	}
	path := filepath.Join(dir, FileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:        o.lockTimeout,
		NoFreelistSync: true,
		FreelistType:   bolt.FreelistMapType,
	})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("opening %s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	s := &Store{
		path:      path,
		db:        db,
		nodes:     map[string]*nodeRec{},
		edges:     map[string]*edgeRec{},
		byKind:    map[kg.Kind][]*nodeRec{},
		typeCount: map[kg.RelType]int{},
		search:    searchIndex{},
		cols:      map[kg.Kind]map[colKey]*column{},
	}
	if err := s.load(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("loading %s: %w", path, err)
	}
	return s, nil
}

// load creates the buckets of a new database, checks the schema version of
// an existing one and builds the in-memory indexes from it.
func (s *Store) load(ctx context.Context) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			if tx.Bucket(bucketNodes) != nil {
				return errors.New("database has data but no schema version")
			}
			var err error
			if meta, err = tx.CreateBucket(bucketMeta); err != nil {
				return err
			}
			if err := meta.Put(keySchema, []byte(schemaVersion)); err != nil {
				return err
			}
		}
		if v := string(meta.Get(keySchema)); v != schemaVersion {
			return fmt.Errorf("database has schema version %q, this program reads %q", v, schemaVersion)
		}
		for _, name := range [][]byte{bucketNodes, bucketEdges} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.db.View(func(tx *bolt.Tx) error {
		nodes, err := decodeAll(ctx, tx.Bucket(bucketNodes), decodeNode)
		if err != nil {
			return err
		}
		edges, err := decodeAll(ctx, tx.Bucket(bucketEdges), decodeEdge)
		if err != nil {
			return err
		}
		// Keys come in byte order, which is id order.
		g, err := indexGraph(nodes, edges)
		if err != nil {
			return err
		}
		s.nodes, s.edges, s.byKind, s.typeCount, s.search = g.nodes, g.edges, g.byKind, g.typeCount, g.search
		return nil
	})
}

// memGraph is the in-memory index of a whole graph.
type memGraph struct {
	nodes     map[string]*nodeRec
	edges     map[string]*edgeRec
	byKind    map[kg.Kind][]*nodeRec
	typeCount map[kg.RelType]int
	search    searchIndex
}

// indexGraph indexes a whole graph. nodes must be sorted by id; every
// edge's ends must be among them.
func indexGraph(nodes []*kg.Node, edges []*kg.Edge) (*memGraph, error) {
	g := &memGraph{
		nodes:     make(map[string]*nodeRec, len(nodes)),
		edges:     make(map[string]*edgeRec, len(edges)),
		byKind:    map[kg.Kind][]*nodeRec{},
		typeCount: map[kg.RelType]int{},
		search:    searchIndex{},
	}
	for _, n := range nodes {
		r := &nodeRec{n: n}
		g.nodes[n.ID] = r
		g.byKind[n.Kind] = append(g.byKind[n.Kind], r)
		g.search.add(r, nodeBigrams(n))
	}
	for _, e := range edges {
		from, to := g.nodes[e.From], g.nodes[e.To]
		if from == nil || to == nil {
			return nil, fmt.Errorf("edge %q joins %q and %q, which are not both stored", e.ID, e.From, e.To)
		}
		r := &edgeRec{e: e}
		g.edges[e.ID] = r
		from.out = append(from.out, r)
		to.in = append(to.in, r)
		g.typeCount[e.Type]++
	}
	return g, nil
}

// decodeAll decodes every record of a bucket, in key order, on all CPUs.
// Keys and values point into the database's memory map, valid while the
// transaction is open.
func decodeAll[T any](ctx context.Context, b *bolt.Bucket, decode func(id string, data []byte) (T, error)) ([]T, error) {
	var keys, vals [][]byte
	if err := b.ForEach(func(k, v []byte) error {
		keys, vals = append(keys, k), append(vals, v)
		return nil
	}); err != nil {
		return nil, err
	}
	out := make([]T, len(keys))
	workers := min(runtime.GOMAXPROCS(0), len(keys)/1024+1)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			lo, hi := w*len(keys)/workers, (w+1)*len(keys)/workers
			for i := lo; i < hi; i++ {
				if (i-lo)%4096 == 0 {
					if err := ctx.Err(); err != nil {
						errs[w] = err
						return
					}
				}
				v, err := decode(string(keys[i]), vals[i])
				if err != nil {
					errs[w] = err
					return
				}
				out[i] = v
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// Path returns the path of the database file.
func (s *Store) Path() string { return s.path }

// Ping reports whether the store is open.
func (s *Store) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return errClosed
	}
	return nil
}

// Close waits for a write in progress, then closes the database file.
// Later calls fail with kg.ErrUnavailable; closing twice is not an error.
func (s *Store) Close() error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", s.path, err)
	}
	return nil
}

var errClosed = fmt.Errorf("%w: store is closed", kg.ErrUnavailable)

// rlock takes the read lock after checking ctx, and fails if the store is
// closed. On success the caller must call s.mu.RUnlock.
func (s *Store) rlock(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return errClosed
	}
	return nil
}

// Stats counts nodes by kind and edges by type. Kinds and types without
// any are absent from the maps.
func (s *Store) Stats(ctx context.Context) (*kg.Stats, error) {
	if err := s.rlock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	st := &kg.Stats{
		Nodes:       len(s.nodes),
		Edges:       len(s.edges),
		NodesByKind: map[kg.Kind]int{},
		EdgesByType: map[kg.RelType]int{},
	}
	for k, list := range s.byKind {
		if len(list) > 0 {
			st.NodesByKind[k] = len(list)
		}
	}
	for t, c := range s.typeCount {
		if c > 0 {
			st.EdgesByType[t] = c
		}
	}
	return st, nil
}

// sortedKeys returns the keys of m in ascending order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
