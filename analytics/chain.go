package analytics

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/innograph/innograph/kg"
)

// GapQuery selects the gaps of an industry chain.
type GapQuery struct {
	Chain    string
	District string
	// FewerThan: a segment with fewer local enterprises is a gap (≥ 1).
	FewerThan int
	// Candidates is the most enterprises proposed per gap, 1..MaxNodes.
	Candidates int
	// Order of the segments (ByPosition, ByLocal, ByOutside; zero:
	// upstream first) and of the candidates (ByNearest, ByLinks; zero:
	// nearest first), which chooses the candidates kept.
	Order, CandidateOrder Order
}

// The fields segments and candidates can be ordered by.
const (
	ByPosition = "POSITION"
	ByLocal    = "LOCAL_ENTERPRISES"
	ByOutside  = "OUTSIDE_ENTERPRISES"
	ByNearest  = "NEAREST"
	ByLinks    = "LINKS"
)

// Candidate is an enterprise outside the district that works in a gap
// segment, with how near it is to the district's enterprises: Hops is the
// fewest SUPPLIES / COLLABORATES_WITH / INVESTS_IN relationships to one of
// them (1 or 2; 0 when none within two), Links the number of the
// district's enterprises it is directly linked to.
type Candidate struct {
	Node  *kg.Node
	Hops  int
	Links int
}

// Segment is one segment of an industry chain.
type Segment struct {
	Node *kg.Node
	// Local and Outside count its enterprises inside and outside the district.
	Local, Outside int
	Gap            bool
	// Upstream feed it, Downstream are fed by it (FEEDS), in id order.
	Upstream, Downstream []*kg.Node
	// Candidates to fill a gap, nearest first.
	Candidates []Candidate
}

// ChainGaps is an industry chain's segments, upstream first.
type ChainGaps struct {
	Chain, District string
	Segments        []Segment
}

// nearTypes are the relationships that make an outside enterprise near
// the district's.
var nearTypes = []kg.RelType{kg.Supplies, kg.CollaboratesWith, kg.InvestsIn}

// positionRank orders chain positions.
func positionRank(p string) int {
	if i := slices.Index(kg.ChainPosition.Values, p); i >= 0 {
		return i
	}
	return len(kg.ChainPosition.Values)
}

