package ingest

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/transform"
)

// A workbook is read through excelize, whose row iterator stops quietly at
// the first fault in a sheet's XML: a sheet cut short in the middle of a
// row yields the rows before it and half of that row, and no error. So the
// first pass checks every XML part of a workbook itself (checkWorkbook)
// before reading its rows: any fault rejects the import with the file,
// the sheet, the row and the byte where it is.

// bookDamage is a fault in one part of a workbook.
type bookDamage struct {
	part  string // the part (zip entry), e.g. xl/worksheets/sheet1.xml
	sheet string // the sheet the part holds; "" for other parts
	// row is the row of the sheet the fault is in (the last row begun
	// before it), 0 for none.
	row    int
	offset int64 // the byte of the part the fault was found at
	err    error
}

func (d *bookDamage) Error() string {
	return fmt.Sprintf("damaged workbook: %s, byte %d: %v", d.part, d.offset, d.err)
}

func (d *bookDamage) Unwrap() error { return d.err }

// charsetReader reads the XML parts that declare an encoding other than
// UTF-8, as excelize does.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	e, err := htmlindex.Get(label)
	if err != nil {
		return nil, fmt.Errorf("unknown encoding %q: %w", label, err)
	}
	return transform.NewReader(in, e.NewDecoder()), nil
}

// Relationship types of the package parts checkWorkbook follows.
const (
	relOfficeDocument = "/officeDocument"
	relWorksheet      = "/worksheet"
	relSharedStrings  = "/sharedStrings"
)

