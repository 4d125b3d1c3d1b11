package apitest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
)

// DoWithKey posts a query with variables, sending key (if not empty) as
// "Authorization: Bearer <key>", and decodes the response.
func (c *Client) DoWithKey(key, query string, vars map[string]any) *Response {
	c.T.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	rec := httptest.NewRecorder()
	c.Handler.ServeHTTP(rec, req)
	var r Response
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		c.T.Fatalf("decode response (status %d): %v: %s", rec.Code, err, rec.Body.String())
	}
	r.Status = rec.Code
	return &r
}

// Get sends a GET request for path with key (if not empty) and returns
// the recorded response.
func (c *Client) Get(key, path string) *httptest.ResponseRecorder {
	c.T.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	rec := httptest.NewRecorder()
	c.Handler.ServeHTTP(rec, req)
	return rec
}
