package kg_test

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/innograph/innograph/kg"
)

// TestMergeNew checks that a new node or edge gets the properties
// kg.Merge(nil, p) gives, although it takes the batch's map instead of a
// copy, and shares no list with it.
func TestMergeNew(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name  string
		props func() kg.Props
	}{
		{"nil", func() kg.Props { return nil }},
		{"empty", func() kg.Props { return kg.Props{} }},
		{"scalars", func() kg.Props {
			return kg.Props{"name": "甲", "foundedYear": int64(2001), "aboveScale": true, "share": 0.5}
		}},
		{"nil values are dropped", func() kg.Props { return kg.Props{"name": "甲", "nameEn": nil} }},
		{"lists", func() kg.Props { return kg.Props{"aliases": []string{"a", "b"}, "tags": []string(nil)} }},
		{"series", func() kg.Props { return kg.Props{"revenue": kg.Series{2023: 1, 2024: 2}} }},
		{"NaN years are dropped", func() kg.Props { return kg.Props{"revenue": kg.Series{2023: 1, 2024: nan}} }},
		{"a series of NaN is dropped", func() kg.Props { return kg.Props{"revenue": kg.Series{2024: nan}, "name": "乙"} }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := kg.Merge(nil, c.props())
			in := c.props()
			list, _ := in["aliases"].([]string)
			n, u := kg.MergeNode(nil, &kg.Node{ID: "n", Kind: kg.Enterprise, Props: in}, time.Now())
			got := n.Props
			if u != kg.Created || !reflect.DeepEqual(got, want) {
				t.Fatalf("MergeNode(nil, %v) = %v, %v, want %v, created", c.props(), got, u, want)
			}
			if len(list) > 0 {
				list[0] = "changed"
				if got.Strings("aliases")[0] == "changed" {
					t.Error("the new node shares a list with the batch")
				}
			}
			e, u := kg.MergeEdge(nil, &kg.Edge{ID: "e", Props: c.props()})
			if u != kg.Created || !reflect.DeepEqual(e.Props, want) {
				t.Fatalf("MergeEdge(nil, %v) = %v, %v, want %v, created", c.props(), e.Props, u, want)
			}
		})
	}
}

// TestMergeNodeStored checks an upsert onto a stored node: its kind and
// CreatedAt stay, unchanged properties leave it as it is, and an update
// moves UpdatedAt forward even when the clock does not.
func TestMergeNodeStored(t *testing.T) {
	created := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	stored := &kg.Node{ID: "n", Kind: kg.Enterprise, Props: kg.Props{"name": "甲", "revenue": kg.Series{2023: 1}}, CreatedAt: created, UpdatedAt: created.Add(time.Hour)}
	cases := []struct {
		name        string
		props       kg.Props
		now         time.Time
		want        kg.Upsert
		wantProps   kg.Props
		wantUpdated time.Time
	}{
		{"same values", kg.Props{"name": "甲"}, created.Add(2 * time.Hour), kg.Unchanged, stored.Props, stored.UpdatedAt},
		{"a new year", kg.Props{"revenue": kg.Series{2024: 2}}, created.Add(2 * time.Hour), kg.Updated,
			kg.Props{"name": "甲", "revenue": kg.Series{2023: 1, 2024: 2}}, created.Add(2 * time.Hour)},
		{"a removed property, clock behind", kg.Props{"revenue": nil}, created, kg.Updated,
			kg.Props{"name": "甲"}, stored.UpdatedAt.Add(time.Nanosecond)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, u := kg.MergeNode(stored, &kg.Node{ID: "n", Kind: kg.Enterprise, Props: c.props}, c.now)
			if u != c.want || !got.Props.Equal(c.wantProps) || !got.UpdatedAt.Equal(c.wantUpdated) {
				t.Fatalf("got %v %v updated %v, want %v %v updated %v", u, got.Props, got.UpdatedAt, c.want, c.wantProps, c.wantUpdated)
			}
			if got.Kind != stored.Kind || !got.CreatedAt.Equal(created) {
				t.Errorf("kind %s created %v, want %s %v", got.Kind, got.CreatedAt, stored.Kind, created)
			}
			if u == kg.Unchanged && got != stored {
				t.Error("an unchanged upsert returns a new node")
			}
		})
	}
}
