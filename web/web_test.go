package web

import (
	"bytes"
	"compress/gzip"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

const testEndpoint = "/graphql"

// get runs one request against a fresh Handler.
func get(t *testing.T, method, target string, header http.Header) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	Handler(testEndpoint).ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustAssets(t *testing.T) map[string]*asset {
	t.Helper()
	assets, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	return assets
}

// versioned returns the URL of an asset as the page references it.
func versioned(t *testing.T, name string) string {
	t.Helper()
	a := mustAssets(t)[name]
	if a == nil {
		t.Fatalf("asset %s is not embedded", name)
	}
	return assetURL(name, a)
}

func TestServesPageAndAssets(t *testing.T) {
	tests := []struct {
		name        string
		target      string
		contentType string
		cache       string
		contains    []string
	}{
		{
			name:        "page",
			target:      "/",
			contentType: "text/html; charset=utf-8",
			cache:       "no-cache",
			contains: []string{
				"<title>InnoGraph — GraphiQL</title>",
				`data-endpoint="/graphql"`,
				versioned(t, scriptAsset),
				versioned(t, styleAsset),
				versioned(t, iconAsset),
			},
		},
		{
			name:        "explorer",
			target:      ExplorePath,
			contentType: "text/html; charset=utf-8",
			cache:       "no-cache",
			contains: []string{
				"<title>" + ExploreTitle + "</title>",
				`data-endpoint="/graphql"`,
				`data-export="` + ExportPath + `"`,
				versioned(t, exploreScriptAsset),
				versioned(t, exploreStyleAsset),
				versioned(t, iconAsset),
			},
		},
		{
			name:        "explorer script",
			target:      versioned(t, exploreScriptAsset),
			contentType: "text/javascript; charset=utf-8",
			cache:       "public, max-age=31536000, immutable",
			// Cytoscape.js, its fCoSE layout and ECharts are bundled.
			contains: []string{"fcose", "cytoscape", "echarts", "ExploreExpand"},
		},
		{
			name:        "explorer stylesheet",
			target:      versioned(t, exploreStyleAsset),
			contentType: "text/css; charset=utf-8",
			cache:       "public, max-age=31536000, immutable",
			contains:    []string{"#cy"},
		},
		{
			name:        "script",
			target:      versioned(t, scriptAsset),
			contentType: "text/javascript; charset=utf-8",
			cache:       "public, max-age=31536000, immutable",
			contains:    []string{"graphiql-execute-button"},
		},
		{
			name:        "stylesheet",
			target:      versioned(t, styleAsset),
			contentType: "text/css; charset=utf-8",
			cache:       "public, max-age=31536000, immutable",
			contains:    []string{".graphiql-container", "@font-face"},
		},
		{
			name:        "icon",
			target:      versioned(t, iconAsset),
			contentType: "image/svg+xml",
			cache:       "public, max-age=31536000, immutable",
			contains:    []string{"<svg"},
		},
		{
			name:        "license notices",
			target:      AssetPrefix + scriptAsset + ".LEGAL.txt",
			contentType: "text/plain; charset=utf-8",
			cache:       "no-cache",
			contains:    []string{"MIT"},
		},
		{
			// Without the version the content may change: revalidate.
			name:        "script without version",
			target:      AssetPrefix + scriptAsset,
			contentType: "text/javascript; charset=utf-8",
			cache:       "no-cache",
		},
		{
			name:        "script with a stale version",
			target:      AssetPrefix + scriptAsset + "?v=0123456789abcdef",
			contentType: "text/javascript; charset=utf-8",
			cache:       "no-cache",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := get(t, http.MethodGet, tt.target, nil)
			b := body(t, resp)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %s", tt.target, resp.Status)
			}
			if got := resp.Header.Get("Content-Type"); got != tt.contentType {
				t.Errorf("Content-Type = %q, want %q", got, tt.contentType)
			}
			if got := resp.Header.Get("Cache-Control"); got != tt.cache {
				t.Errorf("Cache-Control = %q, want %q", got, tt.cache)
			}
			if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
			}
			if len(b) == 0 {
				t.Fatal("empty body")
			}
			for _, want := range tt.contains {
				if !strings.Contains(b, want) {
					t.Errorf("body lacks %q", want)
				}
			}
		})
	}
}

// pages are the HTML pages the handler serves.
var pages = []string{"/", ExplorePath}

