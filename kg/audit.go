package kg

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MaxAuditIDs bounds each id list of an AuditEntry: a larger batch keeps
// the first MaxAuditIDs ids of the list and sets Truncated (its counts are
// always complete).
const MaxAuditIDs = 1000

// AuditEntry records one write: who made it, when, and what it changed.
//
// A caller that wants a write audited sets Actor, Role, Action and Note in
// Batch.Audit; the store completes the entry (Complete) and persists it in
// the same transaction as the write, so that every acknowledged write has
// its entry and a refused or failed write leaves none. Audit entries are
// not nodes: no query, search or count of the graph sees them.
type AuditEntry struct {
	// Seq numbers the entries of a store from 1, in the order of their
	// writes; set by the store.
	Seq int64
	// At is when the write was applied (UTC); set by the store.
	At time.Time
	// Actor names who wrote: an API key's name, or the local user of an
	// import.
	Actor string
	// Role is the actor's role (reader, editor, admin), if any.
	Role string
	// Action names the operation: a mutation's name, "import", ….
	Action string
	// Note is free text, e.g. the files of an import.
	Note string
	// Result counts what the write changed; set by the store.
	Result WriteResult
	// The ids the batch upserted and deleted (edges with their default
	// ids filled in), each list cut at MaxAuditIDs; set by the store.
	Nodes, Edges, DeletedNodes, DeletedEdges []string
	// Truncated tells that an id list was cut.
	Truncated bool
}

// Complete returns a copy of a filled in for a checked batch b that the
// store has applied with result res at time at. Seq is left to the store.
func (a *AuditEntry) Complete(b *Batch, res WriteResult, at time.Time) AuditEntry {
	out := *a
	out.At = at.UTC()
	out.Result = res
	out.Truncated = false
	// ids returns the first MaxAuditIDs of n ids, never nil, and marks the
	// entry truncated when there are more.
	ids := func(n int, at func(int) string) []string {
		if n > MaxAuditIDs {
			out.Truncated = true
			n = MaxAuditIDs
		}
		list := make([]string, n)
		for i := range list {
			list[i] = at(i)
		}
		return list
	}
	out.Nodes = ids(len(b.Nodes), func(i int) string { return b.Nodes[i].ID })
	out.Edges = ids(len(b.Edges), func(i int) string { return b.Edges[i].ID })
	out.DeletedNodes = ids(len(b.DeleteNodes), func(i int) string { return b.DeleteNodes[i] })
	out.DeletedEdges = ids(len(b.DeleteEdges), func(i int) string { return b.DeleteEdges[i] })
	return out
}

// AuditQuery selects a page of the audit log, newest entry first.
type AuditQuery struct {
	First int    // 1..MaxPageSize
	After string // cursor of the last entry of the previous page
}

// AuditPage is a page of the audit log.
type AuditPage struct {
	Entries     []*AuditEntry
	TotalCount  int
	HasNextPage bool
}

// AuditCursor returns the cursor of the audit entry with sequence number seq.
func AuditCursor(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("a:" + strconv.FormatInt(seq, 10)))
}

// ValidateAuditQuery checks q and returns the sequence number to continue
// below: entries with a smaller Seq come next (0 when starting from the
// newest).
func ValidateAuditQuery(q *AuditQuery) (before int64, err error) {
	if q.First < 1 || q.First > MaxPageSize {
		return 0, fmt.Errorf("%w: first must be between 1 and %d, got %d", ErrInvalid, MaxPageSize, q.First)
	}
	if q.After == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(q.After)
	if err == nil && strings.HasPrefix(string(b), "a:") {
		if seq, err := strconv.ParseInt(string(b[2:]), 10, 64); err == nil && seq > 0 {
			return seq, nil
		}
	}
	return 0, fmt.Errorf("%w: cursor %q is not one this server issued", ErrInvalid, q.After)
}
