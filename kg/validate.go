package kg

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxIDLength bounds the length of node and edge ids.
const MaxIDLength = 200

// checkID validates an id.
func checkID(id string) error {
	switch {
	case id == "":
		return fmt.Errorf("is required")
	case len(id) > MaxIDLength:
		return fmt.Errorf("is longer than %d bytes", MaxIDLength)
	case CheckUTF8String(id) != nil:
		return CheckUTF8String(id)
	case strings.TrimSpace(id) != id || strings.ContainsAny(id, "\x00\n\r\t"):
		return fmt.Errorf("must not contain control characters or surrounding spaces")
	}
	return nil
}

// NormalizeNode validates n against the ontology and converts its property
// values to their normalised Go types in place. Properties with a nil
// value are kept (they mean "remove" in an upsert) unless required.
// It returns every problem found, each naming its field.
func NormalizeNode(n *Node) []FieldError {
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{ID: n.ID, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if err := checkID(n.ID); err != nil {
		add("id", "%v", err)
	}
	if !ValidKind(n.Kind) {
		add("kind", "unknown kind %q (want one of %s)", n.Kind, kindList())
		return errs
	}
	for k, v := range n.Props {
		spec, ok := NodePropSpec(n.Kind, k)
		if !ok {
			add(k, "unknown property of %s", n.Kind)
			continue
		}
		if v == nil {
			continue
		}
		nv, err := NormalizeValue(spec, v)
		if err != nil {
			errs = append(errs, FieldError{ID: n.ID, Field: k, Year: yearOf(err), Message: err.Error()})
			continue
		}
		if !sameScalar(v, nv) {
			n.Props[k] = nv
		}
	}
	for _, specs := range [][]PropSpec{CommonNodeProps, KindSpecs[n.Kind].Props} {
		for i := range specs {
			spec := &specs[i]
			if !spec.Required {
				continue
			}
			v := n.Props[spec.Name]
			if s, isStr := v.(string); v == nil || (isStr && strings.TrimSpace(s) == "") {
				add(spec.Name, "is required")
			}
		}
	}
	return errs
}

// NormalizeEdge validates e's type, endpoints and properties and converts
// its property values in place; an empty id is set to EdgeID. Which kinds
// stand at its ends is checked by CheckEndpoints, once they are known.
func NormalizeEdge(e *Edge) []FieldError {
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{ID: e.ID, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if !ValidRelType(e.Type) {
		add("type", "unknown relationship type %q (want one of %s)", e.Type, relList())
		return errs
	}
	if err := checkID(e.From); err != nil {
		add("from", "%v", err)
	}
	if err := checkID(e.To); err != nil {
		add("to", "%v", err)
	}
	if e.ID == "" {
		e.ID = EdgeID(e.Type, e.From, e.To)
	} else if err := checkID(e.ID); err != nil {
		add("id", "%v", err)
	}
	for k, v := range e.Props {
		spec, ok := EdgePropSpec(e.Type, k)
		if !ok {
			add(k, "unknown property of %s", e.Type)
			continue
		}
		if v == nil {
			continue
		}
		nv, err := NormalizeValue(spec, v)
		if err != nil {
			errs = append(errs, FieldError{ID: e.ID, Field: k, Year: yearOf(err), Message: err.Error()})
			continue
		}
		if !sameScalar(v, nv) {
			e.Props[k] = nv
		}
	}
	if e.From != "" && e.From == e.To && !RelSpecs[e.Type].Loops {
		add("to", "%s from %q to itself: a %s relationship joins two different nodes", e.Type, e.From, e.Type)
	}
	s, okS := e.Props.Int("since")
	u, okU := e.Props.Int("until")
	if okS && okU && s > u {
		add("until", "%d is before since %d", u, s)
	}
	return errs
}

// sameScalar reports whether nv, the normalised form of v, is v itself:
// the same string, int64, float64 or bool (NormalizeValue returns such a
// value as it is). Normalising in place then leaves the map alone. Lists
// and series are never the same: they are always copies.
func sameScalar(v, nv any) bool {
	switch x := v.(type) {
	case string:
		y, ok := nv.(string)
		return ok && x == y
	case int64:
		y, ok := nv.(int64)
		return ok && x == y
	case float64:
		y, ok := nv.(float64)
		return ok && x == y
	case bool:
		y, ok := nv.(bool)
		return ok && x == y
	}
	return false
}

// CheckEndpoints checks that the ontology allows a relationship of e's type
// from a node of kind from to a node of kind to.
func CheckEndpoints(e *Edge, from, to Kind) []FieldError {
	spec := RelSpecs[e.Type]
	if spec == nil || spec.Allows(from, to) {
		return nil
	}
	var errs []FieldError
	if !containsKind(spec.From, from) {
		errs = append(errs, FieldError{ID: e.ID, Field: "from", Message: fmt.Sprintf("%s %q is a %s; %s must start at %s", e.Type, e.From, from, e.Type, joinKinds(spec.From))})
	}
	if !containsKind(spec.To, to) {
		errs = append(errs, FieldError{ID: e.ID, Field: "to", Message: fmt.Sprintf("%s %q is a %s; %s must end at %s", e.Type, e.To, to, e.Type, joinKinds(spec.To))})
	}
	return errs
}

// NormalizeValue converts v to the Go type of spec and checks it.
// It accepts the types JSON decoding and CSV import produce.
//
// A value that already has its normalised type (a string, an int64, a
// finite float64, a bool) is returned as it is, without boxing it again:
// stores normalise batches that importers have normalised before. Lists
// and series are always copies, so that a store never shares them with
// its caller.
func NormalizeValue(spec *PropSpec, v any) (any, error) {
	var out any
	var err error
	switch spec.Type {
	case String:
		if s, ok := v.(string); ok {
			out, err = v, CheckUTF8String(s)
			break
		}
		out, err = toString(v)
	case Int:
		if _, ok := v.(int64); ok {
			out = v
			break
		}
		out, err = toInt(v)
	case Float:
		if f, ok := v.(float64); ok && !math.IsNaN(f) && !math.IsInf(f, 0) {
			out = v
			break
		}
		out, err = toFloat(v)
	case Bool:
		if _, ok := v.(bool); ok {
			out = v
			break
		}
		out, err = toBool(v)
	case Strings:
		out, err = toStrings(v)
	case EnumType:
		var s string
		s, err = toString(v)
		if err == nil && !spec.Enum.Has(s) {
			err = fmt.Errorf("%q is not a %s (want one of %s)", s, spec.Enum.Name, strings.Join(spec.Enum.Values, ", "))
		}
		if _, ok := v.(string); ok {
			out = v
		} else {
			out = s
		}
	case Enums:
		var ss []string
		ss, err = toStrings(v)
		for _, s := range ss {
			if err == nil && !spec.Enum.Has(s) {
				err = fmt.Errorf("%q is not a %s (want one of %s)", s, spec.Enum.Name, strings.Join(spec.Enum.Values, ", "))
			}
		}
		out = ss
	case SeriesType:
		out, err = toSeries(v)
	}
	if err != nil {
		return nil, err
	}
	if spec.Max > spec.Min {
		if f, ok := asFloat(out); ok && (f < spec.Min || f > spec.Max) {
			return nil, fmt.Errorf("%s is outside %s..%s", plainNumber(out), plainNumber(spec.Min), plainNumber(spec.Max))
		}
		if s, ok := out.(Series); ok {
			if err := s.checkBounds(spec.Min, spec.Max); err != nil {
				return nil, err
			}
		}
	}
	if spec.Check != nil {
		if err := spec.Check(out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func toString(v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("want a string, got %T", v)
	}
	if err := CheckUTF8String(s); err != nil {
		return "", err
	}
	return s, nil
}

func toInt(v any) (int64, error) {
	switch x := v.(type) {
	case int:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case int64:
		return x, nil
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			return 0, fmt.Errorf("want an integer, got %s", plainNumber(x))
		}
		return int64(x), nil
	case json.Number:
		return x.Int64()
	case string:
		i, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("want an integer, got %q", x)
		}
		return i, nil
	}
	return 0, fmt.Errorf("want an integer, got %T", v)
}

func toFloat(v any) (float64, error) {
	var f float64
	switch x := v.(type) {
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	case float64:
		f = x
	case float32:
		f = float64(x)
	case json.Number:
		var err error
		if f, err = x.Float64(); err != nil {
			return 0, fmt.Errorf("want a number, got %q", x.String())
		}
	case string:
		var err error
		if f, err = strconv.ParseFloat(strings.TrimSpace(x), 64); err != nil {
			return 0, fmt.Errorf("want a number, got %q", x)
		}
	default:
		return 0, fmt.Errorf("want a number, got %T", v)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("want a finite number, got %v", f)
	}
	return f, nil
}

func toBool(v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "1", "yes", "是":
			return true, nil
		case "false", "0", "no", "否":
			return false, nil
		}
		return false, fmt.Errorf("want true or false, got %q", x)
	}
	return false, fmt.Errorf("want a boolean, got %T", v)
}

