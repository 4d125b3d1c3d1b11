package embedded

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/innograph/innograph/kg"
)

// GetNodes returns the nodes with the given ids, in the order of ids; an
// unknown id yields nil at its place.
func (s *Store) GetNodes(ctx context.Context, ids []string) ([]*kg.Node, error) {
	if err := s.rlock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	out := make([]*kg.Node, len(ids))
	for i, id := range ids {
		if r := s.nodes[id]; r != nil {
			out[i] = cloneNode(r.n)
		}
	}
	return out, nil
}

// GetEdges returns the edges with the given ids, in the order of ids; an
// unknown id yields nil at its place.
func (s *Store) GetEdges(ctx context.Context, ids []string) ([]*kg.Edge, error) {
	if err := s.rlock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	out := make([]*kg.Edge, len(ids))
	for i, id := range ids {
		if r := s.edges[id]; r != nil {
			out[i] = cloneEdge(r.e)
		}
	}
	return out, nil
}

// FindNodes returns one page of the nodes of a kind that match a filter.
// Conditions and sort keys read columns (see column). Without OrderBy the
// kind's id-sorted list is walked as it is (from After's id, found by
// binary search, when there is no filter); with it, only the first First
// matches after After are kept and sorted.
func (s *Store) FindNodes(ctx context.Context, q kg.NodeQuery) (*kg.NodePage, error) {
	after, err := kg.PrepareNodeQuery(&q)
	if err != nil {
		return nil, err
	}
	if err := s.rlock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	page, total, before := s.find(q, after)
	nodes := make([]*kg.Node, len(page))
	for i, r := range page {
		nodes[i] = cloneNode(r.n)
	}
	return &kg.NodePage{
		Nodes:       nodes,
		TotalCount:  total,
		Offset:      before,
		HasNextPage: before+len(nodes) < total,
	}, nil
}

// find returns the first q.First matches of a validated query that sort
// after position after (all when nil), the number of matches, and the
// number of those that do not sort after it. The caller holds mu for
// reading.
func (s *Store) find(q kg.NodeQuery, after *kg.Position) (page []*nodeRec, total, before int) {
	list := s.byKind[q.Kind]
	conds := make([]colCond, len(q.Where))
	for i, c := range q.Where {
		conds[i] = s.compile(q.Kind, c)
	}
	match := func(i int) bool {
		for j := range conds {
			if !conds[j].match(i) {
				return false
			}
		}
		return true
	}
	switch {
	case len(q.OrderBy) == 0 && len(q.Where) == 0:
		total = len(list)
		if after != nil {
			before, _ = slices.BinarySearchFunc(list, after.ID, func(r *nodeRec, id string) int {
				// Up to and including the cursor's id.
				if r.n.ID <= id {
					return -1
				}
				return 1
			})
		}
		page = list[before:min(before+q.First, total)]
	case len(q.OrderBy) == 0:
		for i, r := range list {
			if match(i) {
				switch {
				case after != nil && r.n.ID <= after.ID:
					before++
				case len(page) < q.First:
					page = append(page, r)
				}
				total++
			}
		}
	default:
		sel := s.newSelector(q.Kind, q.OrderBy, q.First, after)
		for i, r := range list {
			if match(i) {
				sel.offer(i, r)
				total++
			}
		}
		page, before = sel.sorted(), sel.before
	}
	return page, total, before
}

// sortVal is one sort key's value on one node: a string, or a number
// (booleans as 0 and 1), or absent.
type sortVal struct {
	s       string
	f       float64
	present bool
}

type sortItem struct {
	r    *nodeRec
	vals []sortVal
}

