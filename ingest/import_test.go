package ingest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/innograph/innograph/export"
	"github.com/innograph/innograph/ingest"
	"github.com/innograph/innograph/ingest/ingesttest"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/store/storetest"
)

var (
	stats      = ingesttest.Stats
	mustImport = ingesttest.MustImport
)

func checkCounts(t *testing.T, st kg.Store, kinds map[kg.Kind]int, types map[kg.RelType]int) {
	t.Helper()
	s := stats(t, st)
	for _, k := range kg.Kinds {
		if s.NodesByKind[k] != kinds[k] {
			t.Errorf("%d nodes of kind %s, want %d", s.NodesByKind[k], k, kinds[k])
		}
	}
	for _, rt := range kg.RelTypes {
		if s.EdgesByType[rt] != types[rt] {
			t.Errorf("%d edges of type %s, want %d", s.EdgesByType[rt], rt, types[rt])
		}
	}
}

func node(t *testing.T, st kg.Store, id string) *kg.Node {
	t.Helper()
	ns, err := st.GetNodes(t.Context(), []string{id})
	if err != nil {
		t.Fatal(err)
	}
	if ns[0] == nil {
		t.Fatalf("node %q is not stored", id)
	}
	return ns[0]
}

func edgeByID(t *testing.T, st kg.Store, id string) *kg.Edge {
	t.Helper()
	es, err := st.GetEdges(t.Context(), []string{id})
	if err != nil {
		t.Fatal(err)
	}
	if es[0] == nil {
		t.Fatalf("edge %q is not stored", id)
	}
	return es[0]
}

// TestImportFixture imports a GBK CSV file, a workbook of four sheets and
// a JSON Lines file into each backend, checks the graph, and imports
// them again: nothing changes the second time.
func TestImportFixture(t *testing.T) {
	for _, b := range backends {
		t.Run(b.Name, func(t *testing.T) {
			st := b.Open(t)
			csvPath, xlsxPath, jsonlPath := fixtureFiles(t, t.TempDir())
			files := []string{jsonlPath, xlsxPath, csvPath} // relationships before the nodes they join
			rep := mustImport(t, st, files, ingest.Options{BatchSize: 17})
			nodes, edges := 0, 0
			for _, n := range fixtureKinds {
				nodes += n
			}
			for _, n := range fixtureTypes {
				edges += n
			}
			want := kg.WriteResult{NodesCreated: nodes, EdgesCreated: edges}
			if rep.Result != want {
				t.Errorf("first import: %+v, want %+v", rep.Result, want)
			}
			if rep.NodeRows != nodes || rep.EdgeRows != edges || rep.Rejected != 0 || rep.ProblemCount != 0 {
				t.Errorf("report: %d node rows, %d edge rows, %d rejected, %d problems", rep.NodeRows, rep.EdgeRows, rep.Rejected, rep.ProblemCount)
			}
			checkCounts(t, st, fixtureKinds, fixtureTypes)

			e7 := node(t, st, "ent-007")
			wantE7 := kg.Props{
				"name": "大连星海007科技有限公司", "aliases": []string{"星海7", "海星7"}, "district": "中山区",
				"creditCode": storetest.CreditCode(t, 7), "aboveScale": false, "foundedYear": int64(2007), "industry": "软件和信息技术服务",
				"revenue": kg.Series{2023: 7_000_000, 2024: 8_400_500}, "source": "企业.csv",
			}
			if !e7.Props.Equal(wantE7) {
				t.Errorf("ent-007 from the GBK file:\n got  %v\n want %v", e7.Props, wantE7)
			}
			if above, _ := node(t, st, "ent-009").Props.Bool("aboveScale"); !above {
				t.Error("ent-009: 是 did not become true")
			}
			wantUni := kg.Props{"name": "大连第2研究院", "type": "RESEARCH_INSTITUTE", "foundedYear": int64(1952), "nameEn": "Dalian Institute 2", "source": "book.xlsx"}
			if u := node(t, st, "uni-2"); u.Kind != kg.University || !u.Props.Equal(wantUni) {
				t.Errorf("uni-2 from sheet 高校: %s %v, want %v", u.Kind, u.Props, wantUni)
			}
			wantInc := kg.Props{"name": "中山区科技企业孵化器", "level": "MUNICIPAL", "area": 12000.5, "operator": "中山区科技局", "source": "book.xlsx"}
			if inc := node(t, st, "inc-1"); !inc.Props.Equal(wantInc) {
				t.Errorf("inc-1: %v, want %v", inc.Props, wantInc)
			}
			sup := edgeByID(t, st, kg.EdgeID(kg.Supplies, "ent-003", "ent-004"))
			wantSup := kg.Props{"product": "软件服务", "value": 30_000.75, "since": int64(2021), "source": "book.xlsx"}
			if sup.From != "ent-003" || sup.To != "ent-004" || !sup.Props.Equal(wantSup) {
				t.Errorf("SUPPLIES ent-003→ent-004: %v, want %v", sup.Props, wantSup)
			}
			if e := edgeByID(t, st, "collab-2"); e.Type != kg.CollaboratesWith || e.From != "ent-012" || e.To != "uni-2" || e.Props.Str("mode") != "JOINT_LAB" {
				t.Errorf("collab-2: %+v", e)
			}
			if tal := node(t, st, "tal-3"); tal.Kind != kg.Talent || tal.Props.Str("source") != "manual" {
				t.Errorf("tal-3: %s %v", tal.Kind, tal.Props)
			}

			again := mustImport(t, st, files, ingest.Options{BatchSize: 17})
			if want := (kg.WriteResult{NodesUnchanged: nodes, EdgesUnchanged: edges}); again.Result != want {
				t.Errorf("second import: %+v, want everything unchanged %+v", again.Result, want)
			}
			checkCounts(t, st, fixtureKinds, fixtureTypes)

			// Every batch was audited.
			log, err := st.AuditLog(t.Context(), kg.AuditQuery{First: 100})
			if err != nil {
				t.Fatal(err)
			}
			if log.TotalCount != rep.Batches+again.Batches {
				t.Errorf("audit log holds %d entries, want one per batch: %d", log.TotalCount, rep.Batches+again.Batches)
			}
			if len(log.Entries) > 0 && (log.Entries[0].Action != "import" || !strings.Contains(log.Entries[0].Note, "企业.csv")) {
				t.Errorf("newest audit entry: %+v", log.Entries[0])
			}
		})
	}
}

