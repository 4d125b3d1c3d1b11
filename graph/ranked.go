package graph

import (
	"context"
	"fmt"
	"slices"

	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/kg"
)

// servedKey is the sort key of ServiceAgencyOrderField ENTERPRISES_SERVED
// (orderKeys names it after the field): not a property, but the distinct
// enterprises an agency served in the key's year.
const servedKey = "enterprisesServed"

// ranks are the orders of enum properties that sort by meaning, not by
// name: a level by rank (DISTRICT lowest), a chain position along the
// chain (UPSTREAM first).
var ranks = map[string]func(string) int{
	"level":    kg.LevelRank,
	"position": func(p string) int { return slices.Index(kg.ChainPosition.Values, p) + 1 },
}

// derivedKey reports whether a sort key is not a property's order, which
// the stores apply, but one ranked in ranked: by an enum's rank (see
// ranks), or ENTERPRISES_SERVED by a count of relationships.
func derivedKey(k kg.SortKey) bool { return ranks[k.Prop] != nil || k.Prop == servedKey }

// ranked lists the nodes of a kind in an order with a derived key (see
// derivedKey): every node that passes the filter is read (FindNodes, page
// after page), ranked here by the keys, then id, and the page is read by
// id with the request planned below it. ENTERPRISES_SERVED costs one
// Neighbors call more.
func ranked[T any](ctx context.Context, r *Resolver, kind kg.Kind, first int, after *string, filter any, keys []kg.SortKey) (*model.Connection[T], error) {
	var years []int
	var propKeys []kg.SortKey
	for _, k := range keys {
		switch {
		case ranks[k.Prop] != nil:
		case k.Prop != servedKey:
			propKeys = append(propKeys, k)
		case k.Year == 0:
			return nil, fmt.Errorf("%w: ordering by ENTERPRISES_SERVED needs a year", kg.ErrInvalid)
		case k.Year < 0:
			return nil, fmt.Errorf("%w: ordering by ENTERPRISES_SERVED: year %d is negative", kg.ErrInvalid, k.Year)
		default:
			years = append(years, k.Year)
		}
	}
	f, a, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	order, desc := kg.NodeOrder(kind, keys), kg.Descending(keys)
	pos, err := kg.DecodeCursor(a, order, len(keys))
	if err != nil {
		return nil, fmt.Errorf("after: %w", err)
	}
	where, err := r.where(ctx, kind, filter)
	if err != nil {
		return nil, err
	}
	all, err := allNodes(ctx, r.Store, kg.NodeQuery{Kind: kind, Where: where, OrderBy: propKeys})
	if err != nil {
		return nil, err
	}
	served, err := enterprisesServed(ctx, r.Store, all, years)
	if err != nil {
		return nil, err
	}
	// Each node's position: the values of the keys (an enum's rank, nil
	// for none; a count of enterprises served), then its id.
	vals := make(map[string][]any, len(all))
	for _, n := range all {
		vals[n.ID] = rankedValues(n, keys, served)
	}
	slices.SortFunc(all, func(a, b *kg.Node) int {
		return kg.CompareValues(vals[a.ID], a.ID, vals[b.ID], b.ID, desc)
	})
	start := len(all)
	if pos == nil {
		start = 0
	} else if i, ok := slices.BinarySearchFunc(all, pos, func(n *kg.Node, p *kg.Position) int {
		// Those up to the position sort before it.
		if p.CompareTo(vals[n.ID], n.ID, desc) <= 0 {
			return -1
		}
		return 1
	}); !ok {
		start = i
	}
	end := min(start+f, len(all))
	page := all[start:end]
	cursors := make([]string, len(page))
	for i, n := range page {
		cursors[i] = kg.EncodeCursor(kg.Position{Order: order, Values: vals[n.ID], ID: n.ID})
	}
	views := make([]model.Node, len(page))
	if !r.DisablePlanner && len(page) > 0 {
		ids := make([]string, len(page))
		for i, n := range page {
			ids[i] = n.ID
		}
		p := newPlanner(ctx)
		plan := kg.FetchPlan{IDs: ids}
		plan.Props, plan.Hops = p.nodes(p.connectionNodes(rootSelection(ctx), string(kind)+"Connection"), []kg.Kind{kind}, 0)
		res, err := r.Store.Fetch(ctx, plan)
		if err != nil {
			return nil, err
		}
		for i, fn := range res.Roots {
			if fn == nil {
				return nil, fmt.Errorf("%w: %s %q vanished while it was read", kg.ErrNotFound, kind, ids[i])
			}
			views[i] = model.WrapFetched(fn)
		}
	} else {
		for i, n := range page {
			views[i] = model.Wrap(n)
		}
	}
	return model.NewNodeConnection[T](len(all), start, end < len(all), views, cursors), nil
}

// rankedValues returns the values of keys at n in a ranked order: an
// enum's rank (nil for none, see ranks), the count of enterprises served
// in a year (see enterprisesServed), or a property's value (nil where
// missing).
func rankedValues(n *kg.Node, keys []kg.SortKey, served map[int]map[string]int) []any {
	vals := make([]any, len(keys))
	for i, k := range keys {
		switch {
		case k.Prop == servedKey:
			vals[i] = int64(served[k.Year][n.ID])
		case ranks[k.Prop] != nil:
			if r := ranks[k.Prop](n.Props.Str(k.Prop)); r != 0 {
				vals[i] = int64(r)
			}
		default:
			if v, ok := kg.Value(n, k.Prop, k.Year); ok {
				vals[i] = v
			}
		}
	}
	return vals
}

// allNodes reads every node q selects, page by page (q.First and q.After
// are set here).
func allNodes(ctx context.Context, s kg.Store, q kg.NodeQuery) ([]*kg.Node, error) {
	q.First, q.After = kg.MaxPageSize, ""
	var out []*kg.Node
	for {
		p, err := s.FindNodes(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Nodes...)
		if !p.HasNextPage || len(p.Nodes) == 0 {
			return out, nil
		}
		q.After = kg.EndCursor(q, p)
	}
}

// enterprisesServed counts, for each year and agency, the distinct
// enterprises the agency served in the year: the ends of its SERVES
// relationships whose year is that year. No year, no store call.
func enterprisesServed(ctx context.Context, s kg.Store, agencies []*kg.Node, years []int) (map[int]map[string]int, error) {
	out := make(map[int]map[string]int, len(years))
	for _, y := range years {
		out[y] = map[string]int{}
	}
	if len(agencies) == 0 || len(years) == 0 {
		return out, nil
	}
	ids := make([]string, len(agencies))
	for i, n := range agencies {
		ids[i] = n.ID
	}
	res, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: ids, Types: []kg.RelType{kg.Serves}, Direction: kg.Out, BareNodes: true})
	if err != nil {
		return nil, err
	}
	for _, y := range years {
		var rf relFilter
		if err := rf.inYear(&y); err != nil {
			return nil, err
		}
		for id, ns := range res {
			out[y][id] = distinctNodes(rf.apply(ns))
		}
	}
	return out, nil
}
