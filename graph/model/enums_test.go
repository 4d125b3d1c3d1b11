package model_test

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"testing"

	"github.com/innograph/innograph/graph/generated"
	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/kg"
)

// TestOntologyEnums checks the GraphQL enums NodeKind and RelationType
// against the ontology: the schema's values are exactly those of
// kg.Kinds and kg.RelTypes, each reads as its kind or type and is written
// back as itself, and other values are refused as bad input.
func TestOntologyEnums(t *testing.T) {
	s := generated.NewExecutableSchema(generated.Config{}).Schema()
	tests := []struct {
		enum      string
		ontology  []string
		unmarshal func(any) (string, error)
		marshal   func(string) []byte
	}{
		{"NodeKind", names(kg.Kinds, model.KindName),
			func(v any) (string, error) { k, err := model.UnmarshalNodeKind(v); return model.KindName(k), err },
			func(v string) []byte {
				k, _ := model.UnmarshalNodeKind(v)
				var b bytes.Buffer
				model.MarshalNodeKind(k).MarshalGQL(&b)
				return b.Bytes()
			}},
		{"RelationType", names(kg.RelTypes, func(t kg.RelType) string { return string(t) }),
			func(v any) (string, error) { t, err := model.UnmarshalRelType(v); return string(t), err },
			func(v string) []byte {
				var b bytes.Buffer
				model.MarshalRelType(kg.RelType(v)).MarshalGQL(&b)
				return b.Bytes()
			}},
	}
	for _, tt := range tests {
		t.Run(tt.enum, func(t *testing.T) {
			var schema []string
			for _, v := range s.Types[tt.enum].EnumValues {
				schema = append(schema, v.Name)
			}
			if !slices.Equal(schema, tt.ontology) {
				t.Errorf("the schema's %s is %v, the ontology's %v", tt.enum, schema, tt.ontology)
			}
			for _, v := range tt.ontology {
				got, err := tt.unmarshal(v)
				if err != nil || got != v {
					t.Errorf("%s reads as %q, %v", v, got, err)
				}
				if b := tt.marshal(v); string(b) != strconv.Quote(v) {
					t.Errorf("%s is written as %s", v, b)
				}
			}
			for _, bad := range []any{"NO_SUCH_VALUE", "enterprise", "", 3, nil} {
				if _, err := tt.unmarshal(bad); !errors.Is(err, kg.ErrInvalid) {
					t.Errorf("%v reads with error %v, want kg.ErrInvalid", bad, err)
				}
			}
		})
	}
}

func names[T any](xs []T, name func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = name(x)
	}
	return out
}
