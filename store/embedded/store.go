// Package embedded is the default kg.Store: an in-process property graph
// persisted in a bbolt file.
//
// Every node and edge is stored in a compact binary form (see codec.go) in
// a bbolt bucket keyed by its id; decoding gives the values their ontology
// types. On Open the whole graph is loaded into memory and indexed: nodes
// by id, per-kind lists sorted by id, adjacency and edges by id. Every
// read is served from memory; FindNodes reads per-kind property columns
// and Search a bigram index over names, English names and aliases, both
// built on first use. Apply
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
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/innograph/innograph/kg"
)

// FileName is the name of the database file inside the data directory.
const FileName = "innograph.db"

// schemaVersion is the version of the stored layout, kept in the meta
// bucket: "2" stores records in the binary form. Version "1" stored them
// as JSON; Open migrates such a database to version 2 in one transaction.
const (
	schemaVersion     = "2"
	schemaVersionJSON = "1"
)

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
	// nextEdgeKey is the key of the next new edge's record: above every
	// key in the edges bucket. Writers change it holding wmu.
	nextEdgeKey uint64

	// searchMu guards search, the bigram index of the searchable texts,
	// which readers build on first use while holding mu shared; nil until
	// then and after Replace. Writers holding mu keep a built one current.
	searchMu sync.Mutex
	search   searchIndex

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
		// Map address space for a large graph from the start: growing
		// the map copies every page a write transaction has in memory.
		InitialMmapSize: initialMmapSize,
	})
	if errors.Is(err, bolterrors.ErrTimeout) {
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
		cols:      map[kg.Kind]map[colKey]*column{},
	}
	if err := s.load(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("loading %s: %w", path, err)
	}
	return s, nil
}

// initialMmapSize is the address space mapped for the database file on
// Open (not memory: pages are read as they are used).
const initialMmapSize = 1 << 30

// load creates the buckets of a new database, checks the schema version of
// an existing one, builds the in-memory indexes from it and migrates a
// version 1 database.
func (s *Store) load(ctx context.Context) error {
	var version string
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
		version = string(meta.Get(keySchema))
		if version != schemaVersion && version != schemaVersionJSON {
			return fmt.Errorf("database has schema version %q, this program reads %q and %q", version, schemaVersionJSON, schemaVersion)
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
	var nodes []*kg.Node
	var edges []storedEdge
	err = s.db.View(func(tx *bolt.Tx) error {
		var err error
		if nodes, err = decodeAll(ctx, tx.Bucket(bucketNodes), func(k, v []byte) (*kg.Node, error) { return decodeNode(string(k), v) }); err != nil {
			return err
		}
		edges, err = decodeAll(ctx, tx.Bucket(bucketEdges), decodeEdge)
		return err
	})
	if err != nil {
		return err
	}
	if version == schemaVersionJSON {
		// Edges are numbered in id order, the order of their old keys.
		for i := range edges {
			edges[i].key = uint64(i + 1)
		}
	}
	// Node keys come in byte order, which is id order.
	g, err := indexGraph(nodes, edges)
	if err != nil {
		return err
	}
	if version == schemaVersionJSON {
		if err := s.migrate(ctx, nodes, edges); err != nil {
			return fmt.Errorf("migrating from schema version %s to %s: %w", schemaVersionJSON, schemaVersion, err)
		}
	}
	s.nodes, s.edges, s.byKind, s.typeCount, s.nextEdgeKey = g.nodes, g.edges, g.byKind, g.typeCount, g.nextEdgeKey
	return nil
}

// migrate rewrites every node and edge of a version 1 database in the
// binary form and sets the schema version to 2, in one transaction: a
// failure or a crash leaves the database at version 1, to be migrated by
// the next Open. nodes are the whole graph's, sorted by id, and edges
// its edges with their new keys, ascending.
func (s *Store) migrate(ctx context.Context, nodes []*kg.Node, edges []storedEdge) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := refill(ctx, tx, bucketNodes, nodes, func(n *kg.Node) ([]byte, []byte, error) {
			data, err := encodeNode(n)
			return []byte(n.ID), data, err
		}); err != nil {
			return err
		}
		if err := refill(ctx, tx, bucketEdges, edges, func(e storedEdge) ([]byte, []byte, error) {
			data, err := encodeEdge(e.e)
			return seqKey(e.key), data, err
		}); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte(schemaVersion))
	})
}

// memGraph is the in-memory index of a whole graph.
type memGraph struct {
	nodes     map[string]*nodeRec
	edges     map[string]*edgeRec
	byKind    map[kg.Kind][]*nodeRec
	typeCount map[kg.RelType]int
	// nextEdgeKey is above the key of every edge.
	nextEdgeKey uint64
}

// indexGraph indexes a whole graph. nodes must be sorted by id; every
// edge's ends must be among them.
func indexGraph(nodes []*kg.Node, edges []storedEdge) (*memGraph, error) {
	g := &memGraph{
		nodes:       make(map[string]*nodeRec, len(nodes)),
		edges:       make(map[string]*edgeRec, len(edges)),
		byKind:      map[kg.Kind][]*nodeRec{},
		typeCount:   map[kg.RelType]int{},
		nextEdgeKey: 1,
	}
	for _, n := range nodes {
		r := &nodeRec{n: n}
		g.nodes[n.ID] = r
		g.byKind[n.Kind] = append(g.byKind[n.Kind], r)
	}
	for _, se := range edges {
		e := se.e
		from, to := g.nodes[e.From], g.nodes[e.To]
		if from == nil || to == nil {
			return nil, fmt.Errorf("edge %q joins %q and %q, which are not both stored", e.ID, e.From, e.To)
		}
		if g.edges[e.ID] != nil {
			return nil, fmt.Errorf("edge %q is stored twice", e.ID)
		}
		r := &edgeRec{e: e, key: se.key}
		g.nextEdgeKey = max(g.nextEdgeKey, se.key+1)
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
func decodeAll[T any](ctx context.Context, b *bolt.Bucket, decode func(key, data []byte) (T, error)) ([]T, error) {
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
				v, err := decode(keys[i], vals[i])
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
