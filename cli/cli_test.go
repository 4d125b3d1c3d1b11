package cli

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
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/seed"
	"github.com/innograph/innograph/store/embedded"
	"github.com/innograph/innograph/store/neo4j/neo4jtest"
)

// commandTimeout bounds one command of these tests: a serve that should
// have refused its flags would otherwise run until it is stopped.
const commandTimeout = 60 * time.Second

// runEnv runs the command line with the environment variables env set for
// its duration (the test must not be parallel) and returns its exit code
// and output.
func runEnv(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	var out, errOut bytes.Buffer
	code := Main(ctx, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// fingerprint renders every node and edge of st, timestamps included, in
// id order.
func fingerprint(t *testing.T, st kg.Store) string {
	t.Helper()
	ctx := t.Context()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	for after := ""; ; {
		p, err := st.ScanNodes(ctx, kg.NodeScan{First: kg.MaxPageSize, After: after})
		if err != nil {
			t.Fatalf("ScanNodes: %v", err)
		}
		for _, n := range p.Nodes {
			enc.Encode([]any{n.ID, n.Kind, n.Props, n.CreatedAt.UnixNano(), n.UpdatedAt.UnixNano()})
		}
		if !p.HasNextPage {
			break
		}
		after = p.EndCursor
	}
	for after := ""; ; {
		p, err := st.ScanEdges(ctx, kg.EdgeScan{First: kg.MaxPageSize, After: after})
		if err != nil {
			t.Fatalf("ScanEdges: %v", err)
		}
		for _, e := range p.Edges {
			enc.Encode([]any{e.ID, e.Type, e.From, e.To, e.Props})
		}
		if !p.HasNextPage {
			break
		}
		after = p.EndCursor
	}
	return b.String()
}

// embeddedFingerprint opens the embedded store in dir, takes its
// fingerprint and closes it.
func embeddedFingerprint(t *testing.T, dir string) string {
	t.Helper()
	st, err := embedded.Open(t.Context(), dir)
	if err != nil {
		t.Fatalf("opening the embedded store: %v", err)
	}
	defer st.Close()
	return fingerprint(t, st)
}

// invalidCase is a command line that must fail with a message naming
// what is wrong, and change nothing.
type invalidCase struct {
	name string
	env  map[string]string
	args []string
	want string // in the error
	// absent, if set, is a file the command must not create.
	absent string
}

// invalidCases lists invalid arguments of every command. Their store is
// the one the environment names (INNOGRAPH_STORE and the rest).
func invalidCases(t *testing.T) []invalidCase {
	dir := t.TempDir()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	t.Cleanup(func() { busy.Close() })
	file := filepath.Join(dir, "Talent.csv")
	if err := os.WriteFile(file, []byte("id,name\nt-new,王新\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(dir, "plain-file")
	os.WriteFile(notDir, []byte("x"), 0o644)
	return []invalidCase{
		{"seed scale 0", nil, []string{"seed", "--scale", "0"}, `--scale 0: want a number above 0 and at most 2000`, ""},
		{"seed scale -1", nil, []string{"seed", "--scale", "-1"}, `--scale -1: want a number above 0`, ""},
		{"seed scale too large", nil, []string{"seed", "--scale", "1e9"}, `--scale 1e+09: want a number above 0 and at most 2000`, ""},
		{"seed scale not a number", nil, []string{"seed", "--scale", "many"}, `invalid value "many" for flag --scale: want a number`, ""},
		{"seed scale NaN", nil, []string{"seed", "--scale", "NaN"}, `invalid value "NaN" for flag --scale: want a number`, ""},
		{"seed seed not an integer", nil, []string{"seed", "--seed", "1.5"}, `invalid value "1.5" for flag --seed: want an integer`, ""},
		{"seed unknown store", nil, []string{"seed", "--store", "mongo"}, `--store "mongo": want embedded or neo4j`, ""},
		{"seed log level", nil, []string{"seed", "--log-level", "loud"}, `--log-level "loud": want debug, info, warn or error`, ""},
		{"seed log format", nil, []string{"seed", "--log-format", "xml"}, `--log-format "xml": want text or json`, ""},
		{"seed stray argument", nil, []string{"seed", "now"}, `unexpected arguments: now`, ""},
		{"seed unknown flag", nil, []string{"seed", "--size", "2"}, `flag provided but not defined: --size`, ""},
		{"seed data dir is a file", nil, []string{"seed", "--store", "embedded", "--data-dir", notDir}, `is a file, not a directory`, ""},
		{"seed neo4j uri", nil, []string{"seed", "--store", "neo4j", "--neo4j-uri", "http://127.0.0.1:7474"}, `--neo4j-uri "http://127.0.0.1:7474": want bolt://host:7687`, ""},
		{"seed neo4j database empty", nil, []string{"seed", "--store", "neo4j", "--neo4j-database", ""}, `--neo4j-database is empty`, ""},
		{"seed scale 0 from the environment", map[string]string{"INNOGRAPH_SEED_SCALE": "0"}, []string{"seed"}, `INNOGRAPH_SEED_SCALE="0" (for --scale): want a number above 0`, ""},
		{"seed seed from the environment", map[string]string{"INNOGRAPH_SEED": "abc"}, []string{"seed"}, `INNOGRAPH_SEED="abc" (for --seed): want an integer`, ""},
		{"seed store from the environment", map[string]string{"INNOGRAPH_STORE": "sqlite"}, []string{"seed"}, `INNOGRAPH_STORE="sqlite" (for --store): want embedded or neo4j`, ""},

		{"serve addr", nil, []string{"serve", "--addr", "nonsense"}, `--addr "nonsense": want host:port`, ""},
		{"serve addr port", nil, []string{"serve", "--addr", ":99999"}, `port "99999" is not a port number`, ""},
		{"serve addr in use", nil, []string{"serve", "--addr", busy.Addr().String()}, `cannot listen`, ""},
		{"serve addr from the environment", map[string]string{"INNOGRAPH_ADDR": "localhost"}, []string{"serve"}, `INNOGRAPH_ADDR="localhost" (for --addr): want host:port`, ""},
		{"serve timeout 0", nil, []string{"serve", "--timeout", "0s"}, `--timeout 0s: want a positive duration`, ""},
		{"serve timeout negative", nil, []string{"serve", "--timeout", "-5s"}, `--timeout -5s: want a positive duration`, ""},
		{"serve timeout not a duration", nil, []string{"serve", "--timeout", "30"}, `invalid value "30" for flag --timeout: want a duration such as 30s`, ""},
		{"serve timeout from the environment", map[string]string{"INNOGRAPH_TIMEOUT": "soon"}, []string{"serve"}, `INNOGRAPH_TIMEOUT="soon" (for --timeout): want a duration`, ""},
		{"serve loader wait", nil, []string{"serve", "--loader-wait", "-1ms"}, `--loader-wait -1ms: want 0 or a positive duration`, ""},
		{"serve district blank", nil, []string{"serve", "--district", " "}, `want the name of a district, such as 中山区`, ""},
		{"serve max depth", nil, []string{"serve", "--max-depth", "0"}, `--max-depth 0: want a positive number`, ""},
		{"serve max body", nil, []string{"serve", "--max-body-bytes", "-1"}, `--max-body-bytes -1: want a positive number`, ""},
		{"serve max complexity", nil, []string{"serve", "--max-complexity", "0"}, `--max-complexity 0: want a positive number`, ""},
		{"serve cors origin", nil, []string{"serve", "--cors-origins", "https://ok.example.com, example.com"}, `"example.com" is not an origin`, ""},
		{"serve scale", nil, []string{"serve", "--no-seed", "--scale", "0"}, `--scale 0: want a number above 0`, ""},
		{"serve no-seed from the environment", map[string]string{"INNOGRAPH_NO_SEED": "maybe"}, []string{"serve"}, `INNOGRAPH_NO_SEED="maybe" (for --no-seed): want true or false`, ""},
		{"serve no-seed value", nil, []string{"serve", "--no-seed=perhaps"}, `invalid boolean value "perhaps" for --no-seed: want true or false`, ""},
		{"serve require key from the environment", map[string]string{"INNOGRAPH_REQUIRE_KEY_FOR_READS": "yes"}, []string{"serve"}, `INNOGRAPH_REQUIRE_KEY_FOR_READS="yes" (for --require-key-for-reads): want true or false`, ""},
		{"serve require key without keys", nil, []string{"serve", "--require-key-for-reads"}, `without any API key would refuse every request`, ""},
		{"serve keys file missing", nil, []string{"serve", "--keys-file", filepath.Join(dir, "no-keys.txt")}, `no-keys.txt`, ""},
		{"serve unknown store", nil, []string{"serve", "--store", "memory"}, `--store "memory": want embedded or neo4j`, ""},
		{"serve log format", nil, []string{"serve", "--log-format", "yaml"}, `--log-format "yaml": want text or json`, ""},

		{"import encoding", nil, []string{"import", "--encoding", "ebcdic", file}, `--encoding "ebcdic": want auto, utf-8, gbk, gb18030 or utf-16`, ""},
		{"import batch size", nil, []string{"import", "--batch-size", "-1", file}, `--batch-size -1: want a positive number of rows`, ""},
		{"import max errors", nil, []string{"import", "--max-errors", "-1", file}, `--max-errors -1: want a positive number`, ""},
		{"import kind", nil, []string{"import", "--kind", "CASTLE", file}, `--kind "CASTLE": unknown kind`, ""},
		{"import type", nil, []string{"import", "--type", "OWNS_CASTLE", file}, `--type "OWNS_CASTLE": unknown relationship type`, ""},
		{"import progress", nil, []string{"import", "--progress", "fancy", file}, `--progress "fancy": want auto, bar, lines or none`, ""},
		{"import missing file", nil, []string{"import", filepath.Join(dir, "missing.csv")}, `cannot read`, ""},
		{"import no files", nil, []string{"import"}, `no files to import`, ""},
		{"import dry-run value", map[string]string{"INNOGRAPH_DRY_RUN": "sure"}, []string{"import", file}, `INNOGRAPH_DRY_RUN="sure" (for --dry-run): want true or false`, ""},
		{"import unknown store", nil, []string{"import", "--store", "csv", file}, `--store "csv": want embedded or neo4j`, ""},
		{"import template format", nil, []string{"import", "--template", "ENTERPRISE", "--format", "pdf", filepath.Join(dir, "template.pdf")}, `--format "pdf": want csv or xlsx`, filepath.Join(dir, "template.pdf")},

		{"export format", nil, []string{"export", "--format", "pdf"}, `unknown export format`, ""},
		{"export kinds", nil, []string{"export", "--kinds", "CASTLE"}, `CASTLE`, ""},
		{"export depth", nil, []string{"export", "--node", "x", "--depth", "99"}, `depth must be between 1 and`, ""},
		{"export progress", nil, []string{"export", "--progress", "fancy", "--output", filepath.Join(dir, "x.jsonl")}, `--progress "fancy"`, filepath.Join(dir, "x.jsonl")},
		{"export as-of", map[string]string{"INNOGRAPH_AS_OF": "last year"}, []string{"export"}, `INNOGRAPH_AS_OF="last year" (for --as-of): want an integer`, ""},

		{"migrate unknown store", nil, []string{"migrate", "--store", "mongo"}, `--store "mongo": want embedded or neo4j`, ""},
		{"keys new without a name", nil, []string{"keys", "new"}, `--name is empty`, ""},
		{"keys new role", nil, []string{"keys", "new", "--name", "alice", "--role", "owner"}, `--role "owner": want reader, editor or admin`, ""},
		{"keys without a subcommand", nil, []string{"keys"}, `want a subcommand: new or hash`, ""},
		{"unknown command", nil, []string{"reseed"}, `unknown command "reseed"`, ""},
	}
}

// checkInvalid runs every invalid case and checks that it fails with its
// message and that the store's fingerprint stays what it was.
func checkInvalid(t *testing.T, before string, after func(t *testing.T) string) {
	t.Helper()
	for _, c := range invalidCases(t) {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			code, out, errOut := runEnv(t, c.env, c.args...)
			if code == 0 {
				t.Fatalf("exit code 0, want a failure\nstdout:\n%s\nstderr:\n%s", out, errOut)
			}
			if !strings.Contains(errOut, c.want) {
				t.Errorf("stderr does not say %q:\n%s", c.want, errOut)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("refusing the arguments took %v", d)
			}
			if got := after(t); got != before {
				t.Errorf("the store changed:\nbefore %d bytes\nafter  %d bytes", len(before), len(got))
			}
			if _, err := os.Stat(c.absent); c.absent != "" && !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the command wrote %s: %v", c.absent, err)
			}
		})
	}
}

// TestInvalidArgumentsChangeNothing runs every command with invalid
// arguments against a seeded embedded store: each fails with a message
// that names the flag (or its environment variable) and what it wants,
// and the store, timestamps included, stays as it was.
func TestInvalidArgumentsChangeNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	t.Setenv("INNOGRAPH_DATA_DIR", dir)
	if code, out, errOut := runEnv(t, nil, "seed", "--scale", "0.1", "--seed", "7", "--log-level", "warn"); code != 0 {
		t.Fatalf("seed: %d\n%s\n%s", code, out, errOut)
	}
	before := embeddedFingerprint(t, dir)
	if strings.Count(before, "\n") < 100 {
		t.Fatalf("the seeded store holds %d lines of fingerprint, want a graph", strings.Count(before, "\n"))
	}
	checkInvalid(t, before, func(t *testing.T) string { return embeddedFingerprint(t, dir) })

	// A data directory that does not exist is not created by a refused seed.
	fresh := filepath.Join(t.TempDir(), "fresh")
	if code, _, _ := runEnv(t, nil, "seed", "--scale", "0", "--data-dir", fresh); code == 0 {
		t.Error("seed --scale 0 succeeded")
	}
	if _, err := os.Stat(fresh); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused seed created its data directory: %v", err)
	}
}

