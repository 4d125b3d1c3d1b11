package embedded

import (
	"context"
	"slices"
	"strings"

	"github.com/innograph/innograph/kg"
)

// checkEvery is how many items (edges, nodes, comparisons, search steps)
// the loops of analytics reads go through between two looks at their
// context, so that they stop soon after it ends.
const checkEvery = 1 << 14

// sortCtx sorts x by cmp like slices.SortFunc (not stably), looking at
// ctx between pieces of work: runs of checkEvery items are sorted, then
// merged pairwise, pass after pass. It returns ctx's error if the context
// ends first, leaving x in some order.
func sortCtx[T any](ctx context.Context, x []T, cmp func(a, b T) int) error {
	for lo := 0; lo < len(x); lo += checkEvery {
		if err := ctx.Err(); err != nil {
			return err
		}
		slices.SortFunc(x[lo:min(lo+checkEvery, len(x))], cmp)
	}
	if len(x) <= checkEvery {
		return nil
	}
	src, dst := x, make([]T, len(x))
	for width := checkEvery; width < len(x); width *= 2 {
		for lo := 0; lo < len(x); lo += 2 * width {
			mid, hi := min(lo+width, len(x)), min(lo+2*width, len(x))
			i, j := lo, mid
			for k := lo; k < hi; k++ {
				if (k-lo)%checkEvery == checkEvery-1 {
					if err := ctx.Err(); err != nil {
						return err
					}
				}
				if j >= hi || i < mid && cmp(src[i], src[j]) <= 0 {
					dst[k], i = src[i], i+1
				} else {
					dst[k], j = src[j], j+1
				}
			}
		}
		src, dst = dst, src
	}
	if &src[0] != &x[0] {
		copy(x, src)
	}
	return nil
}

// Project returns the edges of q's types between nodes of q's kinds that
// hold in q.AsOf, the first q.Limit by id, with their end nodes. It walks
// every edge in memory once, and looks at ctx as it goes.
func (s *Store) Project(ctx context.Context, q kg.ProjectionQuery) (*kg.Projection, error) {
	if err := kg.ValidateProjection(&q); err != nil {
		return nil, err
	}
	if err := s.rlock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	matched := make([]*kg.Edge, 0, len(s.edges))
	i := 0
	for _, r := range s.edges {
		if i++; i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if kg.MatchEdge(r.e, q.Types, q.Kinds, q.AsOf, s.kindOf) {
			matched = append(matched, r.e)
		}
	}
	if err := sortCtx(ctx, matched, func(a, b *kg.Edge) int { return strings.Compare(a.ID, b.ID) }); err != nil {
		return nil, err
	}
	out := &kg.Projection{Truncated: len(matched) > q.Limit}
	matched = matched[:min(len(matched), q.Limit)]
	out.Edges = make([]*kg.Edge, len(matched))
	bare := make([]kg.Edge, len(matched)) // one allocation for the copies
	ends := make(map[string]bool, len(matched))
	for i, e := range matched {
		if i%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if q.EdgeProps {
			out.Edges[i] = cloneEdge(e)
		} else {
			bare[i] = kg.Edge{ID: e.ID, Type: e.Type, From: e.From, To: e.To}
			out.Edges[i] = &bare[i]
		}
		ends[e.From], ends[e.To] = true, true
	}
	ids := make([]string, 0, len(ends))
	for id := range ends {
		ids = append(ids, id)
	}
	if err := sortCtx(ctx, ids, strings.Compare); err != nil {
		return nil, err
	}
	out.Nodes = make([]*kg.Node, len(ids))
	for i, id := range ids {
		if i%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		out.Nodes[i] = kg.ProjectNode(s.nodes[id].n, q.NodeProps)
	}
	return out, nil
}

// maxPathSteps bounds the steps of one path search (edges looked at by
// the depth-first enumeration): past it the search counts as having found
// more than kg.MaxPathCandidates paths.
const maxPathSteps = 20_000_000

// pathSearch enumerates the simple paths of a PathQuery over the
// in-memory adjacency. The caller holds mu for reading. The search looks
// at ctx every checkEvery steps and stops with err set when it has ended.
type pathSearch struct {
	ctx   context.Context
	err   error
	q     *kg.PathQuery
	s     *Store
	a, b  *nodeRec
	dist  map[*nodeRec]int // hops to b, through allowed nodes
	steps int

	// state of one enumeration
	onPath map[*nodeRec]bool
	nodes  []*nodeRec
	edges  []*edgeRec
	found  [][]*edgeRec
	limit  int
}

// Paths returns the k shortest simple paths of q (see kg.PathQuery): a
// breadth-first search from q.To gives every node's distance to it, and a
// depth-first enumeration from q.From, pruned by that distance, lists the
// paths of each length.
func (s *Store) Paths(ctx context.Context, q kg.PathQuery) (*kg.PathResult, error) {
	if err := kg.ValidatePathQuery(&q); err != nil {
		return nil, err
	}
	if err := s.rlock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	ps := &pathSearch{ctx: ctx, q: &q, s: s, a: s.nodes[q.From], b: s.nodes[q.To]}
	if ps.a == nil || ps.b == nil {
		return &kg.PathResult{}, nil
	}
	if err := ps.distances(); err != nil {
		return nil, err
	}
	d, ok := ps.dist[ps.a]
	if !ok {
		return &kg.PathResult{}, nil
	}
	shortest, over := ps.enumerate(d)
	if ps.err != nil {
		return nil, ps.err
	}
	if over {
		return &kg.PathResult{Truncated: true}, nil
	}
	cands := shortest
	for l := d + 1; len(cands) < q.K && l <= q.MaxHops; l++ {
		var over bool
		cands, over = ps.enumerate(l)
		if ps.err != nil {
			return nil, ps.err
		}
		if over {
			return ps.result(kg.RankPaths(shortest, len(shortest)), true), nil
		}
	}
	return ps.result(kg.RankPaths(cands, q.K), false), nil
}

