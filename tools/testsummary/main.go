// Command testsummary runs `go test -json` with the arguments it is given,
// prints each package's result and the output of every failed test as they
// come, and ends with a summary: how many tests ran, passed, failed and
// were skipped, and each skip reason once with the tests that gave it.
//
//	go run ./tools/testsummary -race -count=1 ./...
//
// It exits with go test's status, or 1 if a test failed.
package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
)

func main() {
	os.Exit(run(os.Args[1:], "", os.Stdout, os.Stderr))
}

// run runs go test in dir ("" for the current directory) and returns the
// exit code.
func run(args []string, dir string, stdout, stderr io.Writer) int {
	cmd := exec.Command("go", append([]string{"test", "-json"}, args...)...)
	cmd.Dir = dir
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintf(stderr, "testsummary: %v\n", err)
		return 2
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "testsummary: starting go test: %v\n", err)
		return 2
	}
	s := newSummary()
	readErr := s.read(out, stdout)
	waitErr := cmd.Wait()
	s.write(stdout)
	switch {
	case readErr != nil:
		fmt.Fprintf(stderr, "testsummary: %v\n", readErr)
		return 2
	case waitErr != nil:
		if ee, ok := waitErr.(*exec.ExitError); ok && ee.ExitCode() > 0 {
			return ee.ExitCode()
		}
		fmt.Fprintf(stderr, "testsummary: go test: %v\n", waitErr)
		return 2
	case s.failed > 0:
		return 1
	}
	return 0
}
