package server

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// TestEncodeWritten checks that a response whose data the response
// writer wrote is encoded as json.Marshal encodes it (writeResponse's
// other path): the same bytes, with the characters encoding/json escapes
// in strings (<, >, &, U+2028, U+2029), errors and extensions.
func TestEncodeWritten(t *testing.T) {
	errs := gqlerror.List{{Message: "no node <x> & more", Path: ast.Path{ast.PathName("node")}, Locations: []gqlerror.Location{{Line: 1, Column: 3}}, Extensions: map[string]any{"code": "NOT_FOUND"}}}
	ext := map[string]any{"b": 1, "a": "x<y"}
	for _, tc := range []struct {
		name string
		data string
		errs gqlerror.List
		ext  map[string]any
	}{
		{"plain", `{"a":1,"b":[true,null,"x"]}`, nil, nil},
		{"escaped in strings", "{\"name\":\"R<&>D \u2028 \u2029 \\\"q\\\" \\\\ 科技\",\"n\":1.5e+21}", nil, nil},
		{"escapes kept", `{"s":"\u003c\n\t\u0001"}`, nil, nil},
		{"errors", `{"node":null,"nodes":[null,{"id":"a&b"}]}`, errs, nil},
		{"extensions", `{"a":"<"}`, nil, ext},
		{"both", `{"a":"<"}`, errs, ext},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := &graphql.Response{Data: json.RawMessage(tc.data), Errors: tc.errs, Extensions: tc.ext}
			got, err := encodeWritten(resp)
			if err != nil {
				t.Fatal(err)
			}
			out := response{Data: resp.Data, Extensions: resp.Extensions}
			if len(resp.Errors) > 0 {
				out.Errors = resp.Errors
			}
			want, err := json.Marshal(out)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("encoded\n%s\nwant\n%s", got, want)
			}
		})
	}
}
