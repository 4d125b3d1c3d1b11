package ingest_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/innograph/innograph/ingest"
	"github.com/innograph/innograph/kg"
)

// TestCSVEncodings imports the same CSV text saved in each encoding that
// Chinese spreadsheet software writes, detected or named.
func TestCSVEncodings(t *testing.T) {
	const name = "张𠀀海（大连）" // 𠀀 (U+20000) exists in GB18030, not in GBK
	const gbkName = "张海（大连）"
	text := func(n string) string { return "id,name,field,aliases\r\nt1," + n + ",海洋工程,甲；乙\r\n" }
	enc := func(t *testing.T, e interface{ Bytes([]byte) ([]byte, error) }, s string) []byte {
		b, err := e.Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := []struct {
		name     string
		data     func(t *testing.T) []byte
		encoding string
		want     string
	}{
		{"utf-8", func(t *testing.T) []byte { return []byte(text(name)) }, "", name},
		{"utf-8 with a byte order mark", func(t *testing.T) []byte { return append([]byte{0xEF, 0xBB, 0xBF}, text(name)...) }, "", name},
		{"gbk detected", func(t *testing.T) []byte { return enc(t, simplifiedchinese.GBK.NewEncoder(), text(gbkName)) }, "", gbkName},
		{"gbk named", func(t *testing.T) []byte { return enc(t, simplifiedchinese.GBK.NewEncoder(), text(gbkName)) }, "gbk", gbkName},
		{"gb18030 detected", func(t *testing.T) []byte { return enc(t, simplifiedchinese.GB18030.NewEncoder(), text(name)) }, "", name},
		{"utf-16 with a byte order mark", func(t *testing.T) []byte {
			return enc(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder(), text(name))
		}, "auto", name},
		{"tab-separated", func(t *testing.T) []byte { return []byte(strings.ReplaceAll(text(name), ",", "\t")) }, "", name},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := openEmbedded(t)
			p := filepath.Join(t.TempDir(), "Talent.csv")
			if err := os.WriteFile(p, tc.data(t), 0o644); err != nil {
				t.Fatal(err)
			}
			mustImport(t, st, []string{p}, ingest.Options{Encoding: tc.encoding})
			n := node(t, st, "t1")
			if n.Name() != tc.want || n.Props.Str("field") != "海洋工程" || !slices.Equal(n.Props.Strings("aliases"), []string{"甲", "乙"}) {
				t.Errorf("read %v, want name %q", n.Props, tc.want)
			}
		})
	}
	t.Run("unknown encoding", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "Talent.csv")
		if err := os.WriteFile(p, []byte(text(name)), 0o644); err != nil {
			t.Fatal(err)
		}
		rep, err := ingest.Import(t.Context(), openEmbedded(t), []string{p}, ingest.Options{Encoding: "ebcdic"})
		if !errors.Is(err, ingest.ErrRejected) || rep.ProblemCount != 1 || !strings.Contains(rep.Problems[0].String(), `unknown encoding "ebcdic"`) {
			t.Errorf("an unknown encoding: %v, %+v", err, rep)
		}
	})
}

