// Package web serves GraphiQL, the in-browser GraphQL IDE, and the
// explorer, a visual page for planners, from files embedded in the
// InnoGraph binary.
//
// The page opens with the README's example questions as tabs (see
// [Examples]) and with a query builder, GraphiQL Explorer, that writes a
// query as fields are ticked, so that people who do not write GraphQL can
// use it.
//
// Every script, stylesheet and font the page needs is compiled into the
// binary (see the dist directory, built by ui/build.sh), so the IDE works on
// networks without internet access. The page is served with a
// Content-Security-Policy that only allows resources from the server itself.
//
// The explorer (/explore) finds entities, opens their cards, expands their
// neighbourhoods as a network (Cytoscape.js with the fCoSE layout), draws
// the shortest paths between two of them, shows the plan's scoreboard as
// charts (Apache ECharts) and exports the view. It speaks only the public
// GraphQL API and /export; docs/explorer.md lists its queries.
//
// Routes served by [Handler]:
//
//	/                the GraphiQL page
//	/explore         the explorer
//	/assets/NAME     the bundled files (graphiql.js, explore.js, ...)
//
// Any other path answers 404 Not Found. The page refers to its files by
// absolute paths, so the handler must be mounted at the root of the server.
// Text assets are sent gzip-compressed to browsers that accept it.
package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultQuery is the query of a tab the user opens (the page itself opens
// with the tabs of [Examples]).
const DefaultQuery = "{\n  enterprises(first: 5) {\n    totalCount\n    edges { node { id name } }\n  }\n}\n"

// Title is the title of the GraphiQL page.
const Title = "InnoGraph — GraphiQL"

// ExploreTitle is the title of the explorer page (Chinese, its default
// language).
const ExploreTitle = "InnoGraph 创新图谱探索"

// ExplorePath is the URL path of the explorer page.
const ExplorePath = "/explore"

// ExportPath is the URL path prefix of the server's exports
// (/export/{format}), which the explorer links to.
const ExportPath = "/export"

// AssetPrefix is the URL path under which the bundled files are served.
const AssetPrefix = "/assets/"

// The bundle entry points referenced by the pages.
const (
	scriptAsset        = "graphiql.js"
	styleAsset         = "graphiql.css"
	iconAsset          = "favicon.svg"
	exploreScriptAsset = "explore.js"
	exploreStyleAsset  = "explore.css"
)

//go:embed dist
var distFS embed.FS

//go:embed index.html
var indexHTML string

//go:embed explore.html
var exploreHTML string

var (
	pageTemplate    = template.Must(template.New("index.html").Parse(indexHTML))
	exploreTemplate = template.Must(template.New("explore.html").Parse(exploreHTML))
)

// contentTypes maps the extensions of the bundled files to their media
// types; anything else falls back to the mime package.
var contentTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".json":  "application/json",
	".map":   "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".txt":   "text/plain; charset=utf-8",
	".ttf":   "font/ttf",
	".woff":  "font/woff",
	".woff2": "font/woff2",
}

// asset is one embedded file.
type asset struct {
	data        []byte
	contentType string
	version     string // first 16 hex digits of the SHA-256 of data

	gzipOnce sync.Once
	gzipped  []byte // data compressed with gzip; nil when not worth it
}

// compressible reports whether serving the asset gzip-compressed pays off.
func (a *asset) compressible() bool {
	if len(a.data) < 1024 {
		return false
	}
	ct := a.contentType
	return strings.HasPrefix(ct, "text/") || strings.HasPrefix(ct, "image/svg+xml") || strings.HasPrefix(ct, "application/json")
}

// gzipData returns the gzip-compressed content, computed on first use, or
// nil if the asset is served uncompressed only.
func (a *asset) gzipData() []byte {
	a.gzipOnce.Do(func() {
		if !a.compressible() {
			return
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if _, err := zw.Write(a.data); err != nil {
			return
		}
		if err := zw.Close(); err != nil {
			return
		}
		if buf.Len() < len(a.data) {
			a.gzipped = buf.Bytes()
		}
	})
	return a.gzipped
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip.
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(v, ",") {
			coding, params, _ := strings.Cut(part, ";")
			if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
				continue
			}
			name, value, _ := strings.Cut(params, "=")
			if strings.TrimSpace(name) == "q" {
				q, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
				return err == nil && q > 0
			}
			return true
		}
	}
	return false
}

