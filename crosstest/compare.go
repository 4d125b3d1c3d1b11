package crosstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// Answer is what a server answered to one GraphQL request.
type Answer struct {
	// Status is the HTTP status.
	Status int
	// Body is the response body.
	Body []byte
}

// Server posts one GraphQL request (query and variables) and returns the
// answer.
type Server func(query string, vars map[string]any) (Answer, error)

// RequestBody returns the JSON body of a GraphQL POST request.
func RequestBody(query string, vars map[string]any) []byte {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		panic(err) // queries and variables are strings and numbers
	}
	return body
}

// HandlerServer returns a Server that calls h in process, as a client
// would over HTTP.
func HandlerServer(h http.Handler) Server {
	return func(query string, vars map[string]any) (Answer, error) {
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(RequestBody(query, vars)))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return Answer{Status: rec.Code, Body: rec.Body.Bytes()}, nil
	}
}

// Canonical returns a JSON document with the keys of every object sorted,
// without insignificant space, and every number exactly as written.
func Canonical(body []byte) ([]byte, error) {
	v, err := decode(body)
	if err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// decode parses JSON keeping numbers as written.
func decode(body []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("trailing data after the JSON value")
	}
	return v, nil
}

// Differences lists the paths at which a and b (decoded JSON) differ, at
// most limit of them.
func Differences(a, b any, limit int) []string {
	var out []string
	var walk func(path string, a, b any)
	walk = func(path string, a, b any) {
		if len(out) >= limit {
			return
		}
		switch x := a.(type) {
		case map[string]any:
			y, ok := b.(map[string]any)
			if !ok {
				break
			}
			keys := slices.Sorted(maps.Keys(x))
			for k := range y {
				if _, ok := x[k]; !ok {
					keys = append(keys, k)
				}
			}
			for _, k := range keys {
				walk(path+"."+k, x[k], y[k])
			}
			return
		case []any:
			y, ok := b.([]any)
			if !ok {
				break
			}
			for i := range max(len(x), len(y)) {
				var xi, yi any = "<absent>", "<absent>"
				if i < len(x) {
					xi = x[i]
				}
				if i < len(y) {
					yi = y[i]
				}
				walk(fmt.Sprintf("%s[%d]", path, i), xi, yi)
			}
			return
		}
		if !reflect.DeepEqual(a, b) {
			out = append(out, fmt.Sprintf("%s: %s ≠ %s", path, brief(a), brief(b)))
		}
	}
	walk("", a, b)
	return out
}

