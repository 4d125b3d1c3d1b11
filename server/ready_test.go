package server_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/innograph/innograph/auth"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/backendtest"
)

// TestNotReadyRefusesRequests checks that while the server is not ready
// (here: seeding), /graphql and /export answer 503 with a
// STORE_UNAVAILABLE error giving the reason, and a write is not applied;
// once ready, the same write is.
func TestNotReadyRefusesRequests(t *testing.T) {
	st := backendtest.Embedded(t)
	ready := &server.Readiness{}
	ready.NotReady("seeding the demo ecosystem")
	key, err := auth.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	cfg := server.DefaultConfig()
	cfg.Keys = &auth.Keys{}
	if err := cfg.Keys.Parse(strings.NewReader(auth.Line("editor", auth.Editor, key)), "test"); err != nil {
		t.Fatal(err)
	}
	h := server.Handler(cfg, st, ready, slog.New(slog.NewTextHandler(io.Discard, nil)))
	write, _ := json.Marshal(map[string]any{"query": `mutation { upsertNodes(nodes: [{id: "ready-1", kind: TALENT, properties: {name: "某人"}}]) { counts { nodesCreated } } }`})
	send := func(method, path string, body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		r.Header.Set("Authorization", "Bearer "+key)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	for _, c := range []struct{ name, method, path, body string }{
		{"write", http.MethodPost, "/graphql", string(write)},
		{"read", http.MethodPost, "/graphql", `{"query": "{ stats { nodes } }"}`},
		{"export", http.MethodGet, "/export/jsonl", ""},
	} {
		w := send(c.method, c.path, c.body)
		var got struct {
			Errors []struct {
				Message    string
				Extensions struct{ Code string }
			}
		}
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatalf("%s while seeding: %d %q is not a GraphQL error: %v", c.name, w.Code, w.Body.String(), err)
		}
		if w.Code != http.StatusServiceUnavailable || len(got.Errors) != 1 || got.Errors[0].Extensions.Code != "STORE_UNAVAILABLE" ||
			!strings.Contains(got.Errors[0].Message, "seeding the demo ecosystem") || w.Header().Get("Retry-After") == "" {
			t.Errorf("%s while seeding: %d %s (Retry-After %q), want 503 STORE_UNAVAILABLE with the reason", c.name, w.Code, w.Body.String(), w.Header().Get("Retry-After"))
		}
	}
	if n, err := st.GetNodes(t.Context(), []string{"ready-1"}); err != nil || n[0] != nil {
		t.Fatalf("the write refused while seeding was applied: %v, %v", n, err)
	}
	ready.Ready()
	if w := send(http.MethodPost, "/graphql", string(write)); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"nodesCreated":1`) {
		t.Fatalf("write once ready: %d %s", w.Code, w.Body.String())
	}
	if w := send(http.MethodGet, "/healthz", ""); w.Code != http.StatusOK {
		t.Errorf("/healthz: %d", w.Code)
	}
}
