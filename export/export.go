package export

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/innograph/innograph/ingest"
	"github.com/innograph/innograph/kg"
)

// Format is an export format.
type Format string

// The export formats.
const (
	// FormatGEXF is GEXF 1.3 (Gephi, NetworkX).
	FormatGEXF Format = "gexf"
	// FormatGraphML is GraphML (NetworkX, yEd, Gephi, igraph).
	FormatGraphML Format = "graphml"
	// FormatCytoscape is Cytoscape.js JSON ({"elements": {"nodes", "edges"}}).
	FormatCytoscape Format = "cytoscape"
	// FormatCSV is two CSV tables, nodes and edges (zipped in one stream).
	FormatCSV Format = "csv"
	// FormatJSONL is JSON Lines: one record per node, then one per edge,
	// in the form Import reads.
	FormatJSONL Format = "jsonl"
)

// Formats lists the export formats.
var Formats = []Format{FormatGEXF, FormatGraphML, FormatCytoscape, FormatCSV, FormatJSONL}

// ParseFormat returns the format a name (or a file extension) stands for.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), ".")) {
	case "gexf":
		return FormatGEXF, nil
	case "graphml", "xml":
		return FormatGraphML, nil
	case "cytoscape", "cyjs", "cytoscape.json", "json":
		return FormatCytoscape, nil
	case "csv", "zip":
		return FormatCSV, nil
	case "jsonl", "ndjson":
		return FormatJSONL, nil
	}
	return "", fmt.Errorf("%w: unknown export format %q (want gexf, graphml, cytoscape, csv or jsonl)", kg.ErrInvalid, s)
}

// FormatOfPath returns the format a file name's extension stands for.
func FormatOfPath(path string) (Format, error) {
	return ParseFormat(filepath.Ext(path))
}

// ContentType is the media type of an export in format f.
func (f Format) ContentType() string {
	switch f {
	case FormatGEXF:
		return "application/gexf+xml"
	case FormatGraphML:
		return "application/graphml+xml"
	case FormatCytoscape:
		return "application/json"
	case FormatCSV:
		return "application/zip"
	case FormatJSONL:
		return "application/x-ndjson"
	}
	return "application/octet-stream"
}

// Extension is the file extension of an export in format f.
func (f Format) Extension() string {
	switch f {
	case FormatCytoscape:
		return ".cyjs"
	case FormatCSV:
		return ".zip"
	}
	return "." + string(f)
}

// MaxDepth bounds the depth of a neighbourhood export.
const MaxDepth = 6

// Filter selects what an export holds.
type Filter struct {
	// Kinds keeps the nodes of these kinds, and the edges between them
	// (empty: all).
	Kinds []kg.Kind
	// Types keeps the edges of these types (empty: all).
	Types []kg.RelType
	// AsOf keeps the edges that hold in this year (0: all).
	AsOf int
	// Node, if set, exports the neighbourhood of this node: the nodes
	// within Depth hops (1 by default, at most MaxDepth) over the kept
	// edges, and every kept edge between them.
	Node  string
	Depth int
}

// Validate checks f.
func (f *Filter) Validate() error {
	if err := kg.CheckEdgeFilter(f.Types, f.Kinds, f.AsOf); err != nil {
		return err
	}
	if f.Depth < 0 || f.Depth > MaxDepth {
		return fmt.Errorf("%w: depth must be between 1 and %d, got %d", kg.ErrInvalid, MaxDepth, f.Depth)
	}
	if f.Depth > 0 && f.Node == "" {
		return fmt.Errorf("%w: a depth needs a node", kg.ErrInvalid)
	}
	return nil
}

// kinds returns the kinds the export holds, in the ontology's order.
func (f *Filter) kinds() []kg.Kind { return kept(kg.Kinds, f.Kinds) }

// types returns the relationship types the export holds, in order.
func (f *Filter) types() []kg.RelType { return kept(kg.RelTypes, f.Types) }

// kept returns the elements of all that want holds, in the order of all;
// all of them when want is empty.
func kept[T comparable](all, want []T) []T {
	if len(want) == 0 {
		return all
	}
	var out []T
	for _, x := range all {
		if slices.Contains(want, x) {
			out = append(out, x)
		}
	}
	return out
}

// Stats counts what an export wrote.
type Stats struct{ Nodes, Edges int }

// sink is an export format's writer: it hears the nodes, then the edges.
type sink interface {
	begin() error
	node(n *kg.Node) error
	edgesBegin() error
	edge(e *kg.Edge) error
	end() error
}

