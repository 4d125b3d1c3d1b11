package kg_test

import (
	"errors"
	"math"
	"reflect"
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
		{-0.0, 0.0, 0},
		{"b", "a", 1},
		{false, true, -1},
	}
	for _, c := range cases {
		if got := kg.Compare(c.a, c.b); got != c.want {
			t.Errorf("Compare(%v, %v) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
