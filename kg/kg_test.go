package kg_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/innograph/innograph/kg"
)

func TestValidateCreditCode(t *testing.T) {
	cases := []struct {
		code, wantErr string
	}{
		{"91350100M000100Y43", ""},
		{"91110000600037341L", ""},
		{"9121020071093194XP", ""},
		{"91350100M000100Y44", "check character"},
		{"91350100M000100Y4", "18 characters"},
		{"91350100M000100Y433", "18 characters"},
		{"91350100I000100Y43", "not allowed"},
		{"91350100m000100Y43", "not allowed"},
	}
	for _, tc := range cases {
		err := kg.ValidateCreditCode(tc.code)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: unexpected error %v", tc.code, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: error %v, want one containing %q", tc.code, err, tc.wantErr)
		}
	}
	// Every computed check character validates.
	for _, body := range []string{"91210202MA0XXXXX0", "12210000000000000", "Y1000000000000000"} {
		c, err := kg.CreditCodeCheckChar(body)
		if err != nil {
			t.Fatal(err)
		}
		if err := kg.ValidateCreditCode(body + string(c)); err != nil {
			t.Errorf("%s%c: %v", body, c, err)
		}
	}
}

func TestMerge(t *testing.T) {
	old := kg.Props{"name": "甲", "district": "中山区", "revenue": kg.Series{2020: 1, 2021: 2}}
	got := kg.Merge(old, kg.Props{"district": nil, "nameEn": "A", "revenue": kg.Series{2021: 5, 2022: 6, 2020: math.NaN()}})
	want := kg.Props{"name": "甲", "nameEn": "A", "revenue": kg.Series{2021: 5, 2022: 6}}
	if !got.Equal(want) {
		t.Fatalf("Merge = %v, want %v", got, want)
	}
	if _, ok := old["nameEn"]; ok || len(old.Series("revenue")) != 2 {
		t.Fatalf("Merge modified its argument: %v", old)
	}
}

func TestNormalizeNode(t *testing.T) {
	cases := []struct {
		name      string
		node      kg.Node
		wantField string
	}{
		{"ok", kg.Node{ID: "e1", Kind: kg.Enterprise, Props: kg.Props{"name": "甲", "foundedYear": float64(2001), "aboveScale": "true", "revenue": map[string]any{"2020": 1.5}}}, ""},
		{"missing name", kg.Node{ID: "e1", Kind: kg.Enterprise, Props: kg.Props{"district": "中山区"}}, "name"},
		{"blank name", kg.Node{ID: "e1", Kind: kg.Enterprise, Props: kg.Props{"name": "  "}}, "name"},
		{"unknown kind", kg.Node{ID: "e1", Kind: "Company", Props: kg.Props{"name": "甲"}}, "kind"},
		{"unknown prop", kg.Node{ID: "e1", Kind: kg.Enterprise, Props: kg.Props{"name": "甲", "colour": "red"}}, "colour"},
		{"bad enum", kg.Node{ID: "i1", Kind: kg.Incubator, Props: kg.Props{"name": "甲", "level": "CITY"}}, "level"},
		{"fractional int", kg.Node{ID: "e1", Kind: kg.Enterprise, Props: kg.Props{"name": "甲", "foundedYear": 2001.5}}, "foundedYear"},
		{"year list", kg.Node{ID: "e1", Kind: kg.Enterprise, Props: kg.Props{"name": "甲", "foundedYear": 2001, "revenue": []any{map[string]any{"year": 2020.0, "value": 1.5}}}}, ""},
		{"bad year list", kg.Node{ID: "e1", Kind: kg.Enterprise, Props: kg.Props{"name": "甲", "revenue": []any{map[string]any{"year": 2020, "amount": 1}}}}, "revenue"},
		{"bad year key", kg.Node{ID: "e1", Kind: kg.Enterprise, Props: kg.Props{"name": "甲", "revenue": map[string]any{"next": 1}}}, "revenue"},
		{"bad credit code", kg.Node{ID: "e1", Kind: kg.Enterprise, Props: kg.Props{"name": "甲", "creditCode": "91350100M000100Y44"}}, "creditCode"},
		{"empty id", kg.Node{ID: "", Kind: kg.Enterprise, Props: kg.Props{"name": "甲"}}, "id"},
		{"confidence not for nodes", kg.Node{ID: "e1", Kind: kg.Enterprise, Props: kg.Props{"name": "甲", "confidence": 1.0}}, "confidence"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errs := kg.NormalizeNode(&tc.node)
			if tc.wantField == "" {
				if len(errs) > 0 {
					t.Fatalf("unexpected errors %v", errs)
				}
				if v, _ := tc.node.Props.Int("foundedYear"); v != 2001 {
					t.Errorf("foundedYear not normalised: %#v", tc.node.Props["foundedYear"])
				}
				if s := tc.node.Props.Series("revenue"); s[2020] != 1.5 {
					t.Errorf("revenue not normalised: %#v", tc.node.Props["revenue"])
				}
				return
			}
			found := false
			for _, e := range errs {
				found = found || e.Field == tc.wantField
			}
			if !found {
				t.Fatalf("errors %v do not name field %q", errs, tc.wantField)
			}
		})
	}
}

