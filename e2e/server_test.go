// Package e2e holds black-box tests of the innograph binary: they build
// ./cmd/innograph, start "innograph serve" on a free loopback port with a
// temporary data directory, and talk to it over HTTP or through a headless
// Chromium.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Time limits of the server's life cycle.
const (
	// readyTimeout bounds the wait for GET /readyz to answer 200. The first
	// start on an empty data directory seeds the demo dataset.
	readyTimeout = 120 * time.Second
	// stopTimeout bounds the graceful shutdown after SIGTERM.
	stopTimeout = 15 * time.Second
)

// isCI reports whether the tests run in continuous integration, where a
// missing prerequisite is a failure rather than a reason to skip.
func isCI() bool { return os.Getenv("CI") == "true" }

var (
	buildOnce sync.Once
	buildDir  string
	buildBin  string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// moduleRoot returns the directory holding the module's go.mod.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("go env GOMOD: not inside a module")
	}
	return filepath.Dir(gomod), nil
}

// buildBinary builds ./cmd/innograph once per test process and returns the
// path of the binary. A failing build fails the test: it is never a reason to
// skip.
func buildBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			buildErr = err
			return
		}
		buildDir, err = os.MkdirTemp("", "innograph-e2e-")
		if err != nil {
			buildErr = err
			return
		}
		bin := filepath.Join(buildDir, "innograph")
		cmd := exec.Command("go", "build", "-o", bin, "./cmd/innograph")
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build ./cmd/innograph (in %s): %v\n%s", root, err, out)
			return
		}
		buildBin = bin
	})
	if buildErr != nil {
		t.Fatalf("building the binary: %v", buildErr)
	}
	return buildBin
}

// lockedBuffer collects the output of the server process.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// server is one running "innograph serve" process.
type server struct {
	t       testing.TB
	cmd     *exec.Cmd
	addr    string // host:port
	baseURL string // http://host:port
	out     *lockedBuffer
	done    chan struct{} // closed when the process has exited
	waitErr error         // valid after done is closed
}

