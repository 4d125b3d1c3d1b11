package web_test

import (
	"strings"
	"testing"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/backendtest"
	"github.com/innograph/innograph/web"
)

// TestGraphiQLExamplesRunOnDemo runs the query of every example tab against
// the district demo with the server's default limits: each must answer
// with data and without errors.
func TestGraphiQLExamplesRunOnDemo(t *testing.T) {
	st := backendtest.Embedded(t)
	backendtest.LoadDemo(t, st, 1)
	c := apitest.NewClient(t, server.DefaultConfig(), st)
	for _, e := range web.Examples() {
		t.Run(e.Operation, func(t *testing.T) {
			r := c.Do(e.Query, nil)
			if r.Status != 200 || len(r.Errors) > 0 {
				t.Fatalf("%s: status %d, errors: %s\n%s", e.Title, r.Status, r.ErrorText(), e.Query)
			}
			if len(r.Data) == 0 || string(r.Data) == "null" || strings.Count(string(r.Data), `"name"`) < 2 {
				t.Fatalf("%s returned almost nothing: %s", e.Title, r.Data)
			}
		})
	}
}
