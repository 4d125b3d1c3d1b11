package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/innograph/innograph/auth"
)

// run runs the command line and returns its exit code and output.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestImportExportCommands drives import, export and their templates
// through the command line against an embedded store.
func TestImportExportCommands(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	tpl := filepath.Join(dir, "Enterprise.csv")
	if code, out, errOut := run(t, "import", "--template", "ENTERPRISE", "--years", "2024-2025", tpl); code != 0 || !strings.Contains(out, "wrote the csv template") {
		t.Fatalf("template: %d %s %s", code, out, errOut)
	}
	head, _ := os.ReadFile(tpl)
	if !strings.Contains(string(head), "id,name,") || !strings.Contains(string(head), "revenue.2024,revenue.2025") {
		t.Errorf("template header %q", head)
	}
	if code, _, errOut := run(t, "import", "--template", "Talent,WORKS_AT", "--format", "csv", filepath.Join(dir, "x.csv")); code == 0 || !strings.Contains(errOut, "one kind or type") {
		t.Errorf("a CSV template of two targets: %d %s", code, errOut)
	}
	if code, out, _ := run(t, "import", "--template", "all", filepath.Join(dir, "all.xlsx")); code != 0 || !strings.Contains(out, "xlsx template") {
		t.Errorf("an XLSX template of everything: %d %s", code, out)
	}

	good := filepath.Join(dir, "Talent.csv")
	os.WriteFile(good, []byte("id,name,field\nt1,张三,海洋\nt2,李四,软件\n"), 0o644)
	bad := filepath.Join(dir, "WORKS_AT.csv")
	os.WriteFile(bad, []byte("from,to,role\nt1,t2,顾问\n"), 0o644)

	code, out, errOut := run(t, "import", "--data-dir", data, "--progress", "none", good, bad)
	if code != 1 || !strings.Contains(errOut, "WORKS_AT.csv: row 2, column B (to)") || !strings.Contains(errOut, "nothing was written") {
		t.Errorf("a bad import: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	code, out, errOut = run(t, "import", good, "--data-dir", data, "--progress", "lines")
	if code != 0 || !strings.Contains(out, "summary: 2 created, 0 updated, 0 unchanged, 0 rejected") || !strings.Contains(errOut, "writing: done") {
		t.Errorf("an import with flags after the file: exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	code, out, _ = run(t, "import", "--data-dir", data, "--progress", "none", "--dry-run", good)
	if code != 0 || !strings.Contains(out, "dry run: every row is valid; 0 nodes and 0 relationships are new, 2 and 0 exist") {
		t.Errorf("a dry run: exit %d %s", code, out)
	}
	code, out, _ = run(t, "import", "--data-dir", data, "--progress", "none", good)
	if code != 0 || !strings.Contains(out, "summary: 0 created, 0 updated, 2 unchanged, 0 rejected") {
		t.Errorf("a second import: exit %d %s", code, out)
	}

	csvDir := filepath.Join(dir, "csv")
	if code, _, errOut := run(t, "export", "--data-dir", data, "--format", "csv", "--output", csvDir); code != 0 || !strings.Contains(errOut, "exported 2 nodes and 0 relationships") {
		t.Errorf("export to a directory: %d %s", code, errOut)
	}
	if b, err := os.ReadFile(filepath.Join(csvDir, "nodes.csv")); err != nil || !strings.Contains(string(b), "t2,Talent,李四") {
		t.Errorf("nodes.csv: %q %v", b, err)
	}
	code, out, errOut = run(t, "export", "--data-dir", data, "--kinds", "TALENT")
	if code != 0 || strings.Count(out, "\n") != 2 || !strings.Contains(out, `{"id":"t1","kind":"Talent","field":"海洋","name":"张三","source":"Talent.csv"}`) {
		t.Errorf("export to standard output: %d %q %s", code, out, errOut)
	}
	// A neighbourhood: t1 works at e1, which e2 supplies; t2 is alone.
	more := filepath.Join(dir, "more")
	os.Mkdir(more, 0o755)
	os.WriteFile(filepath.Join(more, "Enterprise.csv"), []byte("id,name\ne1,星海公司\ne2,港湾公司\n"), 0o644)
	os.WriteFile(filepath.Join(more, "WORKS_AT.csv"), []byte("from,to,role\nt1,e1,顾问\n"), 0o644)
	os.WriteFile(filepath.Join(more, "SUPPLIES.csv"), []byte("from,to\ne2,e1\n"), 0o644)
	if code, out, errOut := run(t, "import", "--data-dir", data, "--progress", "none", filepath.Join(more, "Enterprise.csv"), filepath.Join(more, "WORKS_AT.csv"), filepath.Join(more, "SUPPLIES.csv")); code != 0 {
		t.Fatalf("importing a neighbourhood: %d %s %s", code, out, errOut)
	}
	for _, tc := range []struct {
		depth    string
		has, not []string
	}{
		{"1", []string{`<node id="t1" `, `<node id="e1" `, `source="t1" target="e1"`}, []string{`id="t2"`, `<node id="e2" `, `source="e2"`}},
		{"2", []string{`<node id="t1" `, `<node id="e1" `, `<node id="e2" `, `source="t1" target="e1"`, `source="e2" target="e1"`}, []string{`id="t2"`}},
	} {
		gexf := filepath.Join(dir, "g"+tc.depth+".gexf")
		if code, _, errOut := run(t, "export", "--data-dir", data, "--output", gexf, "--node", "t1", "--depth", tc.depth); code != 0 {
			t.Errorf("export of a neighbourhood of depth %s: %d %s", tc.depth, code, errOut)
		}
		b, _ := os.ReadFile(gexf)
		for _, s := range tc.has {
			if !bytes.Contains(b, []byte(s)) {
				t.Errorf("depth %s: no %s in %s", tc.depth, s, b)
			}
		}
		for _, s := range tc.not {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("depth %s: %s in %s", tc.depth, s, b)
			}
		}
	}
	if code, _, errOut := run(t, "export", "--data-dir", data, "--format", "pdf"); code == 0 || !strings.Contains(errOut, "unknown export format") {
		t.Errorf("an unknown format: %d %s", code, errOut)
	}
}

func TestKeysNew(t *testing.T) {
	code, out, errOut := run(t, "keys", "new", "--name", "alice", "--role", "editor")
	if code != 0 {
		t.Fatalf("keys new: %d %s", code, errOut)
	}
	var key, line string
	for _, l := range strings.Split(out, "\n") {
		if k, ok := strings.CutPrefix(l, "key:  "); ok {
			key = k
		}
		if k, ok := strings.CutPrefix(l, "line: "); ok {
			line = k
		}
	}
	var ks auth.Keys
	if err := ks.Parse(strings.NewReader(line), "output"); err != nil {
		t.Fatalf("the printed line %q: %v", line, err)
	}
	if k, ok := ks.Lookup(key); !ok || k.Name != "alice" || k.Role != auth.Editor {
		t.Errorf("the printed key does not match its line: %q %q", key, line)
	}
	if code, _, _ := run(t, "keys", "new", "--name", "bob", "--role", "owner"); code == 0 {
		t.Error("keys new with an unknown role succeeded")
	}
}
