package analytics

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/innograph/innograph/kg"
)

// Bound names the bound that cut a result.
type Bound string

// The bounds.
const (
	// BoundNodes: the node limit of the request.
	BoundNodes Bound = "NODE_LIMIT"
	// BoundEdges: MaxEdges, or the request's limit on relationships.
	BoundEdges Bound = "EDGE_LIMIT"
	// BoundProjection: the projection held more than ProjectionLimit
	// relationships.
	BoundProjection Bound = "PROJECTION_LIMIT"
	// BoundPaths: more than kg.MaxPathCandidates candidate paths.
	BoundPaths Bound = "PATH_CANDIDATES"
)

// Limits of traversals.
const (
	// MaxDepth bounds a neighbourhood's depth.
	MaxDepth = 4
	// MaxNodes bounds the nodes of a subgraph (and any limit or top).
	MaxNodes = 5000
	// MaxEdges bounds the relationships of a subgraph.
	MaxEdges = 20000
	// MaxSupplyDepth bounds the tiers of a supply chain.
	MaxSupplyDepth = 6
)

// SubNode is a node of a subgraph. Full tells whether Node carries every
// property (else only its name and district); Depth is its distance from
// the start of a traversal, NoDepth in a subgraph that has no start.
type SubNode struct {
	Node  *kg.Node
	Depth int
	Full  bool
}

// NoDepth is the Depth of a node of a subgraph that is not a traversal
// from a start (a collaboration network, a network difference).
const NoDepth = -1

// Subgraph is a bounded part of the graph, for drawing.
type Subgraph struct {
	Nodes []SubNode
	// Edges in id order.
	Edges     []*kg.Edge
	Truncated bool
	By        Bound
}

// cut marks the result truncated by b, unless it already is.
func (g *Subgraph) cut(b Bound) {
	if !g.Truncated {
		g.Truncated, g.By = true, b
	}
}

// sortedEdges returns the edges of m in id order, at most MaxEdges of them,
// and whether there were more.
func sortedEdges(m map[string]*kg.Edge) ([]*kg.Edge, bool) {
	es := make([]*kg.Edge, 0, len(m))
	for _, e := range m {
		es = append(es, e)
	}
	slices.SortFunc(es, func(a, b *kg.Edge) int { return strings.Compare(a.ID, b.ID) })
	if len(es) > MaxEdges {
		return es[:MaxEdges], true
	}
	return es, false
}

// checkLimit validates a limit argument.
func checkLimit(name string, v, hi int) error {
	if v < 1 || v > hi {
		return fmt.Errorf("%w: %s must be between 1 and %d, got %d", kg.ErrInvalid, name, hi, v)
	}
	return nil
}

