package server

import (
	"sync/atomic"

	"github.com/vektah/gqlparser/v2/validator/rules"
)

// validations counts the documents validated since the test binary began.
var validations atomic.Int64

func init() {
	validationRules = func() *rules.Rules {
		validations.Add(1)
		return rules.NewDefaultRules()
	}
}

// Validations is how many documents the handlers of this test binary
// have validated so far: a refused document that did not reach
// validation leaves it unchanged.
func Validations() int64 { return validations.Load() }