// Write writes what f selects from st to w in format. Whole graphs are
// streamed: nodes and edges are read in pages (kg.Store.ScanNodes and
// ScanEdges) and written as they come, so memory holds a page, not the
// graph. A neighbourhood is collected first (it is bounded by its depth)
// and written in the same order: nodes by kind and id, edges by type and
// id. A CSV export is a zip of nodes.csv and edges.csv.
func Write(ctx context.Context, st kg.Store, f Filter, format Format, w io.Writer, prog ingest.Progress) (*Stats, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var s sink
	switch format {
	case FormatGEXF:
		s = newGEXFSink(w, &f)
	case FormatGraphML:
		s = newGraphMLSink(w, &f)
	case FormatCytoscape:
		s = newCytoscapeSink(w)
	case FormatCSV:
		s = newZipCSVSink(w, &f)
	case FormatJSONL:
		s = newJSONLSink(w)
	default:
		return nil, fmt.Errorf("%w: unknown export format %q", kg.ErrInvalid, format)
	}
	return walk(ctx, st, &f, s, prog)
}

// WriteCSV writes the nodes and edges f selects as two CSV tables.
func WriteCSV(ctx context.Context, st kg.Store, f Filter, nodes, edges io.Writer, prog ingest.Progress) (*Stats, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return walk(ctx, st, &f, newCSVSink(nodes, edges, &f), prog)
}

// walk feeds s with what f selects.
func walk(ctx context.Context, st kg.Store, f *Filter, s sink, prog ingest.Progress) (*Stats, error) {
	if f.Node != "" {
		return walkNeighbourhood(ctx, st, f, s, prog)
	}
	stats := &Stats{}
	if prog != nil {
		total := int64(0)
		if c, err := st.Stats(ctx); err == nil {
			for _, k := range f.kinds() {
				total += int64(c.NodesByKind[k])
			}
			for _, t := range f.types() {
				total += int64(c.EdgesByType[t])
			}
		}
		prog.Begin("exporting", total, "items")
		defer prog.End()
	}
	if err := s.begin(); err != nil {
		return stats, err
	}
	for after := ""; ; {
		p, err := st.ScanNodes(ctx, kg.NodeScan{Kinds: f.Kinds, After: after, First: kg.MaxPageSize})
		if err != nil {
			return stats, err
		}
		for _, n := range p.Nodes {
			if err := s.node(n); err != nil {
				return stats, err
			}
		}
		stats.Nodes += len(p.Nodes)
		if prog != nil {
			prog.Add(int64(len(p.Nodes)))
		}
		if !p.HasNextPage {
			break
		}
		after = p.EndCursor
	}
	if err := s.edgesBegin(); err != nil {
		return stats, err
	}
	for after := ""; ; {
		p, err := st.ScanEdges(ctx, kg.EdgeScan{Types: f.Types, Kinds: f.Kinds, AsOf: f.AsOf, After: after, First: kg.MaxPageSize})
		if err != nil {
			return stats, err
		}
		for _, e := range p.Edges {
			if err := s.edge(e); err != nil {
				return stats, err
			}
		}
		stats.Edges += len(p.Edges)
		if prog != nil {
			prog.Add(int64(len(p.Edges)))
		}
		if !p.HasNextPage {
			break
		}
		after = p.EndCursor
	}
	return stats, s.end()
}

// walkNeighbourhood collects the neighbourhood f names, breadth first with
// one Neighbors call per level (per thousand nodes), and feeds it to s.
func walkNeighbourhood(ctx context.Context, st kg.Store, f *Filter, s sink, prog ingest.Progress) (*Stats, error) {
	ns, err := st.GetNodes(ctx, []string{f.Node})
	if err != nil {
		return nil, err
	}
	if ns[0] == nil {
		return nil, fmt.Errorf("%w: no node with id %q", kg.ErrNotFound, f.Node)
	}
	depth := f.Depth
	if depth == 0 {
		depth = 1
	}
	nodes := map[string]*kg.Node{f.Node: ns[0]}
	edges := map[string]*kg.Edge{}
	frontier := []string{f.Node}
	for level := 0; level <= depth && len(frontier) > 0; level++ {
		q := kg.NeighborQuery{Types: f.Types, Direction: kg.Both, AsOf: f.AsOf}
		if level == depth {
			// Only the relationships among the nodes found.
			q.Among = slices.Collect(maps.Keys(nodes))
		}
		var next []string
		for start := 0; start < len(frontier); start += kg.MaxPageSize {
			q.IDs = frontier[start:min(start+kg.MaxPageSize, len(frontier))]
			nb, err := st.Neighbors(ctx, q)
			if err != nil {
				return nil, err
			}
			for _, id := range q.IDs {
				for _, h := range nb[id] {
					if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, h.Node.Kind) {
						continue
					}
					if _, in := nodes[h.Node.ID]; !in {
						nodes[h.Node.ID] = h.Node
						next = append(next, h.Node.ID)
					}
					edges[h.Edge.ID] = h.Edge
				}
			}
		}
		frontier = next
	}
	nodeList := make([]*kg.Node, 0, len(nodes))
	for _, n := range nodes {
		nodeList = append(nodeList, n)
	}
	slices.SortFunc(nodeList, func(a, b *kg.Node) int {
		return cmp.Or(cmp.Compare(slices.Index(kg.Kinds, a.Kind), slices.Index(kg.Kinds, b.Kind)), strings.Compare(a.ID, b.ID))
	})
	edgeList := make([]*kg.Edge, 0, len(edges))
	for _, e := range edges {
		edgeList = append(edgeList, e)
	}
	slices.SortFunc(edgeList, func(a, b *kg.Edge) int {
		return cmp.Or(cmp.Compare(slices.Index(kg.RelTypes, a.Type), slices.Index(kg.RelTypes, b.Type)), strings.Compare(a.ID, b.ID))
	})
	if prog != nil {
		prog.Begin("exporting", int64(len(nodeList)+len(edgeList)), "items")
		defer prog.End()
	}
	if err := s.begin(); err != nil {
		return nil, err
	}
	for _, n := range nodeList {
		if err := s.node(n); err != nil {
			return nil, err
		}
	}
	if err := s.edgesBegin(); err != nil {
		return nil, err
	}
	for _, e := range edgeList {
		if err := s.edge(e); err != nil {
			return nil, err
		}
	}
	if prog != nil {
		prog.Add(int64(len(nodeList) + len(edgeList)))
	}
	return &Stats{Nodes: len(nodeList), Edges: len(edgeList)}, s.end()
}