// badCase is an import that must be refused with a problem at a place.
type badCase struct {
	name string
	// files writes the files into dir and returns them.
	files func(t *testing.T, dir string) []string
	// want are the problems that must be reported, as substrings of
	// their rendering; count the total number of problems.
	want  []string
	count int
}

// goodEnterprises returns 40 valid enterprise rows with a header.
func goodEnterprises(t *testing.T, n int) [][]string {
	rows := [][]string{{"id", "name", "creditCode", "revenue.2023", "level"}}
	for i := 1; i <= n; i++ {
		rows = append(rows, []string{fmt.Sprintf("e%02d", i), fmt.Sprintf("企业%02d", i), storetest.CreditCode(t, 100+i), fmt.Sprint(i * 1000), ""})
	}
	return rows
}

var badCases = []badCase{
	{
		name: "bad credit code in a GBK CSV",
		files: func(t *testing.T, dir string) []string {
			rows := goodEnterprises(t, 40)
			good := rows[26][2]
			rows[26][2] = storetest.WrongCheckChar(good)
			p := filepath.Join(dir, "Enterprise.csv")
			writeCSV(t, p, simplifiedchinese.GB18030, rows)
			return []string{p}
		},
		want:  []string{"Enterprise.csv: row 27, column C (creditCode) (id \"e26\"): credit code"},
		count: 1,
	},
	{
		name: "a year that is not a number",
		files: func(t *testing.T, dir string) []string {
			rows := goodEnterprises(t, 40)
			rows[12][3] = "一百万"
			p := filepath.Join(dir, "Enterprise.csv")
			writeCSV(t, p, nil, rows)
			return []string{p}
		},
		want:  []string{"Enterprise.csv: row 13, column D (revenue.2023)"},
		count: 1,
	},
	{
		name: "the second of two years that is not a number",
		files: func(t *testing.T, dir string) []string {
			rows := goodEnterprises(t, 20)
			for i := range rows {
				v := "5"
				if i == 0 {
					v = "revenue.2024"
				}
				rows[i] = append(rows[i], v)
			}
			rows[7][5] = "很多"
			p := filepath.Join(dir, "Enterprise.csv")
			writeCSV(t, p, nil, rows)
			return []string{p}
		},
		want:  []string{"Enterprise.csv: row 8, column F (revenue.2024)"},
		count: 1,
	},
	{
		name: "a property the kind does not have",
		files: func(t *testing.T, dir string) []string {
			rows := goodEnterprises(t, 10)
			rows[4][4] = "NATIONAL"
			p := filepath.Join(dir, "Enterprise.csv")
			writeCSV(t, p, nil, rows)
			return []string{p}
		},
		want:  []string{"row 5, column E (level)", "unknown property of Enterprise"},
		count: 1,
	},
	{
		name: "an unknown enum value in a sheet",
		files: func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "carriers.xlsx")
			writeXLSX(t, p, []sheet{{Name: "孵化器", Rows: [][]any{{"id", "name", "level"}, {"i1", "甲孵化器", "市级"}, {"i2", "乙孵化器", "GALACTIC"}, {"i3", "丙孵化器", "DISTRICT"}}}})
			return []string{p}
		},
		want:  []string{"carriers.xlsx [孵化器]: row 3, column C (level) (id \"i2\")", "GALACTIC"},
		count: 1,
	},
	{
		name: "a relationship to a node that does not exist",
		files: func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "Enterprise.csv")
			writeCSV(t, p, nil, goodEnterprises(t, 5))
			q := filepath.Join(dir, "links.jsonl")
			writeJSONL(t, q, []map[string]any{
				{"type": "SUPPLIES", "from": "e01", "to": "e02"},
				{"type": "SUPPLIES", "from": "e02", "to": "e03"},
				{"type": "SUPPLIES", "from": "e03", "to": "nowhere"},
				{"type": "SUPPLIES", "from": "e04", "to": "e05"},
			})
			return []string{p, q}
		},
		want:  []string{"links.jsonl: line 3, field \"to\"", "no node with id \"nowhere\""},
		count: 1,
	},
	{
		name: "a relationship between kinds the ontology does not join",
		files: func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "book.xlsx")
			writeXLSX(t, p, []sheet{
				{Name: "University", Rows: [][]any{{"id", "name"}, {"u1", "大连理工大学"}}},
				{Name: "Enterprise", Rows: [][]any{{"id", "name"}, {"e1", "甲公司"}, {"e2", "乙公司"}}},
				{Name: "供应", Rows: [][]any{{"from", "to"}, {"e1", "e2"}, {"u1", "e2"}}},
			})
			return []string{p}
		},
		want:  []string{"book.xlsx [供应]: row 3, column A (from)", "SUPPLIES must start at Enterprise"},
		count: 1,
	},
	{
		name: "an id given twice",
		files: func(t *testing.T, dir string) []string {
			rows := goodEnterprises(t, 20)
			rows[15][0] = "e03"
			p := filepath.Join(dir, "Enterprise.csv")
			writeCSV(t, p, nil, rows)
			return []string{p}
		},
		want:  []string{"row 16, column A (id) (id \"e03\"): id repeats row 4 of Enterprise.csv"},
		count: 1,
	},
	{
		name: "a malformed JSON line and a record without a kind",
		files: func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "mixed.jsonl")
			os.WriteFile(p, []byte("{\"id\":\"t1\",\"kind\":\"Talent\",\"name\":\"甲\"}\n{\"id\":\"t2\",\"kind\":\"Talent\",\"name\":\n{\"id\":\"t3\",\"name\":\"丙\"}\n"), 0o644)
			return []string{p}
		},
		want:  []string{"mixed.jsonl: line 2: not a JSON object", "mixed.jsonl: line 3, field \"kind\"", "no kind"},
		count: 2,
	},
	{
		name: "a file that is not CSV",
		files: func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "Enterprise.csv")
			os.WriteFile(p, []byte("id,name\ne1,甲\ne2,\"乙\"x\ne3,丙\n"), 0o644)
			return []string{p}
		},
		want:  []string{"Enterprise.csv: row 3: parse error on line 3"},
		count: 1,
	},
	{
		name: "negative revenue and employees",
		files: func(t *testing.T, dir string) []string {
			rows := goodEnterprises(t, 20)
			rows[0] = append(rows[0], "employees.2023")
			for i := 1; i < len(rows); i++ {
				rows[i] = append(rows[i], "12")
			}
			rows[9][3] = "-1,000"
			rows[14][5] = "-3"
			p := filepath.Join(dir, "Enterprise.csv")
			writeCSV(t, p, nil, rows)
			return []string{p}
		},
		want: []string{
			"Enterprise.csv: row 10, column D (revenue.2023) (id \"e09\"): year 2023: -1000 is negative",
			"Enterprise.csv: row 15, column F (employees.2023) (id \"e14\"): year 2023: -3 is negative",
		},
		count: 2,
	},
	{
		name: "an enterprise that supplies itself",
		files: func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "Enterprise.csv")
			writeCSV(t, p, nil, goodEnterprises(t, 5))
			q := filepath.Join(dir, "SUPPLIES.csv")
			writeCSV(t, q, nil, [][]string{{"from", "to", "product"}, {"e01", "e02", "钢材"}, {"e03", "e03", "自用"}, {"e04", "e05", ""}})
			return []string{p, q}
		},
		want:  []string{"SUPPLIES.csv: row 3, column B (to)", "SUPPLIES from \"e03\" to itself"},
		count: 1,
	},
	{
		name: "a byte that is no UTF-8 in a UTF-8 CSV file",
		files: func(t *testing.T, dir string) []string {
			rows := goodEnterprises(t, 20)
			rows[5][1] = "企业\xff05"
			p := filepath.Join(dir, "Enterprise.csv")
			writeCSV(t, p, nil, rows)
			return []string{p}
		},
		want:  []string{"Enterprise.csv: row 6, column B (name): is not valid UTF-8: byte 0xFF at offset 6"},
		count: 1,
	},
	{
		name: "a byte that is no UTF-8 in a cell beyond the header",
		files: func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "Talent.csv")
			os.WriteFile(p, []byte("id,name\nt1,张三\nt2,李四,\xc3\x28\n"), 0o644)
			return []string{p}
		},
		want:  []string{"Talent.csv: row 3: column C: is not valid UTF-8: byte 0xC3 at offset 0"},
		count: 1,
	},
	{
		name: "a byte sequence that is no GB18030",
		files: func(t *testing.T, dir string) []string {
			rows := goodEnterprises(t, 20)
			var buf bytes.Buffer
			for i, r := range rows {
				line, err := simplifiedchinese.GB18030.NewEncoder().String(strings.Join(r, ","))
				if err != nil {
					t.Fatal(err)
				}
				if i == 8 {
					line = strings.Replace(line, ",", ",\x81\x20", 1) // a lead byte without its trail
				}
				buf.WriteString(line + "\r\n")
			}
			p := filepath.Join(dir, "Enterprise.csv")
			os.WriteFile(p, buf.Bytes(), 0o644)
			return []string{p}
		},
		want:  []string{"Enterprise.csv: row 9, column B (name): is not valid GB18030: the bytes read as character 1 of the cell are no character"},
		count: 1,
	},
	{
		name: "bytes that are no UTF-8 and half a surrogate pair in JSON Lines",
		files: func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "people.jsonl")
			os.WriteFile(p, []byte("{\"id\":\"t1\",\"kind\":\"Talent\",\"name\":\"甲\"}\n"+
				"{\"id\":\"t2\",\"kind\":\"Talent\",\"name\":\"乙\xff\"}\n"+
				"{\"id\":\"t3\",\"kind\":\"Talent\",\"name\":\"丙\\ud800\"}\n"+
				"{\"id\":\"t4\",\"kind\":\"Talent\",\"name\":\"丁\\ud83d\\ude00\"}\n"), 0o644)
			return []string{p}
		},
		want: []string{
			"people.jsonl: line 2: is not valid UTF-8: byte 0xFF at offset 38",
			`people.jsonl: line 3: is not valid Unicode: \ud800 at offset 38 is half of a surrogate pair`,
		},
		count: 2,
	},
	{
		name: "a byte that is no UTF-8 in a JSON file",
		files: func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "people.json")
			os.WriteFile(p, []byte("{\"nodes\": [{\"id\":\"t1\",\"kind\":\"Talent\",\"name\":\"甲\"},\n"+
				"{\"id\":\"t2\",\"kind\":\"Talent\",\"name\":\"乙\xfe\"}, {\"id\":\"t3\",\"kind\":\"Talent\",\"name\":\"丙\"}]}"), 0o644)
			return []string{p}
		},
		want:  []string{"people.json: record 2: is not valid UTF-8: byte 0xFE at offset 38"},
		count: 1,
	},
	{
		name: "every problem is counted, the first 100 listed",
		files: func(t *testing.T, dir string) []string {
			rows := goodEnterprises(t, 150)
			for i := 1; i < len(rows); i++ {
				rows[i][1] = "" // name is required
			}
			p := filepath.Join(dir, "Enterprise.csv")
			writeCSV(t, p, nil, rows)
			return []string{p}
		},
		want:  []string{"row 2, column B (name) (id \"e01\"): is required"},
		count: 150,
	},
}

