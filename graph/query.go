package graph

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"unicode"

	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/loaders"
)

// MaxFirst is the largest page a list or relationship field returns.
const MaxFirst = 500

// DefaultFirst is the page size when `first` is not given.
const DefaultFirst = 20

// checkFirst validates a page-size argument: lo..MaxFirst.
func checkFirst(name string, v, lo int) error {
	if v < lo || v > MaxFirst {
		return fmt.Errorf("%w: %s must be between %d and %d, got %d", kg.ErrInvalid, name, lo, MaxFirst, v)
	}
	return nil
}

// pageArgs validates first and reads after ("" when absent); the caller
// decodes the cursor against its list's order (see kg.DecodeCursor).
func pageArgs(first *int, after *string) (int, string, error) {
	f := deref(first, DefaultFirst)
	if err := checkFirst("first", f, 0); err != nil {
		return 0, "", err
	}
	return f, deref(after, ""), nil
}

// list runs a root list query of one kind and views the page as T: with
// the request planned below it in one Fetch (see planner), or alone when
// the resolver does not plan. An order by a key that is not a property's
// (see derivedKey) is ranked here (see ranked).
func list[T any](ctx context.Context, r *Resolver, kind kg.Kind, first *int, after *string, filter any, order []kg.SortKey) (*model.Connection[T], error) {
	if slices.ContainsFunc(order, derivedKey) {
		return ranked[T](ctx, r, kind, first, after, filter, order)
	}
	f, a, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	q := kg.NodeQuery{Kind: kind, OrderBy: order, First: max(f, 1), After: a}
	if _, err := q.AfterPosition(); err != nil {
		return nil, fmt.Errorf("after: %w", err)
	}
	if q.Where, err = r.where(ctx, kind, filter); err != nil {
		return nil, err
	}
	if !r.DisablePlanner {
		res, err := fetchList(ctx, r.Store, q, string(kind)+"Connection", f == 0)
		if err != nil {
			return nil, err
		}
		if f == 0 {
			return model.NewConnection[T](q, &kg.NodePage{TotalCount: res.TotalCount, Offset: res.Offset, HasNextPage: res.TotalCount > res.Offset}), nil
		}
		return model.NewFetchedConnection[T](q, res), nil
	}
	p, err := r.Store.FindNodes(ctx, q)
	if err != nil {
		return nil, err
	}
	if f == 0 {
		p.Nodes, p.HasNextPage = nil, p.TotalCount > p.Offset
	}
	return model.NewConnection[T](q, p), nil
}

// where returns the store conditions of a root list's filter: those of
// its fields (see conditions) and, for an enterprise's `incubated`, the
// ids it selects (see incubatedCondition).
func (r *Resolver) where(ctx context.Context, kind kg.Kind, filter any) ([]kg.Condition, error) {
	where, err := conditions(kind, filter)
	if err != nil {
		return nil, err
	}
	if ef, ok := filter.(*model.EnterpriseFilter); ok && ef != nil && ef.Incubated != nil {
		c, err := incubatedCondition(ctx, r.Store, ef.Incubated)
		if err != nil {
			return nil, err
		}
		where = append(where, c)
	}
	return where, nil
}

// related pages the relationships of node obj that pass rf, in its
// order: from the page a fetch plan read for the field (with rf's
// conditions), or through the request's loaders, filtered and ordered
// here.
func related(ctx context.Context, obj hopper, types []kg.RelType, dir kg.Direction, first *int, after *string, asOf *int, rf relFilter) (*model.RelationConnection, error) {
	id := obj.ID()
	if len(rf.order) == 0 {
		// The planner plans a field's conditions, never its order.
		if p := planned(ctx, obj); p != nil {
			return model.NewHopConnection(id, p, types, dir), nil
		}
	}
	f, a, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	keys := rf.sortKeys()
	pos, err := kg.DecodeRelationCursor(a, types, dir, keys)
	if err != nil {
		return nil, fmt.Errorf("after: %w", err)
	}
	year := 0
	if asOf != nil {
		year = *asOf
	}
	ns, err := loaders.For(ctx).Neighbors(ctx, loaders.NewNeighborKey(id, types, dir, year))
	if err != nil {
		return nil, err
	}
	if !rf.empty() {
		ns = rf.apply(ns)
	}
	// The cursor of each relationship, and the position of the first
	// that sorts after the cursor given.
	cursors := make([]string, len(ns))
	desc := kg.RelationDescending(keys)
	start := 0
	for i, n := range ns {
		vals := kg.RelationValues(rf.values(n), n.Edge, n.Node.ID)
		if pos != nil && pos.CompareTo(vals, n.Edge.ID, desc) <= 0 {
			start = i + 1
		}
		cursors[i] = kg.EncodeCursor(kg.Position{Order: kg.RelationOrder(types, dir, keys), Values: vals, ID: n.Edge.ID})
	}
	c := model.NewRelationConnection(id, ns, cursors, f, start)
	c.NodeCount = distinctNodes(ns)
	return c, nil
}

