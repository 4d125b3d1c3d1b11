package graph

import (
	"fmt"
	"slices"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/innograph/innograph/graph/generated"
	"github.com/innograph/innograph/kg"
)

// RelField is a typed relationship field as the schema declares it with
// @rel(types:, direction:): the one declaration its resolver (written by
// graph/internal/gen), the planner and the cross-backend suite follow.
type RelField struct {
	// Kind is the node type that has the field.
	Kind kg.Kind
	// Name is the field's name.
	Name string
	// Types are the relationship types it follows.
	Types []kg.RelType
	// Direction is the side of them its node stands on.
	Direction kg.Direction
	// Args are the names of its arguments, in schema order.
	Args []string
}

// relSpec is what a typed relationship field follows.
type relSpec struct {
	types []kg.RelType
	dir   kg.Direction
}

// relFieldList and relFields are the typed relationship fields of the
// schema, in the order of kg.Kinds and of the schema, and by kind and
// name for the planner.
var relFieldList, relFields = readRelFields(generated.NewExecutableSchema(generated.Config{}).Schema())

// RelFields returns every typed relationship field of the schema, by kind
// in the order of kg.Kinds, then in schema order.
func RelFields() []RelField {
	out := slices.Clone(relFieldList)
	for i := range out {
		out[i].Types = slices.Clone(out[i].Types)
		out[i].Args = slices.Clone(out[i].Args)
	}
	return out
}

// readRelFields reads the @rel fields of schema s. The generator refuses a
// schema whose @rel names what kg does not define; readRelFields panics on
// one, which only a schema edited after generation can hold.
func readRelFields(s *ast.Schema) ([]RelField, map[kg.Kind]map[string]relSpec) {
	var list []RelField
	byKind := map[kg.Kind]map[string]relSpec{}
	for _, def := range s.Types {
		for _, f := range def.Fields {
			if f.Directives.ForName("rel") != nil && !kg.ValidKind(kg.Kind(def.Name)) {
				panic(fmt.Sprintf("schema: %s.%s has @rel, and %s is not a node kind", def.Name, f.Name, def.Name))
			}
		}
	}
	for _, k := range kg.Kinds {
		def := s.Types[string(k)]
		if def == nil {
			continue
		}
		for _, f := range def.Fields {
			d := f.Directives.ForName("rel")
			if d == nil {
				continue
			}
			rf := RelField{Kind: k, Name: f.Name}
			if a := d.Arguments.ForName("types"); a != nil && a.Value != nil {
				for _, c := range a.Value.Children {
					rf.Types = append(rf.Types, kg.RelType(c.Value.Raw))
				}
			}
			if a := d.Arguments.ForName("direction"); a != nil && a.Value != nil {
				rf.Direction = kg.Direction(a.Value.Raw)
			}
			if err := kg.ValidateNeighborQuery(&kg.NeighborQuery{Types: rf.Types, Direction: rf.Direction}); err != nil || len(rf.Types) == 0 {
				panic(fmt.Sprintf("schema: %s.%s: @rel(types: %v, direction: %s) is not a valid relationship field: %v", k, f.Name, rf.Types, rf.Direction, err))
			}
			for _, a := range f.Arguments {
				rf.Args = append(rf.Args, a.Name)
			}
			list = append(list, rf)
			if byKind[k] == nil {
				byKind[k] = map[string]relSpec{}
			}
			byKind[k][f.Name] = relSpec{types: rf.Types, dir: rf.Direction}
		}
	}
	return list, byKind
}