// TestImportRefusesBadFiles imports files with bad rows among good ones
// into each backend: the import is refused, the report names the row and
// column, and nothing is written.
func TestImportRefusesBadFiles(t *testing.T) {
	for _, b := range backends {
		t.Run(b.Name, func(t *testing.T) {
			st := b.Open(t)
			// A stored graph the refused imports must leave alone.
			seedFiles := ingesttest.FixtureFilesList(t)
			mustImport(t, st, seedFiles, ingest.Options{})
			before := stats(t, st)
			auditBefore, err := st.AuditLog(t.Context(), kg.AuditQuery{First: 1})
			if err != nil {
				t.Fatal(err)
			}
			for _, tc := range slices.Concat(badCases, damagedCases) {
				t.Run(tc.name, func(t *testing.T) {
					files := tc.files(t, t.TempDir())
					rep, err := ingest.Import(t.Context(), st, files, ingest.Options{})
					if !errors.Is(err, ingest.ErrRejected) || !errors.Is(err, kg.ErrInvalid) {
						t.Fatalf("Import: error %v, want ErrRejected", err)
					}
					var text []string
					for _, p := range rep.Problems {
						text = append(text, p.String())
					}
					all := strings.Join(text, "\n")
					for _, w := range tc.want {
						if !strings.Contains(all, w) {
							t.Errorf("no problem says %q; problems:\n%s", w, all)
						}
					}
					if rep.ProblemCount != tc.count {
						t.Errorf("%d problems, want %d:\n%s", rep.ProblemCount, tc.count, all)
					}
					// Every problem is listed, up to the README's 100.
					if listed := min(tc.count, 100); len(rep.Problems) != listed {
						t.Errorf("%d problems listed, want %d", len(rep.Problems), listed)
					}
					if rep.Result != (kg.WriteResult{}) || rep.Batches != 0 {
						t.Errorf("a refused import wrote %+v in %d batches", rep.Result, rep.Batches)
					}
					if after := stats(t, st); !reflect.DeepEqual(before, after) {
						t.Errorf("the store changed: %+v → %+v", before, after)
					}
				})
			}
			auditAfter, err := st.AuditLog(t.Context(), kg.AuditQuery{First: 1})
			if err != nil {
				t.Fatal(err)
			}
			if auditAfter.TotalCount != auditBefore.TotalCount {
				t.Errorf("refused imports added %d audit entries", auditAfter.TotalCount-auditBefore.TotalCount)
			}
		})
	}
}