// freeAddr returns a loopback address whose port was free a moment ago.
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("finding a free port: %v", err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// startServer starts "innograph serve" on a free port with the given data
// directory (and any further flags) and waits until it is ready. The
// process is killed at the end of the test if it still runs.
func startServer(t testing.TB, bin, dataDir string, flags ...string) *server {
	t.Helper()
	// The port is chosen before the server binds it, so another process can
	// take it in between: try again a few times in that case.
	var s *server
	for attempt := 1; ; attempt++ {
		s = launch(t, bin, dataDir, flags...)
		err := s.waitReady(readyTimeout)
		if err == nil {
			return s
		}
		exited := s.exited()
		if exited && attempt < 3 && strings.Contains(s.output(), "address already in use") {
			t.Logf("port %s was taken, trying another one", s.addr)
			continue
		}
		s.kill()
		t.Fatalf("server on %s did not become ready: %v\n%s", s.addr, err, s.describe())
	}
}

// launch starts the process without waiting for it.
func launch(t testing.TB, bin, dataDir string, flags ...string) *server {
	t.Helper()
	addr := freeAddr(t)
	s := &server{
		t:       t,
		addr:    addr,
		baseURL: "http://" + addr,
		out:     &lockedBuffer{},
		done:    make(chan struct{}),
	}
	s.cmd = exec.Command(bin, append([]string{"serve", "--addr", addr, "--data-dir", dataDir}, flags...)...)
	s.cmd.Stdout = s.out
	s.cmd.Stderr = s.out
	// A process group of its own, so that a forced kill also ends whatever
	// the server started.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	t.Logf("started %s (pid %d)", strings.Join(s.cmd.Args, " "), s.cmd.Process.Pid)
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(s.kill)
	return s
}

// exited reports whether the process has ended.
func (s *server) exited() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// output returns everything the process wrote to stdout and stderr.
func (s *server) output() string { return s.out.String() }

// describe formats the process state and the tail of its output for a
// failure message.
func (s *server) describe() string {
	state := "still running"
	if s.exited() {
		state = fmt.Sprintf("exited: %v", s.cmd.ProcessState)
	}
	out := s.output()
	const max = 16 << 10
	if len(out) > max {
		out = "[...]\n" + out[len(out)-max:]
	}
	return fmt.Sprintf("--- server %s (%s), stdout+stderr:\n%s\n--- end of server output", s.addr, state, out)
}

// waitReady polls GET /readyz until it answers 200, the process exits, or
// the timeout passes.
func (s *server) waitReady(timeout time.Duration) error {
	client := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(timeout)
	start := time.Now()
	var last string
	for {
		if s.exited() {
			return fmt.Errorf("the process exited before it was ready (%v)", s.waitErr)
		}
		resp, err := client.Get(s.baseURL + "/readyz")
		if err == nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.t.Logf("server %s ready after %v", s.addr, time.Since(start).Round(time.Millisecond))
				return nil
			}
			last = fmt.Sprintf("GET /readyz: %s %s", resp.Status, bytes.TrimSpace(body))
		} else {
			last = err.Error()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready after %v; last answer: %s", timeout, last)
		}
		select {
		case <-s.done:
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// stop sends SIGTERM and waits up to timeout for the process to exit. It
// fails the test unless the process exits in time with status 0.
func (s *server) stop(timeout time.Duration) {
	s.t.Helper()
	s.stopWith(syscall.SIGTERM, timeout)
}

// stopWith is stop with another signal (SIGINT: Ctrl-C).
func (s *server) stopWith(sig syscall.Signal, timeout time.Duration) {
	s.t.Helper()
	if s.exited() {
		s.t.Fatalf("server exited before it was stopped\n%s", s.describe())
	}
	if err := s.cmd.Process.Signal(sig); err != nil {
		s.t.Fatalf("sending %v: %v", sig, err)
	}
	start := time.Now()
	select {
	case <-s.done:
	case <-time.After(timeout):
		s.forceKill()
		s.t.Fatalf("server did not exit within %v of %v\n%s", timeout, sig, s.describe())
	}
	if code := s.cmd.ProcessState.ExitCode(); code != 0 {
		s.t.Fatalf("server exited with status %d after %v (%v); want 0\n%s", code, sig, s.cmd.ProcessState, s.describe())
	}
	s.t.Logf("server %s stopped gracefully in %v", s.addr, time.Since(start).Round(time.Millisecond))
}

// kill ends the process if it still runs: SIGTERM first, SIGKILL when it
// does not exit within the graceful shutdown time.
func (s *server) kill() {
	if s.exited() {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
		return
	case <-time.After(stopTimeout):
	}
	s.forceKill()
}

// forceKill kills the process and everything it started (its process
// group) and waits for it.
func (s *server) forceKill() {
	if s.exited() {
		return
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	_ = s.cmd.Process.Kill()
	<-s.done
}

// graphQLResponse is a GraphQL response as the tests read it.
type graphQLResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message string `json:"message"`
	} `json:"errors"`
}

// graphql POSTs a query to /graphql and returns the raw response body. It
// fails the test on a transport error, a status other than 200, or a
// response with errors.
func (s *server) graphql(ctx context.Context, query string) []byte {
	s.t.Helper()
	return s.graphqlWithKey(ctx, "", query)
}

// graphqlWithKey is graphql sending an API key (when not empty).
func (s *server) graphqlWithKey(ctx context.Context, key, query string) []byte {
	s.t.Helper()
	reqBody, err := json.Marshal(map[string]any{"query": query})
	if err != nil {
		s.t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.baseURL+"/graphql", bytes.NewReader(reqBody))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("POST /graphql: %v\n%s", err, s.describe())
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatalf("POST /graphql: reading the body: %v\n%s", err, s.describe())
	}
	if resp.StatusCode != http.StatusOK {
		s.t.Fatalf("POST /graphql: %s\n%s\n%s", resp.Status, body, s.describe())
	}
	var r graphQLResponse
	if err := json.Unmarshal(body, &r); err != nil {
		s.t.Fatalf("POST /graphql: invalid JSON %q: %v", body, err)
	}
	if len(r.Errors) > 0 || len(r.Data) == 0 || string(r.Data) == "null" {
		s.t.Fatalf("POST /graphql: query %q answered with errors or no data:\n%s", query, body)
	}
	return body
}
