package export_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/innograph/innograph/export"
	"github.com/innograph/innograph/ingest"
	"github.com/innograph/innograph/ingest/ingesttest"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/seed"
	"github.com/innograph/innograph/store/backendtest"
	"github.com/innograph/innograph/store/neo4j/neo4jtest"
)

// seedDemo writes the district's demo (seed.Demo, scale 1) into st.
func seedDemo(t *testing.T, st kg.Store) { backendtest.LoadDemo(t, st, 1) }

func exported(t *testing.T, st kg.Store, f export.Filter, format export.Format) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := export.Write(t.Context(), st, f, format, &buf, nil); err != nil {
		t.Fatalf("Write(%+v, %s): %v", f, format, err)
	}
	return buf.Bytes()
}

// backends lists the stores every export test runs on.
var backends = backendtest.All()

var (
	stats      = ingesttest.Stats
	mustImport = ingesttest.MustImport
)

// TestRoundTripAcrossBackends exports the demo as JSON Lines from one
// backend, imports it into an empty store of the other, and exports
// again: the two files are identical, byte for byte.
func TestRoundTripAcrossBackends(t *testing.T) {
	neo := neo4jtest.Open(t)
	cases := []struct {
		name     string
		from, to func(t testing.TB) kg.Store
	}{
		{"embedded to neo4j", backendtest.Embedded, func(t testing.TB) kg.Store { return neo }},
		{"neo4j to embedded", func(t testing.TB) kg.Store { return neo }, backendtest.Embedded},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := neo4jtest.Wipe(t.Context(), neo4jtest.Config()); err != nil {
				t.Fatal(err)
			}
			src := tc.from(t)
			seedDemo(t, src)
			first := exported(t, src, export.Filter{}, export.FormatJSONL)
			dst := tc.to(t)
			path := ingesttest.WriteFile(t, t.TempDir(), "demo.jsonl", first)
			rep := mustImport(t, dst, []string{path}, ingest.Options{})
			ds := seed.Demo(seed.Config{Scale: 1, Seed: 1})
			if rep.Result.NodesCreated != len(ds.Nodes) || rep.Result.EdgesCreated != len(ds.Edges) {
				t.Errorf("import created %d nodes and %d edges, want %d and %d", rep.Result.NodesCreated, rep.Result.EdgesCreated, len(ds.Nodes), len(ds.Edges))
			}
			second := exported(t, dst, export.Filter{}, export.FormatJSONL)
			if !bytes.Equal(first, second) {
				a, b := strings.Split(string(first), "\n"), strings.Split(string(second), "\n")
				for i := range min(len(a), len(b)) {
					if a[i] != b[i] {
						t.Fatalf("exports differ at line %d:\n first  %s\n second %s", i+1, a[i], b[i])
					}
				}
				t.Fatalf("exports differ in length: %d and %d lines", len(a), len(b))
			}
			if lines := bytes.Count(first, []byte("\n")); lines != len(ds.Nodes)+len(ds.Edges) {
				t.Errorf("the export has %d lines, want %d", lines, len(ds.Nodes)+len(ds.Edges))
			}
		})
	}
}

// refGraph is a graph read back from a JSON Lines export, to compute
// what filtered exports must hold.
type refGraph struct {
	kind  map[string]kg.Kind
	edges []refEdge
}

type refEdge struct {
	id, from, to string
	typ          kg.RelType
	since, until int
}

func readJSONL(t *testing.T, data []byte) (nodes []string, g refGraph) {
	t.Helper()
	g.kind = map[string]kg.Kind{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r map[string]any
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("export line %q: %v", sc.Text(), err)
		}
		id, _ := r["id"].(string)
		if k, ok := r["kind"].(string); ok {
			nodes = append(nodes, id)
			g.kind[id] = kg.Kind(k)
			continue
		}
		e := refEdge{id: id, from: r["from"].(string), to: r["to"].(string), typ: kg.RelType(r["type"].(string))}
		if s, ok := r["since"].(float64); ok {
			e.since = int(s)
		}
		if u, ok := r["until"].(float64); ok {
			e.until = int(u)
		}
		g.edges = append(g.edges, e)
	}
	return nodes, g
}

