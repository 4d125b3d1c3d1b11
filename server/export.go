package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/innograph/innograph/export"
	"github.com/innograph/innograph/graph"
	"github.com/innograph/innograph/ingest"
	"github.com/innograph/innograph/kg"
)

// exportHandler serves GET /export/{format}: the graph, or the part of it
// the query selects, in one of export.Formats, streamed as it is read.
//
// Query parameters (all optional): kinds and types (comma-separated, as
// in the schema: ENTERPRISE,UNIVERSITY; SUPPLIES), asOf (a year), node
// and depth (a neighbourhood). A CSV export is a zip of nodes.csv and
// edges.csv.
//
// An export may outlast the server's write timeout: every write moves
// the connection's write deadline idle ahead, so the export goes on as
// long as the client keeps taking data, and a client that takes none for
// idle (or so little that one buffer of the export, 64 KiB, does not go
// out within idle) is cut.
func exportHandler(store kg.Store, idle time.Duration, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		format, err := export.ParseFormat(r.PathValue("format"))
		if err != nil {
			writeError(w, http.StatusNotFound, "NOT_FOUND", err.Error())
			return
		}
		f, err := exportFilter(r)
		if err != nil {
			writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", err.Error())
			return
		}
		if err := f.Validate(); err != nil {
			writeError(w, http.StatusBadRequest, "BAD_USER_INPUT", err.Error())
			return
		}
		out := &trackingWriter{w: w, rc: http.NewResponseController(w), idle: idle, header: func() {
			w.Header().Set("Content-Type", format.ContentType())
			w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"innograph%s\"", format.Extension()))
		}}
		stats, err := export.Write(r.Context(), store, f, format, out, nil)
		if err == nil {
			log.InfoContext(r.Context(), "export", "format", format, "nodes", stats.Nodes, "relations", stats.Edges)
			return
		}
		if !out.wrote {
			status := http.StatusInternalServerError
			switch {
			case errors.Is(err, kg.ErrInvalid):
				status = http.StatusBadRequest
			case errors.Is(err, kg.ErrNotFound):
				status = http.StatusNotFound
			case errors.Is(err, kg.ErrUnavailable):
				status = http.StatusServiceUnavailable
			}
			writeError(w, status, graph.Code(err), err.Error())
			return
		}
		// Part of the export is sent: cut the connection, so that the
		// client sees a broken transfer rather than a short file.
		log.ErrorContext(r.Context(), "export failed while streaming", "format", format, "err", err)
		panic(http.ErrAbortHandler)
	})
}

// exportIdle is cfg.ExportIdleTimeout, or its default.
func (cfg Config) exportIdle() time.Duration {
	if cfg.ExportIdleTimeout <= 0 {
		return DefaultExportIdleTimeout
	}
	return cfg.ExportIdleTimeout
}

// exportFilter reads the filter of an export request.
func exportFilter(r *http.Request) (export.Filter, error) {
	q := r.URL.Query()
	var f export.Filter
	var err error
	if f.Kinds, err = ingest.ParseKinds(q.Get("kinds")); err != nil {
		return f, err
	}
	if f.Types, err = ingest.ParseRelTypes(q.Get("types")); err != nil {
		return f, err
	}
	for name, p := range map[string]*int{"asOf": &f.AsOf, "depth": &f.Depth} {
		if v := q.Get(name); v != "" {
			if *p, err = strconv.Atoi(v); err != nil {
				return f, fmt.Errorf("%w: %s=%q is not an integer", kg.ErrInvalid, name, v)
			}
		}
	}
	f.Node = q.Get("node")
	return f, nil
}

// trackingWriter writes to w, setting the headers before the first
// write, and remembers whether anything was written. Before each write
// it moves the connection's write deadline idle ahead (through rc; a
// writer without deadlines, as in tests, has none to move).
type trackingWriter struct {
	w      http.ResponseWriter
	rc     *http.ResponseController
	idle   time.Duration
	header func()
	wrote  bool
}

func (t *trackingWriter) Write(p []byte) (int, error) {
	if !t.wrote {
		t.wrote = true
		t.header()
	}
	if err := t.rc.SetWriteDeadline(time.Now().Add(t.idle)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return 0, fmt.Errorf("moving the write deadline: %w", err)
	}
	return t.w.Write(p)
}