// one returns the node with id, or an error wrapping kg.ErrNotFound.
func one(ctx context.Context, s kg.Store, id string) (*kg.Node, error) {
	ns, err := s.GetNodes(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if ns[0] == nil {
		return nil, fmt.Errorf("%w: no node with id %q", kg.ErrNotFound, id)
	}
	return ns[0], nil
}

// NeighborhoodQuery selects the k-hop neighbourhood of a node.
type NeighborhoodQuery struct {
	ID    string
	Depth int          // 1..MaxDepth
	Types []kg.RelType // empty: all
	// Kinds, when not empty, keeps only nodes of these kinds (besides the
	// start) and traverses only through them.
	Kinds []kg.Kind
	AsOf  int
	Limit int // most nodes, 1..MaxNodes
}

// Neighborhood returns the nodes within q.Depth hops of q.ID and every
// relationship among them. Each level reads the frontier's relationships
// with their neighbours bare (id and kind: a hub's thousands of neighbours
// cost little), keeps what the limit leaves room for and reads only those
// nodes whole; the relationships among the nodes kept are read at the end. When a level
// holds more new nodes than the limit leaves room for, those linked to
// most nodes already included come first (then by id), and the search
// stops there (NODE_LIMIT). Nodes are ordered by depth, then id.
func Neighborhood(ctx context.Context, s kg.Store, q NeighborhoodQuery) (*Subgraph, error) {
	if err := checkLimit("depth", q.Depth, MaxDepth); err != nil {
		return nil, err
	}
	if err := checkLimit("limit", q.Limit, MaxNodes); err != nil {
		return nil, err
	}
	start, err := one(ctx, s, q.ID)
	if err != nil {
		return nil, err
	}
	m := newMeter(ctx)
	sg := &Subgraph{}
	kindOK := func(n *kg.Node) bool { return len(q.Kinds) == 0 || slices.Contains(q.Kinds, n.Kind) }
	depth := map[string]int{start.ID: 0}
	included := []string{start.ID}
	sg.Nodes = append(sg.Nodes, SubNode{Node: start, Depth: 0, Full: true})
	frontier := []string{start.ID}
	for d := 1; d <= q.Depth && len(frontier) > 0 && !sg.Truncated; d++ {
		res, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: frontier, Types: q.Types, AsOf: q.AsOf, BareNodes: true})
		if err != nil {
			return nil, err
		}
		links := map[string]int{}
		for _, id := range frontier {
			if err := m.add(len(res[id]) + 1); err != nil {
				return nil, err
			}
			seen := map[string]bool{}
			for _, nb := range res[id] {
				o := nb.Node
				if _, in := depth[o.ID]; in || !kindOK(o) || seen[o.ID] {
					continue
				}
				seen[o.ID] = true
				links[o.ID]++
			}
		}
		ids := make([]string, 0, len(links))
		for id := range links {
			ids = append(ids, id)
		}
		slices.SortFunc(ids, func(a, b string) int { return cmp.Or(cmp.Compare(links[b], links[a]), strings.Compare(a, b)) })
		if room := q.Limit - len(depth); len(ids) > room {
			ids = ids[:room]
			sg.cut(BoundNodes)
		}
		slices.Sort(ids)
		nodes, err := s.GetNodes(ctx, ids)
		if err != nil {
			return nil, err
		}
		frontier = frontier[:0:0]
		for _, n := range nodes {
			if n == nil {
				continue // deleted since its relationship was read
			}
			depth[n.ID] = d
			included = append(included, n.ID)
			frontier = append(frontier, n.ID)
			sg.Nodes = append(sg.Nodes, SubNode{Node: n, Depth: d, Full: true})
		}
	}
	// The relationships inside the subgraph, each once (from its start).
	res, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: included, Types: q.Types, Direction: kg.Out, AsOf: q.AsOf, Among: included, BareNodes: true})
	if err != nil {
		return nil, err
	}
	edges := map[string]*kg.Edge{}
	for _, ns := range res {
		if err := m.add(len(ns) + 1); err != nil {
			return nil, err
		}
		for _, nb := range ns {
			edges[nb.Edge.ID] = nb.Edge
		}
	}
	var over bool
	if sg.Edges, over = sortedEdges(edges); over {
		sg.cut(BoundEdges)
	}
	return sg, nil
}

// SupplyDirection says which way a supply chain is followed.
type SupplyDirection string

// The directions of a supply chain.
const (
	Upstream   SupplyDirection = "UPSTREAM"
	Downstream SupplyDirection = "DOWNSTREAM"
	BothWays   SupplyDirection = "BOTH"
)

// SupplyQuery selects an enterprise's supply chain.
type SupplyQuery struct {
	ID        string
	Direction SupplyDirection
	Depth     int // 1..MaxSupplyDepth
	// AsOf is the year the relationships followed hold in; 0: the latest
	// year of the data (LatestYear of SUPPLIES), unless AllYears.
	AsOf int
	// AllYears follows every relationship, whatever its years (the
	// historical view); not with AsOf.
	AllYears bool
	// District tells enterprises inside from those outside.
	District string
	Limit    int // most enterprises over all tiers, 1..MaxNodes
}

// Tier is one tier of a supply chain: the enterprises first reached at
// that many SUPPLIES hops, the relationships from the tier before that
// reach them, and how many of them are in the district.
type Tier struct {
	Level           int
	Direction       SupplyDirection
	Enterprises     []*kg.Node
	Edges           []*kg.Edge
	Inside, Outside int
}

// SupplyChain is an enterprise's suppliers (upstream) and customers
// (downstream) by tier, with totals over the distinct enterprises of all
// tiers (one both upstream and downstream counts once).
type SupplyChain struct {
	Enterprise *kg.Node
	District   string
	// AsOf is the year whose relationships were followed; 0: every year.
	AsOf                 int
	Upstream, Downstream []Tier
	// Enterprises, Inside and Outside count the distinct enterprises of
	// all tiers, and those inside and outside the district.
	Enterprises, Inside, Outside int
	Truncated                    bool
	By                           Bound
}

