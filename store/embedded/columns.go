package embedded

import (
	"slices"
	"strings"

	"github.com/innograph/innograph/kg"
)

// colKey names a column: a property (or "id") and, for a yearly series,
// one year.
type colKey struct {
	prop string
	year int
}

// colType is how a column holds its values.
type colType int

const (
	colStr  colType = iota // strings, enums and ids
	colNum                 // integers, numbers, years of a series; booleans as 0 and 1
	colList                // lists of strings or enums
)

// column holds one property of every node of a kind, in the order of the
// kind's id-sorted list, so that filters and sorts read arrays rather than
// the property map of each node. Columns are built on first use and
// dropped when a write changes a node of their kind.
type column struct {
	typ     colType
	present []bool
	str     []string
	num     []float64
	list    [][]string
}

// colTypeOf returns the column type of a property of kind k, and whether
// it is a yearly series (whose columns hold one year each).
func colTypeOf(k kg.Kind, prop string) (colType, bool) {
	if prop == "id" {
		return colStr, false
	}
	spec, ok := kg.NodePropSpec(k, prop)
	if !ok {
		return colStr, false
	}
	switch spec.Type {
	case kg.Int, kg.Float, kg.Bool:
		return colNum, false
	case kg.SeriesType:
		return colNum, true
	case kg.Strings, kg.Enums:
		return colList, false
	}
	return colStr, false
}

// buildColumn reads a property of every node of list.
func buildColumn(list []*nodeRec, typ colType, prop string, year int) *column {
	c := &column{typ: typ, present: make([]bool, len(list))}
	switch typ {
	case colStr:
		c.str = make([]string, len(list))
	case colNum:
		c.num = make([]float64, len(list))
	case colList:
		c.list = make([][]string, len(list))
	}
	for i, r := range list {
		v, ok := kg.Value(r.n, prop, year)
		if !ok {
			continue
		}
		switch x := v.(type) {
		case string:
			ok = typ == colStr
			if ok {
				c.str[i] = x
			}
		case int64:
			ok = typ == colNum
			if ok {
				c.num[i] = float64(x)
			}
		case float64:
			ok = typ == colNum
			if ok {
				c.num[i] = x
			}
		case bool:
			ok = typ == colNum
			if ok && x {
				c.num[i] = 1
			}
		case []string:
			ok = typ == colList
			if ok {
				c.list[i] = x
			}
		default:
			ok = false
		}
		c.present[i] = ok
	}
	return c
}

// column returns the column of a property of kind k, building it if
// needed. The caller holds mu for reading (or writing).
func (s *Store) column(k kg.Kind, prop string, year int) *column {
	typ, series := colTypeOf(k, prop)
	if !series {
		year = 0 // kg.Value ignores the year of other properties
	}
	key := colKey{prop, year}
	s.colMu.Lock()
	c := s.cols[k][key]
	s.colMu.Unlock()
	if c != nil {
		return c
	}
	// Readers may build the same column at once; either copy will do,
	// since no write can happen while they hold mu.
	c = buildColumn(s.byKind[k], typ, prop, year)
	s.colMu.Lock()
	if s.cols[k] == nil {
		s.cols[k] = map[colKey]*column{}
	}
	s.cols[k][key] = c
	s.colMu.Unlock()
	return c
}

// dropColumns forgets the columns of the given kinds.
func (s *Store) dropColumns(kinds map[kg.Kind]bool) {
	s.colMu.Lock()
	defer s.colMu.Unlock()
	for k := range kinds {
		delete(s.cols, k)
	}
}

// colCond is a condition, normalised by kg.ValidateNodeQuery, compiled
// against a column. It matches exactly when kg.Match does.
type colCond struct {
	col *column
	op  kg.Op
	s   string    // value, for string columns and list elements
	f   float64   // value, for number columns
	ss  []string  // IN values, for string columns and list elements
	fs  []float64 // IN values, for number columns
}

// scalar converts a normalised condition value to its column form.
func scalar(v any) (string, float64) {
	switch x := v.(type) {
	case string:
		return x, 0
	case int64:
		return "", float64(x)
	case float64:
		return "", x
	case bool:
		if x {
			return "", 1
		}
	}
	return "", 0
}

func (s *Store) compile(k kg.Kind, c kg.Condition) colCond {
	cc := colCond{col: s.column(k, c.Prop, c.Year), op: c.Op}
	if c.Op == kg.IN {
		vals, _ := c.Value.([]any)
		for _, v := range vals {
			str, f := scalar(v)
			cc.ss, cc.fs = append(cc.ss, str), append(cc.fs, f)
		}
	} else {
		cc.s, cc.f = scalar(c.Value)
	}
	return cc
}

// match reports whether the node at position i satisfies the condition:
// never when it lacks the property; for a list, when any element does.
func (c *colCond) match(i int) bool {
	if !c.col.present[i] {
		return false
	}
	switch c.col.typ {
	case colStr:
		return c.matchStr(c.col.str[i])
	case colNum:
		return c.matchNum(c.col.num[i])
	}
	for _, e := range c.col.list[i] {
		if c.matchStr(e) {
			return true
		}
	}
	return false
}

func (c *colCond) matchStr(v string) bool {
	switch c.op {
	case kg.EQ:
		return v == c.s
	case kg.NE:
		return v != c.s
	case kg.GT:
		return v > c.s
	case kg.GTE:
		return v >= c.s
	case kg.LT:
		return v < c.s
	case kg.LTE:
		return v <= c.s
	case kg.IN:
		return slices.Contains(c.ss, v)
	case kg.CONTAINS:
		return strings.Contains(v, c.s)
	case kg.PREFIX:
		return strings.HasPrefix(v, c.s)
	}
	return false
}

func (c *colCond) matchNum(v float64) bool {
	switch c.op {
	case kg.EQ:
		return v == c.f
	case kg.NE:
		return v != c.f
	case kg.GT:
		return v > c.f
	case kg.GTE:
		return v >= c.f
	case kg.LT:
		return v < c.f
	case kg.LTE:
		return v <= c.f
	case kg.IN:
		return slices.Contains(c.fs, v)
	}
	return false
}
