package server

import (
	"fmt"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

func TestSortErrors(t *testing.T) {
	at := func(line, col int, msg string, path ...ast.PathElement) *gqlerror.Error {
		e := &gqlerror.Error{Message: msg, Path: path}
		if line > 0 {
			e.Locations = []gqlerror.Location{{Line: line, Column: col}}
		}
		return e
	}
	want := gqlerror.List{
		at(0, 0, "no location"),
		at(2, 3, "b", ast.PathName("a")),
		at(2, 3, "a", ast.PathName("nodes"), ast.PathIndex(1)),
		at(2, 3, "a", ast.PathName("nodes"), ast.PathIndex(4)),
		at(2, 3, "a", ast.PathName("nodes"), ast.PathIndex(10)),
		at(2, 3, "a", ast.PathName("nodes"), ast.PathIndex(10), ast.PathName("x")),
		at(2, 9, "a", ast.PathName("a")),
		at(5, 1, "a", ast.PathName("a")),
	}
	orders := []gqlerror.List{
		{want[7], want[6], want[5], want[4], want[3], want[2], want[1], want[0]},
		{want[3], want[0], want[7], want[1], want[5], want[2], want[6], want[4]},
		append(gqlerror.List(nil), want...),
	}
	for i, got := range orders {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			sortErrors(got)
			for j := range want {
				if got[j] != want[j] {
					t.Fatalf("position %d: %v at %v, want %v at %v", j, got[j].Message, got[j].Path, want[j].Message, want[j].Path)
				}
			}
		})
	}
}
