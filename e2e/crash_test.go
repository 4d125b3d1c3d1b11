package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/innograph/innograph/auth"
)

// storeCounts are the stats of a store.
type storeCounts struct{ Nodes, Relations int }

// countsOf reads the stats of the store behind baseURL.
func countsOf(t *testing.T, client *http.Client, baseURL string) storeCounts {
	t.Helper()
	o := send(client, baseURL, "", queryBody(`{ stats { nodes relations } }`, nil), "stats")
	var d struct{ Stats storeCounts }
	if !o.ok || json.Unmarshal(o.data, &d) != nil {
		t.Fatalf("stats: HTTP %d, codes %v %v, err %v", o.status, o.codes, o.messages, o.err)
	}
	return d.Stats
}

// TestKillDuringWrites kills the server (SIGKILL, no chance to close the
// store) while four writers send mutations as fast as it answers, twice
// on the same data directory, and starts it again each time: the
// embedded store reopens, every acknowledged write is stored whole, every
// write is all or nothing (an enterprise stored without its relationship
// would be half a batch), and the store's counts are the demo's plus the
// writes found.
func TestKillDuringWrites(t *testing.T) {
	bin := buildBinary(t)
	editor, editorLine := newKey(t, "crash-writer", auth.Editor)
	dataDir := t.TempDir()
	client := loadClient()
	s := startServer(t, bin, dataDir, "--api-keys", editorLine, "--log-level", "warn")
	base := countsOf(t, client, s.baseURL)
	var tried, acked []ackedWrite
	for round := 1; round <= 2; round++ {
		wr := &writers{prefix: fmt.Sprintf("crash%d", round), key: editor, customers: demoEnterprises(50)}
		ld := &load{stop: make(chan struct{})}
		ld.add(loadWriters, func(w, i int) outcome { return wr.write(client, s.baseURL, w, i) })
		// Kill once the writers are in full flow, at a moment that
		// differs from round to round.
		want := 20 * round
		if !waitFor(time.Minute, func() bool { return len(wr.acknowledged()) >= want }) {
			ld.halt()
			t.Fatalf("round %d: %d writes acknowledged in a minute, want %d: %s\n%s", round, len(wr.acknowledged()), want, summary(ld.snapshot()), s.describe())
		}
		s.forceKill()
		outs := ld.halt()
		tried = append(tried, wr.sent()...)
		acked = append(acked, wr.acknowledged()...)
		unanswered := 0
		for _, o := range outs {
			if o.err != nil {
				unanswered++
			} else if !o.ok {
				t.Errorf("round %d: a write before the kill failed: HTTP %d, codes %v %v", round, o.status, o.codes, o.messages)
			}
		}
		t.Logf("round %d: killed with %d writes acknowledged and %d unanswered", round, len(wr.acknowledged()), unanswered)

		s = startServer(t, bin, dataDir, "--api-keys", editorLine, "--log-level", "warn", "--no-seed")
		checkAcknowledged(t, client, s.baseURL, acked)
		ids := make([]string, len(tried))
		for i, a := range tried {
			ids[i] = a.id
		}
		found := readBack(t, client, s.baseURL, ids)
		for _, a := range tried {
			if n, ok := found[a.id]; ok {
				if p := checkWrite(a, n); p != "" {
					t.Errorf("round %d: write %s is stored in part: %s", round, a.id, p)
				}
			}
		}
		got := countsOf(t, client, s.baseURL)
		if want := (storeCounts{base.Nodes + len(found), base.Relations + len(found)}); got != want {
			t.Errorf("round %d: the store counts %+v after the restart, want %+v (the demo's and %d writes found)", round, got, want, len(found))
		}
		t.Logf("round %d: reopened; %d writes acknowledged in all, all of them and %d unanswered ones stored whole, of %d sent", round, len(acked), len(found)-len(acked), len(tried))
	}
	s.stop(stopTimeout)
}

// importFile writes a JSON Lines file of n enterprises (imp-00000…) and
// n-1 SUPPLIES relationships, each from one to the next.
func importFile(t *testing.T, n int) string {
	t.Helper()
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, `{"id":"imp-%05d","kind":"Enterprise","name":"导入测试企业%05d","district":"中山区","revenue":{"2025":%d}}`+"\n", i, i, 1000+i)
	}
	for i := range n - 1 {
		fmt.Fprintf(&b, `{"type":"SUPPLIES","from":"imp-%05d","to":"imp-%05d","since":2025}`+"\n", i, i+1)
	}
	path := filepath.Join(t.TempDir(), "companies.jsonl")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// exported returns the ids of the nodes and relationships `innograph
// export` writes from dataDir.
func exported(t *testing.T, bin, dataDir string) (nodes, rels map[string]bool) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "export.jsonl")
	runCLI(t, bin, os.Environ(), "export", "--data-dir", dataDir, "--format", "jsonl", "--output", path)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	nodes, rels = map[string]bool{}, map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r struct{ ID, Kind, Type string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("export: %v: %.200s", err, sc.Bytes())
		}
		if r.Type != "" {
			rels[r.ID] = true
		} else {
			nodes[r.ID] = true
		}
	}
	return nodes, rels
}

// auditRecord is one entry of the audit log, as the tests read it.
type auditRecord struct {
	Seq       int
	Action    string
	Note      string
	Nodes     []string
	Relations []string
	Truncated bool
}