// allowedEdge reports whether a path may follow e.
func (ps *pathSearch) allowedEdge(e *kg.Edge) bool {
	return (len(ps.q.Types) == 0 || slices.Contains(ps.q.Types, e.Type)) && e.Links(ps.q.AsOf)
}

// between reports whether a path may pass through r on its way.
func (ps *pathSearch) between(r *nodeRec) bool {
	return r != ps.a && r != ps.b && (len(ps.q.Through) == 0 || slices.Contains(ps.q.Through, r.n.Kind))
}

// each calls f for every allowed edge of r with the node at its other end.
func (ps *pathSearch) each(r *nodeRec, f func(er *edgeRec, other *nodeRec)) {
	for _, er := range r.out {
		if ps.allowedEdge(er.e) {
			f(er, ps.s.nodes[er.e.To])
		}
	}
	for _, er := range r.in {
		if ps.allowedEdge(er.e) {
			f(er, ps.s.nodes[er.e.From])
		}
	}
}

// distances fills dist by a breadth-first search from b that passes only
// through nodes a path may pass through, up to MaxHops; it returns the
// context's error if the context ends first.
func (ps *pathSearch) distances() error {
	ps.dist = map[*nodeRec]int{ps.b: 0}
	frontier := []*nodeRec{ps.b}
	steps := 0
	for depth := 1; depth <= ps.q.MaxHops && len(frontier) > 0; depth++ {
		var next []*nodeRec
		for _, r := range frontier {
			if r != ps.b && !ps.between(r) {
				continue
			}
			if steps += len(r.out) + len(r.in) + 1; steps >= checkEvery {
				steps = 0
				if err := ps.ctx.Err(); err != nil {
					return err
				}
			}
			ps.each(r, func(_ *edgeRec, o *nodeRec) {
				if _, seen := ps.dist[o]; !seen {
					ps.dist[o] = depth
					next = append(next, o)
				}
			})
		}
		frontier = next
	}
	return nil
}

// enumerate returns the keys of every simple path from a to b of at most
// maxLen relationships, and whether there were more than
// kg.MaxPathCandidates of them (then the keys are incomplete).
func (ps *pathSearch) enumerate(maxLen int) ([]kg.PathKey, bool) {
	ps.onPath = map[*nodeRec]bool{ps.a: true}
	ps.nodes, ps.edges, ps.found = []*nodeRec{ps.a}, nil, nil
	ps.limit = maxLen
	if !ps.dfs(ps.a) {
		return nil, true
	}
	keys := make([]kg.PathKey, len(ps.found))
	for i, es := range ps.found {
		keys[i] = ps.key(es)
	}
	return keys, false
}

// dfs extends the current path from r; false means the search overflowed
// or its context ended (then err is set).
func (ps *pathSearch) dfs(r *nodeRec) bool {
	ok := true
	ps.each(r, func(er *edgeRec, o *nodeRec) {
		if !ok {
			return
		}
		if ps.steps++; ps.steps > maxPathSteps {
			ok = false
			return
		}
		if ps.steps%checkEvery == 0 {
			if ps.err = ps.ctx.Err(); ps.err != nil {
				ok = false
				return
			}
		}
		if ps.onPath[o] {
			return
		}
		d, reach := ps.dist[o]
		if !reach || len(ps.edges)+1+d > ps.limit {
			return
		}
		if o == ps.b {
			ps.found = append(ps.found, append(slices.Clone(ps.edges), er))
			if len(ps.found) > kg.MaxPathCandidates {
				ok = false
			}
			return
		}
		if !ps.between(o) {
			return
		}
		ps.onPath[o] = true
		ps.edges = append(ps.edges, er)
		ok = ps.dfs(o)
		ps.edges = ps.edges[:len(ps.edges)-1]
		delete(ps.onPath, o)
	})
	return ok
}

// key returns the ranking key of the path made of es, from a.
func (ps *pathSearch) key(es []*edgeRec) kg.PathKey {
	k := kg.PathKey{Nodes: []string{ps.a.n.ID}, Edges: make([]string, len(es))}
	at := ps.a.n.ID
	for i, er := range es {
		at = er.e.Other(at)
		k.Nodes = append(k.Nodes, at)
		k.Edges[i] = er.e.ID
	}
	return k
}

// result builds the answer of the ranked keys.
func (ps *pathSearch) result(keys []kg.PathKey, truncated bool) *kg.PathResult {
	out := &kg.PathResult{Paths: make([]*kg.Path, len(keys)), Truncated: truncated}
	for i, k := range keys {
		p := &kg.Path{}
		for _, id := range k.Nodes {
			p.Nodes = append(p.Nodes, cloneNode(ps.s.nodes[id].n))
		}
		for _, id := range k.Edges {
			p.Edges = append(p.Edges, cloneEdge(ps.s.edges[id].e))
		}
		out.Paths[i] = p
	}
	return out
}

// kindOf returns the kind of the stored node id; the caller holds s.mu.
func (s *Store) kindOf(id string) kg.Kind { return s.nodes[id].n.Kind }
