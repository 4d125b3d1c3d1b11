package kg_test

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/innograph/innograph/kg"
)

func TestEmptyListsStayLists(t *testing.T) {
	spec, _ := kg.NodePropSpec(kg.Enterprise, "aliases")
	for _, in := range []any{[]string{}, []any{}} {
		v, err := kg.NormalizeValue(spec, in)
		if err != nil {
			t.Fatal(err)
		}
		if l, ok := v.([]string); !ok || l == nil || len(l) != 0 {
			t.Errorf("NormalizeValue(%#v) = %#v, want an empty, non-nil []string", in, v)
		}
	}
	p := kg.Props{"empty": []string{}, "none": []string(nil)}
	c := p.Clone()
	if !reflect.DeepEqual(c, p) || c.Strings("empty") == nil || c.Strings("none") != nil {
		t.Errorf("Clone(%#v) = %#v", p, c)
	}
	if m := kg.Merge(kg.Props{"aliases": []string{"a"}}, kg.Props{"aliases": []string{}}); !m.Equal(kg.Props{"aliases": []string{}}) {
		t.Errorf("Merge replacing a list by an empty one: %#v", m)
	}
}

func TestSeriesNaNRemovesAYear(t *testing.T) {
	spec, _ := kg.NodePropSpec(kg.Enterprise, "revenue")
	v, err := kg.NormalizeValue(spec, kg.Series{2020: math.NaN(), 2021: 3})
	if err != nil {
		t.Fatalf("NormalizeValue with a NaN year: %v", err)
	}
	got := kg.Merge(kg.Props{"revenue": kg.Series{2020: 1, 2022: 2}}, kg.Props{"revenue": v})
	if want := (kg.Props{"revenue": kg.Series{2021: 3, 2022: 2}}); !got.Equal(want) {
		t.Errorf("Merge = %v, want %v", got, want)
	}
	// Elsewhere NaN is still refused.
	area, _ := kg.NodePropSpec(kg.Incubator, "area")
	if _, err := kg.NormalizeValue(area, math.NaN()); err == nil {
		t.Error("NormalizeValue accepted NaN for a number")
	}
	if _, err := kg.NormalizeValue(spec, map[string]any{"2020": math.Inf(1)}); err == nil {
		t.Error("NormalizeValue accepted an infinite year value")
	}
	q := kg.NodeQuery{Kind: kg.Enterprise, First: 1, Where: []kg.Condition{{Prop: "revenue", Year: 2020, Op: kg.GT, Value: math.NaN()}}}
	if err := kg.ValidateNodeQuery(&q); !errors.Is(err, kg.ErrInvalid) {
		t.Errorf("a NaN condition: %v, want ErrInvalid", err)
	}
}

func TestValidateNodeQueryLeavesConditionsAlone(t *testing.T) {
	where := []kg.Condition{{Prop: "industry", Op: kg.IN, Value: []string{"软件"}}, {Prop: "foundedYear", Op: kg.GT, Value: "2001"}}
	q := kg.NodeQuery{Kind: kg.Enterprise, First: 10, Where: where}
	if err := kg.ValidateNodeQuery(&q); err != nil {
		t.Fatal(err)
	}
	if _, ok := where[0].Value.([]string); !ok || where[1].Value != "2001" {
		t.Errorf("caller's conditions changed: %#v", where)
	}
	if v, ok := q.Where[1].Value.(int64); !ok || v != 2001 {
		t.Errorf("normalised condition value %#v, want int64 2001", q.Where[1].Value)
	}
}

