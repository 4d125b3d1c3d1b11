package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/innograph/innograph/graph"
)

// The media types of GraphQL responses.
const (
	// mediaJSON is the legacy media type: GraphQL errors, even those that
	// stop a request before it runs, answer 200.
	mediaJSON = "application/json"
	// mediaGraphQLResponse is the GraphQL-over-HTTP media type: a request
	// that cannot run (parse, validation, variables, limits) answers 400.
	mediaGraphQLResponse = "application/graphql-response+json"
)

// Error codes of requests refused before GraphQL sees them.
const (
	codeBadRequest           = "BAD_REQUEST"
	codeMethodNotAllowed     = "METHOD_NOT_ALLOWED"
	codeNotAcceptable        = "NOT_ACCEPTABLE"
	codeUnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
	codeInternal             = "INTERNAL"
	codeUnavailable          = "STORE_UNAVAILABLE"
)

// httpTransport serves GraphQL over HTTP as the GraphQL-over-HTTP
// specification says:
//
//   - The response media type is negotiated from Accept: application/json
//     (also for */*, application/* and no Accept at all) or
//     application/graphql-response+json; anything else answers 406.
//   - POST takes a JSON object (Content-Type application/json, UTF-8);
//     another media type answers 415. GET takes the parameters from the URL
//     and runs queries only: a mutation answers 405.
//   - Malformed requests (a body that is not a JSON object, no query,
//     parameters of the wrong type) answer 400 with BAD_REQUEST, whatever
//     the media type, and never echo the body.
//   - A request that cannot be executed (parse or validation errors, bad
//     variables, depth or complexity over the limits) answers 200 with
//     application/json and 400 with application/graphql-response+json;
//     its response has errors and no data entry.
//   - An executed request answers 200, its errors (if any) beside data.
type httpTransport struct{}

var _ graphql.Transport = httpTransport{}

// Supports takes every request but WebSocket upgrades and the methods of
// transport.Options (OPTIONS, HEAD), so that unsupported methods and media
// types get a status that says what is wrong.
func (httpTransport) Supports(r *http.Request) bool {
	return r.Header.Get("Upgrade") == "" && r.Method != http.MethodOptions && r.Method != http.MethodHead
}

// Do answers one request.
func (httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	media, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		writeErrorAs(w, mediaJSON, http.StatusNotAcceptable, codeNotAcceptable,
			fmt.Sprintf("cannot answer in any media type the Accept header lists; accept %s or %s", mediaGraphQLResponse, mediaJSON))
		return
	}
	start := graphql.Now()
	params, err := readParams(r)
	if err != nil {
		var re *requestError
		if !errors.As(err, &re) {
			re = &requestError{status: http.StatusBadRequest, code: codeBadRequest, msg: err.Error()}
		}
		if re.allow != "" {
			w.Header().Set("Allow", re.allow)
		}
		writeErrorAs(w, media, re.status, re.code, re.msg)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}

	ctx := r.Context()
	oc, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		status := http.StatusOK
		if media == mediaGraphQLResponse {
			status = http.StatusBadRequest
		}
		writeResponse(w, media, status, exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs), nil)
		return
	}
	if r.Method == http.MethodGet && oc.Operation.Operation != ast.Query {
		w.Header().Set("Allow", http.MethodPost)
		writeErrorAs(w, media, http.StatusMethodNotAllowed, codeMethodNotAllowed,
			fmt.Sprintf("a %s cannot be sent with GET; send it with POST", oc.Operation.Operation))
		return
	}
	ctx, written := graph.WithWritten(ctx)
	responses, ctx := exec.DispatchOperation(ctx, oc)
	writeResponse(w, media, http.StatusOK, responses(ctx), written)
}

// negotiate picks the response media type from an Accept header: the
// acceptable type of the highest quality, the first listed on a tie.
// application/json answers no Accept header, */* and application/*.
// ok is false when the header accepts neither JSON media type.
func negotiate(accept string) (media string, ok bool) {
	if strings.TrimSpace(accept) == "" {
		return mediaJSON, true
	}
	best := -1.0
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		if cs, has := params["charset"]; has && !strings.EqualFold(cs, "utf-8") {
			continue
		}
		q := 1.0
		if s, has := params["q"]; has {
			if q, err = strconv.ParseFloat(s, 64); err != nil {
				continue
			}
		}
		var m string
		switch mt {
		case mediaGraphQLResponse:
			m = mediaGraphQLResponse
		case mediaJSON, "application/*", "*/*":
			m = mediaJSON
		default:
			continue
		}
		if q > 0 && q > best {
			media, best = m, q
		}
	}
	return media, media != ""
}

