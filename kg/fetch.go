package kg

import (
	"fmt"
	"slices"
	"time"
)

// MaxFetchDepth bounds how deeply the hops of a FetchPlan nest.
const MaxFetchDepth = 16

// MaxFetchHops bounds the number of hops of a FetchPlan, all levels
// together.
const MaxFetchHops = 256

// FetchPlan is a request read in one store call: root nodes (a page of a
// NodeQuery, or nodes by id) and, from each, a tree of hops along their
// relationships, with the properties wanted at every node. It is the
// batched equivalent of FindNodes (or GetNodes) followed by one Neighbors
// call per level, with the same answers: the same order, pages and
// totals.
type FetchPlan struct {
	// Query selects the roots as FindNodes does; when nil, IDs does, as
	// GetNodes does. A Query whose First is 0 counts without reading a
	// root: the result has TotalCount, Offset and HasNextPage (whether
	// any match sorts after the cursor) and no roots.
	Query *NodeQuery
	IDs   []string
	// Props are the properties wanted at the roots (see Hop.Props).
	Props []string
	// Hops are followed from every root.
	Hops []*Hop
}

// Hop follows the relationships of a node as Neighbors does (types,
// direction, asOf) and keeps one page of them, in the order of
// SortNeighbors.
type Hop struct {
	// Key names the hop among its siblings that apply to a node of one
	// kind; results are keyed by it.
	Key string
	// Kinds, when not empty, restricts the hop to parent nodes of these
	// kinds: at others it is not followed and has no result.
	Kinds     []Kind
	Types     []RelType // empty: all
	Direction Direction // "" means Both
	AsOf      int       // year; 0: any
	// Where are conditions on the properties of the relationships (a
	// relationship without the property never passes), FarWhere on the
	// properties of the nodes at their other ends: the hop keeps the
	// relationships that pass both. They name scalar properties (not
	// lists, not yearly series); Where needs Types, and each property of
	// Where must be one of theirs. ValidateFetchPlan normalises their
	// values in place.
	Where, FarWhere []Condition
	// First is the page size, 0..MaxPageSize (0: only the total).
	First int
	// After is the cursor of the last relationship of the previous page
	// (see RelationCursor, of the hop's types and direction and no keys);
	// the page holds the relationships that sort strictly after it. ""
	// starts at the first.
	After string
	// Props are the properties wanted at the nodes at the other end: nil
	// for whole nodes (with their timestamps), otherwise only those of
	// the names given that a node has, and no timestamps.
	Props []string
	// EdgeProps are the properties wanted at the relationships: nil for
	// whole relationships, otherwise only those of the names given that
	// a relationship has (its id, type and ends are always there).
	EdgeProps []string
	// NoTotal tells that the page's Total and Offset are not wanted
	// (neither counts nor whether more pages follow): a store may skip
	// counting and report an Offset of 0 and a Total of len(Items).
	NoTotal bool
	// Hops are followed from every node of the page.
	Hops []*Hop
}

// FetchResult is what a FetchPlan read.
type FetchResult struct {
	// Roots are the page of the query, in its order, or the nodes of
	// IDs in their order, nil where there is none.
	Roots []*Fetched
	// TotalCount, Offset and HasNextPage describe the page of a query
	// as NodePage does; they are zero for roots by id. The roots of a
	// query carry the properties of its sort keys, so that their cursors
	// can be made (see NodeCursor), whatever Props asks for.
	TotalCount  int
	Offset      int
	HasNextPage bool
}

// Fetched is a node a plan read, with the pages of its hops.
type Fetched struct {
	Node *Node
	// Hops holds a page for each hop that applies to the node's kind, by
	// Hop.Key.
	Hops map[string]*HopPage
}

// HopPage is one page of the relationships a hop follows from one node.
type HopPage struct {
	// Total counts every relationship the hop selects, of all pages.
	Total int
	// Offset counts the relationships that sort before the first item
	// (before the hop's After): 0 for a first page.
	Offset int
	Items  []HopItem
}

// HopItem is one relationship of a HopPage and the node at its other end.
type HopItem struct {
	Edge *Edge
	Node *Fetched
}

// WithHops returns n as a fetched node with the pages of those hops that
// apply to its kind and that page finds (ok false: none for n), keyed by
// their keys; i is the index of h in hops. The embedded store assembles
// its fetched nodes with it (Neo4j's decoding fills the same map from
// the values of its statement).
func WithHops(n *Node, hops []*Hop, page func(i int, h *Hop) (pg *HopPage, ok bool, err error)) (*Fetched, error) {
	out := &Fetched{Node: n}
	for i, h := range hops {
		if !h.Applies(n.Kind) {
			continue
		}
		pg, ok, err := page(i, h)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if out.Hops == nil {
			out.Hops = make(map[string]*HopPage, len(hops))
		}
		out.Hops[h.Key] = pg
	}
	return out, nil
}

// Applies reports whether the hop is followed from a node of kind k.
func (h *Hop) Applies(k Kind) bool { return len(h.Kinds) == 0 || slices.Contains(h.Kinds, k) }

