package ingest

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
)

// TestAppendJSON holds the fast encoder of exports to encoding/json's
// output (without HTML escaping).
func TestAppendJSON(t *testing.T) {
	values := []any{
		"", "plain", "大连星海（中山区）", `quote " and \ backslash`, "tab\tnew\nline\rcr", "\x00\x01\x1f\x7f", "<html> & 'x'",
		"line\u2028sep\u2029para", "bad \xff utf-8", "emoji 😀 𠀀",
		int64(0), int64(-42), int64(math.MaxInt64),
		0.0, 1.0, -1.5, 12000000.0, 1e20, 1e21, 1.5e21, 1e-6, 1e-7, 3.14159e-9, 0.1 + 0.2, math.MaxFloat64, math.SmallestNonzeroFloat64,
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
