package kg_test

import (
	"reflect"
	"testing"

	"github.com/innograph/innograph/kg"
)

// TestNormalizeAgain checks that normalising what was normalised before
// (an importer's rows, normalised again by the store) finds no problem
// and changes nothing, for node and edge properties of every scalar type
// and for lists and series.
func TestNormalizeAgain(t *testing.T) {
	tests := []struct {
		name string
		node *kg.Node
		edge *kg.Edge
		want kg.Props
	}{
		{
			name: "enterprise from text cells",
			node: &kg.Node{ID: "e1", Kind: kg.Enterprise, Props: kg.Props{
				"name": "大连一号科技", "aliases": []any{"一号", "One"}, "foundedYear": "2001",
				"aboveScale": "true", "revenue": map[string]any{"2023": "1200", "2024": 1300.5},
			}},
			want: kg.Props{
				"name": "大连一号科技", "aliases": []string{"一号", "One"}, "foundedYear": int64(2001),
				"aboveScale": true, "revenue": kg.Series{2023: 1200, 2024: 1300.5},
			},
		},
		{
			name: "enterprise with normalised values",
			node: &kg.Node{ID: "e2", Kind: kg.Enterprise, Props: kg.Props{
				"name": "二号", "foundedYear": int64(1999), "aboveScale": false, "revenue": kg.Series{2020: 7},
			}},
			want: kg.Props{"name": "二号", "foundedYear": int64(1999), "aboveScale": false, "revenue": kg.Series{2020: 7}},
		},
		{
			name: "supply from text cells",
			edge: &kg.Edge{Type: kg.Supplies, From: "e1", To: "e2", Props: kg.Props{"product": "零部件", "value": "12345", "since": "2015"}},
			want: kg.Props{"product": "零部件", "value": float64(12345), "since": int64(2015)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for pass := 1; pass <= 2; pass++ {
				var errs []kg.FieldError
				var got kg.Props
				if tt.node != nil {
					errs, got = kg.NormalizeNode(tt.node), tt.node.Props
				} else {
					errs, got = kg.NormalizeEdge(tt.edge), tt.edge.Props
				}
				if len(errs) > 0 {
					t.Fatalf("pass %d: %v", pass, errs)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("pass %d: props %#v, want %#v", pass, got, tt.want)
				}
			}
			if tt.edge != nil && tt.edge.ID != kg.EdgeID(tt.edge.Type, tt.edge.From, tt.edge.To) {
				t.Errorf("edge id %q, want the default", tt.edge.ID)
			}
		})
	}
}