// requestError is a request refused before GraphQL sees it.
type requestError struct {
	status int
	code   string
	msg    string
	allow  string // the Allow header of a 405
}

func (e *requestError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &requestError{status: http.StatusBadRequest, code: codeBadRequest, msg: fmt.Sprintf(format, args...)}
}

// readParams reads the GraphQL parameters of a GET or POST request.
func readParams(r *http.Request) (*graphql.RawParams, error) {
	switch r.Method {
	case http.MethodGet:
		return paramsOfURL(r)
	case http.MethodPost:
		return paramsOfBody(r)
	}
	return nil, &requestError{status: http.StatusMethodNotAllowed, code: codeMethodNotAllowed,
		msg: fmt.Sprintf("method %s is not allowed; use GET (queries) or POST", r.Method), allow: "GET, POST"}
}

// paramsOfURL reads query, operationName, variables and extensions (the
// last two as JSON objects) from the URL.
func paramsOfURL(r *http.Request) (*graphql.RawParams, error) {
	q := r.URL.Query()
	p := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	for _, f := range []struct {
		name string
		dst  *map[string]any
	}{{"variables", &p.Variables}, {"extensions", &p.Extensions}} {
		s := q.Get(f.name)
		if s == "" {
			continue
		}
		raw := json.RawMessage(s)
		if err := decodeObject(f.name, raw, f.dst); err != nil {
			return nil, err
		}
	}
	if !q.Has("query") && !persisted(p.Extensions) {
		return nil, badRequest("the request has no query parameter")
	}
	return p, nil
}

// paramsOfBody reads the JSON object of a POST request. Its errors quote
// at most a few bytes of the body.
func paramsOfBody(r *http.Request) (*graphql.RawParams, error) {
	ct := r.Header.Get("Content-Type")
	mt, ctParams, err := mime.ParseMediaType(ct)
	if err != nil || mt != mediaJSON {
		if ct == "" {
			ct = "none"
		}
		return nil, &requestError{status: http.StatusUnsupportedMediaType, code: codeUnsupportedMediaType,
			msg: fmt.Sprintf("the request's Content-Type is %s; send the request as %s", short(ct), mediaJSON)}
	}
	if cs, has := ctParams["charset"]; has && !strings.EqualFold(cs, "utf-8") {
		return nil, &requestError{status: http.StatusUnsupportedMediaType, code: codeUnsupportedMediaType,
			msg: fmt.Sprintf("the request's charset is %s; send it in utf-8", short(cs))}
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, badRequest("reading the request body: %v", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, badRequest(`the request body is empty; send a JSON object such as {"query": "{ stats { nodes } }"}`)
	}
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&fields); err != nil {
		return nil, badRequest("the request body is not a valid JSON object: %s", short(jsonProblem(err)))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badRequest("the request body is not a valid JSON object: it goes on after the object")
	}
	if fields == nil {
		return nil, badRequest("the request body is not a valid JSON object: it is null")
	}
	p := &graphql.RawParams{}
	hasQuery := false
	for _, f := range []struct {
		name string
		dst  *string
	}{{"query", &p.Query}, {"operationName", &p.OperationName}} {
		raw, has := fields[f.name]
		if !has || isNull(raw) {
			continue
		}
		if err := json.Unmarshal(raw, f.dst); err != nil {
			return nil, badRequest("%s must be a string, not %s", f.name, jsonKind(raw))
		}
		hasQuery = hasQuery || f.name == "query"
	}
	if err := decodeObject("variables", fields["variables"], &p.Variables); err != nil {
		return nil, err
	}
	if err := decodeObject("extensions", fields["extensions"], &p.Extensions); err != nil {
		return nil, err
	}
	if !hasQuery && !persisted(p.Extensions) {
		return nil, badRequest("the request has no query")
	}
	return p, nil
}

// decodeObject decodes raw, if present and not null, as a JSON object
// into dst, with numbers as json.Number, as gqlgen's transports do.
func decodeObject(name string, raw json.RawMessage, dst *map[string]any) error {
	if len(raw) == 0 || isNull(raw) {
		return nil
	}
	if b := bytes.TrimSpace(raw); len(b) == 0 || b[0] != '{' {
		return badRequest("%s must be a JSON object, not %s", name, jsonKind(raw))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		return badRequest("%s is not a valid JSON object: %s", name, short(jsonProblem(err)))
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("%s is not a valid JSON object: it goes on after the object", name)
	}
	return nil
}

