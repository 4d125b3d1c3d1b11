package graph

import (
	"cmp"
	"context"
	"fmt"

	"github.com/innograph/innograph/analytics"
	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/loaders"
)

// Resolver logic of the relationship queries and analytics: conversions
// between package analytics and the GraphQL views (the arguments'
// defaults are the schema's, which gqlgen fills in). The computations are in package analytics.

// bound is the GraphQL view of a bound; nil when the result is whole.
func bound(truncated bool, b analytics.Bound) *model.TruncationBound {
	if !truncated {
		return nil
	}
	v := model.TruncationBound(b)
	return &v
}

func subEdges(es []*kg.Edge) []*model.SubgraphEdge {
	out := make([]*model.SubgraphEdge, len(es))
	for i, e := range es {
		out[i] = &model.SubgraphEdge{E: e}
	}
	return out
}

func subgraph(sg *analytics.Subgraph) *model.Subgraph {
	out := &model.Subgraph{Nodes: make([]*model.SubgraphNode, len(sg.Nodes)), Edges: subEdges(sg.Edges), Truncated: sg.Truncated, TruncatedBy: bound(sg.Truncated, sg.By)}
	for i, n := range sg.Nodes {
		v := model.ProjectedNode(n.Node)
		if n.Full {
			v = model.WholeNode(n.Node)
		}
		if n.Depth != analytics.NoDepth {
			v.AtDepth(n.Depth)
		}
		out.Nodes[i] = v
	}
	return out
}

// subgraphNode is the whole node behind a subgraph node, through the
// request's loaders when the view holds only some properties.
func subgraphNode(ctx context.Context, obj *model.SubgraphNode) (model.Node, error) {
	if obj.Full {
		return model.Wrap(obj.N), nil
	}
	return loadNode(ctx, obj.N.ID)
}

// loadNode loads a node through the request's loaders.
func loadNode(ctx context.Context, id string) (model.Node, error) {
	n, err := loaders.For(ctx).Node(ctx, id)
	if err != nil {
		return nil, err
	}
	if n == nil {
		return nil, fmt.Errorf("%w: node %q vanished", kg.ErrNotFound, id)
	}
	return model.Wrap(n), nil
}

func (r *Resolver) neighborhood(ctx context.Context, id string, depth int, types []kg.RelType, kinds []kg.Kind, asOf *int, limit int) (*model.Subgraph, error) {
	sg, err := analytics.Neighborhood(ctx, r.Store, analytics.NeighborhoodQuery{
		ID: id, Depth: depth, Types: types, Kinds: kinds, AsOf: deref(asOf, 0), Limit: limit,
	})
	if err != nil {
		return nil, err
	}
	return subgraph(sg), nil
}

func (r *Resolver) paths(ctx context.Context, from, to string, maxHops int, types []kg.RelType, through []kg.Kind, asOf *int, k int) (*model.PathResult, error) {
	res, err := analytics.Paths(ctx, r.Store, kg.PathQuery{
		From: from, To: to, MaxHops: maxHops, Types: types, Through: through, AsOf: deref(asOf, 0), K: k,
	})
	if err != nil {
		return nil, err
	}
	out := &model.PathResult{Paths: []*model.Path{}, Truncated: res.Truncated, TruncatedBy: bound(res.Truncated, analytics.BoundPaths)}
	for _, p := range res.Paths {
		mp := &model.Path{Length: p.Len(), Explanation: analytics.Explain(p)}
		for _, n := range p.Nodes {
			mp.Nodes = append(mp.Nodes, model.WholeNode(n))
		}
		for i, e := range p.Edges {
			dir := model.HopDirectionForward
			if e.From != p.Nodes[i].ID {
				dir = model.HopDirectionBackward
			}
			mp.Hops = append(mp.Hops, &model.PathHop{From: mp.Nodes[i], To: mp.Nodes[i+1], Type: e.Type, Direction: dir, Relation: &model.Relation{E: e}})
		}
		out.Paths = append(out.Paths, mp)
	}
	return out, nil
}

// shares returns inside and outside as shares of their sum, 0 and 0 for
// none.
func shares(inside, outside int) (float64, float64) {
	total := inside + outside
	if total == 0 {
		return 0, 0
	}
	return float64(inside) / float64(total), float64(outside) / float64(total)
}

// order is the analytics view of an order input: its field and whether it
// descends.
func order[F ~string](field F, dir model.OrderDirection) analytics.Order {
	return analytics.Order{By: string(field), Desc: dir == model.OrderDirectionDesc}
}

