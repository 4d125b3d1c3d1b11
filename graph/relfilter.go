package graph

import (
	"fmt"
	"slices"

	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/kg"
)

// relFilter is what the filter and order arguments of a relationship
// field ask for: conditions on the relationships' properties and on the
// nodes at their other ends, and an order. The planner turns the
// conditions of a field without an order into its hop's (see hopFilter),
// which the stores apply; a field it leaves out is read through the
// loaders, and its relationships filtered, ordered and paged here, with
// the same conditions (kg.MatchEdgeProps, kg.Match).
type relFilter struct {
	// edge are conditions on relationship properties, normalised.
	edge []kg.Condition
	// far are conditions on the properties of the node at the other end.
	far []kg.Condition
	// order are the keys, then the order of kg.SortNeighbors.
	order []relKey
}

// relKey orders relationships by a property, or by the name of the node
// at the other end (prop "name" with far set).
type relKey struct {
	prop string
	far  bool
	desc bool
}

// empty reports whether f asks for nothing.
func (f relFilter) empty() bool { return len(f.edge) == 0 && len(f.far) == 0 && len(f.order) == 0 }

// relOrder adds the keys of a relationship field's orderBy to f.
func (f *relFilter) relOrder(orders []*model.RelationOrder) {
	for _, o := range orders {
		k := relKey{prop: camel(string(o.Field)), far: o.Field == model.RelationOrderFieldName, desc: o.Direction == model.OrderDirectionDesc}
		f.order = append(f.order, k)
	}
}

// inYear adds the condition that the relationship's year is y (nil: any).
func (f *relFilter) inYear(y *int) error {
	if y == nil {
		return nil
	}
	if *y < 0 {
		return fmt.Errorf("%w: year %d is negative", kg.ErrInvalid, *y)
	}
	f.edge = append(f.edge, kg.Condition{Prop: "year", Op: kg.EQ, Value: int64(*y)})
	return nil
}

// anyOf adds the condition that relationship property prop is one of
// values (none given: any).
func anyOf[T ~string](f *relFilter, prop string, values []T) {
	f.edge = append(f.edge, inList(prop, values)...)
}

// levelAtLeast adds the condition that the node at the other end has
// level l or higher (nil: any).
func (f *relFilter) levelAtLeast(l *model.Level) {
	if l == nil {
		return
	}
	f.far = append(f.far, kg.LevelAtLeast(string(*l)))
}

// apply keeps the neighbours that pass f, in f's order (ns is in the
// order of kg.SortNeighbors, which breaks ties). It does not modify ns.
func (f relFilter) apply(ns []kg.Neighbor) []kg.Neighbor {
	out := make([]kg.Neighbor, 0, len(ns))
	for _, n := range ns {
		if kg.MatchEdgeProps(n.Edge, f.edge) && kg.Match(n.Node, f.far) {
			out = append(out, n)
		}
	}
	if len(f.order) > 0 {
		slices.SortStableFunc(out, func(a, b kg.Neighbor) int {
			for _, k := range f.order {
				if c := compareRel(a, b, k); c != 0 {
					return c
				}
			}
			return 0
		})
	}
	return out
}

// edgeView views a relationship's properties as a node's, for kg.Match.
func edgeView(e *kg.Edge) *kg.Node { return &kg.Node{ID: e.ID, Props: e.Props} }

// compareRel compares two neighbours by one key, as kg.LessNodes orders
// nodes (see kg.CompareMissing).
func compareRel(a, b kg.Neighbor, k relKey) int {
	va, okA := relValue(a, k)
	vb, okB := relValue(b, k)
	return kg.CompareMissing(va, okA, vb, okB, k.desc)
}

func relValue(n kg.Neighbor, k relKey) (any, bool) {
	if k.far {
		return kg.Value(n.Node, k.prop, 0)
	}
	return kg.Value(edgeView(n.Edge), k.prop, 0)
}

// sortKeys returns f's order as the keys of kg.RelationOrder: a
// relationship's property by its name, the other end's as "node." and
// its name.
func (f relFilter) sortKeys() []kg.SortKey {
	keys := make([]kg.SortKey, len(f.order))
	for i, k := range f.order {
		keys[i] = kg.SortKey{Prop: k.prop, Desc: k.desc}
		if k.far {
			keys[i].Prop = "node." + k.prop
		}
	}
	return keys
}

// values returns the values of f's order keys at n, nil where missing.
func (f relFilter) values(n kg.Neighbor) []any {
	vals := make([]any, len(f.order))
	for i, k := range f.order {
		if v, ok := relValue(n, k); ok {
			vals[i] = v
		}
	}
	return vals
}

// distinctNodes counts the distinct nodes at the other ends of ns.
func distinctNodes(ns []kg.Neighbor) int {
	ids := make([]string, len(ns))
	for i, n := range ns {
		ids[i] = n.Node.ID
	}
	slices.Sort(ids)
	return len(slices.Compact(ids))
}

// relOrderOnly is the relFilter of a field with an orderBy and no filter.
func relOrderOnly(orders []*model.RelationOrder) relFilter {
	var f relFilter
	f.relOrder(orders)
	return f
}

// relFilterOf is the relFilter of a field with an orderBy and a year.
func relFilterOf(orders []*model.RelationOrder, year *int) (relFilter, error) {
	f := relOrderOnly(orders)
	if err := f.inYear(year); err != nil {
		return relFilter{}, err
	}
	return f, nil
}
