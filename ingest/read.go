package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/innograph/innograph/kg"
)

// The formats of the files an import reads, chosen by extension.
const (
	formatCSV   = "csv"
	formatXLSX  = "xlsx"
	formatJSON  = "json"
	formatJSONL = "jsonl"
)

// formatOf returns the format of a file by its extension.
func formatOf(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".tsv", ".txt":
		return formatCSV, nil
	case ".xlsx", ".xlsm":
		return formatXLSX, nil
	case ".json":
		return formatJSON, nil
	case ".jsonl", ".ndjson":
		return formatJSONL, nil
	}
	return "", fmt.Errorf("%s: unknown file type %q (want .csv, .tsv, .xlsx, .json or .jsonl)", path, filepath.Ext(path))
}

// table is one list of records: a CSV file, a sheet of a workbook, or a
// JSON or JSON Lines file.
type table struct {
	file   string         // the path as given
	size   int64          // the file's size in bytes
	sheet  string         // the sheet of a workbook, else ""
	book   *excelize.File // the open workbook, shared by its sheets' tables
	format string
	// kind or typ, when set, is what every record of the table is: from
	// the flags, the sheet name or the file name.
	kind kg.Kind
	typ  kg.RelType
	// header holds the column names of a CSV file or sheet.
	header []string
	// hasNodes and hasEdges tell, after the first pass, which records the
	// table holds, so that the second pass reads only what it writes.
	hasNodes, hasEdges bool
	// broken, if set, is why the table cannot be read (a workbook that
	// does not open, a damaged part of it): each returns it.
	broken error
}

// rowError is a fault that ends the reading of a table at a row: the
// import names the row (and rejects it with the rest).
type rowError struct {
	row int
	err error
}

func (e *rowError) Error() string { return e.err.Error() }
func (e *rowError) Unwrap() error { return e.err }

// record is one row of a table.
type record struct {
	// row is the row's number: in a CSV file or sheet as a spreadsheet
	// numbers it (the header is row 1), in JSON Lines its line, in JSON
	// its position in its list (from 1).
	row    int
	fields []field
}

// field is one non-empty cell or key of a record.
type field struct {
	col  int    // column index of a CSV file or sheet; -1 for JSON
	name string // column name or key
	val  any    // a string from CSV and XLSX, a decoded value from JSON
}

// get returns the field named name.
func (r *record) get(name string) (field, bool) {
	for _, f := range r.fields {
		if f.name == name {
			return f, true
		}
	}
	return field{}, false
}

