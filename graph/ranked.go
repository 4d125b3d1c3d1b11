package graph

import (
	"cmp"
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
func ranked[T any](ctx context.Context, r *Resolver, kind kg.Kind, first *int, after *string, filter any, keys []kg.SortKey) (*model.Connection[T], error) {
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
	f, pos, err := pageArgs(first, after)
	if err != nil {
		return nil, err
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
	slices.SortStableFunc(all, func(a, b *kg.Node) int {
		for _, k := range keys {
			var c int
			switch {
			case k.Prop == servedKey:
				c = cmp.Compare(served[k.Year][a.ID], served[k.Year][b.ID])
				if k.Desc {
					c = -c
				}
			case ranks[k.Prop] != nil:
				c = compareRanks(a, b, k, ranks[k.Prop])
			default:
				c = kg.CompareKey(a, b, k)
			}
			if c != 0 {
				return c
			}
		}
		return cmp.Compare(a.ID, b.ID)
	})
	start := min(pos+1, len(all))
	end := min(start+f, len(all))
	page := all[start:end]
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
	c := &model.Connection[T]{TotalCount: len(all), PageInfo: model.NewPageInfo(start, len(page), end < len(all)), Edges: make([]*model.Edge[T], len(page))}
	for i, v := range views {
		c.Edges[i] = &model.Edge[T]{Cursor: kg.Cursor(start + i), Node: v.(T)}
	}
	return c, nil
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
		q.After = kg.Cursor(p.Offset + len(p.Nodes) - 1)
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

// compareRanks compares two nodes by the rank of an enum property: a node
// without one (rank 0) after the others ascending, before them descending.
func compareRanks(a, b *kg.Node, k kg.SortKey, rank func(string) int) int {
	ra, rb := rank(a.Props.Str(k.Prop)), rank(b.Props.Str(k.Prop))
	return kg.CompareMissing(int64(ra), ra != 0, int64(rb), rb != 0, k.Desc)
}
