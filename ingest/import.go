package ingest

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/innograph/innograph/kg"
)

// Defaults of Options.
const (
	DefaultBatchSize   = 5000
	DefaultMaxProblems = 100
)

// ErrRejected is returned by Import when a file has problems: nothing
// was written. It wraps kg.ErrInvalid.
var ErrRejected = fmt.Errorf("%w: the import was refused and nothing was written", kg.ErrInvalid)

// Options configure an import.
type Options struct {
	// Kind is the kind of the node records of tables whose sheet or file
	// name is no kind or type; a kind column overrides it.
	Kind kg.Kind
	// Type is the relationship type of the records with from and to of
	// such tables; a type column overrides it.
	Type kg.RelType
	// Encoding of CSV files: EncodingAuto (the default), EncodingUTF8,
	// EncodingGBK, EncodingGB18030 or EncodingUTF16.
	Encoding string
	// DryRun validates everything and writes nothing.
	DryRun bool
	// Source is given to records without a source property: "" gives
	// the file's name, "-" nothing.
	Source string
	// BatchSize is how many records one write holds; 0 means the size
	// the store asks for (see BatchSizer), else DefaultBatchSize.
	BatchSize int
	// MaxProblems bounds the problems a Report lists (DefaultMaxProblems);
	// all are counted.
	MaxProblems int
	// Actor names who imports, in the audit log ("import" if empty).
	Actor string
	// Progress, if set, hears how far the import is.
	Progress Progress
}

// BatchSizer is a store that names how many records one write of an
// import should hold when Options.BatchSize does not say: the embedded
// store asks for larger batches than DefaultBatchSize, since each write is
// one synced commit. Every batch is still written all or nothing.
type BatchSizer interface {
	ImportBatchSize() int
}

// Preparer is a store that checks a batch for all that does not depend on
// the stored graph (kg.PrepareBatch) apart from writing it, so that an
// import prepares the next batch while the store writes the one before.
// PrepareWrite takes the batch over: the import does not touch its
// slices and maps again, so the store need not copy them. The write it
// returns applies the batch as Apply would, all or nothing, with the
// same checks against the stored graph; the import calls each at most
// once, in order.
type Preparer interface {
	PrepareWrite(ctx context.Context, b kg.Batch) (write func(context.Context) (*kg.WriteResult, error), err error)
}

// Progress hears how far a long import or export is.
type Progress interface {
	// Begin starts a phase of total units ("bytes", "rows"); total < 0
	// means unknown.
	Begin(phase string, total int64, unit string)
	// Add counts n more units done.
	Add(n int64)
	// End ends the phase.
	End()
}

// Problem is one reason an import is refused, named by file, sheet, row
// and column.
type Problem struct {
	File  string
	Sheet string // of a workbook
	// Row is the row of a CSV file or sheet (the header is row 1), the
	// line of a JSON Lines file, the position of a record in a JSON
	// file; 0 for the file as a whole.
	Row int
	// Column is the column's name (or a JSON key); Cell its letter in a
	// CSV file or sheet ("C").
	Column string
	Cell   string
	// ID is the record's id, if known.
	ID      string
	Message string
	format  string
}

// String renders the problem as "file [sheet]: row 3, column C (creditCode): message".
func (p Problem) String() string {
	var place []string
	if p.Row > 0 {
		place = append(place, fmt.Sprintf("%s %d", unitOf(p.format), p.Row))
	}
	switch {
	case p.Column != "" && p.Cell != "":
		place = append(place, fmt.Sprintf("column %s (%s)", p.Cell, p.Column))
	case p.Column != "" && (p.format == formatJSON || p.format == formatJSONL):
		place = append(place, fmt.Sprintf("field %q", p.Column))
	case p.Column != "":
		place = append(place, fmt.Sprintf("column %q", p.Column))
	}
	var b strings.Builder
	b.WriteString(p.File)
	if p.Sheet != "" {
		fmt.Fprintf(&b, " [%s]", p.Sheet)
	}
	if len(place) > 0 {
		b.WriteString(": ")
		b.WriteString(strings.Join(place, ", "))
	}
	if p.ID != "" {
		fmt.Fprintf(&b, " (id %q)", p.ID)
	}
	b.WriteString(": ")
	b.WriteString(p.Message)
	return b.String()
}

// Duplicate is a possible duplicate: records of one kind whose names are
// the same once normalised (see NormalName), under different ids.
type Duplicate struct {
	Kind kg.Kind
	Name string
	// IDs are the ids the import gives them; StoredIDs those of stored
	// nodes of the same name that the import does not write.
	IDs       []string
	StoredIDs []string
}