// allNodes returns every node of a kind that matches where, in id order.
func allNodes(ctx context.Context, s kg.Store, kind kg.Kind, where []kg.Condition, order []kg.SortKey) ([]*kg.Node, error) {
	var out []*kg.Node
	q := kg.NodeQuery{Kind: kind, Where: where, OrderBy: order, First: kg.MaxPageSize}
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

// IndustryChainGaps finds the segments of a chain with fewer than
// q.FewerThan enterprises in the district, with the segments around them
// and the nearest outside enterprises of each gap. It costs a FindNodes
// and at most four Neighbors calls.
func IndustryChainGaps(ctx context.Context, s kg.Store, q GapQuery) (*ChainGaps, error) {
	if q.FewerThan < 1 {
		return nil, fmt.Errorf("%w: fewerThan must be at least 1, got %d", kg.ErrInvalid, q.FewerThan)
	}
	if err := checkLimit("candidates", q.Candidates, MaxNodes); err != nil {
		return nil, err
	}
	segOrder, err := segmentOrder(q.Order)
	if err != nil {
		return nil, err
	}
	candOrder, err := candidateOrder(q.CandidateOrder)
	if err != nil {
		return nil, err
	}
	segs, err := allNodes(ctx, s, kg.Industry, []kg.Condition{{Prop: "chain", Op: kg.EQ, Value: q.Chain}}, nil)
	if err != nil {
		return nil, err
	}
	if len(segs) == 0 {
		return nil, fmt.Errorf("%w: no industry chain named %q", kg.ErrNotFound, q.Chain)
	}
	slices.SortFunc(segs, func(a, b *kg.Node) int {
		return cmp.Or(cmp.Compare(positionRank(a.Props.Str("position")), positionRank(b.Props.Str("position"))), strings.Compare(a.ID, b.ID))
	})
	ids := make([]string, len(segs))
	for i, n := range segs {
		ids[i] = n.ID
	}
	feeds, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: ids, Types: []kg.RelType{kg.Feeds}})
	if err != nil {
		return nil, err
	}
	members, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: ids, Types: []kg.RelType{kg.InIndustry}, Direction: kg.In})
	if err != nil {
		return nil, err
	}
	out := &ChainGaps{Chain: q.Chain, District: q.District}
	var outsiders []string
	for _, n := range segs {
		sg := Segment{Node: n}
		for _, nb := range feeds[n.ID] {
			if nb.Edge.To == n.ID && nb.Node.ID != n.ID {
				sg.Upstream = append(sg.Upstream, nb.Node)
			} else if nb.Node.ID != n.ID {
				sg.Downstream = append(sg.Downstream, nb.Node)
			}
		}
		seen := map[string]bool{}
		var outside []string
		for _, nb := range members[n.ID] {
			if seen[nb.Node.ID] {
				continue
			}
			seen[nb.Node.ID] = true
			if nb.Node.Props.Str("district") == q.District {
				sg.Local++
			} else {
				sg.Outside++
				outside = append(outside, nb.Node.ID)
			}
		}
		if sg.Gap = sg.Local < q.FewerThan; sg.Gap {
			outsiders = append(outsiders, outside...)
		}
		out.Segments = append(out.Segments, sg)
	}
	near, err := nearness(ctx, s, outsiders, q.District)
	if err != nil {
		return nil, err
	}
	for i := range out.Segments {
		sg := &out.Segments[i]
		if !sg.Gap {
			continue
		}
		seen := map[string]bool{}
		for _, nb := range members[sg.Node.ID] {
			if seen[nb.Node.ID] || nb.Node.Props.Str("district") == q.District {
				continue
			}
			seen[nb.Node.ID] = true
			c := near[nb.Node.ID]
			c.Node = nb.Node
			sg.Candidates = append(sg.Candidates, c)
		}
		slices.SortFunc(sg.Candidates, candOrder)
		sg.Candidates = sg.Candidates[:min(len(sg.Candidates), q.Candidates)]
	}
	slices.SortStableFunc(out.Segments, segOrder)
	return out, nil
}

// segmentOrder compares segments by o, then by position and id (the
// order they are found in, kept by a stable sort).
func segmentOrder(o Order) (func(a, b Segment) int, error) {
	switch o.By {
	case "", ByPosition:
		if !o.Desc {
			return func(a, b Segment) int { return 0 }, nil
		}
		return func(a, b Segment) int {
			return -cmp.Compare(positionRank(a.Node.Props.Str("position")), positionRank(b.Node.Props.Str("position")))
		}, nil
	case ByLocal:
		return func(a, b Segment) int { return direct(cmp.Compare(a.Local, b.Local), o.Desc) }, nil
	case ByOutside:
		return func(a, b Segment) int { return direct(cmp.Compare(a.Outside, b.Outside), o.Desc) }, nil
	}
	return nil, unknownOrder("segments", o.By, ByPosition, ByLocal, ByOutside)
}

// candidateOrder compares candidates by o, then by id: NEAREST is fewest
// hops (none last), then most links; LINKS most links, then fewest hops;
// Desc reverses either.
func candidateOrder(o Order) (func(a, b Candidate) int, error) {
	hops := func(a, b Candidate) int { return cmp.Compare(hopsRank(a.Hops), hopsRank(b.Hops)) }
	links := func(a, b Candidate) int { return cmp.Compare(b.Links, a.Links) }
	var first, second func(a, b Candidate) int
	switch o.By {
	case "", ByNearest:
		first, second = hops, links
	case ByLinks:
		first, second = links, hops
	default:
		return nil, unknownOrder("candidates", o.By, ByNearest, ByLinks)
	}
	return func(a, b Candidate) int {
		return cmp.Or(direct(cmp.Or(first(a, b), second(a, b)), o.Desc), strings.Compare(a.Node.ID, b.Node.ID))
	}, nil
}

// hopsRank sorts 0 (not near) last.
func hopsRank(h int) int {
	if h == 0 {
		return math.MaxInt
	}
	return h
}

