package server

import (
	"context"
	"fmt"
	"reflect"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/graph/generated"
)

// depthLimit refuses operations whose selections nest deeper than max.
type depthLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (d depthLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if depth := selectionDepth(oc.Operation.SelectionSet, 0); depth > d.max {
		err := gqlerror.Errorf("query depth %d exceeds the limit of %d", depth, d.max)
		err.Extensions = map[string]any{"code": "QUERY_TOO_DEEP"}
		return err
	}
	return nil
}

// selectionDepth is the deepest level of fields in ss (fragments inlined;
// a fragment cycle is rejected by validation before this runs).
func selectionDepth(ss ast.SelectionSet, level int) int {
	deepest := level
	for _, s := range ss {
		var d int
		switch s := s.(type) {
		case *ast.Field:
			if len(s.SelectionSet) == 0 {
				d = level + 1
			} else {
				d = selectionDepth(s.SelectionSet, level+1)
			}
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet, level)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				d = selectionDepth(s.Definition.SelectionSet, level)
			}
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// setComplexity makes every field with a `first` argument cost its
// children times the page size (graph.DefaultFirst when not given), so
// that the complexity limit bounds how many objects a query can return.
// It finds those fields by their signature: the first *int argument after
// childComplexity that is named first in the schema.
func setComplexity(c *generated.ComplexityRoot, schema *ast.Schema) {
	root := reflect.ValueOf(c).Elem()
	for i := 0; i < root.NumField(); i++ {
		typ := root.Type().Field(i).Name
		def := schema.Types[typ]
		if def == nil {
			continue
		}
		fields := root.Field(i)
		for j := 0; j < fields.NumField(); j++ {
			fv := fields.Field(j)
			fd := findField(def, fields.Type().Field(j).Name)
			if fd == nil || fv.Kind() != reflect.Func {
				continue
			}
			pos := -1
			for k, a := range fd.Arguments {
				if a.Name == "first" {
					pos = k + 1 // after childComplexity
				}
			}
			if pos < 0 || pos >= fv.Type().NumIn() {
				continue
			}
			fv.Set(reflect.MakeFunc(fv.Type(), func(args []reflect.Value) []reflect.Value {
				n := graph.DefaultFirst
				if p := args[pos]; !p.IsNil() {
					n = max(int(p.Elem().Int()), 1)
				}
				return []reflect.Value{reflect.ValueOf(int(args[0].Int())*n + 1)}
			}))
		}
	}
}

// findField finds the schema field whose Go name (upper camel) is goName.
func findField(def *ast.Definition, goName string) *ast.FieldDefinition {
	for _, f := range def.Fields {
		if len(f.Name) > 0 && fmt.Sprintf("%c%s", f.Name[0]-'a'+'A', f.Name[1:]) == goName {
			return f
		}
	}
	return nil
}
