package ingest_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/ingest"
	"github.com/innograph/innograph/kg"
)

// fuzzNames are the file names FuzzImport writes its input under: the
// name says the format and, for some, the kind or type of the records.
var fuzzNames = []string{"Enterprise.csv", "SUPPLIES.csv", "Talent.tsv", "records.csv", "records.jsonl", "records.json"}

// fuzzDeadline bounds the work of one input: an import of a few
// kilobytes that takes longer is unbounded work.
const fuzzDeadline = 20 * time.Second

// FuzzImport feeds arbitrary bytes to the importer as a CSV, TSV, JSON
// Lines or JSON file, against one embedded store per worker. Every input
// must be either refused with problems that name the file, writing
// nothing, or accepted: then the import writes every row and importing
// the file again changes nothing. No input may panic or run past
// fuzzDeadline.
//
// In CI: go test -run '^$' -fuzz '^FuzzImport$' -fuzztime 20s -fuzzminimizetime 1x ./ingest/
// Longer: go test -run '^$' -fuzz '^FuzzImport$' -fuzztime 30m ./ingest/
// (-fuzzminimizetime 1x keeps a short run fuzzing rather than minimizing
// each new input for up to a minute; a failing input is saved under
// ingest/testdata/fuzz/FuzzImport and then runs with the package's tests).
func FuzzImport(f *testing.F) {
	seeds := []struct {
		name uint8
		data string
	}{
		{0, "id,name,creditCode,revenue.2023,aliases\ne1,大连甲公司,91210202MA0QK6JH1X,1200,甲；甲公司\ne2,乙公司,,\"1,500\",\n"},
		{0, "\uFEFFid,name,revenue\ne1,甲,\"{\"\"2023\"\": 5}\"\ne2,乙,-3\n"},
		{0, "id,name\ne1,\"unterminated\ne2,乙\n"},
		{0, "id,name\ne1,企业\xff\n"},
		{0, "id,name,kind\ne1,甲,Talent\ne1,乙,Enterprise\n"},
		{1, "from,to,since,until,value\ne1,e2,2020,2019,-5\ne3,e3,,,\n"},
		{2, "id\tname\tfield\nt1\t张三\t海洋\n"},
		{3, "id,name,kind\nx,甲,Enterprise\n,,\nfrom,to,type\n"},
		{4, "{\"id\":\"t1\",\"kind\":\"Talent\",\"name\":\"甲\"}\n{\"type\":\"WORKS_AT\",\"from\":\"t1\",\"to\":\"t1\"}\n{\"id\":\"t2\",\"kind\":\"Talent\",\"name\":\"\\ud800\"}\n"},
		{4, "{\"id\":\"i1\",\"kind\":\"Industry\",\"name\":\"环节\"}\n{\"type\":\"FEEDS\",\"from\":\"i1\",\"to\":\"i1\"}\n"},
		{5, "{\"nodes\":[{\"id\":\"u1\",\"kind\":\"University\",\"name\":\"大学\",\"type\":\"university\"}],\"edges\":[{\"type\":\"COLLABORATES_WITH\",\"from\":\"u1\",\"to\":\"u1\"}]}"},
		{5, "[{\"id\":\"e1\",\"kind\":\"Enterprise\",\"name\":\"甲\",\"revenue\":{\"2023\":1e400}}]"},
		{5, "[1, \"x\", null]"},
	}
	for _, s := range seeds {
		f.Add(s.name, []byte(s.data))
	}
	st := openEmbedded(f)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, name uint8, data []byte) {
		file := filepath.Join(dir, fuzzNames[int(name)%len(fuzzNames)])
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), fuzzDeadline)
		defer cancel()
		before, err := st.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		dry, err := ingest.Import(ctx, st, []string{file}, ingest.Options{DryRun: true, BatchSize: 7})
		checkFuzzReport(t, ctx, file, dry, err)
		if after, _ := st.Stats(ctx); !sameCounts(before, after) {
			t.Fatalf("a dry run wrote: %+v → %+v", before, after)
		}
		rep, err := ingest.Import(ctx, st, []string{file}, ingest.Options{BatchSize: 7})
		checkFuzzReport(t, ctx, file, rep, err)
		if (err == nil) != (dry.ProblemCount == 0) {
			t.Fatalf("the dry run found %d problems, the import %v", dry.ProblemCount, err)
		}
		if err != nil {
			if after, _ := st.Stats(ctx); !sameCounts(before, after) {
				t.Fatalf("a refused import wrote: %+v → %+v", before, after)
			}
			return
		}
		r := rep.Result
		if n := r.NodesCreated + r.NodesUpdated + r.NodesUnchanged; n != rep.NodeRows {
			t.Errorf("%d node rows, %d written", rep.NodeRows, n)
		}
		if n := r.EdgesCreated + r.EdgesUpdated + r.EdgesUnchanged; n != rep.EdgeRows {
			t.Errorf("%d relationship rows, %d written", rep.EdgeRows, n)
		}
		again, err := ingest.Import(ctx, st, []string{file}, ingest.Options{BatchSize: 7})
		checkFuzzReport(t, ctx, file, again, err)
		if err != nil {
			t.Fatalf("the file was imported, then refused: %v", again.Problems)
		}
		if want := (kg.WriteResult{NodesUnchanged: rep.NodeRows, EdgesUnchanged: rep.EdgeRows}); again.Result != want {
			t.Errorf("importing again wrote %+v, want everything unchanged", again.Result)
		}
	})
}