// brief formats a JSON value for a message, shortened.
func brief(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	b := bytes.TrimSpace(buf.Bytes())
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

// Report says how much a comparison did.
type Report struct {
	// Queries is the number of queries run, Requests the number of
	// requests sent to each server (walks send one per page).
	Queries, Requests int
}

// Compare runs every query of qs, each in a subtest of t, on the reference
// server want and on got, and fails the subtest unless both answer the
// same HTTP status and the same JSON after key sorting. It also checks the
// reference answer against the query's expectations: errors only where
// Query.Errors says so, at least one node id otherwise, and walks of at
// least Query.MinPages pages.
func Compare(t *testing.T, want, got Server, qs []Query) Report {
	t.Helper()
	var rep Report
	for _, q := range qs {
		rep.Queries++
		t.Run(q.Name, func(t *testing.T) {
			vars := maps.Clone(q.Vars)
			if vars == nil {
				vars = map[string]any{}
			}
			for page := 1; ; page++ {
				rep.Requests++
				a := askAgain(t, "reference", want, q.Text, vars)
				b := askAgain(t, "compared", got, q.Text, vars)
				if a.status != b.status {
					t.Errorf("page %d: HTTP status %d, reference %d", page, b.status, a.status)
				}
				if !bytes.Equal(a.canonical, b.canonical) {
					diffs := Differences(a.value, b.value, 12)
					t.Fatalf("page %d (vars %v): answers differ (reference ≠ compared) at %d+ paths:\n  %s%s",
						page, vars, len(diffs), strings.Join(diffs, "\n  "), errorTexts(a, b))
				}
				checkExpectations(t, q, a)
				if q.Walk == "" {
					return
				}
				next, cursor := pageInfo(t, a.value, q.Walk)
				if !next {
					if page < q.MinPages {
						t.Errorf("the walk took %d pages, want at least %d", page, q.MinPages)
					}
					return
				}
				if page == MaxPages {
					t.Fatalf("the walk still has pages after %d", MaxPages)
				}
				vars["after"] = cursor
			}
		})
	}
	return rep
}

// Transient failures: a server whose store cannot serve for a moment (a
// Neo4j that has just started on a busy machine) is asked again, up to
// askAttempts times, askPause apart. Availability is not what Compare
// tests; a failure that persists still fails the comparison.
const askAttempts = 3

// askPause is a variable for the tests.
var askPause = 2 * time.Second

// askAgain is ask, repeated while the answer fails only with
// STORE_UNAVAILABLE or TIMEOUT.
func askAgain(t *testing.T, who string, s Server, query string, vars map[string]any) answer {
	t.Helper()
	for attempt := 1; ; attempt++ {
		a := ask(t, who, s, query, vars)
		codes, transient := errorCodes(a)
		if !transient || attempt == askAttempts {
			return a
		}
		t.Logf("the %s server failed with %v (attempt %d of %d), asking again in %v", who, codes, attempt, askAttempts, askPause)
		time.Sleep(askPause)
	}
}

// errorCodes returns the codes of an answer's errors, and whether there
// are some and all say that the store could not serve in time.
func errorCodes(a answer) ([]string, bool) {
	top, _ := a.value.(map[string]any)
	errs, _ := top["errors"].([]any)
	transient := len(errs) > 0
	var codes []string
	for _, e := range errs {
		m, _ := e.(map[string]any)
		ext, _ := m["extensions"].(map[string]any)
		code, _ := ext["code"].(string)
		codes = append(codes, code)
		transient = transient && (code == "STORE_UNAVAILABLE" || code == "TIMEOUT")
	}
	return codes, transient
}

// answer is a decoded Answer.
type answer struct {
	status    int
	canonical []byte
	value     any
}

func ask(t *testing.T, who string, s Server, query string, vars map[string]any) answer {
	t.Helper()
	ans, err := s(query, vars)
	if err != nil {
		t.Fatalf("%s server: %v", who, err)
	}
	v, err := decode(ans.Body)
	if err != nil {
		t.Fatalf("%s server answered HTTP %d with invalid JSON (%v): %.500s", who, ans.Status, err, ans.Body)
	}
	c, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return answer{status: ans.Status, canonical: c, value: v}
}

// errorTexts returns the full errors of two answers that differ, for the
// failure message (Differences shortens long values).
func errorTexts(a, b answer) string {
	var sb strings.Builder
	for _, x := range []struct {
		who string
		ans answer
	}{{"reference", a}, {"compared", b}} {
		top, _ := x.ans.value.(map[string]any)
		errs, _ := top["errors"].([]any)
		for _, e := range errs {
			m, _ := e.(map[string]any)
			fmt.Fprintf(&sb, "\n  %s error at %v: %v (%v)", x.who, m["path"], m["message"], m["extensions"])
		}
	}
	return sb.String()
}

// checkExpectations checks the reference answer against the query.
func checkExpectations(t *testing.T, q Query, a answer) {
	t.Helper()
	top, _ := a.value.(map[string]any)
	errs, _ := top["errors"].([]any)
	switch {
	case q.Errors && len(errs) == 0:
		t.Errorf("the answer has no errors, want some: %.300s", a.canonical)
	case !q.Errors && len(errs) > 0:
		t.Errorf("the answer has errors: %s", brief(errs))
	case !q.Errors && CountIDs(top["data"]) == 0:
		t.Errorf("the answer names no node, so it tests nothing: %.300s", a.canonical)
	}
}

// CountIDs counts the objects with an "id" key in a decoded JSON value.
func CountIDs(v any) int {
	n := 0
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["id"]; ok {
			n++
		}
		for _, c := range x {
			n += CountIDs(c)
		}
	case []any:
		for _, c := range x {
			n += CountIDs(c)
		}
	}
	return n
}

// pageInfo reads hasNextPage and endCursor of the connection at the
// dotted path below data.
func pageInfo(t *testing.T, v any, path string) (bool, string) {
	t.Helper()
	cur := v.(map[string]any)["data"]
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			t.Fatalf("no object at %q of data", path)
		}
		cur = m[k]
	}
	conn, _ := cur.(map[string]any)
	pi, _ := conn["pageInfo"].(map[string]any)
	if pi == nil {
		t.Fatalf("no pageInfo at %q of data", path)
	}
	next, _ := pi["hasNextPage"].(bool)
	end, _ := pi["endCursor"].(string)
	if next && end == "" {
		t.Fatalf("hasNextPage without an endCursor at %q", path)
	}
	return next, end
}