// columnLetters returns the spreadsheet name of column i (0: "A").
func columnLetters(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// openTables returns the tables of a file: one for a CSV, JSON or JSON
// Lines file, one per sheet of a workbook.
func openTables(ctx context.Context, path string, opts *Options) ([]*table, error) {
	format, err := formatOf(path)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	// What a table holds: its sheet's name says, else its file's name,
	// else the flags.
	kind, typ := kindOrTypeOfName(path)
	if kind == "" && typ == "" {
		kind, typ = opts.Kind, opts.Type
	}
	if format != formatXLSX {
		return []*table{{file: path, size: fi.Size(), format: format, kind: kind, typ: typ}}, nil
	}
	// The workbook stays open for every pass over its sheets (closeTables).
	// One that does not open is a problem of the import, as a damaged one
	// is: checkWorkbook names the damaged part if it can.
	f, err := excelize.OpenFile(path)
	if err != nil {
		broken := checkWorkbook(ctx, path)
		if broken == nil || ctx.Err() != nil {
			broken = fmt.Errorf("not a readable workbook: %w", err)
		}
		return []*table{{file: path, size: fi.Size(), format: format, broken: broken}}, nil
	}
	var out []*table
	for _, sheet := range f.GetSheetList() {
		t := &table{file: path, size: fi.Size(), sheet: sheet, book: f, format: format, kind: kind, typ: typ}
		if k, ok := ParseKind(sheet); ok {
			t.kind, t.typ = k, ""
		} else if rt, ok := ParseRelType(sheet); ok {
			t.kind, t.typ = "", rt
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		f.Close()
		return nil, fmt.Errorf("workbook %s has no sheets", path)
	}
	return out, nil
}

// closeTables closes the workbooks the tables hold open.
func closeTables(ts []*table) {
	for i, t := range ts {
		if t.book != nil && (i == 0 || ts[i-1].book != t.book) {
			t.book.Close()
		}
	}
}

// each calls fn with every record of t, in order. A record that cannot be
// decoded (a malformed JSON line) is passed with a nil fields and its
// error in bad; an error that ends the table (an unreadable file, broken
// JSON) is returned. The fields of a record are valid until fn returns:
// the next record of a file or sheet may reuse them.
func (t *table) each(ctx context.Context, opts *Options, onBytes func(int64), fn func(rec record, bad error) error) error {
	t.header = nil
	if t.broken != nil {
		return t.broken
	}
	switch t.format {
	case formatCSV:
		return t.eachCSV(ctx, opts, onBytes, fn)
	case formatXLSX:
		return t.eachXLSX(ctx, fn)
	case formatJSON:
		return t.eachJSON(ctx, onBytes, fn)
	case formatJSONL:
		return t.eachJSONL(ctx, onBytes, fn)
	}
	return nil
}

// countingReader reports the bytes read through it to onBytes.
type countingReader struct {
	r       io.Reader
	onBytes func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.onBytes != nil && n > 0 {
		c.onBytes(int64(n))
	}
	return n, err
}

// Encodings an import reads CSV files in.
const (
	EncodingAuto    = "auto"
	EncodingUTF8    = "utf-8"
	EncodingGBK     = "gbk"
	EncodingGB18030 = "gb18030"
	EncodingUTF16   = "utf-16"
)

// detectSample is how much of a CSV file encoding detection reads.
const detectSample = 1 << 20

// decoder returns a reader of the file's text as UTF-8, and the name of
// the encoding it reads, by the given encoding or, for EncodingAuto, by
// detection: a UTF-8 or UTF-16 byte order mark says so; else text that is
// UTF-8 in its first megabyte (mostlyUTF8) is read as UTF-8 and anything
// else as GB18030 (a superset of GBK and GB2312, the encodings Chinese
// spreadsheet software saves CSV in).
//
// Text read as UTF-8 is passed as it is: bytes that are not UTF-8 reach
// the cells, which refuse them (checkCell). The other decoders replace a
// byte sequence that is no character of their encoding by U+FFFD, which
// the cells refuse too.
func decoder(r *bufio.Reader, enc string) (io.Reader, string, error) {
	head, _ := r.Peek(detectSample)
	var e encoding.Encoding
	name := strings.ToLower(strings.TrimSpace(enc))
	switch name {
	case "", EncodingAuto:
		switch {
		case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
			name = EncodingUTF8
		case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
			name = EncodingUTF16
		case mostlyUTF8(head):
			name = EncodingUTF8
		default:
			name = EncodingGB18030
		}
	case "utf8":
		name = EncodingUTF8
	case "gb2312", "cp936":
		name = EncodingGBK
	case "utf16", "utf-16le", "utf-16be":
		name = EncodingUTF16
	}
	switch name {
	case EncodingUTF8:
		if bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}) {
			r.Discard(3)
		}
		return r, EncodingUTF8, nil
	case EncodingGBK:
		e = simplifiedchinese.GBK
	case EncodingGB18030:
		e = simplifiedchinese.GB18030
	case EncodingUTF16:
		e = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	default:
		return nil, "", fmt.Errorf("unknown encoding %q (want auto, utf-8, gbk, gb18030 or utf-16)", enc)
	}
	return transform.NewReader(r, e.NewDecoder()), name, nil
}

// mostlyUTF8 reports whether b (a prefix of a file: it may end in the
// middle of a character) is UTF-8 text, perhaps with some bytes that are
// not UTF-8: it holds more characters of two or more bytes than bytes
// that are not UTF-8. Text in GBK or GB18030 is mostly bytes that are not
// UTF-8; UTF-8 text with a stray byte is read as UTF-8, so that the byte
// is refused rather than the whole file read as GB18030.
func mostlyUTF8(b []byte) bool {
	if utf8.Valid(b) {
		return true
	}
	good, bad := 0, 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		if !utf8.FullRune(b[i:]) {
			break // cut at the end of the sample
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			bad++
		} else {
			good++
		}
		i += size
	}
	return good > bad
}