// Match is an enterprise record matched by its credit code to a stored
// enterprise of another id: the import updates the stored one.
type Match struct {
	ID, StoredID, CreditCode string
	Where                    string // file [sheet]: row
}

// Report says what an import found and did.
type Report struct {
	Files              []string
	NodeRows, EdgeRows int
	// Rejected counts the rows with problems.
	Rejected int
	// Problems lists the first Options.MaxProblems problems;
	// ProblemCount counts them all.
	Problems     []Problem
	ProblemCount int
	Duplicates   []Duplicate
	Matches      []Match
	// Result sums the writes (zero for a dry run or a refused import).
	Result kg.WriteResult
	// Batches counts the writes that succeeded.
	Batches int
	// NewNodes and NewEdges count the records whose ids are not stored
	// yet, as found by the validation.
	NewNodes, NewEdges int
	DryRun             bool
}

// origin locates a record: its table and row.
type origin struct{ table, row int32 }

// importer holds the state of one import.
type importer struct {
	st     kg.Store
	opts   Options
	tables []*table
	rep    *Report

	rejected map[origin]bool
	nodes    map[string]nodeInfo // node id → kind and origin
	edges    []edgeInfo
	credit   map[string]string // credit code → id of the record carrying it
	names    map[kg.Kind]map[string]*nameGroup
	remap    map[string]string // record id → stored id (credit-code matches)
	stored   map[string]kg.Kind
	storedE  map[string]edgeInfo
	stats    *kg.Stats
	// owners are the stored enterprises of each credit code of the
	// records; storedNames the stored nodes of each normalised name of the
	// records, by kind (see scanStored).
	owners      map[string][]string
	storedNames map[kg.Kind]map[string][]string
}

type nodeInfo struct {
	kind kg.Kind
	at   origin
	name string // normalised
}

type edgeInfo struct {
	id       string
	explicit bool
	typ      kg.RelType
	from, to string
	at       origin
}

type nameGroup struct {
	name   string
	ids    []string
	stored []string
}

// Import validates every record of the files against the ontology and the
// store, and only if all of them pass writes them, in batches of
// Options.BatchSize: node records first, then relationships.
//
// Validation reads every file completely (first pass): each record is
// converted and checked by kg.PrepareBatch; then credit codes are matched
// to stored enterprises, and kg.CheckBatch checks every record against
// the store's facts (kinds of stored nodes, relationship ends, ids of
// stored relationships). Problems name file, sheet, row and column; if
// there is any, Import returns ErrRejected and writes nothing. Writing
// reads the files again (second pass), so that memory holds the ids of
// the records, not the records. A batch none of whose records the
// validation found stored is marked kg.Batch.New, so that the store may
// create them without reading them first (a hint: the outcome is the same
// without it).
//
// Writes are idempotent upserts: importing the same files again changes
// nothing. A write that fails (the store goes away, or a concurrent
// writer deleted a node a relationship needs) stops the import with the
// batches before it written; so does a crash. Running the import again
// completes it.
func Import(ctx context.Context, st kg.Store, paths []string, opts Options) (*Report, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
		if bs, ok := st.(BatchSizer); ok && bs.ImportBatchSize() > 0 {
			opts.BatchSize = bs.ImportBatchSize()
		}
	}
	if opts.MaxProblems <= 0 {
		opts.MaxProblems = DefaultMaxProblems
	}
	if opts.Actor == "" {
		opts.Actor = "import"
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%w: no files to import", kg.ErrInvalid)
	}
	im := &importer{
		st: st, opts: opts,
		rep:      &Report{Files: paths, DryRun: opts.DryRun},
		rejected: map[origin]bool{},
		nodes:    map[string]nodeInfo{},
		credit:   map[string]string{},
		names:    map[kg.Kind]map[string]*nameGroup{},
		remap:    map[string]string{},
		stored:   map[string]kg.Kind{},
		storedE:  map[string]edgeInfo{},
	}
	var size int64
	defer func() { closeTables(im.tables) }()
	for _, p := range paths {
		ts, err := openTables(ctx, p, &opts)
		if err != nil {
			return nil, err
		}
		im.tables = append(im.tables, ts...)
		size += ts[0].size
	}
	if err := im.read(ctx, size); err != nil {
		return im.rep, err
	}
	if err := im.check(ctx); err != nil {
		return im.rep, err
	}
	im.rep.Rejected = len(im.rejected)
	if im.rep.ProblemCount > 0 {
		return im.rep, ErrRejected
	}
	if opts.DryRun {
		return im.rep, nil
	}
	return im.rep, im.write(ctx)
}

