package kg_test

import (
	"errors"
	"testing"

	"github.com/innograph/innograph/kg"
)

// TestCheckJSONText checks which JSON text is refused before decoding,
// and that the error names the place.
func TestCheckJSONText(t *testing.T) {
	cases := []struct {
		name, text string
		want       string // "" for valid
	}{
		{"ascii", `{"name":"a"}`, ""},
		{"chinese and astral", `{"name":"大连𠀀😀"}`, ""},
		{"U+FFFD sent as such", "{\"name\":\"\uFFFD\"}", ""},
		{"escapes of characters", `{"name":"\u5927\u8fde \ud83d\ude00 \n \\ \" \/"}`, ""},
		{"an escaped backslash before u", `{"name":"\\ud800"}`, ""},
		{"a byte that is no UTF-8", "{\"name\":\"a\xffb\"}", "is not valid UTF-8: byte 0xFF at offset 10"},
		{"a cut character", "{\"name\":\"\xe5\xa4\"}", "is not valid UTF-8: byte 0xE5 at offset 9"},
		{"an overlong encoding", "{\"name\":\"\xc0\xaf\"}", "is not valid UTF-8: byte 0xC0 at offset 9"},
		{"an encoded surrogate", "{\"name\":\"\xed\xa0\x80\"}", "is not valid UTF-8: byte 0xED at offset 9"},
		{"a lone high surrogate", `{"name":"a\ud800b"}`, `is not valid Unicode: \ud800 at offset 10 is half of a surrogate pair`},
		{"a lone low surrogate", `{"name":"\uDC00"}`, `is not valid Unicode: \uDC00 at offset 9 is half of a surrogate pair`},
		{"a high surrogate at the end", `"\ud83d`, `is not valid Unicode: \ud83d at offset 1 is half of a surrogate pair`},
		{"two high surrogates", `"\ud83d\ud83d"`, `is not valid Unicode: \ud83d at offset 1 is half of a surrogate pair`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := kg.CheckJSONText([]byte(c.text))
			if c.want == "" {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			var te *kg.TextError
			if err == nil || err.Error() != c.want || !errors.As(err, &te) || !errors.Is(err, kg.ErrInvalid) {
				t.Errorf("error %v, want %q wrapping ErrInvalid", err, c.want)
			}
		})
	}
	if err := kg.CheckUTF8String("ab\x80"); err == nil || err.Error() != "is not valid UTF-8: byte 0x80 at offset 2" {
		t.Errorf("CheckUTF8String: %v", err)
	}
}
