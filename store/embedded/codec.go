package embedded

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/innograph/innograph/kg"
)

// Records are stored in one of two forms, told apart by their first byte:
//
//   - binary (schema version 2, what this program writes): the byte
//     formatBinary, then the fields below, strings as a uvarint length and
//     their bytes, integers as zigzag varints, floats as 8 bytes
//     (little-endian IEEE 754 bits);
//   - JSON (schema version 1): an object, so its first byte is '{'.
//
// A node record, keyed by the node's id, holds its kind, created and
// updated times (Unix nanoseconds, UTC) and its properties. An edge record
// is keyed by a number (8 bytes, big-endian) that the store gives each new
// edge in ascending order, so that a batch of new edges is appended to the
// end of the bucket rather than spread over its pages (edge ids are
// hashes); it holds the edge's id, type, from, to and properties. In a
// version 1 database edge records are keyed by their ids. Properties are a count, then per property its name,
// a value tag (tag* below) and the value. Opening a version 1 database
// rewrites every record in the binary form (see Store.migrate).
const formatBinary = 0x01

// Value tags of the binary form.
const (
	tagString  = 1 // a string: strings and enum values
	tagInt     = 2 // an integer
	tagFloat   = 3 // a number
	tagFalse   = 4 // a boolean
	tagTrue    = 5
	tagStrings = 6 // a count, then strings: lists of strings or enum values
	tagSeries  = 7 // a count, then per year the year (varint) and its value (8 bytes)
)

// nodeRecord is the JSON form of a node (schema version 1). Property
// values are plain JSON; their Go types come back from the ontology when
// the record is decoded (see decodeProps).
type nodeRecord struct {
	Kind    kg.Kind        `json:"kind"`
	Props   map[string]any `json:"props"`
	Created int64          `json:"created"` // Unix nanoseconds, UTC
	Updated int64          `json:"updated"` // Unix nanoseconds, UTC
}

// edgeRecord is the JSON form of an edge (schema version 1).
type edgeRecord struct {
	Type  kg.RelType     `json:"type"`
	From  string         `json:"from"`
	To    string         `json:"to"`
	Props map[string]any `json:"props"`
}

// encodeNode returns the stored form of n.
func encodeNode(n *kg.Node) ([]byte, error) {
	b := make([]byte, 0, 64+propsSize(n.Props))
	b = append(b, formatBinary)
	b = appendString(b, string(n.Kind))
	b = binary.AppendVarint(b, n.CreatedAt.UnixNano())
	b = binary.AppendVarint(b, n.UpdatedAt.UnixNano())
	b, err := appendProps(b, n.Props)
	if err != nil {
		return nil, fmt.Errorf("encoding node %q: %w", n.ID, err)
	}
	return b, nil
}

// encodeEdge returns the stored form of e.
func encodeEdge(e *kg.Edge) ([]byte, error) {
	b := make([]byte, 0, 16+len(e.ID)+len(e.Type)+len(e.From)+len(e.To)+propsSize(e.Props))
	b = append(b, formatBinary)
	b = appendString(b, e.ID)
	b = appendString(b, string(e.Type))
	b = appendString(b, e.From)
	b = appendString(b, e.To)
	b, err := appendProps(b, e.Props)
	if err != nil {
		return nil, fmt.Errorf("encoding edge %q: %w", e.ID, err)
	}
	return b, nil
}

// propsSize estimates the encoded size of p.
func propsSize(p kg.Props) int {
	n := 2
	for k, v := range p {
		n += len(k) + 3
		switch x := v.(type) {
		case string:
			n += len(x) + 2
		case []string:
			for _, s := range x {
				n += len(s) + 2
			}
		case kg.Series:
			n += 11 * len(x)
		default:
			n += 9
		}
	}
	return n
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// appendProps appends the count and the properties of p; nil values are
// left out, as the JSON form left them out on decoding.
func appendProps(b []byte, p kg.Props) ([]byte, error) {
	n := 0
	for _, v := range p {
		if v != nil {
			n++
		}
	}
	b = binary.AppendUvarint(b, uint64(n))
	for name, v := range p {
		if v == nil {
			continue
		}
		b = appendString(b, name)
		switch x := v.(type) {
		case string:
			b = appendString(append(b, tagString), x)
		case int64:
			b = binary.AppendVarint(append(b, tagInt), x)
		case int:
			b = binary.AppendVarint(append(b, tagInt), int64(x))
		case float64:
			b = binary.LittleEndian.AppendUint64(append(b, tagFloat), math.Float64bits(x))
		case bool:
			if x {
				b = append(b, tagTrue)
			} else {
				b = append(b, tagFalse)
			}
		case []string:
			b = binary.AppendUvarint(append(b, tagStrings), uint64(len(x)))
			for _, s := range x {
				b = appendString(b, s)
			}
		case kg.Series:
			b = binary.AppendUvarint(append(b, tagSeries), uint64(len(x)))
			for y, f := range x {
				b = binary.AppendVarint(b, int64(y))
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f))
			}
		default:
			return nil, fmt.Errorf("property %q: cannot store a %T", name, v)
		}
	}
	return b, nil
}