// expect computes, from the whole graph, the node and edge ids an export
// with filter f holds: the nodes of the kept kinds, or the neighbourhood
// of f.Node found breadth first over the kept edges (its centre whatever
// its kind); and the kept edges between them.
func (g refGraph) expect(f export.Filter) (nodes, edges []string) {
	keepNode := func(id string) bool { return len(f.Kinds) == 0 || slices.Contains(f.Kinds, g.kind[id]) }
	in := map[string]bool{}
	if f.Node == "" {
		for id := range g.kind {
			if keepNode(id) {
				in[id] = true
			}
		}
	} else {
		in[f.Node] = true
		frontier := []string{f.Node}
		for range max(f.Depth, 1) {
			var next []string
			for _, e := range g.edges {
				if !keepEdgeIgnoringEnds(f, e) {
					continue
				}
				for _, id := range frontier {
					if e.from == id || e.to == id {
						if o := e.Other(id); !in[o] && keepNode(o) {
							in[o] = true
							next = append(next, o)
						}
					}
				}
			}
			frontier = next
		}
	}
	for id := range in {
		nodes = append(nodes, id)
	}
	for _, e := range g.edges {
		if keepEdgeIgnoringEnds(f, e) && in[e.from] && in[e.to] {
			edges = append(edges, e.id)
		}
	}
	slices.Sort(nodes)
	slices.Sort(edges)
	return nodes, edges
}

// keepEdgeIgnoringEnds applies the type and year filters only: the
// centre of a neighbourhood is kept whatever its kind.
func keepEdgeIgnoringEnds(f export.Filter, e refEdge) bool {
	if len(f.Types) > 0 && !slices.Contains(f.Types, e.typ) {
		return false
	}
	return f.AsOf == 0 || !((e.since != 0 && e.since > f.AsOf) || (e.until != 0 && e.until < f.AsOf))
}

func (e refEdge) Other(id string) string {
	if e.from == id {
		return e.to
	}
	return e.from
}

func ids(t *testing.T, data []byte) (nodes, edges []string) {
	t.Helper()
	nodes, g := readJSONL(t, data)
	for _, e := range g.edges {
		edges = append(edges, e.id)
	}
	slices.Sort(nodes)
	slices.Sort(edges)
	return nodes, edges
}

// TestExportFilters exports parts of the fixture graph from each backend
// and compares them with what a reference computes from the whole export.
func TestExportFilters(t *testing.T) {
	cases := []struct {
		name string
		f    export.Filter
	}{
		{"everything", export.Filter{}},
		{"enterprises", export.Filter{Kinds: []kg.Kind{kg.Enterprise}}},
		{"enterprises and universities", export.Filter{Kinds: []kg.Kind{kg.University, kg.Enterprise}}},
		{"works at", export.Filter{Types: []kg.RelType{kg.WorksAt}}},
		{"as of 2019", export.Filter{AsOf: 2019}},
		{"supplies as of 2020 between enterprises", export.Filter{Kinds: []kg.Kind{kg.Enterprise}, Types: []kg.RelType{kg.Supplies}, AsOf: 2020}},
		{"neighbourhood", export.Filter{Node: "ent-005"}},
		{"neighbourhood of depth 2", export.Filter{Node: "ent-005", Depth: 2}},
		{"neighbourhood of enterprises", export.Filter{Node: "ent-012", Depth: 3, Kinds: []kg.Kind{kg.Enterprise}}},
		{"neighbourhood of a university over supplies", export.Filter{Node: "uni-1", Depth: 2, Types: []kg.RelType{kg.Supplies, kg.CollaboratesWith}}},
	}
	for _, b := range backends {
		t.Run(b.Name, func(t *testing.T) {
			st := b.Open(t)
			mustImport(t, st, ingesttest.FixtureFilesList(t), ingest.Options{})
			all := exported(t, st, export.Filter{}, export.FormatJSONL)
			_, g := readJSONL(t, all)
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					gotN, gotE := ids(t, exported(t, st, tc.f, export.FormatJSONL))
					wantN, wantE := g.expect(tc.f)
					if !slices.Equal(gotN, wantN) {
						t.Errorf("nodes\n got  %v\n want %v", gotN, wantN)
					}
					if !slices.Equal(gotE, wantE) {
						t.Errorf("edges\n got  %v\n want %v", gotE, wantE)
					}
				})
			}
			for _, bad := range []struct {
				f    export.Filter
				want error
			}{
				{export.Filter{Node: "nowhere"}, kg.ErrNotFound},
				{export.Filter{Depth: 2}, kg.ErrInvalid},
				{export.Filter{Node: "ent-001", Depth: export.MaxDepth + 1}, kg.ErrInvalid},
				{export.Filter{AsOf: -1}, kg.ErrInvalid},
				{export.Filter{Kinds: []kg.Kind{"Nope"}}, kg.ErrInvalid},
			} {
				if _, err := export.Write(t.Context(), st, bad.f, export.FormatJSONL, io.Discard, nil); !errors.Is(err, bad.want) {
					t.Errorf("Export(%+v): error %v, want %v", bad.f, err, bad.want)
				}
			}
		})
	}
}