// checkCell refuses a cell of text read in the encoding enc that is not
// text: bytes that are not UTF-8, or, from another encoding, U+FFFD, which
// its decoder puts for a byte sequence that is no character of it.
func checkCell(enc, cell string) error {
	if enc == EncodingUTF8 {
		return kg.CheckUTF8String(cell)
	}
	if i := strings.IndexRune(cell, utf8.RuneError); i >= 0 {
		return fmt.Errorf("is not valid %s: the bytes read as character %d of the cell are no character", strings.ToUpper(enc), utf8.RuneCountInString(cell[:i])+1)
	}
	return nil
}

// cellError is a cell that cannot be read: the import names its column.
type cellError struct {
	col  int
	name string
	err  error
}

func (e *cellError) Error() string { return e.err.Error() }
func (e *cellError) Unwrap() error { return e.err }

func (t *table) eachCSV(ctx context.Context, opts *Options, onBytes func(int64), fn func(record, error) error) error {
	f, err := os.Open(t.file)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(&countingReader{r: f, onBytes: onBytes}, detectSample)
	text, enc, err := decoder(br, opts.Encoding)
	if err != nil {
		return err
	}
	tr := bufio.NewReader(text)
	cr := csv.NewReader(tr)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	if strings.EqualFold(filepath.Ext(t.file), ".tsv") || strings.EqualFold(filepath.Ext(t.file), ".txt") {
		cr.Comma = '\t'
	} else if line, _ := tr.Peek(4096); bytes.Count(firstLine(line), []byte{'\t'}) > bytes.Count(firstLine(line), []byte{','}) {
		cr.Comma = '\t'
	}
	row := 0
	var fields []field // reused from record to record
	for {
		cells, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		row++
		if err != nil {
			return &rowError{row, err}
		}
		if row%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if bad := badCell(enc, cells, t.header); bad != nil {
			if t.header == nil {
				return &rowError{row, fmt.Errorf("column %s: %w", columnLetters(bad.col), bad.err)}
			}
			if err := fn(record{row: row}, bad); err != nil {
				return err
			}
			continue
		}
		if t.header == nil {
			t.header = cleanHeader(cells)
			continue
		}
		rec := cellsRecord(row, t.header, cells, fields[:0])
		fields = rec.fields
		if err := fn(rec, nil); err != nil {
			return err
		}
	}
}

// badCell returns the first cell of a row that is not text (checkCell),
// named by its column, or nil.
func badCell(enc string, cells, header []string) *cellError {
	for i, c := range cells {
		if err := checkCell(enc, c); err != nil {
			name := ""
			if i < len(header) {
				name = header[i]
			}
			return &cellError{col: i, name: name, err: err}
		}
	}
	return nil
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

// cleanHeader trims the column names (and a byte order mark left on the
// first).
func cleanHeader(cells []string) []string {
	h := make([]string, len(cells))
	for i, c := range cells {
		h[i] = strings.TrimSpace(strings.TrimPrefix(c, "\uFEFF"))
	}
	return h
}

// cellsRecord makes the record of a row of cells: the non-empty ones,
// trimmed, under their column names, appended to fields (a buffer to
// reuse, or nil). A cell beyond the header keeps an empty name (and is
// reported).
func cellsRecord(row int, header, cells []string, fields []field) record {
	rec := record{row: row, fields: slices.Grow(fields, len(cells))}
	for i, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		name := ""
		if i < len(header) {
			name = header[i]
		}
		rec.fields = append(rec.fields, field{col: i, name: name, val: c})
	}
	return rec
}

