package kg_test

import (
	"errors"
	"testing"

	"github.com/innograph/innograph/kg"
)

func TestHighTechIn(t *testing.T) {
	cases := []struct {
		name   string
		props  kg.Props
		year   int
		holder bool
	}{
		{"in the year granted", kg.Props{"highTechGranted": int64(2020), "highTechValidUntil": int64(2022)}, 2020, true},
		{"in the last valid year", kg.Props{"highTechGranted": int64(2020), "highTechValidUntil": int64(2022)}, 2022, true},
		{"before it was granted", kg.Props{"highTechGranted": int64(2020), "highTechValidUntil": int64(2022)}, 2019, false},
		{"after it expired", kg.Props{"highTechGranted": int64(2020), "highTechValidUntil": int64(2022)}, 2023, false},
		{"no last year", kg.Props{"highTechGranted": int64(2020)}, 2020, false},
		{"no certificate", kg.Props{}, 2020, false},
	}
	for _, tc := range cases {
		n := &kg.Node{ID: "e", Kind: kg.Enterprise, Props: tc.props}
		q := kg.NodeQuery{Kind: kg.Enterprise, Where: kg.HighTechIn(tc.year), First: 1}
		if err := kg.ValidateNodeQuery(&q); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := kg.Match(n, q.Where); got != tc.holder {
			t.Errorf("%s: Match(HighTechIn(%d)) = %v, want %v", tc.name, tc.year, got, tc.holder)
		}
	}
}

func TestLevelsAtLeast(t *testing.T) {
	for _, lo := range append([]string{"UNKNOWN"}, kg.Level.Values...) {
		got := kg.LevelsAtLeast(lo)
		for _, l := range kg.Level.Values {
			in := false
			for _, v := range got {
				in = in || v == l
			}
			if want := kg.LevelRank(l) >= kg.LevelRank(lo); in != want {
				t.Errorf("LevelsAtLeast(%s) holds %s: %v, want %v", lo, l, in, want)
			}
			n := &kg.Node{ID: "x", Props: kg.Props{"level": l}}
			if m := kg.Match(n, []kg.Condition{kg.LevelAtLeast(lo)}); m != in {
				t.Errorf("LevelAtLeast(%s) matches %s: %v, want %v", lo, l, m, in)
			}
		}
	}
}

func TestPrepareNodeQuery(t *testing.T) {
	n4 := &kg.Node{ID: "ent-4", Kind: kg.Enterprise}
	cases := []struct {
		name    string
		q       kg.NodeQuery
		wantID  string // the id the page starts after; "" for none
		wantErr bool
	}{
		{"no cursor", kg.NodeQuery{Kind: kg.Enterprise, First: 10}, "", false},
		{"after a node", kg.NodeQuery{Kind: kg.Enterprise, First: 10, After: kg.NodeCursor(kg.Enterprise, nil, n4)}, "ent-4", false},
		{"a cursor of another list", kg.NodeQuery{Kind: kg.Enterprise, First: 10, After: kg.NodeCursor(kg.Talent, nil, n4)}, "", true},
		{"a cursor not issued", kg.NodeQuery{Kind: kg.Enterprise, First: 10, After: "nope"}, "", true},
		{"an unknown kind", kg.NodeQuery{Kind: "Nope", First: 10}, "", true},
		{"a page too large", kg.NodeQuery{Kind: kg.Enterprise, First: kg.MaxPageSize + 1}, "", true},
		{"an unknown property", kg.NodeQuery{Kind: kg.Enterprise, First: 1, Where: []kg.Condition{{Prop: "nope", Op: kg.EQ, Value: "x"}}}, "", true},
	}
	for _, tc := range cases {
		pos, err := kg.PrepareNodeQuery(&tc.q)
		switch {
		case tc.wantErr && !errors.Is(err, kg.ErrInvalid):
			t.Errorf("%s: error %v, want one wrapping kg.ErrInvalid", tc.name, err)
		case !tc.wantErr && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case !tc.wantErr && tc.wantID == "" && pos != nil:
			t.Errorf("%s: position %+v, want none", tc.name, pos)
		case !tc.wantErr && tc.wantID != "" && (pos == nil || pos.ID != tc.wantID):
			t.Errorf("%s: position %+v, want one after %s", tc.name, pos, tc.wantID)
		}
	}
}