// ValidateFetchPlan checks a plan: its root query (as ValidateNodeQuery,
// which normalises its conditions in place), its hops (as
// ValidateNeighborQuery, their conditions as Hop.Where says, normalised
// in place, pages within MaxPageSize, their cursors, keys unique among
// siblings) and its size (MaxFetchDepth, MaxFetchHops). It adds the
// properties of the query's sort keys to p.Props (a new slice) where
// p.Props does not ask for whole nodes.
func ValidateFetchPlan(p *FetchPlan) error {
	if p.Query != nil {
		q := *p.Query
		if err := validateNodeQuery(&q, 0); err != nil {
			return err
		}
		p.Query = &q
		if p.Props != nil {
			props := slices.Clone(p.Props)
			for _, k := range q.OrderBy {
				if k.Prop != "id" && !slices.Contains(props, k.Prop) {
					props = append(props, k.Prop)
				}
			}
			p.Props = props
		}
	} else if len(p.IDs) > MaxPageSize {
		return fmt.Errorf("%w: at most %d root ids, got %d", ErrInvalid, MaxPageSize, len(p.IDs))
	}
	n := 0
	return validateHops(p.Hops, 1, &n)
}

func validateHops(hops []*Hop, depth int, n *int) error {
	if len(hops) == 0 {
		return nil
	}
	if depth > MaxFetchDepth {
		return fmt.Errorf("%w: a fetch plan nests at most %d hops", ErrInvalid, MaxFetchDepth)
	}
	for i, h := range hops {
		if *n++; *n > MaxFetchHops {
			return fmt.Errorf("%w: a fetch plan has at most %d hops", ErrInvalid, MaxFetchHops)
		}
		if h.Key == "" {
			return fmt.Errorf("%w: a hop has no key", ErrInvalid)
		}
		for _, o := range hops[:i] {
			if o.Key == h.Key && overlap(o.Kinds, h.Kinds) {
				return fmt.Errorf("%w: hop key %q is repeated for nodes of one kind", ErrInvalid, h.Key)
			}
		}
		if err := checkKinds(h.Kinds); err != nil {
			return err
		}
		if err := ValidateNeighborQuery(&NeighborQuery{Types: h.Types, Direction: h.Direction, AsOf: h.AsOf}); err != nil {
			return fmt.Errorf("hop %q: %w", h.Key, err)
		}
		if err := validateHopConditions(h); err != nil {
			return fmt.Errorf("%w: hop %q: %v", ErrInvalid, h.Key, err)
		}
		if h.First < 0 || h.First > MaxPageSize {
			return fmt.Errorf("%w: hop %q: first must be between 0 and %d, got %d", ErrInvalid, h.Key, MaxPageSize, h.First)
		}
		if _, err := h.AfterPosition(); err != nil {
			return fmt.Errorf("hop %q: %w", h.Key, err)
		}
		if err := validateHops(h.Hops, depth+1, n); err != nil {
			return err
		}
	}
	return nil
}

// validateHopConditions checks and normalises the conditions of h.
func validateHopConditions(h *Hop) error {
	if len(h.Where) > 0 && len(h.Types) == 0 {
		return fmt.Errorf("conditions on relationships need relationship types")
	}
	for i := range h.Where {
		c := &h.Where[i]
		var spec *PropSpec
		for _, t := range h.Types {
			if s, ok := EdgePropSpec(t, c.Prop); ok {
				spec = s
				break
			}
		}
		if spec == nil {
			return fmt.Errorf("condition on %q: not a property of %v", c.Prop, h.Types)
		}
		if err := normalizeScalar(spec, c); err != nil {
			return fmt.Errorf("condition on %q: %v", c.Prop, err)
		}
	}
	for i := range h.FarWhere {
		c := &h.FarWhere[i]
		var spec *PropSpec
		for _, k := range Kinds {
			if s, ok := NodePropSpec(k, c.Prop); ok {
				spec = s
				break
			}
		}
		if spec == nil {
			return fmt.Errorf("condition on far nodes' %q: not a property of any kind", c.Prop)
		}
		if err := normalizeScalar(spec, c); err != nil {
			return fmt.Errorf("condition on far nodes' %q: %v", c.Prop, err)
		}
	}
	return nil
}

// normalizeScalar normalises a condition on a scalar property.
func normalizeScalar(spec *PropSpec, c *Condition) error {
	switch spec.Type {
	case Strings, Enums, SeriesType:
		return fmt.Errorf("a hop's conditions name scalar properties, not a %s", spec.Type)
	}
	return normalizeWith(spec, c)
}

// overlap reports whether two hops' kinds share a kind (empty: all).
func overlap(a, b []Kind) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	for _, k := range a {
		if slices.Contains(b, k) {
			return true
		}
	}
	return false
}

// KeepEdgeProps returns e with only the properties of names (all when
// names is nil). It modifies e.
func KeepEdgeProps(e *Edge, names []string) *Edge {
	if names == nil || e == nil {
		return e
	}
	kept := make(Props, len(names))
	for _, name := range names {
		if v, ok := e.Props[name]; ok && v != nil {
			kept[name] = v
		}
	}
	e.Props = kept
	return e
}

// KeepProps returns n with only the properties of names (all when names
// is nil) and, when names is not nil, without timestamps. It modifies n.
func KeepProps(n *Node, names []string) *Node {
	if names == nil || n == nil {
		return n
	}
	kept := make(Props, len(names))
	for _, name := range names {
		if v, ok := n.Props[name]; ok && v != nil {
			kept[name] = v
		}
	}
	n.Props = kept
	n.CreatedAt, n.UpdatedAt = time.Time{}, time.Time{}
	return n
}
