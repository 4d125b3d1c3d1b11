package graph_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/auth"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/storetest"
)

// testKeys makes an editor, a reader and an admin key.
func testKeys(t *testing.T) (ks *auth.Keys, editor, reader, admin string) {
	t.Helper()
	ks = &auth.Keys{}
	var lines []string
	for _, k := range []struct {
		name string
		role auth.Role
		key  *string
	}{{"alice", auth.Editor, &editor}, {"rita", auth.Reader, &reader}, {"ada", auth.Admin, &admin}} {
		key, err := auth.NewKey()
		if err != nil {
			t.Fatal(err)
		}
		*k.key = key
		lines = append(lines, auth.Line(k.name, k.role, key))
	}
	if err := ks.Parse(strings.NewReader(strings.Join(lines, "\n")), "test"); err != nil {
		t.Fatal(err)
	}
	return ks, editor, reader, admin
}

const applyBatchMutation = `mutation($in: BatchInput!) {
  applyBatch(input: $in) {
    counts { nodesCreated nodesUpdated nodesUnchanged nodesDeleted relationsCreated relationsUpdated relationsUnchanged relationsDeleted }
    nodes { id kind name ... on Enterprise { creditCode figures { year revenue } } }
    relations { id type from to since product }
    deletedNodes deletedRelations
  }
}`

const auditQuery = `query($first: Int, $after: String) {
  auditLog(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { seq at actor role action note truncated nodes relations deletedNodes deletedRelations
      counts { nodesCreated nodesUpdated nodesUnchanged nodesDeleted relationsCreated relationsUpdated relationsUnchanged relationsDeleted } } }
  }
}`

