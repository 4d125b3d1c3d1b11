package embedded

import (
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/innograph/innograph/kg"
)

// CloseDB closes the database file under s, leaving s itself open, so that
// tests can make its next write fail.
func CloseDB(t testing.TB, s *Store) {
	t.Helper()
	if err := s.db.Close(); err != nil {
		t.Fatalf("closing the database: %v", err)
	}
}

// EncodeNode, DecodeNode, EncodeEdge and DecodeEdge are the record codec.
var (
	EncodeNode = encodeNode
	DecodeNode = decodeNode
	EncodeEdge = encodeEdge
	DecodeEdge = func(data []byte) (*kg.Edge, error) {
		se, err := decodeEdge(seqKey(1), data)
		return se.e, err
	}
)

// updateDB runs fn in a write transaction on the database of the closed
// store in dir.
func updateDB(t testing.TB, dir string, fn func(tx *bolt.Tx) error) {
	t.Helper()
	db, err := bolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

// DowngradeToJSON turns the database of the closed store in dir into a
// schema version 1 database: every record in the JSON form.
func DowngradeToJSON(t testing.TB, dir string) {
	t.Helper()
	updateDB(t, dir, func(tx *bolt.Tx) error {
		nb, eb := tx.Bucket(bucketNodes), tx.Bucket(bucketEdges)
		nodes := map[string][]byte{}
		if err := nb.ForEach(func(k, v []byte) error {
			n, err := decodeNode(string(k), v)
			if err != nil {
				return err
			}
			nodes[string(k)], err = encodeNodeJSON(n)
			return err
		}); err != nil {
			return err
		}
		edges := map[string][]byte{}
		if err := eb.ForEach(func(k, v []byte) error {
			se, err := decodeEdge(k, v)
			if err != nil {
				return err
			}
			edges[se.e.ID], err = encodeEdgeJSON(se.e)
			return err
		}); err != nil {
			return err
		}
		// Version 1 keyed edge records by their ids.
		if err := tx.DeleteBucket(bucketEdges); err != nil {
			return err
		}
		eb, err := tx.CreateBucket(bucketEdges)
		if err != nil {
			return err
		}
		for k, v := range nodes {
			if err := nb.Put([]byte(k), v); err != nil {
				return err
			}
		}
		for k, v := range edges {
			if err := eb.Put([]byte(k), v); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte(schemaVersionJSON))
	})
}

// SetSchemaVersion sets the schema version of the database of the closed
// store in dir.
func SetSchemaVersion(t testing.TB, dir, v string) {
	t.Helper()
	updateDB(t, dir, func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, []byte(v)) })
}

// Layout returns the schema version of the database of the closed store
// in dir and how many of its node and edge records start with each byte.
func Layout(t testing.TB, dir string) (version string, firstBytes map[byte]int) {
	t.Helper()
	firstBytes = map[byte]int{}
	updateDB(t, dir, func(tx *bolt.Tx) error {
		version = string(tx.Bucket(bucketMeta).Get(keySchema))
		for _, name := range [][]byte{bucketNodes, bucketEdges} {
			if err := tx.Bucket(name).ForEach(func(_, v []byte) error {
				firstBytes[v[0]]++
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	})
	return version, firstBytes
}