// decodeNode rebuilds the node stored under id.
func decodeNode(id string, data []byte) (*kg.Node, error) {
	if len(data) > 0 && data[0] == '{' {
		return decodeNodeJSON(id, data)
	}
	n, err := decodeNodeBinary(id, data)
	if err != nil {
		return nil, fmt.Errorf("decoding node %q: %w", id, err)
	}
	return n, nil
}

// storedEdge is an edge and the key of its record (0 for a record of the
// JSON form, keyed by the edge's id).
type storedEdge struct {
	e   *kg.Edge
	key uint64
}

// decodeEdge rebuilds the edge stored under key.
func decodeEdge(key, data []byte) (storedEdge, error) {
	if len(data) > 0 && data[0] == '{' {
		e, err := decodeEdgeJSON(string(key), data)
		return storedEdge{e: e}, err
	}
	if len(key) != 8 {
		return storedEdge{}, fmt.Errorf("decoding edge record %q: the key is not a record number", key)
	}
	seq := binary.BigEndian.Uint64(key)
	e, err := decodeEdgeBinary(data)
	if err != nil {
		return storedEdge{}, fmt.Errorf("decoding edge record %d: %w", seq, err)
	}
	return storedEdge{e: e, key: seq}, nil
}

var errShort = errors.New("record ends early")

// reader reads the binary form. Its strings are substrings of one copy of
// the record, so that a record costs one allocation for all its text and
// the garbage collector has no pointers to follow into it.
type reader struct {
	s   string
	off int
	err error
}