// auditEntries reads the whole audit log, page by page, with an admin
// key.
func auditEntries(t *testing.T, client *http.Client, baseURL, adminKey string) []auditRecord {
	t.Helper()
	const query = `query($after: String) { auditLog(first: 500, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { seq action note nodes relations truncated } } } }`
	var entries []auditRecord
	var after any
	for {
		o := send(client, baseURL, adminKey, queryBody(query, map[string]any{"after": after}), "audit")
		var d struct {
			AuditLog struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
				Edges []struct{ Node auditRecord }
			}
		}
		if !o.ok || json.Unmarshal(o.data, &d) != nil {
			t.Fatalf("auditLog: HTTP %d, codes %v %v, err %v", o.status, o.codes, o.messages, o.err)
		}
		for _, e := range d.AuditLog.Edges {
			entries = append(entries, e.Node)
		}
		if !d.AuditLog.PageInfo.HasNextPage {
			if len(entries) != d.AuditLog.TotalCount {
				t.Fatalf("auditLog: %d entries read, totalCount %d", len(entries), d.AuditLog.TotalCount)
			}
			return entries
		}
		after = d.AuditLog.PageInfo.EndCursor
	}
}

// TestKillDuringImport kills `innograph import` (SIGKILL) while it writes
// its batches into the embedded store, then reopens the store: it opens,
// and what it holds of the file is exactly the batches the audit log
// records (each batch written whole or not at all, recorded in the same
// transaction as its rows), numbered from the first without a gap. The
// same import run again then completes the file.
func TestKillDuringImport(t *testing.T) {
	bin := buildBinary(t)
	admin, adminLine := newKey(t, "crash-admin", auth.Admin)
	const rows, batch = 8000, 200
	file := importFile(t, rows)
	totalBatches := (rows+batch-1)/batch + (rows-1+batch-1)/batch
	batchNote := regexp.MustCompile(`\(batch (\d+) of (\d+)\)$`)
	client := loadClient()

	// The kill must land among the batches: after the first and before
	// the last. The delay after the write phase begins shrinks or grows
	// until it does.
	delay := 300 * time.Millisecond
	for attempt := 1; ; attempt++ {
		dataDir := t.TempDir()
		cmd := exec.Command(bin, "import", "--data-dir", dataDir, "--batch-size", strconv.Itoa(batch), "--progress", "lines", file)
		out := &lockedBuffer{}
		cmd.Stdout, cmd.Stderr = out, out
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		writing := waitFor(2*time.Minute, func() bool { return strings.Contains(out.String(), "writing:") })
		if writing {
			time.Sleep(delay)
		}
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		werr := <-done
		if !writing {
			t.Fatalf("the import did not reach its write phase: %v\n%s", werr, out.String())
		}
		if werr == nil {
			t.Logf("attempt %d: the import finished within %v of its write phase; trying a shorter delay", attempt, delay)
			delay /= 3
		}

		// Reopen: the store opens, and holds whole batches.
		s := startServer(t, bin, dataDir, "--api-keys", adminLine, "--no-seed", "--log-level", "warn")
		audit := auditEntries(t, client, s.baseURL, admin)
		s.stop(stopTimeout)
		nodes, rels := exported(t, bin, dataDir)
		slices.SortFunc(audit, func(a, b auditRecord) int { return a.Seq - b.Seq })
		auditedNodes, auditedRels := map[string]bool{}, map[string]bool{}
		for i, e := range audit {
			m := batchNote.FindStringSubmatch(e.Note)
			if e.Action != "import" || m == nil || m[1] != strconv.Itoa(i+1) || m[2] != strconv.Itoa(totalBatches) || e.Truncated {
				t.Fatalf("audit entry %d: %s %q (truncated %v), want import (batch %d of %d)", e.Seq, e.Action, e.Note, e.Truncated, i+1, totalBatches)
			}
			if n := len(e.Nodes) + len(e.Relations); n != batch && i+1 < totalBatches {
				t.Errorf("audit entry %d (%s) records %d rows, want %d", e.Seq, e.Note, n, batch)
			}
			for _, id := range e.Nodes {
				auditedNodes[id] = true
			}
			for _, id := range e.Relations {
				auditedRels[id] = true
			}
		}
		if !maps.Equal(nodes, auditedNodes) || !maps.Equal(rels, auditedRels) {
			t.Fatalf("after the kill the store holds %d nodes and %d relationships; the %d audited batches wrote %d and %d: not whole batches",
				len(nodes), len(rels), len(audit), len(auditedNodes), len(auditedRels))
		}
		t.Logf("attempt %d: killed %v into the write phase, after %d of %d batches; the store holds exactly them: %d nodes, %d relationships",
			attempt, delay, len(audit), totalBatches, len(nodes), len(rels))
		if len(audit) == 0 && werr != nil {
			delay *= 2
		}
		if len(audit) > 0 && len(audit) < totalBatches {
			// The same import again completes it.
			runCLI(t, bin, os.Environ(), "import", "--data-dir", dataDir, "--batch-size", strconv.Itoa(batch), "--progress", "none", file)
			nodes, rels = exported(t, bin, dataDir)
			if len(nodes) != rows || len(rels) != rows-1 {
				t.Errorf("after the import ran again the store holds %d nodes and %d relationships, want %d and %d", len(nodes), len(rels), rows, rows-1)
			}
			return
		}
		if attempt == 5 {
			t.Fatalf("in %d attempts no kill landed among the batches", attempt)
		}
	}
}
