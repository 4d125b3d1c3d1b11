package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/innograph/innograph/kg"
)

// Column names with a meaning of their own, which imports read and CSV
// exports write. Every other column is a property of the ontology, under
// the name the GraphQL schema gives it; a yearly figure is either one
// column per year ("revenue.2023") or one column holding a JSON object of
// years ({"2023": 1.2e7}).
const (
	ColumnID   = "id"
	ColumnKind = "kind"
	ColumnType = "type"
	ColumnFrom = "from"
	ColumnTo   = "to"
)

// ignoredColumns are read-only fields of the schema that exports of other
// tools may carry: an import skips them.
var ignoredColumns = map[string]bool{"createdAt": true, "updatedAt": true}

// levelNames are Chinese names of the Level enum's values.
var levelNames = map[string]string{
	"国家级": "NATIONAL", "国家": "NATIONAL", "省级": "PROVINCIAL", "省": "PROVINCIAL",
	"市级": "MUNICIPAL", "市": "MUNICIPAL", "区级": "DISTRICT", "区": "DISTRICT",
}

// item is what a record becomes: a node or an edge (whose id, when not
// empty, came from the record; else kg.EdgeID gives it).
type item struct {
	node *kg.Node
	edge *kg.Edge
}

// cellProblem is a problem with one field of a record.
type cellProblem struct {
	field   field
	message string
}

// isEdgeRecord tells whether a record of t is a relationship: the table
// is one of a relationship type (and not of a kind), or the record has
// from or to.
func isEdgeRecord(t *table, rec *record) bool {
	switch {
	case t.typ != "" && t.kind == "":
		return true
	case t.kind != "" && t.typ == "":
		return false
	}
	_, from := rec.get(ColumnFrom)
	_, to := rec.get(ColumnTo)
	return from || to
}

// convert turns a record of t into a node or an edge with raw property
// values for kg to normalise, or reports the fields it cannot use.
// source, if not empty, is given to a record without a source.
func convert(t *table, rec *record, source string) (item, []cellProblem) {
	var probs []cellProblem
	bad := func(f field, format string, args ...any) {
		probs = append(probs, cellProblem{f, fmt.Sprintf(format, args...)})
	}
	str := func(f field) string {
		switch v := f.val.(type) {
		case string:
			return v
		case json.Number:
			return v.String()
		}
		bad(f, "want a string, got %s", jsonType(f.val))
		return ""
	}
	props := kg.Props{}
	series := map[string]map[string]any{}
	// finish adds the collected years of each series and the source.
	finish := func() {
		for name, years := range series {
			props[name] = years
		}
		if _, ok := props["source"]; !ok && source != "" {
			props["source"] = source
		}
	}
	if isEdgeRecord(t, rec) {
		e := &kg.Edge{Type: t.typ, Props: props}
		if f, ok := rec.get(ColumnType); ok {
			if rt, ok := ParseRelType(str(f)); ok {
				e.Type = rt
			} else {
				bad(f, "unknown relationship type %q", f.val)
			}
		}
		if e.Type == "" {
			probs = append(probs, cellProblem{field{col: -1, name: ColumnType}, "no relationship type: give a type column, --type, or name the file or sheet after the type"})
		}
		for _, f := range rec.fields {
			switch f.name {
			case ColumnType:
			case ColumnID:
				e.ID = str(f)
			case ColumnFrom:
				e.From = str(f)
			case ColumnTo:
				e.To = str(f)
			default:
				if e.Type != "" {
					putProp(f, func(name string) (*kg.PropSpec, bool) { return kg.EdgePropSpec(e.Type, name) }, props, series, bad)
				}
			}
		}
		finish()
		return item{edge: e}, probs
	}
	n := &kg.Node{Kind: t.kind, Props: props}
	if f, ok := rec.get(ColumnKind); ok {
		if k, ok := ParseKind(str(f)); ok {
			n.Kind = k
		} else {
			bad(f, "unknown kind %q", f.val)
		}
	}
	if n.Kind == "" {
		probs = append(probs, cellProblem{field{col: -1, name: ColumnKind}, "no kind: give a kind column, --kind, or name the file or sheet after the kind"})
	}
	for _, f := range rec.fields {
		switch f.name {
		case ColumnKind:
		case ColumnID:
			n.ID = str(f)
		default:
			if n.Kind != "" {
				putProp(f, func(name string) (*kg.PropSpec, bool) { return kg.NodePropSpec(n.Kind, name) }, props, series, bad)
			}
		}
	}
	finish()
	return item{node: n}, probs
}

