package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/innograph/innograph/crosstest"
	"github.com/innograph/innograph/seed"
	"github.com/innograph/innograph/store/neo4j"
	"github.com/innograph/innograph/store/neo4j/neo4jtest"
)

// cliTimeout bounds one run of a short-lived innograph command (seed,
// migrate).
const cliTimeout = 5 * time.Minute

// processEnv returns the environment of a child process: this process's,
// without the INNOGRAPH_* variables (so that the flags of the test decide),
// with NEO4J_* pointing at the Neo4j of cfg.
func processEnv(cfg neo4j.Config) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "INNOGRAPH_") && !strings.HasPrefix(kv, "NEO4J_") {
			env = append(env, kv)
		}
	}
	return append(env,
		"NEO4J_URI="+cfg.URI, "NEO4J_USER="+cfg.User, "NEO4J_PASSWORD="+cfg.Password, "NEO4J_DATABASE="+cfg.Database)
}

// launchWith starts "innograph serve --addr <free port>" with more flags
// and the environment env, without waiting for it; the process is
// stopped at the end of the test.
func launchWith(t *testing.T, bin string, env []string, args ...string) *server {
	t.Helper()
	addr := freeAddr(t)
	s := &server{t: t, addr: addr, baseURL: "http://" + addr, out: &lockedBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(bin, append([]string{"serve", "--addr", addr}, args...)...)
	s.cmd.Env = env
	s.cmd.Stdout = s.out
	s.cmd.Stderr = s.out
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	t.Logf("started innograph serve --addr %s %s (pid %d)", addr, strings.Join(args, " "), s.cmd.Process.Pid)
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(s.kill)
	return s
}

// startWith is launchWith followed by waiting until /readyz answers 200,
// on another port if the chosen one was taken meanwhile.
func startWith(t *testing.T, bin string, env []string, args ...string) *server {
	t.Helper()
	for attempt := 1; ; attempt++ {
		s := launchWith(t, bin, env, args...)
		err := s.waitReady(readyTimeout)
		if err == nil {
			return s
		}
		if s.exited() && attempt < 3 && strings.Contains(s.output(), "address already in use") {
			t.Logf("port %s was taken, trying another one", s.addr)
			continue
		}
		s.kill()
		t.Fatalf("server on %s did not become ready: %v\n%s", s.addr, err, s.describe())
	}
}

// runCLI runs the binary with args and env and returns its standard
// output; it fails the test unless the command exits with status 0.
func runCLI(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cliTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("innograph %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	t.Logf("innograph %s took %v: %s", strings.Join(args, " "), time.Since(start).Round(time.Millisecond), strings.TrimSpace(stdout.String()))
	return stdout.String()
}

// requestServer returns a crosstest.Server that POSTs to s's /graphql.
func requestServer(s *server) crosstest.Server {
	client := &http.Client{Timeout: 2 * time.Minute}
	return func(query string, vars map[string]any) (crosstest.Answer, error) {
		resp, err := client.Post(s.baseURL+"/graphql", "application/json", bytes.NewReader(crosstest.RequestBody(query, vars)))
		if err != nil {
			return crosstest.Answer{}, fmt.Errorf("POST %s/graphql: %w\n%s", s.baseURL, err, s.describe())
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return crosstest.Answer{}, fmt.Errorf("reading the answer of %s: %w", s.baseURL, err)
		}
		return crosstest.Answer{Status: resp.StatusCode, Body: body}, nil
	}
}

// useNeo4j returns the configuration of the test Neo4j and holds the
// database lock for the rest of t. It skips t loudly when Neo4j is not
// running, and fails it when CI=true.
func useNeo4j(t *testing.T) neo4j.Config {
	t.Helper()
	cfg := neo4jtest.Config()
	neo4jtest.Connect(t, cfg) // takes the lock first
	return cfg
}

// TestNeo4jSeedThenServe is the acceptance test of the Neo4j backend from
// the command line: `innograph seed --store neo4j`, then `innograph serve
// --store neo4j`, answers every query of the crosstest suite as `innograph
// serve` on the embedded default does, byte for byte after key sorting.
func TestNeo4jSeedThenServe(t *testing.T) {
	bin := buildBinary(t)
	cfg := useNeo4j(t)
	ctx, cancel := context.WithTimeout(context.Background(), cliTimeout)
	defer cancel()
	if err := neo4jtest.Wipe(ctx, cfg); err != nil {
		t.Fatalf("emptying the database: %v", err)
	}
	env := processEnv(cfg)
	limits := []string{"--max-complexity", fmt.Sprint(crosstest.MaxComplexity)}

	ds := seed.Demo(seed.Config{Scale: 1, Seed: 1})
	out := runCLI(t, bin, env, "seed", "--store", "neo4j", "--scale", "1", "--seed", "1")
	if want := fmt.Sprintf("seeded %d nodes and %d relationships", len(ds.Nodes), len(ds.Edges)); !strings.Contains(out, want) {
		t.Fatalf("innograph seed printed %q, want %q", out, want)
	}
	neo := startWith(t, bin, env, append([]string{"--store", "neo4j"}, limits...)...)
	emb := startWith(t, bin, env, append([]string{"--data-dir", t.TempDir()}, limits...)...)

	start := time.Now()
	rep := crosstest.Compare(t, requestServer(emb), requestServer(neo), crosstest.Suite(ds))
	t.Logf("compared %d queries (%d requests per server) in %v", rep.Queries, rep.Requests, time.Since(start).Round(time.Millisecond))
	if strings.Contains(neo.output(), "generated demo ecosystem") {
		t.Errorf("serve --store neo4j seeded a store that `innograph seed` had filled\n%s", neo.describe())
	}
	neo.stop(stopTimeout)
	emb.stop(stopTimeout)
}
