// Package apitest drives the GraphQL API in tests: a store wrapper that
// counts calls, small graph builders, and a client over the real handler.
package apitest

import (
	"context"
	"sync"

	"github.com/innograph/innograph/kg"
)

// CountingStore wraps a kg.Store and counts calls per method.
type CountingStore struct {
	kg.Store
	mu    sync.Mutex
	calls map[string]int
}

// NewCountingStore wraps s.
func NewCountingStore(s kg.Store) *CountingStore {
	return &CountingStore{Store: s, calls: map[string]int{}}
}

func (c *CountingStore) count(method string) {
	c.mu.Lock()
	c.calls[method]++
	c.mu.Unlock()
}

// Calls returns the calls per method since the last Reset.
func (c *CountingStore) Calls() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.calls))
	for k, v := range c.calls {
		out[k] = v
	}
	return out
}

// Total returns the number of calls since the last Reset.
func (c *CountingStore) Total() int {
	n := 0
	for _, v := range c.Calls() {
		n += v
	}
	return n
}

// Reset forgets the counts.
func (c *CountingStore) Reset() { c.mu.Lock(); c.calls = map[string]int{}; c.mu.Unlock() }

// GetNodes counts and delegates.
func (c *CountingStore) GetNodes(ctx context.Context, ids []string) ([]*kg.Node, error) {
	c.count("GetNodes")
	return c.Store.GetNodes(ctx, ids)
}

// GetEdges counts and delegates.
func (c *CountingStore) GetEdges(ctx context.Context, ids []string) ([]*kg.Edge, error) {
	c.count("GetEdges")
	return c.Store.GetEdges(ctx, ids)
}

// FindNodes counts and delegates.
func (c *CountingStore) FindNodes(ctx context.Context, q kg.NodeQuery) (*kg.NodePage, error) {
	c.count("FindNodes")
	return c.Store.FindNodes(ctx, q)
}

// Neighbors counts and delegates.
func (c *CountingStore) Neighbors(ctx context.Context, q kg.NeighborQuery) (map[string][]kg.Neighbor, error) {
	c.count("Neighbors")
	return c.Store.Neighbors(ctx, q)
}

// Fetch counts and delegates.
func (c *CountingStore) Fetch(ctx context.Context, p kg.FetchPlan) (*kg.FetchResult, error) {
	c.count("Fetch")
	return c.Store.Fetch(ctx, p)
}

// Search counts and delegates.
func (c *CountingStore) Search(ctx context.Context, q kg.SearchQuery) ([]*kg.Node, error) {
	c.count("Search")
	return c.Store.Search(ctx, q)
}

// Apply counts and delegates.
func (c *CountingStore) Apply(ctx context.Context, b kg.Batch) (*kg.WriteResult, error) {
	c.count("Apply")
	return c.Store.Apply(ctx, b)
}

// Stats counts and delegates.
func (c *CountingStore) Stats(ctx context.Context) (*kg.Stats, error) {
	c.count("Stats")
	return c.Store.Stats(ctx)
}

// Project counts and delegates.
func (c *CountingStore) Project(ctx context.Context, q kg.ProjectionQuery) (*kg.Projection, error) {
	c.count("Project")
	return c.Store.Project(ctx, q)
}

// Paths counts and delegates.
func (c *CountingStore) Paths(ctx context.Context, q kg.PathQuery) (*kg.PathResult, error) {
	c.count("Paths")
	return c.Store.Paths(ctx, q)
}

// ScanNodes counts and delegates.
func (c *CountingStore) ScanNodes(ctx context.Context, q kg.NodeScan) (*kg.NodeScanPage, error) {
	c.count("ScanNodes")
	return c.Store.ScanNodes(ctx, q)
}

// ScanEdges counts and delegates.
func (c *CountingStore) ScanEdges(ctx context.Context, q kg.EdgeScan) (*kg.EdgeScanPage, error) {
	c.count("ScanEdges")
	return c.Store.ScanEdges(ctx, q)
}
