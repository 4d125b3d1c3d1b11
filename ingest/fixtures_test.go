package ingest_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/store/backendtest"
	"github.com/innograph/innograph/store/storetest"
)

// backends lists the stores every import and export test runs on.
var backends = backendtest.All()

// openEmbedded opens an empty embedded store.
var openEmbedded = backendtest.Embedded

// writeCSV writes rows as CSV in the encoding enc (nil: UTF-8).
func writeCSV(t testing.TB, path string, enc encoding.Encoding, rows [][]string) {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if enc != nil {
		var err error
		if data, err = enc.NewEncoder().Bytes(data); err != nil {
			t.Fatalf("encoding %s: %v", path, err)
		}
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// sheet is one sheet of a workbook: its name and rows (the first is the
// header).
type sheet struct {
	name string
	rows [][]any
}

// writeXLSX builds a workbook with excelize.
func writeXLSX(t testing.TB, path string, sheets []sheet) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), s.name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// writeJSONL writes one JSON object per line.
func writeJSONL(t testing.TB, path string, records []map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	for _, r := range records {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The fixture: an enterprise register in a GBK CSV file, a workbook of
// universities, incubators and two relationship types, and a JSON Lines
// file of talents and relationships.
const (
	fixtureEnterprises = 30
	fixtureTalents     = 5
)

// fixtureFiles writes the fixture into dir and returns the paths.
func fixtureFiles(t testing.TB, dir string) (csvPath, xlsxPath, jsonlPath string) {
	t.Helper()
	rows := [][]string{{"id", "name", "aliases", "district", "creditCode", "aboveScale", "foundedYear", "revenue.2023", "revenue.2024", "industry"}}
	for i := 1; i <= fixtureEnterprises; i++ {
		above := "否"
		if i%3 == 0 {
			above = "是"
		}
		rows = append(rows, []string{
			fmt.Sprintf("ent-%03d", i), fmt.Sprintf("大连星海%03d科技有限公司", i), fmt.Sprintf("星海%d；海星%d", i, i), "中山区",
			storetest.CreditCode(t, i), above, fmt.Sprint(2000 + i%20), fmt.Sprintf("%d", 1_000_000*i), fmt.Sprintf("%d,500", 1_200*i), "软件和信息技术服务",
		})
	}
	csvPath = filepath.Join(dir, "企业.csv")
	writeCSV(t, csvPath, simplifiedchinese.GBK, rows)

	unis := [][]any{{"id", "name", "type", "foundedYear", "nameEn"}}
	for i := 1; i <= 3; i++ {
		unis = append(unis, []any{fmt.Sprintf("uni-%d", i), fmt.Sprintf("大连第%d研究院", i), "research_institute", 1950 + i, fmt.Sprintf("Dalian Institute %d", i)})
	}
	incs := [][]any{{"id", "name", "level", "area", "operator"}, {"inc-1", "中山区科技企业孵化器", "市级", 12000.5, "中山区科技局"}, {"inc-2", "星海湾众创孵化基地", "NATIONAL", 8000, ""}}
	supplies := [][]any{{"from", "to", "product", "value", "since"}}
	for i := 1; i < fixtureEnterprises; i++ {
		supplies = append(supplies, []any{fmt.Sprintf("ent-%03d", i), fmt.Sprintf("ent-%03d", i+1), "软件服务", 10_000.25 * float64(i), 2018 + i%5})
	}
	incubated := [][]any{{"from", "to", "since", "graduated"}}
	for i := 1; i <= 10; i++ {
		incubated = append(incubated, []any{fmt.Sprintf("ent-%03d", i), fmt.Sprintf("inc-%d", 1+i%2), 2015 + i%5, 2021 + i%3})
	}
	xlsxPath = filepath.Join(dir, "book.xlsx")
	writeXLSX(t, xlsxPath, []sheet{{"高校", unis}, {"Incubator", incs}, {"SUPPLIES", supplies}, {"孵化", incubated}})

	var recs []map[string]any
	for i := 1; i <= fixtureTalents; i++ {
		recs = append(recs, map[string]any{"id": fmt.Sprintf("tal-%d", i), "kind": "TALENT", "name": fmt.Sprintf("人才%d", i), "field": "海洋工程", "source": "manual"})
	}
	for i := 1; i <= fixtureTalents; i++ {
		recs = append(recs, map[string]any{"type": "WORKS_AT", "from": fmt.Sprintf("tal-%d", i), "to": fmt.Sprintf("ent-%03d", i), "role": "总工程师", "since": 2019, "source": "manual"})
	}
	for i := 1; i <= 3; i++ {
		recs = append(recs, map[string]any{"type": "COLLABORATES_WITH", "from": fmt.Sprintf("ent-%03d", 10+i), "to": fmt.Sprintf("uni-%d", i), "mode": "JOINT_LAB", "id": fmt.Sprintf("collab-%d", i), "source": "manual"})
	}
	jsonlPath = filepath.Join(dir, "people.jsonl")
	writeJSONL(t, jsonlPath, recs)
	return csvPath, xlsxPath, jsonlPath
}

// fixtureCounts are the nodes and edges the fixture holds.
var (
	fixtureKinds = map[kg.Kind]int{kg.Enterprise: fixtureEnterprises, kg.University: 3, kg.Incubator: 2, kg.Talent: fixtureTalents}
	fixtureTypes = map[kg.RelType]int{kg.Supplies: fixtureEnterprises - 1, kg.IncubatedBy: 10, kg.WorksAt: fixtureTalents, kg.CollaboratesWith: 3}
)

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
	return sheet{"Enterprise", rows}
}
