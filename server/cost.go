package server

import (
	"context"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/innograph/innograph/analytics"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/generated"
	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/kg"
)

// Costs of the analytics fields in complexity points, calibrated by
// measurement (BenchmarkCost; docs/security.md): a point is one object of
// an answer, which costs 3–16 µs through the whole handler on the
// reference machine, whether its page is full or not. Reading a
// projection costs 2–9 µs per node or relationship (embedded – Neo4j, at
// 100,000 nodes), so projectionPerPoint elements make a point; an
// algorithm's elementary step (a relationship followed, a node visited by
// one breadth-first search) costs 12–35 ns, so workPerPoint steps make
// one.
const (
	// projectionPerPoint converts the nodes and relationships a
	// projection reads to complexity points.
	projectionPerPoint = 2
	// workPerPoint converts algorithm steps to complexity points.
	workPerPoint = 500
	// pageRankSteps is about how many passes over the projection PageRank
	// makes before it converges.
	pageRankSteps = 50
	// louvainSteps is about how many passes over the projection Louvain and
	// label propagation make, their levels and aggregation included: at
	// 100,000 nodes they take 1.1 s more than reading the projection, about
	// 100 passes of 25 ns a step.
	louvainSteps = 100
	// fixedAnalyticsCost is what a field costs beyond its answer when its
	// work does not depend on its arguments (planProgress's projections,
	// industryChainGaps's segments, policyReach's enterprises).
	fixedAnalyticsCost = 1000
	// statsMaxAge is how long the graph's counts, which estimate the size
	// of a projection, are reused.
	statsMaxAge = 30 * time.Second
)

// graphSize keeps the graph's counts (kg.Stats) to estimate the size of
// the projection an algorithm will read. It is refreshed by the
// graphSize extension, before the complexity is computed, when an
// operation has an analytics field and the counts are older than
// statsMaxAge.
type graphSize struct {
	store kg.Store

	mu    sync.Mutex
	stats *kg.Stats
	at    time.Time
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = (*graphSize)(nil)

func (*graphSize) ExtensionName() string                   { return "GraphSize" }
func (*graphSize) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext refreshes the counts if the operation needs them.
// A failure leaves the last counts (or none) in place: the analytics field
// itself then reports the store's error.
func (g *graphSize) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil || !hasAnalytics(oc.Operation.SelectionSet, map[string]bool{}) {
		return nil
	}
	g.mu.Lock()
	fresh := g.stats != nil && time.Since(g.at) < statsMaxAge
	g.mu.Unlock()
	if fresh {
		return nil
	}
	st, err := g.store.Stats(ctx)
	if err != nil {
		return nil
	}
	g.mu.Lock()
	g.stats, g.at = st, time.Now()
	g.mu.Unlock()
	return nil
}

// hasAnalytics tells whether a root selection set has an analytics field.
func hasAnalytics(ss ast.SelectionSet, seen map[string]bool) bool {
	for _, s := range ss {
		switch s := s.(type) {
		case *ast.Field:
			if analyticsFields[s.Name] {
				return true
			}
		case *ast.InlineFragment:
			if hasAnalytics(s.SelectionSet, seen) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && !seen[s.Name] {
				seen[s.Name] = true
				if hasAnalytics(s.Definition.SelectionSet, seen) {
					return true
				}
			}
		}
	}
	return false
}

// projection estimates the nodes and relationships of a projection of
// some types among some kinds (empty: all) from the last counts, at most
// analytics.ProjectionLimit relationships.
func (g *graphSize) projection(kinds []kg.Kind, types []kg.RelType) (nodes, rels int) {
	g.mu.Lock()
	st := g.stats
	g.mu.Unlock()
	if st == nil {
		return 0, 0
	}
	if len(types) == 0 {
		rels = st.Edges
	} else {
		for _, t := range types {
			rels += st.EdgesByType[t]
		}
	}
	if len(kinds) == 0 {
		nodes = st.Nodes
	} else {
		for _, k := range kinds {
			nodes += st.NodesByKind[k]
		}
	}
	return min(nodes, 2*analytics.ProjectionLimit), min(rels, analytics.ProjectionLimit)
}

