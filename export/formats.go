package export

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/innograph/innograph/ingest"
	"github.com/innograph/innograph/kg"
)

// xmlText escapes s for an XML attribute or text.
func xmlText(s string) string {
	var b strings.Builder
	// xml.EscapeText never fails writing to a strings.Builder.
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// --- JSON Lines ---

// jsonlSink writes one JSON object per line: {"id", "kind", properties…}
// for a node, {"id", "type", "from", "to", properties…} for an edge,
// properties in ascending order of name, so that the same graph always
// gives the same bytes. Timestamps are left out: they are the store's,
// not the data's.
type jsonlSink struct{ w *bufio.Writer }

func newJSONLSink(w io.Writer) *jsonlSink { return &jsonlSink{w: bufio.NewWriterSize(w, 1<<16)} }

func (s *jsonlSink) begin() error      { return nil }
func (s *jsonlSink) edgesBegin() error { return nil }
func (s *jsonlSink) end() error        { return s.w.Flush() }

func (s *jsonlSink) node(n *kg.Node) error {
	fmt.Fprintf(s.w, `{"id":%s,"kind":%s`, jsonBytes(n.ID), jsonBytes(string(n.Kind)))
	writeJSONProps(s.w, n.Props)
	_, err := s.w.WriteString("}\n")
	return err
}

func (s *jsonlSink) edge(e *kg.Edge) error {
	fmt.Fprintf(s.w, `{"id":%s,"type":%s,"from":%s,"to":%s`, jsonBytes(e.ID), jsonBytes(string(e.Type)), jsonBytes(e.From), jsonBytes(e.To))
	writeJSONProps(s.w, e.Props)
	_, err := s.w.WriteString("}\n")
	return err
}

// --- Cytoscape.js ---

// cytoscapeSink writes Cytoscape.js elements JSON: nodes with data {id,
// kind, label (the name), properties…}, edges with data {id, source,
// target, type, properties…}.
type cytoscapeSink struct {
	w     *bufio.Writer
	first bool
}

func newCytoscapeSink(w io.Writer) *cytoscapeSink {
	return &cytoscapeSink{w: bufio.NewWriterSize(w, 1<<16)}
}

func (s *cytoscapeSink) begin() error {
	s.first = true
	_, err := s.w.WriteString(`{"elements":{"nodes":[`)
	return err
}

func (s *cytoscapeSink) sep() {
	if !s.first {
		s.w.WriteByte(',')
	}
	s.first = false
	s.w.WriteString("\n")
}

// writeJSONProps writes p's properties as JSON members after others (each
// led by a comma), in name order; a name in reserved becomes "prop_" + name.
func writeJSONProps(w *bufio.Writer, p kg.Props, reserved ...string) {
	for _, k := range sortedProps(p) {
		name := k
		if slices.Contains(reserved, k) {
			name = "prop_" + k
		}
		w.WriteByte(',')
		w.Write(jsonBytes(name))
		w.WriteByte(':')
		w.Write(jsonBytes(p[k]))
	}
}

func (s *cytoscapeSink) node(n *kg.Node) error {
	s.sep()
	fmt.Fprintf(s.w, `{"group":"nodes","data":{"id":%s,"kind":%s,"label":%s`, jsonBytes(n.ID), jsonBytes(string(n.Kind)), jsonBytes(n.Name()))
	writeJSONProps(s.w, n.Props, "id", "kind", "label")
	_, err := s.w.WriteString("}}")
	return err
}

func (s *cytoscapeSink) edgesBegin() error {
	s.first = true
	_, err := s.w.WriteString("\n],\"edges\":[")
	return err
}

func (s *cytoscapeSink) edge(e *kg.Edge) error {
	s.sep()
	fmt.Fprintf(s.w, `{"group":"edges","data":{"id":%s,"source":%s,"target":%s,"type":%s,"label":%s`,
		jsonBytes(e.ID), jsonBytes(e.From), jsonBytes(e.To), jsonBytes(string(e.Type)), jsonBytes(kg.RelSpecs[e.Type].Chinese))
	writeJSONProps(s.w, e.Props, "id", "source", "target", "type", "label")
	_, err := s.w.WriteString("}}")
	return err
}

func (s *cytoscapeSink) end() error {
	s.w.WriteString("\n]}}\n")
	return s.w.Flush()
}

// --- CSV ---

// csvSink writes nodes and edges as two CSV tables whose columns are
// those Import reads: id, kind and every property of the exported kinds;
// id, type, from, to and every property of the exported types. Yearly
// figures are JSON objects of years, lists are separated by ";".
type csvSink struct {
	nodes, edges *csv.Writer
	nodeCols     []string
	edgeCols     []string
	// onEdges, if set, is called when the edges start (to open their
	// output).
	onEdges          func() error
	nodeOut, edgeOut io.Writer
}

func newCSVSink(nodes, edges io.Writer, f *Filter) *csvSink {
	s := &csvSink{nodeOut: nodes, edgeOut: edges}
	for _, p := range nodeSpecs(f) {
		s.nodeCols = append(s.nodeCols, p.Name)
	}
	for _, p := range edgeSpecs(f) {
		s.edgeCols = append(s.edgeCols, p.Name)
	}
	return s
}

func (s *csvSink) begin() error {
	s.nodes = csv.NewWriter(s.nodeOut)
	return s.nodes.Write(append([]string{ingest.ColumnID, ingest.ColumnKind}, s.nodeCols...))
}

func (s *csvSink) node(n *kg.Node) error {
	row := make([]string, 2+len(s.nodeCols))
	row[0], row[1] = n.ID, string(n.Kind)
	for i, c := range s.nodeCols {
		if v, ok := n.Props[c]; ok && v != nil {
			row[2+i] = text(v)
		}
	}
	return s.nodes.Write(row)
}

func (s *csvSink) edgesBegin() error {
	s.nodes.Flush()
	if err := s.nodes.Error(); err != nil {
		return err
	}
	if s.onEdges != nil {
		if err := s.onEdges(); err != nil {
			return err
		}
	}
	s.edges = csv.NewWriter(s.edgeOut)
	return s.edges.Write(append([]string{ingest.ColumnID, ingest.ColumnType, ingest.ColumnFrom, ingest.ColumnTo}, s.edgeCols...))
}

func (s *csvSink) edge(e *kg.Edge) error {
	row := make([]string, 4+len(s.edgeCols))
	row[0], row[1], row[2], row[3] = e.ID, string(e.Type), e.From, e.To
	for i, c := range s.edgeCols {
		if v, ok := e.Props[c]; ok && v != nil {
			row[4+i] = text(v)
		}
	}
	return s.edges.Write(row)
}

func (s *csvSink) end() error {
	s.edges.Flush()
	return s.edges.Error()
}

// zipCSVSink writes the two CSV tables as nodes.csv and edges.csv of a
// zip archive, streamed.
type zipCSVSink struct {
	*csvSink
	zw *zip.Writer
}

func newZipCSVSink(w io.Writer, f *Filter) *zipCSVSink {
	s := &zipCSVSink{csvSink: newCSVSink(nil, nil, f), zw: zip.NewWriter(w)}
	s.onEdges = func() error {
		out, err := s.zw.Create("edges.csv")
		s.edgeOut = out
		return err
	}
	return s
}

func (s *zipCSVSink) begin() error {
	out, err := s.zw.Create("nodes.csv")
	if err != nil {
		return err
	}
	s.nodeOut = out
	return s.csvSink.begin()
}

func (s *zipCSVSink) end() error {
	if err := s.csvSink.end(); err != nil {
		return err
	}
	return s.zw.Close()
}

// --- GraphML ---

// graphmlSink writes GraphML: node data kind, label (the name) and every
// property of the exported kinds; edge data type and every property of
// the exported types. Numbers and booleans are typed (long, double,
// boolean); lists and yearly figures are text (see text).
type graphmlSink struct {
	w         *bufio.Writer
	nodeSpecs []kg.PropSpec
	edgeSpecs []kg.PropSpec
}

func newGraphMLSink(w io.Writer, f *Filter) *graphmlSink {
	return &graphmlSink{w: bufio.NewWriterSize(w, 1<<16), nodeSpecs: nodeSpecs(f), edgeSpecs: edgeSpecs(f)}
}

func (s *graphmlSink) begin() error {
	s.w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
`)
	s.w.WriteString(`  <key id="n_kind" for="node" attr.name="kind" attr.type="string"/>` + "\n")
	s.w.WriteString(`  <key id="n_label" for="node" attr.name="label" attr.type="string"/>` + "\n")
	for _, p := range s.nodeSpecs {
		fmt.Fprintf(s.w, "  <key id=\"n_%s\" for=\"node\" attr.name=\"%s\" attr.type=\"%s\"/>\n", p.Name, p.Name, kindOfValue(p.Type))
	}
	s.w.WriteString(`  <key id="e_type" for="edge" attr.name="type" attr.type="string"/>` + "\n")
	for _, p := range s.edgeSpecs {
		fmt.Fprintf(s.w, "  <key id=\"e_%s\" for=\"edge\" attr.name=\"%s\" attr.type=\"%s\"/>\n", p.Name, p.Name, kindOfValue(p.Type))
	}
	_, err := s.w.WriteString("  <graph id=\"innograph\" edgedefault=\"directed\">\n")
	return err
}

func (s *graphmlSink) data(key, value string) {
	fmt.Fprintf(s.w, "<data key=\"%s\">%s</data>", key, xmlText(value))
}

func (s *graphmlSink) node(n *kg.Node) error {
	fmt.Fprintf(s.w, "    <node id=\"%s\">", xmlText(n.ID))
	s.data("n_kind", string(n.Kind))
	s.data("n_label", n.Name())
	for _, p := range s.nodeSpecs {
		if v, ok := n.Props[p.Name]; ok && v != nil {
			s.data("n_"+p.Name, text(v))
		}
	}
	_, err := s.w.WriteString("</node>\n")
	return err
}

func (s *graphmlSink) edgesBegin() error { return nil }

func (s *graphmlSink) edge(e *kg.Edge) error {
	fmt.Fprintf(s.w, "    <edge id=\"%s\" source=\"%s\" target=\"%s\">", xmlText(e.ID), xmlText(e.From), xmlText(e.To))
	s.data("e_type", string(e.Type))
	for _, p := range s.edgeSpecs {
		if v, ok := e.Props[p.Name]; ok && v != nil {
			s.data("e_"+p.Name, text(v))
		}
	}
	_, err := s.w.WriteString("</edge>\n")
	return err
}

func (s *graphmlSink) end() error {
	s.w.WriteString("  </graph>\n</graphml>\n")
	return s.w.Flush()
}

// --- GEXF ---

// gexfSink writes GEXF 1.3, static and directed: node label the name,
// attributes kind and every property of the exported kinds; edge label
// the type, attributes type and every property of the exported types.
type gexfSink struct {
	w         *bufio.Writer
	nodeSpecs []kg.PropSpec
	edgeSpecs []kg.PropSpec
}

func newGEXFSink(w io.Writer, f *Filter) *gexfSink {
	return &gexfSink{w: bufio.NewWriterSize(w, 1<<16), nodeSpecs: nodeSpecs(f), edgeSpecs: edgeSpecs(f)}
}

func (s *gexfSink) begin() error {
	s.w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">
  <meta>
    <creator>InnoGraph</creator>
    <description>innovation ecosystem knowledge graph</description>
  </meta>
  <graph defaultedgetype="directed" mode="static">
    <attributes class="node">
      <attribute id="kind" title="kind" type="string"/>
`)
	for _, p := range s.nodeSpecs {
		fmt.Fprintf(s.w, "      <attribute id=\"%s\" title=\"%s\" type=\"%s\"/>\n", p.Name, p.Name, kindOfValue(p.Type))
	}
	s.w.WriteString("    </attributes>\n    <attributes class=\"edge\">\n      <attribute id=\"type\" title=\"type\" type=\"string\"/>\n")
	for _, p := range s.edgeSpecs {
		fmt.Fprintf(s.w, "      <attribute id=\"%s\" title=\"%s\" type=\"%s\"/>\n", p.Name, p.Name, kindOfValue(p.Type))
	}
	_, err := s.w.WriteString("    </attributes>\n    <nodes>\n")
	return err
}

