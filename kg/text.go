package kg

import (
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// Text is refused, never repaired: bytes that are not UTF-8, or a JSON
// escape of half a surrogate pair ("\ud800"), would be decoded as U+FFFD
// and the text stored would not be the text sent. The same rule and the
// same words hold for a mutation, an import and a property value.

// TextError is text that is not valid: bytes that are not UTF-8, or in
// JSON an escape that is no character. It wraps ErrInvalid.
type TextError struct {
	// Offset is the byte of the text the fault starts at.
	Offset int
	// Byte is the first byte that is not UTF-8; Escape, if set, the JSON
	// escape that is no character.
	Byte   byte
	Escape string
}

func (e *TextError) Error() string {
	if e.Escape != "" {
		return fmt.Sprintf("is not valid Unicode: %s at offset %d is half of a surrogate pair", e.Escape, e.Offset)
	}
	return fmt.Sprintf("is not valid UTF-8: byte 0x%02X at offset %d", e.Byte, e.Offset)
}

// Unwrap returns ErrInvalid.
func (e *TextError) Unwrap() error { return ErrInvalid }

// CheckUTF8 returns a *TextError naming the first byte of b that is not
// part of a UTF-8 character, or nil.
func CheckUTF8(b []byte) error {
	if utf8.Valid(b) {
		return nil
	}
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return &TextError{Offset: i, Byte: b[i]}
		}
		i += size
	}
	return nil
}

// CheckUTF8String is CheckUTF8 for a string.
func CheckUTF8String(s string) error {
	if utf8.ValidString(s) {
		return nil
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return &TextError{Offset: i, Byte: s[i]}
		}
		i += size
	}
	return nil
}

// CheckJSONText checks JSON text as it arrives, before it is decoded:
// it must be valid UTF-8, and each \u escape of a surrogate must be one
// half of a pair (a lone half decodes to U+FFFD). It returns a *TextError
// or nil. Text that is not JSON is left to the JSON decoder.
func CheckJSONText(b []byte) error {
	if err := CheckUTF8(b); err != nil {
		return err
	}
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		// An escape: \u and four hex digits, or a backslash and one byte.
		r, ok := hexEscape(b, i)
		if !ok {
			i++
			continue
		}
		switch {
		case utf16.IsSurrogate(r) && r < 0xDC00:
			if low, ok := hexEscape(b, i+6); ok && utf16.DecodeRune(r, low) != utf8.RuneError {
				i += 11
				continue
			}
			return &TextError{Offset: i, Escape: string(b[i : i+6])}
		case utf16.IsSurrogate(r):
			return &TextError{Offset: i, Escape: string(b[i : i+6])}
		}
		i += 5
	}
	return nil
}

// hexEscape reads a \uXXXX escape at b[i:].
func hexEscape(b []byte, i int) (rune, bool) {
	if i+6 > len(b) || b[i] != '\\' || b[i+1] != 'u' {
		return 0, false
	}
	var r rune
	for _, c := range b[i+2 : i+6] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
