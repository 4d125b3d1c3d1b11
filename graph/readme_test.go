package graph_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/backendtest"
)

// TestReadmeQueries runs every GraphQL example of the README against the
// district demo: each must succeed and return some data.
func TestReadmeQueries(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```graphql\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	if len(blocks) < 5 {
		t.Fatalf("README has %d GraphQL examples, want at least 5", len(blocks))
	}
	st := backendtest.Embedded(t)
	backendtest.LoadDemo(t, st, 1)
	c := apitest.NewClient(t, server.DefaultConfig(), st)
	for i, b := range blocks {
		r := c.Do(b[1], nil)
		if len(r.Errors) > 0 {
			t.Errorf("example %d: %s\n%s", i+1, r.ErrorText(), b[1])
			continue
		}
		if strings.Count(string(r.Data), `"name"`) < 2 {
			t.Errorf("example %d returned almost nothing: %s", i+1, r.Data)
		}
	}
}
