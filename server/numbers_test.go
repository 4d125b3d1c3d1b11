package server_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/backendtest"
)

// exponent matches a number written with an exponent (1.49771e+08, 1e-7).
var exponent = regexp.MustCompile(`\d[eE][+-]?\d`)

// TestResponsesHaveNoExponent queries the demo for amounts in yuan, areas
// and scores and checks that the raw response writes every number in plain
// decimal.
func TestResponsesHaveNoExponent(t *testing.T) {
	st := backendtest.Embedded(t)
	backendtest.LoadDemo(t, st, 1)
	c := apitest.NewClient(t, server.DefaultConfig(), st)
	cases := []struct {
		name, query string
		// want is a pattern the response must match, so that the case
		// checks numbers that exist.
		want string
	}{
		{"revenue", `{ enterprises(first: 50) { edges { node { figures { year revenue rdInvestment rdDeduction } } } } }`, `"revenue":\d{7,}[,}]`},
		{"area", `{ incubators(first: 50) { edges { node { area } } } }`, `"area":\d+(\.\d+)?[,}]`},
		{"pagerank", `{ centrality(metric: PAGERANK, top: 50) { ranking { score } } }`, `"score":0\.\d+[,}]`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":`+strconv.Quote(tc.query)+`}`))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			c.Handler.ServeHTTP(rec, req)
			body := rec.Body.String()
			if rec.Code != http.StatusOK || strings.Contains(body, `"errors"`) {
				t.Fatalf("status %d: %s", rec.Code, body)
			}
			if !regexp.MustCompile(tc.want).MatchString(body) {
				t.Fatalf("the response has no number like %s:\n%.2000s", tc.want, body)
			}
			if m := exponent.FindString(body); m != "" {
				t.Errorf("the response writes a number with an exponent (%s):\n%.2000s", m, body)
			}
		})
	}
}
