package server_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/server"
)

// schemaDefault is the default of argument arg of field typ.field, or of
// input field typ.arg when field is "", as introspection gives it (a
// GraphQL literal such as 20, BOTH or [ENTERPRISE, UNIVERSITY]).
func schemaDefault(t *testing.T, c *apitest.Client, typ, field, arg string) string {
	t.Helper()
	type input struct {
		Name         string  `json:"name"`
		DefaultValue *string `json:"defaultValue"`
	}
	var out struct {
		Type struct {
			Fields []struct {
				Name string  `json:"name"`
				Args []input `json:"args"`
			} `json:"fields"`
			InputFields []input `json:"inputFields"`
		} `json:"__type"`
	}
	c.MustData(`query($t: String!) { __type(name: $t) { fields { name args { name defaultValue } } inputFields { name defaultValue } } }`, map[string]any{"t": typ}, &out)
	inputs := out.Type.InputFields
	for _, f := range out.Type.Fields {
		if f.Name == field {
			inputs = f.Args
		}
	}
	for _, in := range inputs {
		if in.Name == arg && in.DefaultValue != nil {
			return *in.DefaultValue
		}
	}
	t.Fatalf("%s.%s(%s) has no default", typ, field, arg)
	return ""
}

// TestNullForDefaultedArgument: an argument or input field with a
// default is non-null. A variable standing in it and left out takes the
// default (the answer is the one with the default written in the
// document); set to null, or declared with a null default, it is refused
// before any store call, with an error that names the variable, the
// argument, its type and its default. A literal null is refused by
// validation, and so is a null inside a variable's input object.
func TestNullForDefaultedArgument(t *testing.T) {
	st := demoStore(t)
	c := apitest.NewClient(t, server.DefaultConfig(), st)
	var ent struct {
		Enterprises struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	c.MustData(`{ enterprises(first: 1) { edges { node { id } } } }`, nil, &ent)
	id := ent.Enterprises.Edges[0].Node.ID

	for _, tc := range []struct {
		name string
		// typ, field and arg name the argument (field "" for an input
		// field of input type typ); varType is the declared variable's.
		typ, field, arg, varType string
		// doc is the operation's selection set, @V where the value
		// goes; fragment is appended to the document, @V likewise.
		doc, fragment string
	}{
		{"page size of a root list", "Query", "enterprises", "first", "Int",
			`enterprises(first: @V) { totalCount edges { node { id } } }`, ""},
		{"direction of relations", "Enterprise", "relations", "direction", "Direction",
			`enterprises(first: 3) { edges { node { relations(first: 50, direction: @V) { totalCount edges { outgoing node { id } } } } } }`, ""},
		{"page size of a typed relationship field in a fragment", "Enterprise", "suppliers", "first", "Int",
			`enterprises(first: 5) { edges { node { ...S } } }`, `fragment S on Enterprise { suppliers(first: @V) { totalCount edges { node { id } } } }`},
		{"page size of search", "Query", "search", "first", "Int",
			`search(text: "大连", first: @V) { id }`, ""},
		{"limit of an analytics field", "Query", "neighborhood", "limit", "Int",
			`neighborhood(id: "` + id + `", depth: 1, limit: @V) { truncated nodes { id } }`, ""},
		{"a Boolean with a default", "Query", "supplyChain", "allYears", "Boolean",
			`supplyChain(enterprise: "` + id + `", allYears: @V) { asOf enterpriseCount }`, ""},
		{"an enum with a default", "Query", "supplyChain", "direction", "SupplyDirection",
			`supplyChain(enterprise: "` + id + `", direction: @V) { enterpriseCount upstream { tier } downstream { tier } }`, ""},
		{"a list with a default", "Query", "collaborationNetwork", "kinds", "[NodeKind!]",
			`collaborationNetwork(kinds: @V, limit: 30) { truncated nodes { id } }`, ""},
		{"an input field of an order", "EnterpriseOrder", "", "direction", "OrderDirection",
			`enterprises(first: 5, orderBy: [{field: NAME, direction: @V}]) { edges { node { id } } }`, ""},
		{"an input field of an analytics order", "BrokerOrder", "", "direction", "OrderDirection",
			`communities(algorithm: CONNECTED_COMPONENTS, first: 3, membersFirst: 2, brokers: 5, brokersOrderBy: {field: DEGREE, direction: @V}) { brokers { node { id } degree } }`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			def := schemaDefault(t, c, tc.typ, tc.field, tc.arg)
			doc := func(decl, value string) string {
				return strings.ReplaceAll("query"+decl+" { "+tc.doc+" } "+tc.fragment, "@V", value)
			}
			withVar := doc("($v: "+tc.varType+")", "$v")
			want := c.Do(doc("", def), nil)
			if len(want.Errors) > 0 {
				t.Fatalf("with the default written: %s", want.ErrorText())
			}
			if got := c.Do(withVar, map[string]any{}); len(got.Errors) > 0 || !bytes.Equal(got.Data, want.Data) {
				t.Errorf("variable left out: %s %s, want %s (the default %s)", got.Data, got.ErrorText(), want.Data, def)
			}
			where := fmt.Sprintf("%q of %s.%s", tc.arg, tc.typ, tc.field)
			if tc.field == "" {
				where = fmt.Sprintf("%q of %s", tc.arg, tc.typ)
			}
			for name, run := range map[string]struct {
				doc  string
				vars map[string]any
			}{
				"null":            {withVar, map[string]any{"v": nil}},
				"null by default": {doc("($v: "+tc.varType+" = null)", "$v"), map[string]any{}},
			} {
				st.Reset()
				r := c.Do(run.doc, run.vars)
				if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "GRAPHQL_VALIDATION_FAILED" {
					t.Fatalf("%s: %s, want one GRAPHQL_VALIDATION_FAILED", name, r.ErrorText())
				}
				msg := r.Errors[0].Message
				for _, part := range []string{"$v is null", where, tc.varType + "!", "default " + def, "leave the variable out"} {
					if !strings.Contains(msg, part) {
						t.Errorf("%s: %q does not say %q", name, msg, part)
					}
				}
				if fmt.Sprint(r.Errors[0].Path) != "[variable v]" {
					t.Errorf("%s: path %v, want [variable v]", name, r.Errors[0].Path)
				}
				if len(r.Data) > 0 && string(r.Data) != "null" {
					t.Errorf("%s: data %s", name, r.Data)
				}
				if n := workCalls(st); n != 0 {
					t.Errorf("%s: %d store calls: %v", name, n, st.Calls())
				}
			}
			r := c.Do(doc("", "null"), nil)
			if len(r.Errors) == 0 {
				t.Errorf("literal null: no error")
			}
			for _, e := range r.Errors {
				if e.Extensions["code"] != "GRAPHQL_VALIDATION_FAILED" || !strings.Contains(e.Message, "found null") {
					t.Errorf("literal null: %s, want the validation error", r.ErrorText())
				}
			}
		})
	}
}

