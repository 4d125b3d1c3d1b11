package server

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// nullVariables refuses an operation that passes null through a variable
// to an argument or input field of a non-null type. An argument with a
// default is non-null (`first: Int! = 20`): a nullable variable may stand
// in it and, left out of the variables, takes the default; set to null,
// it is refused here with the argument, its type and its default named,
// where gqlgen would read it as the type's zero value. A literal null is
// refused by validation already.
type nullVariables struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = nullVariables{}

func (nullVariables) ExtensionName() string                   { return "NullVariables" }
func (nullVariables) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext walks the operation, its fragments included,
// when a variable is null.
func (nullVariables) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil || !hasNull(oc.Variables) {
		return nil
	}
	w := nullWalk{vars: oc.Variables, seen: map[string]bool{}}
	w.selections(oc.Operation.SelectionSet)
	return w.err
}

func hasNull(vars map[string]any) bool {
	for _, v := range vars {
		if v == nil {
			return true
		}
	}
	return false
}

// nullWalk finds the first null variable in a non-null position.
type nullWalk struct {
	vars map[string]any
	seen map[string]bool
	err  *gqlerror.Error
}

func (w *nullWalk) selections(ss ast.SelectionSet) {
	for _, s := range ss {
		if w.err != nil {
			return
		}
		switch s := s.(type) {
		case *ast.Field:
			if s.Definition != nil && s.ObjectDefinition != nil {
				for _, a := range s.Arguments {
					if def := s.Definition.Arguments.ForName(a.Name); def != nil {
						where := fmt.Sprintf("argument %q of %s.%s", a.Name, s.ObjectDefinition.Name, s.Name)
						w.value(a.Value, where, def.Type, def.DefaultValue)
					}
				}
			}
			w.selections(s.SelectionSet)
		case *ast.InlineFragment:
			w.selections(s.SelectionSet)
		case *ast.FragmentSpread:
			if s.Definition != nil && !w.seen[s.Name] {
				w.seen[s.Name] = true
				w.selections(s.Definition.SelectionSet)
			}
		}
	}
}

// value checks v, given to the argument or input field where of type typ
// with default def (nil: none), and the values inside it.
func (w *nullWalk) value(v *ast.Value, where string, typ *ast.Type, def *ast.Value) {
	if v == nil || w.err != nil {
		return
	}
	switch v.Kind {
	case ast.Variable:
		if val, given := w.vars[v.Raw]; given && val == nil && typ != nil && typ.NonNull {
			w.err = nullError(v, where, typ, def)
		}
	case ast.ListValue:
		for _, c := range v.Children {
			w.value(c.Value, where, elem(typ), nil)
		}
	case ast.ObjectValue:
		if v.Definition == nil {
			return
		}
		for _, c := range v.Children {
			if f := v.Definition.Fields.ForName(c.Name); f != nil {
				w.value(c.Value, fmt.Sprintf("field %q of %s", c.Name, v.Definition.Name), f.Type, f.DefaultValue)
			}
		}
	}
}

// elem is the element type of list type t (nil when t is not a list).
func elem(t *ast.Type) *ast.Type {
	if t == nil {
		return nil
	}
	return t.Elem
}

// nullError says which variable is null where, and what to do instead.
func nullError(v *ast.Value, where string, typ *ast.Type, def *ast.Value) *gqlerror.Error {
	var err *gqlerror.Error
	if def != nil {
		err = gqlerror.ErrorPosf(v.Position, "variable $%s is null, but %s is %s with default %s: leave the variable out to take the default", v.Raw, where, typ, def)
	} else {
		err = gqlerror.ErrorPosf(v.Position, "variable $%s is null, but %s is %s", v.Raw, where, typ)
	}
	err.Path = ast.Path{ast.PathName("variable"), ast.PathName(v.Raw)}
	errcode.Set(err, errcode.ValidationFailed)
	return err
}
