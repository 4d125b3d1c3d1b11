package graph

import (
	"testing"

	"github.com/innograph/innograph/graph/generated"
	"github.com/innograph/innograph/kg"
)

// TestRelFieldsCoverSchema checks the planner's table of relationship
// fields, read from the schema's @rel declarations: every field of a node
// type that returns a RelationConnection (but the generic `relations`) is
// declared with @rel and in it, and nothing else is.
func TestRelFieldsCoverSchema(t *testing.T) {
	s := generated.NewExecutableSchema(generated.Config{}).Schema()
	seen := 0
	for _, k := range kg.Kinds {
		def := s.Types[string(k)]
		if def == nil {
			t.Fatalf("the schema has no type %s", k)
		}
		for _, f := range def.Fields {
			if f.Type.Name() != "RelationConnection" || f.Name == "relations" {
				continue
			}
			seen++
			if _, ok := relFields[k][f.Name]; !ok {
				t.Errorf("%s.%s returns a RelationConnection and is not in relFields", k, f.Name)
			}
		}
	}
	n := 0
	for k, fs := range relFields {
		for name := range fs {
			n++
			if def := s.Types[string(k)]; def == nil || def.Fields.ForName(name) == nil {
				t.Errorf("relFields has %s.%s, which the schema does not", k, name)
			}
		}
	}
	if n != seen {
		t.Errorf("relFields has %d fields, the schema %d", n, seen)
	}
}

// TestFieldProps checks which properties the planner reads for scalar
// fields: the property of the same name, the series of figures, the
// certificate years of highTech, nothing for ids and kinds, and the whole
// node for timestamps and fields it does not know.
func TestFieldProps(t *testing.T) {
	cases := []struct {
		kind  kg.Kind
		field string
		want  []string
		ok    bool
	}{
		{kg.Enterprise, "id", nil, true},
		{kg.Enterprise, "__typename", nil, true},
		{kg.Enterprise, "name", []string{"name"}, true},
		{kg.Enterprise, "creditCode", []string{"creditCode"}, true},
		{kg.Enterprise, "figures", []string{"revenue", "rdInvestment", "rdDeduction", "employees", "aboveScaleByYear"}, true},
		{kg.Enterprise, "highTech", []string{"highTechGranted", "highTechValidUntil"}, true},
		{kg.Makerspace, "figures", []string{"makersServed"}, true},
		{kg.University, "type", []string{"type"}, true},
		{kg.Indicator, "text", []string{"text"}, true},
		{kg.Enterprise, "createdAt", nil, false},
		{kg.Enterprise, "updatedAt", nil, false},
		{kg.Talent, "somethingNew", nil, false},
	}
	for _, c := range cases {
		got, ok := fieldProps(c.kind, c.field)
		if ok != c.ok || len(got) != len(c.want) {
			t.Errorf("fieldProps(%s, %s) = %v, %v; want %v, %v", c.kind, c.field, got, ok, c.want, c.ok)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("fieldProps(%s, %s) = %v, want %v", c.kind, c.field, got, c.want)
				break
			}
		}
	}
}
