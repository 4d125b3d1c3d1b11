package kg

import (
	"crypto/sha1"
	"encoding/hex"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"time"
)

// Props holds the properties of a node or an edge, normalised to the Go
// types listed at PropType.
type Props map[string]any

// Series is a yearly figure: a value per year.
type Series map[int]float64

// Years returns the series' years in ascending order.
func (s Series) Years() []int {
	ys := make([]int, 0, len(s))
	for y := range s {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	return ys
}

// Node is an entity of the graph.
type Node struct {
	ID        string
	Kind      Kind
	Props     Props
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Edge is a relationship of the graph, directed From → To.
type Edge struct {
	ID    string
	Type  RelType
	From  string
	To    string
	Props Props
}

// EdgeID returns the default id of an edge: deterministic in its type and
// endpoints, so that writing the same relationship twice is idempotent.
func EdgeID(t RelType, from, to string) string {
	h := sha1.Sum([]byte(string(t) + "\x00" + from + "\x00" + to))
	return "e_" + hex.EncodeToString(h[:10])
}

// Name returns the node's name.
func (n *Node) Name() string { return n.Props.Str("name") }

// Str returns a string property, or "".
func (p Props) Str(name string) string { s, _ := p[name].(string); return s }

// Int returns an integer property.
func (p Props) Int(name string) (int64, bool) { v, ok := p[name].(int64); return v, ok }

// Float returns a numeric property as float64.
func (p Props) Float(name string) (float64, bool) { return asFloat(p[name]) }

// asFloat returns a normalised numeric value (float64 or int64) as float64.
func asFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	}
	return 0, false
}

// Bool returns a boolean property.
func (p Props) Bool(name string) (bool, bool) { v, ok := p[name].(bool); return v, ok }

// Strings returns a list property.
func (p Props) Strings(name string) []string { v, _ := p[name].([]string); return v }

// Series returns a yearly-series property.
func (p Props) Series(name string) Series { v, _ := p[name].(Series); return v }

// Clone returns a deep copy of p.
func (p Props) Clone() Props {
	if p == nil {
		return nil
	}
	out := make(Props, len(p))
	for k, v := range p {
		out[k] = cloneValue(v)
	}
	return out
}

// cloneValue returns a deep copy of a property value: lists and series
// are copied, other values are immutable.
func cloneValue(v any) any {
	switch x := v.(type) {
	case []string:
		if x != nil {
			x = append(make([]string, 0, len(x)), x...)
		}
		return x
	case Series:
		s := make(Series, len(x))
		for y, f := range x {
			s[y] = f
		}
		return s
	}
	return v
}

// Merge returns old overlaid with upd: properties of upd replace those of
// old, a nil value removes the property, and series merge year by year (a
// NaN value removes that year). Neither argument is modified.
func Merge(old, upd Props) Props {
	var out Props
	if old != nil {
		out = old.Clone()
	} else {
		out = make(Props, len(upd))
	}
	for k, v := range upd {
		switch x := v.(type) {
		case nil:
			delete(out, k)
		case Series:
			s, _ := out[k].(Series)
			if s == nil {
				s = Series{}
			}
			for y, f := range x {
				if math.IsNaN(f) {
					delete(s, y)
				} else {
					s[y] = f
				}
			}
			if len(s) == 0 {
				delete(out, k)
			} else {
				out[k] = s
			}
		default:
			out[k] = cloneValue(v)
		}
	}
	return out
}

// Equal reports whether two property sets hold the same values.
func (p Props) Equal(q Props) bool {
	if len(p) != len(q) {
		return false
	}
	for k, v := range p {
		w, ok := q[k]
		if !ok || !reflect.DeepEqual(v, w) {
			return false
		}
	}
	return true
}

// Active reports whether the edge holds in year (0 means any year): its
// since/until, where known, cover that year.
func (e *Edge) Active(year int) bool {
	if year == 0 {
		return true
	}
	if s, ok := e.Props.Int("since"); ok && int(s) > year {
		return false
	}
	if u, ok := e.Props.Int("until"); ok && int(u) < year {
		return false
	}
	return true
}

// PersonTypes are the relationships of a person (a Talent) with an
// organisation: worked at, founded, studied at. A person who has left an
// organisation, or graduated from a university, stays linked to it: its
// former staff and alumni are part of the network of later years (see
// Links).
var PersonTypes = []RelType{WorksAt, Founded, AlumnusOf}

// Links reports whether e links its ends in the network of year (0 means
// any year): e holds in the year (Active); a person's relationship
// (PersonTypes) also when it began by then and has ended since, as a
// former link (former staff, alumni). A relationship that begins after the
// year never does.
func (e *Edge) Links(year int) bool {
	if e.Active(year) {
		return true
	}
	if !slices.Contains(PersonTypes, e.Type) {
		return false
	}
	s, ok := e.Props.Int("since")
	return !ok || int(s) <= year
}

// Other returns the endpoint of e that is not id.
func (e *Edge) Other(id string) string {
	if e.From == id {
		return e.To
	}
	return e.From
}

// SeriesKey is the flat name of one year of a series property, as stored
// by backends that cannot hold maps: "revenue_2023".
func SeriesKey(prop string, year int) string { return prop + "_" + strconv.Itoa(year) }