func TestValidateNeighborQuery(t *testing.T) {
	cases := []struct {
		q  kg.NeighborQuery
		ok bool
	}{
		{kg.NeighborQuery{}, true},
		{kg.NeighborQuery{Direction: kg.Out, Types: []kg.RelType{kg.Supplies}, AsOf: 2024}, true},
		{kg.NeighborQuery{Direction: kg.In}, true},
		{kg.NeighborQuery{Direction: kg.Both}, true},
		{kg.NeighborQuery{Direction: "UP"}, false},
		{kg.NeighborQuery{Types: []kg.RelType{"LIKES"}}, false},
		{kg.NeighborQuery{AsOf: -1}, false},
	}
	for _, c := range cases {
		err := kg.ValidateNeighborQuery(&c.q)
		if c.ok != (err == nil) || (err != nil && !errors.Is(err, kg.ErrInvalid)) {
			t.Errorf("ValidateNeighborQuery(%+v) = %v", c.q, err)
		}
	}
}

func TestCompareNumbers(t *testing.T) {
	cases := []struct {
		a, b any
		want int
	}{
		{int64(2), 2.5, -1},
		{3.0, int64(3), 0},
		{int64(10), int64(9), 1},
		{math.Copysign(0, -1), 0.0, 0},
		{"b", "a", 1},
		{false, true, -1},
	}
	for _, c := range cases {
		if got := kg.Compare(c.a, c.b); got != c.want {
			t.Errorf("Compare(%v, %v) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// TestFiguresAreNotNegative checks that a negative value in any year of a
// yearly figure is refused with the node, the property and the year
// named, in every form a figure is given in, and that zero, -0 and NaN
// (which removes a year) pass.
func TestFiguresAreNotNegative(t *testing.T) {
	cases := []struct {
		kind  kg.Kind
		prop  string
		value any
		year  int // 0: accepted
	}{
		{kg.Enterprise, "revenue", map[string]any{"2022": 5e6, "2023": -1}, 2023},
		{kg.Enterprise, "revenue", kg.Series{2021: -3, 2023: -1}, 2021},
		{kg.Enterprise, "rdInvestment", []any{map[string]any{"year": 2020, "value": -0.01}}, 2020},
		{kg.Enterprise, "rdDeduction", map[string]any{"2024": "-7"}, 2024},
		{kg.Enterprise, "employees", map[int]float64{2019: -12}, 2019},
		{kg.Makerspace, "makersServed", map[string]any{"2023": -1}, 2023},
		{kg.Enterprise, "revenue", kg.Series{2022: 0, 2023: math.Copysign(0, -1), 2024: math.MaxFloat64}, 0},
		{kg.Enterprise, "employees", kg.Series{2022: math.NaN(), 2023: 40}, 0},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s %v", c.prop, c.value), func(t *testing.T) {
			n := kg.Node{ID: "n1", Kind: c.kind, Props: kg.Props{"name": "甲", c.prop: c.value}}
			errs := kg.NormalizeNode(&n)
			if c.year == 0 {
				if len(errs) > 0 {
					t.Fatalf("refused: %v", errs)
				}
				return
			}
			if len(errs) != 1 {
				t.Fatalf("problems %v, want one", errs)
			}
			fe := errs[0]
			if fe.ID != "n1" || fe.Field != c.prop || fe.Year != c.year || !strings.Contains(fe.Message, "is negative") {
				t.Errorf("problem %+v, want id n1, field %s, year %d, \"is negative\"", fe, c.prop, c.year)
			}
		})
	}
}

// TestLoops checks that only FEEDS accepts a relationship from a node to
// itself, that the problem names the relationship and its end, and that
// two different ends pass.
func TestLoops(t *testing.T) {
	for _, rt := range kg.RelTypes {
		t.Run(string(rt), func(t *testing.T) {
			e := kg.Edge{Type: rt, From: "a", To: "a", Props: kg.Props{}}
			errs := kg.NormalizeEdge(&e)
			if rt == kg.Feeds {
				if len(errs) > 0 {
					t.Errorf("a FEEDS loop: %v", errs)
				}
			} else if len(errs) != 1 || errs[0].Field != "to" || errs[0].ID != kg.EdgeID(rt, "a", "a") || !strings.Contains(errs[0].Message, "to itself") {
				t.Errorf("a loop: %v", errs)
			}
			e = kg.Edge{ID: "x", Type: rt, From: "a", To: "b", Props: kg.Props{}}
			if errs := kg.NormalizeEdge(&e); len(errs) > 0 {
				t.Errorf("two ends: %v", errs)
			}
		})
	}
	// Through a batch the problem names the item.
	b := kg.Batch{Edges: []kg.Edge{{Type: kg.Supplies, From: "a", To: "b"}, {ID: "loop", Type: kg.Supplies, From: "e1", To: "e1"}}}
	var ve *kg.ValidationError
	if err := kg.PrepareBatch(&b); !errors.As(err, &ve) || !errors.Is(err, kg.ErrInvalid) || len(ve.Errors) != 1 || ve.Errors[0].List != "edges" || ve.Errors[0].Item != 1 || ve.Errors[0].ID != "loop" {
		t.Errorf("PrepareBatch: %v", err)
	}
}

// TestNormalizedValuesAgain: a value normalised once normalises to the
// same value, with the same checks (a year out of range, an infinite
// value, a bound), and lists and series come back as copies, never
// shared with the caller.
func TestNormalizedValuesAgain(t *testing.T) {
	spec := func(k kg.Kind, name string) *kg.PropSpec {
		s, ok := kg.NodePropSpec(k, name)
		if !ok {
			t.Fatalf("no property %s of %s", name, k)
		}
		return s
	}
	cases := []struct {
		spec    *kg.PropSpec
		raw     any // as an import reads it
		again   any // a normalised value given again, when it differs from the first result
		wantErr string
	}{
		{spec: spec(kg.Enterprise, "name"), raw: "大连软件"},
		{spec: spec(kg.Enterprise, "foundedYear"), raw: "2001"},
		{spec: spec(kg.Enterprise, "foundedYear"), again: int64(1700), wantErr: "outside"},
		{spec: spec(kg.Incubator, "area"), raw: "12000.5"},
		{spec: spec(kg.Incubator, "area"), again: math.Inf(1), wantErr: "finite"},
		{spec: spec(kg.Enterprise, "aboveScale"), raw: "是"},
		{spec: spec(kg.Incubator, "level"), raw: "MUNICIPAL"},
		{spec: spec(kg.Enterprise, "aliases"), raw: []any{"甲", "乙"}},
		{spec: spec(kg.Enterprise, "revenue"), raw: map[string]any{"2023": "1200", "2024": 3400.5}},
		{spec: spec(kg.Enterprise, "revenue"), again: kg.Series{1700: 1}, wantErr: `year "1700" is not a year`},
		{spec: spec(kg.Enterprise, "revenue"), again: kg.Series{2020: math.Inf(-1)}, wantErr: "year 2020: want a finite number"},
		{spec: spec(kg.Enterprise, "revenue"), again: kg.Series{2020: -5}, wantErr: "year 2020: -5 is negative"},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s %v", c.spec.Name, c.raw), func(t *testing.T) {
			in := c.again
			if c.raw != nil {
				v, err := kg.NormalizeValue(c.spec, c.raw)
				if err != nil {
					t.Fatalf("NormalizeValue(%#v): %v", c.raw, err)
				}
				in = v
			}
			got, err := kg.NormalizeValue(c.spec, in)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("NormalizeValue(%#v) = %#v, %v; want an error with %q", in, got, err, c.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, in) {
				t.Fatalf("NormalizeValue(%#v) = %#v, %v; want the same value", in, got, err)
			}
			switch x := got.(type) {
			case []string:
				x[0] = "changed"
				if in.([]string)[0] == "changed" {
					t.Error("the list is shared with the value given")
				}
			case kg.Series:
				for y := range x {
					x[y] = -1
				}
				if reflect.DeepEqual(in, got) {
					t.Error("the series is shared with the value given")
				}
			}
		})
	}
}
