package kg

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Lists are paged by key. Every list has a total order: its sort keys,
// then an id that breaks every tie. A cursor names the position of an
// item in that order (the values of the keys at the item and its id) and
// the order itself, and `after` means the items that sort strictly after
// that position. A page walk is therefore not shifted by writes between
// its pages: every item that exists throughout the walk and whose sort
// key does not change is returned exactly once, whatever is inserted or
// deleted meanwhile. An item inserted (or whose key changes) behind the
// cursor is not seen by the rest of the walk; one inserted ahead of it is.
//
// Cursors are encoded here, once: EncodeCursor and DecodeCursor, with
// NodeCursor and RelationCursor for the orders of node lists and of the
// relationships of a node.

// Position is where an item stands in the total order of a list.
type Position struct {
	// Order names the list and its order (see NodeOrder, RelationOrder):
	// a cursor is accepted only by the list that issued it.
	Order string
	// Values are the values of the order's keys at the item, nil where
	// the item has none (a missing value).
	Values []any
	// ID is the item's id, the last key of every order.
	ID string
}

// cursorPrefix starts every keyset cursor (before base64): a version, so
// that a later encoding can tell its cursors apart.
const cursorPrefix = "k1:"

// positionalPrefix started the positional cursors of earlier versions
// ("o:" and an offset), which are refused with a message of their own.
const positionalPrefix = "o:"

// cursorJSON is the encoded form of a Position.
type cursorJSON struct {
	Order  string `json:"o"`
	Values []any  `json:"v"`
	ID     string `json:"id"`
}

// EncodeCursor returns the opaque cursor of a position.
func EncodeCursor(p Position) string {
	vals := p.Values
	if vals == nil {
		vals = []any{}
	}
	b, err := json.Marshal(cursorJSON{p.Order, vals, p.ID})
	if err != nil {
		// The values are property values: strings, numbers, booleans.
		panic(fmt.Sprintf("kg: encoding a cursor: %v", err))
	}
	return base64.RawURLEncoding.EncodeToString(append([]byte(cursorPrefix), b...))
}

// DecodeCursor returns the position of a cursor issued for order, whose
// order has keys sort keys before the id; "" (no cursor) is nil. It
// refuses, with ErrInvalid, a cursor it did not issue, one of another
// list or order, and a positional cursor of an earlier version.
// Numbers come back as int64 when they are integers, else as float64.
func DecodeCursor(c, order string, keys int) (*Position, error) {
	if c == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err == nil && bytes.HasPrefix(b, []byte(positionalPrefix)) {
		if _, perr := strconv.Atoi(string(b[len(positionalPrefix):])); perr == nil {
			return nil, fmt.Errorf("%w: cursor %q is a positional cursor of an earlier version, which is no longer accepted: lists now page by key; restart from the first page (without after)", ErrInvalid, c)
		}
	}
	if err != nil || !bytes.HasPrefix(b, []byte(cursorPrefix)) {
		return nil, fmt.Errorf("%w: cursor %q is not one this server issued", ErrInvalid, c)
	}
	var raw cursorJSON
	d := json.NewDecoder(bytes.NewReader(b[len(cursorPrefix):]))
	d.UseNumber()
	if err := d.Decode(&raw); err != nil || d.More() {
		return nil, fmt.Errorf("%w: cursor %q is not one this server issued", ErrInvalid, c)
	}
	if raw.Order != order {
		return nil, fmt.Errorf("%w: cursor %q was issued by another list or order (%s), not by this one (%s): pass a cursor of this list, or restart from the first page", ErrInvalid, c, raw.Order, order)
	}
	if len(raw.Values) != keys || raw.ID == "" {
		return nil, fmt.Errorf("%w: cursor %q is not one this server issued", ErrInvalid, c)
	}
	p := &Position{Order: raw.Order, ID: raw.ID, Values: make([]any, len(raw.Values))}
	for i, v := range raw.Values {
		switch x := v.(type) {
		case nil, string, bool:
			p.Values[i] = x
		case json.Number:
			if n, err := x.Int64(); err == nil {
				p.Values[i] = n
			} else if f, err := x.Float64(); err == nil {
				p.Values[i] = f
			} else {
				return nil, fmt.Errorf("%w: cursor %q is not one this server issued", ErrInvalid, c)
			}
		default:
			return nil, fmt.Errorf("%w: cursor %q is not one this server issued", ErrInvalid, c)
		}
	}
	return p, nil
}

// CompareTo compares an item (the values of its keys, nil where missing,
// and its id) with position p, in an order whose keys descend where desc
// says: positive when the item sorts after p, 0 when it is p's item.
// Missing values sort as CompareMissing says.
func (p *Position) CompareTo(values []any, id string, desc []bool) int {
	return CompareValues(values, id, p.Values, p.ID, desc)
}

// CompareValues compares two items of one order by the values of its
// keys (nil where missing, as CompareMissing orders them, descending
// where desc says), then by id: negative when a sorts first.
func CompareValues(a []any, aID string, b []any, bID string, desc []bool) int {
	for i, v := range a {
		if c := CompareMissing(v, v != nil, b[i], b[i] != nil, desc[i]); c != 0 {
			return c
		}
	}
	return strings.Compare(aID, bID)
}

// NodeOrder names the order of a list of nodes of kind k sorted by keys,
// then id.
func NodeOrder(k Kind, keys []SortKey) string {
	var b strings.Builder
	b.WriteString(string(k))
	writeKeys(&b, keys)
	return b.String()
}