// FuzzImportSheet imports a workbook whose first sheet's XML is
// arbitrary bytes (the other parts are those of a valid workbook): the
// check of the workbook must refuse damage, and what it lets through must
// be read by excelize without a panic, as FuzzImport requires of a file.
//
// In CI: go test -run '^$' -fuzz '^FuzzImportSheet$' -fuzztime 20s -fuzzminimizetime 1x ./ingest/
// Longer: go test -run '^$' -fuzz '^FuzzImportSheet$' -fuzztime 30m ./ingest/
func FuzzImportSheet(f *testing.F) {
	dir := f.TempDir()
	base := filepath.Join(dir, "base.xlsx")
	writeXLSX(f, base, []sheet{{Name: "Enterprise", Rows: [][]any{{"id", "name", "revenue.2023"}, {"s1", "甲公司", 100}, {"s2", "乙公司", 200}}}})
	var good []byte
	rewriteXLSX(f, base, filepath.Join(dir, "copy.xlsx"), func(name string, data []byte) []byte {
		if name == sheetPart {
			good = data
		}
		return data
	})
	f.Add(good)
	f.Add(good[:len(good)*2/3])
	f.Add([]byte(strings.Replace(string(good), `r="3"`, `r="2"`, 1)))
	f.Add([]byte(strings.Replace(string(good), `<v>5</v>`, `<v>50</v>`, 1)))
	f.Add([]byte(`<worksheet><sheetData><row><c t="inlineStr"><is><t>id</t></is></c><c t="inlineStr"><is><t>name</t></is></c></row><row><c t="inlineStr"><is><t>x1</t></is></c><c t="inlineStr"><is><t>丙</t></is></c></row></sheetData></worksheet>`))
	f.Add([]byte(`<worksheet><sheetData><row r="1048577"><c r="A1048577"><v>1</v></c></row></sheetData></worksheet>`))
	st := openEmbedded(f)
	f.Fuzz(func(t *testing.T, xml []byte) {
		file := filepath.Join(t.TempDir(), "book.xlsx")
		rewriteXLSX(t, base, file, func(name string, data []byte) []byte {
			if name == sheetPart {
				return xml
			}
			return data
		})
		ctx, cancel := context.WithTimeout(context.Background(), fuzzDeadline)
		defer cancel()
		before, err := st.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := ingest.Import(ctx, st, []string{file}, ingest.Options{DryRun: true})
		checkFuzzReport(t, ctx, file, rep, err)
		if after, _ := st.Stats(ctx); !sameCounts(before, after) {
			t.Fatalf("a dry run wrote: %+v → %+v", before, after)
		}
	})
}

// checkFuzzReport checks what Import answered for one file: a report, and
// either no error and no problem, or ErrRejected with problems that name
// the file and nothing written. Running out of time is unbounded work.
func checkFuzzReport(t *testing.T, ctx context.Context, file string, rep *ingest.Report, err error) {
	t.Helper()
	if ctx.Err() != nil {
		t.Fatalf("the import ran past %v: %v", fuzzDeadline, err)
	}
	if rep == nil {
		t.Fatalf("no report; error %v", err)
	}
	switch {
	case err == nil:
		if rep.ProblemCount != 0 || len(rep.Problems) != 0 || rep.Rejected != 0 {
			t.Fatalf("accepted with problems: %v", rep.Problems)
		}
	case errors.Is(err, ingest.ErrRejected):
		if rep.ProblemCount == 0 || len(rep.Problems) == 0 || rep.Rejected > rep.ProblemCount {
			t.Fatalf("refused with %d problems (%d listed), %d rows rejected", rep.ProblemCount, len(rep.Problems), rep.Rejected)
		}
		for _, p := range rep.Problems {
			if p.File != file || !strings.HasPrefix(p.String(), file) || p.Message == "" {
				t.Fatalf("a problem that does not name the file: %+v", p)
			}
		}
		if rep.Result != (kg.WriteResult{}) || rep.Batches != 0 {
			t.Fatalf("a refused import wrote %+v", rep.Result)
		}
	default:
		t.Fatalf("Import: %v (want nil or ErrRejected)", err)
	}
}

// sameCounts reports whether two store counts are equal.
func sameCounts(a, b *kg.Stats) bool {
	if a == nil || b == nil || a.Nodes != b.Nodes || a.Edges != b.Edges {
		return a == b
	}
	return true
}