func (s *gexfSink) att(id, value string) {
	fmt.Fprintf(s.w, "<attvalue for=\"%s\" value=\"%s\"/>", id, xmlText(value))
}

func (s *gexfSink) node(n *kg.Node) error {
	fmt.Fprintf(s.w, "      <node id=\"%s\" label=\"%s\"><attvalues>", xmlText(n.ID), xmlText(n.Name()))
	s.att("kind", string(n.Kind))
	for _, p := range s.nodeSpecs {
		if v, ok := n.Props[p.Name]; ok && v != nil {
			s.att(p.Name, text(v))
		}
	}
	_, err := s.w.WriteString("</attvalues></node>\n")
	return err
}

func (s *gexfSink) edgesBegin() error {
	_, err := s.w.WriteString("    </nodes>\n    <edges>\n")
	return err
}

func (s *gexfSink) edge(e *kg.Edge) error {
	fmt.Fprintf(s.w, "      <edge id=\"%s\" source=\"%s\" target=\"%s\" label=\"%s\"><attvalues>", xmlText(e.ID), xmlText(e.From), xmlText(e.To), e.Type)
	s.att("type", string(e.Type))
	for _, p := range s.edgeSpecs {
		if v, ok := e.Props[p.Name]; ok && v != nil {
			s.att(p.Name, text(v))
		}
	}
	_, err := s.w.WriteString("</attvalues></edge>\n")
	return err
}

func (s *gexfSink) end() error {
	s.w.WriteString("    </edges>\n  </graph>\n</gexf>\n")
	return s.w.Flush()
}
