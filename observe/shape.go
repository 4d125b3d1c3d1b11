package observe

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// MaxShape bounds the length of a Shape, in bytes.
const MaxShape = 4000

// Shape writes an operation without its values: its type and name, its
// fields (with their aliases), the names of their arguments but not what
// they are given, its fragment spreads and inline fragments, followed by
// the fragments it spreads. Variables, literals and strings, which may
// hold what a client searched for, stay out. It is cut at MaxShape bytes.
// It is "" for a nil op.
func Shape(doc *ast.QueryDocument, op *ast.OperationDefinition) string {
	if op == nil {
		return ""
	}
	var s shaper
	s.b.WriteString(string(op.Operation))
	if op.Name != "" {
		s.b.WriteString(" " + op.Name)
	}
	s.selections(op.SelectionSet)
	for i := 0; i < len(s.spread) && s.b.Len() <= MaxShape; i++ {
		var f *ast.FragmentDefinition
		if doc != nil {
			f = doc.Fragments.ForName(s.spread[i])
		}
		if f == nil {
			continue
		}
		s.b.WriteString(" fragment " + f.Name + " on " + f.TypeCondition)
		s.selections(f.SelectionSet)
	}
	return truncate(s.b.String(), MaxShape)
}

type shaper struct {
	b      strings.Builder
	spread []string // fragments spread, in order of first use
	seen   map[string]bool
}

func (s *shaper) selections(set ast.SelectionSet) {
	if len(set) == 0 || s.b.Len() > MaxShape {
		return
	}
	s.b.WriteString(" {")
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			s.b.WriteByte(' ')
			if sel.Alias != "" && sel.Alias != sel.Name {
				s.b.WriteString(sel.Alias + ": ")
			}
			s.b.WriteString(sel.Name)
			if len(sel.Arguments) > 0 {
				s.b.WriteByte('(')
				for i, a := range sel.Arguments {
					if i > 0 {
						s.b.WriteByte(' ')
					}
					s.b.WriteString(a.Name + ":")
				}
				s.b.WriteByte(')')
			}
			s.selections(sel.SelectionSet)
		case *ast.FragmentSpread:
			s.b.WriteString(" ..." + sel.Name)
			if !s.seen[sel.Name] {
				if s.seen == nil {
					s.seen = map[string]bool{}
				}
				s.seen[sel.Name] = true
				s.spread = append(s.spread, sel.Name)
			}
		case *ast.InlineFragment:
			s.b.WriteString(" ...")
			if sel.TypeCondition != "" {
				s.b.WriteString(" on " + sel.TypeCondition)
			}
			s.selections(sel.SelectionSet)
		}
	}
	s.b.WriteString(" }")
}