// nodeSpecs returns the properties of the kinds f keeps, each name once,
// in the ontology's order (common properties first).
func nodeSpecs(f *Filter) []kg.PropSpec { return unionSpecs(f.kinds(), kg.NodeProps) }

// edgeSpecs returns the properties of the relationship types f keeps.
func edgeSpecs(f *Filter) []kg.PropSpec { return unionSpecs(f.types(), kg.EdgeProps) }

// unionSpecs returns the properties of every kind (or type) of keys, each
// name once, in order of first appearance; a name whose kinds disagree on
// how it is written is shown as text.
func unionSpecs[K any](keys []K, specs func(K) []kg.PropSpec) []kg.PropSpec {
	var out []kg.PropSpec
	seen := map[string]int{}
	for _, k := range keys {
		for _, p := range specs(k) {
			if i, ok := seen[p.Name]; ok {
				if kindOfValue(out[i].Type) != kindOfValue(p.Type) {
					out[i].Type = kg.String
				}
				continue
			}
			seen[p.Name] = len(out)
			out = append(out, p)
		}
	}
	return out
}

// kindOfValue groups property types by how exports write them.
func kindOfValue(t kg.PropType) string {
	switch t {
	case kg.Int:
		return "long"
	case kg.Float:
		return "double"
	case kg.Bool:
		return "boolean"
	}
	return "string"
}

// text renders a property value as one cell or attribute: numbers in
// plain decimal, lists joined by ";" (a JSON array if an element holds a
// ";"), yearly figures as a JSON object of years.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []string:
		for _, s := range x {
			if strings.ContainsAny(s, ";；|") || strings.HasPrefix(s, "[") {
				return string(jsonBytes(x))
			}
		}
		return strings.Join(x, ";")
	case kg.Series:
		return string(jsonBytes(x))
	}
	return fmt.Sprint(v)
}

// jsonBytes encodes v as compact JSON without HTML escaping, as
// appendJSON does.
func jsonBytes(v any) []byte { return appendJSON(nil, v) }

// appendJSON appends v as compact JSON: strings without HTML escaping,
// numbers in plain decimal (see appendJSONFloat), yearly figures as an object of
// years in ascending order. Other values go through encoding/json.
func appendJSON(dst []byte, v any) []byte {
	switch x := v.(type) {
	case string:
		return appendJSONString(dst, x)
	case int64:
		return strconv.AppendInt(dst, x, 10)
	case float64:
		return appendJSONFloat(dst, x)
	case bool:
		return strconv.AppendBool(dst, x)
	case []string:
		dst = append(dst, '[')
		for i, s := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, s)
		}
		return append(dst, ']')
	case kg.Series:
		dst = append(dst, '{')
		for i, y := range x.Years() {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, '"')
			dst = strconv.AppendInt(dst, int64(y), 10)
			dst = append(dst, '"', ':')
			dst = appendJSONFloat(dst, x[y])
		}
		return append(dst, '}')
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return append(dst, "null"...)
	}
	return append(dst, bytes.TrimSuffix(b.Bytes(), []byte{'\n'})...)
}

// appendJSONFloat writes f as a plain decimal number, never with an
// exponent (149771000, not 1.49771e+08; 0.0000001, not 1e-7): the shortest
// decimal that reads back as f. NaN and infinities (which kg never stores)
// become null.
func appendJSONFloat(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	return strconv.AppendFloat(dst, f, 'f', -1, 64)
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, U+2028 and U+2029 escaped as encoding/json
// does, invalid UTF-8 replaced by U+FFFD, everything else as it is.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\\ufffd"...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// sortedProps returns the names of props in ascending order.
func sortedProps(p kg.Props) []string {
	keys := make([]string, 0, len(p))
	for k, v := range p {
		if v != nil {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}