// partName normalises the name of a zip entry or a relationship target
// for lookups: forward slashes, no leading slash, lower case.
func partName(name string) string {
	return strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(name, `\`, "/"), "/"))
}

// relTarget resolves a relationship's target against the directory of
// the part that holds the relationship.
func relTarget(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return partName(target)
	}
	return partName(path.Join(dir, target))
}

type xmlRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type xmlWorkbook struct {
	Sheets []struct {
		Name string `xml:"name,attr"`
		RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
	} `xml:"sheets>sheet"`
}

// checkWorkbook reads every XML part of the workbook at file and returns
// the first fault found, or nil: a part that is not well-formed XML (cut
// short, not UTF-8, tags that do not match), a zip entry that cannot be
// read, rows out of order, a cell outside its row or out of order, a
// shared string that does not exist. The work is one pass over each
// part, bounded by the sizes excelize accepts when it opens the file.
func checkWorkbook(ctx context.Context, file string) error {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return fmt.Errorf("not a readable workbook: %w", err)
	}
	defer zr.Close()
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[partName(f.Name)] = f
	}
	unmarshal := func(name string, v any) error {
		f := parts[name]
		if f == nil {
			return nil
		}
		return scanPart(f, func(d *xml.Decoder) (int, error) { return 0, d.Decode(v) })
	}
	// The workbook part, its sheets, and the parts of the sheets.
	var root xmlRels
	if err := unmarshal("_rels/.rels", &root); err != nil {
		return err
	}
	book := "xl/workbook.xml"
	for _, r := range root.Rels {
		if strings.HasSuffix(r.Type, relOfficeDocument) {
			book = relTarget("/", r.Target)
		}
	}
	dir := path.Dir(book)
	var rels xmlRels
	if err := unmarshal(path.Join(dir, "_rels", path.Base(book)+".rels"), &rels); err != nil {
		return err
	}
	var wb xmlWorkbook
	if err := unmarshal(book, &wb); err != nil {
		return err
	}
	sheetOf := map[string]string{} // part → sheet name
	strs := "xl/sharedstrings.xml"
	for _, r := range rels.Rels {
		switch {
		case strings.HasSuffix(r.Type, relSharedStrings):
			strs = relTarget(dir, r.Target)
		case strings.HasSuffix(r.Type, relWorksheet):
			for _, s := range wb.Sheets {
				if s.RID == r.ID {
					sheetOf[relTarget(dir, r.Target)] = s.Name
				}
			}
		}
	}
	// The shared strings first: the sheets' cells refer to them.
	nStrings := -1
	if f := parts[strs]; f != nil {
		if err := scanPart(f, func(d *xml.Decoder) (int, error) {
			n, err := countStrings(d)
			nStrings = n
			return 0, err
		}); err != nil {
			return err
		}
	}
	for _, f := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := partName(f.Name)
		if name == strs || f.FileInfo().IsDir() {
			continue
		}
		if sheet, ok := sheetOf[name]; ok {
			err := scanPart(f, func(d *xml.Decoder) (int, error) { return checkSheet(d, nStrings) })
			var bd *bookDamage
			if errors.As(err, &bd) {
				bd.sheet = sheet
			}
			if err != nil {
				return err
			}
			continue
		}
		if !strings.HasSuffix(name, ".xml") && !strings.HasSuffix(name, ".rels") {
			// Pictures, printer settings, VBA: read for the zip's checksum.
			if err := readEntry(f); err != nil {
				return err
			}
			continue
		}
		if err := scanPart(f, wellFormed); err != nil {
			return err
		}
	}
	return nil
}

// readEntry reads a zip entry through, which checks its checksum.
func readEntry(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return &bookDamage{part: f.Name, err: err}
	}
	defer rc.Close()
	if n, err := io.Copy(io.Discard, rc); err != nil {
		return &bookDamage{part: f.Name, offset: n, err: err}
	}
	return nil
}

// scanPart runs scan over the XML of a zip entry and returns its error as
// a *bookDamage that names the part, the row scan reached and the byte.
func scanPart(f *zip.File, scan func(d *xml.Decoder) (row int, err error)) error {
	rc, err := f.Open()
	if err != nil {
		return &bookDamage{part: f.Name, err: err}
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	d.CharsetReader = charsetReader
	row, err := scan(d)
	if err == nil {
		// The rest of the entry, for its checksum.
		_, err = io.Copy(io.Discard, rc)
	}
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return &bookDamage{part: f.Name, row: row, offset: d.InputOffset(), err: err}
	}
	return nil
}

// xmlReader reads the tokens of a part as xml.Decoder.RawToken does,
// checking that each end tag closes the element open and that none is
// left open at the end, as Token does without its namespace work (which
// costs about as much as the rest of the reading).
type xmlReader struct {
	d     *xml.Decoder
	stack []xml.Name
}

func (x *xmlReader) syntaxError(msg string) error {
	line, _ := x.d.InputPos()
	return &xml.SyntaxError{Msg: msg, Line: line}
}

// next returns the next token; io.EOF at the end of a whole document.
func (x *xmlReader) next() (xml.Token, error) {
	tok, err := x.d.RawToken()
	if err == io.EOF {
		if len(x.stack) > 0 {
			return nil, x.syntaxError("unexpected EOF")
		}
		return nil, io.EOF
	}
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case xml.StartElement:
		x.stack = append(x.stack, t.Name)
	case xml.EndElement:
		n := len(x.stack)
		if n == 0 {
			return nil, x.syntaxError(fmt.Sprintf("unexpected end element </%s>", qualified(t.Name)))
		}
		if open := x.stack[n-1]; open != t.Name {
			return nil, x.syntaxError(fmt.Sprintf("element <%s> closed by </%s>", qualified(open), qualified(t.Name)))
		}
		x.stack = x.stack[:n-1]
	}
	return tok, nil
}

// qualified writes a raw name as it is in the XML: prefix:local.
func qualified(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// wellFormed reads a part's XML to its end.
func wellFormed(d *xml.Decoder) (int, error) {
	x := &xmlReader{d: d}
	for {
		if _, err := x.next(); err == io.EOF {
			return 0, nil
		} else if err != nil {
			return 0, err
		}
	}
}

// countStrings reads the shared strings part and counts its strings (the
// si elements of its root).
func countStrings(d *xml.Decoder) (int, error) {
	x := &xmlReader{d: d}
	n, depth := 0, 0
	for {
		tok, err := x.next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 2 && t.Name.Local == "si" {
				n++
			}
		case xml.EndElement:
			depth--
		}
	}
}

// checkSheet reads a worksheet's XML: it must be well-formed, its rows in
// increasing order, each cell named in its row and after the cells before
// it, and each shared-string cell must name one of the nStrings strings
// (-1: the workbook has no shared strings part). It returns the row it
// reached.
func checkSheet(d *xml.Decoder, nStrings int) (int, error) {
	var (
		depth, dataDepth int // dataDepth: the depth of sheetData, 0 outside
		row, col         int // the current row and its last cell's column
		sharedCell       bool
		inValue          bool
		value            strings.Builder
	)
	attr := func(t xml.StartElement, name string) (string, bool) {
		for _, a := range t.Attr {
			if a.Name.Local == name {
				return a.Value, true
			}
		}
		return "", false
	}
	x := &xmlReader{d: d}
	for {
		tok, err := x.next()
		if err == io.EOF {
			return row, nil
		}
		if err != nil {
			return row, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case t.Name.Local == "sheetData" && dataDepth == 0:
				dataDepth = depth
			case dataDepth == 0:
			case depth == dataDepth+1 && t.Name.Local == "row":
				next := row + 1
				if r, ok := attr(t, "r"); ok {
					n, err := strconv.Atoi(r)
					if err != nil || n < 1 || n > excelize.TotalRows {
						return row, fmt.Errorf("row number %q after row %d is not a row number", r, row)
					}
					if n <= row {
						return row, fmt.Errorf("row %d comes after row %d", n, row)
					}
					next = n
				}
				row, col = next, 0
			case depth == dataDepth+2 && t.Name.Local == "c":
				next := col + 1
				if ref, ok := attr(t, "r"); ok {
					c, r, err := excelize.CellNameToCoordinates(ref)
					if err != nil {
						return row, fmt.Errorf("cell %q is not a cell name", ref)
					}
					if r != row {
						return row, fmt.Errorf("cell %s is in row %d", ref, row)
					}
					if c <= col {
						return row, fmt.Errorf("cell %s comes after column %s", ref, columnLetters(col-1))
					}
					next = c
				}
				col = next
				typ, _ := attr(t, "t")
				sharedCell = typ == "s"
			case depth == dataDepth+3 && t.Name.Local == "v" && sharedCell:
				inValue = true
				value.Reset()
			}
		case xml.CharData:
			if inValue {
				value.Write(t)
			}
		case xml.EndElement:
			if inValue && depth == dataDepth+3 {
				inValue = false
				cell := columnLetters(col-1) + strconv.Itoa(row)
				i, err := strconv.Atoi(strings.TrimSpace(value.String()))
				switch {
				case err != nil:
					return row, fmt.Errorf("cell %s names shared string %q, which is not a number", cell, value.String())
				case nStrings < 0:
					return row, fmt.Errorf("cell %s names shared string %d, but the workbook has no shared strings", cell, i)
				case i < 0 || i >= nStrings:
					return row, fmt.Errorf("cell %s names shared string %d, but the workbook has %d", cell, i, nStrings)
				}
			}
			if depth == dataDepth {
				dataDepth = 0
			}
			depth--
		}
	}
}
