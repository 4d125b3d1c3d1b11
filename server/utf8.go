package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/innograph/innograph/kg"
)

// requireText refuses a GraphQL request whose body or query string is not
// valid text (kg.CheckJSONText): bytes that are not UTF-8, or an escape of
// half a surrogate pair. encoding/json would decode either to U+FFFD, and
// a mutation would store text that was never sent; an import refuses the
// same bytes in the same words. The answer is 400 with code
// BAD_USER_INPUT, naming the first fault and its byte offset.
//
// The query's string literals are checked alike (a block string holding
// the characters \ud800 is refused too). It reads the whole body, so it
// must sit inside limitBody:
//
//	limitBody(cfg.MaxBodyBytes, requireText(…the GraphQL handler with its timeout…))
func requireText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, key := range []string{"query", "variables", "extensions", "operationName"} {
			if v := r.URL.Query().Get(key); v != "" {
				if err := kg.CheckJSONText([]byte(v)); err != nil {
					writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", fmt.Sprintf("the %s parameter %v", key, err))
					return
				}
			}
		}
		if r.Body != nil && r.Body != http.NoBody {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				writeError(w, http.StatusBadRequest, "BAD_REQUEST", fmt.Sprintf("reading the request body: %v", err))
				return
			}
			if err := kg.CheckJSONText(body); err != nil {
				writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", fmt.Sprintf("the request body %v", err))
				return
			}
			// The query's own string literals escape as JSON does, and the
			// GraphQL lexer decodes half a surrogate pair to U+FFFD too. A
			// backslash in the query is "\\" in the body.
			if bytes.Contains(body, []byte(`\\u`)) {
				var params struct {
					Query string `json:"query"`
				}
				if json.Unmarshal(body, &params) == nil {
					if err := kg.CheckJSONText([]byte(params.Query)); err != nil {
						writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", fmt.Sprintf("the query %v", err))
						return
					}
				}
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}