// TestInvalidArgumentsChangeNothingNeo4j runs the cases of
// TestInvalidArgumentsChangeNothing against Neo4j, seeded by the seed
// command.
func TestInvalidArgumentsChangeNothingNeo4j(t *testing.T) {
	st := neo4jtest.Open(t)
	cfg := neo4jtest.Config()
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	t.Setenv("INNOGRAPH_DATA_DIR", filepath.Join(t.TempDir(), "unused"))
	t.Setenv("INNOGRAPH_STORE", "neo4j")
	t.Setenv("NEO4J_URI", cfg.URI)
	t.Setenv("NEO4J_USER", cfg.User)
	t.Setenv("NEO4J_PASSWORD", cfg.Password)
	t.Setenv("NEO4J_DATABASE", cfg.Database)
	if code, out, errOut := runEnv(t, nil, "seed", "--scale", "0.1", "--seed", "7", "--log-level", "warn"); code != 0 {
		t.Fatalf("seed --store neo4j: %d\n%s\n%s", code, out, errOut)
	}
	before := fingerprint(t, st)
	if strings.Count(before, "\n") < 100 {
		t.Fatalf("the seeded store holds %d lines of fingerprint, want a graph", strings.Count(before, "\n"))
	}
	checkInvalid(t, before, func(t *testing.T) string { return fingerprint(t, st) })
}