// TestImportMatchesAndDuplicates checks that an enterprise record whose
// credit code is stored under another id updates the stored enterprise
// (and its relationships follow), that possible duplicates are reported,
// and that a dry run writes nothing.
func TestImportMatchesAndDuplicates(t *testing.T) {
	for _, b := range backends {
		t.Run(b.Name, func(t *testing.T) {
			st := b.Open(t)
			if _, err := st.Apply(t.Context(), kg.Batch{Nodes: []kg.Node{
				{ID: "stored-1", Kind: kg.Enterprise, Props: kg.Props{"name": "大连港湾物流有限公司", "creditCode": storetest.CreditCode(t, 901)}},
				{ID: "stored-2", Kind: kg.Enterprise, Props: kg.Props{"name": "大连（星海）装备有限公司"}},
			}}); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			p := filepath.Join(dir, "Enterprise.csv")
			writeCSV(t, p, nil, [][]string{
				{"id", "name", "creditCode", "industry"},
				{"reg-1", "大连港湾物流有限公司", storetest.CreditCode(t, 901), "物流"},
				{"reg-2", "大连(星海)装备有限公司", storetest.CreditCode(t, 902), "装备"},
				{"reg-3", "大连 蓝海 软件", "", ""},
				{"reg-4", "大连蓝海软件", "", ""},
			})
			q := filepath.Join(dir, "SUPPLIES.csv")
			writeCSV(t, q, nil, [][]string{{"from", "to"}, {"reg-1", "reg-2"}})

			dry := mustImport(t, st, []string{p, q}, ingest.Options{DryRun: true})
			if dry.Batches != 0 || dry.NewNodes != 3 || dry.NewEdges != 1 {
				t.Errorf("dry run: %d batches, %d new nodes, %d new edges; want 0, 3, 1", dry.Batches, dry.NewNodes, dry.NewEdges)
			}
			if s := stats(t, st); s.Nodes != 2 || s.Edges != 0 {
				t.Fatalf("the dry run wrote: %+v", s)
			}

			rep := mustImport(t, st, []string{p, q}, ingest.Options{})
			if len(rep.Matches) != 1 || rep.Matches[0].ID != "reg-1" || rep.Matches[0].StoredID != "stored-1" {
				t.Errorf("matches: %+v", rep.Matches)
			}
			if want := (kg.WriteResult{NodesCreated: 3, NodesUpdated: 1, EdgesCreated: 1}); rep.Result != want {
				t.Errorf("result %+v, want %+v", rep.Result, want)
			}
			if n := node(t, st, "stored-1"); n.Props.Str("industry") != "物流" {
				t.Errorf("stored-1 was not updated by its credit code: %v", n.Props)
			}
			if ns, _ := st.GetNodes(t.Context(), []string{"reg-1"}); ns[0] != nil {
				t.Error("reg-1 was created beside the stored enterprise with its credit code")
			}
			edgeByID(t, st, kg.EdgeID(kg.Supplies, "stored-1", "reg-2"))

			var dups []string
			for _, d := range rep.Duplicates {
				dups = append(dups, fmt.Sprintf("%s %v %v", d.Kind, d.IDs, d.StoredIDs))
			}
			want := []string{"Enterprise [reg-2] [stored-2]", "Enterprise [reg-3 reg-4] []"}
			slices.Sort(dups)
			if !slices.Equal(dups, want) {
				t.Errorf("duplicates %q, want %q", dups, want)
			}
		})
	}
}