// nearness measures how near each of ids is to the district's enterprises
// over nearTypes: two Neighbors calls.
func nearness(ctx context.Context, s kg.Store, ids []string, district string) (map[string]Candidate, error) {
	out := map[string]Candidate{}
	if len(ids) == 0 {
		return out, nil
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	first, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: ids, Types: nearTypes})
	if err != nil {
		return nil, err
	}
	var second []string
	for _, id := range ids {
		local := map[string]bool{}
		for _, nb := range first[id] {
			if nb.Node.Kind == kg.Enterprise && nb.Node.Props.Str("district") == district && nb.Node.ID != id {
				local[nb.Node.ID] = true
			} else {
				second = append(second, nb.Node.ID)
			}
		}
		if len(local) > 0 {
			out[id] = Candidate{Hops: 1, Links: len(local)}
		}
	}
	slices.Sort(second)
	second = slices.Compact(second)
	if len(second) == 0 {
		return out, nil
	}
	res, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: second, Types: nearTypes})
	if err != nil {
		return nil, err
	}
	nearLocal := map[string]bool{}
	for id, nbs := range res {
		for _, nb := range nbs {
			if nb.Node.Kind == kg.Enterprise && nb.Node.Props.Str("district") == district {
				nearLocal[id] = true
				break
			}
		}
	}
	for _, id := range ids {
		if _, done := out[id]; done {
			continue
		}
		for _, nb := range first[id] {
			if nearLocal[nb.Node.ID] {
				out[id] = Candidate{Hops: 2}
				break
			}
		}
	}
	return out, nil
}

// ReachQuery selects what a policy reached.
type ReachQuery struct {
	Policy string
	// Year, when set, keeps the applications of that year (SUPPORTED_BY's
	// year) and the services of that year (SERVES' year).
	Year int
	// ApprovedOnly keeps approved applications only.
	ApprovedOnly bool
	// Limit is the most enterprises, industries and agencies listed, 1..MaxNodes.
	Limit int
	// Order of the industries and agencies (ByEnterprises, ByName; zero:
	// most enterprises first), which chooses the ones listed.
	Order Order
}

// The fields a policy's industries and agencies can be ordered by.
const (
	ByEnterprises = "ENTERPRISES"
	ByName        = "NAME"
)

// Count is a node with the number of reached enterprises linked to it.
type Count struct {
	Node        *kg.Node
	Enterprises int
}

// Beneficiary is an enterprise a policy reached, with its applications.
type Beneficiary struct {
	Node         *kg.Node
	Applications []*kg.Edge
}

// Reach is what a policy reached: the enterprises that applied to it, the
// industries they are in and the service agencies that serve them, each
// industry and agency with how many of those enterprises it counts, most
// first. The counts are over every reached enterprise; the lists hold the
// first Limit.
type Reach struct {
	Policy          *kg.Node
	EnterpriseCount int
	Enterprises     []Beneficiary
	Industries      []Count
	Agencies        []Count
	Truncated       bool
	By              Bound
}

