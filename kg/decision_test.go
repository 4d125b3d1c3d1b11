package kg_test

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/innograph/innograph/kg"
)

// TestDecisionListsTheContract keeps docs/decisions/001-store-contract.md
// true: its list of the contract's methods names every method of
// kg.Store, and nothing else.
func TestDecisionListsTheContract(t *testing.T) {
	b, err := os.ReadFile("../docs/decisions/001-store-contract.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	start := strings.Index(doc, "They fall into four groups:")
	end := strings.Index(doc, "Every GraphQL list is")
	if start < 0 || end < start {
		t.Fatal("the decision no longer lists the contract's methods in groups")
	}
	var listed []string
	for _, m := range regexp.MustCompile("`([A-Z][A-Za-z]+)`").FindAllStringSubmatch(doc[start:end], -1) {
		listed = append(listed, m[1])
	}
	var methods []string
	st := reflect.TypeFor[kg.Store]()
	for i := range st.NumMethod() {
		methods = append(methods, st.Method(i).Name)
	}
	slices.Sort(listed)
	slices.Sort(methods)
	if !slices.Equal(listed, methods) {
		t.Errorf("decision 001 lists %v; kg.Store has %v", listed, methods)
	}
}
