package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image/png"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/innograph/innograph/web"
)

// apiData POSTs a query to the server and decodes its data into v.
func (s *server) apiData(ctx context.Context, query string, v any) {
	s.t.Helper()
	var r graphQLResponse
	if err := json.Unmarshal(s.graphql(ctx, query), &r); err != nil {
		s.t.Fatal(err)
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		s.t.Fatalf("decoding the answer to %s: %v", query, err)
	}
}

// apiNode and apiSubgraph are the parts of the API's answers the tests
// compare with the explorer's view.
type apiNode struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Name string `json:"name"`
}

type apiSubgraph struct {
	Nodes       []apiNode             `json:"nodes"`
	Edges       []struct{ ID string } `json:"edges"`
	Truncated   bool                  `json:"truncated"`
	TruncatedBy string                `json:"truncatedBy"`
}

type apiPath struct {
	Length      int       `json:"length"`
	Explanation string    `json:"explanation"`
	Nodes       []apiNode `json:"nodes"`
	Hops        []struct {
		Relation struct{ ID string } `json:"relation"`
	} `json:"hops"`
}

// neighbourhood is what the explorer asks when a node is expanded with
// the default settings and a limit.
func (s *server) neighbourhood(ctx context.Context, id string, limit int) apiSubgraph {
	var d struct{ Neighborhood apiSubgraph }
	s.apiData(ctx, fmt.Sprintf(`{ neighborhood(id: %q, depth: 1, limit: %d) { nodes { id kind name } edges { id } truncated truncatedBy } }`, id, limit), &d)
	return d.Neighborhood
}

// explorerIdle is a JavaScript expression that is true when the explorer
// has loaded and neither waits for an answer nor lays the network out.
const explorerIdle = `(() => { const el = document.getElementById("explorer"); return !!el && el.dataset.ready === "1" && el.dataset.busy === "0"; })()`

// viewIDs is a JavaScript expression giving the ids of the entities in the
// network view, sorted.
const viewIDs = `innographExplorer.cy.nodes("[!more]").map(n => n.id()).sort()`

// explorerState describes what the explorer shows, for failure messages.
func explorerState(p *browserPage) func() string {
	return func() string {
		ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
		defer cancel()
		state, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`(() => {
			const text = (sel) => { const el = document.querySelector(sel); return el ? el.innerText.slice(0, 1500) : "(none)"; };
			const el = document.getElementById("explorer");
			return { url: location.href, busy: el ? el.dataset.busy : "", counts: text("#counts"), notices: text("#notices"), card: text("#card"), paths: text("#path-results"), scoreboard: text("#scoreboard").slice(0, 500) };
		})()`))
		if err != nil {
			return fmt.Sprintf("(could not read the page: %v)", err)
		}
		var b strings.Builder
		for _, k := range []string{"url", "busy", "counts", "notices", "card", "paths", "scoreboard"} {
			fmt.Fprintf(&b, "  %s:\n%s\n", k, indent(state[k]))
		}
		return "the explorer shows:\n" + b.String()
	}
}

// openExplorer opens baseURL+path (the explorer, with a fragment) in a
// Chromium that may only reach this machine and saves downloads in
// downloads, and waits until the page is idle.
func openExplorer(t testing.TB, chrome string, s *server, path, downloads string) *browserPage {
	t.Helper()
	p := openBrowser(t, chrome, s.describe)
	p.state = explorerState(p)
	if downloads != "" {
		if _, err := chromedp.Call(p.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior:     browser.SetDownloadBehaviorBehaviorAllow,
			DownloadPath: downloads,
		}); err != nil {
			t.Fatalf("letting the browser save downloads: %v", err)
		}
	}
	p.do(t, "opening "+path, uiTimeout, chromedp.Navigate(s.baseURL+path))
	pageWait[bool](t, p, "the explorer to load", explorerIdle, queryTimeout)
	return p
}

