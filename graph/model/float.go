package model

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
)

// MarshalFloatContext writes a GraphQL Float as a plain decimal number,
// never with an exponent: amounts in yuan such as 149771000 read as they
// are, not as 1.49771e+08. It is the shortest decimal that reads back as
// f. NaN and infinities have no JSON form: they are an error, so that the
// field becomes null with an error rather than invalid JSON.
func MarshalFloatContext(f float64) graphql.ContextMarshaler {
	return graphql.ContextWriterFunc(func(_ context.Context, w io.Writer) error {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("cannot write %v as a GraphQL Float", f)
		}
		var buf [32]byte
		_, err := w.Write(appendFloat(buf[:0], f))
		return err
	})
}

// UnmarshalFloatContext reads a GraphQL Float input as gqlgen does.
func UnmarshalFloatContext(ctx context.Context, v any) (float64, error) {
	return graphql.UnmarshalFloatContext(ctx, v)
}

// appendFloat appends f in plain decimal notation without an exponent
// (the shortest form that reads back as f). Negative zero is written 0.
func appendFloat(dst []byte, f float64) []byte {
	if f == 0 {
		return append(dst, '0')
	}
	return strconv.AppendFloat(dst, f, 'f', -1, 64)
}
