package kg

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors of the store contract; compare with errors.Is.
var (
	// ErrNotFound: an id names no node or edge.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the input breaks the ontology or the contract.
	ErrInvalid = errors.New("invalid input")
	// ErrConflict: the input contradicts what is stored (e.g. an id of another kind).
	ErrConflict = errors.New("conflict")
	// ErrUnavailable: the backend cannot be reached.
	ErrUnavailable = errors.New("store unavailable")
)

// FieldError is one problem with one item of a batch.
type FieldError struct {
	// Item is the index of the item in its list (nodes, edges or deletes).
	Item int
	// List names the list: "nodes", "edges", "deleteNodes", "deleteEdges"
	// or "" for a single item.
	List string
	// ID is the item's id, when it has one.
	ID string
	// Field is the property or attribute at fault.
	Field string
	// Year is the year of a yearly figure at fault, 0 for none.
	Year    int
	Message string
}

func (f FieldError) Error() string {
	var b strings.Builder
	if f.List != "" {
		fmt.Fprintf(&b, "%s[%d]", f.List, f.Item)
	}
	if f.ID != "" {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "(id %q)", f.ID)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if f.Field != "" {
		fmt.Fprintf(&b, "field %q: ", f.Field)
	}
	b.WriteString(f.Message)
	return b.String()
}

// ValidationError lists every problem found in a batch. It wraps ErrInvalid
// (or ErrNotFound / ErrConflict when every problem is of that kind).
type ValidationError struct {
	Errors []FieldError
	cause  error
}

// NewValidationError returns a ValidationError over errs wrapping cause.
func NewValidationError(cause error, errs ...FieldError) *ValidationError {
	return &ValidationError{Errors: errs, cause: cause}
}

func (v *ValidationError) Error() string {
	msgs := make([]string, 0, len(v.Errors))
	for i, e := range v.Errors {
		if i == 20 {
			msgs = append(msgs, fmt.Sprintf("… and %d more", len(v.Errors)-20))
			break
		}
		msgs = append(msgs, e.Error())
	}
	return v.cause.Error() + ": " + strings.Join(msgs, "; ")
}

// Unwrap returns the sentinel the error belongs to.
func (v *ValidationError) Unwrap() error { return v.cause }