// compareItems orders as kg.LessNodes does: each key in turn (absent
// values after present ones, reversed when descending), then id.
func compareItems(a, b *sortItem, keys []kg.SortKey, str []bool) int {
	for i, k := range keys {
		va, vb := a.vals[i], b.vals[i]
		var c int
		switch {
		case !va.present && !vb.present:
		case !va.present:
			c = 1
		case !vb.present:
			c = -1
		case str[i]:
			c = strings.Compare(va.s, vb.s)
		default:
			c = cmp.Compare(va.f, vb.f)
		}
		if k.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return strings.Compare(a.r.n.ID, b.r.n.ID)
}

// selector keeps the first n nodes, under its keys then id, of those
// offered that sort after a position: a max-heap of n items, so that a
// query allocates for its page, not for every match.
type selector struct {
	keys  []kg.SortKey
	cols  []*column
	str   []bool // whether key i compares strings (else numbers)
	n     int
	heap  []*sortItem
	spare *sortItem
	// after is the position as an item (nil: none); before counts the
	// nodes offered that do not sort after it.
	after  *sortItem
	before int
}

// newSelector returns a selector of the first n nodes of kind k under
// keys after position after (nil: from the first). The caller holds mu
// for reading.
func (s *Store) newSelector(k kg.Kind, keys []kg.SortKey, n int, after *kg.Position) *selector {
	sel := &selector{keys: keys, n: n, cols: make([]*column, len(keys)), str: make([]bool, len(keys))}
	for i, key := range keys {
		sel.cols[i] = s.column(k, key.Prop, key.Year)
		sel.str[i] = sel.cols[i].typ == colStr
	}
	if after != nil {
		sel.after = positionItem(after)
	}
	return sel
}

// positionItem is a position (validated against its order's keys) as a
// sort item: strings as strings, numbers and booleans (0 and 1) as
// numbers, as columns hold them.
func positionItem(p *kg.Position) *sortItem {
	it := &sortItem{r: &nodeRec{n: &kg.Node{ID: p.ID}}, vals: make([]sortVal, len(p.Values))}
	for i, v := range p.Values {
		switch x := v.(type) {
		case string:
			it.vals[i] = sortVal{s: x, present: true}
		case bool:
			it.vals[i] = sortVal{present: true}
			if x {
				it.vals[i].f = 1
			}
		case int64:
			it.vals[i] = sortVal{f: float64(x), present: true}
		case float64:
			it.vals[i] = sortVal{f: x, present: true}
		}
	}
	return it
}

func (s *selector) cmp(a, b *sortItem) int { return compareItems(a, b, s.keys, s.str) }

// offer considers r, at position i of its kind's list, for the first n.
func (s *selector) offer(i int, r *nodeRec) {
	it := s.spare
	if it == nil {
		it = &sortItem{vals: make([]sortVal, len(s.keys))}
	}
	s.spare = nil
	it.r = r
	for j, c := range s.cols {
		sv := sortVal{present: c.present[i]}
		if sv.present {
			if c.typ == colStr {
				sv.s = c.str[i]
			} else {
				sv.f = c.num[i]
			}
		}
		it.vals[j] = sv
	}
	if s.after != nil && s.cmp(it, s.after) <= 0 {
		s.before++
		s.spare = it
		return
	}
	h := s.heap
	switch {
	case len(h) < s.n:
		// Append and sift up.
		h = append(h, it)
		for i := len(h) - 1; i > 0; {
			p := (i - 1) / 2
			if s.cmp(h[i], h[p]) <= 0 {
				break
			}
			h[i], h[p] = h[p], h[i]
			i = p
		}
		s.heap = h
	case len(h) > 0 && s.cmp(it, h[0]) < 0:
		// Replace the greatest and sift down.
		s.spare, h[0] = h[0], it
		for i := 0; ; {
			l, g := 2*i+1, i
			if l < len(h) && s.cmp(h[l], h[g]) > 0 {
				g = l
			}
			if l+1 < len(h) && s.cmp(h[l+1], h[g]) > 0 {
				g = l + 1
			}
			if g == i {
				break
			}
			h[i], h[g] = h[g], h[i]
			i = g
		}
	default:
		s.spare = it
	}
}

// sorted returns the kept nodes in order.
func (s *selector) sorted() []*nodeRec {
	slices.SortFunc(s.heap, s.cmp)
	out := make([]*nodeRec, len(s.heap))
	for i, it := range s.heap {
		out[i] = it.r
	}
	return out
}

// neighborsCheckEvery is how many relationships Neighbors goes through
// between two looks at its context: fewer than checkEvery, as it copies
// each.
const neighborsCheckEvery = checkEvery / 4

// Neighbors returns, for each id of q.IDs, its relationships of the
// requested types and direction with the node at their other end.
func (s *Store) Neighbors(ctx context.Context, q kg.NeighborQuery) (map[string][]kg.Neighbor, error) {
	if err := kg.ValidateNeighborQuery(&q); err != nil {
		return nil, err
	}
	dir := q.Direction
	if dir == "" {
		dir = kg.Both
	}
	if err := s.rlock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	var among map[string]bool
	if len(q.Among) > 0 {
		among = make(map[string]bool, len(q.Among))
		for _, id := range q.Among {
			among[id] = true
		}
	}
	out := map[string][]kg.Neighbor{}
	seen := map[string]bool{}
	work := 0
	for _, id := range q.IDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		r := s.nodes[id]
		if r == nil {
			continue
		}
		// Look at ctx every neighborsCheckEvery relationships: a frontier
		// of hubs holds many, and each is copied.
		if work += len(r.out) + len(r.in) + 1; work >= neighborsCheckEvery {
			work = 0
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		var ns []kg.Neighbor
		add := func(er *edgeRec) {
			e := er.e
			if len(q.Types) > 0 && !slices.Contains(q.Types, e.Type) {
				return
			}
			if !e.Active(q.AsOf) {
				return
			}
			other := e.Other(id)
			if among != nil && !among[other] {
				return
			}
			n := s.nodes[other].n
			nb := kg.Neighbor{Edge: cloneEdge(e)}
			if q.BareNodes {
				nb.Node = &kg.Node{ID: n.ID, Kind: n.Kind}
			} else {
				nb.Node = cloneNode(n)
			}
			ns = append(ns, nb)
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
		if len(ns) > 0 {
			kg.SortNeighbors(ns)
			out[id] = ns
		}
	}
	return out, nil
}

// Search finds nodes whose name, English name or alias contains the text,
// case-insensitively, ranked as kg.SortSearch ranks them.
func (s *Store) Search(ctx context.Context, q kg.SearchQuery) ([]*kg.Node, error) {
	if err := kg.ValidateSearch(&q); err != nil {
		return nil, err
	}
	text := kg.SearchText(q.Text)
	if err := s.rlock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	type hit struct {
		n          *kg.Node
		rank, size int
	}
	var hits []hit
	for _, r := range s.searchIndex().candidates(text) {
		if len(q.Kinds) > 0 && !slices.Contains(q.Kinds, r.n.Kind) {
			continue
		}
		if rank := kg.SearchRank(r.n, text); rank >= 0 {
			hits = append(hits, hit{r.n, rank, utf8.RuneCountInString(r.n.Name())})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.size, b.size), strings.Compare(a.n.ID, b.n.ID))
	})
	out := make([]*kg.Node, 0, min(len(hits), q.Limit))
	for _, h := range hits[:min(len(hits), q.Limit)] {
		out = append(out, cloneNode(h.n))
	}
	return out, nil
}