func (r *Resolver) supplyChain(ctx context.Context, id string, dir model.SupplyDirection, depth int, asOf *int, allYears bool, district *string, limit int) (*model.SupplyChain, error) {
	if asOf != nil && *asOf == 0 {
		return nil, fmt.Errorf("%w: asOf must be a year, got 0 (allYears: true asks for every year)", kg.ErrInvalid)
	}
	sc, err := analytics.SupplyChainOf(ctx, r.Store, analytics.SupplyQuery{
		ID: id, Direction: analytics.SupplyDirection(dir), Depth: depth,
		AsOf: deref(asOf, 0), AllYears: allYears, District: deref(district, r.District), Limit: limit,
	})
	if err != nil {
		return nil, err
	}
	out := &model.SupplyChain{Enterprise: model.WholeNode(sc.Enterprise).AtDepth(0), District: sc.District, Upstream: []*model.SupplyTier{}, Downstream: []*model.SupplyTier{},
		EnterpriseCount: sc.Enterprises, Inside: sc.Inside, Outside: sc.Outside, Truncated: sc.Truncated, TruncatedBy: bound(sc.Truncated, sc.By)}
	out.InsideShare, out.OutsideShare = shares(sc.Inside, sc.Outside)
	if sc.AsOf != 0 {
		out.AsOf = &sc.AsOf
	}
	for _, t := range append(append([]analytics.Tier(nil), sc.Upstream...), sc.Downstream...) {
		mt := &model.SupplyTier{Tier: t.Level, Direction: model.SupplyDirection(t.Direction), Edges: subEdges(t.Edges), Inside: t.Inside, Outside: t.Outside}
		mt.InsideShare, mt.OutsideShare = shares(t.Inside, t.Outside)
		for _, n := range t.Enterprises {
			mt.Enterprises = append(mt.Enterprises, model.WholeNode(n).AtDepth(t.Level))
		}
		if t.Direction == analytics.Upstream {
			out.Upstream = append(out.Upstream, mt)
		} else {
			out.Downstream = append(out.Downstream, mt)
		}
	}
	return out, nil
}

func (r *Resolver) collaborationNetwork(ctx context.Context, kinds []kg.Kind, from, until *int, limit int) (*model.Subgraph, error) {
	sg, err := analytics.CollaborationNetwork(ctx, r.Store, analytics.CollaborationQuery{
		Kinds: kinds, From: deref(from, 0), Until: deref(until, 0), Limit: limit,
	})
	if err != nil {
		return nil, err
	}
	return subgraph(sg), nil
}

func (r *Resolver) centrality(ctx context.Context, metric model.CentralityMetric, kinds []kg.Kind, among *model.NodeGroup, types []kg.RelType, asOf *int, top int) (*model.CentralityResult, error) {
	kinds, err := analytics.GroupKinds(kinds, analytics.Group(deref(among, "")))
	if err != nil {
		return nil, err
	}
	res, err := analytics.Centrality(ctx, r.Store, analytics.Metric(metric), analytics.Projection{Kinds: kinds, Types: types, AsOf: deref(asOf, 0)}, top)
	if err != nil {
		return nil, err
	}
	out := &model.CentralityResult{Metric: metric, NodeCount: res.Nodes, EdgeCount: res.Edges, Approximate: res.Approximate,
		Ranking: []*model.CentralityScore{}, Truncated: res.Truncated, TruncatedBy: bound(res.Truncated, res.By)}
	if res.Metric == analytics.Betweenness || res.Metric == analytics.Closeness {
		out.Sources = &res.Sources
	}
	for i, s := range res.Ranking {
		out.Ranking = append(out.Ranking, &model.CentralityScore{Rank: i + 1, Node: model.ProjectedNode(s.Node), Score: s.Score})
	}
	return out, nil
}