func TestPageHeaders(t *testing.T) {
	for _, page := range pages {
		resp := get(t, http.MethodGet, page, nil)
		want := map[string]string{
			"Content-Security-Policy": ContentSecurityPolicy(testEndpoint),
			"X-Frame-Options":         "DENY",
			"Referrer-Policy":         "no-referrer",
		}
		for k, v := range want {
			if got := resp.Header.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", page, k, got, v)
			}
		}
	}
}

func TestContentSecurityPolicy(t *testing.T) {
	tests := []struct {
		endpoint string
		connect  string
	}{
		{"/graphql", "connect-src 'self'"},
		{"graphql", "connect-src 'self'"},
		{"http://127.0.0.1:8080/graphql", "connect-src 'self' http://127.0.0.1:8080"},
		{"https://graph.intranet.example:8443/graphql", "connect-src 'self' https://graph.intranet.example:8443"},
	}
	for _, tt := range tests {
		t.Run(tt.endpoint, func(t *testing.T) {
			csp := ContentSecurityPolicy(tt.endpoint)
			directives := map[string]string{}
			for _, d := range strings.Split(csp, ";") {
				d = strings.TrimSpace(d)
				name, _, _ := strings.Cut(d, " ")
				directives[name] = d
			}
			for _, want := range []string{
				"default-src 'none'",
				"script-src 'self'",
				"style-src 'self' 'unsafe-inline'",
				"font-src 'self' data:",
				"img-src 'self' data:",
				tt.connect,
				"frame-ancestors 'none'",
				"base-uri 'none'",
			} {
				name, _, _ := strings.Cut(want, " ")
				if got := directives[name]; got != want {
					t.Errorf("directive %s = %q, want %q (policy %q)", name, got, want, csp)
				}
			}
			for _, bad := range []string{"unsafe-eval", "*", "http:", "https:", "blob:"} {
				for _, d := range directives {
					for _, source := range strings.Fields(d)[1:] {
						if strings.Trim(source, "'") == strings.Trim(bad, "'") {
							t.Errorf("directive %q allows %s", d, bad)
						}
					}
				}
			}
		})
	}
}

func TestDefaultQueryInPage(t *testing.T) {
	page := body(t, get(t, http.MethodGet, "/", nil))
	m := regexp.MustCompile(`data-default-query="([^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page has no data-default-query attribute")
	}
	if got := html.UnescapeString(m[1]); got != DefaultQuery {
		t.Errorf("default query in the page = %q, want %q", got, DefaultQuery)
	}
}

func TestNotFoundAndMethods(t *testing.T) {
	tests := []struct {
		method string
		target string
		status int
	}{
		{http.MethodGet, "/assets/nope.js", http.StatusNotFound},
		{http.MethodGet, "/assets/", http.StatusNotFound},
		{http.MethodGet, "/assets", http.StatusNotFound},
		{http.MethodGet, "/assets/../web.go", http.StatusNotFound},
		{http.MethodGet, "/assets/dist/graphiql.js", http.StatusNotFound},
		{http.MethodGet, "/graphiql.js", http.StatusNotFound},
		{http.MethodGet, "/index.html", http.StatusNotFound},
		{http.MethodGet, "/favicon.ico", http.StatusNotFound},
		{http.MethodGet, "/nope", http.StatusNotFound},
		{http.MethodPost, "/", http.StatusMethodNotAllowed},
		{http.MethodPost, ExplorePath, http.StatusMethodNotAllowed},
		{http.MethodGet, ExplorePath + "/", http.StatusNotFound},
		{http.MethodGet, "/explore.html", http.StatusNotFound},
		{http.MethodDelete, AssetPrefix + scriptAsset, http.StatusMethodNotAllowed},
		{http.MethodPost, "/nope", http.StatusNotFound},
		{http.MethodHead, "/", http.StatusOK},
		{http.MethodHead, ExplorePath, http.StatusOK},
		{http.MethodHead, AssetPrefix + styleAsset, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			resp := get(t, tt.method, tt.target, nil)
			b := body(t, resp)
			if resp.StatusCode != tt.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.method == http.MethodHead && b != "" {
				t.Errorf("HEAD answered a body of %d bytes", len(b))
			}
			if tt.status == http.StatusMethodNotAllowed && resp.Header.Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow = %q, want %q", resp.Header.Get("Allow"), "GET, HEAD")
			}
		})
	}
}

func TestConditionalRequest(t *testing.T) {
	target := versioned(t, scriptAsset)
	first := get(t, http.MethodGet, target, nil)
	etag := first.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	again := get(t, http.MethodGet, target, http.Header{"If-None-Match": {etag}})
	if again.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match %s: status %d, want 304", etag, again.StatusCode)
	}
}

// The pages' own references must all point at embedded assets, or, for
// links, at the server's own pages.
func TestPageReferencesOnlyEmbeddedAssets(t *testing.T) {
	for _, path := range pages {
		page := body(t, get(t, http.MethodGet, path, nil))
		refs := regexp.MustCompile(`\b(?:src|href)="([^"]*)"`).FindAllStringSubmatch(page, -1)
		if len(refs) < 3 {
			t.Fatalf("%s: found %d src/href references in the page, want at least 3 (script, stylesheet, icon)", path, len(refs))
		}
		assets := mustAssets(t)
		for _, m := range refs {
			ref := html.UnescapeString(m[1])
			if slices.Contains(pages, ref) {
				continue
			}
			name, _, _ := strings.Cut(strings.TrimPrefix(ref, AssetPrefix), "?")
			if !strings.HasPrefix(ref, AssetPrefix) || assets[name] == nil {
				t.Errorf("%s references %q, which is not an embedded asset", path, ref)
			}
		}
	}
}