func code(r *apitest.Response) string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// TestMutationsNeedAKey checks on each backend that writes without a key,
// with a reader's key or with an unknown key are refused and change
// nothing; that an editor's write is applied and appears in the audit log,
// which only an admin may read; and that a refused batch reports every
// problem and leaves no trace.
func TestMutationsNeedAKey(t *testing.T) {
	for _, b := range backends {
		t.Run(b.Name, func(t *testing.T) {
			st := b.Open(t)
			ks, editor, reader, admin := testKeys(t)
			cfg := server.DefaultConfig()
			cfg.Keys = ks
			c := apitest.NewClient(t, cfg, st)
			input := map[string]any{
				"upsertNodes": []any{
					map[string]any{"id": "m-e1", "kind": "ENTERPRISE", "properties": map[string]any{
						"name": "大连测试甲公司", "creditCode": storetest.CreditCode(t, 1), "revenue": map[string]any{"2023": 1.5e6},
					}},
					map[string]any{"id": "m-e2", "kind": "ENTERPRISE", "properties": map[string]any{
						"name": "大连测试乙公司", "revenue": []any{map[string]any{"year": 2024, "value": 2e6}},
					}},
				},
				"upsertRelations": []any{
					map[string]any{"type": "SUPPLIES", "from": "m-e1", "to": "m-e2", "properties": map[string]any{"since": 2021, "product": "芯片"}},
				},
			}
			refusals := []struct {
				name, key, query string
				vars             map[string]any
				status           int
				code             string
				message          string
			}{
				{"no key", "", applyBatchMutation, map[string]any{"in": input}, http.StatusOK, auth.CodeUnauthenticated, "needs an API key with the editor role"},
				{"reader key", reader, applyBatchMutation, map[string]any{"in": input}, http.StatusOK, auth.CodeForbidden, `key "rita" has the reader role`},
				{"unknown key", "ig_not-a-key", applyBatchMutation, map[string]any{"in": input}, http.StatusUnauthorized, auth.CodeUnauthenticated, "unknown API key"},
				{"reader deletes", reader, `mutation { deleteNodes(ids: ["x"]) { counts { nodesDeleted } } }`, nil, http.StatusOK, auth.CodeForbidden, "deleteNodes needs the editor role"},
				{"no key upserts", "", `mutation { upsertNodes(nodes: [{id: "x", kind: TALENT, properties: {name: "某人"}}]) { counts { nodesCreated } } }`, nil, http.StatusOK, auth.CodeUnauthenticated, "upsertNodes needs"},
			}
			for _, tc := range refusals {
				t.Run(tc.name, func(t *testing.T) {
					r := c.DoWithKey(tc.key, tc.query, tc.vars)
					if r.Status != tc.status || code(r) != tc.code || !strings.Contains(r.ErrorText(), tc.message) {
						t.Errorf("status %d, errors %q; want status %d, code %s, a message with %q", r.Status, r.ErrorText(), tc.status, tc.code, tc.message)
					}
					if s, _ := st.Stats(t.Context()); s.Nodes != 0 {
						t.Errorf("a refused mutation wrote %d nodes", s.Nodes)
					}
				})
			}

			// The editor writes.
			var out struct {
				ApplyBatch struct {
					Counts map[string]int
					Nodes  []struct {
						ID, Kind, Name, CreditCode string
						Figures                    []struct {
							Year    int
							Revenue *float64
						}
					}
					Relations []struct {
						ID, Type, From, To, Product string
						Since                       int
					}
					DeletedNodes []string
				}
			}
			r := c.DoWithKey(editor, applyBatchMutation, map[string]any{"in": input})
			if len(r.Errors) > 0 {
				t.Fatalf("the editor's write failed: %s", r.ErrorText())
			}
			if err := json.Unmarshal(r.Data, &out); err != nil {
				t.Fatal(err)
			}
			res := out.ApplyBatch
			if res.Counts["nodesCreated"] != 2 || res.Counts["relationsCreated"] != 1 || len(res.Nodes) != 2 || len(res.Relations) != 1 {
				t.Errorf("write result %+v", res)
			}
			if len(res.Nodes) == 2 && (res.Nodes[1].ID != "m-e2" || len(res.Nodes[1].Figures) != 1 || res.Nodes[1].Figures[0].Year != 2024 || *res.Nodes[1].Figures[0].Revenue != 2e6) {
				t.Errorf("a series given as [{year, value}] was stored as %+v", res.Nodes[1])
			}
			if len(res.Relations) == 1 && (res.Relations[0].ID != kg.EdgeID(kg.Supplies, "m-e1", "m-e2") || res.Relations[0].Since != 2021) {
				t.Errorf("relation %+v", res.Relations[0])
			}

			// A batch with problems is refused as a whole, with every problem.
			bad := map[string]any{
				"upsertNodes": []any{
					map[string]any{"id": "m-e3", "kind": "ENTERPRISE", "properties": map[string]any{"name": "丙公司", "creditCode": "91210202MA000000"}},
					map[string]any{"id": "m-e4", "kind": "ENTERPRISE", "properties": map[string]any{"name": "丁公司"}},
				},
				"upsertRelations": []any{map[string]any{"type": "SUPPLIES", "from": "m-e4", "to": "nowhere"}},
			}
			r = c.DoWithKey(editor, applyBatchMutation, map[string]any{"in": bad})
			if code(r) != "BAD_USER_INPUT" {
				t.Fatalf("a bad batch: %s", r.ErrorText())
			}
			problems, _ := r.Errors[0].Extensions["problems"].([]any)
			var fields []string
			for _, p := range problems {
				m := p.(map[string]any)
				fields = append(fields, fmt.Sprintf("%s[%v].%s", m["list"], m["item"], m["field"]))
			}
			if got := strings.Join(fields, " "); got != "nodes[0].creditCode" {
				// The relationship to a missing node is checked against the
				// store only once the batch passes the ontology.
				t.Errorf("problems %s, want nodes[0].creditCode", got)
			}
			if ns, _ := st.GetNodes(t.Context(), []string{"m-e4"}); ns[0] != nil {
				t.Error("the refused batch wrote m-e4")
			}
			r = c.DoWithKey(editor, `mutation { upsertRelations(relations: [{type: SUPPLIES, from: "m-e2", to: "nowhere"}]) { counts { relationsCreated } } }`, nil)
			if code(r) != "NOT_FOUND" || !strings.Contains(r.ErrorText(), "nowhere") {
				t.Errorf("a relationship to a missing node: %s", r.ErrorText())
			}

			if r := c.DoWithKey(editor, `mutation { applyBatch(input: {}) { counts { nodesCreated } } }`, nil); code(r) != "BAD_USER_INPUT" || !strings.Contains(r.ErrorText(), "writes nothing") {
				t.Errorf("an empty batch: %s", r.ErrorText())
			}

			// A delete, with null removing a property in the same batch.
			r = c.DoWithKey(editor, `mutation($p: Map) { applyBatch(input: {upsertNodes: [{id: "m-e1", kind: ENTERPRISE, properties: $p}], deleteNodes: ["m-e2"]}) {
				counts { nodesUpdated nodesDeleted relationsDeleted } nodes { id ... on Enterprise { creditCode } } deletedNodes } }`,
				map[string]any{"p": map[string]any{"name": "大连测试甲公司", "creditCode": nil}})
			if len(r.Errors) > 0 {
				t.Fatalf("delete: %s", r.ErrorText())
			}
			if want := `{"applyBatch":{"counts":{"nodesUpdated":1,"nodesDeleted":1,"relationsDeleted":1},"nodes":[{"id":"m-e1","creditCode":null}],"deletedNodes":["m-e2"]}}`; string(r.Data) != want {
				t.Errorf("delete answered %s, want %s", r.Data, want)
			}

			// Only an admin reads the audit log.
			for key, want := range map[string]string{"": auth.CodeUnauthenticated, reader: auth.CodeForbidden, editor: auth.CodeForbidden} {
				if r := c.DoWithKey(key, auditQuery, nil); code(r) != want {
					t.Errorf("auditLog with the %q key: %s, want %s", key, r.ErrorText(), want)
				}
			}
			var log struct {
				AuditLog struct {
					TotalCount int
					PageInfo   struct {
						HasNextPage bool
						EndCursor   string
					}
					Edges []struct {
						Node struct {
							Seq                            int
							Actor, Role, Action            string
							Nodes, Relations, DeletedNodes []string
							Counts                         map[string]int
							Truncated                      bool
						}
					}
				}
			}
			r = c.DoWithKey(admin, auditQuery, map[string]any{"first": 1})
			if len(r.Errors) > 0 {
				t.Fatalf("auditLog: %s", r.ErrorText())
			}
			json.Unmarshal(r.Data, &log)
			if log.AuditLog.TotalCount != 2 || len(log.AuditLog.Edges) != 1 || !log.AuditLog.PageInfo.HasNextPage {
				t.Fatalf("audit log: %s", r.Data)
			}
			if e := log.AuditLog.Edges[0].Node; e.Action != "applyBatch" || e.Seq != 2 || e.DeletedNodes[0] != "m-e2" || e.Counts["nodesDeleted"] != 1 {
				t.Errorf("newest entry %+v", e)
			}
			r = c.DoWithKey(admin, auditQuery, map[string]any{"first": 5, "after": log.AuditLog.PageInfo.EndCursor})
			json.Unmarshal(r.Data, &log)
			if len(log.AuditLog.Edges) != 1 || log.AuditLog.PageInfo.HasNextPage {
				t.Fatalf("second page of the audit log: %s", r.Data)
			}
			e := log.AuditLog.Edges[0].Node
			if e.Seq != 1 || e.Actor != "alice" || e.Role != "editor" || e.Action != "applyBatch" ||
				strings.Join(e.Nodes, ",") != "m-e1,m-e2" || e.Relations[0] != kg.EdgeID(kg.Supplies, "m-e1", "m-e2") ||
				e.Counts["nodesCreated"] != 2 || e.Counts["relationsCreated"] != 1 || e.Truncated {
				t.Errorf("the editor's write is audited as %+v", e)
			}
		})
	}
}

