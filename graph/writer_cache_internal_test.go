package graph

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"github.com/innograph/innograph/graph/generated"
)

// cacheQuery has variables in the plan (first, at two levels), in the
// compiled selection (@include) and none that the writer cannot write.
const cacheQuery = `query Nested($n: Int!, $m: Int, $inc: Boolean!) { enterprises(first: $n) { totalCount
  edges { node { id suppliers(first: $m) { totalCount edges { node { id name @include(if: $inc) } } } } } } }
query Other { enterprises(first: 1) { totalCount } }`

// operation returns the operation context gqlgen would make for the
// operation name of cacheQuery with raw variables.
func operation(t testing.TB, w *Writer, name string, raw map[string]any) *graphql.OperationContext {
	t.Helper()
	doc, errs := gqlparser.LoadQueryWithRules(w.Schema(), cacheQuery, rules.NewDefaultRules())
	if errs != nil {
		t.Fatal(errs)
	}
	op := doc.Operations.ForName(name)
	vars, err := validator.VariableValues(w.Schema(), op, raw)
	if err != nil {
		t.Fatal(err)
	}
	return &graphql.OperationContext{RawQuery: cacheQuery, Doc: doc, Operation: op, OperationName: name, Variables: vars}
}

// TestWriterPlanCache checks the writer's cache of checks and plans: an
// operation asked again with the same variables (in another document of
// the same text, as after the query cache let it go) gets the plan made
// the first time; other variables, or another operation of the document,
// get their own, with their own page sizes and selections.
func TestWriterPlanCache(t *testing.T) {
	r := &Resolver{}
	w := NewWriter(generated.NewExecutableSchema(generated.Config{Resolvers: r}), r)
	ctx := context.Background()
	vars := func(n, m int, inc bool) map[string]any { return map[string]any{"n": n, "m": m, "inc": inc} }
	// schemaFirst is the default the schema gives suppliers' first.
	schemaFirst, err := strconv.Atoi(w.Schema().Types["Enterprise"].Fields.ForName("suppliers").Arguments.ForName("first").DefaultValue.Raw)
	if err != nil {
		t.Fatal(err)
	}
	first := w.plan(ctx, operation(t, w, "Nested", vars(3, 2, true)))
	if !first.covered || len(first.roots) != 1 || len(first.roots[0].hops) != 1 {
		t.Fatalf("the nested operation is not planned as one root list with one hop: %+v", first)
	}
	cases := []struct {
		name    string
		op      string
		vars    map[string]any
		same    bool // the plan made first
		n, m    int
		include bool
	}{
		{"same variables", "Nested", vars(3, 2, true), true, 3, 2, true},
		{"same variables, key order", "Nested", map[string]any{"inc": true, "m": 2, "n": 3}, true, 3, 2, true},
		{"root page", "Nested", vars(4, 2, true), false, 4, 2, true},
		{"hop page", "Nested", vars(3, 5, true), false, 3, 5, true},
		{"include", "Nested", vars(3, 2, false), false, 3, 2, false},
		{"default hop page", "Nested", map[string]any{"n": 3, "inc": true}, false, 3, schemaFirst, true},
		{"other operation", "Other", nil, false, 1, 0, false},
	}
	for _, c := range cases {
		p := w.plan(ctx, operation(t, w, c.op, c.vars))
		if (p == first) != c.same {
			t.Errorf("%s: the first plan reused: %v, want %v", c.name, p == first, c.same)
		}
		if !p.covered || len(p.roots) != 1 {
			t.Fatalf("%s: not covered", c.name)
		}
		rt := p.roots[0]
		if rt.first != c.n {
			t.Errorf("%s: root page of %d, want %d", c.name, rt.first, c.n)
		}
		if c.op != "Nested" {
			continue
		}
		if h := rt.hops[0]; h.First != c.m {
			t.Errorf("%s: hop page of %d, want %d", c.name, h.First, c.m)
		}
		// The name of the suppliers is compiled (and planned) only when included.
		hasName := false
		for _, prop := range rt.hops[0].Props {
			hasName = hasName || prop == "name"
		}
		if hasName != c.include {
			t.Errorf("%s: the hop reads the name: %v, want %v", c.name, hasName, c.include)
		}
		if again := w.plan(ctx, operation(t, w, c.op, c.vars)); again != p {
			t.Errorf("%s: asked again, planned again", c.name)
		}
	}
}

// TestWriterPlanCacheConcurrent plans operations with several variables
// from many goroutines at once (run with -race): each gets the plan of
// its own variables.
func TestWriterPlanCacheConcurrent(t *testing.T) {
	r := &Resolver{}
	w := NewWriter(generated.NewExecutableSchema(generated.Config{Resolvers: r}), r)
	ops := make([]*graphql.OperationContext, 6)
	for i := range ops {
		ops[i] = operation(t, w, "Nested", map[string]any{"n": i + 1, "m": 2 * i, "inc": i%2 == 0})
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8*50)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				k := (g + i) % len(ops)
				p := w.plan(context.Background(), ops[k])
				if !p.covered || p.roots[0].first != k+1 || p.roots[0].hops[0].First != 2*k {
					errs <- fmt.Errorf("variables %v: root page %d, hop page %d", ops[k].Variables, p.roots[0].first, p.roots[0].hops[0].First)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestOperationKey checks what tells operations apart: the text, the
// operation's name and the variables' values, not their order.
func TestOperationKey(t *testing.T) {
	base := &graphql.OperationContext{RawQuery: "q", OperationName: "A", Variables: map[string]any{"a": 1, "b": "x"}}
	key := func(oc *graphql.OperationContext) string {
		k, ok := OperationKey(oc)
		if !ok {
			t.Fatalf("no key for %+v", oc)
		}
		return k
	}
	cases := []struct {
		name string
		oc   *graphql.OperationContext
		same bool
	}{
		{"equal", &graphql.OperationContext{RawQuery: "q", OperationName: "A", Variables: map[string]any{"b": "x", "a": 1}}, true},
		{"text", &graphql.OperationContext{RawQuery: "q ", OperationName: "A", Variables: map[string]any{"a": 1, "b": "x"}}, false},
		{"name", &graphql.OperationContext{RawQuery: "q", OperationName: "B", Variables: map[string]any{"a": 1, "b": "x"}}, false},
		{"value", &graphql.OperationContext{RawQuery: "q", OperationName: "A", Variables: map[string]any{"a": 2, "b": "x"}}, false},
		{"type", &graphql.OperationContext{RawQuery: "q", OperationName: "A", Variables: map[string]any{"a": "1", "b": "x"}}, false},
		{"no variables", &graphql.OperationContext{RawQuery: "q", OperationName: "A"}, false},
	}
	for _, c := range cases {
		if got := key(c.oc) == key(base); got != c.same {
			t.Errorf("%s: same key %v, want %v", c.name, got, c.same)
		}
	}
	if _, ok := OperationKey(&graphql.OperationContext{Variables: map[string]any{"f": func() {}}}); ok {
		t.Error("a key for variables that cannot be encoded")
	}
}