// TestExportFormats checks the structure of every format on the fixture,
// and that a CSV export imports back into the same graph.
func TestExportFormats(t *testing.T) {
	st := backendtest.Embedded(t)
	mustImport(t, st, ingesttest.FixtureFilesList(t), ingest.Options{Source: "-"})
	s := stats(t, st)
	jsonl := exported(t, st, export.Filter{}, export.FormatJSONL)

	t.Run("cytoscape", func(t *testing.T) {
		var doc struct {
			Elements struct {
				Nodes []struct{ Data map[string]any }
				Edges []struct{ Data map[string]any }
			}
		}
		if err := json.Unmarshal(exported(t, st, export.Filter{}, export.FormatCytoscape), &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Elements.Nodes) != s.Nodes || len(doc.Elements.Edges) != s.Edges {
			t.Fatalf("%d nodes and %d edges, want %d and %d", len(doc.Elements.Nodes), len(doc.Elements.Edges), s.Nodes, s.Edges)
		}
		n := doc.Elements.Nodes[0].Data
		if n["id"] != "ent-001" || n["kind"] != "Enterprise" || n["label"] != "大连星海001科技有限公司" {
			t.Errorf("first node %v", n)
		}
		for _, e := range doc.Elements.Edges {
			if e.Data["source"] == nil || e.Data["target"] == nil || e.Data["type"] == nil {
				t.Fatalf("edge %v lacks source, target or type", e.Data)
			}
		}
	})

	for _, format := range []export.Format{export.FormatGEXF, export.FormatGraphML} {
		t.Run(string(format), func(t *testing.T) {
			d := xml.NewDecoder(bytes.NewReader(exported(t, st, export.Filter{}, format)))
			nodes, edges := 0, 0
			for {
				tok, err := d.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("not well-formed XML: %v", err)
				}
				if se, ok := tok.(xml.StartElement); ok {
					switch se.Name.Local {
					case "node":
						nodes++
					case "edge":
						edges++
					}
				}
			}
			if nodes != s.Nodes || edges != s.Edges {
				t.Errorf("%d nodes and %d edges, want %d and %d", nodes, edges, s.Nodes, s.Edges)
			}
		})
	}

	t.Run("csv", func(t *testing.T) {
		data := exported(t, st, export.Filter{}, export.FormatCSV)
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		var paths, names []string
		for _, f := range zr.File {
			names = append(names, f.Name)
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			paths = append(paths, ingesttest.WriteFile(t, dir, f.Name, b))
		}
		if !slices.Equal(names, []string{"nodes.csv", "edges.csv"}) {
			t.Fatalf("zip holds %v, want nodes.csv and edges.csv", names)
		}
		other := backendtest.Embedded(t)
		mustImport(t, other, paths, ingest.Options{Source: "-"})
		if again := exported(t, other, export.Filter{}, export.FormatJSONL); !bytes.Equal(again, jsonl) {
			t.Errorf("a CSV export imported back gives another graph:\n%s\nwant\n%s", again, jsonl)
		}
	})
}