// PolicyReach follows a policy to the enterprises that applied to it and
// on to their industries and service agencies: three Neighbors calls with
// bare neighbours, then one GetNodes for the nodes it lists.
func PolicyReach(ctx context.Context, s kg.Store, q ReachQuery) (*Reach, error) {
	if err := checkLimit("limit", q.Limit, MaxNodes); err != nil {
		return nil, err
	}
	if q.Order.By == "" {
		q.Order = Order{By: ByEnterprises, Desc: true}
	}
	if q.Order.By != ByEnterprises && q.Order.By != ByName {
		return nil, unknownOrder("industries and service agencies", q.Order.By, ByEnterprises, ByName)
	}
	pol, err := one(ctx, s, q.Policy)
	if err != nil {
		return nil, err
	}
	if pol.Kind != kg.Policy {
		return nil, fmt.Errorf("%w: %q is a %s, not a policy", kg.ErrInvalid, q.Policy, pol.Kind)
	}
	res, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: []string{pol.ID}, Types: []kg.RelType{kg.SupportedBy}, Direction: kg.In, BareNodes: true})
	if err != nil {
		return nil, err
	}
	out := &Reach{Policy: pol}
	byID := map[string]*Beneficiary{}
	var ids []string
	for _, nb := range res[pol.ID] {
		if y, _ := nb.Edge.Props.Int("year"); q.Year != 0 && int(y) != q.Year {
			continue
		}
		if q.ApprovedOnly && nb.Edge.Props.Str("status") != "APPROVED" {
			continue
		}
		b := byID[nb.Node.ID]
		if b == nil {
			b = &Beneficiary{Node: nb.Node}
			byID[nb.Node.ID] = b
			ids = append(ids, nb.Node.ID)
		}
		b.Applications = append(b.Applications, nb.Edge)
	}
	slices.Sort(ids)
	out.EnterpriseCount = len(ids)
	for _, id := range ids[:min(len(ids), q.Limit)] {
		out.Enterprises = append(out.Enterprises, *byID[id])
	}
	if len(ids) > q.Limit {
		out.Truncated, out.By = true, BoundNodes
	}
	if len(ids) == 0 {
		return out, nil
	}
	count := func(res map[string][]kg.Neighbor, keep func(*kg.Edge) bool) ([]Count, error) {
		n := map[string]int{}
		nodes := map[string]*kg.Node{}
		for _, id := range ids {
			seen := map[string]bool{}
			for _, nb := range res[id] {
				if !keep(nb.Edge) || seen[nb.Node.ID] {
					continue
				}
				seen[nb.Node.ID] = true
				n[nb.Node.ID]++
				nodes[nb.Node.ID] = nb.Node
			}
		}
		var cs []Count
		for id, c := range n {
			cs = append(cs, Count{Node: nodes[id], Enterprises: c})
		}
		by := func(a, b Count) int { return cmp.Compare(a.Enterprises, b.Enterprises) }
		if q.Order.By == ByName {
			// Bare nodes carry no name: read the nodes counted whole.
			if err := whole(ctx, s, cs); err != nil {
				return nil, err
			}
			by = func(a, b Count) int { return strings.Compare(a.Node.Name(), b.Node.Name()) }
		}
		slices.SortFunc(cs, func(a, b Count) int {
			return cmp.Or(direct(by(a, b), q.Order.Desc), strings.Compare(a.Node.ID, b.Node.ID))
		})
		if len(cs) > q.Limit {
			cs = cs[:q.Limit]
			out.Truncated, out.By = true, BoundNodes
		}
		return cs, nil
	}
	inds, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: ids, Types: []kg.RelType{kg.InIndustry}, Direction: kg.Out, BareNodes: true})
	if err != nil {
		return nil, err
	}
	if out.Industries, err = count(inds, func(*kg.Edge) bool { return true }); err != nil {
		return nil, err
	}
	serv, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: ids, Types: []kg.RelType{kg.Serves}, Direction: kg.In, BareNodes: true})
	if err != nil {
		return nil, err
	}
	out.Agencies, err = count(serv, func(e *kg.Edge) bool {
		y, ok := e.Props.Int("year")
		return q.Year == 0 || !ok || int(y) == q.Year
	})
	if err != nil {
		return nil, err
	}
	return out, wholeReach(ctx, s, out)
}

// whole replaces the bare nodes of cs with whole ones, read in one call.
func whole(ctx context.Context, s kg.Store, cs []Count) error {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.Node.ID
	}
	ns, err := s.GetNodes(ctx, ids)
	if err != nil {
		return err
	}
	for i, n := range ns {
		if n == nil {
			return fmt.Errorf("%w: node %q was deleted while the policy's reach was read; ask again", kg.ErrConflict, ids[i])
		}
		cs[i].Node = n
	}
	return nil
}

// wholeReach replaces the bare nodes that r lists with whole ones, read
// in one call.
func wholeReach(ctx context.Context, s kg.Store, r *Reach) error {
	var at []**kg.Node
	for i := range r.Enterprises {
		at = append(at, &r.Enterprises[i].Node)
	}
	for _, cs := range [][]Count{r.Industries, r.Agencies} {
		for i := range cs {
			at = append(at, &cs[i].Node)
		}
	}
	ids := make([]string, len(at))
	for i, n := range at {
		ids[i] = (*n).ID
	}
	ns, err := s.GetNodes(ctx, ids)
	if err != nil {
		return err
	}
	for i, n := range ns {
		if n == nil {
			return fmt.Errorf("%w: node %q was deleted while the policy's reach was read; ask again", kg.ErrConflict, ids[i])
		}
		*at[i] = n
	}
	return nil
}