// TestRequireKeyForReads checks that with RequireKeyForReads a query
// without a key is refused with 401 while GraphiQL and the probes stay
// open, and that a reader's key reads.
func TestRequireKeyForReads(t *testing.T) {
	st := backends[0].Open(t)
	ks, _, reader, _ := testKeys(t)
	cfg := server.DefaultConfig()
	cfg.Keys, cfg.RequireKeyForReads = ks, true
	c := apitest.NewClient(t, cfg, st)
	if r := c.DoWithKey("", `{ stats { nodes } }`, nil); r.Status != http.StatusUnauthorized || code(r) != auth.CodeUnauthenticated {
		t.Errorf("a read without a key: status %d, %s", r.Status, r.ErrorText())
	}
	if r := c.DoWithKey(reader, `{ stats { nodes } }`, nil); r.Status != http.StatusOK || len(r.Errors) > 0 {
		t.Errorf("a read with a reader's key: status %d, %s", r.Status, r.ErrorText())
	}
	for path, want := range map[string]int{"/": http.StatusOK, "/healthz": http.StatusOK, "/export/jsonl": http.StatusUnauthorized} {
		if rec := c.Get("", path); rec.Code != want {
			t.Errorf("GET %s without a key: %d, want %d", path, rec.Code, want)
		}
	}
	if rec := c.Get(reader, "/export/jsonl"); rec.Code != http.StatusOK {
		t.Errorf("GET /export/jsonl with a reader's key: %d", rec.Code)
	}
}