func (t *table) eachXLSX(ctx context.Context, fn func(record, error) error) error {
	rows, err := t.book.Rows(t.sheet)
	if err != nil {
		return err
	}
	defer rows.Close()
	row := 0
	var fields []field // reused from record to record
	for rows.Next() {
		row++
		if row%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return &rowError{row, err}
		}
		if t.header == nil {
			if len(strings.Join(cells, "")) == 0 {
				continue // blank rows above the header
			}
			t.header = cleanHeader(cells)
			continue
		}
		rec := cellsRecord(row, t.header, cells, fields[:0])
		fields = rec.fields
		if err := fn(rec, nil); err != nil {
			return err
		}
	}
	return rows.Error()
}

// jsonRecord makes the record of a decoded JSON object, its keys in
// sorted order.
func jsonRecord(row int, obj map[string]any) record {
	rec := record{row: row}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := obj[k]
		if v == nil {
			continue
		}
		if s, ok := v.(string); ok {
			if v = strings.TrimSpace(s); v == "" {
				continue
			}
		}
		rec.fields = append(rec.fields, field{col: -1, name: strings.TrimSpace(k), val: v})
	}
	return rec
}

func (t *table) eachJSONL(ctx context.Context, onBytes func(int64), fn func(record, error) error) error {
	f, err := os.Open(t.file)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(&countingReader{r: f, onBytes: onBytes})
	sc.Buffer(make([]byte, 0, 1<<16), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		if line%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		b := bytes.TrimSpace(sc.Bytes())
		if line == 1 {
			b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
		}
		if len(b) == 0 {
			continue
		}
		if err := kg.CheckJSONText(b); err != nil {
			if err := fn(record{row: line}, err); err != nil {
				return err
			}
			continue
		}
		var obj map[string]any
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		if err := d.Decode(&obj); err != nil {
			if err := fn(record{row: line}, fmt.Errorf("not a JSON object: %v", err)); err != nil {
				return err
			}
			continue
		}
		if err := fn(jsonRecord(line, obj), nil); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("line %d: %w", line+1, err)
	}
	return nil
}

// eachJSON reads a JSON file holding an array of records, or an object
// whose "nodes" and "edges" (or "relationships") keys hold arrays of
// records, one element at a time.
func (t *table) eachJSON(ctx context.Context, onBytes func(int64), fn func(record, error) error) error {
	f, err := os.Open(t.file)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReader(&countingReader{r: f, onBytes: onBytes})
	if b, _ := br.Peek(3); bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
	d := json.NewDecoder(br)
	d.UseNumber()
	fail := func(err error) error { return fmt.Errorf("at byte %d: %w", d.InputOffset(), err) }
	// next decodes record n and passes it to fn, checking its text first
	// (kg.CheckJSONText): a record that is not text is passed as bad.
	next := func(n int) error {
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			return fail(fmt.Errorf("record %d: %w", n, err))
		}
		if err := kg.CheckJSONText(raw); err != nil {
			return fn(record{row: n}, err)
		}
		var obj map[string]any
		rd := json.NewDecoder(bytes.NewReader(raw))
		rd.UseNumber()
		if err := rd.Decode(&obj); err != nil {
			return fail(fmt.Errorf("record %d: %w", n, err))
		}
		return fn(jsonRecord(n, obj), nil)
	}
	n := 0
	array := func() error {
		if tok, err := d.Token(); err != nil {
			return fail(err)
		} else if tok != json.Delim('[') {
			return fail(fmt.Errorf("want an array of records, got %v", tok))
		}
		for d.More() {
			n++
			if n%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if err := next(n); err != nil {
				return err
			}
		}
		_, err := d.Token()
		return err
	}
	tok, err := d.Token()
	if err != nil {
		return fail(err)
	}
	switch tok {
	case json.Delim('['):
		for d.More() {
			n++
			if err := next(n); err != nil {
				return err
			}
		}
		return nil
	case json.Delim('{'):
		for d.More() {
			key, err := d.Token()
			if err != nil {
				return fail(err)
			}
			switch key {
			case "nodes", "edges", "relationships":
				if err := array(); err != nil {
					return err
				}
			default:
				var skip json.RawMessage
				if err := d.Decode(&skip); err != nil {
					return fail(err)
				}
			}
		}
		return nil
	}
	return fail(fmt.Errorf("want an array of records or an object with nodes and edges, got %v", tok))
}
