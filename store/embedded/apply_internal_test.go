package embedded

import (
	"math"
	"reflect"
	"testing"

	"github.com/innograph/innograph/kg"
)

// TestAdopt checks that adopt gives what kg.Merge(nil, p) gives.
func TestAdopt(t *testing.T) {
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
			got := adopt(in)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("adopt(%v) = %v, want %v", c.props(), got, want)
			}
			if len(list) > 0 {
				list[0] = "changed"
				if got.Strings("aliases")[0] == "changed" {
					t.Error("adopt shares a list with its argument")
				}
			}
		})
	}
}
