package kg

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// ValidateNodeQuery checks q against the ontology and normalises the
// values of its conditions to the property types. Every backend calls it
// before running a query, so that all of them refuse the same queries.
// q.Where is replaced by a normalised copy: the caller's conditions are
// left as they were.
func ValidateNodeQuery(q *NodeQuery) error {
	return validateNodeQuery(q, 1)
}

// validateNodeQuery is ValidateNodeQuery with minFirst the smallest page
// size accepted: 1 for FindNodes, 0 (a count alone) for a FetchPlan.
func validateNodeQuery(q *NodeQuery, minFirst int) error {
	q.Where = append([]Condition(nil), q.Where...)
	if !ValidKind(q.Kind) {
		return fmt.Errorf("%w: unknown kind %q", ErrInvalid, q.Kind)
	}
	if q.First < minFirst || q.First > MaxPageSize {
		return fmt.Errorf("%w: first must be between %d and %d, got %d", ErrInvalid, minFirst, MaxPageSize, q.First)
	}
	for i := range q.Where {
		if err := normalizeCondition(q.Kind, &q.Where[i]); err != nil {
			return fmt.Errorf("%w: condition on %q: %v", ErrInvalid, q.Where[i].Prop, err)
		}
	}
	for _, s := range q.OrderBy {
		if s.Prop == "id" {
			continue
		}
		spec, ok := NodePropSpec(q.Kind, s.Prop)
		if !ok {
			return fmt.Errorf("%w: cannot order %s by unknown property %q", ErrInvalid, q.Kind, s.Prop)
		}
		switch spec.Type {
		case Strings, Enums:
			return fmt.Errorf("%w: cannot order by list property %q", ErrInvalid, s.Prop)
		case SeriesType:
			if s.Year == 0 {
				return fmt.Errorf("%w: ordering by yearly figure %q needs a year", ErrInvalid, s.Prop)
			}
		}
	}
	p, err := q.AfterPosition()
	if err != nil {
		return err
	}
	if p != nil {
		return checkPosition(q.Kind, q.OrderBy, p, q.After)
	}
	return nil
}

// PrepareNodeQuery is the prologue of every backend's FindNodes: it
// validates and normalises q (see ValidateNodeQuery) and returns the
// position its page starts after (nil for the first page).
func PrepareNodeQuery(q *NodeQuery) (*Position, error) {
	if err := ValidateNodeQuery(q); err != nil {
		return nil, err
	}
	return q.AfterPosition()
}

func normalizeCondition(k Kind, c *Condition) error {
	var spec *PropSpec
	if c.Prop == "id" {
		spec = &PropSpec{Name: "id", Type: String}
	} else {
		s, ok := NodePropSpec(k, c.Prop)
		if !ok {
			return fmt.Errorf("unknown property of %s", k)
		}
		spec = s
	}
	return normalizeWith(spec, c)
}

// normalizeWith checks c against the spec of its property and normalises
// its value.
func normalizeWith(spec *PropSpec, c *Condition) error {
	elem := *spec
	switch spec.Type {
	case Strings:
		elem.Type = String
	case Enums:
		elem.Type = EnumType
	case SeriesType:
		if c.Year == 0 {
			return fmt.Errorf("a yearly figure needs a year")
		}
		elem = PropSpec{Name: spec.Name, Type: Float}
	}
	elem.Check, elem.Min, elem.Max = nil, 0, 0
	list := spec.Type == Strings || spec.Type == Enums
	switch c.Op {
	case EQ, NE, GT, GTE, LT, LTE:
		if list && c.Op != EQ {
			return fmt.Errorf("operator %s does not apply to a list", c.Op)
		}
		if spec.Type == Bool && c.Op != EQ && c.Op != NE {
			return fmt.Errorf("operator %s does not apply to a boolean", c.Op)
		}
		v, err := NormalizeValue(&elem, c.Value)
		if err != nil {
			return err
		}
		c.Value = v
	case IN:
		var raw []any
		switch x := c.Value.(type) {
		case []any:
			raw = x
		case []string:
			for _, s := range x {
				raw = append(raw, s)
			}
		default:
			return fmt.Errorf("IN wants a list, got %T", c.Value)
		}
		vals := make([]any, len(raw))
		for i, r := range raw {
			v, err := NormalizeValue(&elem, r)
			if err != nil {
				return fmt.Errorf("item %d: %w", i, err)
			}
			vals[i] = v
		}
		c.Value = vals
	case CONTAINS, PREFIX:
		if elem.Type != String {
			return fmt.Errorf("operator %s applies to strings only", c.Op)
		}
		s, ok := c.Value.(string)
		if !ok {
			return fmt.Errorf("operator %s wants a string", c.Op)
		}
		c.Value = s
	default:
		return fmt.Errorf("unknown operator %q", c.Op)
	}
	return nil
}