// LatestYear returns the latest year named by the since or until of a
// relationship of the types (none: every type), or 0 when none has one:
// the year of the newest data, "now" for a question about the network as
// it stands. It reads one projection of those relationships (the first
// ProjectionLimit by id).
func LatestYear(ctx context.Context, s kg.Store, types ...kg.RelType) (int, error) {
	p, err := s.Project(ctx, kg.ProjectionQuery{Types: types, EdgeProps: true, Limit: ProjectionLimit})
	if err != nil {
		return 0, err
	}
	m := newMeter(ctx)
	latest := 0
	for _, e := range p.Edges {
		if err := m.add(1); err != nil {
			return 0, err
		}
		for _, k := range []string{"since", "until"} {
			if y, ok := e.Props.Int(k); ok {
				latest = max(latest, int(y))
			}
		}
	}
	return latest, nil
}

// SupplyChainOf follows SUPPLIES relationships from an enterprise, tier by
// tier (one Neighbors call each): tier n holds the enterprises first
// reached in n hops, in id order. When the limit is reached, the tier is
// cut (by id) and the search stops. Without AsOf or AllYears it first
// finds the latest year of the data (LatestYear: one projection of the
// SUPPLIES relationships).
func SupplyChainOf(ctx context.Context, s kg.Store, q SupplyQuery) (*SupplyChain, error) {
	if q.AsOf < 0 {
		return nil, fmt.Errorf("%w: asOf must be a year, got %d", kg.ErrInvalid, q.AsOf)
	}
	if q.AllYears && q.AsOf != 0 {
		return nil, fmt.Errorf("%w: give asOf (one year) or allYears (every year), not both", kg.ErrInvalid)
	}
	if err := checkLimit("depth", q.Depth, MaxSupplyDepth); err != nil {
		return nil, err
	}
	if err := checkLimit("limit", q.Limit, MaxNodes); err != nil {
		return nil, err
	}
	var dirs []SupplyDirection
	switch q.Direction {
	case Upstream, Downstream:
		dirs = []SupplyDirection{q.Direction}
	case BothWays, "":
		dirs = []SupplyDirection{Upstream, Downstream}
	default:
		return nil, fmt.Errorf("%w: unknown supply direction %q", kg.ErrInvalid, q.Direction)
	}
	start, err := one(ctx, s, q.ID)
	if err != nil {
		return nil, err
	}
	if start.Kind != kg.Enterprise {
		return nil, fmt.Errorf("%w: %q is a %s, not an enterprise", kg.ErrInvalid, q.ID, start.Kind)
	}
	if !q.AllYears && q.AsOf == 0 {
		if q.AsOf, err = LatestYear(ctx, s, kg.Supplies); err != nil {
			return nil, err
		}
	}
	m := newMeter(ctx)
	out := &SupplyChain{Enterprise: start, District: q.District, AsOf: q.AsOf}
	room := q.Limit
	counted := map[string]bool{}
	for _, dir := range dirs {
		kdir := kg.In
		if dir == Downstream {
			kdir = kg.Out
		}
		seen := map[string]bool{start.ID: true}
		frontier := []string{start.ID}
		var tiers []Tier
		for level := 1; level <= q.Depth && len(frontier) > 0 && !out.Truncated; level++ {
			res, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: frontier, Types: []kg.RelType{kg.Supplies}, Direction: kdir, AsOf: q.AsOf})
			if err != nil {
				return nil, err
			}
			reached := map[string]*kg.Node{}
			for _, id := range frontier {
				if err := m.add(2*len(res[id]) + 1); err != nil {
					return nil, err
				}
				for _, nb := range res[id] {
					if !seen[nb.Node.ID] {
						reached[nb.Node.ID] = nb.Node
					}
				}
			}
			ids := make([]string, 0, len(reached))
			for id := range reached {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			if len(ids) > room {
				ids = ids[:room]
				out.Truncated, out.By = true, BoundNodes
			}
			room -= len(ids)
			if len(ids) == 0 {
				break
			}
			t := Tier{Level: level, Direction: dir}
			in := map[string]bool{}
			for _, id := range ids {
				seen[id], in[id] = true, true
				n := reached[id]
				t.Enterprises = append(t.Enterprises, n)
				inside := n.Props.Str("district") == q.District
				if inside {
					t.Inside++
				} else {
					t.Outside++
				}
				if !counted[id] {
					counted[id] = true
					out.Enterprises++
					if inside {
						out.Inside++
					} else {
						out.Outside++
					}
				}
			}
			for _, id := range frontier {
				for _, nb := range res[id] {
					if in[nb.Node.ID] {
						t.Edges = append(t.Edges, nb.Edge)
					}
				}
			}
			slices.SortFunc(t.Edges, func(a, b *kg.Edge) int { return strings.Compare(a.ID, b.ID) })
			tiers = append(tiers, t)
			frontier = ids
		}
		if dir == Upstream {
			out.Upstream = tiers
		} else {
			out.Downstream = tiers
		}
	}
	return out, nil
}