// failingStore fails every Apply after the first ok ones.
type failingStore struct {
	kg.Store
	ok, calls int
}

func (f *failingStore) Apply(ctx context.Context, b kg.Batch) (*kg.WriteResult, error) {
	if f.calls++; f.calls > f.ok {
		return nil, fmt.Errorf("%w: the store went away", kg.ErrUnavailable)
	}
	return f.Store.Apply(ctx, b)
}

// TestImportResumes: when the store fails part-way, the batches before
// stay written, and importing the same files again completes the graph:
// it ends exactly as a clean import's.
func TestImportResumes(t *testing.T) {
	files := ingesttest.FixtureFilesList(t)
	clean := openEmbedded(t)
	full := mustImport(t, clean, files, ingest.Options{BatchSize: 7})
	if full.Batches < 4 {
		t.Fatalf("the fixture takes %d batches of 7; the test wants at least 4", full.Batches)
	}

	st := openEmbedded(t)
	rep, err := ingest.Import(t.Context(), &failingStore{Store: st, ok: 2}, files, ingest.Options{BatchSize: 7})
	if !errors.Is(err, kg.ErrUnavailable) {
		t.Fatalf("Import over a failing store: %v, want ErrUnavailable", err)
	}
	if rep == nil || rep.Batches != 2 {
		t.Fatalf("report %+v, want 2 batches written", rep)
	}
	s := stats(t, st)
	if written := s.Nodes + s.Edges; written == 0 || written >= full.Result.NodesCreated+full.Result.EdgesCreated {
		t.Errorf("%d items written before the failure, want some but not all %d", written, full.Result.NodesCreated+full.Result.EdgesCreated)
	}
	mustImport(t, st, files, ingest.Options{BatchSize: 7})
	if got, want := exportJSONL(t, st), exportJSONL(t, clean); !bytes.Equal(got, want) {
		t.Errorf("the resumed import differs from a clean one:\n%s\n---\n%s", got, want)
	}
}

