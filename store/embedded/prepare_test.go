package embedded_test

import (
	"errors"
	"testing"

	"github.com/innograph/innograph/kg"
)

// TestPrepareWrite checks a write prepared ahead of time: a batch that
// fails the checks without the stored graph is refused by PrepareWrite
// with nothing written; a prepared batch is checked against the graph as
// the graph is when it is written, not when it was prepared; it is written
// once; and Apply, which prepares a copy, leaves the caller's batch as it
// was.
func TestPrepareWrite(t *testing.T) {
	ctx := t.Context()
	s := open(t, t.TempDir())

	_, err := s.PrepareWrite(ctx, kg.Batch{Nodes: []kg.Node{{ID: "bad", Kind: kg.Enterprise, Props: kg.Props{"foundedYear": "soon"}}}})
	var ve *kg.ValidationError
	if !errors.Is(err, kg.ErrInvalid) || !errors.As(err, &ve) {
		t.Fatalf("preparing an invalid batch: %v, want a validation error", err)
	}

	// The supply is prepared before its ends exist; it is checked when
	// written, after the ends have been written.
	supply := kg.Batch{Edges: []kg.Edge{{Type: kg.Supplies, From: "a", To: "b", Props: kg.Props{"product": "零件", "value": "12"}}}}
	writeSupply, err := s.PrepareWrite(ctx, supply)
	if err != nil {
		t.Fatal(err)
	}
	tooEarly, err := s.PrepareWrite(ctx, kg.Batch{Edges: []kg.Edge{{Type: kg.Supplies, From: "a", To: "c"}}})
	if err != nil {
		t.Fatal(err)
	}
	ends := kg.Batch{Nodes: []kg.Node{
		{ID: "a", Kind: kg.Enterprise, Props: kg.Props{"name": "甲", "foundedYear": "2001"}},
		{ID: "b", Kind: kg.Enterprise, Props: kg.Props{"name": "乙"}},
	}}
	if _, err := s.Apply(ctx, ends); err != nil {
		t.Fatal(err)
	}
	if v := ends.Nodes[0].Props["foundedYear"]; v != "2001" {
		t.Errorf("Apply changed the caller's batch: foundedYear %#v", v)
	}
	ends.Nodes[1].Props["name"] = "改了"
	if ns, err := s.GetNodes(ctx, []string{"b"}); err != nil || ns[0] == nil || ns[0].Name() != "乙" {
		t.Errorf("the caller's change of its batch after Apply reached the store: %v, %v", ns, err)
	}
	if _, err := tooEarly(ctx); !errors.Is(err, kg.ErrNotFound) {
		t.Errorf("writing a supply to a node that is not stored: %v, want kg.ErrNotFound", err)
	}
	res, err := writeSupply(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if *res != (kg.WriteResult{EdgesCreated: 1}) {
		t.Errorf("writing the prepared supply: %+v, want one edge created", *res)
	}
	if _, err := writeSupply(ctx); err == nil {
		t.Error("a prepared write was written twice")
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Nodes != 2 || st.Edges != 1 {
		t.Errorf("stored %d nodes and %d edges, want 2 and 1", st.Nodes, st.Edges)
	}
	es, err := s.GetEdges(ctx, []string{kg.EdgeID(kg.Supplies, "a", "b")})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0] == nil {
		t.Fatalf("the supply is not stored: %v", es)
	}
	if got := es[0].Props; got.Str("product") != "零件" || got["value"] != float64(12) {
		t.Errorf("stored supply props %v, want the prepared ones, normalised", got)
	}
}
