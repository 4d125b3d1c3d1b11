package apitest

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/server"
)

// Response is a GraphQL response.
type Response struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
	// Status is the HTTP status.
	Status int `json:"-"`
}

// ErrorText joins the error messages.
func (r *Response) ErrorText() string {
	var msgs []string
	for _, e := range r.Errors {
		msgs = append(msgs, fmt.Sprintf("%s %v", e.Message, e.Extensions["code"]))
	}
	return strings.Join(msgs, "; ")
}

// Client posts queries to a handler.
type Client struct {
	T       testing.TB
	Handler http.Handler
}

// NewClient serves store through the whole HTTP handler with cfg.
func NewClient(t testing.TB, cfg server.Config, store kg.Store) *Client {
	ready := &server.Readiness{}
	return &Client{T: t, Handler: server.Handler(cfg, store, ready, slog.New(slog.NewTextHandler(io.Discard, nil)))}
}

// Do posts a query with variables and decodes the response.
func (c *Client) Do(query string, vars map[string]any) *Response {
	c.T.Helper()
	return c.DoWithKey("", query, vars)
}

// MustData posts a query, fails the test on any error, and decodes data into out.
func (c *Client) MustData(query string, vars map[string]any, out any) {
	c.T.Helper()
	r := c.Do(query, vars)
	if len(r.Errors) > 0 {
		c.T.Fatalf("query failed: %s\nquery: %s", r.ErrorText(), query)
	}
	if out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			c.T.Fatalf("decode data: %v: %s", err, r.Data)
		}
	}
}
