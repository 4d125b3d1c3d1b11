package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/backendtest"
)

// TestExportOverHTTP checks GET /export/{format}: every format with its
// media type, filters, and the errors of bad requests.
func TestExportOverHTTP(t *testing.T) {
	st := backendtest.Embedded(t)
	backendtest.LoadDemo(t, st, 1)
	stats, err := st.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	c := apitest.NewClient(t, server.DefaultConfig(), st)
	get := func(path string) *httptest.ResponseRecorder { return c.Get("", path) }
	cases := []struct {
		path, contentType, contains string
		status                      int
	}{
		{"/export/gexf", "application/gexf+xml", `<gexf xmlns="http://gexf.net/1.3"`, http.StatusOK},
		{"/export/graphml", "application/graphml+xml", "<graphml", http.StatusOK},
		{"/export/cytoscape", "application/json", `{"elements":{"nodes":[`, http.StatusOK},
		{"/export/jsonl?kinds=ENTERPRISE,INDUSTRY&types=IN_INDUSTRY&asOf=2024", "application/x-ndjson", `"kind":"Industry"`, http.StatusOK},
		{"/export/jsonl?node=ent-0001&depth=2", "application/x-ndjson", `"id":"ent-0001"`, http.StatusOK},
		{"/export/pdf", "application/json", "unknown export format", http.StatusNotFound},
		{"/export/jsonl?kinds=SPACESHIP", "application/json", "unknown kind", http.StatusBadRequest},
		{"/export/jsonl?asOf=soon", "application/json", "not an integer", http.StatusBadRequest},
		{"/export/jsonl?node=nowhere", "application/json", "no node with id", http.StatusNotFound},
		{"/export/jsonl?depth=2", "application/json", "a depth needs a node", http.StatusBadRequest},
	}
	for _, tc := range cases {
		rec := get(tc.path)
		if rec.Code != tc.status || rec.Header().Get("Content-Type") != tc.contentType || !strings.Contains(rec.Body.String(), tc.contains) {
			t.Errorf("GET %s: %d %s %.200s; want %d %s containing %q", tc.path, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String(), tc.status, tc.contentType, tc.contains)
		}
	}

	// The filtered export holds enterprises, industries and IN_INDUSTRY only.
	for _, line := range strings.Split(strings.TrimSpace(get("/export/jsonl?kinds=ENTERPRISE,INDUSTRY&types=IN_INDUSTRY").Body.String()), "\n") {
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		if k, ok := r["kind"]; ok && k != "Enterprise" && k != "Industry" {
			t.Errorf("a filtered export holds a %v", k)
		}
		if ty, ok := r["type"]; ok && ty != string(kg.InIndustry) {
			t.Errorf("a filtered export holds a %v relationship", ty)
		}
	}

	rec := get("/export/csv")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/zip" || !strings.Contains(rec.Header().Get("Content-Disposition"), "innograph.zip") {
		t.Fatalf("GET /export/csv: %d %v", rec.Code, rec.Header())
	}
	zr, err := zip.NewReader(bytes.NewReader(rec.Body.Bytes()), int64(rec.Body.Len()))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]int{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		rows[f.Name] = bytes.Count(b, []byte("\n")) - 1 // the header
	}
	if rows["nodes.csv"] != stats.Nodes || rows["edges.csv"] != stats.Edges {
		t.Errorf("the CSV zip holds %v rows, want %d nodes and %d edges", rows, stats.Nodes, stats.Edges)
	}
}