// Value returns the value a condition or sort key sees on n: the id, a
// property, or one year of a series. ok is false when absent.
func Value(n *Node, prop string, year int) (any, bool) {
	if prop == "id" {
		return n.ID, true
	}
	v, ok := n.Props[prop]
	if !ok || v == nil {
		return nil, false
	}
	if s, isSeries := v.(Series); isSeries {
		f, ok := s[year]
		return f, ok
	}
	return v, true
}

// MatchEdgeProps reports whether the properties of e satisfy every condition
// (already normalised by ValidateFetchPlan), as Match does a node's.
func MatchEdgeProps(e *Edge, where []Condition) bool {
	return Match(&Node{ID: e.ID, Props: e.Props}, where)
}

// Match reports whether n satisfies every condition (already normalised
// by ValidateNodeQuery).
func Match(n *Node, where []Condition) bool {
	for _, c := range where {
		if !matchOne(n, c) {
			return false
		}
	}
	return true
}

func matchOne(n *Node, c Condition) bool {
	v, ok := Value(n, c.Prop, c.Year)
	if !ok {
		return false
	}
	if list, isList := v.([]string); isList {
		for _, e := range list {
			if matchScalar(e, c) {
				return true
			}
		}
		return false
	}
	return matchScalar(v, c)
}

func matchScalar(v any, c Condition) bool {
	switch c.Op {
	case EQ:
		return Compare(v, c.Value) == 0
	case NE:
		return Compare(v, c.Value) != 0
	case GT:
		return Compare(v, c.Value) > 0
	case GTE:
		return Compare(v, c.Value) >= 0
	case LT:
		return Compare(v, c.Value) < 0
	case LTE:
		return Compare(v, c.Value) <= 0
	case IN:
		for _, w := range c.Value.([]any) {
			if Compare(v, w) == 0 {
				return true
			}
		}
		return false
	case CONTAINS:
		s, _ := v.(string)
		return strings.Contains(s, c.Value.(string))
	case PREFIX:
		s, _ := v.(string)
		return strings.HasPrefix(s, c.Value.(string))
	}
	return false
}

// Compare orders two scalar values of the same property: numbers
// numerically, strings by code point, false before true.
func Compare(a, b any) int {
	switch x := a.(type) {
	case string:
		y, _ := b.(string)
		return strings.Compare(x, y)
	case bool:
		y, _ := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	}
	fa, _ := asFloat(a)
	fb, _ := asFloat(b)
	switch {
	case fa < fb:
		return -1
	case fa > fb:
		return 1
	}
	return 0
}

// SortNodes sorts nodes by the keys, then by id ascending. A missing value
// sorts after present ones when ascending, before them when descending.
func SortNodes(nodes []*Node, keys []SortKey) {
	sort.SliceStable(nodes, func(i, j int) bool { return LessNodes(nodes[i], nodes[j], keys) })
}

// LessNodes reports whether a sorts before b under keys, then id.
func LessNodes(a, b *Node, keys []SortKey) bool {
	for _, k := range keys {
		if c := CompareKey(a, b, k); c != 0 {
			return c < 0
		}
	}
	return a.ID < b.ID
}

// CompareKey compares two nodes by one sort key, as LessNodes orders
// them: negative when a sorts first, 0 when the key does not tell.
func CompareKey(a, b *Node, k SortKey) int {
	va, okA := Value(a, k.Prop, k.Year)
	vb, okB := Value(b, k.Prop, k.Year)
	return CompareMissing(va, okA, vb, okB, k.Desc)
}

