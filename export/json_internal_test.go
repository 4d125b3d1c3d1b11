package export

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestAppendJSON holds the fast encoder of exports to encoding/json's
// output (without HTML escaping).
func TestAppendJSON(t *testing.T) {
	values := []any{
		"", "plain", "大连星海（中山区）", `quote " and \ backslash`, "tab\tnew\nline\rcr", "\x00\x01\x1f\x7f", "<html> & 'x'",
		"line\u2028sep\u2029para", "bad \xff utf-8", "emoji 😀 𠀀",
		int64(0), int64(-42), int64(math.MaxInt64),
		0.0, 1.0, -1.5, 12000000.0, 149771000.0, 1e20, 1e-6, 0.1 + 0.2,
		true, false, []string{}, []string{"a", "b\"c"},
	}
	for _, v := range values {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		if got := appendJSON(nil, v); string(got) != string(bytes.TrimSuffix(want.Bytes(), []byte("\n"))) {
			t.Errorf("appendJSON(%#v) = %s, want %s", v, got, want.Bytes())
		}
	}
}

// exponent matches a number written with an exponent (1.5e+08, 1e-7).
var exponent = regexp.MustCompile(`\d[eE][+-]?\d`)

// TestAppendJSONFloatPlain checks that numbers are written in plain decimal
// however large or small, where encoding/json would use an exponent, and
// that they read back as the same number.
func TestAppendJSONFloatPlain(t *testing.T) {
	cases := []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{149771000, "149771000"},
		{1.49771e8, "149771000"},
		{-2.5e9, "-2500000000"},
		{1e21, "1000000000000000000000"},
		{1.5e21, "1500000000000000000000"},
		{1e-7, "0.0000001"},
		{3.14159e-9, "0.00000000314159"},
		{math.MaxFloat64, "17976931348623157" + strings.Repeat("0", 292)},
		{math.NaN(), "null"},
		{math.Inf(1), "null"},
	}
	for _, c := range cases {
		got := string(appendJSONFloat(nil, c.in))
		if got != c.want {
			t.Errorf("appendJSONFloat(%g) = %s, want %s", c.in, got, c.want)
		}
		if exponent.MatchString(got) {
			t.Errorf("appendJSONFloat(%g) = %s has an exponent", c.in, got)
		}
		if got == "null" {
			continue
		}
		back, err := strconv.ParseFloat(got, 64)
		if err != nil || back != c.in {
			t.Errorf("appendJSONFloat(%g) = %s reads back as %g (%v)", c.in, got, back, err)
		}
		if text(c.in) != got {
			t.Errorf("text(%g) = %s, want %s as in JSON", c.in, text(c.in), got)
		}
	}
}