// CollaborationQuery selects a collaboration network.
type CollaborationQuery struct {
	Kinds []kg.Kind // default: enterprises and universities
	// From and Until bound the period (inclusive); 0 leaves it open.
	From, Until int
	Limit       int // most nodes, 1..MaxNodes
}

// overlaps reports whether e holds in some year of from..until (0: open).
func overlaps(e *kg.Edge, from, until int) bool {
	if s, ok := e.Props.Int("since"); ok && until != 0 && int(s) > until {
		return false
	}
	if u, ok := e.Props.Int("until"); ok && from != 0 && int(u) < from {
		return false
	}
	return true
}

// CollaborationNetwork returns the COLLABORATES_WITH and
// TRANSFERS_TECH_TO relationships among nodes of the kinds that hold in
// some year of the period, from one projection. Relationships are taken in
// id order while their ends fit the node limit (NODE_LIMIT when one does
// not).
func CollaborationNetwork(ctx context.Context, s kg.Store, q CollaborationQuery) (*Subgraph, error) {
	if err := checkLimit("limit", q.Limit, MaxNodes); err != nil {
		return nil, err
	}
	if q.From != 0 && q.Until != 0 && q.From > q.Until {
		return nil, fmt.Errorf("%w: the period starts (%d) after it ends (%d)", kg.ErrInvalid, q.From, q.Until)
	}
	kinds := q.Kinds
	if len(kinds) == 0 {
		kinds = []kg.Kind{kg.Enterprise, kg.University}
	}
	p, err := s.Project(ctx, kg.ProjectionQuery{
		Types: []kg.RelType{kg.CollaboratesWith, kg.TransfersTechTo}, Kinds: kinds,
		NodeProps: []string{"name", "district"}, EdgeProps: true, Limit: ProjectionLimit,
	})
	if err != nil {
		return nil, err
	}
	sg := &Subgraph{}
	if p.Truncated {
		sg.cut(BoundProjection)
	}
	byID := make(map[string]*kg.Node, len(p.Nodes))
	for _, n := range p.Nodes {
		byID[n.ID] = n
	}
	m := newMeter(ctx)
	in := map[string]bool{}
	edges := map[string]*kg.Edge{}
	for _, e := range p.Edges {
		if err := m.add(1); err != nil {
			return nil, err
		}
		if !overlaps(e, q.From, q.Until) {
			continue
		}
		need := 0
		for _, id := range []string{e.From, e.To} {
			if !in[id] {
				need++
			}
		}
		if len(in)+need > q.Limit {
			sg.cut(BoundNodes)
			continue
		}
		in[e.From], in[e.To] = true, true
		edges[e.ID] = e
	}
	for _, id := range slices.Sorted(maps.Keys(in)) {
		sg.Nodes = append(sg.Nodes, SubNode{Node: byID[id], Depth: NoDepth})
	}
	var over bool
	if sg.Edges, over = sortedEdges(edges); over {
		sg.cut(BoundEdges)
	}
	return sg, nil
}

// DiffQuery compares the network of two years.
type DiffQuery struct {
	FromYear, ToYear int
	Types            []kg.RelType // empty: all
	Limit            int          // most relationships listed per side, 1..MaxEdges
}

// Diff is what changed between two years: the relationships that hold in
// ToYear but not FromYear (appeared) and the other way round
// (disappeared), each a subgraph with its ends.
type Diff struct {
	Appeared, Disappeared           *Subgraph
	AppearedCount, DisappearedCount int
}