// source is the source given to the records of t that carry none.
func (im *importer) source(t *table) string {
	switch im.opts.Source {
	case "":
		return defaultSource(t.file)
	case "-":
		return ""
	}
	return im.opts.Source
}

// problem records a problem of the record at (ti, row).
func (im *importer) problem(ti, row int, column string, col int, id, msg string) {
	t := im.tables[ti]
	p := Problem{File: t.file, Sheet: t.sheet, Row: row, Column: column, ID: id, Message: msg, format: t.format}
	if t.format == formatCSV || t.format == formatXLSX {
		if col < 0 && column != "" {
			col = slices.Index(t.header, column)
		}
		if col >= 0 {
			p.Cell = columnLetters(col)
		}
	}
	im.add(ti, p)
}

// add counts and (up to Options.MaxProblems) lists a problem of table ti.
func (im *importer) add(ti int, p Problem) {
	im.rep.ProblemCount++
	if p.Row > 0 {
		im.rejected[origin{int32(ti), int32(p.Row)}] = true
	}
	if len(im.rep.Problems) < im.opts.MaxProblems {
		im.rep.Problems = append(im.rep.Problems, p)
	}
}

// tableError records the error that ended the reading of table ti: at its
// row if it names one, for the whole file if it is damage to a part of a
// workbook that no sheet holds (once for the workbook).
func (im *importer) tableError(ti int, err error) {
	t := im.tables[ti]
	var bd *bookDamage
	var re *rowError
	switch {
	case errors.As(err, &bd) && bd.sheet == "":
		if ti > 0 && im.tables[ti-1].file == t.file && im.tables[ti-1].broken == t.broken {
			return
		}
		im.add(ti, Problem{File: t.file, Message: err.Error(), format: t.format})
	case errors.As(err, &bd):
		im.problem(ti, bd.row, "", -1, "", err.Error())
	case errors.As(err, &re):
		im.problem(ti, re.row, "", -1, "", err.Error())
	default:
		im.problem(ti, 0, "", -1, "", err.Error())
	}
}

// checkBook checks the workbook whose first sheet is table ti (see
// checkWorkbook). A damaged sheet is not read: its damage is its problem.
// Damage to any other part of the workbook (shared strings, the workbook
// part, an unreadable zip entry) is a problem of the file, and none of
// its sheets is read.
func (im *importer) checkBook(ctx context.Context, ti int) error {
	first := im.tables[ti]
	err := checkWorkbook(ctx, first.file)
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var bd *bookDamage
	errors.As(err, &bd)
	for _, t := range im.tables[ti:] {
		if t.book != first.book {
			break
		}
		if bd == nil || bd.sheet == "" || bd.sheet == t.sheet {
			t.broken = err
		}
	}
	return nil
}

// fieldOf returns the field of rec that a kg.FieldError names: the
// column of the property, or of the year of a yearly figure at fault.
func fieldOf(rec *record, fe kg.FieldError) field {
	if f, ok := rec.get(fe.Field); ok {
		return f
	}
	var first *field
	for i := range rec.fields {
		f := &rec.fields[i]
		if base, year, ok := strings.Cut(f.name, "."); ok && base == fe.Field {
			if fe.Year != 0 && year == strconv.Itoa(fe.Year) {
				return *f
			}
			if first == nil {
				first = f
			}
		}
	}
	if first != nil {
		return *first
	}
	return field{col: -1, name: fe.Field}
}

// read is the first pass: it converts and prepares every record, and
// collects the ids, kinds, credit codes and names the checks need.
func (im *importer) read(ctx context.Context, size int64) error {
	prog := im.opts.Progress
	var onBytes func(int64)
	if prog != nil {
		prog.Begin("validating", size, "bytes")
		defer prog.End()
		onBytes = prog.Add
	}
	for ti, t := range im.tables {
		if t.book != nil && (ti == 0 || im.tables[ti-1].book != t.book) {
			if err := im.checkBook(ctx, ti); err != nil {
				return err
			}
		}
		err := im.readTable(ctx, ti, onBytes)
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			im.tableError(ti, err)
		}
		lastSheet := ti+1 == len(im.tables) || im.tables[ti+1].book != t.book
		if t.book != nil && prog != nil && lastSheet {
			prog.Add(t.size)
		}
	}
	return nil
}