// setAnalyticsComplexity gives each analytics field of Query a cost from
// its arguments: the objects it can return (`limit`, `top`, `k`, `first`
// × `membersFirst`, each times the cost of its selections) and the work
// it does (`depth`, `maxHops`, and for the graph algorithms the size of
// the projection they read, estimated by size).
func setAnalyticsComplexity(c *generated.ComplexityRoot, size *graphSize) {
	q := &c.Query
	q.Neighborhood = func(child int, _ string, depth int, _ []kg.RelType, _ []kg.Kind, _ *int, limit int) int {
		l, d := within(limit, analytics.MaxNodes), within(depth, analytics.MaxDepth)
		return cost(mul(l, child+d))
	}
	q.Paths = func(child int, _, _ string, maxHops int, _ []kg.RelType, _ []kg.Kind, _ *int, k int) int {
		h := within(maxHops, kg.MaxPathHops)
		// Candidates ranked: at most kg.MaxPathCandidates, fewer for short paths.
		return cost(mul(within(k, kg.MaxPaths)*h, child), min(kg.MaxPathCandidates, 100*h*h))
	}
	q.SupplyChain = func(child int, _ string, _ model.SupplyDirection, depth int, asOf *int, allYears bool, _ *string, limit int) int {
		latest := 0 // the latest year is read from a projection of SUPPLIES
		if asOf == nil && !allYears {
			latest = read(size.projection([]kg.Kind{kg.Enterprise}, []kg.RelType{kg.Supplies}))
		}
		return cost(mul(within(limit, analytics.MaxNodes), child+within(depth, analytics.MaxSupplyDepth)), latest)
	}
	q.CollaborationNetwork = func(child int, kinds []kg.Kind, _, _ *int, limit int) int {
		if len(kinds) == 0 { // as analytics.CollaborationNetwork reads none
			kinds = []kg.Kind{kg.Enterprise, kg.University}
		}
		return cost(mul(within(limit, analytics.MaxNodes), child), read(size.projection(kinds, []kg.RelType{kg.CollaboratesWith, kg.TransfersTechTo})))
	}
	q.Centrality = func(child int, metric model.CentralityMetric, kinds []kg.Kind, among *model.NodeGroup, types []kg.RelType, _ *int, top int) int {
		n, m := size.projection(groupKinds(kinds, among), types)
		work := m
		switch metric {
		case model.CentralityMetricPagerank:
			work = pageRankSteps * (n + m)
		case model.CentralityMetricBetweenness, model.CentralityMetricCloseness:
			sources := n
			if n > analytics.MaxExactNodes {
				sources = analytics.Samples
			}
			work = mul(sources, n+m)
			if metric == model.CentralityMetricBetweenness {
				work = mul(2, work) // a search and an accumulation per source
			}
		}
		return cost(mul(within(top, analytics.MaxNodes), child), read(n, m), work/workPerPoint)
	}
	q.Communities = func(child int, alg model.CommunityAlgorithm, kinds []kg.Kind, among *model.NodeGroup, types []kg.RelType, _ *int, first, membersFirst, brokers int, _ *model.BrokerOrder) int {
		n, m := size.projection(groupKinds(kinds, among), types)
		work := n + m
		if alg != model.CommunityAlgorithmConnectedComponents {
			work = louvainSteps * (n + m)
		}
		members := within(membersFirst, graph.MaxFirst)
		// The selections hold the communities' members and the brokers:
		// each node of the projection is a member of one community and
		// at most one broker, so neither list holds more than its n
		// nodes, whatever first × membersFirst allow (when the counts are
		// known).
		listed, brk := within(first, graph.MaxFirst)*members, min(max(brokers, 0), analytics.MaxNodes)
		if n > 0 {
			listed, brk = min(listed, max(n, within(first, graph.MaxFirst))), min(brk, n)
		}
		return cost(mul(listed+brk, child), read(n, m), work/workPerPoint)
	}
	q.PlanProgress = func(child int, _ string, _ *int, _ []int) int {
		return cost(child, fixedAnalyticsCost)
	}
	q.IndustryChainGaps = func(child int, _ string, _ *string, _ int, candidates int, _ *model.SegmentOrder, _ *model.CandidateOrder) int {
		return cost(mul(within(candidates, analytics.MaxNodes), child), fixedAnalyticsCost)
	}
	q.PolicyReach = func(child int, _ string, _ *int, _ bool, limit int, _ *model.ReachOrder) int {
		return cost(mul(within(limit, analytics.MaxNodes), child), fixedAnalyticsCost)
	}
	q.NetworkDiff = func(child int, _, _ int, types []kg.RelType, limit int) int {
		// Two projections, one per year.
		return cost(mul(2*within(limit, maxDiffLimit), child), 2*read(size.projection(nil, types)))
	}
}

// read is the cost of reading a projection of n nodes and m relationships.
func read(n, m int) int { return (n + m) / projectionPerPoint }

// groupKinds is the kinds a projection reads: kinds, or those of the
// group among (when both are given, the field refuses them).
func groupKinds(kinds []kg.Kind, among *model.NodeGroup) []kg.Kind {
	if among == nil {
		return kinds
	}
	if ks, err := analytics.GroupKinds(nil, analytics.Group(*among)); err == nil {
		return ks
	}
	return kinds
}

// maxDiffLimit is the largest `limit` of networkDiff.
const maxDiffLimit = 20_000

// within is an argument's value brought within 1..hi: a value out of
// range is refused by the field itself, after the complexity check.
func within(v, hi int) int {
	return min(max(v, 1), hi)
}

// mul is a*b for non-negative a and b, saturating at saturation.
func mul(a, b int) int {
	if a <= 0 || b <= 0 {
		return 0
	}
	if a > saturation/b {
		return saturation
	}
	return a * b
}

// cost is 1 plus the parts, saturating.
func cost(parts ...int) int {
	c := 1
	for _, p := range parts {
		c = sat(c, max(p, 0))
	}
	return c
}
