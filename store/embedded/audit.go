package embedded

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/innograph/innograph/kg"
)

// bucketAudit holds the audit log: one JSON auditRecord per audited
// batch, keyed by its sequence number (8 bytes, big-endian, so that key
// order is write order). It is created by the first audited write, in
// that write's transaction.
var bucketAudit = []byte("audit")

// auditRecord is the stored form of a kg.AuditEntry.
type auditRecord struct {
	At           int64          `json:"at"` // Unix nanoseconds, UTC
	Actor        string         `json:"actor"`
	Role         string         `json:"role,omitempty"`
	Action       string         `json:"action"`
	Note         string         `json:"note,omitempty"`
	Result       kg.WriteResult `json:"result"`
	Nodes        []string       `json:"nodes,omitempty"`
	Edges        []string       `json:"edges,omitempty"`
	DeletedNodes []string       `json:"deletedNodes,omitempty"`
	DeletedEdges []string       `json:"deletedEdges,omitempty"`
	Truncated    bool           `json:"truncated,omitempty"`
}

// putAudit appends the entry a to the audit bucket within tx, numbering
// it with the bucket's sequence.
func putAudit(tx *bolt.Tx, a *kg.AuditEntry) error {
	b, err := tx.CreateBucketIfNotExists(bucketAudit)
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	seq, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	data, err := json.Marshal(auditRecord{
		At: a.At.UnixNano(), Actor: a.Actor, Role: a.Role, Action: a.Action, Note: a.Note, Result: a.Result,
		Nodes: a.Nodes, Edges: a.Edges, DeletedNodes: a.DeletedNodes, DeletedEdges: a.DeletedEdges, Truncated: a.Truncated,
	})
	if err != nil {
		return fmt.Errorf("encoding audit entry: %w", err)
	}
	if err := b.Put(seqKey(seq), data); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}
	return nil
}

func seqKey(seq uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], seq)
	return k[:]
}

// AuditLog returns a page of the audit log, newest first, read from the
// database file (the log is not kept in memory).
func (s *Store) AuditLog(ctx context.Context, q kg.AuditQuery) (*kg.AuditPage, error) {
	before, err := kg.ValidateAuditQuery(&q)
	if err != nil {
		return nil, err
	}
	if err := s.rlock(ctx); err != nil {
		return nil, err
	}
	defer s.mu.RUnlock()
	page := &kg.AuditPage{}
	err = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		if b == nil {
			return nil
		}
		// Entries are never deleted: the sequence counts them.
		page.TotalCount = int(b.Sequence())
		c := b.Cursor()
		var k, v []byte
		if before == 0 {
			k, v = c.Last()
		} else {
			k, _ = c.Seek(seqKey(uint64(before)))
			if k == nil {
				k, v = c.Last()
			} else {
				k, v = c.Prev()
			}
		}
		for ; k != nil; k, v = c.Prev() {
			if len(page.Entries) == q.First {
				page.HasNextPage = true
				break
			}
			var r auditRecord
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decoding audit entry %d: %w", binary.BigEndian.Uint64(k), err)
			}
			page.Entries = append(page.Entries, &kg.AuditEntry{
				Seq: int64(binary.BigEndian.Uint64(k)), At: time.Unix(0, r.At).UTC(),
				Actor: r.Actor, Role: r.Role, Action: r.Action, Note: r.Note, Result: r.Result,
				Nodes: r.Nodes, Edges: r.Edges, DeletedNodes: r.DeletedNodes, DeletedEdges: r.DeletedEdges, Truncated: r.Truncated,
			})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: reading the audit log of %s: %w", kg.ErrUnavailable, s.path, err)
	}
	return page, nil
}