// writeKeys writes sort keys to the name of an order.
func writeKeys(b *strings.Builder, keys []SortKey) {
	for i, k := range keys {
		if i == 0 {
			b.WriteString(" by ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(k.Prop)
		if k.Year != 0 {
			fmt.Fprintf(b, "@%d", k.Year)
		}
		if k.Desc {
			b.WriteString(" desc")
		}
	}
}

// NodeValues returns the values of keys at n, nil where n has none.
func NodeValues(n *Node, keys []SortKey) []any {
	vals := make([]any, len(keys))
	for i, k := range keys {
		if v, ok := Value(n, k.Prop, k.Year); ok {
			vals[i] = v
		}
	}
	return vals
}

// NodeCursor returns the cursor of node n in the list of nodes of kind k
// sorted by keys (see NodeOrder). n must carry the properties of keys.
func NodeCursor(k Kind, keys []SortKey, n *Node) string {
	return EncodeCursor(Position{Order: NodeOrder(k, keys), Values: NodeValues(n, keys), ID: n.ID})
}

// Descending returns whether each key of keys descends.
func Descending(keys []SortKey) []bool {
	out := make([]bool, len(keys))
	for i, k := range keys {
		out[i] = k.Desc
	}
	return out
}

// AfterPosition decodes q.After against the order of q (nil for none).
func (q *NodeQuery) AfterPosition() (*Position, error) {
	return DecodeCursor(q.After, NodeOrder(q.Kind, q.OrderBy), len(q.OrderBy))
}

// checkPosition checks that the values of a position fit the types of
// the node properties of keys: a string for a string, enum or id, a
// number for a number or yearly figure, a boolean for a boolean.
func checkPosition(k Kind, keys []SortKey, p *Position, cursor string) error {
	for i, key := range keys {
		v := p.Values[i]
		if v == nil {
			continue
		}
		want := String
		if key.Prop != "id" {
			spec, _ := NodePropSpec(k, key.Prop)
			want = spec.Type
		}
		ok := false
		switch v.(type) {
		case string:
			ok = want == String || want == EnumType
		case int64, float64:
			ok = want == Int || want == Float || want == SeriesType
		case bool:
			ok = want == Bool
		}
		if !ok {
			return fmt.Errorf("%w: cursor %q is not one this server issued", ErrInvalid, cursor)
		}
	}
	return nil
}

// RelationOrder names the order of a list of the relationships of a node,
// of types (all when empty) in direction dir, sorted by keys (the
// property of a relationship, or "node." and the property of the node at
// the other end), then by type, the other end's id and the
// relationship's id, as SortNeighbors orders them.
func RelationOrder(types []RelType, dir Direction, keys []SortKey) string {
	if dir == "" {
		dir = Both
	}
	ts := make([]string, len(types))
	for i, t := range types {
		ts[i] = string(t)
	}
	slices.Sort(ts)
	ts = slices.Compact(ts)
	var b strings.Builder
	b.WriteString("relations")
	if len(ts) > 0 {
		b.WriteString(" " + strings.Join(ts, "|"))
	}
	b.WriteString(" " + string(dir))
	writeKeys(&b, keys)
	return b.String()
}

// RelationValues returns the values of a relationship's position in an
// order of RelationOrder: the values of its keys (keyValues, nil where
// missing), then its type and the id of the node at its other end.
func RelationValues(keyValues []any, e *Edge, other string) []any {
	return append(slices.Clone(keyValues), string(e.Type), other)
}

// RelationDescending returns whether each value of RelationValues
// descends, for keys.
func RelationDescending(keys []SortKey) []bool {
	return append(Descending(keys), false, false)
}

// RelationCursor returns the cursor of relationship e, whose other end is
// other and whose keys have keyValues, in an order of RelationOrder.
func RelationCursor(types []RelType, dir Direction, keys []SortKey, keyValues []any, e *Edge, other string) string {
	return EncodeCursor(Position{Order: RelationOrder(types, dir, keys), Values: RelationValues(keyValues, e, other), ID: e.ID})
}

// DecodeRelationCursor decodes a cursor of an order of RelationOrder.
func DecodeRelationCursor(c string, types []RelType, dir Direction, keys []SortKey) (*Position, error) {
	p, err := DecodeCursor(c, RelationOrder(types, dir, keys), len(keys)+2)
	if p == nil || err != nil {
		return nil, err
	}
	for _, v := range p.Values[len(keys):] {
		if _, ok := v.(string); !ok {
			return nil, fmt.Errorf("%w: cursor %q is not one this server issued", ErrInvalid, c)
		}
	}
	return p, nil
}

// AfterPosition decodes h.After against the order of h's relationships
// (nil for none).
func (h *Hop) AfterPosition() (*Position, error) {
	return DecodeRelationCursor(h.After, h.Types, h.Direction, nil)
}

// HopAfter reports whether the relationship e of a hop, whose other end
// is other, sorts strictly after position p (every one does when p is
// nil).
func HopAfter(e *Edge, other string, p *Position) bool {
	return p == nil || p.CompareTo([]any{string(e.Type), other}, e.ID, []bool{false, false}) > 0
}

// EndCursor returns the cursor of the last node of page p of query q,
// which FindNodes takes as q.After for the next page; "" for an empty
// page.
func EndCursor(q NodeQuery, p *NodePage) string {
	if len(p.Nodes) == 0 {
		return ""
	}
	return NodeCursor(q.Kind, q.OrderBy, p.Nodes[len(p.Nodes)-1])
}
