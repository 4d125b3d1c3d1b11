package embedded

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/innograph/innograph/kg"
)

// Fetch reads a plan in one pass under one read lock: the roots (as
// FindNodes or GetNodes), then every hop of every node, depth first,
// copying only the page of each hop and the properties the plan asks for.
func (s *Store) Fetch(ctx context.Context, p kg.FetchPlan) (*kg.FetchResult, error) {
	if err := kg.ValidateFetchPlan(&p); err != nil {
		return nil, err
	}
	if err := s.rlock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	res := &kg.FetchResult{}
	var roots []*nodeRec
	if p.Query != nil {
		after, err := p.Query.AfterPosition()
		if err != nil {
			return nil, err
		}
		q := *p.Query
		countOnly := q.First == 0
		if countOnly {
			q.First = 1
		}
		page, total, before := s.find(q, after)
		if countOnly {
			page = nil
		}
		roots = page
		res.TotalCount, res.Offset, res.HasNextPage = total, before, before+len(page) < total
	} else {
		roots = make([]*nodeRec, len(p.IDs))
		for i, id := range p.IDs {
			roots[i] = s.nodes[id]
		}
	}
	f := fetcher{s: s, ctx: ctx, after: map[*kg.Hop]*kg.Position{}}
	res.Roots = make([]*kg.Fetched, len(roots))
	for i, r := range roots {
		if r == nil {
			continue
		}
		fn, err := f.node(r, p.Props, p.Hops)
		if err != nil {
			return nil, err
		}
		res.Roots[i] = fn
	}
	return res, nil
}

// fetcher walks the hops of a plan; the caller holds mu for reading.
type fetcher struct {
	s    *Store
	ctx  context.Context
	work int
	// after holds the decoded After of each hop met.
	after map[*kg.Hop]*kg.Position
}

// node returns the copy of r with props and the pages of hops.
func (f *fetcher) node(r *nodeRec, props []string, hops []*kg.Hop) (*kg.Fetched, error) {
	return kg.WithHops(cloneNodeProps(r.n, props), hops, func(_ int, h *kg.Hop) (*kg.HopPage, bool, error) {
		pg, err := f.hop(r, h)
		return pg, true, err
	})
}

// hopRel is one relationship a hop selects and the node at its other end.
type hopRel struct {
	e     *kg.Edge
	other *nodeRec
}

// hop selects the relationships of r that h follows (of its types and
// direction, holding in its year, passing its conditions), in the order
// of kg.SortNeighbors, and returns the page h asks for: the first h.First
// after h.After.
func (f *fetcher) hop(r *nodeRec, h *kg.Hop) (*kg.HopPage, error) {
	if f.work += len(r.out) + len(r.in) + 1; f.work >= neighborsCheckEvery {
		f.work = 0
		if err := f.ctx.Err(); err != nil {
			return nil, err
		}
	}
	dir := h.Direction
	if dir == "" {
		dir = kg.Both
	}
	id := r.n.ID
	var rels []hopRel
	add := func(er *edgeRec) {
		e := er.e
		if len(h.Types) > 0 && !slices.Contains(h.Types, e.Type) {
			return
		}
		if !e.Active(h.AsOf) || !kg.MatchEdgeProps(e, h.Where) {
			return
		}
		other := f.s.nodes[e.Other(id)]
		if !kg.Match(other.n, h.FarWhere) {
			return
		}
		rels = append(rels, hopRel{e, other})
	}
	if dir == kg.Out || dir == kg.Both {
		for _, er := range r.out {
			add(er)
		}
	}
	if dir == kg.In || dir == kg.Both {
		for _, er := range r.in {
			if dir == kg.Both && er.e.From == id {
				continue // a loop, already seen among the outgoing edges
			}
			add(er)
		}
	}
	after, ok := f.after[h]
	if !ok {
		var err error
		if after, err = h.AfterPosition(); err != nil {
			return nil, err
		}
		f.after[h] = after
	}
	pg := &kg.HopPage{Total: len(rels)}
	if after != nil {
		kept := rels[:0]
		for _, rel := range rels {
			if kg.HopAfter(rel.e, rel.other.n.ID, after) {
				kept = append(kept, rel)
			}
		}
		pg.Offset = len(rels) - len(kept)
		rels = kept
	}
	if h.First == 0 || len(rels) == 0 {
		return pg, nil
	}
	slices.SortFunc(rels, func(a, b hopRel) int {
		return cmp.Or(strings.Compare(string(a.e.Type), string(b.e.Type)),
			strings.Compare(a.other.n.ID, b.other.n.ID), strings.Compare(a.e.ID, b.e.ID))
	})
	start, end := 0, min(h.First, len(rels))
	pg.Items = make([]kg.HopItem, 0, end-start)
	for _, rel := range rels[start:end] {
		fn, err := f.node(rel.other, h.Props, h.Hops)
		if err != nil {
			return nil, err
		}
		pg.Items = append(pg.Items, kg.HopItem{Edge: cloneEdgeProps(rel.e, h.EdgeProps), Node: fn})
	}
	return pg, nil
}

// cloneEdgeProps copies e with only the properties of names (see
// kg.Hop.EdgeProps); all of e when names is nil.
func cloneEdgeProps(e *kg.Edge, names []string) *kg.Edge {
	if names == nil {
		return cloneEdge(e)
	}
	return &kg.Edge{ID: e.ID, Type: e.Type, From: e.From, To: e.To, Props: keepProps(e.Props, names)}
}

// cloneNodeProps copies n with only the properties of names and no
// timestamps (see kg.Hop.Props); all of n when names is nil.
func cloneNodeProps(n *kg.Node, names []string) *kg.Node {
	if names == nil {
		return cloneNode(n)
	}
	return &kg.Node{ID: n.ID, Kind: n.Kind, Props: keepProps(n.Props, names)}
}

// keepProps copies the properties of p named in names.
func keepProps(p kg.Props, names []string) kg.Props {
	out := make(kg.Props, len(names))
	for _, name := range names {
		switch x := p[name].(type) {
		case nil:
		case []string:
			out[name] = slices.Clone(x)
		case kg.Series:
			out[name] = maps.Clone(x)
		default:
			out[name] = x
		}
	}
	return out
}