func (r *Resolver) communities(ctx context.Context, alg model.CommunityAlgorithm, kinds []kg.Kind, among *model.NodeGroup, types []kg.RelType, asOf *int, first, membersFirst, brokers int, brokersOrderBy *model.BrokerOrder) (*model.CommunityResult, error) {
	if err := cmp.Or(checkFirst("first", first, 1), checkFirst("membersFirst", membersFirst, 0)); err != nil {
		return nil, err
	}
	if brokers < 0 || brokers > analytics.MaxNodes {
		return nil, fmt.Errorf("%w: brokers must be between 0 and %d, got %d", kg.ErrInvalid, analytics.MaxNodes, brokers)
	}
	kinds, err := analytics.GroupKinds(kinds, analytics.Group(deref(among, "")))
	if err != nil {
		return nil, err
	}
	var bo analytics.Order
	if brokersOrderBy != nil {
		bo = order(brokersOrderBy.Field, brokersOrderBy.Direction)
	}
	res, err := analytics.Communities(ctx, r.Store, analytics.Algorithm(alg), analytics.Projection{Kinds: kinds, Types: types, AsOf: deref(asOf, 0)})
	if err != nil {
		return nil, err
	}
	if err := analytics.SortBrokers(res.Brokers, bo); err != nil {
		return nil, err
	}
	out := &model.CommunityResult{Algorithm: alg, NodeCount: res.Nodes, EdgeCount: res.Edges, Count: len(res.Communities), Modularity: res.Modularity,
		Communities: []*model.Community{}, Brokers: []*model.Broker{}, Truncated: res.Truncated, TruncatedBy: bound(res.Truncated, res.By)}
	for _, b := range res.Brokers[:min(brokers, len(res.Brokers))] {
		out.Brokers = append(out.Brokers, &model.Broker{Node: model.ProjectedNode(b.Node), Community: b.Community,
			Touches: b.Touches, TouchCount: len(b.Touches), Bridges: b.Bridges, Degree: b.Degree})
	}
	for i, c := range res.Communities[:min(first, len(res.Communities))] {
		mc := &model.Community{ID: i + 1, Size: len(c.Members), Members: []*model.SubgraphNode{}}
		for _, n := range c.Members[:min(membersFirst, len(c.Members))] {
			mc.Members = append(mc.Members, model.ProjectedNode(n))
		}
		out.Communities = append(out.Communities, mc)
	}
	return out, nil
}

func (r *Resolver) planProgress(ctx context.Context, plan string, yr *int, numbers []int) (*model.PlanProgress, error) {
	p, err := loaders.For(ctx).PlanScorer().PlanProgress(ctx, plan, deref(yr, 0), numbers...)
	if err != nil {
		return nil, err
	}
	out := &model.PlanProgress{Plan: model.Wrap(p.Plan).(*model.Plan), Year: p.Year, Indicators: []*model.IndicatorProgress{}}
	if p.District != "" {
		out.District = &p.District
	}
	for _, ip := range p.Indicators {
		ind := model.Wrap(ip.Indicator).(*model.Indicator)
		mp := &model.IndicatorProgress{
			Indicator: ind, Number: ind.Number(), Name: ind.Name(), Formula: ind.Formula(), Unit: ind.Unit(),
			Target: ip.Target, Actual: ip.Actual, Baseline: ip.Baseline, Ratio: ip.Ratio, BaselineRatio: ip.BaselineRatio, Text: ind.Text(), Expected: ip.Expected,
			Status: model.IndicatorStatus(ip.Status),
			Key:    model.ContributorKey{Formula: ip.Formula, District: ip.District, Year: ip.Year},
		}
		if ip.Baseline != nil {
			mp.BaselineYear = &ip.BaselineYear
		}
		out.Indicators = append(out.Indicators, mp)
	}
	return out, nil
}

// contributors pages the entities behind an indicator's value; the nodes
// of relationship indicators, which come from a projection, are read whole
// through the request's node loader, so the contributors of every
// indicator of one planProgress share one store call.
func (r *Resolver) contributors(ctx context.Context, obj *model.IndicatorProgress, first int, after *string) (*model.ContributorConnection, error) {
	f, a, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	page, err := loaders.For(ctx).PlanScorer().Contributors(ctx, obj.Key.Formula, obj.Key.District, obj.Key.Year, f, a)
	if err != nil {
		return nil, err
	}
	out := &model.ContributorConnection{TotalCount: page.Total, PageInfo: model.NewPageInfo(page.Offset, page.Cursors, page.HasNextPage), Edges: []*model.ContributorEdge{}}
	var partial []string
	for _, c := range page.Items {
		if c.Relation != nil {
			partial = append(partial, c.Node.ID, c.Counterpart.ID)
		}
	}
	whole := map[string]*kg.Node{}
	if len(partial) > 0 {
		ns, err := loaders.For(ctx).Nodes(ctx, partial)
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			if n != nil {
				whole[n.ID] = n
			}
		}
	}
	for i, c := range page.Items {
		e := &model.ContributorEdge{Cursor: page.Cursors[i], Contribution: c.Contribution, Node: model.Wrap(c.Node)}
		if c.Relation != nil {
			n, other := whole[c.Node.ID], whole[c.Counterpart.ID]
			if n == nil || other == nil {
				return nil, fmt.Errorf("%w: a contributor of %s vanished", kg.ErrNotFound, obj.Key.Formula)
			}
			e.Node, e.Counterpart, e.Relation = model.Wrap(n), model.Wrap(other), &model.Relation{E: c.Relation}
		}
		out.Edges = append(out.Edges, e)
	}
	return out, nil
}