func toStrings(v any) ([]string, error) {
	switch x := v.(type) {
	case []string:
		return append(make([]string, 0, len(x)), x...), nil
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			s, err := toString(e)
			if err != nil {
				return nil, fmt.Errorf("item %d: %w", i, err)
			}
			out[i] = s
		}
		return out, nil
	}
	return nil, fmt.Errorf("want a list of strings, got %T", v)
}

// yearError is a problem with one year of a yearly figure.
type yearError struct {
	year int
	msg  string
}

func (e *yearError) Error() string { return e.msg }

// yearOf returns the year a problem names, 0 for none.
func yearOf(err error) int {
	var ye *yearError
	if errors.As(err, &ye) {
		return ye.year
	}
	return 0
}

// checkBounds checks that each year's value of s lies in min..max; a NaN
// (which removes its year in an upsert) is not a value. The problem names
// the earliest year at fault.
func (s Series) checkBounds(min, max float64) error {
	bad := 0
	for y, f := range s {
		if !math.IsNaN(f) && (f < min || f > max) && (bad == 0 || y < bad) {
			bad = y
		}
	}
	if bad == 0 {
		return nil
	}
	f := s[bad]
	if f < 0 && min == 0 {
		return &yearError{bad, fmt.Sprintf("year %d: %v is negative", bad, f)}
	}
	return &yearError{bad, fmt.Sprintf("year %d: %v is outside %v..%v", bad, f, min, max)}
}