// TestSeedReplaces checks on both backends that seed replaces what the
// store holds with the demo of its scale and seed, and that seeding again
// gives the same graph.
func TestSeedReplaces(t *testing.T) {
	backends := []struct {
		name string
		open func(t *testing.T) (args []string, fp func(t *testing.T) string)
	}{
		{"embedded", func(t *testing.T) ([]string, func(t *testing.T) string) {
			dir := t.TempDir()
			return []string{"--data-dir", dir}, func(t *testing.T) string { return embeddedFingerprint(t, dir) }
		}},
		{"neo4j", func(t *testing.T) ([]string, func(t *testing.T) string) {
			st := neo4jtest.Open(t)
			cfg := neo4jtest.Config()
			return []string{"--store", "neo4j", "--neo4j-uri", cfg.URI, "--neo4j-user", cfg.User, "--neo4j-password", cfg.Password, "--neo4j-database", cfg.Database},
				func(t *testing.T) string { return fingerprint(t, st) }
		}},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			storeArgs, fp := b.open(t)
			seedWith := func(scale, seedValue string) string {
				t.Helper()
				code, out, errOut := runEnv(t, nil, append([]string{"seed", "--scale", scale, "--seed", seedValue, "--log-level", "warn"}, storeArgs...)...)
				if code != 0 {
					t.Fatalf("seed --scale %s --seed %s: %d\n%s\n%s", scale, seedValue, code, out, errOut)
				}
				return out
			}
			seedWith("0.2", "3")
			ds := seed.Demo(seed.Config{Scale: 0.1, Seed: 5})
			out := seedWith("0.1", "5")
			if want := fmt.Sprintf("seeded %d nodes and %d relationships (scale 0.1, seed 5)", len(ds.Nodes), len(ds.Edges)); !strings.Contains(out, want) {
				t.Errorf("seed printed %q, want %q", out, want)
			}
			first := fp(t)
			if n := strings.Count(first, "\n"); n != len(ds.Nodes)+len(ds.Edges) {
				t.Errorf("the store holds %d nodes and relationships after the seed, want %d", n, len(ds.Nodes)+len(ds.Edges))
			}
			seedWith("0.1", "5")
			// The same graph again, with new timestamps.
			stamps := regexp.MustCompile(`,\d{10,},\d{10,}\]`)
			if again := fp(t); stamps.ReplaceAllString(again, "]") != stamps.ReplaceAllString(first, "]") {
				t.Error("seeding the same scale and seed again gave another graph")
			}
		})
	}
}

