package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/server"
)

// post returns the HTTP body of a query with variables.
func post(t testing.TB, h http.Handler, query string, vars map[string]any) []byte {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Error(err)
		return nil
	}
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("status %d: %s", rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

// TestWriterCachedAnswers asks one nested query with several variables,
// each many times and from many goroutines at once (run with -race), of
// the writer, which checks and plans each operation once: every answer
// is the executor's, byte for byte, the writer wrote them all, and the
// variables that change the plan (page sizes, @include) change the
// answer as they should.
func TestWriterCachedAnswers(t *testing.T) {
	const n = 30
	st := supplyGraph(t, n)
	query := `query ($n: Int!, $m: Int, $inc: Boolean!) { enterprises(first: $n) { totalCount
  edges { node { id suppliers(first: $m) { totalCount edges { node { id name @include(if: $inc) } } } } } } }`
	writer := apitest.NewClient(t, server.DefaultConfig(), st).Handler
	off := server.DefaultConfig()
	off.DisableWriter = true
	exec := apitest.NewClient(t, off, st).Handler
	type answer struct {
		Data struct {
			Enterprises struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						Suppliers struct {
							TotalCount int
							Edges      []struct{ Node map[string]any }
						}
					}
				}
			}
		}
	}
	var varSets []map[string]any
	var want [][]byte
	for _, v := range []struct {
		n, m int
		inc  bool
	}{{3, 1, true}, {5, 2, false}, {3, 2, true}, {7, 0, true}, {1, 3, false}} {
		vars := map[string]any{"n": v.n, "m": v.m, "inc": v.inc}
		body := post(t, exec, query, vars)
		var a answer
		if err := json.Unmarshal(body, &a); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		// Every enterprise has three suppliers (supplyGraph).
		if es := a.Data.Enterprises.Edges; len(es) != v.n || len(es[0].Node.Suppliers.Edges) != min(v.m, 3) {
			t.Fatalf("variables %v: %d enterprises, the first with %d suppliers; want %d and %d", vars, len(es), len(es[0].Node.Suppliers.Edges), v.n, min(v.m, 3))
		}
		if v.m > 0 {
			_, named := a.Data.Enterprises.Edges[0].Node.Suppliers.Edges[0].Node["name"]
			if named != v.inc {
				t.Fatalf("variables %v: suppliers named %v", vars, named)
			}
		}
		varSets, want = append(varSets, vars), append(want, body)
	}
	w0, _ := graph.WriterCounts()
	var wg sync.WaitGroup
	const goroutines, rounds = 6, 20
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				k := (g + i) % len(varSets)
				if got := post(t, writer, query, varSets[k]); !bytes.Equal(got, want[k]) {
					t.Errorf("variables %v: the writer answers\n%.300s\nthe executor\n%.300s", varSets[k], got, want[k])
					return
				}
			}
		}()
	}
	wg.Wait()
	// Other tests may run writers at the same time: at least these.
	if w1, _ := graph.WriterCounts(); w1-w0 < goroutines*rounds {
		t.Errorf("the writer wrote %d answers, want %d", w1-w0, goroutines*rounds)
	}
	if !strings.Contains(string(want[0]), `"totalCount":30`) {
		t.Errorf("the total of enterprises is not %d: %.200s", n, want[0])
	}
}
