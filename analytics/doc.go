// Package analytics answers the relationship questions of InnoGraph over
// any kg.Store: bounded traversals (neighbourhoods, supply-chain tiers,
// collaboration networks, a network's changes between two years), graph
// algorithms over a projection (centrality, communities), the industry
// chain's gaps, a policy's reach, and the plan's scoreboard (indicator
// values with the entities behind them).
//
// Everything here reads the store through its contract only (GetNodes,
// FindNodes, Neighbors, Project, Paths), so the answers are the same on
// every backend that passes the conformance suite: traversals visit nodes
// in id order, algorithms run over a Graph whose nodes are numbered in id
// order and whose sums are taken in a fixed order, and ties are broken by
// id.
//
// # Bounds
//
// Every traversal is bounded, and a result that a bound cut says so with
// the Bound that cut it:
//
//   - neighbourhoods: depth ≤ MaxDepth, at most Limit nodes (≤ MaxNodes),
//     at most MaxEdges relationships; only included nodes are expanded, so
//     at most Limit nodes have their relationships read;
//   - supply chains: depth ≤ MaxSupplyDepth, at most Limit enterprises;
//   - paths: see kg.PathQuery (≤ kg.MaxPathHops hops, ≤ kg.MaxPaths paths,
//     ≤ kg.MaxPathCandidates candidates ranked);
//   - algorithms read one projection of at most ProjectionLimit
//     relationships; betweenness and closeness use every node as a source
//     up to MaxExactNodes nodes and Samples evenly spaced sources beyond.
//
// # Cancellation
//
// Work stops soon after its context ends (the request's timeout passes or
// its client leaves): every loop that grows with the graph counts its
// work and looks at the context every 16,384 units (relationship ends,
// nodes or relationships; a fraction of a millisecond on one core), and
// returns the context's error.
package analytics