// TestEveryFlagHasAnEnvironmentVariable reads the help of every command
// as a user would: every flag names its value (no stray back-quoted
// word), has its own environment variable, and the help exits 0.
func TestEveryFlagHasAnEnvironmentVariable(t *testing.T) {
	flagLine := regexp.MustCompile(`^  --([a-z0-9-]+)( [A-Z]+)?$`)
	envLine := regexp.MustCompile(`^        env ((INNOGRAPH|NEO4J)_[A-Z0-9_]+)(, default .*)?$`)
	for _, cmd := range [][]string{{"serve"}, {"seed"}, {"migrate"}, {"import"}, {"export"}, {"keys", "new"}, {"keys", "hash"}} {
		t.Run(strings.Join(cmd, " "), func(t *testing.T) {
			code, out, errOut := runEnv(t, nil, append(cmd, "-h")...)
			if code != 0 || errOut != "" {
				t.Fatalf("-h: exit %d, stderr %q", code, errOut)
			}
			lines := strings.Split(out, "\n")
			envs := map[string]string{}
			flags := 0
			for i, l := range lines {
				if !strings.HasPrefix(l, "  --") {
					continue
				}
				flags++
				m := flagLine.FindStringSubmatch(l)
				if m == nil {
					t.Errorf("flag line %q does not read --name VALUE", l)
					continue
				}
				if i+2 >= len(lines) {
					t.Fatalf("flag %s has no usage and environment lines", m[1])
				}
				usage, env := lines[i+1], envLine.FindStringSubmatch(lines[i+2])
				if strings.Contains(usage, "`") || strings.TrimSpace(usage) == "" {
					t.Errorf("--%s: usage %q", m[1], usage)
				}
				if env == nil {
					t.Errorf("--%s: no environment variable: %q", m[1], lines[i+2])
					continue
				}
				if other, ok := envs[env[1]]; ok {
					t.Errorf("--%s and --%s share %s", m[1], other, env[1])
				}
				envs[env[1]] = m[1]
			}
			if flags < 2 {
				t.Errorf("the help lists %d flags:\n%s", flags, out)
			}
		})
	}
	_, out, _ := runEnv(t, nil, "serve", "-h")
	for _, want := range []string{"  --keys-file FILE\n", "  --addr ADDRESS\n", "  --no-seed\n        do not seed", "env INNOGRAPH_NO_SEED\n", "env INNOGRAPH_REQUIRE_KEY_FOR_READS\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("serve -h does not show %q", want)
		}
	}
	if code, out, _ := runEnv(t, nil, "help", "seed"); code != 0 || !strings.Contains(out, "usage: innograph seed") {
		t.Errorf("help seed: %d %s", code, out)
	}
}

