package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/backendtest"
)

const (
	mediaJSON = "application/json"
	mediaGQL  = "application/graphql-response+json"
)

// TestGraphQLOverHTTP checks the status, media type and shape of the
// answers of /graphql: application/json answers 200 for every GraphQL
// error, application/graphql-response+json answers 400 when the request
// could not be executed (parse, validation, variables, depth and
// complexity limits alike), and malformed requests answer 400 (or 405,
// 406, 413, 415) with a short error whatever the media type.
func TestGraphQLOverHTTP(t *testing.T) {
	st := backendtest.Embedded(t)
	backendtest.LoadDemo(t, st, 0.2)
	cfg := server.DefaultConfig()
	cfg.MaxDepth = 4
	cfg.MaxComplexity = 1000
	cfg.MaxBodyBytes = 40 << 10
	h := server.Handler(cfg, st, &server.Readiness{}, slog.New(slog.NewTextHandler(io.Discard, nil)))

	post := func(body string) func(accept string) *http.Request {
		return func(accept string) *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			if accept != "" {
				r.Header.Set("Accept", accept)
			}
			return r
		}
	}
	query := func(q string) func(accept string) *http.Request {
		b, _ := json.Marshal(map[string]any{"query": q})
		return post(string(b))
	}
	get := func(q string) func(accept string) *http.Request {
		return func(accept string) *http.Request {
			r := httptest.NewRequest(http.MethodGet, "/graphql?query="+url.QueryEscape(q), nil)
			if accept != "" {
				r.Header.Set("Accept", accept)
			}
			return r
		}
	}
	with := func(mk func(string) *http.Request, edit func(*http.Request)) func(string) *http.Request {
		return func(accept string) *http.Request { r := mk(accept); edit(r); return r }
	}
	junk := strings.Repeat("x", 33<<10)

	cases := []struct {
		name    string
		req     func(accept string) *http.Request
		accept  string
		status  int
		media   string
		code    string // extensions.code of the first error; "" for none
		hasData bool
	}{
		{"query", query(`{ stats { nodes } }`), "", 200, mediaJSON, "", true},
		{"query, graphql-response", query(`{ stats { nodes } }`), mediaGQL, 200, mediaGQL, "", true},
		{"query, any type", query(`{ stats { nodes } }`), "*/*", 200, mediaJSON, "", true},
		{"query, preferred graphql-response", query(`{ stats { nodes } }`), "application/json;q=0.9, application/graphql-response+json", 200, mediaGQL, "", true},
		{"query by GET", get(`{ stats { nodes } }`), "", 200, mediaJSON, "", true},
		{"resolver error keeps data", query(`{ stats { nodes } node(id: "") { id } }`), mediaGQL, 200, mediaGQL, "NOT_FOUND", true},

		{"parse error, json", query(`{`), mediaJSON, 200, mediaJSON, "GRAPHQL_PARSE_FAILED", false},
		{"parse error, graphql-response", query(`{`), mediaGQL, 400, mediaGQL, "GRAPHQL_PARSE_FAILED", false},
		{"validation error, json", query(`{ nosuchfield }`), "", 200, mediaJSON, "GRAPHQL_VALIDATION_FAILED", false},
		{"validation error, graphql-response", query(`{ nosuchfield }`), mediaGQL, 400, mediaGQL, "GRAPHQL_VALIDATION_FAILED", false},
		{"variables, json", post(`{"query":"query($n: Int!) { enterprises(first: $n) { totalCount } }","variables":{"n":"many"}}`), mediaJSON, 200, mediaJSON, "GRAPHQL_VALIDATION_FAILED", false},
		{"variables, graphql-response", post(`{"query":"query($n: Int!) { enterprises(first: $n) { totalCount } }","variables":{"n":"many"}}`), mediaGQL, 400, mediaGQL, "GRAPHQL_VALIDATION_FAILED", false},
		{"too deep, json", query(`{ enterprises(first: 1) { edges { node { suppliers(first: 1) { edges { node { suppliers(first: 1) { edges { node { suppliers(first: 1) { edges { node { suppliers(first: 1) { edges { node { id } } } } } } } } } } } } } } } }`), mediaJSON, 200, mediaJSON, "QUERY_TOO_DEEP", false},
		{"too deep, graphql-response", query(`{ enterprises(first: 1) { edges { node { suppliers(first: 1) { edges { node { suppliers(first: 1) { edges { node { suppliers(first: 1) { edges { node { suppliers(first: 1) { edges { node { id } } } } } } } } } } } } } } } }`), mediaGQL, 400, mediaGQL, "QUERY_TOO_DEEP", false},
		{"too complex, json", query(`{ enterprises(first: 500) { edges { node { id suppliers(first: 5) { edges { node { id } } } } } } }`), mediaJSON, 200, mediaJSON, "COMPLEXITY_LIMIT_EXCEEDED", false},
		{"too complex, graphql-response", query(`{ enterprises(first: 500) { edges { node { id suppliers(first: 5) { edges { node { id } } } } } } }`), mediaGQL, 400, mediaGQL, "COMPLEXITY_LIMIT_EXCEEDED", false},
		{"unknown operation", post(`{"query":"query A { stats { nodes } }","operationName":"B"}`), mediaGQL, 400, mediaGQL, "GRAPHQL_VALIDATION_FAILED", false},

		{"empty body", post(""), mediaJSON, 400, mediaJSON, "BAD_REQUEST", false},
		{"empty body, graphql-response", post(""), mediaGQL, 400, mediaGQL, "BAD_REQUEST", false},
		{"body not JSON", post(junk), "", 400, mediaJSON, "BAD_REQUEST", false},
		{"body cut short", post(`{"query": "{ stats`), "", 400, mediaJSON, "BAD_REQUEST", false},
		{"body an array", post(`[{"query":"{ stats { nodes } }"}]`), "", 400, mediaJSON, "BAD_REQUEST", false},
		{"body null", post(`null`), "", 400, mediaJSON, "BAD_REQUEST", false},
		{"body goes on", post(`{"query":"{ stats { nodes } }"} {}`), "", 400, mediaJSON, "BAD_REQUEST", false},
		{"no query", post(`{"qeury":"{ stats { nodes } }"}`), "", 400, mediaJSON, "BAD_REQUEST", false},
		{"query a number", post(`{"query":1}`), mediaGQL, 400, mediaGQL, "BAD_REQUEST", false},
		{"operationName an object", post(`{"query":"{ stats { nodes } }","operationName":{}}`), "", 400, mediaJSON, "BAD_REQUEST", false},
		{"variables a string", post(`{"query":"{ stats { nodes } }","variables":"{}"}`), "", 400, mediaJSON, "BAD_REQUEST", false},
		{"extensions an array", post(`{"query":"{ stats { nodes } }","extensions":[]}`), "", 400, mediaJSON, "BAD_REQUEST", false},
		{"null parameters", post(`{"query":"{ stats { nodes } }","operationName":null,"variables":null,"extensions":null}`), "", 200, mediaJSON, "", true},
		{"GET without query", with(get(""), func(r *http.Request) { r.URL.RawQuery = "operationName=A" }), "", 400, mediaJSON, "BAD_REQUEST", false},
		{"GET bad variables", with(get(`{ stats { nodes } }`), func(r *http.Request) { r.URL.RawQuery += "&variables=%5B%5D" }), "", 400, mediaJSON, "BAD_REQUEST", false},
		{"mutation by GET", get(`mutation { deleteNodes(ids: ["x"]) { counts { nodesDeleted } } }`), mediaGQL, 405, mediaGQL, "METHOD_NOT_ALLOWED", false},
		{"PUT", with(query(`{ stats { nodes } }`), func(r *http.Request) { r.Method = http.MethodPut }), "", 405, mediaJSON, "METHOD_NOT_ALLOWED", false},
		{"no content type", with(query(`{ stats { nodes } }`), func(r *http.Request) { r.Header.Del("Content-Type") }), "", 415, mediaJSON, "UNSUPPORTED_MEDIA_TYPE", false},
		{"text/plain", with(query(`{ stats { nodes } }`), func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }), "", 415, mediaJSON, "UNSUPPORTED_MEDIA_TYPE", false},
		{"latin-1", with(query(`{ stats { nodes } }`), func(r *http.Request) { r.Header.Set("Content-Type", "application/json; charset=iso-8859-1") }), "", 415, mediaJSON, "UNSUPPORTED_MEDIA_TYPE", false},
		{"utf-8", with(query(`{ stats { nodes } }`), func(r *http.Request) { r.Header.Set("Content-Type", "application/json; charset=UTF-8") }), "", 200, mediaJSON, "", true},
		{"not acceptable", query(`{ stats { nodes } }`), "application/xml", 406, mediaJSON, "NOT_ACCEPTABLE", false},
		{"too large", post(`{"query":"{ stats { nodes } }` + strings.Repeat(" ", 41<<10) + `"}`), mediaGQL, 413, mediaGQL, "REQUEST_TOO_LARGE", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, tc.req(tc.accept))
			body := rec.Body.Bytes()
			if rec.Code != tc.status {
				t.Errorf("status %d, want %d: %.500s", rec.Code, tc.status, body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != tc.media+"; charset=utf-8" {
				t.Errorf("Content-Type %q, want %s; charset=utf-8", ct, tc.media)
			}
			var resp struct {
				Data   *json.RawMessage
				Errors []struct {
					Message    string
					Extensions struct{ Code string }
				}
			}
			if err := json.Unmarshal(body, &resp); err != nil {
				t.Fatalf("not JSON: %v: %.500s", err, body)
			}
			if (resp.Data != nil) != tc.hasData {
				t.Errorf("data entry present = %v, want %v: %.500s", resp.Data != nil, tc.hasData, body)
			}
			code := ""
			if len(resp.Errors) > 0 {
				code = resp.Errors[0].Extensions.Code
			}
			if code != tc.code {
				t.Errorf("error code %q, want %q: %.500s", code, tc.code, body)
			}
			if tc.code == "BAD_REQUEST" && (len(body) > 300 || strings.Contains(string(body), "xxxxxxxx")) {
				t.Errorf("a bad request's answer echoes the input (%d bytes): %.500s", len(body), body)
			}
			if tc.status == http.StatusMethodNotAllowed && rec.Header().Get("Allow") == "" {
				t.Errorf("a 405 without an Allow header")
			}
		})
	}
}

// stallingStore answers Stats only when the request's context ends.
type stallingStore struct{ kg.Store }

func (s stallingStore) Stats(ctx context.Context) (*kg.Stats, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// TestTimeoutAnswer checks that a request over the time limit answers 503
// with a TIMEOUT error in the negotiated media type.
func TestTimeoutAnswer(t *testing.T) {
	cfg := server.DefaultConfig()
	cfg.Timeout = 100 * time.Millisecond
	h := server.Handler(cfg, stallingStore{backendtest.Embedded(t)}, &server.Readiness{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, accept := range []string{"", mediaGQL} {
		r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ stats { nodes } }"}`))
		r.Header.Set("Content-Type", "application/json")
		if accept != "" {
			r.Header.Set("Accept", accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		want := mediaJSON
		if accept != "" {
			want = accept
		}
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Content-Type") != want+"; charset=utf-8" || !strings.Contains(rec.Body.String(), `"TIMEOUT"`) {
			t.Errorf("Accept %q: %d %s %s", accept, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
		}
	}
}
