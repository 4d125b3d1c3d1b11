package graph

import (
	"context"
	"fmt"

	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/kg"
)

// incubatedCondition turns an enterprise filter's `incubated` into a
// condition on ids: the enterprises with an INCUBATED_BY relationship
// that passes f. It reads the relationships of the carriers f names (one
// Neighbors call), or every INCUBATED_BY relationship (a scan) when it
// names none.
func incubatedCondition(ctx context.Context, s kg.Store, f *model.IncubationFilter) (kg.Condition, error) {
	if err := checkIncubationFilter(f); err != nil {
		return kg.Condition{}, err
	}
	var edges []*kg.Edge
	if f.By != nil {
		if err := checkCarriers(ctx, s, f.By); err != nil {
			return kg.Condition{}, err
		}
		res, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: f.By, Types: []kg.RelType{kg.IncubatedBy}, Direction: kg.In, BareNodes: true})
		if err != nil {
			return kg.Condition{}, err
		}
		for _, id := range f.By {
			for _, n := range res[id] {
				edges = append(edges, n.Edge)
			}
		}
	} else {
		q := kg.EdgeScan{Types: []kg.RelType{kg.IncubatedBy}, First: kg.MaxPageSize}
		for {
			p, err := s.ScanEdges(ctx, q)
			if err != nil {
				return kg.Condition{}, err
			}
			edges = append(edges, p.Edges...)
			if !p.HasNextPage {
				break
			}
			q.After = p.EndCursor
		}
	}
	ids, seen := []any{}, map[string]bool{}
	for _, e := range edges {
		if incubationMatches(e, f) && !seen[e.From] {
			seen[e.From] = true
			ids = append(ids, e.From)
		}
	}
	return kg.Condition{Prop: "id", Op: kg.IN, Value: ids}, nil
}

// checkIncubationFilter checks the years of f.
func checkIncubationFilter(f *model.IncubationFilter) error {
	for _, y := range []*int{f.From, f.To} {
		if y != nil && *y < 0 {
			return fmt.Errorf("%w: filter.incubated: year %d is negative", kg.ErrInvalid, *y)
		}
	}
	if f.From != nil && f.To != nil && *f.From > *f.To {
		return fmt.Errorf("%w: filter.incubated: from %d is after to %d", kg.ErrInvalid, *f.From, *f.To)
	}
	return nil
}

// checkCarriers requires every id to name an incubator or a makerspace.
func checkCarriers(ctx context.Context, s kg.Store, ids []string) error {
	if len(ids) > MaxIDs {
		return fmt.Errorf("%w: filter.incubated.by: at most %d ids, got %d", kg.ErrInvalid, MaxIDs, len(ids))
	}
	ns, err := s.GetNodes(ctx, ids)
	if err != nil {
		return err
	}
	for i, n := range ns {
		switch {
		case n == nil:
			return fmt.Errorf("%w: filter.incubated.by: no incubator or makerspace with id %q", kg.ErrInvalid, ids[i])
		case n.Kind != kg.Incubator && n.Kind != kg.Makerspace:
			return fmt.Errorf("%w: filter.incubated.by: %q is a node of kind %s, not an incubator or makerspace", kg.ErrInvalid, ids[i], n.Kind)
		}
	}
	return nil
}

// incubationMatches reports whether an INCUBATED_BY relationship passes
// f: it holds in some year of from..to, and it ended in graduation by
// `to` or not, as f.Graduated asks.
func incubationMatches(e *kg.Edge, f *model.IncubationFilter) bool {
	if f.To != nil {
		if since, ok := e.Props.Int("since"); ok && int(since) > *f.To {
			return false
		}
	}
	if f.From != nil {
		if until, ok := e.Props.Int("until"); ok && int(until) < *f.From {
			return false
		}
	}
	if f.Graduated != nil {
		g, ok := e.Props.Int("graduated")
		graduated := ok && (f.To == nil || int(g) <= *f.To)
		if graduated != *f.Graduated {
			return false
		}
	}
	return true
}
