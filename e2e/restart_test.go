package e2e

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/innograph/innograph/auth"
)

const restartQuery = `{ enterprises(first: 3) { totalCount edges { node { id name } } } }`

// enterprisesPage is the data of restartQuery.
type enterprisesPage struct {
	Data struct {
		Enterprises struct {
			TotalCount int `json:"totalCount"`
			Edges      []struct {
				Node struct {
					ID   string `json:"id"`
					Name string `json:"name"`
				} `json:"node"`
			} `json:"edges"`
		} `json:"enterprises"`
	} `json:"data"`
}

// writeQuery creates one enterprise through the API; restartedQuery reads
// it back.
const (
	writeQuery     = `mutation { upsertNodes(nodes: [{id: "e2e-new", kind: ENTERPRISE, properties: {name: "重启测试公司"}}]) { counts { nodesCreated } } }`
	restartedQuery = `{ node(id: "e2e-new") { id name } }`
)

// TestServeRestartKeepsData starts the server on an empty data directory
// (which seeds the demo dataset), writes an enterprise through the API,
// ends the server — gracefully with SIGTERM or SIGINT, or as a crash with SIGKILL
// once the write is acknowledged, which leaves the store no chance to
// close — starts it again on the same directory, and checks
// that the same query answers the same JSON and the written enterprise is
// there: every acknowledged write survives both.
func TestServeRestartKeepsData(t *testing.T) {
	bin := buildBinary(t)
	key, err := auth.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	keyLine := auth.Line("e2e-editor", auth.Editor, key)
	for _, tc := range []struct {
		name string
		end  func(s *server)
	}{
		{"SIGTERM", func(s *server) { s.stop(stopTimeout) }},
		{"SIGINT", func(s *server) { s.stopWith(syscall.SIGINT, stopTimeout) }},
		{"SIGKILL", func(s *server) { s.forceKill() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dataDir := t.TempDir()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()

			first := startServer(t, bin, dataDir, "--api-keys", keyLine)
			if w := first.graphqlWithKey(ctx, key, writeQuery); !strings.Contains(string(w), `"nodesCreated":1`) {
				t.Fatalf("the write was not acknowledged: %s", w)
			}
			body1 := first.graphql(ctx, restartQuery)
			var page1 enterprisesPage
			if err := json.Unmarshal(body1, &page1); err != nil {
				t.Fatalf("decoding %s: %v", body1, err)
			}
			e := page1.Data.Enterprises
			if e.TotalCount < 300 {
				t.Fatalf("totalCount = %d, want at least 300 (the demo dataset); response: %s", e.TotalCount, body1)
			}
			if len(e.Edges) != 3 {
				t.Fatalf("got %d edges for first: 3, want 3; response: %s", len(e.Edges), body1)
			}
			for i, edge := range e.Edges {
				if edge.Node.ID == "" {
					t.Fatalf("edge %d has an empty id; response: %s", i, body1)
				}
			}
			tc.end(first)

			// --no-seed: an empty store must stay empty, so that lost data
			// cannot be mistaken for the same demo seeded again.
			second := startServer(t, bin, dataDir, "--no-seed")
			body2 := second.graphql(ctx, restartQuery)
			var v1, v2 any
			if err := json.Unmarshal(body1, &v1); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(body2, &v2); err != nil {
				t.Fatalf("decoding %s: %v", body2, err)
			}
			if !reflect.DeepEqual(v1, v2) {
				t.Fatalf("the answer changed across a restart on the same data directory\nbefore: %s\nafter:  %s\n%s",
					body1, body2, second.describe())
			}
			if got := second.graphql(ctx, restartedQuery); !strings.Contains(string(got), `"name":"重启测试公司"`) {
				t.Fatalf("the enterprise written before the restart is gone: %s", got)
			}
			second.stop(stopTimeout)
		})
	}
}