// CompareMissing compares two values that may be missing (ok false) in
// the order of sort keys: a missing value after a present one ascending,
// before it descending (Cypher's null ordering), present values by
// Compare, reversed when desc.
func CompareMissing(va any, okA bool, vb any, okB bool, desc bool) int {
	var c int
	switch {
	case !okA && !okB:
		c = 0
	case !okA:
		c = 1
	case !okB:
		c = -1
	default:
		c = Compare(va, vb)
	}
	if desc {
		c = -c
	}
	return c
}

// ValidateNeighborQuery checks a neighbour query: known relationship
// types, a known direction and a year that is not negative.
func ValidateNeighborQuery(q *NeighborQuery) error {
	switch q.Direction {
	case "", Out, In, Both:
	default:
		return fmt.Errorf("%w: unknown direction %q (want OUT, IN or BOTH)", ErrInvalid, q.Direction)
	}
	if err := checkRelTypes(q.Types); err != nil {
		return err
	}
	if q.AsOf < 0 {
		return fmt.Errorf("%w: year %d is negative", ErrInvalid, q.AsOf)
	}
	return nil
}

// ValidateSearch checks a search query.
func ValidateSearch(q *SearchQuery) error {
	if utf8.RuneCountInString(strings.TrimSpace(q.Text)) < MinSearchRunes {
		return fmt.Errorf("%w: search text must have at least %d characters", ErrInvalid, MinSearchRunes)
	}
	if q.Limit < 1 || q.Limit > MaxPageSize {
		return fmt.Errorf("%w: search limit must be between 1 and %d, got %d", ErrInvalid, MaxPageSize, q.Limit)
	}
	if err := checkKinds(q.Kinds); err != nil {
		return err
	}
	return nil
}

// SearchText is the form in which a search compares its text with the
// names of nodes: without surrounding space, lower-cased
// (strings.ToLower, as the names are).
func SearchText(text string) string { return strings.ToLower(strings.TrimSpace(text)) }

// SearchRank tells how well n matches text: 0 an exact name, 1 a name
// prefix, 2 a name substring, 3 an English name or alias substring; -1 no
// match. Matching ignores case and surrounding space.
func SearchRank(n *Node, text string) int {
	t := SearchText(text)
	name := strings.ToLower(n.Props.Str("name"))
	switch {
	case name == t:
		return 0
	case strings.HasPrefix(name, t):
		return 1
	case strings.Contains(name, t):
		return 2
	}
	if strings.Contains(strings.ToLower(n.Props.Str("nameEn")), t) {
		return 3
	}
	for _, a := range n.Props.Strings("aliases") {
		if strings.Contains(strings.ToLower(a), t) {
			return 3
		}
	}
	return -1
}

// SortSearch orders matched nodes by rank, then name length, then id.
func SortSearch(nodes []*Node, text string) {
	sort.SliceStable(nodes, func(i, j int) bool {
		ri, rj := SearchRank(nodes[i], text), SearchRank(nodes[j], text)
		if ri != rj {
			return ri < rj
		}
		li, lj := utf8.RuneCountInString(nodes[i].Name()), utf8.RuneCountInString(nodes[j].Name())
		if li != lj {
			return li < lj
		}
		return nodes[i].ID < nodes[j].ID
	})
}

// SortNeighbors orders neighbours by edge type, neighbour id, edge id.
func SortNeighbors(ns []Neighbor) {
	sort.Slice(ns, func(i, j int) bool {
		a, b := ns[i], ns[j]
		if a.Edge.Type != b.Edge.Type {
			return a.Edge.Type < b.Edge.Type
		}
		if a.Node.ID != b.Node.ID {
			return a.Node.ID < b.Node.ID
		}
		return a.Edge.ID < b.Edge.ID
	})
}

// checkRelTypes reports the first unknown relationship type of ts.
func checkRelTypes(ts []RelType) error {
	for _, t := range ts {
		if !ValidRelType(t) {
			return fmt.Errorf("%w: unknown relationship type %q", ErrInvalid, t)
		}
	}
	return nil
}

// checkKinds reports the first unknown kind of ks.
func checkKinds(ks []Kind) error {
	for _, k := range ks {
		if !ValidKind(k) {
			return fmt.Errorf("%w: unknown kind %q", ErrInvalid, k)
		}
	}
	return nil
}
