package ingest_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/innograph/innograph/ingest"
	"github.com/innograph/innograph/kg"
)

const sheetPart = "xl/worksheets/sheet1.xml"

// damagedWorkbook writes a valid workbook of n enterprises, then a copy
// at dir/name whose part is passed through edit. The copy is a valid zip.
func damagedWorkbook(t *testing.T, dir, name string, n int, part string, edit func(t *testing.T, data []byte) []byte) string {
	t.Helper()
	good := filepath.Join(dir, "good-"+name)
	writeXLSX(t, good, []sheet{enterpriseSheet(n)})
	bad := filepath.Join(dir, name)
	found := false
	rewriteXLSX(t, good, bad, func(entry string, data []byte) []byte {
		if entry != part {
			return data
		}
		found = true
		return edit(t, data)
	})
	if !found {
		t.Fatalf("the workbook has no part %s", part)
	}
	return bad
}

// cutInRow cuts a sheet's XML after the first cell of row r.
func cutInRow(r int) func(t *testing.T, data []byte) []byte {
	return func(t *testing.T, data []byte) []byte {
		start := bytes.Index(data, fmt.Appendf(nil, `<row r="%d"`, r))
		if start < 0 {
			t.Fatalf("the sheet has no row %d", r)
		}
		end := bytes.Index(data[start:], []byte("</c>"))
		return data[:start+end+len("</c>")]
	}
}

// replace replaces the first old by new in a part.
func replace(old, new string) func(t *testing.T, data []byte) []byte {
	return func(t *testing.T, data []byte) []byte {
		if !bytes.Contains(data, []byte(old)) {
			t.Fatalf("the part holds no %q", old)
		}
		return bytes.Replace(data, []byte(old), []byte(new), 1)
	}
}

// damagedCases are workbooks with damage excelize reads past without an
// error: each import must be refused as a whole with the file, the sheet
// and the place named.
var damagedCases = []badCase{
	{
		name: "a sheet cut in the middle of row 1522",
		files: func(t *testing.T, dir string) []string {
			return []string{damagedWorkbook(t, dir, "cut.xlsx", 3000, sheetPart, cutInRow(1522))}
		},
		want:  []string{"cut.xlsx [Enterprise]: row 1522: damaged workbook: xl/worksheets/sheet1.xml, byte ", "unexpected EOF"},
		count: 1,
	},
	{
		name: "a sheet cut between two rows",
		files: func(t *testing.T, dir string) []string {
			return []string{damagedWorkbook(t, dir, "cut.xlsx", 30, sheetPart, func(t *testing.T, data []byte) []byte {
				return data[:bytes.Index(data, []byte(`<row r="20"`))]
			})}
		},
		want:  []string{"cut.xlsx [Enterprise]: row 19: damaged workbook: xl/worksheets/sheet1.xml", "unexpected EOF"},
		count: 1,
	},
	{
		name: "a tag that does not match in a sheet",
		files: func(t *testing.T, dir string) []string {
			return []string{damagedWorkbook(t, dir, "tags.xlsx", 30, sheetPart, replace(`<c r="B7" t="s"><v>`, `<c r="B7" t="s"><x>`))}
		},
		want:  []string{"tags.xlsx [Enterprise]: row 7: damaged workbook: xl/worksheets/sheet1.xml", "element <x> closed by </v>"},
		count: 1,
	},
	{
		name: "invalid UTF-8 in a sheet",
		files: func(t *testing.T, dir string) []string {
			return []string{damagedWorkbook(t, dir, "bytes.xlsx", 30, sheetPart, replace(`<v>9000</v>`, "<v>9\xff00</v>"))}
		},
		want:  []string{"bytes.xlsx [Enterprise]: row 10: damaged workbook", "invalid UTF-8"},
		count: 1,
	},
	{
		name: "rows out of order",
		files: func(t *testing.T, dir string) []string {
			return []string{damagedWorkbook(t, dir, "order.xlsx", 30, sheetPart, func(t *testing.T, data []byte) []byte {
				// Row 12's cells move to row 5, after row 11.
				data = replace(`<row r="12"`, `<row r="5"`)(t, data)
				for _, col := range "ABCD" {
					data = replace(fmt.Sprintf(`r="%c12"`, col), fmt.Sprintf(`r="%c5"`, col))(t, data)
				}
				return data
			})}
		},
		want:  []string{"order.xlsx [Enterprise]: row 11: damaged workbook", "row 5 comes after row 11"},
		count: 1,
	},
	{
		name: "a cell outside its row",
		files: func(t *testing.T, dir string) []string {
			return []string{damagedWorkbook(t, dir, "cells.xlsx", 30, sheetPart, replace(`<c r="C8"`, `<c r="C9"`))}
		},
		want:  []string{"cells.xlsx [Enterprise]: row 8: damaged workbook", "cell C9 is in row 8"},
		count: 1,
	},
	{
		name: "a shared string that does not exist",
		files: func(t *testing.T, dir string) []string {
			return []string{damagedWorkbook(t, dir, "strings.xlsx", 30, sheetPart, func(t *testing.T, data []byte) []byte {
				// Row 6's name names string 99999.
				start := bytes.Index(data, []byte(`<c r="B6" t="s"><v>`)) + len(`<c r="B6" t="s"><v>`)
				end := start + bytes.Index(data[start:], []byte("</v>"))
				return slices.Concat(data[:start], []byte("99999"), data[end:])
			})}
		},
		want:  []string{"strings.xlsx [Enterprise]: row 6: damaged workbook", "cell B6 names shared string 99999, but the workbook has"},
		count: 1,
	},
	{
		name: "a shared strings part cut short",
		files: func(t *testing.T, dir string) []string {
			return []string{damagedWorkbook(t, dir, "sst.xlsx", 30, "xl/sharedStrings.xml", func(t *testing.T, data []byte) []byte {
				return data[:len(data)/2]
			})}
		},
		want:  []string{"sst.xlsx: damaged workbook: xl/sharedStrings.xml, byte ", "unexpected EOF"},
		count: 1,
	},
	{
		name: "a workbook part that is not XML",
		files: func(t *testing.T, dir string) []string {
			return []string{damagedWorkbook(t, dir, "book.xlsx", 30, "xl/styles.xml", func(t *testing.T, data []byte) []byte {
				return append(data, "<extra"...)
			})}
		},
		want:  []string{"book.xlsx: damaged workbook: xl/styles.xml"},
		count: 1,
	},
	{
		name: "the second sheet cut short, the first with a bad row",
		files: func(t *testing.T, dir string) []string {
			good := filepath.Join(dir, "good.xlsx")
			first := enterpriseSheet(10)
			first.Rows[4][1] = "" // row 5 has no name
			writeXLSX(t, good, []sheet{first, {Name: "Talent", Rows: [][]any{{"id", "name"}, {"t1", "张三"}, {"t2", "李四"}, {"t3", "王五"}}}})
			p := filepath.Join(dir, "two.xlsx")
			rewriteXLSX(t, good, p, func(name string, data []byte) []byte {
				if name == "xl/worksheets/sheet2.xml" {
					return cutInRow(3)(t, data)
				}
				return data
			})
			return []string{p}
		},
		want:  []string{"two.xlsx [Enterprise]: row 5, column B (name) (id \"w0004\"): is required", "two.xlsx [Talent]: row 3: damaged workbook: xl/worksheets/sheet2.xml"},
		count: 2,
	},
	{
		name: "a part of a workbook of two sheets that is not XML",
		files: func(t *testing.T, dir string) []string {
			good := filepath.Join(dir, "good.xlsx")
			writeXLSX(t, good, []sheet{enterpriseSheet(10), {Name: "Talent", Rows: [][]any{{"id", "name"}, {"t1", "张三"}}}})
			p := filepath.Join(dir, "two.xlsx")
			rewriteXLSX(t, good, p, func(name string, data []byte) []byte {
				if name == "xl/workbook.xml" {
					return data[:len(data)-20]
				}
				return data
			})
			return []string{p}
		},
		want:  []string{"two.xlsx: damaged workbook: xl/workbook.xml"},
		count: 1,
	},
	{
		name: "a workbook that is not a zip",
		files: func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "notzip.xlsx")
			os.WriteFile(p, []byte("id,name\ne1,甲\n"), 0o644)
			return []string{p}
		},
		want:  []string{"notzip.xlsx: not a readable workbook: zip: not a valid zip file"},
		count: 1,
	},
	{
		name: "a workbook whose zip is cut short",
		files: func(t *testing.T, dir string) []string {
			good := filepath.Join(dir, "good.xlsx")
			writeXLSX(t, good, []sheet{enterpriseSheet(30)})
			data, err := os.ReadFile(good)
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(dir, "short.xlsx")
			os.WriteFile(p, data[:len(data)*2/3], 0o644)
			return []string{p}
		},
		want:  []string{"short.xlsx: not a readable workbook: zip: not a valid zip file"},
		count: 1,
	},
}