func industries(ns []*kg.Node) []*model.Industry {
	out := make([]*model.Industry, 0, len(ns))
	for _, n := range ns {
		if v, ok := model.Wrap(n).(*model.Industry); ok {
			out = append(out, v)
		}
	}
	return out
}

func (r *Resolver) industryChainGaps(ctx context.Context, chain string, district *string, fewerThan, candidates int, orderBy *model.SegmentOrder, candidatesOrderBy *model.CandidateOrder) (*model.IndustryChainGaps, error) {
	q := analytics.GapQuery{Chain: chain, District: deref(district, r.District), FewerThan: fewerThan, Candidates: candidates}
	if orderBy != nil {
		q.Order = order(orderBy.Field, orderBy.Direction)
	}
	if candidatesOrderBy != nil {
		q.CandidateOrder = order(candidatesOrderBy.Field, candidatesOrderBy.Direction)
	}
	g, err := analytics.IndustryChainGaps(ctx, r.Store, q)
	if err != nil {
		return nil, err
	}
	out := &model.IndustryChainGaps{Chain: g.Chain, District: g.District, Segments: []*model.ChainSegment{}, Gaps: []*model.ChainSegment{}}
	for _, s := range g.Segments {
		ind, ok := model.Wrap(s.Node).(*model.Industry)
		if !ok {
			continue
		}
		ms := &model.ChainSegment{Segment: ind, Position: ind.Position(), LocalEnterprises: s.Local, OutsideEnterprises: s.Outside, Gap: s.Gap,
			Upstream: industries(s.Upstream), Downstream: industries(s.Downstream), Candidates: []*model.GapCandidate{}}
		for _, c := range s.Candidates {
			mc := &model.GapCandidate{Node: model.WholeNode(c.Node), Links: c.Links}
			if c.Hops > 0 {
				mc.Hops = &c.Hops
			}
			ms.Candidates = append(ms.Candidates, mc)
		}
		out.Segments = append(out.Segments, ms)
		if s.Gap {
			out.Gaps = append(out.Gaps, ms)
		}
	}
	return out, nil
}

func (r *Resolver) policyReach(ctx context.Context, policy string, yr *int, approvedOnly bool, limit int, orderBy *model.ReachOrder) (*model.PolicyReach, error) {
	q := analytics.ReachQuery{Policy: policy, Year: deref(yr, 0), ApprovedOnly: approvedOnly, Limit: limit}
	if orderBy != nil {
		q.Order = order(orderBy.Field, orderBy.Direction)
	}
	res, err := analytics.PolicyReach(ctx, r.Store, q)
	if err != nil {
		return nil, err
	}
	counts := func(cs []analytics.Count) []*model.ReachCount {
		out := make([]*model.ReachCount, len(cs))
		for i, c := range cs {
			out[i] = &model.ReachCount{Node: model.WholeNode(c.Node), Enterprises: c.Enterprises}
		}
		return out
	}
	out := &model.PolicyReach{Policy: model.Wrap(res.Policy).(*model.Policy), EnterpriseCount: res.EnterpriseCount, Enterprises: []*model.PolicyBeneficiary{},
		Industries: counts(res.Industries), ServiceAgencies: counts(res.Agencies), Truncated: res.Truncated, TruncatedBy: bound(res.Truncated, res.By)}
	for _, b := range res.Enterprises {
		out.Enterprises = append(out.Enterprises, &model.PolicyBeneficiary{Node: model.WholeNode(b.Node), Applications: subEdges(b.Applications)})
	}
	return out, nil
}

func (r *Resolver) networkDiff(ctx context.Context, fromYear, toYear int, types []kg.RelType, limit int) (*model.NetworkDiff, error) {
	d, err := analytics.NetworkDiff(ctx, r.Store, analytics.DiffQuery{FromYear: fromYear, ToYear: toYear, Types: types, Limit: limit})
	if err != nil {
		return nil, err
	}
	return &model.NetworkDiff{FromYear: fromYear, ToYear: toYear, Appeared: subgraph(d.Appeared), AppearedCount: d.AppearedCount,
		Disappeared: subgraph(d.Disappeared), DisappearedCount: d.DisappearedCount}, nil
}
