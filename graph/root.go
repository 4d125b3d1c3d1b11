package graph

import (
	"context"
	"errors"
	"fmt"

	"github.com/99designs/gqlgen/graphql"

	"github.com/innograph/innograph/graph/model"
	"github.com/innograph/innograph/kg"
)

func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

func (r *Resolver) node(ctx context.Context, id string) (model.Node, error) {
	ns, err := r.getNodes(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if ns[0] == nil {
		return nil, noNode(id, -1)
	}
	return ns[0], nil
}

// getNodes returns the views of the nodes with ids, nil where there is
// none: with the request planned below them in one Fetch, or alone when
// the resolver does not plan.
func (r *Resolver) getNodes(ctx context.Context, ids []string) ([]model.Node, error) {
	if !r.DisablePlanner {
		return fetchNodes(ctx, r.Store, ids)
	}
	ns, err := r.Store.GetNodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]model.Node, len(ns))
	for i, n := range ns {
		out[i] = model.Wrap(n)
	}
	return out, nil
}

// noNode is the error of an id without a node: of node(id), or of the
// i-th id of nodes(ids) when i >= 0.
func noNode(id string, i int) error {
	if i < 0 {
		return fmt.Errorf("%w: no node with id %q", kg.ErrNotFound, id)
	}
	return fmt.Errorf("%w: no node with id %q (ids[%d])", kg.ErrNotFound, id, i)
}

// MaxIDs bounds the ids of one nodes() call.
const MaxIDs = MaxFirst

func (r *Resolver) nodes(ctx context.Context, ids []string) ([]model.Node, error) {
	if len(ids) > MaxIDs {
		return nil, fmt.Errorf("%w: at most %d ids, got %d", kg.ErrInvalid, MaxIDs, len(ids))
	}
	out, err := r.getNodes(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i, n := range out {
		if n == nil {
			graphql.AddError(ctx, noNode(ids[i], i))
		}
	}
	return out, nil
}

func (r *Resolver) search(ctx context.Context, text string, kinds []kg.Kind, first int) ([]model.Node, error) {
	if err := checkFirst("first", first, 1); err != nil {
		return nil, err
	}
	ns, err := r.Store.Search(ctx, kg.SearchQuery{Text: text, Kinds: kinds, Limit: first})
	if err != nil {
		return nil, err
	}
	out := make([]model.Node, len(ns))
	for i, n := range ns {
		out[i] = model.Wrap(n)
	}
	return out, nil
}

func (r *Resolver) stats(ctx context.Context) (*model.Stats, error) {
	st, err := r.Store.Stats(ctx)
	if err != nil {
		return nil, err
	}
	out := &model.Stats{Nodes: st.Nodes, Relations: st.Edges}
	for _, k := range kg.Kinds {
		out.ByKind = append(out.ByKind, &model.KindCount{Kind: k, Count: st.NodesByKind[k]})
	}
	for _, t := range kg.RelTypes {
		out.ByType = append(out.ByType, &model.RelationTypeCount{Type: t, Count: st.EdgesByType[t]})
	}
	return out, nil
}

// Code names the class of an error for GraphQL clients (extensions.code).
func Code(err error) string {
	switch {
	case errors.Is(err, kg.ErrInvalid):
		return "BAD_USER_INPUT"
	case errors.Is(err, kg.ErrNotFound):
		return "NOT_FOUND"
	case errors.Is(err, kg.ErrConflict):
		return "CONFLICT"
	case errors.Is(err, kg.ErrUnavailable):
		return "STORE_UNAVAILABLE"
	case errors.Is(err, context.DeadlineExceeded):
		return "TIMEOUT"
	case errors.Is(err, context.Canceled):
		return "CANCELLED"
	}
	return "INTERNAL"
}