// readRow is a record of the first pass, converted and normalised.
type readRow struct {
	// rec is the record, its fields kept only for problems to name.
	rec   record
	bad   error
	it    item
	probs []cellProblem
	// errs are kg's problems with the record (kg.NormalizeNode,
	// kg.NormalizeEdge).
	errs []kg.FieldError
}

// readChunk is how many rows the first pass hands over at once.
const readChunk = 256

// readTable reads table ti in the first pass: a goroutine reads,
// converts and normalises its records (rows) while this one records
// their ids, kinds, ends, names and problems, in order.
func (im *importer) readTable(ctx context.Context, ti int, onBytes func(int64)) error {
	t := im.tables[ti]
	ch := make(chan []readRow, 4)
	done := make(chan error, 1)
	go func() {
		defer close(ch)
		done <- im.rows(ctx, t, onBytes, ch)
	}()
	for chunk := range ch {
		for i := range chunk {
			im.readRow(ti, &chunk[i])
		}
	}
	return <-done
}

// rows reads, converts and normalises the records of t and sends them
// to ch in chunks.
func (im *importer) rows(ctx context.Context, t *table, onBytes func(int64), ch chan<- []readRow) error {
	src := im.source(t)
	chunk := make([]readRow, 0, readChunk)
	send := func() error {
		select {
		case ch <- chunk:
		case <-ctx.Done():
			return ctx.Err()
		}
		chunk = make([]readRow, 0, readChunk)
		return nil
	}
	err := t.each(ctx, &im.opts, onBytes, func(rec record, bad error) error {
		if bad == nil && len(rec.fields) == 0 {
			return nil
		}
		r := readRow{rec: record{row: rec.row}, bad: bad}
		if bad == nil {
			r.it, r.probs = convert(t, &rec, src)
			r.errs = normalize(r.it)
			if len(r.errs) > 0 {
				r.rec.fields = slices.Clone(rec.fields) // each reuses them
			}
		}
		chunk = append(chunk, r)
		if len(chunk) == readChunk {
			return send()
		}
		return nil
	})
	if err == nil && len(chunk) > 0 {
		err = send()
	}
	return err
}

// normalize normalises the node or the edge of a record in place
// (kg.NormalizeNode, kg.NormalizeEdge: of a known kind or type) and
// returns kg's problems with it. The edge is normalised on a copy, so
// that it keeps its id, or none: a default id is given once its ends
// are matched.
func normalize(it item) []kg.FieldError {
	if n := it.node; n != nil {
		if !kg.ValidKind(n.Kind) {
			return nil
		}
		if n.Props == nil {
			n.Props = kg.Props{}
		}
		return kg.NormalizeNode(n)
	}
	e := it.edge
	if !kg.ValidRelType(e.Type) {
		return nil
	}
	c := *e
	if c.Props == nil {
		c.Props = kg.Props{}
	}
	errs := kg.NormalizeEdge(&c)
	e.Props = c.Props
	return errs
}

// readRow records a row of table ti read by the first pass: its
// problems, and its node's id, kind, credit code and name, or its
// relationship's type and ends.
func (im *importer) readRow(ti int, r *readRow) {
	rec := &r.rec
	if bad := r.bad; bad != nil {
		var ce *cellError
		switch {
		case errors.As(bad, &ce) && ce.name != "":
			im.problem(ti, rec.row, ce.name, ce.col, "", bad.Error())
		case errors.As(bad, &ce):
			im.problem(ti, rec.row, "", -1, "", fmt.Sprintf("column %s: %v", columnLetters(ce.col), bad))
		default:
			im.problem(ti, rec.row, "", -1, "", bad.Error())
		}
		return
	}
	t := im.tables[ti]
	it := r.it
	id := ""
	if it.node != nil {
		id = it.node.ID
	} else {
		id = it.edge.ID
	}
	for _, p := range r.probs {
		im.problem(ti, rec.row, p.field.name, p.field.col, id, p.message)
	}
	im.fieldErrors(ti, rec, r.errs)
	at := origin{int32(ti), int32(rec.row)}
	if it.node != nil {
		t.hasNodes = true
		im.rep.NodeRows++
		im.prepareNode(ti, rec, it.node, at)
	} else {
		t.hasEdges = true
		im.rep.EdgeRows++
		im.prepareEdge(it, at)
	}
}

