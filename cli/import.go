package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/innograph/innograph/ingest"
	"github.com/innograph/innograph/kg"
)

// parseWithFiles parses flags that may stand before, between or after the
// file arguments, then the environment variables of the flags not given,
// and returns the files.
func (f *flags) parseWithFiles(args []string) ([]string, error) {
	var files []string
	for {
		if err := f.parseFlags(args); err != nil {
			return nil, err
		}
		args = f.Args()
		if len(args) == 0 {
			break
		}
		files = append(files, args[0])
		args = args[1:]
	}
	return files, f.parseEnv()
}

// parseYears parses a range of years "2021-2025" or a list "2023,2024".
func parseYears(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(strings.TrimSpace(lo))
		if err != nil {
			return nil, fmt.Errorf("years %q: %q is not a year", s, lo)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(strings.TrimSpace(hi)); err != nil {
				return nil, fmt.Errorf("years %q: %q is not a year", s, hi)
			}
		}
		if a < kg.MinYear || b > kg.MaxYear || b < a || b-a > 100 {
			return nil, fmt.Errorf("years %q: want years between %d and %d, ascending", s, kg.MinYear, kg.MaxYear)
		}
		for y := a; y <= b; y++ {
			out = append(out, y)
		}
	}
	return out, nil
}

// actor names the user running an import, for the audit log.
func actor() string {
	name := os.Getenv("USER")
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	host, _ := os.Hostname()
	switch {
	case name != "" && host != "":
		return "import:" + name + "@" + host
	case name != "":
		return "import:" + name
	}
	return "import"
}

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	f := newFlags("import", stdout, stderr)
	defer func() { err = f.annotate(err) }()
	f.args = "FILE…"
	f.more = "A FILE is CSV, TSV, XLSX, JSON or JSON Lines. With --template:\n  innograph import --template KIND|TYPE[,…]|all [--format csv|xlsx] [--years 2021-2025] [OUTPUT]"
	var sf storeFlags
	var kind, typ, progress, template, format, years string
	var opts ingest.Options
	sf.define(f)
	f.str(&kind, "kind", "", "", "`KIND` of the node rows of files that do not say (by a kind column, sheet or file name)")
	f.str(&typ, "type", "", "", "relationship `TYPE` of the rows of files that do not say")
	f.str(&opts.Encoding, "encoding", "", ingest.EncodingAuto, "`ENCODING` of CSV files: auto, utf-8, gbk, gb18030 or utf-16")
	f.boolean(&opts.DryRun, "dry-run", "", "validate and report, write nothing")
	f.str(&opts.Source, "source", "", "", "`SOURCE` of rows that name none (default: the file's name; - for none)")
	f.int(&opts.BatchSize, "batch-size", "", 0, "`ROWS` per write (default: 20000 into the embedded store, 5000 into Neo4j)")
	f.int(&opts.MaxProblems, "max-errors", "", ingest.DefaultMaxProblems, "most problems to list, `N` (all are counted)")
	f.str(&progress, "progress", "", "auto", "progress display, `MODE`: auto (a bar on a terminal, lines otherwise), bar, lines or none")
	f.str(&template, "template", "", "", "write an empty template for these `KINDS` or relationship types (or all) instead of importing")
	f.str(&format, "format", "", "", "template `FORMAT`: csv or xlsx (default: by the output's extension, else csv)")
	f.str(&years, "years", "", "", "`YEARS` of the template's yearly-figure columns, e.g. 2021-2025 (default: the five years before this one)")
	files, err := f.parseWithFiles(args)
	if err != nil {
		return err
	}
	if template != "" {
		return writeTemplate(template, format, years, files, stdout)
	}
	if len(files) == 0 {
		return fmt.Errorf("no files to import (innograph import -h tells how)")
	}
	for _, file := range files {
		if _, err := os.Stat(file); err != nil {
			return fmt.Errorf("cannot read %s: %w", file, err)
		}
	}
	if err := checkEncoding(opts.Encoding); err != nil {
		return err
	}
	if opts.BatchSize < 0 {
		return badFlag("batch-size", opts.BatchSize, "want a positive number of rows")
	}
	if opts.MaxProblems <= 0 {
		return badFlag("max-errors", opts.MaxProblems, "want a positive number")
	}
	if err := sf.validate(); err != nil {
		return err
	}
	if kind != "" {
		k, ok := ingest.ParseKind(kind)
		if !ok {
			return badFlag("kind", kind, "unknown kind")
		}
		opts.Kind = k
	}
	if typ != "" {
		t, ok := ingest.ParseRelType(typ)
		if !ok {
			return badFlag("type", typ, "unknown relationship type")
		}
		opts.Type = t
	}
	if opts.Progress, err = progressFor(progress, stderr); err != nil {
		return err
	}
	opts.Actor = actor()
	st, err := sf.open(ctx, quietLogger(stderr), false)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	rep, err := ingest.Import(ctx, st, files, opts)
	if rep != nil {
		printReport(stdout, stderr, rep, time.Since(start))
	}
	if errors.Is(err, ingest.ErrRejected) {
		return fmt.Errorf("%d rows rejected: nothing was written", rep.Rejected)
	}
	return sf.explain(err)
}

// encodings are the names --encoding takes, in any case.
var encodings = []string{"", ingest.EncodingAuto, ingest.EncodingUTF8, "utf8", ingest.EncodingGBK, "gb2312", "cp936", ingest.EncodingGB18030, ingest.EncodingUTF16, "utf16", "utf-16le", "utf-16be"}

