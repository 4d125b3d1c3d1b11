package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSummaryCountsAndGroupsSkips(t *testing.T) {
	stream := `{"Action":"start","Package":"ex/a"}
{"Action":"run","Package":"ex/a","Test":"TestOne"}
{"Action":"output","Package":"ex/a","Test":"TestOne","Output":"=== RUN   TestOne\n"}
{"Action":"output","Package":"ex/a","Test":"TestOne","Output":"    one_test.go:12: !!! NO NEO4J: start it with make neo4j-up\n"}
{"Action":"output","Package":"ex/a","Test":"TestOne","Output":"--- SKIP: TestOne (0.00s)\n"}
{"Action":"skip","Package":"ex/a","Test":"TestOne"}
{"Action":"output","Package":"ex/a","Test":"TestTwo","Output":"    two_test.go:40: !!! NO NEO4J: start it with make neo4j-up\n"}
{"Action":"skip","Package":"ex/a","Test":"TestTwo"}
{"Action":"skip","Package":"ex/a","Test":"TestQuiet"}
{"Action":"output","Package":"ex/a","Test":"TestBad","Output":"    bad_test.go:7: got 2, want 3\n"}
{"Action":"fail","Package":"ex/a","Test":"TestBad"}
{"Action":"pass","Package":"ex/a","Test":"TestGood"}
{"Action":"output","Package":"ex/a","Output":"FAIL\n"}
{"Action":"fail","Package":"ex/a","Elapsed":1.5}
not json: a go command message
{"Action":"pass","Package":"ex/b","Test":"TestB"}
{"Action":"pass","Package":"ex/b","Elapsed":0.2}
`
	tests := []struct {
		name string
		want string
	}{
		{"counts", "6 tests ran: 2 passed, 1 failed, 3 skipped"},
		{"closing line", "tests: 2 passed, 1 failed, 3 skipped\n"},
		{"shared reason once", "    2 × !!! NO NEO4J: start it with make neo4j-up\n        a.TestOne, a.TestTwo\n"},
		{"no reason", "1 × (no reason given)"},
		{"failed output shown", "bad_test.go:7: got 2, want 3"},
		{"failed package", "FAIL ex/a 1.5s"},
		{"passing package", "ok   ex/b 0.2s"},
		{"foreign line kept", "not json: a go command message"},
		{"failed packages listed", "failed packages: ex/a"},
	}
	s := newSummary()
	var out bytes.Buffer
	if err := s.read(strings.NewReader(stream), &out); err != nil {
		t.Fatal(err)
	}
	s.write(&out)
	got := out.String()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(got, tc.want) {
				t.Errorf("summary lacks %q:\n%s", tc.want, got)
			}
		})
	}
	if n := strings.Count(got, "NO NEO4J"); n != 1 {
		t.Errorf("the shared skip reason appears %d times, want once:\n%s", n, got)
	}
	if strings.Contains(got, "=== RUN") || strings.Contains(got, "--- SKIP") {
		t.Errorf("framing lines leaked into the summary:\n%s", got)
	}
}

// TestRunRealGoTest runs go test on a small module whose tests pass, fail
// and skip, and checks the exit code and the closing summary.
func TestRunRealGoTest(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test on a module of its own; not in -short mode")
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/ex\n\ngo 1.22\n",
		"ex_test.go": `package ex

import "testing"

func TestPass(t *testing.T) {}
func TestSkipA(t *testing.T) { t.Skip("no server here") }
func TestSkipB(t *testing.T) { t.Skip("no server here") }
func TestSub(t *testing.T) {
	t.Run("x", func(t *testing.T) { t.Skip("other reason") })
}
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name     string
		args     []string
		wantCode int
		want     []string
	}{
		{"all", []string{"-count=1", "./..."}, 0, []string{"tests: 2 passed, 0 failed, 3 skipped", "2 × no server here", "1 × other reason"}},
		{"build failure", []string{"-count=1", "./missing"}, 1, []string{"tests: 0 passed, 0 failed, 0 skipped"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(tc.args, dir, &out, &errOut)
			if code != tc.wantCode {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.wantCode, out.String(), errOut.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}