// prepareNode records the id, kind, credit code and name of a node
// record, normalised (normalize).
func (im *importer) prepareNode(ti int, rec *record, n *kg.Node, at origin) {
	if n.ID == "" || !kg.ValidKind(n.Kind) {
		return
	}
	if prev, dup := im.nodes[n.ID]; dup {
		im.problem(ti, rec.row, ColumnID, -1, n.ID, fmt.Sprintf("id repeats %s", im.where(prev.at)))
		return
	}
	info := nodeInfo{kind: n.Kind, at: at}
	if name, ok := n.Props["name"].(string); ok {
		info.name = NormalName(name)
	}
	im.nodes[n.ID] = info
	if code, ok := n.Props["creditCode"].(string); ok && n.Kind == kg.Enterprise && kg.ValidateCreditCode(code) == nil {
		if other, dup := im.credit[code]; dup {
			im.problem(ti, rec.row, "creditCode", -1, n.ID, fmt.Sprintf("credit code %s is also the code of %q (%s)", code, other, im.where(im.nodes[other].at)))
		} else {
			im.credit[code] = n.ID
		}
	}
	if name, ok := n.Props["name"].(string); ok {
		nn := info.name
		if nn == "" {
			return
		}
		byName := im.names[n.Kind]
		if byName == nil {
			byName = map[string]*nameGroup{}
			im.names[n.Kind] = byName
		}
		if g := byName[nn]; g != nil {
			g.ids = append(g.ids, n.ID)
		} else {
			byName[nn] = &nameGroup{name: name, ids: []string{n.ID}}
		}
	}
}

// prepareEdge records the type and ends of a relationship record.
func (im *importer) prepareEdge(it item, at origin) {
	e := it.edge
	if !kg.ValidRelType(e.Type) || e.From == "" || e.To == "" {
		return
	}
	im.edges = append(im.edges, edgeInfo{id: e.ID, explicit: e.ID != "", typ: e.Type, from: e.From, to: e.To, at: at})
}

// fieldErrors records the problems kg found in the single record rec.
func (im *importer) fieldErrors(ti int, rec *record, errs []kg.FieldError) {
	for _, fe := range errs {
		f := fieldOf(rec, fe)
		im.problem(ti, rec.row, f.name, f.col, fe.ID, fe.Message)
	}
}

// where names the record at o for messages.
func (im *importer) where(o origin) string {
	t := im.tables[o.table]
	name := filepath.Base(t.file)
	if t.sheet != "" {
		name += " [" + t.sheet + "]"
	}
	return fmt.Sprintf("%s %d of %s", unitOf(t.format), o.row, name)
}

// unitOf names what a file of the format holds a record in.
func unitOf(format string) string {
	switch format {
	case formatJSONL:
		return "line"
	case formatJSON:
		return "record"
	}
	return "row"
}

// lookupChunk is how many ids one store lookup of the checks asks for.
const lookupChunk = 1000

// check runs the checks that need the store: credit-code matches, the
// stored kinds and relationships the records meet (kg.CheckBatch), and
// possible duplicates by name.
func (im *importer) check(ctx context.Context) error {
	st, err := im.st.Stats(ctx)
	if err != nil {
		return fmt.Errorf("reading the store's counts: %w", err)
	}
	im.stats = st
	if err := im.scanStored(ctx); err != nil {
		return err
	}
	im.matchCreditCodes()
	// Relationships follow the matched enterprises; default ids follow
	// their ends.
	seenEdge := map[string]origin{}
	for i := range im.edges {
		e := &im.edges[i]
		if to, ok := im.remap[e.from]; ok {
			e.from = to
		}
		if to, ok := im.remap[e.to]; ok {
			e.to = to
		}
		if !e.explicit {
			e.id = kg.EdgeID(e.typ, e.from, e.to)
		}
		if prev, dup := seenEdge[e.id]; dup {
			im.problem(int(e.at.table), int(e.at.row), "", -1, e.id, fmt.Sprintf("repeats the relationship of %s", im.where(prev)))
			continue
		}
		seenEdge[e.id] = e.at
	}
	if err := im.loadStored(ctx); err != nil {
		return err
	}
	im.checkBatches()
	for id := range im.nodes {
		if _, ok := im.stored[id]; !ok {
			im.rep.NewNodes++
		}
	}
	for _, e := range im.edges {
		if _, ok := im.storedE[e.id]; !ok {
			im.rep.NewEdges++
		}
	}
	im.findDuplicates()
	return nil
}