// NetworkDiff compares two projections, one per year. Each side lists its
// first Limit relationships by id (EDGE_LIMIT beyond), with every
// property.
func NetworkDiff(ctx context.Context, s kg.Store, q DiffQuery) (*Diff, error) {
	if err := checkLimit("limit", q.Limit, MaxEdges); err != nil {
		return nil, err
	}
	if q.FromYear < 1 || q.ToYear < 1 {
		return nil, fmt.Errorf("%w: both years are needed", kg.ErrInvalid)
	}
	proj := func(y int) (*kg.Projection, error) {
		return s.Project(ctx, kg.ProjectionQuery{Types: q.Types, AsOf: y, NodeProps: []string{"name", "district"}, Limit: ProjectionLimit})
	}
	a, err := proj(q.FromYear)
	if err != nil {
		return nil, err
	}
	b, err := proj(q.ToYear)
	if err != nil {
		return nil, err
	}
	m := newMeter(ctx)
	nodes := map[string]*kg.Node{}
	for _, p := range []*kg.Projection{a, b} {
		for _, n := range p.Nodes {
			if err := m.add(1); err != nil {
				return nil, err
			}
			nodes[n.ID] = n
		}
	}
	side := func(have, other *kg.Projection) (*Subgraph, int, error) {
		inOther := make(map[string]bool, len(other.Edges))
		for _, e := range other.Edges {
			if err := m.add(1); err != nil {
				return nil, 0, err
			}
			inOther[e.ID] = true
		}
		sg := &Subgraph{}
		if have.Truncated || other.Truncated {
			sg.cut(BoundProjection)
		}
		var ids []string
		for _, e := range have.Edges {
			if err := m.add(1); err != nil {
				return nil, 0, err
			}
			if !inOther[e.ID] {
				ids = append(ids, e.ID)
			}
		}
		count := len(ids)
		if len(ids) > q.Limit {
			ids = ids[:q.Limit]
			sg.cut(BoundEdges)
		}
		es, err := s.GetEdges(ctx, ids)
		if err != nil {
			return nil, 0, err
		}
		ends := map[string]bool{}
		for _, e := range es {
			if e != nil {
				sg.Edges = append(sg.Edges, e)
				ends[e.From], ends[e.To] = true, true
			}
		}
		for _, id := range slices.Sorted(maps.Keys(ends)) {
			sg.Nodes = append(sg.Nodes, SubNode{Node: nodes[id], Depth: NoDepth})
		}
		return sg, count, nil
	}
	d := &Diff{}
	if d.Appeared, d.AppearedCount, err = side(b, a); err != nil {
		return nil, err
	}
	if d.Disappeared, d.DisappearedCount, err = side(a, b); err != nil {
		return nil, err
	}
	return d, nil
}

// Paths checks that both ends exist and returns the store's k shortest
// paths (see kg.PathQuery).
func Paths(ctx context.Context, s kg.Store, q kg.PathQuery) (*kg.PathResult, error) {
	if err := kg.ValidatePathQuery(&q); err != nil {
		return nil, err
	}
	ns, err := s.GetNodes(ctx, []string{q.From, q.To})
	if err != nil {
		return nil, err
	}
	for i, n := range ns {
		if n == nil {
			return nil, fmt.Errorf("%w: no node with id %q", kg.ErrNotFound, []string{q.From, q.To}[i])
		}
	}
	return s.Paths(ctx, q)
}

// Explain renders a path for people: the names of its nodes joined by
// the Chinese names of its relationships, with arrows as traversed and the
// years each relationship held (Period), e.g.
// 大连海事大学 —技术转移(2021)→ 甲公司 ←供应(2019–2023)— 乙公司.
func Explain(p *kg.Path) string {
	var b strings.Builder
	for i, n := range p.Nodes {
		if i > 0 {
			e := p.Edges[i-1]
			name := string(e.Type)
			if spec := kg.RelSpecs[e.Type]; spec != nil {
				name = spec.Chinese
			}
			if y := Period(e); y != "" {
				name += "(" + y + ")"
			}
			if e.From == p.Nodes[i-1].ID {
				fmt.Fprintf(&b, " —%s→ ", name)
			} else {
				fmt.Fprintf(&b, " ←%s— ", name)
			}
		}
		b.WriteString(n.Name())
	}
	return b.String()
}

// Period names the years a relationship held: "2019–2023" from its since
// and until, "2019–" when it has not ended, "–2023" when its start is not
// known, "2021" for one year (since and until alike, or a relationship of
// one year: a transfer, a service, an investment, an application); "" when
// no year is known.
func Period(e *kg.Edge) string {
	since, hasSince := e.Props.Int("since")
	until, hasUntil := e.Props.Int("until")
	switch {
	case hasSince && hasUntil && since == until:
		return strconv.Itoa(int(since))
	case hasSince && hasUntil:
		return fmt.Sprintf("%d–%d", since, until)
	case hasSince:
		return fmt.Sprintf("%d–", since)
	case hasUntil:
		return fmt.Sprintf("–%d", until)
	}
	if y, ok := e.Props.Int("year"); ok {
		return strconv.Itoa(int(y))
	}
	return ""
}