// loadAssets reads the embedded dist directory once.
var loadAssets = sync.OnceValues(func() (map[string]*asset, error) {
	sub, err := fs.Sub(distFS, "dist")
	if err != nil {
		return nil, err
	}
	assets := make(map[string]*asset)
	err = fs.WalkDir(sub, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(sub, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		assets[name] = &asset{
			data:        data,
			contentType: contentType(name),
			version:     hex.EncodeToString(sum[:8]),
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, name := range []string{scriptAsset, styleAsset, iconAsset, exploreScriptAsset, exploreStyleAsset} {
		if assets[name] == nil {
			return nil, fmt.Errorf("web: embedded bundle lacks %s; run web/ui/build.sh", name)
		}
	}
	return assets, nil
})

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if ct, ok := contentTypes[ext]; ok {
		return ct
	}
	if ct := mime.TypeByExtension(ext); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// assetURL returns the versioned URL of an embedded file. The version query
// parameter changes whenever the file does, which lets browsers cache the
// file forever.
func assetURL(name string, a *asset) string {
	return AssetPrefix + name + "?v=" + a.version
}

// ContentSecurityPolicy returns the Content-Security-Policy sent with the
// GraphiQL page for the given GraphQL endpoint.
//
// Everything is restricted to the page's own origin ('self'), with these
// additions, all of which GraphiQL needs:
//
//   - style-src 'unsafe-inline': GraphiQL's dialogs (settings, keyboard
//     shortcuts; Radix UI) insert a small generated <style> element while
//     they are open, to lock the page's scrolling. Its content depends on
//     the scrollbar width, so a hash cannot allow it. Scripts stay strict.
//   - font-src/img-src data: the stylesheet carries its fonts (Roboto, Fira
//     Code) and a few icons inline as data: URLs; these never touch the
//     network.
//   - connect-src: the endpoint's origin, when the endpoint is an absolute
//     URL of another origin.
//
// No script may be inline or evaluated from strings ('unsafe-eval' is not
// needed), and GraphiQL (CodeMirror-based) starts no web workers.
func ContentSecurityPolicy(endpoint string) string {
	connect := "'self'"
	if u, err := url.Parse(endpoint); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		connect += " " + u.Scheme + "://" + u.Host
	}
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self' 'unsafe-inline'",
		"font-src 'self' data:",
		"img-src 'self' data:",
		"connect-src " + connect,
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	}, "; ")
}

// Handler returns an http.Handler serving the GraphiQL page at "/", the
// explorer at [ExplorePath] and their files under [AssetPrefix]. Both pages
// are served with the same Content-Security-Policy. The page sends its queries to endpoint (for
// example "/graphql"), as JSON POST requests with the browser's credentials
// for the same origin.
//
// The page opens with one tab per [Examples] entry and with the query
// builder (GraphiQL Explorer) shown; a new tab starts with [DefaultQuery].
//
// Handler panics if the embedded bundle or example list is broken, which
// can only happen when the binary was built from a broken tree.
func Handler(endpoint string) http.Handler {
	assets, err := loadAssets()
	if err != nil {
		panic(err)
	}
	tabs, err := examplesAttr()
	if err != nil {
		panic(err)
	}
	var page bytes.Buffer
	err = pageTemplate.Execute(&page, map[string]string{
		"Title":        Title,
		"Endpoint":     endpoint,
		"DefaultQuery": DefaultQuery,
		"Tabs":         tabs,
		"ScriptURL":    assetURL(scriptAsset, assets[scriptAsset]),
		"StyleURL":     assetURL(styleAsset, assets[styleAsset]),
		"IconURL":      assetURL(iconAsset, assets[iconAsset]),
	})
	if err != nil {
		panic(fmt.Errorf("web: rendering index.html: %w", err))
	}
	var explore bytes.Buffer
	err = exploreTemplate.Execute(&explore, map[string]string{
		"Title":     ExploreTitle,
		"Endpoint":  endpoint,
		"Export":    ExportPath,
		"ScriptURL": assetURL(exploreScriptAsset, assets[exploreScriptAsset]),
		"StyleURL":  assetURL(exploreStyleAsset, assets[exploreStyleAsset]),
		"IconURL":   assetURL(iconAsset, assets[iconAsset]),
	})
	if err != nil {
		panic(fmt.Errorf("web: rendering explore.html: %w", err))
	}
	return &handler{
		page:    page.Bytes(),
		explore: explore.Bytes(),
		csp:     ContentSecurityPolicy(endpoint),
		assets:  assets,
	}
}

type handler struct {
	page    []byte // the GraphiQL page
	explore []byte // the explorer page
	csp     string
	assets  map[string]*asset
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var serve func(http.ResponseWriter, *http.Request) bool
	switch p := r.URL.Path; {
	case p == "/":
		serve = func(w http.ResponseWriter, r *http.Request) bool { return h.servePage(w, r, h.page) }
	case p == ExplorePath:
		serve = func(w http.ResponseWriter, r *http.Request) bool { return h.servePage(w, r, h.explore) }
	case strings.HasPrefix(p, AssetPrefix):
		serve = h.serveAsset
	default:
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	if !serve(w, r) {
		http.NotFound(w, r)
	}
}

func (h *handler) servePage(w http.ResponseWriter, r *http.Request, page []byte) bool {
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Content-Security-Policy", h.csp)
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("X-Frame-Options", "DENY")
	hdr.Set("Referrer-Policy", "no-referrer")
	http.ServeContent(w, r, "index.html", time.Time{}, bytes.NewReader(page))
	return true
}

func (h *handler) serveAsset(w http.ResponseWriter, r *http.Request) bool {
	name := strings.TrimPrefix(r.URL.Path, AssetPrefix)
	a := h.assets[name]
	if a == nil {
		return false
	}
	hdr := w.Header()
	hdr.Set("Content-Type", a.contentType)
	hdr.Set("X-Content-Type-Options", "nosniff")
	if r.URL.Query().Get("v") == a.version {
		// The URL names this exact content: it never changes.
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hdr.Set("Cache-Control", "no-cache")
	}
	data, etag := a.data, `"`+a.version+`"`
	if gz := a.gzipData(); gz != nil {
		hdr.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			hdr.Set("Content-Encoding", "gzip")
			data, etag = gz, `"`+a.version+`-gzip"`
		}
	}
	hdr.Set("ETag", etag)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
	return true
}