// externalLoad matches the places where a browser would load a URL by
// itself: HTML src/href/... attributes, CSS url() and @import, and script
// loads (import, fetch, workers, sockets, property assignments such as
// el.src = "..."). The URL is absolute (http:, https:, ws:, wss:) or
// protocol-relative (//host).
var externalLoad = regexp.MustCompile(`(?i)` +
	`(?:\b(?:src|href|srcset|poster|action|data|manifest)\s*=\s*["']?\s*` + // HTML attribute
	`|\b(?:src|href|srcset|poster|action)\s*:\s*["'` + "`" + `]` + // JS object property (JSX)
	`|\.(?:src|href)\s*=\s*["'` + "`" + `]` + // DOM property assignment
	`|url\(\s*["']?\s*` + // CSS url()
	`|@import\s+(?:url\(\s*)?["']?\s*` + // CSS @import
	`|\bimport\s*\(\s*["'` + "`" + `]` + // dynamic import
	`|\b(?:import|from)\s+["'` + "`" + `]` + // static import
	`|\b(?:fetch|importScripts|sendBeacon)\s*\(\s*["'` + "`" + `]` + // fetch, beacons
	`|\bnew\s+(?:Worker|SharedWorker|WebSocket|EventSource)\s*\(\s*["'` + "`" + `]` + // workers, sockets
	`)(?:(?:https?|wss?):)?//[^\s"'` + "`" + `)<>]+`)

// anchorLink matches a link the user may click (an <a> element created by
// the bundled React code): following it is navigation, not a load.
var anchorLink = regexp.MustCompile(`\("a",\{[^{}]*$`)

// externalLoads returns the external URLs that content would make a
// browser load.
func externalLoads(content string) []string {
	var found []string
	for _, loc := range externalLoad.FindAllStringIndex(content, -1) {
		match := content[loc[0]:loc[1]]
		before := content[max(0, loc[0]-400):loc[0]]
		if strings.HasPrefix(strings.ToLower(match), "href:") && anchorLink.MatchString(before) {
			continue
		}
		found = append(found, match)
	}
	return found
}

