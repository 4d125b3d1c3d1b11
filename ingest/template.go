package ingest

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/innograph/innograph/kg"
)

// TemplateTarget is what one template table is for: a kind or a
// relationship type.
type TemplateTarget struct {
	Kind kg.Kind
	Type kg.RelType
}

// Name is the target's kind or type.
func (t TemplateTarget) Name() string {
	if t.Kind != "" {
		return string(t.Kind)
	}
	return string(t.Type)
}

// ParseTemplateTargets parses a comma-separated list of kinds and
// relationship types; "all" stands for every kind and type.
func ParseTemplateTargets(s string) ([]TemplateTarget, error) {
	var out []TemplateTarget
	for _, part := range splitList(s) {
		if strings.EqualFold(part, "all") {
			for _, k := range kg.Kinds {
				out = append(out, TemplateTarget{Kind: k})
			}
			for _, t := range kg.RelTypes {
				out = append(out, TemplateTarget{Type: t})
			}
			continue
		}
		if k, ok := ParseKind(part); ok {
			out = append(out, TemplateTarget{Kind: k})
		} else if t, ok := ParseRelType(part); ok {
			out = append(out, TemplateTarget{Type: t})
		} else {
			return nil, fmt.Errorf("%w: %q is neither a kind nor a relationship type", kg.ErrInvalid, part)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: name a kind or a relationship type for the template", kg.ErrInvalid)
	}
	return out, nil
}

// TemplateColumns returns the header of a template: for a kind, id and
// every property (each yearly figure as one column per year of years,
// "revenue.2023"); for a relationship type, type, from, to and every
// property.
func TemplateColumns(t TemplateTarget, years []int) []string {
	var cols []string
	var specs []kg.PropSpec
	if t.Kind != "" {
		cols = []string{ColumnID}
		specs = kg.NodeProps(t.Kind)
	} else {
		cols = []string{ColumnType, ColumnFrom, ColumnTo}
		specs = kg.EdgeProps(t.Type)
	}
	for _, p := range specs {
		if p.Type == kg.SeriesType {
			for _, y := range years {
				cols = append(cols, p.Name+"."+strconv.Itoa(y))
			}
			continue
		}
		cols = append(cols, p.Name)
	}
	return cols
}

// WriteTemplateCSV writes the empty CSV template of one target to w: a
// header row, in UTF-8 with a byte order mark (so that spreadsheet
// software opens the Chinese names right).
func WriteTemplateCSV(w io.Writer, t TemplateTarget, years []int) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(TemplateColumns(t, years)); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// WriteTemplateXLSX writes an empty workbook with one sheet per target,
// named after it, to w: a frozen, bold header row, and drop-down lists
// for enum and boolean columns.
func WriteTemplateXLSX(w io.Writer, targets []TemplateTarget, years []int) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	first := f.GetSheetName(0)
	for i, t := range targets {
		sheet := t.Name()
		if i == 0 {
			if err := f.SetSheetName(first, sheet); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sheet); err != nil {
			return err
		}
		cols := TemplateColumns(t, years)
		row := make([]any, len(cols))
		for j, c := range cols {
			row[j] = c
		}
		if err := f.SetSheetRow(sheet, "A1", &row); err != nil {
			return err
		}
		last := columnLetters(len(cols) - 1)
		if err := f.SetCellStyle(sheet, "A1", last+"1", bold); err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, "A", last, 16); err != nil {
			return err
		}
		if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		for j, c := range cols {
			var spec *kg.PropSpec
			var ok bool
			if t.Kind != "" {
				spec, ok = kg.NodePropSpec(t.Kind, c)
			} else {
				spec, ok = kg.EdgePropSpec(t.Type, c)
			}
			if !ok {
				continue
			}
			var values []string
			switch spec.Type {
			case kg.EnumType:
				values = spec.Enum.Values
			case kg.Bool:
				values = []string{"true", "false"}
			default:
				continue
			}
			dv := excelize.NewDataValidation(true)
			col := columnLetters(j)
			dv.Sqref = fmt.Sprintf("%s2:%s1048576", col, col)
			if err := dv.SetDropList(values); err != nil {
				return err
			}
			if err := f.AddDataValidation(sheet, dv); err != nil {
				return err
			}
		}
	}
	return f.Write(w)
}