// persisted tells whether extensions name a persisted query, which stands
// for the query text.
func persisted(ext map[string]any) bool {
	_, ok := ext["persistedQuery"]
	return ok
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// jsonKind names the JSON type of raw for an error message.
func jsonKind(raw json.RawMessage) string {
	b := bytes.TrimSpace(raw)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// jsonProblem describes a decoding error without quoting the input
// beyond the character at fault.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "it ends too early"
	case errors.As(err, &syn):
		return fmt.Sprintf("%s (at byte %d)", strings.TrimPrefix(syn.Error(), "json: "), syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("it is %s", typeName(typ.Value))
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// typeName turns encoding/json's name of a JSON value's type into words.
func typeName(v string) string {
	switch v {
	case "array", "object", "string", "number", "bool":
		if v == "bool" {
			v = "boolean"
		}
		if v == "array" || v == "object" {
			return "an " + v
		}
		return "a " + v
	}
	return v
}

// short cuts s to at most 80 bytes (on a rune boundary).
func short(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// response is a GraphQL response as written: without a data entry when
// the request was not executed (gqlgen's Response always writes one).
type response struct {
	Errors     any             `json:"errors,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
	Extensions map[string]any  `json:"extensions,omitempty"`
}

// writeResponse writes resp as media with status. Data that written
// holds (the response writer's, valid and compact) is copied as it is,
// escaped as encoding/json escapes it (json.HTMLEscape: <, >, &, U+2028,
// U+2029), instead of being checked and compacted again: the body is
// the one json.Marshal writes.
func writeResponse(w http.ResponseWriter, media string, status int, resp *graphql.Response, written *graph.Written) {
	if resp == nil {
		writeErrorAs(w, media, http.StatusInternalServerError, codeInternal, "the request gave no response")
		return
	}
	var b []byte
	var err error
	if written.Holds(resp.Data) {
		b, err = encodeWritten(resp)
	} else {
		out := response{Data: resp.Data, Extensions: resp.Extensions}
		if len(resp.Errors) > 0 {
			out.Errors = resp.Errors
		}
		b, err = json.Marshal(out)
	}
	if err != nil {
		writeErrorAs(w, media, http.StatusInternalServerError, codeInternal, "the response could not be encoded")
		return
	}
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}

// encodeWritten encodes resp, whose data is valid compact JSON, as
// json.Marshal encodes a response: errors (if any), data, extensions (if
// any), in that order.
func encodeWritten(resp *graphql.Response) ([]byte, error) {
	var errs, ext []byte
	var err error
	if len(resp.Errors) > 0 {
		if errs, err = json.Marshal(resp.Errors); err != nil {
			return nil, err
		}
	}
	if len(resp.Extensions) > 0 {
		if ext, err = json.Marshal(resp.Extensions); err != nil {
			return nil, err
		}
	}
	out := bytes.NewBuffer(make([]byte, 0, len(resp.Data)+len(errs)+len(ext)+64))
	out.WriteByte('{')
	if errs != nil {
		out.WriteString(`"errors":`)
		out.Write(errs)
		out.WriteByte(',')
	}
	out.WriteString(`"data":`)
	json.HTMLEscape(out, resp.Data)
	if ext != nil {
		out.WriteString(`,"extensions":`)
		out.Write(ext)
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}

// errorBody is a response with one error and no data entry.
type errorBody struct {
	Errors [1]struct {
		Message    string `json:"message"`
		Extensions struct {
			Code string `json:"code"`
		} `json:"extensions"`
	} `json:"errors"`
}

// writeErrorAs writes a response with one error, without data, as media.
func writeErrorAs(w http.ResponseWriter, media string, status int, code, msg string) {
	var b errorBody
	b.Errors[0].Message = msg
	b.Errors[0].Extensions.Code = code
	w.Header().Set("Content-Type", media+"; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(b)
}

// responseMedia is the media type a request's errors are written in: the
// negotiated one, or application/json when the Accept header allows none.
func responseMedia(r *http.Request) string {
	if m, ok := negotiate(r.Header.Get("Accept")); ok {
		return m
	}
	return mediaJSON
}