// orderKeys turns GraphQL order inputs into sort keys: a field
// FOUNDED_YEAR names the property foundedYear.
func orderKeys[O any](orders []*O) []kg.SortKey {
	keys := make([]kg.SortKey, 0, len(orders))
	for _, o := range orders {
		v := reflect.ValueOf(o).Elem()
		k := kg.SortKey{Prop: camel(v.FieldByName("Field").String())}
		if d := v.FieldByName("Direction"); !d.IsNil() {
			k.Desc = d.Elem().String() == string(model.OrderDirectionDesc)
		}
		if y := v.FieldByName("Year"); y.IsValid() && !y.IsNil() {
			k.Year = int(y.Elem().Int())
		}
		keys = append(keys, k)
	}
	return keys
}

// camel turns an enum value such as RD_INVESTMENT into rdInvestment.
func camel(s string) string {
	parts := strings.Split(strings.ToLower(s), "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			r := []rune(parts[i])
			r[0] = unicode.ToUpper(r[0])
			parts[i] = string(r)
		}
	}
	return strings.Join(parts, "")
}

// conditions turns a GraphQL filter input into store conditions by the
// names of its fields: ids, nameContains, xFrom / xTo (bounds on x or
// xYear), levelAtLeast, highTechIn, aboveScaleIn, a YearRange (a value in
// one year of a series, within bounds), a list (any of), a scalar (equal).
// An enterprise's `incubated` is not a property: list turns it into ids
// (see incubatedCondition).
func conditions(kind kg.Kind, filter any) ([]kg.Condition, error) {
	v := reflect.ValueOf(filter)
	if !v.IsValid() || v.IsNil() {
		return nil, nil
	}
	v = v.Elem()
	var out []kg.Condition
	for i := 0; i < v.NumField(); i++ {
		fv := v.Field(i)
		if fv.IsNil() {
			continue
		}
		name := strings.Split(v.Type().Field(i).Tag.Get("json"), ",")[0]
		if name == "incubated" {
			continue
		}
		conds, err := fieldConditions(kind, name, fv)
		if err != nil {
			return nil, fmt.Errorf("%w: filter.%s: %v", kg.ErrInvalid, name, err)
		}
		out = append(out, conds...)
	}
	return out, nil
}

func fieldConditions(kind kg.Kind, name string, fv reflect.Value) ([]kg.Condition, error) {
	switch name {
	case "ids":
		return []kg.Condition{{Prop: "id", Op: kg.IN, Value: anySlice(fv)}}, nil
	case "nameContains":
		return []kg.Condition{{Prop: "name", Op: kg.CONTAINS, Value: fv.Elem().String()}}, nil
	case "highTechIn":
		y := fv.Elem().Int()
		return []kg.Condition{{Prop: "highTechGranted", Op: kg.LTE, Value: y}, {Prop: "highTechValidUntil", Op: kg.GTE, Value: y}}, nil
	case "aboveScaleIn":
		y := fv.Elem().Int()
		if y < kg.MinYear || y > kg.MaxYear {
			return nil, fmt.Errorf("%d is not a year (want %d..%d)", y, kg.MinYear, kg.MaxYear)
		}
		return []kg.Condition{{Prop: "aboveScaleByYear", Op: kg.EQ, Value: 1.0, Year: int(y)}}, nil
	case "levelAtLeast":
		return []kg.Condition{{Prop: "level", Op: kg.IN, Value: levelsFrom(fv.Elem().String())}}, nil
	}
	if yr, ok := fv.Interface().(*model.YearRange); ok {
		if yr.Min == nil && yr.Max == nil {
			// A value in the year: every value of a figure passes.
			return []kg.Condition{{Prop: name, Op: kg.GTE, Value: -math.MaxFloat64, Year: yr.Year}}, nil
		}
		var out []kg.Condition
		if yr.Min != nil {
			out = append(out, kg.Condition{Prop: name, Op: kg.GTE, Value: *yr.Min, Year: yr.Year})
		}
		if yr.Max != nil {
			out = append(out, kg.Condition{Prop: name, Op: kg.LTE, Value: *yr.Max, Year: yr.Year})
		}
		return out, nil
	}
	for suffix, op := range map[string]kg.Op{"From": kg.GTE, "To": kg.LTE} {
		if p, ok := strings.CutSuffix(name, suffix); ok {
			if _, known := kg.NodePropSpec(kind, p); !known {
				p += "Year"
			}
			return []kg.Condition{{Prop: p, Op: op, Value: fv.Elem().Interface()}}, nil
		}
	}
	if fv.Kind() == reflect.Slice {
		return []kg.Condition{{Prop: name, Op: kg.IN, Value: anySlice(fv)}}, nil
	}
	return []kg.Condition{{Prop: name, Op: kg.EQ, Value: plain(fv.Elem())}}, nil
}

// anySlice converts a slice of strings or string enums to []any of string.
func anySlice(v reflect.Value) []any {
	out := make([]any, v.Len())
	for i := range out {
		out[i] = plain(v.Index(i))
	}
	return out
}

// plain returns a value of a string-based enum as a string.
func plain(v reflect.Value) any {
	if v.Kind() == reflect.String {
		return v.String()
	}
	return v.Interface()
}