// clickNode centres the view on a node of the network, zooms in and clicks
// it with the mouse, as a person would.
func clickNode(t *testing.T, p *browserPage, id string) {
	t.Helper()
	xy := pageEval[[]float64](t, p, `(() => {
		const cy = innographExplorer.cy, n = cy.getElementById(`+jsString(id)+`);
		if (n.empty()) return null;
		cy.zoom(2); cy.center(n);
		const r = n.renderedPosition(), b = cy.container().getBoundingClientRect();
		return [b.left + r.x, b.top + r.y];
	})()`)
	if len(xy) != 2 {
		p.fail(t, "node %s is not in the network view", id)
	}
	p.do(t, "clicking node "+id, uiTimeout, chromedp.MouseClickXY(xy[0], xy[1]))
}

// waitFile waits for a completed download named name in dir and returns
// its content.
func waitFile(t *testing.T, p *browserPage, dir, name string) []byte {
	t.Helper()
	deadline := time.Now().Add(uiTimeout)
	for time.Now().Before(deadline) {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err == nil && len(b) > 0 {
			return b
		}
		time.Sleep(100 * time.Millisecond)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	p.fail(t, "no download %s in %s after %s; the directory holds %q", name, dir, uiTimeout, names)
	return nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestExplorerInBrowser drives the explorer (/explore) in a headless
// Chromium that cannot reach anything but this machine, as a planner
// would: search an enterprise, open its card, expand it and then one of its
// neighbours by clicking, draw the shortest paths to a university, open the
// plan's scoreboard and an indicator's contributors, export the view, copy
// its query, reload its URL and switch the language. Every expected count
// is computed from the API.
func TestExplorerInBrowser(t *testing.T) {
	chrome := chromiumPath(t)
	bin := buildBinary(t)
	s := startServer(t, bin, t.TempDir())
	ctx := context.Background()
	downloads := t.TempDir()

	// The expansion limit the test sets in the page: small, so that a
	// hub's neighbourhood is cut and collapsed.
	const limit = 6

	// A: the enterprise with the most relationships (ties: the first by id).
	var ents struct {
		Enterprises struct {
			Edges []struct {
				Node struct {
					apiNode
					Relations struct{ TotalCount int }
				}
			}
		}
	}
	s.apiData(ctx, `{ enterprises(first: 100) { edges { node { id kind name relations(first: 1) { totalCount } } } } }`, &ents)
	if len(ents.Enterprises.Edges) == 0 {
		t.Fatal("the demo data has no enterprises")
	}
	best := ents.Enterprises.Edges[0].Node
	for _, e := range ents.Enterprises.Edges {
		if e.Node.Relations.TotalCount > best.Relations.TotalCount {
			best = e.Node
		}
	}
	a := best.apiNode
	nbA := s.neighbourhood(ctx, a.ID, limit)
	// B: a neighbour of A in the view, an enterprise if there is one.
	var b apiNode
	for _, n := range nbA.Nodes {
		if n.ID != a.ID && (b.ID == "" || (n.Kind == "ENTERPRISE" && b.Kind != "ENTERPRISE")) {
			b = n
		}
	}
	if b.ID == "" {
		t.Fatalf("%s has no neighbours", a.ID)
	}
	nbB := s.neighbourhood(ctx, b.ID, limit)
	// C: the first university with a path from A within 4 hops.
	var unis struct {
		Universities struct{ Edges []struct{ Node apiNode } }
	}
	s.apiData(ctx, `{ universities(first: 50) { edges { node { id kind name } } } }`, &unis)
	var c apiNode
	var paths []apiPath
	for _, u := range unis.Universities.Edges {
		var d struct{ Paths struct{ Paths []apiPath } }
		s.apiData(ctx, fmt.Sprintf(`{ paths(from: %q, to: %q, maxHops: 4, k: 3) { paths { length explanation nodes { id kind name } hops { relation { id } } } } }`, a.ID, u.Node.ID), &d)
		if len(d.Paths.Paths) > 0 {
			c, paths = u.Node, d.Paths.Paths
			break
		}
	}
	if c.ID == "" {
		t.Fatalf("no university has a path from %s within 4 hops", a.ID)
	}
	t.Logf("A = %s %s (%d relationships), B = %s %s, C = %s %s (%d paths)", a.ID, a.Name, best.Relations.TotalCount, b.ID, b.Name, c.ID, c.Name, len(paths))

	// What the view must hold: the two entities found by search, both
	// neighbourhoods and the paths' nodes and relationships, and a "+N"
	// node for each neighbourhood the limit cut.
	wantNodes, wantEdges := map[string]bool{a.ID: true, c.ID: true}, map[string]bool{}
	wantMore := 0
	for _, nb := range []apiSubgraph{nbA, nbB} {
		for _, n := range nb.Nodes {
			wantNodes[n.ID] = true
		}
		for _, e := range nb.Edges {
			wantEdges[e.ID] = true
		}
		if nb.Truncated {
			wantMore++
		}
	}
	for _, p := range paths {
		for _, n := range p.Nodes {
			wantNodes[n.ID] = true
		}
		for _, h := range p.Hops {
			wantEdges[h.Relation.ID] = true
		}
	}

	p := openExplorer(t, chrome, s, web.ExplorePath, downloads)
	// Each step needs the one before: stop at the first that fails.
	step := func(name string, f func(t *testing.T)) {
		t.Helper()
		if !t.Run(name, f) {
			p.checkClean(t)
			t.FailNow()
		}
	}

	step("chinese by default", func(t *testing.T) {
		got := pageEval[[]string](t, p, `[document.documentElement.lang, document.querySelector("h1").textContent, document.querySelector(".tab[aria-selected=true]").textContent]`)
		if want := []string{"zh-CN", web.ExploreTitle, "关系网络"}; !slices.Equal(got, want) {
			p.fail(t, "language, title and open tab are %q, want %q", got, want)
		}
	})

	// search types name into the search field and picks the result id.
	search := func(t *testing.T, n apiNode) {
		t.Helper()
		p.do(t, "typing "+n.Name+" into the search field", uiTimeout,
			chromedp.Click(chromedp.CSS("#search")),
			chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
			chromedp.KeyEvent(kb.Delete),
			chromedp.KeyEvent(n.Name),
		)
		sel := `#results button.result[data-id="` + n.ID + `"]`
		kind := pageWait[string](t, p, "the search result "+n.ID, `(() => { const b = document.querySelector(`+jsString(sel)+`); return b ? b.querySelector(".kind").textContent : ""; })()`, queryTimeout)
		if kind == "" {
			p.fail(t, "the search result of %s shows no kind", n.ID)
		}
		p.do(t, "picking the result "+n.ID, uiTimeout, chromedp.Click(chromedp.CSS(sel)))
		pageWait[bool](t, p, "the card of "+n.ID, `document.querySelector("#card h3") && document.querySelector("#card h3").textContent.includes(`+jsString(n.Name)+`) && `+explorerIdle, queryTimeout)
	}

	step("search and card", func(t *testing.T) {
		search(t, a)
		card := pageEval[map[string]any](t, p, `({ text: document.querySelector("#card").innerText, charts: document.querySelectorAll("#card .figures canvas").length })`)
		text := card["text"].(string)
		for _, want := range []string{a.ID, "企业", strconv.Itoa(best.Relations.TotalCount)} {
			if !strings.Contains(text, want) {
				p.fail(t, "the card lacks %q:\n%s", want, text)
			}
		}
		var figs struct {
			Node struct{ Figures []struct{ Year int } }
		}
		s.apiData(ctx, fmt.Sprintf(`{ node(id: %q) { ... on Enterprise { figures { year } } } }`, a.ID), &figs)
		if charts := card["charts"].(float64); len(figs.Node.Figures) > 0 && charts == 0 {
			p.fail(t, "%s has %d years of figures but the card draws no chart", a.ID, len(figs.Node.Figures))
		}
		p.saveScreenshot(t)
	})

	step("expand twice", func(t *testing.T) {
		p.do(t, "typing the expansion limit", uiTimeout,
			chromedp.Click(chromedp.CSS("#limit")),
			chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
			chromedp.KeyEvent(kb.Delete),
			chromedp.KeyEvent(strconv.Itoa(limit)),
			chromedp.KeyEvent(kb.Tab),
		)
		pageWait[bool](t, p, "the limit in the URL", `location.hash.includes("l=`+strconv.Itoa(limit)+`")`, uiTimeout)
		p.do(t, "pressing the card's expand button", uiTimeout, chromedp.Click(chromedp.CSS(`#card button[data-act="expand"]`)))
		pageWait[bool](t, p, "the first expansion", `innographExplorer.state.expansions.length === 1 && `+explorerIdle, queryTimeout)
		if nbA.Truncated {
			notices := pageEval[string](t, p, `document.querySelector("#notices").innerText`)
			if !strings.Contains(notices, a.Name) || !strings.Contains(notices, fmt.Sprintf("上限 %d", limit)) {
				p.fail(t, "the neighbourhood of %s was cut at %d nodes, but no notice says so:\n%s", a.ID, limit, notices)
			}
		}
		clickNode(t, p, b.ID)
		pageWait[bool](t, p, "the second expansion", `innographExplorer.state.expansions.length === 2 && `+explorerIdle, queryTimeout)
		pageWait[bool](t, p, "the card of "+b.ID, `document.querySelector("#card h3").textContent.includes(`+jsString(b.Name)+`)`, uiTimeout)
		got := pageEval[[]string](t, p, viewIDs)
		want := map[string]bool{a.ID: true}
		for _, nb := range []apiSubgraph{nbA, nbB} {
			for _, n := range nb.Nodes {
				want[n.ID] = true
			}
		}
		if !slices.Equal(got, sortedKeys(want)) {
			p.fail(t, "after expanding %s and %s the view holds\n  %q\nwant (from the API)\n  %q", a.ID, b.ID, got, sortedKeys(want))
		}
		p.saveScreenshot(t)
	})

	step("paths", func(t *testing.T) {
		search(t, a)
		p.do(t, "setting the path's start", uiTimeout, chromedp.Click(chromedp.CSS(`#card button[data-act="from"]`)))
		search(t, c)
		p.do(t, "setting the path's end", uiTimeout, chromedp.Click(chromedp.CSS(`#card button[data-act="to"]`)))
		p.do(t, "finding the paths", uiTimeout, chromedp.Click(chromedp.CSS("#find-paths")))
		got := pageWait[[]map[string]any](t, p, "the paths", `(() => {
			const items = [...document.querySelectorAll("#path-results .path")];
			if (!items.length || !`+explorerIdle+`) return null;
			return items.map(el => ({ explanation: el.querySelector(".explanation").textContent, hops: el.querySelectorAll("ol li").length }));
		})()`, queryTimeout)
		if len(got) != len(paths) {
			p.fail(t, "the page lists %d paths, the API %d", len(got), len(paths))
		}
		for i, path := range paths {
			if got[i]["explanation"] != path.Explanation || int(got[i]["hops"].(float64)) != path.Length {
				p.fail(t, "path %d shows %v, want %q with %d hops explained", i+1, got[i], path.Explanation, path.Length)
			}
		}
		drawn := pageEval[float64](t, p, `innographExplorer.cy.edges(".path").length`)
		pathEdges := map[string]bool{}
		for _, path := range paths {
			for _, h := range path.Hops {
				pathEdges[h.Relation.ID] = true
			}
		}
		if int(drawn) != len(pathEdges) {
			p.fail(t, "%v relationships are drawn as path, want %d", drawn, len(pathEdges))
		}
		p.saveScreenshot(t)
	})

	step("node count", func(t *testing.T) {
		got := pageEval[[]string](t, p, viewIDs)
		if !slices.Equal(got, sortedKeys(wantNodes)) {
			p.fail(t, "the view holds %d entities\n  %q\nwant %d (from the API)\n  %q", len(got), got, len(wantNodes), sortedKeys(wantNodes))
		}
		edges := pageEval[[]string](t, p, `innographExplorer.cy.edges("[!more]").map(e => e.id()).sort()`)
		if !slices.Equal(edges, sortedKeys(wantEdges)) {
			p.fail(t, "the view holds %d relationships, want %d (from the API)", len(edges), len(wantEdges))
		}
		t.Logf("the view holds %d entities and %d relationships, with %d collapsed hubs, as the API's answers give", len(got), len(edges), wantMore)
		counts := pageEval[map[string]string](t, p, `({...document.querySelector("#counts").dataset})`)
		if counts["nodes"] != strconv.Itoa(len(wantNodes)) || counts["edges"] != strconv.Itoa(len(wantEdges)) || counts["more"] != strconv.Itoa(wantMore) {
			p.fail(t, "the counts say %v, want %d nodes, %d relationships and %d collapsed hubs", counts, len(wantNodes), len(wantEdges), wantMore)
		}
	})

	step("copy query", func(t *testing.T) {
		p.do(t, "pressing copy query", uiTimeout, chromedp.Click(chromedp.CSS("#copy-query")))
		query := pageWait[string](t, p, "the view's query", `(() => { const d = document.querySelector("#query-dialog"); return d && !d.hidden ? d.querySelector("textarea").value : ""; })()`, uiTimeout)
		var d map[string]json.RawMessage
		s.apiData(ctx, query, &d)
		got := map[string]bool{}
		for alias, raw := range d {
			switch {
			case alias == "seeds":
				var ns []apiNode
				_ = json.Unmarshal(raw, &ns)
				for _, n := range ns {
					got[n.ID] = true
				}
			case strings.HasPrefix(alias, "expand"):
				var sg apiSubgraph
				_ = json.Unmarshal(raw, &sg)
				for _, n := range sg.Nodes {
					got[n.ID] = true
				}
			case alias == "paths":
				var pr struct{ Paths []apiPath }
				_ = json.Unmarshal(raw, &pr)
				for _, path := range pr.Paths {
					for _, n := range path.Nodes {
						got[n.ID] = true
					}
				}
			}
		}
		if !slices.Equal(sortedKeys(got), sortedKeys(wantNodes)) {
			p.fail(t, "the copied query\n%s\nanswers %d entities, the view holds %d", query, len(got), len(wantNodes))
		}
		p.do(t, "closing the dialog", uiTimeout, chromedp.Click(chromedp.CSS("#query-dialog .dialog-close")))
	})

	step("scoreboard", func(t *testing.T) {
		var plans struct {
			Plans struct{ Edges []struct{ Node apiNode } }
		}
		s.apiData(ctx, `{ plans(first: 50) { edges { node { id kind name } } } }`, &plans)
		if len(plans.Plans.Edges) == 0 {
			t.Fatal("the demo data has no plan")
		}
		var prog struct {
			PlanProgress struct {
				Indicators []struct {
					Number       int
					Contributors struct{ TotalCount int }
				}
			}
		}
		s.apiData(ctx, fmt.Sprintf(`{ planProgress(plan: %q) { indicators { number contributors(first: 1) { totalCount } } } }`, plans.Plans.Edges[0].Node.ID), &prog)
		var want []string
		for _, i := range prog.PlanProgress.Indicators {
			want = append(want, strconv.Itoa(i.Number))
		}
		p.do(t, "opening the scoreboard", uiTimeout, chromedp.Click(chromedp.CSS(`.tab[data-view="plan"]`)))
		got := pageWait[[]string](t, p, "the indicators", `(() => {
			const els = [...document.querySelectorAll("#scoreboard .indicator")];
			return els.length && document.querySelector("#scoreboard .overview canvas") && els.every(el => el.querySelector("canvas")) ? els.map(el => el.dataset.number) : null;
		})()`, queryTimeout)
		if !slices.Equal(got, want) {
			p.fail(t, "the scoreboard shows the indicators %q, want %q", got, want)
		}
		p.saveScreenshot(t)
		first := prog.PlanProgress.Indicators[0]
		p.do(t, "opening the first indicator's contributors", uiTimeout, chromedp.Click(chromedp.CSS(`#scoreboard .indicator`)))
		rows := pageWait[float64](t, p, "the contributors", `document.querySelectorAll("#contributors table.contributors button[data-id]").length`, queryTimeout)
		if int(rows) != min(20, first.Contributors.TotalCount) {
			p.fail(t, "the first indicator lists %v contributors, want %d of %d", rows, min(20, first.Contributors.TotalCount), first.Contributors.TotalCount)
		}
		p.do(t, "back to the network", uiTimeout, chromedp.Click(chromedp.CSS(`.tab[data-view="net"]`)))
	})

	step("export", func(t *testing.T) {
		p.do(t, "exporting PNG", uiTimeout, chromedp.Click(chromedp.CSS("#export-png")))
		img := waitFile(t, p, downloads, "innograph-view.png")
		cfg, err := png.DecodeConfig(bytes.NewReader(img))
		if err != nil || cfg.Width < 100 || cfg.Height < 100 {
			p.fail(t, "the PNG export is not a picture of the view: %v, %dx%d", err, cfg.Width, cfg.Height)
		}
		p.do(t, "exporting SVG", uiTimeout, chromedp.Click(chromedp.CSS("#export-svg")))
		svg := waitFile(t, p, downloads, "innograph-view.svg")
		var doc struct {
			Texts []string `xml:"text"`
		}
		if err := xml.Unmarshal(svg, &doc); err != nil {
			p.fail(t, "the SVG export is no XML: %v\n%.300s", err, svg)
		}
		for _, n := range []apiNode{a, b, c} {
			if !slices.Contains(doc.Texts, n.Name) {
				p.fail(t, "the SVG export does not name %s (%s)", n.ID, n.Name)
			}
		}
		p.do(t, "exporting GEXF through /export", uiTimeout, chromedp.Click(chromedp.CSS("#export-gexf")))
		if gexf := waitFile(t, p, downloads, "innograph.gexf"); !bytes.Contains(gexf, []byte("<gexf")) || !bytes.Contains(gexf, []byte(`"`+a.ID+`"`)) {
			p.fail(t, "the GEXF export is not the neighbourhood of %s: %.300s", a.ID, gexf)
		}
	})

	step("url restores the view", func(t *testing.T) {
		before := pageEval[[]string](t, p, viewIDs)
		url := pageEval[string](t, p, `location.href`)
		p.do(t, "leaving the page", uiTimeout, chromedp.Navigate("about:blank"))
		p.do(t, "opening the view's URL", uiTimeout, chromedp.Navigate(url))
		pageWait[bool](t, p, "the explorer to restore the view", explorerIdle, queryTimeout)
		after := pageEval[[]string](t, p, viewIDs)
		if !slices.Equal(after, before) {
			p.fail(t, "the URL %s restores %d entities, the view had %d", url, len(after), len(before))
		}
		if n := pageEval[float64](t, p, `document.querySelectorAll("#path-results .path").length`); int(n) != len(paths) {
			p.fail(t, "the URL restores %v paths, want %d", n, len(paths))
		}
	})

	step("english", func(t *testing.T) {
		p.do(t, "switching to English", uiTimeout, chromedp.Click(chromedp.CSS("#lang")))
		got := pageEval[[]string](t, p, `[document.documentElement.lang, document.querySelector(".tab[aria-selected=true]").textContent, document.querySelector("#path-results .path-title").textContent]`)
		if want := []string{"en", "Network", fmt.Sprintf("Path 1 (%d hop", paths[0].Length)}; got[0] != want[0] || got[1] != want[1] || !strings.HasPrefix(got[2], want[2]) {
			p.fail(t, "after the switch, language, tab and first path read %q, want %q", got, want)
		}
		if !pageEval[bool](t, p, `location.hash.includes("lang=en")`) {
			p.fail(t, "the URL does not keep the language")
		}
		p.do(t, "switching back to Chinese", uiTimeout, chromedp.Click(chromedp.CSS("#lang")))
	})

	step("supply chain", func(t *testing.T) {
		var d struct {
			SupplyChain struct {
				District             string
				Upstream, Downstream []struct {
					Tier        int
					Enterprises []struct{ ID, District string }
					Edges       []struct{ ID string }
				}
			}
		}
		s.apiData(ctx, fmt.Sprintf(`{ supplyChain(enterprise: %q, direction: BOTH, depth: 3, limit: 300) { district upstream { tier enterprises { id district } edges { id } } downstream { tier enterprises { id district } edges { id } } } }`, a.ID), &d)
		sc := d.SupplyChain
		nodes, outside := maps.Clone(wantNodes), map[string]bool{}
		tiers := 0
		for _, tier := range append(sc.Upstream, sc.Downstream...) {
			tiers++
			for _, e := range tier.Enterprises {
				nodes[e.ID] = true
				if e.District != sc.District {
					outside[e.ID] = true
				}
			}
		}
		search(t, a)
		p.do(t, "pressing the card's supply chain button", uiTimeout, chromedp.Click(chromedp.CSS(`#card button[data-act="supply"]`)))
		got := pageWait[map[string]any](t, p, "the supply chain", `(() => {
			const rows = document.querySelectorAll("#supply table.tiers tr[data-tier]").length;
			if (!rows || !`+explorerIdle+`) return null;
			return { rows, ids: `+viewIDs+`, outside: innographExplorer.cy.nodes(".outside").map(n => n.id()).sort() };
		})()`, queryTimeout)
		if int(got["rows"].(float64)) != tiers {
			p.fail(t, "the supply chain table has %v tiers, the API %d", got["rows"], tiers)
		}
		if ids := fmt.Sprint(got["ids"]); ids != fmt.Sprint(sortedKeys(nodes)) {
			p.fail(t, "with the supply chain the view holds\n  %s\nwant\n  %v", ids, sortedKeys(nodes))
		}
		if o := fmt.Sprint(got["outside"]); o != fmt.Sprint(sortedKeys(outside)) {
			p.fail(t, "the view marks %s outside %s, want %v", o, sc.District, sortedKeys(outside))
		}
		wantNodes = nodes
	})

	step("communities", func(t *testing.T) {
		var d struct {
			Communities struct {
				Communities []struct {
					ID      int
					Members []struct{ ID string }
				}
			}
		}
		s.apiData(ctx, `{ communities(algorithm: LOUVAIN, first: 100, membersFirst: 500) { communities { id members { id } } } }`, &d)
		in := map[int]bool{}
		for _, c := range d.Communities.Communities {
			for _, m := range c.Members {
				if wantNodes[m.ID] {
					in[c.ID] = true
				}
			}
		}
		p.do(t, "colouring by Louvain communities", uiTimeout, chromedp.SetValue(chromedp.CSS("#colour-by"), "LOUVAIN"))
		pageEval[bool](t, p, `document.querySelector("#colour-by").dispatchEvent(new Event("change")) || true`)
		got := pageWait[string](t, p, "the communities", `(() => { const el = document.getElementById("explorer"); return `+explorerIdle+` && el.dataset.communities ? el.dataset.communities : ""; })()`, queryTimeout)
		if got != strconv.Itoa(len(in)) {
			p.fail(t, "the view's nodes are coloured in %s communities, the API puts them in %d", got, len(in))
		}
		if uncoloured := pageEval[float64](t, p, `innographExplorer.cy.nodes("[!more]").filter(n => !n.data("community")).length`); uncoloured != 0 {
			p.fail(t, "%v nodes have no community colour", uncoloured)
		}
		p.saveScreenshot(t)
	})

	p.checkClean(t)
}

// threadTime returns the CPU time (in seconds) that the page's main thread
// has used: with Performance.enable on thread ticks, the ThreadTime metric.
func threadTime(b *testing.B, p *browserPage) float64 {
	b.Helper()
	r, err := chromedp.Call(p.ctx, performance.GetMetrics, cdp.Empty{})
	if err != nil {
		b.Fatalf("Performance.getMetrics: %v", err)
	}
	for _, m := range r.Metrics {
		if m.Name == "ThreadTime" {
			return m.Value
		}
	}
	b.Fatal("Performance.getMetrics gives no ThreadTime")
	return 0
}

// BenchmarkExplorerLayout opens the explorer on a URL that expands one node
// to a neighbourhood of 500 nodes (depth 3, limit 500), and measures in
// headless Chromium:
//
//   - load-ms: from navigation until the page is idle (the bundle loaded,
//     the neighbourhood fetched and drawn, the layout done);
//   - layout-ms: a new layout of that view, from its start to its end, as
//     the page records it;
//   - layout-cpu-ms: the CPU time of the page's main thread in that layout,
//     which a machine busy with other work changes less than the time on
//     the clock.
//
// The node is the enterprise with the most relationships whose
// neighbourhood reaches 500 nodes; docs/benchmarks.md records the results.
func BenchmarkExplorerLayout(b *testing.B) {
	chrome := chromiumPath(b)
	bin := buildBinary(b)
	s := startServer(b, bin, b.TempDir())
	ctx := context.Background()
	const size, depth = 500, 3

	var ents struct {
		Enterprises struct {
			Edges []struct {
				Node struct {
					ID        string
					Relations struct{ TotalCount int }
				}
			}
		}
	}
	s.apiData(ctx, `{ enterprises(first: 100) { edges { node { id relations(first: 1) { totalCount } } } } }`, &ents)
	edges := ents.Enterprises.Edges
	sort.SliceStable(edges, func(i, j int) bool { return edges[i].Node.Relations.TotalCount > edges[j].Node.Relations.TotalCount })
	var id string
	var nb apiSubgraph
	for _, e := range edges {
		var d struct{ Neighborhood apiSubgraph }
		s.apiData(ctx, fmt.Sprintf(`{ neighborhood(id: %q, depth: %d, limit: %d) { nodes { id } edges { id } truncated } }`, e.Node.ID, depth, size), &d)
		if len(d.Neighborhood.Nodes) == size {
			id, nb = e.Node.ID, d.Neighborhood
			break
		}
	}
	if id == "" {
		b.Fatalf("no enterprise has a neighbourhood of %d nodes within %d hops", size, depth)
	}
	url := fmt.Sprintf("%s%s#x=%s~%d&d=%d", s.baseURL, web.ExplorePath, id, size, depth)
	p := openExplorer(b, chrome, s, web.ExplorePath, "")
	var load, layout, cpu float64
	b.ResetTimer()
	for range b.N {
		p.do(b, "leaving the page", uiTimeout, chromedp.Navigate("about:blank"))
		start := time.Now()
		p.do(b, "opening "+url, uiTimeout, chromedp.Navigate(url))
		pageWait[bool](b, p, "the view of 500 nodes", explorerIdle+` && innographExplorer.cy.nodes("[!more]").length === `+strconv.Itoa(size), queryTimeout)
		load += float64(time.Since(start).Milliseconds())

		if _, err := chromedp.Call(p.ctx, performance.Enable, performance.EnableParams{TimeDomain: performance.EnableTimeDomainThreadTicks}); err != nil {
			b.Fatalf("Performance.enable: %v", err)
		}
		before := threadTime(b, p)
		// A layout of a view this big runs without animation, so it has
		// ended when layout() returns.
		ms, err := strconv.ParseFloat(pageEval[string](b, p, `(innographExplorer.layout(true), document.getElementById("explorer").dataset.layoutMs)`), 64)
		if err != nil {
			b.Fatalf("reading the layout time: %v", err)
		}
		cpu += 1000 * (threadTime(b, p) - before)
		layout += ms
		pageWait[bool](b, p, "the page to be idle after the layout", explorerIdle, uiTimeout)
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(load/n, "load-ms")
	b.ReportMetric(layout/n, "layout-ms")
	b.ReportMetric(cpu/n, "layout-cpu-ms")
	b.ReportMetric(float64(len(nb.Nodes)), "nodes")
	b.ReportMetric(float64(len(nb.Edges)), "relationships")
	p.checkClean(b)
}
