package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/innograph/innograph/export"
	"github.com/innograph/innograph/ingest"
	"github.com/innograph/innograph/kg"
)

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	f := newFlags("export", stdout, stderr)
	defer func() { err = f.annotate(err) }()
	var sf storeFlags
	var format, output, kinds, types, node, progress string
	var flt export.Filter
	sf.define(f)
	f.str(&format, "format", "", "", "`FORMAT`: gexf, graphml, cytoscape, csv or jsonl (default: by the output's extension, else jsonl)")
	f.str(&output, "output", "", "-", "`FILE` to write (- for standard output); for csv a .zip file or a directory for nodes.csv and edges.csv")
	f.str(&kinds, "kinds", "", "", "comma-separated `KINDS` to export (default: all), e.g. ENTERPRISE,UNIVERSITY")
	f.str(&types, "types", "", "", "comma-separated relationship `TYPES` to export (default: all), e.g. SUPPLIES,COLLABORATES_WITH")
	f.int(&flt.AsOf, "as-of", "", 0, "keep the relationships that hold in this `YEAR`")
	f.str(&node, "node", "", "", "export the neighbourhood of the node with this `ID`")
	f.int(&flt.Depth, "depth", "", 0, fmt.Sprintf("`HOPS` of the neighbourhood (1 to %d, default 1)", export.MaxDepth))
	f.str(&progress, "progress", "", "auto", "progress display, `MODE`: auto (a bar on a terminal, lines otherwise), bar, lines or none")
	if err := f.parse(args); err != nil {
		return err
	}
	if flt.Kinds, err = ingest.ParseKinds(kinds); err != nil {
		return err
	}
	if flt.Types, err = ingest.ParseRelTypes(types); err != nil {
		return err
	}
	flt.Node = node
	if err := flt.Validate(); err != nil {
		return err
	}
	var fm export.Format
	switch {
	case format != "":
		fm, err = export.ParseFormat(format)
	case output != "-" && filepath.Ext(output) != "":
		fm, err = export.FormatOfPath(output)
	default:
		fm = export.FormatJSONL
	}
	if err != nil {
		return err
	}
	prog, err := progressFor(progress, stderr)
	if err != nil {
		return err
	}
	if output == "-" {
		prog = nil // standard output may be the terminal the bar would draw on
	}
	if err := sf.validate(); err != nil {
		return err
	}
	st, err := sf.open(ctx, quietLogger(stderr), false)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	var stats *export.Stats
	switch {
	case output == "-":
		stats, err = export.Write(ctx, st, flt, fm, stdout, prog)
	case fm == export.FormatCSV && filepath.Ext(output) != ".zip":
		stats, err = exportCSVDir(ctx, st, flt, output, prog)
	default:
		stats, err = exportFile(ctx, st, flt, fm, output, prog)
	}
	if err != nil {
		return sf.explain(err)
	}
	where := output
	if output == "-" {
		where = "standard output"
	}
	fmt.Fprintf(stderr, "exported %d nodes and %d relationships as %s to %s in %s\n", stats.Nodes, stats.Edges, fm, where, time.Since(start).Round(time.Millisecond))
	return nil
}

// exportFile writes an export to a file, removing it if the export fails.
func exportFile(ctx context.Context, st kg.Store, flt export.Filter, fm export.Format, path string, prog ingest.Progress) (*export.Stats, error) {
	file, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	stats, err := export.Write(ctx, st, flt, fm, file, prog)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	return stats, nil
}

// exportCSVDir writes nodes.csv and edges.csv into directory dir.
func exportCSVDir(ctx context.Context, st kg.Store, flt export.Filter, dir string, prog ingest.Progress) (*export.Stats, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	nodes, err := os.Create(filepath.Join(dir, "nodes.csv"))
	if err != nil {
		return nil, err
	}
	defer nodes.Close()
	edges, err := os.Create(filepath.Join(dir, "edges.csv"))
	if err != nil {
		return nil, err
	}
	defer edges.Close()
	stats, err := export.WriteCSV(ctx, st, flt, nodes, edges, prog)
	if err != nil {
		return nil, err
	}
	if err := nodes.Close(); err != nil {
		return nil, err
	}
	return stats, edges.Close()
}