// TestImportRefusesCutWorkbook imports a valid zip whose sheet ends in
// the middle of row 1522 of 3001, after a good CSV file: the import is
// refused as a whole, the problem names the file, the sheet, the row and
// the byte, the report counts the row as rejected, and nothing of either
// file is written; a dry run says the same.
func TestImportRefusesCutWorkbook(t *testing.T) {
	st := openEmbedded(t)
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "Enterprise.csv")
	writeCSV(t, csvPath, nil, goodEnterprises(t, 5))
	cut := damagedWorkbook(t, dir, "cut.xlsx", 3000, sheetPart, cutInRow(1522))
	before := stats(t, st)
	for _, dry := range []bool{false, true} {
		rep, err := ingest.Import(t.Context(), st, []string{csvPath, cut}, ingest.Options{DryRun: dry})
		if !errors.Is(err, ingest.ErrRejected) {
			t.Fatalf("dry run %v: error %v, want ErrRejected", dry, err)
		}
		if rep.ProblemCount != 1 || rep.Rejected != 1 || len(rep.Problems) != 1 {
			t.Fatalf("dry run %v: %d problems, %d rejected: %v", dry, rep.ProblemCount, rep.Rejected, rep.Problems)
		}
		p := rep.Problems[0]
		t.Log(p)
		if p.File != cut || p.Sheet != "Enterprise" || p.Row != 1522 || !strings.Contains(p.Message, "xl/worksheets/sheet1.xml, byte ") {
			t.Errorf("dry run %v: problem %+v", dry, p)
		}
		if rep.Result != (kg.WriteResult{}) || rep.Batches != 0 || rep.NodeRows != 5 {
			t.Errorf("dry run %v: %d node rows read, %+v written in %d batches", dry, rep.NodeRows, rep.Result, rep.Batches)
		}
		if after := stats(t, st); !reflect.DeepEqual(before, after) {
			t.Errorf("dry run %v: the store changed: %+v → %+v", dry, before, after)
		}
	}
	// The same workbook whole imports every row: the refusal was for the
	// damage.
	whole := filepath.Join(dir, "whole.xlsx")
	writeXLSX(t, whole, []sheet{enterpriseSheet(3000)})
	rep := mustImport(t, st, []string{whole}, ingest.Options{})
	if rep.Result.NodesCreated != 3000 {
		t.Errorf("the whole workbook created %d nodes, want 3000", rep.Result.NodesCreated)
	}
}
