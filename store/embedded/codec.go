package embedded

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/innograph/innograph/kg"
)

// nodeRecord is the stored form of a node, keyed by its id. Property
// values are plain JSON; their Go types come back from the ontology when
// the record is decoded (see decodeProps).
type nodeRecord struct {
	Kind    kg.Kind        `json:"kind"`
	Props   map[string]any `json:"props"`
	Created int64          `json:"created"` // Unix nanoseconds, UTC
	Updated int64          `json:"updated"` // Unix nanoseconds, UTC
}

// edgeRecord is the stored form of an edge, keyed by its id.
type edgeRecord struct {
	Type  kg.RelType     `json:"type"`
	From  string         `json:"from"`
	To    string         `json:"to"`
	Props map[string]any `json:"props"`
}

// encodeNode returns the stored form of n.
func encodeNode(n *kg.Node) ([]byte, error) {
	b, err := json.Marshal(nodeRecord{
		Kind:    n.Kind,
		Props:   n.Props,
		Created: n.CreatedAt.UnixNano(),
		Updated: n.UpdatedAt.UnixNano(),
	})
	if err != nil {
		return nil, fmt.Errorf("encoding node %q: %w", n.ID, err)
	}
	return b, nil
}

// encodeEdge returns the stored form of e.
func encodeEdge(e *kg.Edge) ([]byte, error) {
	b, err := json.Marshal(edgeRecord{Type: e.Type, From: e.From, To: e.To, Props: e.Props})
	if err != nil {
		return nil, fmt.Errorf("encoding edge %q: %w", e.ID, err)
	}
	return b, nil
}

// decodeNode rebuilds the node stored under id.
func decodeNode(id string, data []byte) (*kg.Node, error) {
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

// decodeEdge rebuilds the edge stored under id.
func decodeEdge(id string, data []byte) (*kg.Edge, error) {
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
		loose := *spec
		loose.Check, loose.Min, loose.Max = nil, 0, 0
		switch loose.Type {
		case kg.EnumType:
			loose.Type, loose.Enum = kg.String, nil
		case kg.Enums:
			loose.Type, loose.Enum = kg.Strings, nil
		}
		nv, err := kg.NormalizeValue(&loose, v)
		if err != nil {
			return nil, fmt.Errorf("property %q: %w", name, err)
		}
		props[name] = nv
	}
	return props, nil
}
