package kg_test

import (
	"encoding/base64"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/innograph/innograph/kg"
)

// TestCursorRoundTrip: a cursor decodes, for its own order, to the
// position it encodes, values of every type and missing ones included.
func TestCursorRoundTrip(t *testing.T) {
	for _, p := range []kg.Position{
		{Order: kg.NodeOrder(kg.Enterprise, nil), ID: "ent-1"},
		{Order: "o", Values: []any{"大连", int64(2001), 12.5, true, nil, int64(-3), 1e300}, ID: "x y"},
		{Order: kg.RelationOrder([]kg.RelType{kg.Supplies}, kg.In, nil), Values: []any{"SUPPLIES", "ent-2"}, ID: "r"},
	} {
		got, err := kg.DecodeCursor(kg.EncodeCursor(p), p.Order, len(p.Values))
		if err != nil {
			t.Fatalf("%+v: %v", p, err)
		}
		want := p
		if want.Values == nil {
			want.Values = []any{}
		}
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("decoded %#v, want %#v", *got, want)
		}
	}
	if p, err := kg.DecodeCursor("", "o", 0); p != nil || err != nil {
		t.Errorf("no cursor: %v, %v; want nil, nil", p, err)
	}
}

// TestCursorRefused: a cursor of another order, a positional cursor of an
// earlier version and what this server did not issue are refused with
// ErrInvalid and a message that says which.
func TestCursorRefused(t *testing.T) {
	order := kg.NodeOrder(kg.Enterprise, []kg.SortKey{{Prop: "foundedYear", Desc: true}})
	own := func(vals ...any) string { return kg.EncodeCursor(kg.Position{Order: order, Values: vals, ID: "e"}) }
	raw := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, c := range []struct{ name, cursor, want string }{
		{"positional", raw("o:12"), "positional cursor of an earlier version, which is no longer accepted"},
		{"another kind", kg.NodeCursor(kg.Talent, []kg.SortKey{{Prop: "foundedYear", Desc: true}}, &kg.Node{ID: "e"}), "another list or order"},
		{"another direction", kg.NodeCursor(kg.Enterprise, []kg.SortKey{{Prop: "foundedYear"}}, &kg.Node{ID: "e"}), "another list or order"},
		{"another year", kg.NodeCursor(kg.Enterprise, []kg.SortKey{{Prop: "foundedYear", Desc: true, Year: 2023}}, &kg.Node{ID: "e"}), "another list or order"},
		{"a relationship list", kg.RelationCursor(nil, kg.Both, nil, nil, &kg.Edge{ID: "r", Type: kg.Supplies}, "e"), "another list or order"},
		{"too many values", own(int64(1), int64(2)), "not one this server issued"},
		{"no value", own(), "not one this server issued"},
		{"not base64", "?!", "not one this server issued"},
		{"no prefix", raw(`{"o":"x"}`), "not one this server issued"},
		{"bad JSON", raw("k1:{"), "not one this server issued"},
		{"no id", raw(`k1:{"o":"` + order + `","v":[1],"id":""}`), "not one this server issued"},
		{"a value of no type", raw(`k1:{"o":"` + order + `","v":[[1]],"id":"e"}`), "not one this server issued"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := kg.DecodeCursor(c.cursor, order, 1)
			if !errors.Is(err, kg.ErrInvalid) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want ErrInvalid saying %q", err, c.want)
			}
		})
	}
}

// TestPositionOrder: CompareTo orders items as the stores sort them
// (kg.SortNodes): sorting nodes and cutting them at any node's position
// keeps exactly those after it, with missing values last ascending and
// first descending.
func TestPositionOrder(t *testing.T) {
	year := func(id string, y any) *kg.Node {
		n := &kg.Node{ID: id, Props: kg.Props{}}
		if y != nil {
			n.Props["foundedYear"] = y
		}
		return n
	}
	nodes := []*kg.Node{year("a", int64(2001)), year("b", nil), year("c", int64(1999)), year("d", int64(2001)), year("e", nil), year("f", 2005.0)}
	for _, keys := range [][]kg.SortKey{nil, {{Prop: "foundedYear"}}, {{Prop: "foundedYear", Desc: true}}} {
		sorted := slices.Clone(nodes)
		kg.SortNodes(sorted, keys)
		for i, at := range sorted {
			p, err := kg.DecodeCursor(kg.NodeCursor(kg.Enterprise, keys, at), kg.NodeOrder(kg.Enterprise, keys), len(keys))
			if err != nil {
				t.Fatal(err)
			}
			var after []string
			for _, n := range nodes {
				if p.CompareTo(kg.NodeValues(n, keys), n.ID, kg.Descending(keys)) > 0 {
					after = append(after, n.ID)
				}
			}
			var want []string
			for _, n := range sorted[i+1:] {
				want = append(want, n.ID)
			}
			slices.Sort(after)
			slices.Sort(want)
			if !slices.Equal(after, want) {
				t.Errorf("%v: after %s: %v, want %v", keys, at.ID, after, want)
			}
		}
	}
}
