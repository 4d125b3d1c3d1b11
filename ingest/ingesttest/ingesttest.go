// Package ingesttest writes the files the tests of imports and exports
// read: CSV in any encoding, workbooks, JSON Lines, and the fixture of a
// small register in all three.
package ingesttest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/innograph/innograph/ingest"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/store/storetest"
)

// MustImport imports paths into st, failing the test (and logging the
// problems) on an error.
func MustImport(t testing.TB, st kg.Store, paths []string, opts ingest.Options) *ingest.Report {
	t.Helper()
	rep, err := ingest.Import(t.Context(), st, paths, opts)
	if err != nil {
		if rep != nil {
			for _, p := range rep.Problems {
				t.Log(p)
			}
		}
		t.Fatalf("Import(%v): %v", paths, err)
	}
	return rep
}

// Stats returns the counts of st, failing the test on an error.
func Stats(t testing.TB, st kg.Store) *kg.Stats {
	t.Helper()
	s, err := st.Stats(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// WriteFile writes data to the file name in dir and returns its path.
func WriteFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// FixtureFilesList writes the fixture into a temporary directory and
// returns the paths (see FixtureFiles).
func FixtureFilesList(t testing.TB) []string {
	a, b, c := FixtureFiles(t, t.TempDir())
	return []string{a, b, c}
}

// WriteCSV writes rows as CSV in the encoding enc (nil: UTF-8).
func WriteCSV(t testing.TB, path string, enc encoding.Encoding, rows [][]string) {
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

// Sheet is one sheet of a workbook: its name and rows (the first is the
// header).
type Sheet struct {
	Name string
	Rows [][]any
}

// WriteXLSX builds a workbook with excelize.
func WriteXLSX(t testing.TB, path string, sheets []Sheet) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), s.Name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			t.Fatal(err)
		}
		for r, row := range s.Rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.Name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// WriteJSONL writes one JSON object per line.
func WriteJSONL(t testing.TB, path string, records []map[string]any) {
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
	FixtureEnterprises = 30
	FixtureTalents     = 5
)

// FixtureFiles writes the fixture into dir and returns the paths.
func FixtureFiles(t testing.TB, dir string) (csvPath, xlsxPath, jsonlPath string) {
	t.Helper()
	rows := [][]string{{"id", "name", "aliases", "district", "creditCode", "aboveScale", "foundedYear", "revenue.2023", "revenue.2024", "industry"}}
	for i := 1; i <= FixtureEnterprises; i++ {
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
	WriteCSV(t, csvPath, simplifiedchinese.GBK, rows)

	unis := [][]any{{"id", "name", "type", "foundedYear", "nameEn"}}
	for i := 1; i <= 3; i++ {
		unis = append(unis, []any{fmt.Sprintf("uni-%d", i), fmt.Sprintf("大连第%d研究院", i), "research_institute", 1950 + i, fmt.Sprintf("Dalian Institute %d", i)})
	}
	incs := [][]any{{"id", "name", "level", "area", "operator"}, {"inc-1", "中山区科技企业孵化器", "市级", 12000.5, "中山区科技局"}, {"inc-2", "星海湾众创孵化基地", "NATIONAL", 8000, ""}}
	supplies := [][]any{{"from", "to", "product", "value", "since"}}
	for i := 1; i < FixtureEnterprises; i++ {
		supplies = append(supplies, []any{fmt.Sprintf("ent-%03d", i), fmt.Sprintf("ent-%03d", i+1), "软件服务", 10_000.25 * float64(i), 2018 + i%5})
	}
	incubated := [][]any{{"from", "to", "since", "graduated"}}
	for i := 1; i <= 10; i++ {
		incubated = append(incubated, []any{fmt.Sprintf("ent-%03d", i), fmt.Sprintf("inc-%d", 1+i%2), 2015 + i%5, 2021 + i%3})
	}
	xlsxPath = filepath.Join(dir, "book.xlsx")
	WriteXLSX(t, xlsxPath, []Sheet{{"高校", unis}, {"Incubator", incs}, {"SUPPLIES", supplies}, {"孵化", incubated}})

	var recs []map[string]any
	for i := 1; i <= FixtureTalents; i++ {
		recs = append(recs, map[string]any{"id": fmt.Sprintf("tal-%d", i), "kind": "TALENT", "name": fmt.Sprintf("人才%d", i), "field": "海洋工程", "source": "manual"})
	}
	for i := 1; i <= FixtureTalents; i++ {
		recs = append(recs, map[string]any{"type": "WORKS_AT", "from": fmt.Sprintf("tal-%d", i), "to": fmt.Sprintf("ent-%03d", i), "role": "总工程师", "since": 2019, "source": "manual"})
	}
	for i := 1; i <= 3; i++ {
		recs = append(recs, map[string]any{"type": "COLLABORATES_WITH", "from": fmt.Sprintf("ent-%03d", 10+i), "to": fmt.Sprintf("uni-%d", i), "mode": "JOINT_LAB", "id": fmt.Sprintf("collab-%d", i), "source": "manual"})
	}
	jsonlPath = filepath.Join(dir, "people.jsonl")
	WriteJSONL(t, jsonlPath, recs)
	return csvPath, xlsxPath, jsonlPath
}

// FixtureKinds and FixtureTypes are the nodes and edges the fixture holds.
var (
	FixtureKinds = map[kg.Kind]int{kg.Enterprise: FixtureEnterprises, kg.University: 3, kg.Incubator: 2, kg.Talent: FixtureTalents}
	FixtureTypes = map[kg.RelType]int{kg.Supplies: FixtureEnterprises - 1, kg.IncubatedBy: 10, kg.WorksAt: FixtureTalents, kg.CollaboratesWith: 3}
)