// exportJSONL returns all of st as JSON Lines.
func exportJSONL(t *testing.T, st kg.Store) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := export.Write(t.Context(), st, export.Filter{}, export.FormatJSONL, &buf, nil); err != nil {
		t.Fatalf("export: %v", err)
	}
	return buf.Bytes()
}

// sizedStore asks imports for batches of size.
type sizedStore struct {
	kg.Store
	size int
}

func (s sizedStore) ImportBatchSize() int { return s.size }

// TestImportBatchSize: Options.BatchSize, else the size the store asks
// for (the embedded store: 20,000), else ingest.DefaultBatchSize.
func TestImportBatchSize(t *testing.T) {
	files := ingesttest.FixtureFilesList(t)
	batches := func(rep *ingest.Report, size int) int {
		return (rep.NodeRows+size-1)/size + (rep.EdgeRows+size-1)/size
	}
	if got := openEmbedded(t).(ingest.BatchSizer).ImportBatchSize(); got != 20_000 {
		t.Errorf("the embedded store asks for batches of %d, want 20000", got)
	}
	for _, c := range []struct {
		name      string
		asks, set int
		want      int // rows per batch
	}{
		{"the store asks", 7, 0, 7},
		{"the options say", 7, 5, 5},
		{"nobody says", 0, 0, ingest.DefaultBatchSize},
	} {
		t.Run(c.name, func(t *testing.T) {
			var st kg.Store = &failingStore{Store: openEmbedded(t), ok: 1 << 30} // no ImportBatchSize
			if c.asks > 0 {
				st = sizedStore{st, c.asks}
			}
			rep := mustImport(t, st, files, ingest.Options{BatchSize: c.set})
			if want := batches(rep, c.want); rep.Batches != want || want < 2 {
				t.Errorf("%d batches for %d node and %d relationship rows, want %d (of %d rows)", rep.Batches, rep.NodeRows, rep.EdgeRows, want, c.want)
			}
		})
	}
}

