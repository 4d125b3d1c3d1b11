package e2e

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// defaultChromiumPath is where Debian's chromium package installs the
// browser. The environment variable CHROMIUM_PATH overrides it.
const defaultChromiumPath = "/usr/bin/chromium"

// browserTimeout bounds everything the browser does in one test.
const browserTimeout = 2 * time.Minute

// chromiumPath returns the browser to drive. Without one the test is skipped,
// except in CI (CI=true), where a missing browser is a failure.
func chromiumPath(t *testing.T) string {
	t.Helper()
	path := os.Getenv("CHROMIUM_PATH")
	if path == "" {
		path = defaultChromiumPath
	}
	if _, err := os.Stat(path); err != nil {
		msg := fmt.Sprintf("!!! NO BROWSER: Chromium is not installed at %s (%v). "+
			"Install it (apt-get install -y chromium) or point CHROMIUM_PATH at a Chromium binary. "+
			"The GraphiQL end-to-end test did NOT run.", path, err)
		if isCI() {
			t.Fatal(msg + " CI=true: this is a failure.")
		}
		t.Skip(msg)
	}
	return path
}

// isLoopbackURL reports whether a request goes to this machine's loopback
// interface. Requests without a network host (data:, blob:) never leave the
// browser and count as local.
func isLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	switch u.Scheme {
	case "data", "blob", "about":
		return true
	}
	switch u.Hostname() {
	case "127.0.0.1", "localhost", "::1":
		return true
	}
	return false
}

// browserRun is what one visit of the GraphiQL page observed.
type browserRun struct {
	mu       sync.Mutex
	blocked  []string // requests to anything but the loopback interface
	problems []string // console errors, uncaught exceptions, browser log errors
}

func (r *browserRun) block(u string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.blocked = append(r.blocked, u)
}

func (r *browserRun) problem(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}

func (r *browserRun) snapshot() (blocked, problems []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.blocked...), append([]string(nil), r.problems...)
}

// listen records the console errors and uncaught exceptions of the page. It
// runs in the loop that reads the tab's messages, so it must return fast.
func (r *browserRun) listen(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		r.problem("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, text)
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		var parts []string
		for _, a := range ev.Args {
			switch {
			case len(a.Value) > 0:
				parts = append(parts, string(a.Value))
			case a.Description != "":
				parts = append(parts, a.Description)
			default:
				parts = append(parts, string(a.Type))
			}
		}
		r.problem("console.%s: %s", ev.Type, strings.Join(parts, " "))
	case *cdplog.EventEntryAdded:
		// The browser's own log: failed loads, Content-Security-Policy
		// violations and the like.
		if e := ev.Entry; e != nil && e.Level == cdplog.EntryLevelError {
			r.problem("browser log (%s): %s %s", e.Source, e.Text, e.URL)
		}
	}
}

// graphiQLResult is what the browser showed after running the default query.
type graphiQLResult struct {
	query    string // text of the query editor
	response string // text of the response pane
}

