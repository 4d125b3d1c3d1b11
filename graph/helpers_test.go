package graph_test

import (
	"encoding/json"
	"os"
	"testing"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

var tempDirs []string

func tempDir() (string, error) {
	d, err := os.MkdirTemp("", "innograph-bench-")
	if err == nil {
		tempDirs = append(tempDirs, d)
	}
	return d, err
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, st := range benchStores {
		st.Close()
	}
	for _, d := range tempDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}