// newMarks records whether each batch written was marked kg.Batch.New.
type newMarks struct {
	kg.Store
	marks []bool
}

func (s *newMarks) Apply(ctx context.Context, b kg.Batch) (*kg.WriteResult, error) {
	s.marks = append(s.marks, b.New)
	return s.Store.Apply(ctx, b)
}

// TestImportMarksNewBatches: a batch is marked kg.Batch.New when the
// validation found none of its records stored, and only then: all of an
// import into an empty store, none of the same import again, and after
// one node and one relationship are stored, all but their batches.
func TestImportMarksNewBatches(t *testing.T) {
	dir := t.TempDir()
	nodes := filepath.Join(dir, "Enterprise.csv")
	writeCSV(t, nodes, nil, goodEnterprises(t, 6))
	rows := [][]string{{"from", "to"}}
	for i := 1; i < 6; i++ {
		rows = append(rows, []string{fmt.Sprintf("e%02d", i), fmt.Sprintf("e%02d", i+1)})
	}
	edges := filepath.Join(dir, "SUPPLIES.csv")
	writeCSV(t, edges, nil, rows)
	files := []string{nodes, edges}
	opts := ingest.Options{BatchSize: 2} // nodes e1 e2 | e3 e4 | e5 e6, then edges 1-2 2-3 | 3-4 4-5 | 5-6

	for _, c := range []struct {
		name   string
		stored kg.Batch
		again  bool
		want   []bool
	}{
		{name: "empty store", want: []bool{true, true, true, true, true, true}},
		{name: "imported before", again: true, want: []bool{false, false, false, false, false, false}},
		{name: "a node and a relationship stored", stored: kg.Batch{
			Nodes: []kg.Node{storetest.Named("e04", kg.Enterprise, "已存企业四"), storetest.Named("e05", kg.Enterprise, "已存企业五")},
			Edges: []kg.Edge{{Type: kg.Supplies, From: "e04", To: "e05"}},
		}, want: []bool{true, false, false, true, false, true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := &newMarks{Store: openEmbedded(t)}
			if len(c.stored.Nodes) > 0 {
				if _, err := st.Store.Apply(t.Context(), c.stored); err != nil {
					t.Fatal(err)
				}
			}
			if c.again {
				mustImport(t, st.Store, files, opts)
			}
			mustImport(t, st, files, opts)
			if !slices.Equal(st.marks, c.want) {
				t.Errorf("batches marked new: %v, want %v", st.marks, c.want)
			}
		})
	}
}
