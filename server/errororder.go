package server

import (
	"cmp"
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// orderErrors puts the errors of a response in a deterministic order. The
// executor resolves root fields concurrently and lists errors as they
// happen, so without it the same request could list the same errors in
// another order each time.
func orderErrors(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp != nil {
		sortErrors(resp.Errors)
	}
	return resp
}

// sortErrors orders errors by their first location in the query, then by
// path (names by text, indexes by number, a prefix first), then message.
func sortErrors(errs gqlerror.List) {
	slices.SortStableFunc(errs, func(a, b *gqlerror.Error) int {
		hasA, hasB := len(a.Locations) > 0, len(b.Locations) > 0
		switch {
		case hasA && hasB:
			la, lb := a.Locations[0], b.Locations[0]
			if c := cmp.Or(cmp.Compare(la.Line, lb.Line), cmp.Compare(la.Column, lb.Column)); c != 0 {
				return c
			}
		case hasA != hasB:
			if hasB {
				return -1 // errors without a location first
			}
			return 1
		}
		if c := comparePaths(a.Path, b.Path); c != 0 {
			return c
		}
		return cmp.Compare(a.Message, b.Message)
	})
}

func comparePaths(a, b ast.Path) int {
	for i := range min(len(a), len(b)) {
		if c := comparePathElements(a[i], b[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

func comparePathElements(a, b ast.PathElement) int {
	switch x := a.(type) {
	case ast.PathIndex:
		if y, ok := b.(ast.PathIndex); ok {
			return cmp.Compare(x, y)
		}
		return -1 // indexes before names
	case ast.PathName:
		if y, ok := b.(ast.PathName); ok {
			return cmp.Compare(x, y)
		}
		return 1
	}
	return 0
}
