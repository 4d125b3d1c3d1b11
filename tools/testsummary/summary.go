package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// event is one record of `go test -json` (see `go doc cmd/test2json`), and
// of the build events the go command writes into the same stream.
type event struct {
	Action     string
	Package    string
	Test       string
	Elapsed    float64
	Output     string
	ImportPath string
}

// testKey names one test of one package.
type testKey struct{ pkg, test string }

// summary collects the outcome of a `go test -json` run.
type summary struct {
	passed, failed, skipped int
	failedPkgs              []string
	// output holds each running test's output until it ends: shown for a
	// failure, mined for the reason of a skip.
	output map[testKey][]string
	// pkgOutput is output outside any test (package-level failures).
	pkgOutput map[string][]string
	// skips maps a skip reason to the tests that gave it, in order.
	skips map[string][]string
	// reasons lists the skip reasons in the order first seen.
	reasons []string
}

func newSummary() *summary {
	return &summary{output: map[testKey][]string{}, pkgOutput: map[string][]string{}, skips: map[string][]string{}}
}

// read consumes a `go test -json` stream, writing package results and the
// output of failed tests to w as they come. Lines that are not JSON (a go
// command's own messages) are copied to w.
func (s *summary) read(r io.Reader, w io.Writer) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Bytes()
		var ev event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &ev) != nil {
			fmt.Fprintf(w, "%s\n", line)
			continue
		}
		s.add(ev, w)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading the test stream: %w", err)
	}
	return nil
}

func (s *summary) add(ev event, w io.Writer) {
	switch ev.Action {
	case "build-output":
		io.WriteString(w, ev.Output)
		return
	case "build-fail":
		return
	}
	if ev.Test == "" {
		s.addPackage(ev, w)
		return
	}
	k := testKey{ev.Package, ev.Test}
	switch ev.Action {
	case "output":
		s.output[k] = append(s.output[k], ev.Output)
	case "pass":
		s.passed++
		delete(s.output, k)
	case "fail":
		s.failed++
		for _, o := range s.output[k] {
			io.WriteString(w, o)
		}
		delete(s.output, k)
	case "skip":
		s.skipped++
		reason := skipReason(s.output[k])
		if _, ok := s.skips[reason]; !ok {
			s.reasons = append(s.reasons, reason)
		}
		s.skips[reason] = append(s.skips[reason], shortPkg(ev.Package)+"."+ev.Test)
		delete(s.output, k)
	}
}

// addPackage handles the events of a package as a whole: its result line,
// and on failure the output that belongs to no test (a panic, a build error,
// a TestMain that gave up).
func (s *summary) addPackage(ev event, w io.Writer) {
	switch ev.Action {
	case "output":
		s.pkgOutput[ev.Package] = append(s.pkgOutput[ev.Package], ev.Output)
	case "pass":
		fmt.Fprintf(w, "ok   %s %.1fs\n", ev.Package, ev.Elapsed)
		delete(s.pkgOutput, ev.Package)
	case "skip":
		fmt.Fprintf(w, "--   %s (no test files)\n", ev.Package)
		delete(s.pkgOutput, ev.Package)
	case "fail":
		for _, o := range s.pkgOutput[ev.Package] {
			if !strings.HasPrefix(o, "FAIL") && !strings.HasPrefix(o, "--- FAIL") {
				io.WriteString(w, o)
			}
		}
		fmt.Fprintf(w, "FAIL %s %.1fs\n", ev.Package, ev.Elapsed)
		s.failedPkgs = append(s.failedPkgs, ev.Package)
		delete(s.pkgOutput, ev.Package)
	}
}

// location is the "file.go:12: " prefix testing puts before a log line.
var location = regexp.MustCompile(`^\s*[\w.\-]+\.go:\d+: `)

// skipReason is what a skipped test said, without the framing lines that
// testing adds and without the file and line prefix.
func skipReason(out []string) string {
	var lines []string
	for _, o := range out {
		for _, l := range strings.Split(strings.TrimRight(o, "\n"), "\n") {
			t := strings.TrimSpace(l)
			if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- SKIP") {
				continue
			}
			lines = append(lines, location.ReplaceAllString(l, ""))
		}
	}
	if len(lines) == 0 {
		return "(no reason given)"
	}
	return strings.TrimSpace(strings.Join(lines, " "))
}

func shortPkg(p string) string {
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[i+1:]
	}
	return p
}

// write prints the closing summary: the counts, then every skip reason
// once with the number of tests that gave it and a few of their names.
func (s *summary) write(w io.Writer) {
	fmt.Fprintf(w, "\n%d tests ran: %d passed, %d failed, %d skipped\n", s.passed+s.failed+s.skipped, s.passed, s.failed, s.skipped)
	if len(s.reasons) > 0 {
		fmt.Fprintf(w, "\nskipped, by reason:\n")
		reasons := append([]string(nil), s.reasons...)
		sort.SliceStable(reasons, func(i, j int) bool { return len(s.skips[reasons[i]]) > len(s.skips[reasons[j]]) })
		for _, r := range reasons {
			tests := s.skips[r]
			names := strings.Join(tests[:min(len(tests), 3)], ", ")
			if len(tests) > 3 {
				names += fmt.Sprintf(", … (%d more)", len(tests)-3)
			}
			fmt.Fprintf(w, "  %3d × %s\n        %s\n", len(tests), r, names)
		}
	}
	if len(s.failedPkgs) > 0 {
		fmt.Fprintf(w, "\nfailed packages: %s\n", strings.Join(s.failedPkgs, " "))
	}
	// The plain closing line: counts alone, for whoever reads the end of the log.
	fmt.Fprintf(w, "tests: %d passed, %d failed, %d skipped\n", s.passed, s.failed, s.skipped)
}