// scanStored walks the stored nodes of the kinds the records hold, once,
// and collects the stored enterprises that carry the records' credit codes
// and the stored nodes whose normalised names are the records' names.
// (A walk costs a read of the kinds; per-code queries would cost a scan
// of the kind each in a store without an index on credit codes.)
func (im *importer) scanStored(ctx context.Context) error {
	im.owners = map[string][]string{}
	im.storedNames = map[kg.Kind]map[string][]string{}
	for _, k := range kg.Kinds {
		byName := im.names[k]
		codes := k == kg.Enterprise && len(im.credit) > 0
		if (len(byName) == 0 && !codes) || im.stats.NodesByKind[k] == 0 {
			continue
		}
		stored := map[string][]string{}
		im.storedNames[k] = stored
		for after := ""; ; {
			p, err := im.st.ScanNodes(ctx, kg.NodeScan{Kinds: []kg.Kind{k}, After: after, First: kg.MaxPageSize})
			if err != nil {
				return fmt.Errorf("reading the stored %s nodes: %w", k, err)
			}
			for _, n := range p.Nodes {
				if codes {
					if c := n.Props.Str("creditCode"); c != "" {
						if _, ok := im.credit[c]; ok {
							im.owners[c] = append(im.owners[c], n.ID)
						}
					}
				}
				if nn := NormalName(n.Name()); byName[nn] != nil {
					stored[nn] = append(stored[nn], n.ID)
				}
			}
			if !p.HasNextPage {
				break
			}
			after = p.EndCursor
		}
	}
	return nil
}

// matchCreditCodes makes the enterprise records whose credit codes are
// stored under other ids update the stored enterprises.
func (im *importer) matchCreditCodes() {
	codes := make([]string, 0, len(im.owners))
	for c := range im.owners {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		ids := im.owners[c]
		id := im.credit[c]
		if slices.Contains(ids, id) {
			continue
		}
		info := im.nodes[id]
		switch {
		case len(ids) > 1:
			im.problem(int(info.at.table), int(info.at.row), "creditCode", -1, id, fmt.Sprintf("credit code %s is carried by several stored enterprises: %s", c, strings.Join(ids, ", ")))
		case im.nodes[ids[0]].kind != "":
			im.problem(int(info.at.table), int(info.at.row), "creditCode", -1, id, fmt.Sprintf("credit code %s belongs to stored enterprise %q, which %s imports as well", c, ids[0], im.where(im.nodes[ids[0]].at)))
		default:
			im.remap[id] = ids[0]
			im.nodes[ids[0]] = info
			delete(im.nodes, id)
			im.credit[c] = ids[0]
			im.rep.Matches = append(im.rep.Matches, Match{ID: id, StoredID: ids[0], CreditCode: c, Where: im.where(info.at)})
			if g := im.names[info.kind][info.name]; g != nil {
				if i := slices.Index(g.ids, id); i >= 0 {
					g.ids[i] = ids[0]
				}
			}
		}
	}
}

// loadStored asks the store for the kinds of the nodes and the types and
// ends of the relationships that the records name.
func (im *importer) loadStored(ctx context.Context) error {
	if im.stats.Nodes == 0 {
		return nil
	}
	seen := map[string]bool{}
	var ids []string
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for id := range im.nodes {
		add(id)
	}
	for _, e := range im.edges {
		add(e.from)
		add(e.to)
	}
	sort.Strings(ids)
	for start := 0; start < len(ids); start += lookupChunk {
		part := ids[start:min(start+lookupChunk, len(ids))]
		ns, err := im.st.GetNodes(ctx, part)
		if err != nil {
			return fmt.Errorf("looking up stored nodes: %w", err)
		}
		for _, n := range ns {
			if n != nil {
				im.stored[n.ID] = n.Kind
			}
		}
	}
	if im.stats.Edges == 0 {
		return nil
	}
	eids := make([]string, len(im.edges))
	for i, e := range im.edges {
		eids[i] = e.id
	}
	for start := 0; start < len(eids); start += lookupChunk {
		es, err := im.st.GetEdges(ctx, eids[start:min(start+lookupChunk, len(eids))])
		if err != nil {
			return fmt.Errorf("looking up stored relationships: %w", err)
		}
		for _, e := range es {
			if e != nil {
				im.storedE[e.ID] = edgeInfo{id: e.ID, typ: e.Type, from: e.From, to: e.To}
			}
		}
	}
	return nil
}