func newReader(data []byte) (*reader, error) {
	if len(data) == 0 || data[0] != formatBinary {
		return nil, errors.New("unknown record format")
	}
	return &reader{s: string(data), off: 1}, nil
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	var x uint64
	var shift uint
	for i := 0; r.off+i < len(r.s); i++ {
		c := r.s[r.off+i]
		if i == binary.MaxVarintLen64 {
			break
		}
		if c < 0x80 {
			r.off += i + 1
			return x | uint64(c)<<shift
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	r.err = errShort
	return 0
}

func (r *reader) varint() int64 {
	ux := r.uvarint()
	x := int64(ux >> 1)
	if ux&1 != 0 {
		x = ^x
	}
	return x
}

func (r *reader) byte() byte {
	if r.err != nil || r.off >= len(r.s) {
		r.err = errShort
		return 0
	}
	c := r.s[r.off]
	r.off++
	return c
}

func (r *reader) float() float64 {
	if r.err != nil || r.off+8 > len(r.s) {
		r.err = errShort
		return 0
	}
	var bits uint64
	for i := 7; i >= 0; i-- {
		bits = bits<<8 | uint64(r.s[r.off+i])
	}
	r.off += 8
	return math.Float64frombits(bits)
}

func (r *reader) string() string {
	n := r.uvarint()
	if r.err != nil || n > uint64(len(r.s)-r.off) {
		r.err = errShort
		return ""
	}
	s := r.s[r.off : r.off+int(n)]
	r.off += int(n)
	return s
}

// count reads a count of items of at least min bytes each, refusing
// counts the rest of the record cannot hold.
func (r *reader) count(min int) int {
	n := r.uvarint()
	if r.err == nil && n > uint64((len(r.s)-r.off)/min) {
		r.err = errShort
	}
	if r.err != nil {
		return 0
	}
	return int(n)
}

func (r *reader) end() error {
	if r.err == nil && r.off != len(r.s) {
		r.err = fmt.Errorf("%d bytes after the record", len(r.s)-r.off)
	}
	return r.err
}

func decodeNodeBinary(id string, data []byte) (*kg.Node, error) {
	r, err := newReader(data)
	if err != nil {
		return nil, err
	}
	name := r.string()
	kind, ok := kinds()[name]
	if r.err == nil && !ok {
		return nil, fmt.Errorf("unknown kind %q", name)
	}
	created, updated := r.varint(), r.varint()
	props, err := r.props(nodeSpecs()[kind])
	if err != nil {
		return nil, err
	}
	if err := r.end(); err != nil {
		return nil, err
	}
	return &kg.Node{
		ID:        id,
		Kind:      kind,
		Props:     props,
		CreatedAt: time.Unix(0, created).UTC(),
		UpdatedAt: time.Unix(0, updated).UTC(),
	}, nil
}

func decodeEdgeBinary(data []byte) (*kg.Edge, error) {
	r, err := newReader(data)
	if err != nil {
		return nil, err
	}
	id := r.string()
	name := r.string()
	t, ok := relTypes()[name]
	if r.err == nil && !ok {
		return nil, fmt.Errorf("unknown relationship type %q", name)
	}
	from, to := r.string(), r.string()
	props, err := r.props(edgeSpecs()[t])
	if err != nil {
		return nil, fmt.Errorf("edge %q: %w", id, err)
	}
	if err := r.end(); err != nil {
		return nil, fmt.Errorf("edge %q: %w", id, err)
	}
	return &kg.Edge{ID: id, Type: t, From: from, To: to, Props: props}, nil
}

// props reads the properties of a record whose property specs are specs.
// Each value's tag must fit its spec's type; names are the specs' own
// strings, shared by every record.
func (r *reader) props(specs map[string]*kg.PropSpec) (kg.Props, error) {
	n := r.count(2)
	props := make(kg.Props, n)
	for range n {
		name := r.string()
		tag := r.byte()
		if r.err != nil {
			return nil, r.err
		}
		spec, ok := specs[name]
		if !ok {
			return nil, fmt.Errorf("unknown property %q", name)
		}
		var v any
		switch tag {
		case tagString:
			v = r.string()
		case tagInt:
			v = r.varint()
		case tagFloat:
			v = r.float()
		case tagFalse:
			v = false
		case tagTrue:
			v = true
		case tagStrings:
			ss := make([]string, r.count(1))
			for i := range ss {
				ss[i] = r.string()
			}
			v = ss
		case tagSeries:
			c := r.count(9)
			s := make(kg.Series, c)
			for range c {
				y := r.varint()
				s[int(y)] = r.float()
			}
			v = s
		default:
			return nil, fmt.Errorf("property %q: unknown value tag %d", name, tag)
		}
		if r.err != nil {
			return nil, r.err
		}
		if !tagFits(spec.Type, tag) {
			return nil, fmt.Errorf("property %q: a value of tag %d is not a %v", name, tag, spec.Type)
		}
		props[spec.Name] = v
	}
	return props, nil
}

// tagFits reports whether a value of tag is of the Go type that
// normalised values of type t have.
func tagFits(t kg.PropType, tag byte) bool {
	switch t {
	case kg.String, kg.EnumType:
		return tag == tagString
	case kg.Int:
		return tag == tagInt
	case kg.Float:
		return tag == tagFloat
	case kg.Bool:
		return tag == tagFalse || tag == tagTrue
	case kg.Strings, kg.Enums:
		return tag == tagStrings
	case kg.SeriesType:
		return tag == tagSeries
	}
	return false
}

// Lookup tables of the ontology, built once: kinds and relationship types
// by name (so that decoded records share these strings), and the property
// specs of each.
var (
	kinds = sync.OnceValue(func() map[string]kg.Kind {
		m := map[string]kg.Kind{}
		for _, k := range kg.Kinds {
			m[string(k)] = k
		}
		return m
	})
	relTypes = sync.OnceValue(func() map[string]kg.RelType {
		m := map[string]kg.RelType{}
		for _, t := range kg.RelTypes {
			m[string(t)] = t
		}
		return m
	})
	nodeSpecs = sync.OnceValue(func() map[kg.Kind]map[string]*kg.PropSpec {
		m := map[kg.Kind]map[string]*kg.PropSpec{}
		for _, k := range kg.Kinds {
			specs := map[string]*kg.PropSpec{}
			for i := range kg.CommonNodeProps {
				specs[kg.CommonNodeProps[i].Name] = &kg.CommonNodeProps[i]
			}
			for _, p := range kg.NodeProps(k) {
				if spec, ok := kg.NodePropSpec(k, p.Name); ok {
					specs[p.Name] = spec
				}
			}
			m[k] = specs
		}
		return m
	})
	edgeSpecs = sync.OnceValue(func() map[kg.RelType]map[string]*kg.PropSpec {
		m := map[kg.RelType]map[string]*kg.PropSpec{}
		for _, t := range kg.RelTypes {
			specs := map[string]*kg.PropSpec{}
			for i := range kg.CommonEdgeProps {
				specs[kg.CommonEdgeProps[i].Name] = &kg.CommonEdgeProps[i]
			}
			if rs, ok := kg.RelSpecs[t]; ok {
				for i := range rs.Props {
					specs[rs.Props[i].Name] = &rs.Props[i]
				}
			}
			m[t] = specs
		}
		return m
	})
)

// decodeNodeJSON rebuilds a node stored in the JSON form.
func decodeNodeJSON(id string, data []byte) (*kg.Node, error) {
	var r nodeRecord
	if err := unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("decoding node %q: %w", id, err)
	}
	if !kg.ValidKind(r.Kind) {
		return nil, fmt.Errorf("decoding node %q: unknown kind %q", id, r.Kind)
	}
	props, err := decodeProps(r.Props, func(name string) (*kg.PropSpec, bool) { return kg.NodePropSpec(r.Kind, name) })
	if err != nil {
		return nil, fmt.Errorf("decoding node %q: %w", id, err)
	}
	return &kg.Node{
		ID:        id,
		Kind:      r.Kind,
		Props:     props,
		CreatedAt: time.Unix(0, r.Created).UTC(),
		UpdatedAt: time.Unix(0, r.Updated).UTC(),
	}, nil
}

// decodeEdgeJSON rebuilds an edge stored in the JSON form.
func decodeEdgeJSON(id string, data []byte) (*kg.Edge, error) {
	var r edgeRecord
	if err := unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("decoding edge %q: %w", id, err)
	}
	if !kg.ValidRelType(r.Type) {
		return nil, fmt.Errorf("decoding edge %q: unknown relationship type %q", id, r.Type)
	}
	props, err := decodeProps(r.Props, func(name string) (*kg.PropSpec, bool) { return kg.EdgePropSpec(r.Type, name) })
	if err != nil {
		return nil, fmt.Errorf("decoding edge %q: %w", id, err)
	}
	return &kg.Edge{ID: id, Type: r.Type, From: r.From, To: r.To, Props: props}, nil
}

