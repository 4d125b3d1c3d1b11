package graph

import (
	"context"
	"errors"
	"fmt"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/innograph/innograph/auth"
	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/kg"
)

// MaxWriteItems bounds the nodes, relationships and deletes of one
// mutation.
const MaxWriteItems = 5000

// authorize returns the caller if its role is need or higher, and
// otherwise an error with extensions.code UNAUTHENTICATED (no key) or
// FORBIDDEN (a key of a lower role).
func authorize(ctx context.Context, need auth.Role, what string) (auth.Principal, error) {
	if err := auth.Require(ctx, need, what); err != nil {
		var ae *auth.Error
		if errors.As(err, &ae) {
			return auth.Principal{}, &gqlerror.Error{Message: ae.Message, Extensions: map[string]any{"code": ae.Code}}
		}
		return auth.Principal{}, err
	}
	return auth.FromContext(ctx), nil
}

// write applies the batch of a mutation: the caller must hold an editor
// (or admin) key; the batch is written with its audit entry, all or
// nothing; the result lists what the mutation changed and the upserted
// nodes and relationships as stored after it.
func (r *Resolver) write(ctx context.Context, action string, in model.BatchInput) (*model.WriteResult, error) {
	p, err := authorize(ctx, auth.Editor, action)
	if err != nil {
		return nil, err
	}
	b, err := batchOf(in)
	if err != nil {
		return nil, err
	}
	// Normalised here as Apply does, so that the relationships' ids are
	// known for reading them back.
	if err := kg.PrepareBatch(&b); err != nil {
		return nil, err
	}
	b.Audit = &kg.AuditEntry{Actor: p.Name, Role: p.Role.String(), Action: action}
	res, err := r.Store.Apply(ctx, b)
	if err != nil {
		return nil, err
	}
	out := &model.WriteResult{Counts: writeCounts(*res), Nodes: []model.Node{}, Relations: []*model.Relation{},
		DeletedNodes: nonNil(b.DeleteNodes), DeletedRelations: nonNil(b.DeleteEdges)}
	if len(b.Nodes) > 0 {
		ids := make([]string, len(b.Nodes))
		for i, n := range b.Nodes {
			ids[i] = n.ID
		}
		ns, err := r.Store.GetNodes(ctx, ids)
		if err != nil {
			return nil, fmt.Errorf("reading the written nodes: %w", err)
		}
		for _, n := range ns {
			if n != nil {
				out.Nodes = append(out.Nodes, model.Wrap(n))
			}
		}
	}
	if len(b.Edges) > 0 {
		ids := make([]string, len(b.Edges))
		for i, e := range b.Edges {
			ids[i] = e.ID
		}
		es, err := r.Store.GetEdges(ctx, ids)
		if err != nil {
			return nil, fmt.Errorf("reading the written relationships: %w", err)
		}
		for _, e := range es {
			if e != nil {
				out.Relations = append(out.Relations, &model.Relation{E: e})
			}
		}
	}
	return out, nil
}

// batchOf converts a mutation's input to a batch.
func batchOf(in model.BatchInput) (kg.Batch, error) {
	n := len(in.UpsertNodes) + len(in.UpsertRelations) + len(in.DeleteNodes) + len(in.DeleteRelations)
	if n == 0 {
		return kg.Batch{}, fmt.Errorf("%w: the mutation writes nothing", kg.ErrInvalid)
	}
	if n > MaxWriteItems {
		return kg.Batch{}, fmt.Errorf("%w: one mutation writes at most %d items, got %d", kg.ErrInvalid, MaxWriteItems, n)
	}
	var b kg.Batch
	for _, x := range in.UpsertNodes {
		b.Nodes = append(b.Nodes, kg.Node{ID: x.ID, Kind: x.Kind, Props: kg.Props(x.Properties)})
	}
	for _, x := range in.UpsertRelations {
		e := kg.Edge{Type: x.Type, From: x.From, To: x.To, Props: kg.Props(x.Properties)}
		if x.ID != nil {
			e.ID = *x.ID
		}
		b.Edges = append(b.Edges, e)
	}
	b.DeleteNodes = in.DeleteNodes
	b.DeleteEdges = in.DeleteRelations
	return b, nil
}

func writeCounts(r kg.WriteResult) *model.WriteCounts {
	return &model.WriteCounts{
		NodesCreated: r.NodesCreated, NodesUpdated: r.NodesUpdated, NodesUnchanged: r.NodesUnchanged, NodesDeleted: r.NodesDeleted,
		RelationsCreated: r.EdgesCreated, RelationsUpdated: r.EdgesUpdated, RelationsUnchanged: r.EdgesUnchanged, RelationsDeleted: r.EdgesDeleted,
	}
}

// The mutations, as batches.

func (r *Resolver) applyBatch(ctx context.Context, in model.BatchInput) (*model.WriteResult, error) {
	return r.write(ctx, "applyBatch", in)
}

func (r *Resolver) upsertNodes(ctx context.Context, nodes []*model.NodeInput) (*model.WriteResult, error) {
	return r.write(ctx, "upsertNodes", model.BatchInput{UpsertNodes: nodes})
}

func (r *Resolver) upsertRelations(ctx context.Context, rels []*model.RelationInput) (*model.WriteResult, error) {
	return r.write(ctx, "upsertRelations", model.BatchInput{UpsertRelations: rels})
}

func (r *Resolver) deleteNodes(ctx context.Context, ids []string) (*model.WriteResult, error) {
	return r.write(ctx, "deleteNodes", model.BatchInput{DeleteNodes: ids})
}

func (r *Resolver) deleteRelations(ctx context.Context, ids []string) (*model.WriteResult, error) {
	return r.write(ctx, "deleteRelations", model.BatchInput{DeleteRelations: ids})
}

// auditLog returns a page of the audit log, newest first, to an admin.
func (r *Resolver) auditLog(ctx context.Context, first int, after *string) (*model.AuditConnection, error) {
	if _, err := authorize(ctx, auth.Admin, "the audit log"); err != nil {
		return nil, err
	}
	f, a, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	out := &model.AuditConnection{PageInfo: &model.PageInfo{HasPreviousPage: a != ""}, Edges: []*model.AuditEntryEdge{}}
	p, err := r.Store.AuditLog(ctx, kg.AuditQuery{First: max(f, 1), After: a})
	if err != nil {
		return nil, err
	}
	out.TotalCount = p.TotalCount
	if f == 0 {
		out.PageInfo.HasNextPage = p.TotalCount > 0
		return out, nil
	}
	out.PageInfo.HasNextPage = p.HasNextPage
	for _, e := range p.Entries {
		out.Edges = append(out.Edges, &model.AuditEntryEdge{Cursor: kg.AuditCursor(e.Seq), Node: auditEntry(e)})
	}
	if n := len(out.Edges); n > 0 {
		out.PageInfo.StartCursor, out.PageInfo.EndCursor = &out.Edges[0].Cursor, &out.Edges[n-1].Cursor
	}
	return out, nil
}

func auditEntry(e *kg.AuditEntry) *model.AuditEntry {
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	return &model.AuditEntry{
		Seq: int(e.Seq), At: e.At, Actor: e.Actor, Role: opt(e.Role), Action: e.Action, Note: opt(e.Note),
		Counts: writeCounts(e.Result), Nodes: nonNil(e.Nodes), Relations: nonNil(e.Edges),
		DeletedNodes: nonNil(e.DeletedNodes), DeletedRelations: nonNil(e.DeletedEdges), Truncated: e.Truncated,
	}
}

// nonNil returns ids, or an empty list for nil (GraphQL lists are not null).
func nonNil(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}
