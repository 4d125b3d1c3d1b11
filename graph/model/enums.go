package model

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/99designs/gqlgen/graphql"

	"github.com/innograph/innograph/kg"
)

// The GraphQL enums RelationType and NodeKind are kg.RelType and kg.Kind,
// read and written against the ontology (kg.RelTypes, kg.Kinds) rather
// than a list of values in gqlgen.yml: a relationship type or kind added
// to kg and to the schema's enum needs nothing else here.

// MarshalRelType writes a relationship type as its RelationType value,
// which is the type itself (SUPPLIES).
func MarshalRelType(t kg.RelType) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(t))) })
}

// UnmarshalRelType reads a RelationType value: one of kg.RelTypes. A
// value the schema's enum has and the ontology does not (the two out of
// step) is refused with kg.ErrInvalid (BAD_USER_INPUT).
func UnmarshalRelType(v any) (kg.RelType, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%w: a relationship type must be a RelationType value, got %s", kg.ErrInvalid, describeInput(v))
	}
	if t := kg.RelType(s); kg.ValidRelType(t) {
		return t, nil
	}
	return "", fmt.Errorf("%w: %q is not a relationship type (%s)", kg.ErrInvalid, s, strings.Join(relTypeNames(), ", "))
}

func relTypeNames() []string {
	out := make([]string, len(kg.RelTypes))
	for i, t := range kg.RelTypes {
		out[i] = string(t)
	}
	return out
}

// KindName is the NodeKind value of kind k: its name in upper snake case
// (ServiceAgency → SERVICE_AGENCY).
func KindName(k kg.Kind) string {
	var b strings.Builder
	rs := []rune(string(k))
	for i, r := range rs {
		if i > 0 && unicode.IsUpper(r) && unicode.IsLower(rs[i-1]) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// MarshalNodeKind writes a kind as its NodeKind value (see KindName).
func MarshalNodeKind(k kg.Kind) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(KindName(k))) })
}

// UnmarshalNodeKind reads a NodeKind value: the KindName of one of
// kg.Kinds. Any other value is refused with kg.ErrInvalid
// (BAD_USER_INPUT).
func UnmarshalNodeKind(v any) (kg.Kind, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%w: a node kind must be a NodeKind value, got %s", kg.ErrInvalid, describeInput(v))
	}
	names := make([]string, len(kg.Kinds))
	for i, k := range kg.Kinds {
		names[i] = KindName(k)
		if names[i] == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("%w: %q is not a node kind (%s)", kg.ErrInvalid, s, strings.Join(names, ", "))
}
