package graph

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/loaders"
)

// MaxFirst is the largest page a list or relationship field returns.
const MaxFirst = 500

// checkFirst validates a page-size argument: lo..MaxFirst.
func checkFirst(name string, v, lo int) error {
	if v < lo || v > MaxFirst {
		return fmt.Errorf("%w: %s must be between %d and %d, got %d", kg.ErrInvalid, name, lo, MaxFirst, v)
	}
	return nil
}

// pageArgs validates first and reads after ("" when absent); the caller
// decodes the cursor against its list's order (see kg.DecodeCursor).
func pageArgs(first int, after *string) (int, string, error) {
	if err := checkFirst("first", first, 0); err != nil {
		return 0, "", err
	}
	return first, deref(after, ""), nil
}

// list runs a root list query of one kind and views the page as T: with
// the request planned below it in one Fetch (see planner), or alone when
// the resolver does not plan. An order by a key that is not a property's
// (see derivedKey) is ranked here (see ranked).
func list[T any](ctx context.Context, r *Resolver, kind kg.Kind, first int, after *string, filter any, order []kg.SortKey) (*model.Connection[T], error) {
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
		fq := q
		fq.First = f // 0: the count alone, without a root
		res, err := fetchList(ctx, r.Store, fq, string(kind)+"Connection")
		if err != nil {
			return nil, err
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
func related(ctx context.Context, obj hopper, types []kg.RelType, dir kg.Direction, first int, after *string, asOf *int, rf relFilter) (*model.RelationConnection, error) {
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
// FOUNDED_YEAR names the property foundedYear; a yearly figure's key
// carries the order's year. O is one of the order inputs of the root
// lists.
func orderKeys[O any](orders []*O) []kg.SortKey {
	keys := make([]kg.SortKey, 0, len(orders))
	for _, o := range orders {
		var field string
		var dir model.OrderDirection
		var year *int
		switch o := any(o).(type) {
		case *model.EnterpriseOrder:
			field, dir, year = string(o.Field), o.Direction, o.Year
		case *model.IncubatorOrder:
			field, dir = string(o.Field), o.Direction
		case *model.MakerspaceOrder:
			field, dir, year = string(o.Field), o.Direction, o.Year
		case *model.NodeOrder:
			field, dir = string(o.Field), o.Direction
		case *model.UniversityOrder:
			field, dir = string(o.Field), o.Direction
		case *model.ServiceAgencyOrder:
			field, dir, year = string(o.Field), o.Direction, o.Year
		case *model.PolicyOrder:
			field, dir = string(o.Field), o.Direction
		case *model.IndustryOrder:
			field, dir = string(o.Field), o.Direction
		case *model.PlanOrder:
			field, dir = string(o.Field), o.Direction
		case *model.IndicatorOrder:
			field, dir = string(o.Field), o.Direction
		default:
			panic(fmt.Sprintf("orderKeys: %T is not the order input of a root list", o))
		}
		k := kg.SortKey{Prop: camel(field), Desc: dir == model.OrderDirectionDesc}
		if year != nil {
			k.Year = *year
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

// conditions turns the filter input of a root list into store
// conditions, field by field. An enterprise's `incubated` is not a
// property: where turns it into ids (see incubatedCondition).
func conditions(kind kg.Kind, filter any) ([]kg.Condition, error) {
	var c conds
	switch f := filter.(type) {
	case nil:
	case *model.NodeFilter:
		if f != nil {
			c.node(f.Ids, f.NameContains, f.District, f.Source)
		}
	case *model.EnterpriseFilter:
		if f != nil {
			c.node(f.Ids, f.NameContains, f.District, f.Source)
			c.eq("creditCode", f.CreditCode)
			c.eq("industry", f.Industry)
			c.eq("aboveScale", f.AboveScale)
			c.aboveScaleIn(f.AboveScaleIn)
			if f.HighTechIn != nil {
				c.list = append(c.list, kg.HighTechIn(*f.HighTechIn)...)
			}
			c.between("foundedYear", f.FoundedFrom, f.FoundedTo)
			c.inYear("revenue", f.Revenue)
			c.inYear("rdInvestment", f.RdInvestment)
			c.inYear("rdDeduction", f.RdDeduction)
			c.inYear("employees", f.Employees)
		}
	case *model.CarrierFilter:
		if f != nil {
			c.node(f.Ids, f.NameContains, f.District, f.Source)
			oneOf(&c, "level", f.Level)
			c.levelAtLeast(f.LevelAtLeast)
			c.between("foundedYear", f.FoundedFrom, f.FoundedTo)
		}
	case *model.TalentFilter:
		if f != nil {
			c.node(f.Ids, f.NameContains, f.District, f.Source)
			c.eq("field", f.Field)
			c.eq("title", f.Title)
			c.eq("tier", f.Tier)
			c.eq("programme", f.Programme)
		}
	case *model.UniversityFilter:
		if f != nil {
			c.node(f.Ids, f.NameContains, f.District, f.Source)
			oneOf(&c, "type", f.Type)
		}
	case *model.ServiceAgencyFilter:
		if f != nil {
			c.node(f.Ids, f.NameContains, f.District, f.Source)
			oneOf(&c, "categories", f.Categories)
			oneOf(&c, "level", f.Level)
			c.levelAtLeast(f.LevelAtLeast)
		}
	case *model.PolicyFilter:
		if f != nil {
			c.node(f.Ids, f.NameContains, f.District, f.Source)
			oneOf(&c, "level", f.Level)
			c.levelAtLeast(f.LevelAtLeast)
			oneOf(&c, "type", f.Type)
			c.eq("issuer", f.Issuer)
			c.between("year", f.YearFrom, f.YearTo)
		}
	case *model.IndustryFilter:
		if f != nil {
			c.node(f.Ids, f.NameContains, f.District, f.Source)
			c.eq("chain", f.Chain)
			oneOf(&c, "position", f.Position)
		}
	default:
		return nil, fmt.Errorf("conditions: %T is not the filter of a root list", filter)
	}
	if c.err != nil {
		return nil, fmt.Errorf("%w: %v", kg.ErrInvalid, c.err)
	}
	return c.list, nil
}

// conds collects the conditions of a filter input and its first error.
type conds struct {
	list []kg.Condition
	err  error
}

// node adds the conditions of the fields every kind's filter has: ids
// (any of), nameContains, district and source (equal).
func (c *conds) node(ids []string, nameContains, district, source *string) {
	oneOf(c, "id", ids)
	if nameContains != nil {
		c.list = append(c.list, kg.Condition{Prop: "name", Op: kg.CONTAINS, Value: *nameContains})
	}
	c.eq("district", district)
	c.eq("source", source)
}

// eq adds prop = *v (nil: nothing).
func (c *conds) eq(prop string, v any) {
	switch v := v.(type) {
	case *string:
		if v != nil {
			c.list = append(c.list, kg.Condition{Prop: prop, Op: kg.EQ, Value: *v})
		}
	case *bool:
		if v != nil {
			c.list = append(c.list, kg.Condition{Prop: prop, Op: kg.EQ, Value: *v})
		}
	default:
		panic(fmt.Sprintf("conds.eq: %T", v))
	}
}

// oneOf adds that prop is one of values (see inList).
func oneOf[T ~string](c *conds, prop string, values []T) {
	c.list = append(c.list, inList(prop, values)...)
}

// inList returns the condition that prop is one of values: none for nil
// values (any passes), one that nothing passes for an empty list.
func inList[T ~string](prop string, values []T) []kg.Condition {
	if values == nil {
		return nil
	}
	vs := make([]any, len(values))
	for i, v := range values {
		vs[i] = string(v)
	}
	return []kg.Condition{{Prop: prop, Op: kg.IN, Value: vs}}
}

// between adds from ≤ prop ≤ to, either bound open.
func (c *conds) between(prop string, from, to *int) {
	if from != nil {
		c.list = append(c.list, kg.Condition{Prop: prop, Op: kg.GTE, Value: *from})
	}
	if to != nil {
		c.list = append(c.list, kg.Condition{Prop: prop, Op: kg.LTE, Value: *to})
	}
}

// levelAtLeast adds that the level is l or higher (nil: nothing).
func (c *conds) levelAtLeast(l *model.Level) {
	if l != nil {
		c.list = append(c.list, kg.LevelAtLeast(string(*l)))
	}
}

// aboveScaleIn adds that an enterprise is above designated size in year
// y by its yearly status (nil: nothing).
func (c *conds) aboveScaleIn(y *int) {
	if y == nil {
		return
	}
	if *y < kg.MinYear || *y > kg.MaxYear {
		if c.err == nil {
			c.err = fmt.Errorf("filter.aboveScaleIn: %d is not a year (want %d..%d)", *y, kg.MinYear, kg.MaxYear)
		}
		return
	}
	c.list = append(c.list, kg.Condition{Prop: "aboveScaleByYear", Op: kg.EQ, Value: 1.0, Year: *y})
}

// inYear adds that a yearly figure has a value in yr's year within its
// bounds (none: any value).
func (c *conds) inYear(prop string, yr *model.YearRange) {
	if yr == nil {
		return
	}
	if yr.Min == nil && yr.Max == nil {
		// A value in the year: every value of a figure passes.
		c.list = append(c.list, kg.Condition{Prop: prop, Op: kg.GTE, Value: -math.MaxFloat64, Year: yr.Year})
		return
	}
	if yr.Min != nil {
		c.list = append(c.list, kg.Condition{Prop: prop, Op: kg.GTE, Value: *yr.Min, Year: yr.Year})
	}
	if yr.Max != nil {
		c.list = append(c.list, kg.Condition{Prop: prop, Op: kg.LTE, Value: *yr.Max, Year: yr.Year})
	}
}
