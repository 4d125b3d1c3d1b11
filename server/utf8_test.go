package server

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/innograph/innograph/auth"
	"github.com/innograph/innograph/store/backendtest"
)

// TestMutationTextMustBeValid posts mutations whose bytes are not valid
// text (written by hand: encoding/json would repair them) through the
// server's whole Handler with an editor's key: each is refused with 400 and code
// BAD_USER_INPUT naming the byte, in the words an import uses, and
// nothing is stored. Valid text, U+FFFD itself included, is stored as
// sent.
func TestMutationTextMustBeValid(t *testing.T) {
	st := backendtest.Embedded(t)
	key, err := auth.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	ks := &auth.Keys{}
	if err := ks.Parse(strings.NewReader(auth.Line("alice", auth.Editor, key)), "test"); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Keys = ks
	h := Handler(cfg, st, &Readiness{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	post := func(body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	const byVariable = `{"query":"mutation($p: Map) { upsertNodes(nodes: [{id: \"t-1\", kind: TALENT, properties: $p}]) { counts { nodesCreated } } }","variables":{"p":{"name":"%s"}}}`
	const inQuery = `{"query":"mutation { upsertNodes(nodes: [{id: \"t-1\", kind: TALENT, properties: {name: \"%s\"}}]) { counts { nodesCreated } } }"}`
	cases := []struct {
		name, body, want string
	}{
		{"a byte that is no UTF-8 in a variable", strings.Replace(byVariable, "%s", "张\xff三", 1), "the request body is not valid UTF-8: byte 0xFF at offset "},
		{"a cut character in a variable", strings.Replace(byVariable, "%s", "张\xe4\xb8", 1), "the request body is not valid UTF-8: byte 0xE4 at offset "},
		{"a byte that is no UTF-8 in the query", strings.Replace(inQuery, "%s", "李\xc3\x28四", 1), "the request body is not valid UTF-8: byte 0xC3 at offset "},
		{"half a surrogate pair in a variable", strings.Replace(byVariable, "%s", `王\ud800五`, 1), `the request body is not valid Unicode: \ud800 at offset `},
		{"half a surrogate pair in the query", strings.Replace(inQuery, "%s", `周\\udc00八`, 1), `the query is not valid Unicode: \udc00 at offset 80 is half of a surrogate pair`},
		{"a byte that is no UTF-8 in an id", strings.Replace(strings.Replace(byVariable, "t-1", "t-\xfe", 1), "%s", "赵六", 1), "the request body is not valid UTF-8: byte 0xFE at offset "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := post(c.body)
			var out struct {
				Errors []struct {
					Message    string
					Extensions map[string]any
				}
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
				t.Fatalf("answer %q: %v", rec.Body.String(), err)
			}
			if rec.Code != http.StatusBadRequest || len(out.Errors) != 1 || out.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.HasPrefix(out.Errors[0].Message, c.want) {
				t.Errorf("answer %d %s; want 400, BAD_USER_INPUT, %q", rec.Code, rec.Body.String(), c.want)
			}
			if s, _ := st.Stats(t.Context()); s.Nodes != 0 {
				t.Errorf("a refused mutation stored %d nodes", s.Nodes)
			}
		})
	}
	// A GET query with such a byte is refused alike.
	req := httptest.NewRequest(http.MethodGet, "/graphql?query="+url.QueryEscape("{ search(text: \"\xff企业\") { id } }"), nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"the query parameter is not valid UTF-8: byte 0xFF at offset 16"`) {
		t.Errorf("GET: %d %s", rec.Code, rec.Body.String())
	}

	// Valid text is stored as sent: U+FFFD sent as a character, and a
	// surrogate pair escaped.
	rec = post(strings.Replace(byVariable, "%s", "孙\uFFFD七 \\ud83d\\ude00", 1))
	if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "errors") {
		t.Fatalf("valid text: %d %s", rec.Code, rec.Body.String())
	}
	ns, err := st.GetNodes(t.Context(), []string{"t-1"})
	if err != nil || ns[0] == nil {
		t.Fatalf("valid text was not stored: %v", err)
	}
	if got, want := ns[0].Props.Str("name"), "孙\uFFFD七 😀"; got != want {
		t.Errorf("stored name %q, want %q", got, want)
	}
}