// TestRangeErrorsWritePlainNumbers checks that an amount outside its
// range is reported in plain decimal, without an exponent.
func TestRangeErrorsWritePlainNumbers(t *testing.T) {
	n := kg.Node{ID: "i1", Kind: kg.Incubator, Props: kg.Props{"name": "甲", "area": 2.5e9}}
	errs := kg.NormalizeNode(&n)
	if len(errs) != 1 || errs[0].Message != "2500000000 is outside 0..1000000000" {
		t.Fatalf("errors %v, want one: 2500000000 is outside 0..1000000000", errs)
	}
}

func TestCheckBatchEndpoints(t *testing.T) {
	b := kg.Batch{
		Nodes: []kg.Node{{ID: "inc", Kind: kg.Incubator, Props: kg.Props{"name": "孵化器"}}, {ID: "ent", Kind: kg.Enterprise, Props: kg.Props{"name": "企业"}}},
		Edges: []kg.Edge{{Type: kg.Supplies, From: "inc", To: "ent"}, {Type: kg.IncubatedBy, From: "ent", To: "inc"}, {Type: kg.Serves, From: "x", To: "ent"}},
	}
	if err := kg.PrepareBatch(&b); err != nil {
		t.Fatal(err)
	}
	none := kg.StoredFacts{
		NodeKind: func(string) (kg.Kind, bool) { return "", false },
		EdgeType: func(string) (kg.RelType, string, string, bool) { return "", "", "", false },
	}
	err := kg.CheckBatch(&b, none)
	var ve *kg.ValidationError
	if !errors.Is(err, kg.ErrInvalid) || !errors.As(err, &ve) {
		t.Fatalf("err = %v, want a ValidationError wrapping ErrInvalid", err)
	}
	if len(ve.Errors) != 2 || ve.Errors[0].Field != "from" || ve.Errors[0].Item != 0 || ve.Errors[1].Field != "from" || ve.Errors[1].Item != 2 {
		t.Fatalf("errors = %+v, want edges[0].from (wrong kind) and edges[2].from (missing)", ve.Errors)
	}
}

func TestMatchEdge(t *testing.T) {
	kinds := map[string]kg.Kind{"e1": kg.Enterprise, "e2": kg.Enterprise, "u": kg.University}
	kindOf := func(id string) kg.Kind { return kinds[id] }
	sup := &kg.Edge{ID: "s", Type: kg.Supplies, From: "e1", To: "e2", Props: kg.Props{"since": int64(2020), "until": int64(2022)}}
	tech := &kg.Edge{ID: "t", Type: kg.TransfersTechTo, From: "u", To: "e1", Props: kg.Props{}}
	for _, c := range []struct {
		name  string
		e     *kg.Edge
		types []kg.RelType
		kinds []kg.Kind
		asOf  int
		want  bool
	}{
		{"no filter", sup, nil, nil, 0, true},
		{"its type", sup, []kg.RelType{kg.InvestsIn, kg.Supplies}, nil, 0, true},
		{"another type", sup, []kg.RelType{kg.InvestsIn}, nil, 0, false},
		{"both ends of the kinds", sup, nil, []kg.Kind{kg.Enterprise}, 0, true},
		{"one end of the kinds only", tech, nil, []kg.Kind{kg.Enterprise}, 0, false},
		{"both ends among two kinds", tech, nil, []kg.Kind{kg.Enterprise, kg.University}, 0, true},
		{"first year", sup, nil, nil, 2020, true},
		{"last year", sup, nil, nil, 2022, true},
		{"before", sup, nil, nil, 2019, false},
		{"after", sup, nil, nil, 2023, false},
		{"undated in any year", tech, nil, nil, 1999, true},
	} {
		if got := kg.MatchEdge(c.e, c.types, c.kinds, c.asOf, kindOf); got != c.want {
			t.Errorf("%s: MatchEdge = %v, want %v", c.name, got, c.want)
		}
	}
}
