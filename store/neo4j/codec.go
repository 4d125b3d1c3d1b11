package neo4j

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	drv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/kg"
)

// Property names a stored node or relationship carries besides those of
// the ontology. Names starting with "_" are derived and never read back.
const (
	propID         = "id"
	propCreatedAt  = "createdAt"
	propUpdatedAt  = "updatedAt"
	propSearch     = "_search"
	propSearchName = "_searchName"
	labelNode      = "Node"
)

// searchSep separates the texts joined in the _search property. A search
// text without it matches the joined text exactly when it matches one of
// the texts.
const searchSep = "\x00"

// quote returns name as a Cypher identifier in backticks. Only names of
// the ontology (kinds, relationship types, property names) are quoted
// into statements; everything else is a parameter.
func quote(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// searchName is the lower-cased name Search ranks by.
func searchName(p kg.Props) string { return strings.ToLower(p.Str("name")) }

// searchText is the lower-cased name, English name and aliases of p
// joined by searchSep: a text of two or more runes without searchSep is
// in it exactly when kg.SearchRank finds it in one of them.
func searchText(p kg.Props) string {
	parts := []string{strings.ToLower(p.Str("name")), strings.ToLower(p.Str("nameEn"))}
	for _, a := range p.Strings("aliases") {
		parts = append(parts, strings.ToLower(a))
	}
	return strings.Join(parts, searchSep)
}

// flatProps returns props as Neo4j properties: series flattened to one
// property per year, lists as lists of strings, the rest as they are.
func flatProps(props kg.Props) map[string]any {
	m := make(map[string]any, len(props)+8)
	for k, v := range props {
		switch x := v.(type) {
		case nil:
		case kg.Series:
			for y, f := range x {
				m[kg.SeriesKey(k, y)] = f
			}
		case []string:
			if x == nil {
				x = []string{}
			}
			m[k] = x
		default:
			m[k] = v
		}
	}
	return m
}

// flatNode returns every stored property of n: its flattened ontology
// properties, id, timestamps and the derived search texts.
func flatNode(n *kg.Node) map[string]any {
	m := flatProps(n.Props)
	m[propID] = n.ID
	m[propCreatedAt] = n.CreatedAt.UTC()
	m[propUpdatedAt] = n.UpdatedAt.UTC()
	m[propSearchName] = searchName(n.Props)
	m[propSearch] = searchText(n.Props)
	return m
}

// flatEdge returns every stored property of e: its ontology properties
// and id.
func flatEdge(e *kg.Edge) map[string]any {
	m := flatProps(e.Props)
	m[propID] = e.ID
	return m
}

// diffProps returns the properties to SET with += to turn old into new:
// the changed and added ones with their values, the removed ones as null.
func diffProps(old, new map[string]any) map[string]any {
	d := map[string]any{}
	for k, v := range new {
		if w, ok := old[k]; !ok || !sameValue(v, w) {
			d[k] = v
		}
	}
	for k := range old {
		if _, ok := new[k]; !ok {
			d[k] = nil
		}
	}
	return d
}

func sameValue(a, b any) bool {
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		return ok && ta.Equal(tb)
	}
	return reflect.DeepEqual(a, b)
}

// kindOf returns the kind among a node's labels.
func kindOf(labels []string) (kg.Kind, bool) {
	for _, l := range labels {
		if l != labelNode && kg.ValidKind(kg.Kind(l)) {
			return kg.Kind(l), true
		}
	}
	return "", false
}

// kindOfValues is kindOf for the labels of node id as a statement returns
// them in a list (labels(n)).
func kindOfValues(id string, labels []any) (kg.Kind, error) {
	for _, l := range labels {
		if s, ok := l.(string); ok && s != labelNode && kg.ValidKind(kg.Kind(s)) {
			return kg.Kind(s), nil
		}
	}
	return "", fmt.Errorf("decoding node %q: no kind among labels %v", id, labels)
}

