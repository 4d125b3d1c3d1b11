package embedded

import (
	"context"
	"slices"
	"strings"

	"github.com/innograph/innograph/kg"
)

// ScanNodes returns one page of the walk over the nodes of q.Kinds, by
// kind and id: each kind's id-sorted list is entered by binary search
// after the cursor's id, so a page costs O(log n + First).
func (s *Store) ScanNodes(ctx context.Context, q kg.NodeScan) (*kg.NodeScanPage, error) {
	kinds, afterKind, afterID, err := kg.ValidateNodeScan(&q)
	if err != nil {
		return nil, err
	}
	if err := s.rlock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	page := &kg.NodeScanPage{}
	for _, k := range kinds {
		list := s.byKind[k]
		start := 0
		if k == afterKind {
			start, _ = slices.BinarySearchFunc(list, afterID, func(r *nodeRec, id string) int { return strings.Compare(r.n.ID, id) })
			if start < len(list) && list[start].n.ID == afterID {
				start++
			}
		}
		for _, r := range list[start:] {
			if len(page.Nodes) == q.First {
				page.HasNextPage = true
				return page, nil
			}
			page.Nodes = append(page.Nodes, cloneNode(r.n))
			page.EndCursor = kg.ScanCursor(string(k), r.n.ID)
		}
	}
	return page, nil
}

// ScanEdges returns one page of the walk over the edges, by type and id.
// The walk reads per-type lists of edges sorted by id, built on first use
// and dropped by the next write that creates or deletes an edge.
func (s *Store) ScanEdges(ctx context.Context, q kg.EdgeScan) (*kg.EdgeScanPage, error) {
	types, afterType, afterID, err := kg.ValidateEdgeScan(&q)
	if err != nil {
		return nil, err
	}
	if err := s.rlock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	order := s.edgesByType()
	keep := func(e *kg.Edge) bool { return kg.MatchEdge(e, nil, q.Kinds, q.AsOf, s.kindOf) }
	page := &kg.EdgeScanPage{}
	for _, t := range types {
		list := order[t]
		start := 0
		if t == afterType {
			start, _ = slices.BinarySearchFunc(list, afterID, func(r *edgeRec, id string) int { return strings.Compare(r.e.ID, id) })
			if start < len(list) && list[start].e.ID == afterID {
				start++
			}
		}
		for i, r := range list[start:] {
			if i%4096 == 4095 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			if !keep(r.e) {
				continue
			}
			if len(page.Edges) == q.First {
				page.HasNextPage = true
				return page, nil
			}
			page.Edges = append(page.Edges, cloneEdge(r.e))
			page.EndCursor = kg.ScanCursor(string(t), r.e.ID)
		}
	}
	return page, nil
}

// edgesByType returns the edges of each type sorted by id, building them
// if a write dropped them. The caller holds mu shared.
func (s *Store) edgesByType() map[kg.RelType][]*edgeRec {
	s.scanMu.Lock()
	defer s.scanMu.Unlock()
	if s.edgeOrder != nil {
		return s.edgeOrder
	}
	order := make(map[kg.RelType][]*edgeRec, len(kg.RelTypes))
	for _, t := range kg.RelTypes {
		if n := s.typeCount[t]; n > 0 {
			order[t] = make([]*edgeRec, 0, n)
		}
	}
	for _, r := range s.edges {
		order[r.e.Type] = append(order[r.e.Type], r)
	}
	for _, list := range order {
		slices.SortFunc(list, func(a, b *edgeRec) int { return strings.Compare(a.e.ID, b.e.ID) })
	}
	s.edgeOrder = order
	return order
}

// dropEdgeOrder forgets the sorted edge lists, after a change that
// creates or deletes edges. The caller holds mu exclusively.
func (s *Store) dropEdgeOrder() {
	s.scanMu.Lock()
	s.edgeOrder = nil
	s.scanMu.Unlock()
}
