package graph

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/innograph/innograph/graph/generated"
	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/kg"
)

// filterTypes are the Go types of the filter inputs of the root lists.
var filterTypes = map[string]func() any{
	"NodeFilter":          func() any { return new(model.NodeFilter) },
	"EnterpriseFilter":    func() any { return new(model.EnterpriseFilter) },
	"CarrierFilter":       func() any { return new(model.CarrierFilter) },
	"TalentFilter":        func() any { return new(model.TalentFilter) },
	"UniversityFilter":    func() any { return new(model.UniversityFilter) },
	"ServiceAgencyFilter": func() any { return new(model.ServiceAgencyFilter) },
	"PolicyFilter":        func() any { return new(model.PolicyFilter) },
	"IndustryFilter":      func() any { return new(model.IndustryFilter) },
}

// notProperties are filter fields that are not conditions on a property
// of the listed node (where turns them into something else).
var notProperties = map[string]bool{"EnterpriseFilter.incubated": true}

// TestEveryFilterFieldIsACondition reads the root lists of the schema
// (Query fields with a `filter` argument returning a kind's connection)
// and sets each field of each one's filter input alone: conditions must
// turn it into at least one condition that the store accepts for the
// kind. A filter field added to the schema without its condition fails
// here.
func TestEveryFilterFieldIsACondition(t *testing.T) {
	s := generated.NewExecutableSchema(generated.Config{}).Schema()
	lists := 0
	for _, f := range s.Query.Fields {
		arg := f.Arguments.ForName("filter")
		kind := kg.Kind(strings.TrimSuffix(f.Type.Name(), "Connection"))
		if arg == nil || !kg.ValidKind(kind) {
			continue
		}
		lists++
		input := s.Types[arg.Type.Name()]
		newFilter := filterTypes[input.Name]
		if newFilter == nil {
			t.Errorf("%s: no Go type for filter input %s in filterTypes", f.Name, input.Name)
			continue
		}
		for _, field := range input.Fields {
			name := input.Name + "." + field.Name
			if notProperties[name] {
				continue
			}
			t.Run(f.Name+"/"+field.Name, func(t *testing.T) {
				raw, err := json.Marshal(map[string]any{field.Name: sample(t, s, field.Type)})
				if err != nil {
					t.Fatal(err)
				}
				filter := newFilter()
				if err := json.Unmarshal(raw, filter); err != nil {
					t.Fatalf("%s: %v", raw, err)
				}
				where, err := conditions(kind, filter)
				if err != nil {
					t.Fatalf("%s: %v", raw, err)
				}
				if len(where) == 0 {
					t.Fatalf("%s: no condition: conditions does not map %s", raw, name)
				}
				q := kg.NodeQuery{Kind: kind, Where: where, First: 1}
				if err := kg.ValidateNodeQuery(&q); err != nil {
					t.Errorf("%s: the store refuses its conditions %+v: %v", raw, where, err)
				}
			})
		}
	}
	if lists != len(kg.Kinds) {
		t.Errorf("found %d root lists with a filter, want one per kind (%d)", lists, len(kg.Kinds))
	}
}

// sample is a value of a GraphQL input type that a filter field passes
// to a condition: a name, a year, true, an enum's first value, a list of
// one, an object with every field.
func sample(t *testing.T, s *ast.Schema, typ *ast.Type) any {
	if typ.Elem != nil {
		return []any{sample(t, s, typ.Elem)}
	}
	def := s.Types[typ.Name()]
	switch {
	case def.Kind == ast.Enum:
		return def.EnumValues[0].Name
	case def.Kind == ast.InputObject:
		obj := map[string]any{}
		for _, f := range def.Fields {
			obj[f.Name] = sample(t, s, f.Type)
		}
		return obj
	}
	switch typ.Name() {
	case "ID", "String":
		return "x"
	case "Int":
		return 2020
	case "Float":
		return 1.5
	case "Boolean":
		return true
	}
	t.Fatalf("no sample value of %s", typ.Name())
	return nil
}