// checkBatches runs kg.CheckBatch over the records, in chunks, with
// facts that hold the stored graph and the records' own nodes.
func (im *importer) checkBatches() {
	storedKind := func(id string) (kg.Kind, bool) { k, ok := im.stored[id]; return k, ok }
	edgeType := func(id string) (kg.RelType, string, string, bool) {
		e, ok := im.storedE[id]
		return e.typ, e.from, e.to, ok
	}
	// Nodes: a stored node keeps its kind.
	ids := make([]string, 0, len(im.nodes))
	for id := range im.nodes {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := im.nodes[ids[i]].at, im.nodes[ids[j]].at
		return a.table < b.table || (a.table == b.table && a.row < b.row)
	})
	facts := kg.StoredFacts{NodeKind: storedKind, EdgeType: edgeType}
	for start := 0; start < len(ids); start += im.opts.BatchSize {
		part := ids[start:min(start+im.opts.BatchSize, len(ids))]
		b := kg.Batch{Nodes: make([]kg.Node, len(part))}
		for i, id := range part {
			b.Nodes[i] = kg.Node{ID: id, Kind: im.nodes[id].kind}
		}
		im.checkErrors(kg.CheckBatch(&b, facts), func(i int) origin { return im.nodes[part[i]].at })
	}
	// Relationships: ends among the records or stored, of kinds the
	// ontology allows; a stored id keeps its type and ends.
	facts.NodeKind = func(id string) (kg.Kind, bool) {
		if n, ok := im.nodes[id]; ok {
			return n.kind, true
		}
		return storedKind(id)
	}
	for start := 0; start < len(im.edges); start += im.opts.BatchSize {
		part := im.edges[start:min(start+im.opts.BatchSize, len(im.edges))]
		b := kg.Batch{Edges: make([]kg.Edge, len(part))}
		for i, e := range part {
			b.Edges[i] = kg.Edge{ID: e.id, Type: e.typ, From: e.from, To: e.to}
		}
		im.checkErrors(kg.CheckBatch(&b, facts), func(i int) origin { return part[i].at })
	}
}

// checkErrors records the problems of a CheckBatch error; at locates
// item i of the checked batch.
func (im *importer) checkErrors(err error, at func(i int) origin) {
	var ve *kg.ValidationError
	if err == nil {
		return
	}
	if !errors.As(err, &ve) {
		im.problem(0, 0, "", -1, "", err.Error())
		return
	}
	for _, fe := range ve.Errors {
		o := at(fe.Item)
		im.problem(int(o.table), int(o.row), fe.Field, -1, fe.ID, fe.Message)
	}
}

// findDuplicates reports records of one kind with the same normalised
// name under different ids, among the records and against the store.
func (im *importer) findDuplicates() {
	for _, k := range kg.Kinds {
		for nn, g := range im.names[k] {
			for _, id := range im.storedNames[k][nn] {
				if !slices.Contains(g.ids, id) {
					g.stored = append(g.stored, id)
				}
			}
			if len(g.ids)+len(g.stored) > 1 {
				im.rep.Duplicates = append(im.rep.Duplicates, Duplicate{Kind: k, Name: g.name, IDs: g.ids, StoredIDs: g.stored})
			}
		}
	}
	sort.Slice(im.rep.Duplicates, func(i, j int) bool {
		a, b := im.rep.Duplicates[i], im.rep.Duplicates[j]
		if a.Kind != b.Kind {
			return slices.Index(kg.Kinds, a.Kind) < slices.Index(kg.Kinds, b.Kind)
		}
		return a.IDs[0] < b.IDs[0]
	})
}

// write is the second pass: it reads the files again and writes their
// node records, then their relationships, in batches. Reading,
// converting and, with a Preparer, preparing the next batch (batches)
// overlap with the store's write of the one before it; the batches are
// written one at a time, in order.
func (im *importer) write(ctx context.Context) error {
	prog := im.opts.Progress
	if prog != nil {
		prog.Begin("writing", int64(im.rep.NodeRows+im.rep.EdgeRows), "rows")
		defer prog.End()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan pendingWrite, 1)
	done := make(chan error, 1)
	go func() {
		defer close(ch)
		done <- im.batches(ctx, ch)
	}()
	var err error
	for p := range ch {
		if err != nil {
			continue // drain until the reader sees the cancellation
		}
		var res *kg.WriteResult
		aerr := p.err
		if aerr == nil {
			res, aerr = p.write(ctx)
		}
		if aerr != nil {
			err = fmt.Errorf("writing batch %d of %d (the %d batches before it are written; importing again completes the import): %w", p.number, p.total, im.rep.Batches, aerr)
			cancel()
			continue
		}
		im.rep.Batches = p.number
		im.rep.Result.Add(res)
		if prog != nil {
			prog.Add(int64(p.rows))
		}
	}
	if rerr := <-done; err == nil {
		err = rerr
	}
	return err
}

