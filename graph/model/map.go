package model

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"

	"github.com/innograph/innograph/kg"
)

// MarshalMap writes a Map as a JSON object, as gqlgen does.
func MarshalMap(m map[string]any) graphql.Marshaler { return graphql.MarshalMap(m) }

// UnmarshalMap reads a Map input (the properties of a node or
// relationship): a JSON object. Anything else, such as the string
// "name=x", is the caller's mistake: the error wraps kg.ErrInvalid, so
// that the answer's code is BAD_USER_INPUT.
func UnmarshalMap(v any) (map[string]any, error) {
	if m, ok := v.(map[string]any); ok {
		return m, nil
	}
	return nil, fmt.Errorf("%w: properties must be an object of property names and values, such as {name: \"…\"}; got %s", kg.ErrInvalid, describeInput(v))
}

// describeInput names the kind of an input value for messages, quoting a
// short string.
func describeInput(v any) string {
	switch x := v.(type) {
	case string:
		if utf8.RuneCountInString(x) > 40 {
			return "a string"
		}
		return fmt.Sprintf("the string %q", x)
	case bool:
		return "a boolean"
	case int, int32, int64, float32, float64, json.Number:
		return "a number"
	case []any:
		return "a list"
	}
	return fmt.Sprintf("a %T", v)
}