// TestEnvironmentAndFlagsParseAlike checks that a variable stands for its
// flag with the flag's parser, booleans included, and that the command
// line wins over the environment.
func TestEnvironmentAndFlagsParseAlike(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(t.TempDir(), "Talent.csv")
	os.WriteFile(file, []byte("id,name\nt1,张三\n"), 0o644)
	for _, v := range []string{"true", "1", "T", "TRUE"} {
		code, out, errOut := runEnv(t, map[string]string{"INNOGRAPH_DRY_RUN": v, "INNOGRAPH_PROGRESS": "none"}, "import", "--data-dir", dir, file)
		if code != 0 || !strings.Contains(out, "dry run:") {
			t.Errorf("INNOGRAPH_DRY_RUN=%s: %d\n%s\n%s", v, code, out, errOut)
		}
	}
	code, out, errOut := runEnv(t, map[string]string{"INNOGRAPH_DRY_RUN": "true", "INNOGRAPH_PROGRESS": "none"}, "import", "--dry-run=false", "--data-dir", dir, file)
	if code != 0 || !strings.Contains(out, "summary: 1 created") {
		t.Errorf("--dry-run=false over INNOGRAPH_DRY_RUN=true: %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runEnv(t, map[string]string{"INNOGRAPH_SEED_SCALE": "0", "INNOGRAPH_DATA_DIR": dir}, "seed", "--scale", "0.05", "--log-level", "error")
	if code != 0 || !strings.Contains(out, "scale 0.05") {
		t.Errorf("--scale 0.05 over INNOGRAPH_SEED_SCALE=0: %d\n%s\n%s", code, out, errOut)
	}
}

// TestDemoSize checks the size of the demo at scale 1 that the help and
// the README give.
func TestDemoSize(t *testing.T) {
	for _, s := range []int64{1, 2, 3} {
		ds := seed.Demo(seed.Config{Scale: 1, Seed: s})
		if len(ds.Nodes) != demoNodes {
			t.Errorf("seed %d: the demo at scale 1 has %d nodes; the help says %d", s, len(ds.Nodes), demoNodes)
		}
		if s == 1 && len(ds.Edges) != demoRelationships {
			t.Errorf("seed 1: the demo at scale 1 has %d relationships; the help says %d", len(ds.Edges), demoRelationships)
		}
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{demoNodes, demoRelationships} {
		if !bytes.Contains(readme, []byte(grouped(n))) {
			t.Errorf("the README does not give the demo's size %s", grouped(n))
		}
	}
	for _, stale := range []string{"≈600", "≈2,300", "~1,000"} {
		if bytes.Contains(readme, []byte(stale)) {
			t.Errorf("the README still says %s", stale)
		}
	}
}

// TestGrouped checks the thousands separator of the help.
func TestGrouped(t *testing.T) {
	for n, want := range map[int]string{0: "0", 611: "611", 2346: "2,346", 100000: "100,000", -1234567: "-1,234,567"} {
		if got := grouped(n); got != want {
			t.Errorf("grouped(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestUnavailableReason checks that the readiness reason of a store that
// does not answer says "store unavailable" once.
func TestUnavailableReason(t *testing.T) {
	for _, err := range []error{
		fmt.Errorf("neo4j ping: %w: ConnectivityError: connection refused", kg.ErrUnavailable),
		fmt.Errorf("%w: migrating the Neo4j schema", kg.ErrUnavailable),
		errors.New("connection refused"),
	} {
		r := unavailableReason(err)
		if strings.Count(r, kg.ErrUnavailable.Error()) != 1 || !strings.Contains(r, err.Error()) {
			t.Errorf("reason of %q: %q", err, r)
		}
	}
}

// syncBuffer is a buffer that a running command writes while the test
// reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeStartLog checks that the start log says where the data lives.
func TestServeStartLog(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int)
	go func() {
		done <- Main(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir, "--no-seed"}, &out, &errOut)
	}()
	deadline := time.Now().Add(commandTimeout)
	for !strings.Contains(errOut.String(), "msg=serving") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("serve: exit %d\n%s", code, errOut.String())
	}
	var serving string
	for _, l := range strings.Split(errOut.String(), "\n") {
		if strings.Contains(l, "msg=serving") {
			serving = l
		}
	}
	if !strings.Contains(serving, "store=embedded dataDir="+dir) {
		t.Errorf("the start log does not say where the data lives: %q\n%s", serving, errOut.String())
	}
	if !slices.ContainsFunc(strings.Split(errOut.String(), "\n"), func(l string) bool {
		return strings.Contains(l, `msg="opening the store"`) && strings.Contains(l, "dataDir="+dir)
	}) {
		t.Errorf("no log line says which store opens:\n%s", errOut.String())
	}
}

// TestReadyzSaysUnavailableOnce starts serve on a Neo4j address where
// nothing listens: /readyz gives the reason with "store unavailable" once,
// and the log says where the store was looked for.
func TestReadyzSaysUnavailableOnce(t *testing.T) {
	nowhere, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	uri := "bolt://" + nowhere.Addr().String()
	nowhere.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int)
	go func() {
		done <- Main(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--store", "neo4j", "--neo4j-uri", uri}, &out, &errOut)
	}()
	defer func() {
		cancel()
		<-done
	}()
	addr := regexp.MustCompile(`msg=serving addr=(\S+)`)
	var m []string
	for deadline := time.Now().Add(commandTimeout); m == nil && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		m = addr.FindStringSubmatch(errOut.String())
	}
	if m == nil {
		t.Fatalf("serve did not start:\n%s", errOut.String())
	}
	var body string
	for deadline := time.Now().Add(commandTimeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get("http://" + m[1] + "/readyz")
		if err != nil {
			t.Fatalf("GET /readyz: %v", err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if body = string(b); resp.StatusCode == http.StatusServiceUnavailable && strings.Contains(body, "connect") {
			break
		}
	}
	if n := strings.Count(body, kg.ErrUnavailable.Error()); n != 1 {
		t.Errorf("/readyz says %q %d times: %q", kg.ErrUnavailable, n, body)
	}
	log := errOut.String()
	for _, want := range []string{"store=neo4j neo4j=" + uri + " database=neo4j", `hint="is Neo4j running at ` + uri + `?"`} {
		if !strings.Contains(log, want) {
			t.Errorf("the log does not say %q:\n%s", want, log)
		}
	}
}

// TestNeo4jHint checks that the hint for a Neo4j that does not answer
// names make neo4j-up for the default address only.
func TestNeo4jHint(t *testing.T) {
	if h := neo4jHint("bolt://127.0.0.1:7687"); !strings.Contains(h, "make neo4j-up") {
		t.Errorf("hint for the default address: %q", h)
	}
	if h := neo4jHint("neo4j://db.example.com:7687"); strings.Contains(h, "make neo4j-up") || !strings.Contains(h, "db.example.com") {
		t.Errorf("hint for another address: %q", h)
	}
}