// pendingWrite is a batch of the second pass ready to be written: write
// writes it, unless err says why it cannot be.
type pendingWrite struct {
	number, total int
	rows          int
	write         func(context.Context) (*kg.WriteResult, error)
	err           error
}

// pend makes the write of batch number of total, with its audit entry,
// prepared by the store if it is a Preparer.
func (im *importer) pend(ctx context.Context, b kg.Batch, number, total int) pendingWrite {
	var files []string
	for _, f := range im.rep.Files {
		files = append(files, filepath.Base(f))
	}
	b.Audit = &kg.AuditEntry{Actor: im.opts.Actor, Action: "import", Note: fmt.Sprintf("%s (batch %d of %d)", strings.Join(files, ", "), number, total)}
	p := pendingWrite{number: number, total: total, rows: len(b.Nodes) + len(b.Edges)}
	if pr, ok := im.st.(Preparer); ok {
		p.write, p.err = pr.PrepareWrite(ctx, b)
		return p
	}
	p.write = func(ctx context.Context) (*kg.WriteResult, error) { return im.st.Apply(ctx, b) }
	return p
}

// batches reads the files again and sends their node records, then their
// relationships, in batches of Options.BatchSize to ch: the records of
// the first pass, converted and normalised again (kg.NormalizeNode and
// kg.NormalizeEdge, here, beside the store's write of the batch before,
// so that the store's own normalisation finds the values in their
// types), with the ids the credit-code matches remap. It stops with
// ctx's error when ctx is cancelled.
func (im *importer) batches(ctx context.Context, ch chan<- pendingWrite) error {
	bs := im.opts.BatchSize
	total := (im.rep.NodeRows+bs-1)/bs + (im.rep.EdgeRows+bs-1)/bs
	number := 0
	var b kg.Batch
	flush := func() error {
		if len(b.Nodes)+len(b.Edges) == 0 {
			return nil
		}
		b.New = im.allNew(&b)
		number++
		select {
		case ch <- im.pend(ctx, b, number, total):
		case <-ctx.Done():
			return ctx.Err()
		}
		b = kg.Batch{}
		return nil
	}
	for _, edges := range []bool{false, true} {
		for _, t := range im.tables {
			if (!edges && !t.hasNodes) || (edges && !t.hasEdges) {
				continue
			}
			src := im.source(t)
			err := t.each(ctx, &im.opts, nil, func(rec record, bad error) error {
				if bad != nil || len(rec.fields) == 0 {
					return nil
				}
				it, _ := convert(t, &rec, src)
				switch {
				case it.node != nil && !edges:
					if to, ok := im.remap[it.node.ID]; ok {
						it.node.ID = to
					}
					kg.NormalizeNode(it.node) // passed in the first pass
					if b.Nodes == nil {
						b.Nodes = make([]kg.Node, 0, bs)
					}
					b.Nodes = append(b.Nodes, *it.node)
				case it.edge != nil && edges:
					e := it.edge
					if to, ok := im.remap[e.From]; ok {
						e.From = to
					}
					if to, ok := im.remap[e.To]; ok {
						e.To = to
					}
					kg.NormalizeEdge(e) // passed in the first pass
					if b.Edges == nil {
						b.Edges = make([]kg.Edge, 0, bs)
					}
					b.Edges = append(b.Edges, *e)
				default:
					return nil
				}
				if len(b.Nodes)+len(b.Edges) >= bs {
					return flush()
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		if err := flush(); err != nil {
			return err
		}
	}
	return nil
}

// allNew reports whether the validation pass found none of b's nodes and
// relationships stored (kg.Batch.New).
func (im *importer) allNew(b *kg.Batch) bool {
	for _, n := range b.Nodes {
		if _, ok := im.stored[n.ID]; ok {
			return false
		}
	}
	if len(im.storedE) == 0 {
		return true
	}
	for _, e := range b.Edges {
		id := e.ID
		if id == "" {
			id = kg.EdgeID(e.Type, e.From, e.To)
		}
		if _, ok := im.storedE[id]; ok {
			return false
		}
	}
	return true
}