// codeMirrorText returns a JavaScript expression giving the text of the
// CodeMirror editor inside the element matched by selector ("" if absent).
func codeMirrorText(selector string) string {
	return fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		if (!el) return "";
		return el.CodeMirror ? el.CodeMirror.getValue() : el.textContent;
	})()`, selector+" .CodeMirror")
}

// runGraphiQL opens baseURL+"/" in a headless Chromium that may only reach
// the loopback interface, waits for GraphiQL, runs the default query with the
// execute button, and returns what the editors show. It fails the test if
// the page requested anything outside this machine or logged an error.
// describe, when not nil, adds the server's state to failure messages.
func runGraphiQL(t *testing.T, chromePath, baseURL string, describe func() string) graphiQLResult {
	t.Helper()
	if describe == nil {
		describe = func() string { return "" }
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromePath),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.WindowSize(1400, 900),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
	)
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()

	run := &browserRun{}
	tabCtx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(run.listen))
	defer cancelTab()

	// Start the browser on about:blank.
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("starting %s: %v", chromePath, err)
	}

	// Pause every request; let the ones to this machine through and fail
	// (and record) all the others.
	paused := chromedp.Events(tabCtx, fetch.RequestPaused)
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			if isLoopbackURL(ev.Request.URL) {
				_, err = chromedp.Call(tabCtx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
			} else {
				run.block(ev.Request.URL)
				_, err = chromedp.Call(tabCtx, fetch.FailRequest, fetch.FailRequestParams{
					RequestID:   ev.RequestID,
					ErrorReason: network.ErrorReasonBlockedByClient,
				})
			}
			if err != nil && tabCtx.Err() == nil {
				run.problem("answering the paused request %s: %v", ev.Request.URL, err)
			}
		}
	}()
	if _, err := chromedp.Call(tabCtx, fetch.Enable, fetch.EnableParams{
		Patterns: []*fetch.RequestPattern{{URLPattern: "*"}},
	}); err != nil {
		t.Fatalf("Fetch.enable: %v", err)
	}

	fail := func(format string, args ...any) {
		t.Helper()
		if shot, err := chromedp.Run(tabCtx, chromedp.FullScreenshot(100)); err == nil {
			path := filepath.Join(os.TempDir(), "innograph-e2e-graphiql-failure.png")
			if os.WriteFile(path, shot, 0o644) == nil {
				t.Logf("screenshot of the page: %s", path)
			}
		}
		blocked, problems := run.snapshot()
		t.Fatalf("%s\nblocked requests: %q\npage errors: %q\n%s", fmt.Sprintf(format, args...), blocked, problems, describe())
	}

	const (
		queryEditor  = ".graphiql-query-editor"
		responsePane = ".graphiql-response"
		executeBtn   = ".graphiql-execute-button"
	)
	var res graphiQLResult
	if err := chromedp.Do(tabCtx,
		chromedp.Navigate(baseURL+"/"),
		chromedp.WaitVisible(chromedp.CSS(queryEditor+" .CodeMirror")),
	); err != nil {
		fail("GraphiQL did not render its query editor at %s/: %v", baseURL, err)
	}
	query, err := chromedp.Run(tabCtx, chromedp.Poll[string](
		codeMirrorText(queryEditor)+`.includes("enterprises") && `+codeMirrorText(queryEditor),
		chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		fail("the query editor never showed the default query: %v", err)
	}
	res.query = query

	if err := chromedp.Do(tabCtx,
		chromedp.WaitEnabled(chromedp.CSS(executeBtn)),
		chromedp.Click(chromedp.CSS(executeBtn)),
	); err != nil {
		fail("clicking the execute button (%s): %v", executeBtn, err)
	}
	response, err := chromedp.Run(tabCtx, chromedp.Poll[string](
		codeMirrorText(responsePane)+`.includes('"totalCount"') && `+codeMirrorText(responsePane),
		chromedp.WithPollingTimeout(60*time.Second)))
	if err != nil {
		cur, _ := chromedp.Run(tabCtx, chromedp.Evaluate[string](codeMirrorText(responsePane)))
		fail("the response pane never showed \"totalCount\": %v; it shows %q", err, cur)
	}
	res.response = response

	if path := os.Getenv("E2E_SCREENSHOT"); path != "" {
		shot, err := chromedp.Run(tabCtx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Errorf("screenshot: %v", err)
		} else if err := os.WriteFile(path, shot, 0o644); err != nil {
			t.Errorf("writing the screenshot: %v", err)
		} else {
			t.Logf("screenshot written to %s", path)
		}
	}

	// Let late console messages and requests arrive before judging.
	_ = chromedp.Do(tabCtx, chromedp.Sleep(500*time.Millisecond))
	blocked, problems := run.snapshot()
	if len(blocked) > 0 {
		t.Errorf("the page requested %d resource(s) outside this machine (blocked); it must work without internet:\n  %s",
			len(blocked), strings.Join(blocked, "\n  "))
	}
	if len(problems) > 0 {
		t.Errorf("the page logged %d error(s):\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	if d := describe(); t.Failed() && d != "" {
		t.Logf("%s", d)
	}
	return res
}

var totalCountRE = regexp.MustCompile(`"totalCount"\s*:\s*(\d+)`)

// TestGraphiQLInBrowser serves the real binary, opens GraphiQL in a headless
// Chromium that cannot reach anything but this machine, runs the default
// query and checks the result.
func TestGraphiQLInBrowser(t *testing.T) {
	chrome := chromiumPath(t)
	bin := buildBinary(t)
	s := startServer(t, bin, t.TempDir())

	res := runGraphiQL(t, chrome, s.baseURL, s.describe)
	m := totalCountRE.FindStringSubmatch(res.response)
	if m == nil {
		t.Fatalf("no totalCount in the response pane:\n%s", res.response)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		t.Fatal(err)
	}
	if n < 300 {
		t.Fatalf("GraphiQL shows totalCount %d, want at least 300 (the demo dataset)\nquery:\n%s\nresponse:\n%s", n, res.query, res.response)
	}
	t.Logf("GraphiQL ran the default query; totalCount = %d", n)
}