// checkEncoding checks --encoding.
func checkEncoding(enc string) error {
	if !slices.Contains(encodings, strings.ToLower(strings.TrimSpace(enc))) {
		return badFlag("encoding", enc, "want auto, utf-8, gbk, gb18030 or utf-16")
	}
	return nil
}

// printReport prints what an import found and did: problems on stderr,
// the rest on stdout.
func printReport(stdout, stderr io.Writer, rep *ingest.Report, took time.Duration) {
	for _, p := range rep.Problems {
		fmt.Fprintln(stderr, p)
	}
	if more := rep.ProblemCount - len(rep.Problems); more > 0 {
		fmt.Fprintf(stderr, "… and %d more problems\n", more)
	}
	for _, m := range rep.Matches {
		fmt.Fprintf(stdout, "matched by credit code %s: %s (id %q) updates stored enterprise %q\n", m.CreditCode, m.Where, m.ID, m.StoredID)
	}
	if len(rep.Duplicates) > 0 {
		fmt.Fprintf(stdout, "possible duplicates (same name, different ids): %d\n", len(rep.Duplicates))
		for i, d := range rep.Duplicates {
			if i == 20 {
				fmt.Fprintf(stdout, "  … and %d more\n", len(rep.Duplicates)-20)
				break
			}
			line := fmt.Sprintf("  %s %q: %s", d.Kind, d.Name, strings.Join(d.IDs, ", "))
			if len(d.StoredIDs) > 0 {
				line += " (stored: " + strings.Join(d.StoredIDs, ", ") + ")"
			}
			fmt.Fprintln(stdout, line)
		}
	}
	fmt.Fprintf(stdout, "read %d node rows and %d relationship rows from %d files\n", rep.NodeRows, rep.EdgeRows, len(rep.Files))
	r := rep.Result
	switch {
	case rep.ProblemCount > 0:
		fmt.Fprintf(stdout, "rejected: %d rows with %d problems; nothing was written\n", rep.Rejected, rep.ProblemCount)
	case rep.DryRun:
		fmt.Fprintf(stdout, "dry run: every row is valid; %d nodes and %d relationships are new, %d and %d exist; nothing was written\n",
			rep.NewNodes, rep.NewEdges, rep.NodeRows-rep.NewNodes, rep.EdgeRows-rep.NewEdges)
	default:
		fmt.Fprintf(stdout, "nodes:         %d created, %d updated, %d unchanged\n", r.NodesCreated, r.NodesUpdated, r.NodesUnchanged)
		fmt.Fprintf(stdout, "relationships: %d created, %d updated, %d unchanged\n", r.EdgesCreated, r.EdgesUpdated, r.EdgesUnchanged)
		fmt.Fprintf(stdout, "summary: %d created, %d updated, %d unchanged, 0 rejected (%d batches, %s)\n",
			r.NodesCreated+r.EdgesCreated, r.NodesUpdated+r.EdgesUpdated, r.NodesUnchanged+r.EdgesUnchanged, rep.Batches, took.Round(time.Millisecond))
	}
}

// writeTemplate writes an empty import template.
func writeTemplate(names, format, years string, outputs []string, stdout io.Writer) error {
	targets, err := ingest.ParseTemplateTargets(names)
	if err != nil {
		return err
	}
	var ys []int
	if years == "" {
		now := time.Now().Year()
		ys, _ = parseYears(fmt.Sprintf("%d-%d", now-5, now-1))
	} else if ys, err = parseYears(years); err != nil {
		return err
	}
	if len(outputs) > 1 {
		return fmt.Errorf("a template goes to one file, got %d", len(outputs))
	}
	out := ""
	if len(outputs) == 1 {
		out = outputs[0]
	}
	if format == "" {
		format = "csv"
		if strings.EqualFold(filepath.Ext(out), ".xlsx") {
			format = "xlsx"
		}
	}
	format = strings.ToLower(format)
	if format != "csv" && format != "xlsx" {
		return badFlag("format", format, "want csv or xlsx")
	}
	if format == "csv" && len(targets) != 1 {
		return fmt.Errorf("a CSV template holds one kind or type, got %d: use --format xlsx for several", len(targets))
	}
	if out == "" {
		switch {
		case format == "xlsx" && len(targets) == 1:
			out = targets[0].Name() + ".xlsx"
		case format == "xlsx":
			out = "template.xlsx"
		default:
			out = targets[0].Name() + ".csv"
		}
	}
	var w io.Writer = stdout
	if out != "-" {
		file, err := os.Create(out)
		if err != nil {
			return err
		}
		defer file.Close()
		w = file
	}
	switch format {
	case "csv":
		if len(targets) != 1 {
			return fmt.Errorf("a CSV template holds one kind or type, got %d: use --format xlsx for several", len(targets))
		}
		err = ingest.WriteTemplateCSV(w, targets[0], ys)
	case "xlsx":
		err = ingest.WriteTemplateXLSX(w, targets, ys)
	default:
		return badFlag("format", format, "want csv or xlsx")
	}
	if err != nil {
		return err
	}
	if out != "-" {
		names := make([]string, len(targets))
		for i, t := range targets {
			names[i] = t.Name()
		}
		fmt.Fprintf(stdout, "wrote the %s template of %s to %s\n", format, strings.Join(names, ", "), out)
	}
	return nil
}