func unmarshal(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	return d.Decode(v)
}

// decodeProps converts decoded JSON values back to the normalised Go types
// of their specs (int64 from json.Number, Series from an object of years,
// []string from an array). Checks, bounds and enum values are not applied
// again: the values were valid when written.
func decodeProps(raw map[string]any, specOf func(string) (*kg.PropSpec, bool)) (kg.Props, error) {
	props := make(kg.Props, len(raw))
	for name, v := range raw {
		spec, ok := specOf(name)
		if !ok {
			return nil, fmt.Errorf("unknown property %q", name)
		}
		if v == nil {
			continue
		}
		loose := spec.Loose()
		nv, err := kg.NormalizeValue(&loose, v)
		if err != nil {
			return nil, fmt.Errorf("property %q: %w", name, err)
		}
		props[name] = nv
	}
	return props, nil
}

// encodeNodeJSON returns the JSON form of n (schema version 1), which
// this program reads but no longer writes; tests write it to make
// databases of that version.
func encodeNodeJSON(n *kg.Node) ([]byte, error) {
	return json.Marshal(nodeRecord{Kind: n.Kind, Props: n.Props, Created: n.CreatedAt.UnixNano(), Updated: n.UpdatedAt.UnixNano()})
}

// encodeEdgeJSON returns the JSON form of e (schema version 1).
func encodeEdgeJSON(e *kg.Edge) ([]byte, error) {
	return json.Marshal(edgeRecord{Type: e.Type, From: e.From, To: e.To, Props: e.Props})
}