// decodeNode rebuilds a kg.Node from a Neo4j node: its kind from its
// labels, its properties with the Go types of the ontology (series from
// their flattened years). Properties the ontology does not know are
// skipped.
func decodeNode(n drv.Node) (*kg.Node, error) {
	id, err := drv.GetProperty[string](n, propID)
	if err != nil {
		return nil, fmt.Errorf("decoding node %s: id: %w", n.ElementId, err)
	}
	kind, ok := kindOf(n.Labels)
	if !ok {
		return nil, fmt.Errorf("decoding node %q: no kind among labels %v", id, n.Labels)
	}
	props, err := decodeProps(n.Props, func(name string) (*kg.PropSpec, bool) { return kg.NodePropSpec(kind, name) })
	if err != nil {
		return nil, fmt.Errorf("decoding node %q: %w", id, err)
	}
	out := &kg.Node{ID: id, Kind: kind, Props: props}
	if t, err := drv.GetProperty[time.Time](n, propCreatedAt); err == nil {
		out.CreatedAt = t.UTC()
	}
	if t, err := drv.GetProperty[time.Time](n, propUpdatedAt); err == nil {
		out.UpdatedAt = t.UTC()
	}
	return out, nil
}

// decodeEdge rebuilds a kg.Edge from a relationship and the ids of its
// start and end nodes.
func decodeEdge(r drv.Relationship, from, to string) (*kg.Edge, error) {
	id, err := drv.GetProperty[string](r, propID)
	if err != nil {
		return nil, fmt.Errorf("decoding relationship %s: id: %w", r.ElementId, err)
	}
	t := kg.RelType(r.Type)
	if !kg.ValidRelType(t) {
		return nil, fmt.Errorf("decoding relationship %q: unknown type %q", id, r.Type)
	}
	props, err := decodeProps(r.Props, func(name string) (*kg.PropSpec, bool) { return kg.EdgePropSpec(t, name) })
	if err != nil {
		return nil, fmt.Errorf("decoding relationship %q: %w", id, err)
	}
	return &kg.Edge{ID: id, Type: t, From: from, To: to, Props: props}, nil
}

// decodeProps converts stored properties to normalised kg.Props. Checks,
// bounds and enum values are not applied again: the values were valid
// when written.
func decodeProps(raw map[string]any, specOf func(string) (*kg.PropSpec, bool)) (kg.Props, error) {
	props := kg.Props{}
	for name, v := range raw {
		if v == nil || name == propID || name == propCreatedAt || name == propUpdatedAt || strings.HasPrefix(name, "_") {
			continue
		}
		if spec, ok := specOf(name); ok && spec.Type != kg.SeriesType {
			nv, err := kg.NormalizeValue(loose(spec), v)
			if err != nil {
				return nil, fmt.Errorf("property %q: %w", name, err)
			}
			props[name] = nv
			continue
		}
		prop, year, ok := splitSeriesKey(name, specOf)
		if !ok {
			continue // not of the ontology: left alone
		}
		f, err := kg.NormalizeValue(&kg.PropSpec{Name: name, Type: kg.Float}, v)
		if err != nil {
			return nil, fmt.Errorf("property %q: %w", name, err)
		}
		s, _ := props[prop].(kg.Series)
		if s == nil {
			s = kg.Series{}
			props[prop] = s
		}
		s[year] = f.(float64)
	}
	return props, nil
}

// loose returns spec without its checks, bounds and enum, for decoding
// (see kg.PropSpec.Loose).
func loose(spec *kg.PropSpec) *kg.PropSpec {
	l := spec.Loose()
	return &l
}

// splitSeriesKey splits a flattened series key ("revenue_2023") into the
// series property and the year, if name is one.
func splitSeriesKey(name string, specOf func(string) (*kg.PropSpec, bool)) (string, int, bool) {
	i := strings.LastIndexByte(name, '_')
	if i <= 0 {
		return "", 0, false
	}
	year, err := strconv.Atoi(name[i+1:])
	if err != nil || kg.SeriesKey(name[:i], year) != name {
		return "", 0, false
	}
	spec, ok := specOf(name[:i])
	if !ok || spec.Type != kg.SeriesType {
		return "", 0, false
	}
	return name[:i], year, true
}