// toSeries converts v to a Series. A NaN value is kept: in an upsert it
// removes that year (see Merge).
func toSeries(v any) (Series, error) {
	out := Series{}
	// putYear puts year y (k, as given, for messages) with value val.
	putYear := func(y int, k string, val any) error {
		if y < MinYear || y > MaxYear {
			if k == "" {
				k = strconv.Itoa(y)
			}
			return &yearError{y, fmt.Sprintf("year %q is not a year between %d and %d", k, MinYear, MaxYear)}
		}
		if f, ok := val.(float64); ok && math.IsNaN(f) {
			out[y] = f
			return nil
		}
		f, err := toFloat(val)
		if err != nil {
			return &yearError{y, fmt.Sprintf("year %d: %v", y, err)}
		}
		out[y] = f
		return nil
	}
	put := func(k string, val any) error {
		y, err := strconv.Atoi(k)
		if err != nil {
			return &yearError{y, fmt.Sprintf("year %q is not a year between %d and %d", k, MinYear, MaxYear)}
		}
		return putYear(y, k, val)
	}
	// putFloat is putYear for a year and a float64 (a normalised series),
	// without boxing the value.
	putFloat := func(y int, f float64) error {
		if y >= MinYear && y <= MaxYear && !math.IsInf(f, 0) {
			out[y] = f
			return nil
		}
		return putYear(y, "", f)
	}
	switch x := v.(type) {
	case Series:
		out = make(Series, len(x))
		for y, f := range x {
			if err := putFloat(y, f); err != nil {
				return nil, err
			}
		}
	case map[int]float64:
		out = make(Series, len(x))
		for y, f := range x {
			if err := putFloat(y, f); err != nil {
				return nil, err
			}
		}
	case map[string]any:
		for k, f := range x {
			if err := put(k, f); err != nil {
				return nil, err
			}
		}
	case []any:
		for i, item := range x {
			m, ok := item.(map[string]any)
			y, okY := m["year"]
			val, okV := m["value"]
			if !ok || !okY || !okV || len(m) != 2 {
				return nil, fmt.Errorf("item %d: want {year, value}", i)
			}
			year, err := toInt(y)
			if err != nil {
				return nil, fmt.Errorf("item %d: year: %w", i, err)
			}
			if err := put(strconv.FormatInt(year, 10), val); err != nil {
				return nil, err
			}
		}
	default:
		return nil, fmt.Errorf("want a map from year to number or a list of {year, value}, got %T", v)
	}
	return out, nil
}

func kindList() string { return joinKinds(Kinds) }

func joinKinds(ks []Kind) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

func relList() string {
	s := make([]string, len(RelTypes))
	for i, t := range RelTypes {
		s[i] = string(t)
	}
	return strings.Join(s, ", ")
}

// CreditCodeChars is the alphabet of the unified social credit code
// (GB 32100-2015): digits and upper-case letters without I, O, S, V, Z.
const CreditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCodeCheckChar computes the check character of the first 17
// characters of a unified social credit code.
func CreditCodeCheckChar(first17 string) (byte, error) {
	if len(first17) != 17 {
		return 0, fmt.Errorf("want 17 characters, got %d", len(first17))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(CreditCodeChars, first17[i])
		if v < 0 {
			return 0, fmt.Errorf("character %d (%q) is not allowed in a credit code", i+1, first17[i])
		}
		sum += v * creditCodeWeights[i]
	}
	c := (31 - sum%31) % 31
	return CreditCodeChars[c], nil
}

// ValidateCreditCode checks a unified social credit code: 18 characters
// of the GB 32100-2015 alphabet with a correct check character.
func ValidateCreditCode(code string) error {
	if len(code) != 18 {
		return fmt.Errorf("credit code %q must have 18 characters, has %d", code, utf8.RuneCountInString(code))
	}
	want, err := CreditCodeCheckChar(code[:17])
	if err != nil {
		return fmt.Errorf("credit code %q: %w", code, err)
	}
	if code[17] != want {
		return fmt.Errorf("credit code %q has check character %q, want %q", code, code[17], want)
	}
	return nil
}

func checkCreditCode(v any) error { return ValidateCreditCode(v.(string)) }

// plainNumber writes a number in plain decimal, never with an exponent
// (1000000000, not 1e+09), as responses and exports do.
func plainNumber(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return fmt.Sprint(v)
}

// checkFlags checks a yearly status: every year's value is 0 or 1.
func checkFlags(v any) error {
	s := v.(Series)
	for _, y := range s.Years() {
		if s[y] != 0 && s[y] != 1 {
			return fmt.Errorf("year %d is %s: a yearly status is 1 (yes) or 0 (no)", y, plainNumber(s[y]))
		}
	}
	return nil
}