func TestParseNames(t *testing.T) {
	kinds := map[string]kg.Kind{
		"Enterprise": kg.Enterprise, "ENTERPRISE": kg.Enterprise, "enterprises": kg.Enterprise, "企业": kg.Enterprise,
		"SERVICE_AGENCY": kg.ServiceAgency, "service-agency": kg.ServiceAgency, "科技服务机构": kg.ServiceAgency,
		"高校": kg.University, "科研院所": kg.University, "众创空间": kg.Makerspace, "孵化器": kg.Incubator, "industries": kg.Industry,
	}
	for s, want := range kinds {
		if got, ok := ingest.ParseKind(s); !ok || got != want {
			t.Errorf("ParseKind(%q) = %q, %v; want %q", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "Spaceship", "SUPPLIES"} {
		if k, ok := ingest.ParseKind(s); ok {
			t.Errorf("ParseKind(%q) = %q", s, k)
		}
	}
	types := map[string]kg.RelType{"SUPPLIES": kg.Supplies, "supplies": kg.Supplies, "供应": kg.Supplies, "collaborates_with": kg.CollaboratesWith, "孵化": kg.IncubatedBy, "InIndustry": kg.InIndustry}
	for s, want := range types {
		if got, ok := ingest.ParseRelType(s); !ok || got != want {
			t.Errorf("ParseRelType(%q) = %q, %v; want %q", s, got, ok, want)
		}
	}
	for a, b := range map[string]string{"大连（星海）装备有限公司": "大连(星海)装备有限公司", "Dalian  Port": "dalianport", "大连 蓝海 软件": "大连蓝海软件"} {
		if ingest.NormalName(a) != ingest.NormalName(b) {
			t.Errorf("NormalName(%q) = %q, NormalName(%q) = %q", a, ingest.NormalName(a), b, ingest.NormalName(b))
		}
	}
	if ingest.NormalName("大连星海") == ingest.NormalName("大连星河") {
		t.Error("different names normalise alike")
	}
}

// TestTemplates writes the templates, fills them in as a planner would,
// and imports them.
func TestTemplates(t *testing.T) {
	years := []int{2023, 2024}
	targets, err := ingest.ParseTemplateTargets("Enterprise,供应,Incubator")
	if err != nil {
		t.Fatal(err)
	}
	if cols := ingest.TemplateColumns(targets[0], years); !slices.Contains(cols, "revenue.2024") || cols[0] != "id" || slices.Contains(cols, "revenue") {
		t.Errorf("enterprise columns %v", cols)
	}
	if cols := ingest.TemplateColumns(targets[1], years); !slices.Equal(cols[:3], []string{"type", "from", "to"}) || !slices.Contains(cols, "product") {
		t.Errorf("SUPPLIES columns %v", cols)
	}
	all, err := ingest.ParseTemplateTargets("all")
	if err != nil || len(all) != len(kg.Kinds)+len(kg.RelTypes) {
		t.Errorf("all: %d targets, %v", len(all), err)
	}
	if _, err := ingest.ParseTemplateTargets("Spaceship"); err == nil {
		t.Error("a template for an unknown name")
	}

	dir := t.TempDir()
	// CSV: the header, then rows appended by hand.
	var csvBuf bytes.Buffer
	if err := ingest.WriteTemplateCSV(&csvBuf, targets[0], years); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(csvBuf.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Error("the CSV template has no byte order mark (spreadsheet software would read it as GBK)")
	}
	header := strings.Split(strings.TrimSpace(strings.TrimPrefix(csvBuf.String(), "\uFEFF")), ",")
	row := make([]string, len(header))
	for i, h := range header {
		switch h {
		case "id":
			row[i] = "tpl-e1"
		case "name":
			row[i] = "模板企业"
		case "revenue.2024":
			row[i] = "1234567.5"
		case "aboveScale":
			row[i] = "true"
		}
	}
	csvBuf.WriteString(strings.Join(row, ",") + "\n")
	csvPath := writeFile(t, dir, "Enterprise.csv", csvBuf.Bytes())

	// XLSX: one sheet per target, filled with excelize.
	var xb bytes.Buffer
	if err := ingest.WriteTemplateXLSX(&xb, targets, years); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xb)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Enterprise", "SUPPLIES", "Incubator"}) {
		t.Errorf("sheets %v", got)
	}
	// Enum columns offer their values as a drop-down list.
	dvs, err := f.GetDataValidations("Incubator")
	if err != nil {
		t.Fatal(err)
	}
	incHeader, err := f.GetRows("Incubator")
	if err != nil || len(incHeader) == 0 {
		t.Fatalf("Incubator sheet: %v", err)
	}
	levelCol, _ := excelize.ColumnNumberToName(slices.Index(incHeader[0], "level") + 1)
	var levelList bool
	for _, dv := range dvs {
		if strings.HasPrefix(dv.Sqref, levelCol+"2:") && strings.Contains(dv.Formula1, "PROVINCIAL") {
			levelList = true
		}
	}
	if !levelList {
		t.Errorf("no drop-down list of levels on column %s of the Incubator sheet: %+v", levelCol, dvs)
	}
	fill := func(sheet string, values map[string]any) {
		rows, err := f.GetRows(sheet)
		if err != nil || len(rows) != 1 {
			t.Fatalf("sheet %s: %v rows, %v", sheet, len(rows), err)
		}
		for i, h := range rows[0] {
			if v, ok := values[h]; ok {
				cell, _ := excelize.CoordinatesToCellName(i+1, 2)
				f.SetCellValue(sheet, cell, v)
			}
		}
	}
	fill("Enterprise", map[string]any{"id": "tpl-e2", "name": "模板企业二", "employees.2023": 12})
	fill("SUPPLIES", map[string]any{"from": "tpl-e1", "to": "tpl-e2", "value": 5000, "since": 2022})
	fill("Incubator", map[string]any{"id": "tpl-i", "name": "模板孵化器", "level": "PROVINCIAL"})
	xlsxPath := filepath.Join(dir, "filled.xlsx")
	if err := f.SaveAs(xlsxPath); err != nil {
		t.Fatal(err)
	}
	f.Close()

	st := openEmbedded(t)
	mustImport(t, st, []string{csvPath, xlsxPath}, ingest.Options{})
	if r := node(t, st, "tpl-e1").Props.Series("revenue"); r[2024] != 1234567.5 || len(r) != 1 {
		t.Errorf("revenue from the CSV template: %v", r)
	}
	if e := node(t, st, "tpl-e2").Props.Series("employees"); e[2023] != 12 {
		t.Errorf("employees from the XLSX template: %v", e)
	}
	if n := node(t, st, "tpl-i"); n.Props.Str("level") != "PROVINCIAL" {
		t.Errorf("incubator %v", n.Props)
	}
	edgeByID(t, st, kg.EdgeID(kg.Supplies, "tpl-e1", "tpl-e2"))
}
