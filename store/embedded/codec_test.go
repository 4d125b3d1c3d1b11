package embedded_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/store/embedded"
)

// TestMigrateJSONDatabase opens a schema version 1 database (JSON
// records): everything reads back as it was written, and the database is
// rewritten in the binary form at version 2, which reopens the same.
func TestMigrateJSONDatabase(t *testing.T) {
	dir := t.TempDir()
	ctx := t.Context()
	s, err := embedded.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	b := richBatch(t)
	if _, err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	nodeIDs, edgeIDs := batchIDs(b)
	before := takeSnapshot(t, s, nodeIDs, edgeIDs)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	embedded.DowngradeToJSON(t, dir)
	if v, first := embedded.Layout(t, dir); v != "1" || first['{'] != len(nodeIDs)+len(edgeIDs) {
		t.Fatalf("the downgraded database has version %q and records starting with %v", v, first)
	}

	for _, step := range []string{"migrating open", "reopen"} {
		s := open(t, dir)
		for _, d := range diffSnapshots(before, takeSnapshot(t, s, nodeIDs, edgeIDs)) {
			t.Errorf("%s: %s", step, d)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if v, first := embedded.Layout(t, dir); v != "2" || first[0x01] != len(nodeIDs)+len(edgeIDs) {
			t.Errorf("after the %s the database has version %q and records starting with %v", step, v, first)
		}
	}
}

func TestOpenRefusesUnknownSchemaVersion(t *testing.T) {
	dir := t.TempDir()
	if err := open(t, dir).Close(); err != nil {
		t.Fatal(err)
	}
	embedded.SetSchemaVersion(t, dir, "3")
	s, err := embedded.Open(t.Context(), dir)
	if err == nil {
		s.Close()
		t.Fatal("Open accepted schema version 3")
	}
	if !strings.Contains(err.Error(), `schema version "3"`) {
		t.Errorf("error %q does not name the version", err)
	}
}

// TestCodec encodes and decodes nodes and edges of every value type, and
// checks that every truncation and a few corruptions of a record are
// refused with an error.
func TestCodec(t *testing.T) {
	b := richBatch(t)
	if err := kg.PrepareBatch(&b); err != nil {
		t.Fatal(err)
	}
	at := []int64{0, 1, -1, 1_700_000_000_123_456_789, math.MinInt64 / 2}
	for i := range b.Nodes {
		n := b.Nodes[i]
		n.CreatedAt = timeAt(at[i%len(at)])
		n.UpdatedAt = timeAt(at[(i+1)%len(at)])
		data, err := embedded.EncodeNode(&n)
		if err != nil {
			t.Fatalf("node %s: %v", n.ID, err)
		}
		got, err := embedded.DecodeNode(n.ID, data)
		if err != nil {
			t.Fatalf("node %s: %v", n.ID, err)
		}
		if got.Kind != n.Kind || !got.Props.Equal(n.Props) || !got.CreatedAt.Equal(n.CreatedAt) || !got.UpdatedAt.Equal(n.UpdatedAt) {
			t.Errorf("node %s:\n wrote %#v\n read  %#v", n.ID, n, *got)
		}
		for cut := range len(data) {
			if _, err := embedded.DecodeNode(n.ID, data[:cut]); err == nil {
				t.Errorf("node %s: %d of %d bytes decoded without an error", n.ID, cut, len(data))
			}
		}
		if _, err := embedded.DecodeNode(n.ID, append(data, 0)); err == nil {
			t.Errorf("node %s: a trailing byte decoded without an error", n.ID)
		}
	}
	for i := range b.Edges {
		e := b.Edges[i]
		data, err := embedded.EncodeEdge(&e)
		if err != nil {
			t.Fatalf("edge %s: %v", e.ID, err)
		}
		got, err := embedded.DecodeEdge(data)
		if err != nil {
			t.Fatalf("edge %s: %v", e.ID, err)
		}
		if got.Type != e.Type || got.From != e.From || got.To != e.To || !got.Props.Equal(e.Props) {
			t.Errorf("edge %s:\n wrote %#v\n read  %#v", e.ID, e, *got)
		}
		for cut := range len(data) {
			if _, err := embedded.DecodeEdge(data[:cut]); err == nil {
				t.Errorf("edge %s: %d of %d bytes decoded without an error", e.ID, cut, len(data))
			}
		}
	}

	// Records that decode to something the ontology refuses.
	n := kg.Node{ID: "x", Kind: kg.Enterprise, Props: kg.Props{"name": "某公司"}}
	bad := []struct {
		name string
		node kg.Node
	}{
		{"unknown kind", kg.Node{ID: "x", Kind: "Spaceship", Props: kg.Props{"name": "x"}}},
		{"unknown property", kg.Node{ID: "x", Kind: kg.Enterprise, Props: kg.Props{"name": "x", "colour": "red"}}},
		{"value of another type", kg.Node{ID: "x", Kind: kg.Enterprise, Props: kg.Props{"name": int64(3)}}},
		{"series as a number", kg.Node{ID: "x", Kind: kg.Enterprise, Props: kg.Props{"name": "x", "revenue": 1.5}}},
	}
	for _, c := range bad {
		data, err := embedded.EncodeNode(&c.node)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got, err := embedded.DecodeNode("x", data); err == nil {
			t.Errorf("%s: decoded %#v without an error", c.name, *got)
		}
	}
	if _, err := embedded.EncodeNode(&kg.Node{ID: "x", Kind: kg.Enterprise, Props: kg.Props{"name": struct{}{}}}); err == nil {
		t.Error("a value of no ontology type was encoded")
	}
	data, _ := embedded.EncodeNode(&n)
	data[0] = 0x7f
	if _, err := embedded.DecodeNode("x", data); err == nil || !strings.Contains(fmt.Sprint(err), "format") {
		t.Errorf("a record of an unknown format: %v", err)
	}
}

func timeAt(ns int64) time.Time { return time.Unix(0, ns).UTC() }
