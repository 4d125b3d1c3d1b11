package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// auditTimeout bounds installing the audit's packages and running it.
const auditTimeout = 5 * time.Minute

// wantAudits is how many audits graphql-http 1.23.1 (pinned in
// e2e/audit/package-lock.json) runs; all of them must pass.
const wantAudits = 61

// auditReport is what e2e/audit/audit.mjs prints.
type auditReport struct {
	Total  int `json:"total"`
	OK     int `json:"ok"`
	Notice int `json:"notice"`
	Warn   int `json:"warn"`
	Error  int `json:"error"`
	Audits []struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		Status      string `json:"status"`
		Reason      string `json:"reason"`
		HTTPStatus  int    `json:"httpStatus"`
		ContentType string `json:"contentType"`
	} `json:"audits"`
}

// nodeTools returns the paths of node and npm. Without them the test is
// skipped, except in CI (CI=true), where they are a failure.
func nodeTools(t *testing.T) (node, npm string) {
	t.Helper()
	var missing []string
	for _, name := range []string{"node", "npm"} {
		p, err := exec.LookPath(name)
		if err != nil {
			missing = append(missing, name)
			continue
		}
		if name == "node" {
			node = p
		} else {
			npm = p
		}
	}
	if len(missing) > 0 {
		msg := fmt.Sprintf("!!! NO NODE.JS: %s not found on PATH. Install them (apt-get install -y nodejs npm). "+
			"The GraphQL-over-HTTP audit did NOT run.", strings.Join(missing, " and "))
		if isCI() {
			t.Fatal(msg + " CI=true: this is a failure.")
		}
		t.Skip(msg)
	}
	return node, npm
}

// TestGraphQLOverHTTPAudit runs graphql-http's server audit (the
// GraphQL-over-HTTP conformance suite) against the real binary: every
// audit must pass, with no warning or notice. It installs the pinned
// packages of e2e/audit with npm ci into a temporary directory.
func TestGraphQLOverHTTPAudit(t *testing.T) {
	node, npm := nodeTools(t)
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin := buildBinary(t)
	ctx, cancel := context.WithTimeout(t.Context(), auditTimeout)
	defer cancel()

	dir := t.TempDir()
	for _, name := range []string{"package.json", "package-lock.json", "audit.mjs"} {
		b, err := os.ReadFile(filepath.Join(root, "e2e", "audit", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	install := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error")
	install.Dir = dir
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("npm ci in a copy of e2e/audit: %v\n%s", err, out)
	}

	s := startServer(t, bin, t.TempDir(), "--no-seed")
	run := exec.CommandContext(ctx, node, "audit.mjs", s.baseURL+"/graphql")
	run.Dir = dir
	var stderr strings.Builder
	run.Stderr = &stderr
	out, runErr := run.Output()
	var rep auditReport
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("node audit.mjs: %v (exit: %v)\nstdout:\n%s\nstderr:\n%s", err, runErr, out, stderr.String())
	}
	t.Logf("graphql-http server audit: %d audits, %d ok, %d notices, %d warnings, %d errors", rep.Total, rep.OK, rep.Notice, rep.Warn, rep.Error)
	for _, a := range rep.Audits {
		if a.Status != "ok" {
			t.Errorf("audit %s %s: %s: %s (HTTP %d, %s)", a.ID, a.Name, a.Status, a.Reason, a.HTTPStatus, a.ContentType)
		}
	}
	if rep.Total != wantAudits || rep.OK != wantAudits || rep.Notice+rep.Warn+rep.Error != 0 {
		t.Errorf("%d audits, %d ok, %d notices, %d warnings, %d errors; want %d ok and nothing else", rep.Total, rep.OK, rep.Notice, rep.Warn, rep.Error, wantAudits)
	}
	if runErr != nil {
		t.Errorf("node audit.mjs: %v\n%s", runErr, stderr.String())
	}
}