// TestNetworkXReadsExports has NetworkX read the GEXF and GraphML exports
// of the demo and checks counts and attributes. It needs python3 with
// networkx (Debian: python3-networkx): it skips loudly without them, and
// fails when CI=true.
func TestNetworkXReadsExports(t *testing.T) {
	// Debian's python3-networkx installs for Debian's own interpreter, which
	// another python3 earlier on PATH does not see: try that one too.
	var py string
	var err error
	for _, cand := range []string{os.Getenv("PYTHON"), "/usr/bin/python3", "python3"} {
		if cand == "" {
			continue
		}
		if py, err = exec.LookPath(cand); err == nil {
			if err = exec.Command(py, "-c", "import networkx").Run(); err == nil {
				break
			}
		}
	}
	if err != nil {
		msg := "PYTHON3 WITH NETWORKX NOT AVAILABLE (apt-get install python3-networkx): " + err.Error()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip("SKIPPED: " + msg)
	}
	st := backendtest.Embedded(t)
	seedDemo(t, st)
	s := stats(t, st)
	got, err := st.GetNodes(t.Context(), []string{"ent-0001"})
	if err != nil || got[0] == nil {
		t.Fatalf("no ent-0001: %v", err)
	}
	ent := got[0]
	sup, err := st.ScanEdges(t.Context(), kg.EdgeScan{Types: []kg.RelType{kg.Supplies}, First: 1})
	if err != nil || len(sup.Edges) != 1 {
		t.Fatalf("no SUPPLIES edge: %v", err)
	}
	e := sup.Edges[0]
	dir := t.TempDir()
	const script = `
import json, sys
import networkx as nx
from networkx.readwrite import gexf as nxgexf
# NetworkX before 3.6 (Debian 12 ships 2.8) reads GEXF 1.1draft and 1.2draft
# only; 1.3 differs from 1.2draft in its namespace, which 3.6 registers
# exactly like this.
if "1.3" not in nxgexf.GEXF.versions:
    nxgexf.GEXF.versions["1.3"] = dict(nxgexf.GEXF.versions["1.2draft"], NS_GEXF="http://gexf.net/1.3",
        NS_VIZ="http://gexf.net/1.3/viz", SCHEMALOCATION="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd", VERSION="1.3")
path, fmt, node, edge = sys.argv[1:5]
g = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
n = g.nodes[node]
found = None
for u, v, d in g.edges(data=True):
    if d.get("id") == edge or (fmt == "graphml" and u is not None and d.get("type") and (u, v) == tuple(sys.argv[5:7])):
        found = {"from": u, "to": v, "type": d.get("type"), "since": d.get("since"), "product": d.get("product")}
        break
kinds = {}
for _, d in g.nodes(data=True):
    kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
print(json.dumps({"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "directed": g.is_directed(),
    "kinds": kinds, "name": n.get("name"), "kind": n.get("kind"), "creditCode": n.get("creditCode"),
    "foundedYear": n.get("foundedYear"), "aboveScale": n.get("aboveScale"), "revenue": json.loads(n["revenue"]) if "revenue" in n else None,
    "edge": found}, ensure_ascii=False))
`
	for _, format := range []export.Format{export.FormatGEXF, export.FormatGraphML} {
		t.Run(string(format), func(t *testing.T) {
			path := ingesttest.WriteFile(t, dir, "demo."+string(format), exported(t, st, export.Filter{}, format))
			out, err := exec.Command(py, "-c", script, path, string(format), ent.ID, e.ID, e.From, e.To).CombinedOutput()
			if err != nil {
				t.Fatalf("python3: %v\n%s", err, out)
			}
			var got struct {
				Nodes, Edges int
				Directed     bool
				Kinds        map[string]int
				Name, Kind   string
				CreditCode   string
				FoundedYear  int
				AboveScale   *bool
				Revenue      map[string]float64
				Edge         *struct {
					From, To, Type, Product string
					Since                   *int
				}
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("python3 printed %s: %v", out, err)
			}
			if got.Nodes != s.Nodes || got.Edges != s.Edges || !got.Directed {
				t.Errorf("NetworkX reads %d nodes and %d edges (directed %v), want %d and %d", got.Nodes, got.Edges, got.Directed, s.Nodes, s.Edges)
			}
			for k, n := range s.NodesByKind {
				if got.Kinds[string(k)] != n {
					t.Errorf("NetworkX counts %d nodes of kind %s, want %d", got.Kinds[string(k)], k, n)
				}
			}
			if got.Name != ent.Name() || got.Kind != string(kg.Enterprise) || got.CreditCode != ent.Props.Str("creditCode") {
				t.Errorf("node %s reads as %q %q %q", ent.ID, got.Name, got.Kind, got.CreditCode)
			}
			if fy, _ := ent.Props.Int("foundedYear"); int64(got.FoundedYear) != fy {
				t.Errorf("foundedYear reads as %d, want %d", got.FoundedYear, fy)
			}
			if above, ok := ent.Props.Bool("aboveScale"); ok && (got.AboveScale == nil || *got.AboveScale != above) {
				t.Errorf("aboveScale reads as %v, want %v", got.AboveScale, above)
			}
			for y, v := range ent.Props.Series("revenue") {
				if got.Revenue[strings.TrimSpace(itoa(y))] != v {
					t.Errorf("revenue %d reads as %v, want %v", y, got.Revenue, v)
				}
			}
			if got.Edge == nil {
				t.Fatalf("NetworkX does not find edge %s", e.ID)
			}
			since, _ := e.Props.Int("since")
			if got.Edge.From != e.From || got.Edge.To != e.To || got.Edge.Type != string(e.Type) || got.Edge.Product != e.Props.Str("product") || (got.Edge.Since != nil && int64(*got.Edge.Since) != since) {
				t.Errorf("edge %s reads as %+v, want %+v", e.ID, *got.Edge, e)
			}
		})
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// pageRecorder records, for every page an export reads, its size and how
// many bytes the export had written before it.
type pageRecorder struct {
	kg.Store
	out   *bytes.Buffer
	pages []readPage
}

// readPage is one page an export read: the method, its size, and the
// bytes written before it.
type readPage struct {
	method         string
	first, written int
}

func (p *pageRecorder) ScanNodes(ctx context.Context, q kg.NodeScan) (*kg.NodeScanPage, error) {
	p.pages = append(p.pages, readPage{"ScanNodes", q.First, p.out.Len()})
	return p.Store.ScanNodes(ctx, q)
}

func (p *pageRecorder) ScanEdges(ctx context.Context, q kg.EdgeScan) (*kg.EdgeScanPage, error) {
	p.pages = append(p.pages, readPage{"ScanEdges", q.First, p.out.Len()})
	return p.Store.ScanEdges(ctx, q)
}

// TestExportStreams: every format reads the graph in pages of at most
// kg.MaxPageSize and writes as it reads, so that most of the file is out
// before the last page is read (the demo's 2,490 relationships take three
// pages).
func TestExportStreams(t *testing.T) {
	st := backendtest.Embedded(t)
	seedDemo(t, st)
	for _, format := range []export.Format{export.FormatJSONL, export.FormatGEXF, export.FormatGraphML, export.FormatCytoscape} {
		t.Run(string(format), func(t *testing.T) {
			var out bytes.Buffer
			rec := &pageRecorder{Store: st, out: &out}
			if _, err := export.Write(t.Context(), rec, export.Filter{}, format, &out, nil); err != nil {
				t.Fatal(err)
			}
			edgePages := 0
			for _, p := range rec.pages {
				if p.first < 1 || p.first > kg.MaxPageSize {
					t.Errorf("%s asked for a page of %d", p.method, p.first)
				}
				if p.method == "ScanEdges" {
					edgePages++
				}
			}
			last := rec.pages[len(rec.pages)-1]
			if edgePages < 3 || last.written < out.Len()/2 {
				t.Errorf("%d pages of relationships; %d of %d bytes written before the last page was read", edgePages, last.written, out.Len())
			}
		})
	}
}

// TestExportNumbersHaveNoExponent writes numbers that strconv's shortest
// form and encoding/json put in exponent form (amounts in yuan above 1e21,
// ratios below 1e-6) and checks that no export format writes an exponent.
func TestExportNumbersHaveNoExponent(t *testing.T) {
	st := backendtest.Embedded(t)
	if _, err := st.Apply(t.Context(), kg.Batch{
		Nodes: []kg.Node{
			{ID: "ent-big", Kind: kg.Enterprise, Props: kg.Props{"name": "大连巨额科技有限公司",
				"revenue": kg.Series{2022: 149771000, 2023: 1.5e21}, "rdInvestment": kg.Series{2023: 741000}}},
			{ID: "inc-small", Kind: kg.Incubator, Props: kg.Props{"name": "大连微小孵化器", "area": 1e-7}},
		},
		Edges: []kg.Edge{{Type: kg.IncubatedBy, From: "ent-big", To: "inc-small", Props: kg.Props{"confidence": 3e-9}}},
	}); err != nil {
		t.Fatal(err)
	}
	exponent := regexp.MustCompile(`\d[eE][+-]?\d`)
	for _, format := range export.Formats {
		t.Run(string(format), func(t *testing.T) {
			data := exported(t, st, export.Filter{}, format)
			files := map[string][]byte{"": data}
			if format == export.FormatCSV {
				files = unzip(t, data)
			}
			for name, b := range files {
				wants := map[string][]string{
					"":          {"1500000000000000000000", "149771000", "0.0000001", "0.000000003"},
					"nodes.csv": {"1500000000000000000000", "149771000", "0.0000001"},
					"edges.csv": {"0.000000003"},
				}[name]
				if wants == nil {
					t.Errorf("%s export holds an unexpected file %s", format, name)
				}
				for _, want := range wants {
					if !bytes.Contains(b, []byte(want)) {
						t.Errorf("%s export %s lacks %s:\n%s", format, name, want, b)
					}
				}
				if m := exponent.Find(b); m != nil {
					t.Errorf("%s export %s writes a number with an exponent (%s):\n%s", format, name, m, b)
				}
			}
		})
	}
}

// unzip returns the files of a zip archive by name.
func unzip(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = b
	}
	return files
}
