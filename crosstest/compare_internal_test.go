package crosstest

import (
	"fmt"
	"testing"
	"time"
)

func TestErrorCodes(t *testing.T) {
	tests := []struct {
		body      string
		codes     string
		transient bool
	}{
		{`{"data": {"a": 1}}`, "[]", false},
		{`{"errors": [{"message": "x", "extensions": {"code": "STORE_UNAVAILABLE"}}]}`, "[STORE_UNAVAILABLE]", true},
		{`{"errors": [{"extensions": {"code": "TIMEOUT"}}, {"extensions": {"code": "STORE_UNAVAILABLE"}}]}`, "[TIMEOUT STORE_UNAVAILABLE]", true},
		{`{"errors": [{"extensions": {"code": "STORE_UNAVAILABLE"}}, {"extensions": {"code": "NOT_FOUND"}}]}`, "[STORE_UNAVAILABLE NOT_FOUND]", false},
		{`{"errors": [{"message": "no code"}]}`, "[]", false},
	}
	for _, tt := range tests {
		v, err := decode([]byte(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		codes, transient := errorCodes(answer{value: v})
		if fmt.Sprint(codes) != tt.codes || transient != tt.transient {
			t.Errorf("errorCodes(%s) = %v, %v; want %s, %v", tt.body, codes, transient, tt.codes, tt.transient)
		}
	}
}

func TestAskAgain(t *testing.T) {
	old := askPause
	askPause = time.Millisecond
	defer func() { askPause = old }()
	unavailable := Answer{Status: 200, Body: []byte(`{"errors": [{"extensions": {"code": "STORE_UNAVAILABLE"}}]}`)}
	ok := Answer{Status: 200, Body: []byte(`{"data": {"id": "x"}}`)}
	for _, tt := range []struct {
		name      string
		failures  int // answers before a good one
		wantCalls int
		wantOK    bool
	}{
		{"at once", 0, 1, true},
		{"after one failure", 1, 2, true},
		{"after two failures", 2, 3, true},
		{"gives up", 5, askAttempts, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			s := func(string, map[string]any) (Answer, error) {
				calls++
				if calls <= tt.failures {
					return unavailable, nil
				}
				return ok, nil
			}
			a := askAgain(t, "test", s, "{}", nil)
			_, failed := errorCodes(a)
			if calls != tt.wantCalls || failed == tt.wantOK {
				t.Errorf("%d calls, failed %v; want %d calls, ok %v", calls, failed, tt.wantCalls, tt.wantOK)
			}
		})
	}
}
