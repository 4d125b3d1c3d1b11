package ingest_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/innograph/innograph/ingest/ingesttest"
	"github.com/innograph/innograph/store/backendtest"
)

// backends lists the stores every import test runs on.
var backends = backendtest.All()

// openEmbedded opens an empty embedded store.
var openEmbedded = backendtest.Embedded

// The writers and the fixture of package ingesttest, under the names
// these tests use.
var (
	writeFile    = ingesttest.WriteFile
	writeCSV     = ingesttest.WriteCSV
	writeXLSX    = ingesttest.WriteXLSX
	writeJSONL   = ingesttest.WriteJSONL
	fixtureFiles = ingesttest.FixtureFiles
	fixtureKinds = ingesttest.FixtureKinds
	fixtureTypes = ingesttest.FixtureTypes
)

type sheet = ingesttest.Sheet

// rewriteXLSX copies the workbook at src to dst, passing the content of
// each zip entry through edit (by the entry's name). The copy is a valid
// zip whatever edit does to the content.
func rewriteXLSX(t testing.TB, src, dst string, edit func(name string, data []byte) []byte) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(edit(f.Name, data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// enterpriseSheet returns a sheet named Enterprise of n valid enterprise
// rows under a header (rows 2 to n+1).
func enterpriseSheet(n int) sheet {
	rows := [][]any{{"id", "name", "district", "revenue.2023"}}
	for i := 1; i <= n; i++ {
		rows = append(rows, []any{fmt.Sprintf("w%04d", i), fmt.Sprintf("大连工作簿%04d有限公司", i), "中山区", i * 1000})
	}
	return sheet{Name: "Enterprise", Rows: rows}
}
