package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/innograph/innograph/web"
)

// defaultChromiumPath is where Debian's chromium package installs the
// browser. The environment variable CHROMIUM_PATH overrides it.
const defaultChromiumPath = "/usr/bin/chromium"

// browserTimeout bounds everything the browser does in one test.
const browserTimeout = 5 * time.Minute

// chromiumPath returns the browser to drive. Without one the test is skipped,
// except in CI (CI=true), where a missing browser is a failure.
func chromiumPath(t testing.TB) string {
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

// checkVariables records a GraphQL request that sends a variable as null:
// the pages leave out a variable that has no value, so that its argument
// takes its default (a null is refused where the argument has one, as in
// `first: Int! = 20`) or stays unset.
func (r *browserRun) checkVariables(req *network.Request) {
	u, err := url.Parse(req.URL)
	if err != nil || req.Method != "POST" || u.Path != "/graphql" {
		return
	}
	var body []byte
	for _, e := range req.PostDataEntries {
		body = append(body, e.Bytes...)
	}
	var params struct {
		Variables map[string]json.RawMessage `json:"variables"`
	}
	if err := json.Unmarshal(body, &params); err != nil {
		r.problem("the body of a GraphQL request is not JSON (%v): %.300s", err, body)
		return
	}
	for name, v := range params.Variables {
		if string(v) == "null" {
			r.problem("a GraphQL request sends $%s as null: %.300s", name, body)
		}
	}
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

// The parts of the GraphiQL page the test drives: GraphiQL 4 class names
// and labels, and the query builder added by web/ui/src/graphiql.jsx.
const (
	queryEditor   = ".graphiql-query-editor"
	responsePane  = ".graphiql-response"
	executeButton = ".graphiql-execute-button"
	newTabButton  = `button[aria-label="New tab"]`
	docsButton    = `button[aria-label="Show Documentation Explorer"]`
	docExplorer   = ".graphiql-doc-explorer"
	builderTitle  = "Query Builder · 查询构建器"
	builderPane   = ".graphiql-explorer-root"
)

// Time limits of single steps in the browser. They only bound waiting for
// something to appear; nothing is measured.
const (
	// uiTimeout bounds the wait for the page to react to a click or a key.
	uiTimeout = 30 * time.Second
	// queryTimeout bounds the wait for the answer of a query that runs.
	queryTimeout = 90 * time.Second
)

// codeMirrorText returns a JavaScript expression giving the text of the
// CodeMirror editor inside the element matched by selector ("" if absent).
func codeMirrorText(selector string) string {
	return fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		if (!el) return "";
		return el.CodeMirror ? el.CodeMirror.getValue() : el.textContent;
	})()`, selector+" .CodeMirror")
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// tabButton returns a JavaScript expression giving the tab button whose text
// is title (null if there is none).
func tabButton(title string) string {
	return fmt.Sprintf(`[...document.querySelectorAll(".graphiql-tab-button")].find(b => b.textContent === %s) || null`, jsString(title))
}

// browserPage is a page of the server open in a headless Chromium that may
// only reach the loopback interface.
type browserPage struct {
	ctx      context.Context // the browser tab
	run      *browserRun
	describe func() string // the server's state, for failure messages
	// state describes what the page shows, for failure messages; nil for
	// GraphiQL's own description (shows).
	state func() string
}

// openGraphiQL starts Chromium, blocks (and records) every request that
// does not go to this machine, and opens baseURL+"/". The browser ends with
// the test.
func openGraphiQL(t testing.TB, chromePath, baseURL string, describe func() string) *browserPage {
	t.Helper()
	p := openBrowser(t, chromePath, describe)
	p.do(t, "opening "+baseURL+"/ and waiting for GraphiQL's query editor", uiTimeout,
		chromedp.Navigate(baseURL+"/"),
		chromedp.WaitVisible(chromedp.CSS(queryEditor+" .CodeMirror")),
	)
	return p
}

// openBrowser starts Chromium on about:blank and blocks (and records) every
// request that does not go to this machine. The browser ends with the test.
func openBrowser(t testing.TB, chromePath string, describe func() string) *browserPage {
	t.Helper()
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
	t.Cleanup(cancel)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)

	p := &browserPage{run: &browserRun{}, describe: describe}
	tabCtx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(p.run.listen))
	t.Cleanup(cancelTab)
	p.ctx = tabCtx

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
				p.run.checkVariables(ev.Request)
				_, err = chromedp.Call(tabCtx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
			} else {
				p.run.block(ev.Request.URL)
				_, err = chromedp.Call(tabCtx, fetch.FailRequest, fetch.FailRequestParams{
					RequestID:   ev.RequestID,
					ErrorReason: network.ErrorReasonBlockedByClient,
				})
			}
			if err != nil && tabCtx.Err() == nil {
				p.run.problem("answering the paused request %s: %v", ev.Request.URL, err)
			}
		}
	}()
	if _, err := chromedp.Call(tabCtx, fetch.Enable, fetch.EnableParams{
		Patterns: []*fetch.RequestPattern{{URLPattern: "*"}},
	}); err != nil {
		t.Fatalf("Fetch.enable: %v", err)
	}
	return p
}

// shows describes what the page shows, for failure messages.
func (p *browserPage) shows() string {
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	defer cancel()
	state, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`(() => {
		const text = (sel) => { const el = document.querySelector(sel); return el ? el.innerText.slice(0, 1500) : "(none)"; };
		return {
			query: `+codeMirrorText(queryEditor)+`,
			response: `+codeMirrorText(responsePane)+`,
			tabs: [...document.querySelectorAll(".graphiql-tab-button")].map(b => b.textContent).join(" | "),
			sidebar: [...document.querySelectorAll(".graphiql-sidebar button")].map(b => b.getAttribute("aria-label")).join(" | "),
			plugin: text(".graphiql-plugin"),
		};
	})()`))
	if err != nil {
		return fmt.Sprintf("(could not read the page: %v)", err)
	}
	return fmt.Sprintf("the page shows:\n  tabs: %s\n  sidebar: %s\n  query editor:\n%s\n  response pane:\n%s\n  side pane:\n%s",
		state["tabs"], state["sidebar"], indent(state["query"]), indent(state["response"]), indent(state["plugin"]))
}

func indent(s string) string {
	if s == "" {
		return "    (empty)"
	}
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

// screenshot saves the page as a PNG file and returns its path.
func (p *browserPage) screenshot(path string) (string, error) {
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return "", err
	}
	return path, os.WriteFile(path, shot, 0o644)
}

// shotName turns a test name into a file name.
var shotName = strings.NewReplacer("/", "-", " ", "_")

// fail ends the test t with the message, a screenshot and what the page
// and the server show.
func (p *browserPage) fail(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if path, err := p.screenshot(filepath.Join(os.TempDir(), "innograph-e2e-"+shotName.Replace(t.Name())+".png")); err == nil {
		msg += "\nscreenshot of the page: " + path
	}
	blocked, problems := p.run.snapshot()
	shows := p.shows
	if p.state != nil {
		shows = p.state
	}
	t.Fatalf("%s\n%s\nblocked requests: %q\npage errors: %q\n%s", msg, shows(), blocked, problems, p.describe())
}

// do runs the actions within timeout and fails t if they do not succeed.
func (p *browserPage) do(t testing.TB, what string, timeout time.Duration, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.fail(t, "%s: %v", what, err)
	}
}

// pageWait polls the JavaScript expression until it gives a truthy value,
// and returns that value. It fails t after timeout, saying what it waited
// for.
func pageWait[T any](t testing.TB, p *browserPage, what, expr string, timeout time.Duration) T {
	t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Poll[T](expr, chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(100*time.Millisecond)))
	if err != nil {
		p.fail(t, "waiting for %s: %v", what, err)
	}
	return v
}

// pageEval returns the value of the JavaScript expression.
func pageEval[T any](t testing.TB, p *browserPage, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, uiTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.fail(t, "evaluating %s: %v", expr, err)
	}
	return v
}

// saveScreenshot keeps a picture of the page in the directory named by
// E2E_SCREENSHOTS, when set, to look at what a step left on the screen.
func (p *browserPage) saveScreenshot(t testing.TB) {
	t.Helper()
	dir := os.Getenv("E2E_SCREENSHOTS")
	if dir == "" {
		return
	}
	path, err := p.screenshot(filepath.Join(dir, shotName.Replace(t.Name())+".png"))
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	t.Logf("screenshot: %s", path)
}

// response waits until the response pane shows a complete JSON response
// and decodes it.
func (p *browserPage) response(t testing.TB, what string) (graphQLResponse, string) {
	t.Helper()
	text := pageWait[string](t, p, what, `(() => {
		const text = `+codeMirrorText(responsePane)+`;
		if (!text.trim() || document.querySelector(".graphiql-response .graphiql-spinner")) return "";
		try { JSON.parse(text); return text; } catch { return ""; }
	})()`, queryTimeout)
	var r graphQLResponse
	if err := json.Unmarshal([]byte(text), &r); err != nil {
		p.fail(t, "%s: the response pane shows no GraphQL response: %v", what, err)
	}
	return r, text
}

// execute presses GraphiQL's run button and returns the response it shows,
// failing t if the response has errors or no data.
func (p *browserPage) execute(t testing.TB, what string) (graphQLResponse, string) {
	t.Helper()
	if got := pageEval[string](t, p, codeMirrorText(responsePane)); strings.TrimSpace(got) != "" {
		p.fail(t, "%s: the response pane is not empty before running the query", what)
	}
	p.do(t, "pressing the run button ("+executeButton+")", uiTimeout,
		chromedp.WaitEnabled(chromedp.CSS(executeButton)),
		chromedp.Click(chromedp.CSS(executeButton)),
	)
	r, text := p.response(t, "the response of "+what)
	if len(r.Errors) > 0 || len(r.Data) == 0 || string(r.Data) == "null" {
		p.fail(t, "%s: the response has errors or no data", what)
	}
	return r, text
}

// newTab opens a tab with the "+" button and waits for its query, the
// default query of the page.
func (p *browserPage) newTab(t testing.TB) {
	t.Helper()
	p.do(t, "opening a new tab", uiTimeout, chromedp.Click(chromedp.CSS(newTabButton)))
	pageWait[bool](t, p, "the new tab's query (web.DefaultQuery)",
		codeMirrorText(queryEditor)+` === `+jsString(web.DefaultQuery), uiTimeout)
}

// trouble returns the requests to outside this machine and the errors the
// page logged so far, as failure messages.
func (p *browserPage) trouble() []string {
	// Let late console messages and requests arrive before judging.
	_ = chromedp.Do(p.ctx, chromedp.Sleep(500*time.Millisecond))
	blocked, logged := p.run.snapshot()
	var problems, msgs []string
	for _, msg := range logged {
		if !harmlessPageError(msg) {
			problems = append(problems, msg)
		}
	}
	if len(blocked) > 0 {
		msgs = append(msgs, fmt.Sprintf("the page requested %d resource(s) outside this machine (blocked); it must work without internet:\n  %s",
			len(blocked), strings.Join(blocked, "\n  ")))
	}
	if len(problems) > 0 {
		msgs = append(msgs, fmt.Sprintf("the page logged %d error(s):\n  %s", len(problems), strings.Join(problems, "\n  ")))
	}
	return msgs
}

// checkClean fails t if the page requested anything outside this machine
// or logged an error.
func (p *browserPage) checkClean(t testing.TB) {
	t.Helper()
	trouble := p.trouble()
	for _, msg := range trouble {
		t.Error(msg)
	}
	if len(trouble) > 0 {
		t.Logf("%s", p.describe())
	}
}

// harmlessPageError reports whether a logged error is a known notice that
// does not concern the user: the query builder (graphiql-explorer 0.9)
// reports with console.error each argument whose value it cannot show as a
// form, such as a list (kinds: [ENTERPRISE]); it leaves the query as it is,
// and the query runs.
func harmlessPageError(msg string) bool {
	return strings.HasPrefix(msg, `console.error: "arg mismatch between arg and selection" `)
}

// schemaTypes are types of schema.graphqls that the documentation pane must
// list.
var schemaTypes = []string{"Query", "Mutation", "Enterprise", "Incubator", "Makerspace", "Talent", "University", "ServiceAgency", "Policy", "Industry", "Plan", "Indicator"}

// TestGraphiQLInBrowser serves the real binary with its default limits and
// the demo dataset, opens GraphiQL in a headless Chromium that cannot reach
// anything but this machine, and checks what a planner meets there: a page
// without errors, the documentation, autocompletion, the query builder and
// the example tabs, each answering without errors.
func TestGraphiQLInBrowser(t *testing.T) {
	chrome := chromiumPath(t)
	bin := buildBinary(t)
	// No flags but the address and the data directory: the default limits.
	s := startServer(t, bin, t.TempDir())
	p := openGraphiQL(t, chrome, s.baseURL, s.describe)
	examples := web.Examples()

	ok := t.Run("load", func(t *testing.T) {
		// The page fetches the schema by itself. Wait until the query
		// builder lists the schema's fields or the response pane shows
		// something (GraphiQL shows a failed schema fetch there).
		got := pageWait[string](t, p, "the schema in the query builder (it opens with the page)", `(() => {
			const response = `+codeMirrorText(responsePane)+`;
			if (response.trim()) return "response";
			return document.querySelector(`+jsString(builderPane+" [data-field-name]")+`) ? "schema" : "";
		})()`, queryTimeout)
		response := pageEval[string](t, p, codeMirrorText(responsePane))
		if got != "schema" || strings.TrimSpace(response) != "" {
			p.fail(t, "after loading, before anything is pressed, the response pane must be empty; it shows:\n%s", response)
		}
		visible := pageEval[bool](t, p, `(() => {
			const pane = document.querySelector(".graphiql-plugin");
			return !!pane && getComputedStyle(pane).opacity !== "0" && !!pane.querySelector(`+jsString(builderPane)+`)
				&& !!document.querySelector(`+jsString(`button[aria-label="Hide `+builderTitle+`"]`)+`);
		})()`)
		if !visible {
			p.fail(t, "the query builder is not shown after loading")
		}

		titles := pageEval[[]string](t, p, `[...document.querySelectorAll(".graphiql-tab-button")].map(b => b.textContent)`)
		var want []string
		for _, ex := range examples {
			want = append(want, ex.Title)
		}
		if !slices.Equal(titles, want) {
			p.fail(t, "the tabs are titled\n  %q\nwant the example questions (web/examples.graphql)\n  %q", titles, want)
		}
		if query := pageEval[string](t, p, codeMirrorText(queryEditor)); strings.TrimSpace(query) != strings.TrimSpace(examples[0].Query) {
			p.fail(t, "the first tab's query is\n%s\nwant\n%s", query, examples[0].Query)
		}
		if trouble := p.trouble(); len(trouble) > 0 {
			p.fail(t, "after loading:\n%s", strings.Join(trouble, "\n"))
		}
		p.saveScreenshot(t)
	})
	if !ok {
		p.checkClean(t)
		t.Fatal("the page did not load cleanly; the other checks need its schema")
	}

	t.Run("documentation", func(t *testing.T) {
		p.do(t, "opening the documentation pane", uiTimeout,
			chromedp.Click(chromedp.CSS(docsButton)),
			chromedp.WaitVisible(chromedp.CSS(docExplorer)),
		)
		listed := pageWait[[]string](t, p, "the schema's types in the documentation pane", `(() => {
			const names = [...document.querySelectorAll(".graphiql-doc-explorer a.graphiql-doc-explorer-type-name")].map(a => a.textContent);
			return names.includes("Enterprise") ? names : null;
		})()`, uiTimeout)
		for _, typ := range schemaTypes {
			if !slices.Contains(listed, typ) {
				p.fail(t, "the documentation pane does not list the type %s; it lists %q", typ, listed)
			}
		}
		// Open Enterprise: its fields are documented.
		p.do(t, "clicking Enterprise in the documentation pane", uiTimeout, chromedp.Click(chromedp.JSPath(
			`[...document.querySelectorAll(".graphiql-doc-explorer a.graphiql-doc-explorer-type-name")].find(a => a.textContent === "Enterprise")`)))
		pageWait[bool](t, p, "the fields of Enterprise in the documentation pane", `(() => {
			const el = document.querySelector(".graphiql-doc-explorer");
			const title = el && el.querySelector(".graphiql-doc-explorer-title");
			return !!title && title.textContent === "Enterprise" && el.innerText.includes("creditCode");
		})()`, uiTimeout)
		p.saveScreenshot(t)
	})

	t.Run("autocompletion", func(t *testing.T) {
		p.newTab(t)
		p.do(t, "typing { enterp in the query editor", uiTimeout,
			chromedp.Click(chromedp.CSS(queryEditor+" .CodeMirror-lines")),
			chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
			chromedp.KeyEvent(kb.Delete),
			chromedp.KeyEvent("{ enterp"),
		)
		hints := pageWait[[]string](t, p, "a completion list offering enterprises", `(() => {
			const items = [...document.querySelectorAll(".CodeMirror-hints .CodeMirror-hint")].map(li => li.textContent);
			return items.includes("enterprises") ? items : null;
		})()`, uiTimeout)
		t.Logf("completions offered for { enterp: %q", hints)
		p.saveScreenshot(t)
		// Accept it; the query then lacks a selection of enterprises'
		// fields, which the editor marks as an error.
		p.do(t, "accepting the completion with Enter", uiTimeout, chromedp.KeyEvent(kb.Enter))
		pageWait[bool](t, p, "enterprises in the query editor and its missing selection marked as an error",
			`/\benterprises\b/.test(`+codeMirrorText(queryEditor)+`) && !!document.querySelector(".graphiql-query-editor .CodeMirror-lint-mark-error, .graphiql-query-editor .CodeMirror-lint-mark")`, uiTimeout)
	})

	t.Run("query builder", func(t *testing.T) {
		p.newTab(t)
		if pageEval[bool](t, p, `!!document.querySelector(`+jsString(`button[aria-label="Show `+builderTitle+`"]`)+`)`) {
			p.do(t, "opening the query builder", uiTimeout, chromedp.Click(chromedp.CSS(`button[aria-label="Show `+builderTitle+`"]`)))
		}
		p.do(t, "ticking stats, then its field nodes, in the query builder", uiTimeout,
			chromedp.Click(chromedp.CSS(builderPane+` .graphiql-explorer-stats > span[data-field-name="stats"]`)),
			chromedp.Click(chromedp.CSS(builderPane+` .graphiql-explorer-stats .graphiql-explorer-nodes > span[data-field-name="nodes"]`)),
		)
		query := pageWait[string](t, p, "stats { nodes } in the query editor",
			`(() => { const q = `+codeMirrorText(queryEditor)+`; return /stats\s*\{\s*nodes\s*\}/.test(q) ? q : ""; })()`, uiTimeout)
		if !strings.Contains(query, "enterprises") {
			p.fail(t, "the query builder dropped the tab's query:\n%s", query)
		}
		r, text := p.execute(t, "the query built by ticking stats and nodes")
		var data struct {
			Enterprises struct{ TotalCount int }
			Stats       struct{ Nodes int }
		}
		if err := json.Unmarshal(r.Data, &data); err != nil {
			p.fail(t, "decoding the response %s: %v", text, err)
		}
		if data.Stats.Nodes < 300 || data.Enterprises.TotalCount < 300 {
			p.fail(t, "the response counts %d nodes and %d enterprises, want at least 300 of each (the demo dataset):\n%s",
				data.Stats.Nodes, data.Enterprises.TotalCount, text)
		}
		t.Logf("built and ran:\n%s\nstats.nodes = %d, enterprises.totalCount = %d", query, data.Stats.Nodes, data.Enterprises.TotalCount)
		p.saveScreenshot(t)
	})

	for _, ex := range examples {
		t.Run("example "+ex.Operation, func(t *testing.T) {
			p.do(t, "switching to the tab "+ex.Title, uiTimeout, chromedp.Click(chromedp.JSPath(tabButton(ex.Title))))
			pageWait[bool](t, p, "the query of the tab "+ex.Title,
				codeMirrorText(queryEditor)+`.trim() === `+jsString(strings.TrimSpace(ex.Query)), uiTimeout)
			// GraphiQL reads the operation name of a new text 100 ms after
			// it changes, and sends the one it knows when run.
			pageWait[bool](t, p, "GraphiQL to read the operation name "+ex.Operation,
				`document.querySelector(`+jsString(queryEditor+" .CodeMirror")+`).CodeMirror.operationName === `+jsString(ex.Operation), uiTimeout)
			_, text := p.execute(t, "the example "+ex.Operation)
			t.Logf("%s: %d bytes of response", ex.Title, len(text))
		})
	}

	p.checkClean(t)
}