// putProp puts the value of field f into props (or, for one year of a
// series, into series), converting cell text to what kg.NormalizeValue
// takes: lists split, series decoded.
func putProp(f field, specOf func(string) (*kg.PropSpec, bool), props kg.Props, series map[string]map[string]any, bad func(field, string, ...any)) {
	if ignoredColumns[f.name] {
		return
	}
	if f.name == "" {
		bad(f, "a value in a column without a name")
		return
	}
	spec, ok := specOf(f.name)
	if !ok {
		// One year of a series: "revenue.2023".
		if base, year, found := strings.Cut(f.name, "."); found {
			if s, ok := specOf(base); ok && s.Type == kg.SeriesType {
				if _, err := strconv.Atoi(year); err != nil {
					bad(f, "%q is not a year", year)
					return
				}
				if series[base] == nil {
					series[base] = map[string]any{}
				}
				series[base][year] = numberText(f.val)
				return
			}
		}
		// Unknown: kg names it (unknown property of the kind or type).
		props[f.name] = f.val
		return
	}
	text, isText := f.val.(string)
	switch spec.Type {
	case kg.Strings, kg.Enums:
		if !isText {
			props[f.name] = f.val
			return
		}
		var list []any
		if strings.HasPrefix(text, "[") {
			if err := json.Unmarshal([]byte(text), &list); err != nil {
				bad(f, "not a JSON list: %v", err)
				return
			}
		} else {
			for _, p := range strings.FieldsFunc(text, func(r rune) bool { return r == ';' || r == '；' || r == '|' }) {
				if p = strings.TrimSpace(p); p != "" {
					if spec.Type == kg.Enums {
						p = enumText(p)
					}
					list = append(list, p)
				}
			}
		}
		props[f.name] = list
	case kg.SeriesType:
		if !isText {
			props[f.name] = f.val
			return
		}
		var m map[string]any
		d := json.NewDecoder(bytes.NewReader([]byte(text)))
		d.UseNumber()
		if err := d.Decode(&m); err != nil {
			bad(f, "a yearly figure wants a JSON object of years such as {\"2023\": 1200000}, or one column per year (%s.2023): %v", f.name, err)
			return
		}
		if series[f.name] == nil {
			series[f.name] = map[string]any{}
		}
		for y, v := range m {
			series[f.name][y] = v
		}
	case kg.EnumType:
		if isText {
			props[f.name] = enumText(text)
		} else {
			props[f.name] = f.val
		}
	case kg.Int, kg.Float:
		props[f.name] = numberText(f.val)
	case kg.String:
		if n, ok := f.val.(json.Number); ok {
			props[f.name] = n.String()
		} else {
			props[f.name] = f.val
		}
	default:
		props[f.name] = f.val
	}
}

// separators are the thousands separators numberText drops.
var separators = strings.NewReplacer(",", "", "，", "", " ", "")

// numberText returns a numeric cell without thousands separators.
func numberText(v any) any {
	if s, ok := v.(string); ok && strings.ContainsAny(s, ", ，") {
		return separators.Replace(s)
	}
	return v
}

// enumText returns an enum cell in the enum's spelling: upper case, with
// the Chinese level names translated.
func enumText(s string) string {
	if v, ok := levelNames[s]; ok {
		return v
	}
	return strings.ToUpper(strings.TrimSpace(s))
}

func jsonType(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	}
	return fmt.Sprintf("%T", v)
}

// defaultSource is the source given to the records of a file that carry
// none: the file's name.
func defaultSource(path string) string { return filepath.Base(path) }