// TestPropertiesMustBeAnObject sends properties that are not an object, in
// the query and as a variable, through the whole HTTP handler with an
// editor's key: each is refused with code BAD_USER_INPUT (not INTERNAL)
// and a message that says what properties must be, and nothing is
// written.
func TestPropertiesMustBeAnObject(t *testing.T) {
	st := backends[0].Open(t)
	ks, editor, _, _ := testKeys(t)
	cfg := server.DefaultConfig()
	cfg.Keys = ks
	c := apitest.NewClient(t, cfg, st)
	const inQuery = `mutation { upsertNodes(nodes: [{id: "p-1", kind: TALENT, properties: %s}]) { counts { nodesCreated } } }`
	const asVariable = `mutation($p: Map) { upsertNodes(nodes: [{id: "p-1", kind: TALENT, properties: $p}]) { counts { nodesCreated } } }`
	const relation = `mutation($p: Map) { upsertRelations(relations: [{type: SUPPLIES, from: "a", to: "b", properties: $p}]) { counts { relationsCreated } } }`
	cases := []struct {
		name, query string
		vars        map[string]any
		got         string // what the message says was given
	}{
		{"a string in the query", fmt.Sprintf(inQuery, `"name=x"`), nil, `the string "name=x"`},
		{"a number in the query", fmt.Sprintf(inQuery, `42`), nil, "a number"},
		{"a list in the query", fmt.Sprintf(inQuery, `["name", "x"]`), nil, "a list"},
		{"a string as a variable", asVariable, map[string]any{"p": "name=x"}, `the string "name=x"`},
		{"a boolean as a variable", asVariable, map[string]any{"p": true}, "a boolean"},
		{"a list as a variable", asVariable, map[string]any{"p": []any{map[string]any{"name": "x"}}}, "a list"},
		{"a string on a relationship", relation, map[string]any{"p": "since=2020"}, `the string "since=2020"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := c.DoWithKey(editor, tc.query, tc.vars)
			if r.Status != http.StatusOK || code(r) != "BAD_USER_INPUT" {
				t.Fatalf("status %d, errors %q; want 200 and BAD_USER_INPUT", r.Status, r.ErrorText())
			}
			if msg := r.ErrorText(); !strings.Contains(msg, "properties must be an object") || !strings.Contains(msg, "got "+tc.got) {
				t.Errorf("message %q, want one that says properties must be an object and got %s", msg, tc.got)
			}
			if s, _ := st.Stats(t.Context()); s.Nodes != 0 || s.Edges != 0 {
				t.Errorf("a refused mutation wrote %d nodes, %d relationships", s.Nodes, s.Edges)
			}
		})
	}
	// An object is accepted.
	if r := c.DoWithKey(editor, asVariable, map[string]any{"p": map[string]any{"name": "某人"}}); len(r.Errors) > 0 {
		t.Fatalf("properties as an object: %s", r.ErrorText())
	}
}
