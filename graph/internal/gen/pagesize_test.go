package main

import (
	"strings"
	"testing"

	"github.com/99designs/gqlgen/codegen"
	"github.com/vektah/gqlparser/v2/ast"
)

// TestPageSizeRefusesNull: the generator takes a field's `first` only as
// `Int!` with a default, so that resolvers and complexities receive the
// page size itself; a nullable one, or one without a default, is refused
// with the field named.
func TestPageSizeRefusesNull(t *testing.T) {
	twenty := &ast.Value{Kind: ast.IntValue, Raw: "20"}
	for _, tc := range []struct {
		name string
		typ  *ast.Type
		def  *ast.Value
		ok   bool
	}{
		{"Int! = 20", ast.NonNullNamedType("Int", nil), twenty, true},
		{"Int = 20", ast.NamedType("Int", nil), twenty, false},
		{"Int!", ast.NonNullNamedType("Int", nil), nil, false},
		{"Int", ast.NamedType("Int", nil), nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &codegen.FieldArgument{ArgumentDefinition: &ast.ArgumentDefinition{Name: "first", Type: tc.typ, DefaultValue: tc.def}}
			err := pageSize("Enterprise.suppliers", a)
			if (err == nil) != tc.ok {
				t.Fatalf("error %v, want ok %v", err, tc.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "Enterprise.suppliers") {
				t.Errorf("%v does not name the field", err)
			}
		})
	}
}