func TestExternalLoadScanner(t *testing.T) {
	tests := []struct {
		content string
		loads   bool
	}{
		{`<script src="https://static.example/x.js"></script>`, true},
		{`<link rel="stylesheet" href="//fonts.example/css">`, true},
		{`@import url("https://fonts.example/css2?family=Roboto");`, true},
		{`@import 'http://fonts.example/a.css';`, true},
		{`src: url(https://fonts.example/r.woff2) format("woff2")`, true},
		{`e.src="https://img.example/a.png"`, true},
		{`fetch("https://api.example/graphql")`, true},
		{`import("https://static.example/x.js")`, true},
		{`new Worker("https://static.example/w.js")`, true},
		{`new WebSocket("wss://live.example/")`, true},
		{`jsx("img",{src:"https://img.example/logo.png"})`, true},
		{`jsx("link",{href:"https://fonts.example/css"})`, true},
		// Not loads.
		{`jsx("a",{className:"logo",href:"https://project.example/",target:"_blank"})`, false},
		{`<svg xmlns="http://www.w3.org/2000/svg"></svg>`, false},
		{`var t="https://react.dev/errors/"+e`, false},
		{`src: url(data:font/woff2;base64,d09GMg) format("woff2")`, false},
		{`<script src="/assets/graphiql.js?v=1"></script>`, false},
		{`as specified by [IEEE 754](https://en.wikipedia.org/wiki/IEEE_floating_point)`, false},
	}
	for _, tt := range tests {
		got := externalLoads(tt.content)
		if (len(got) > 0) != tt.loads {
			t.Errorf("externalLoads(%q) = %q, want a load: %v", tt.content, got, tt.loads)
		}
	}
}

// TestNoExternalURLs checks that neither the page nor any embedded file makes
// the browser load anything from outside the server: the IDE must work
// without internet access.
func TestNoExternalURLs(t *testing.T) {
	docs := map[string]string{"page": body(t, get(t, http.MethodGet, "/", nil)), "explorer": body(t, get(t, http.MethodGet, ExplorePath, nil))}
	assets := mustAssets(t)
	names := make([]string, 0, len(assets))
	for name := range assets {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if strings.HasPrefix(assets[name].contentType, "text/plain") {
			continue // license notices: shown as text, never interpreted
		}
		resp := get(t, http.MethodGet, AssetPrefix+name, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s%s: %s", AssetPrefix, name, resp.Status)
		}
		docs[AssetPrefix+name] = body(t, resp)
	}
	for _, name := range append([]string{"page", "explorer"}, prefixed(names)...) {
		content, ok := docs[name]
		if !ok {
			continue
		}
		t.Run(name, func(t *testing.T) {
			for _, load := range externalLoads(content) {
				t.Errorf("%s makes the browser load an external URL: %s", name, load)
			}
		})
	}
}

func prefixed(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = AssetPrefix + n
	}
	return out
}

// The bundle must not pull in anything that needs web workers or eval, which
// the Content-Security-Policy forbids.
func TestBundleNeedsNoWorkers(t *testing.T) {
	for _, name := range []string{scriptAsset, exploreScriptAsset} {
		js := string(mustAssets(t)[name].data)
		for _, bad := range []string{"new Worker(", "new SharedWorker(", "importScripts("} {
			if strings.Contains(js, bad) {
				t.Errorf("%s contains %q, which the Content-Security-Policy does not allow", name, bad)
			}
		}
	}
}

func TestGzip(t *testing.T) {
	js := mustAssets(t)[scriptAsset].data
	tests := []struct {
		name           string
		target         string
		acceptEncoding string
		gzipped        bool
	}{
		{"script, gzip accepted", versioned(t, scriptAsset), "gzip, deflate, br", true},
		{"script, gzip with weight", versioned(t, scriptAsset), "br;q=1.0, gzip;q=0.5", true},
		{"script, gzip refused", versioned(t, scriptAsset), "gzip;q=0, br", false},
		{"script, no Accept-Encoding", versioned(t, scriptAsset), "", false},
		{"stylesheet, gzip accepted", versioned(t, styleAsset), "gzip", true},
		{"tiny icon is sent as it is", versioned(t, iconAsset), "gzip", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.acceptEncoding != "" {
				h.Set("Accept-Encoding", tt.acceptEncoding)
			}
			resp := get(t, http.MethodGet, tt.target, h)
			b := body(t, resp)
			enc := resp.Header.Get("Content-Encoding")
			if got := enc == "gzip"; got != tt.gzipped {
				t.Fatalf("Content-Encoding = %q, want gzip: %v", enc, tt.gzipped)
			}
			if !tt.gzipped {
				return
			}
			if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("Vary = %q, want Accept-Encoding", resp.Header.Get("Vary"))
			}
			zr, err := gzip.NewReader(strings.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			plain, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if tt.target == versioned(t, scriptAsset) && !bytes.Equal(plain, js) {
				t.Errorf("the gzip body does not decompress to %s", scriptAsset)
			}
			if len(b) >= len(plain) {
				t.Errorf("compressed %d bytes into %d", len(plain), len(b))
			}
		})
	}
}