// TestNullWhereNullable: a null variable where the argument is nullable
// (no default: null means "not given") is accepted and answers as if the
// argument were left out; a null inside a variable's input object, for a
// defaulted input field, is refused by validation at its path.
func TestNullWhereNullable(t *testing.T) {
	c := apitest.NewClient(t, server.DefaultConfig(), demoStore(t))
	for _, tc := range []struct {
		name, withVar, without string
	}{
		{"asOf of a relationship field", `query($v: Int) { enterprises(first: 5) { edges { node { suppliers(asOf: $v) { totalCount } } } } }`,
			`{ enterprises(first: 5) { edges { node { suppliers { totalCount } } } } }`},
		{"after of a root list", `query($v: String) { enterprises(first: 3, after: $v) { edges { node { id } } } }`,
			`{ enterprises(first: 3) { edges { node { id } } } }`},
		{"district of industryChainGaps", `query($v: String) { industryChainGaps(chain: "智能制造与工业互联网", district: $v) { district gaps { segment { id } } } }`,
			`{ industryChainGaps(chain: "智能制造与工业互联网") { district gaps { segment { id } } } }`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := c.Do(tc.without, nil)
			got := c.Do(tc.withVar, map[string]any{"v": nil})
			if len(got.Errors) > 0 || string(got.Data) != string(want.Data) || got.ErrorText() != want.ErrorText() {
				t.Errorf("null: %s %s, want %s %s", got.Data, got.ErrorText(), want.Data, want.ErrorText())
			}
		})
	}
	r := c.Do(`query($o: [EnterpriseOrder!]) { enterprises(first: 1, orderBy: $o) { totalCount } }`,
		map[string]any{"o": []any{map[string]any{"field": "NAME", "direction": nil}}})
	if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "GRAPHQL_VALIDATION_FAILED" || fmt.Sprint(r.Errors[0].Path) != "[variable o 0 direction]" {
		t.Errorf("null in an input object: %s %v, want GRAPHQL_VALIDATION_FAILED at [variable o 0 direction]", r.ErrorText(), r.Errors)
	}
}
