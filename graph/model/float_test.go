package model

import (
	"bytes"
	"context"
	"math"
	"strconv"
	"testing"
)

// TestMarshalFloatContext checks that Floats are written in plain decimal
// (no exponent), read back as the same number, and that NaN and
// infinities are errors.
func TestMarshalFloatContext(t *testing.T) {
	cases := []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{741000, "741000"},
		{149771000, "149771000"},
		{1.49771e8, "149771000"},
		{-2.5e9, "-2500000000"},
		{12345678.9, "12345678.9"},
		{1e21, "1000000000000000000000"},
		{0.15, "0.15"},
		{1e-7, "0.0000001"},
		{0.30000000000000004, "0.30000000000000004"},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		if err := MarshalFloatContext(c.in).MarshalGQLContext(context.Background(), &buf); err != nil {
			t.Errorf("MarshalFloatContext(%g): %v", c.in, err)
			continue
		}
		if got := buf.String(); got != c.want {
			t.Errorf("MarshalFloatContext(%g) = %s, want %s", c.in, got, c.want)
		}
		back, err := strconv.ParseFloat(buf.String(), 64)
		if err != nil || back != c.in {
			t.Errorf("MarshalFloatContext(%g) = %s reads back as %g (%v)", c.in, buf.String(), back, err)
		}
	}
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		var buf bytes.Buffer
		if err := MarshalFloatContext(bad).MarshalGQLContext(context.Background(), &buf); err == nil {
			t.Errorf("MarshalFloatContext(%g) wrote %q, want an error", bad, buf.String())
		}
	}
}
