// Package graph holds the GraphQL resolvers: thin functions over kg.Store
// (root fields) and the per-request loaders (nested fields), the planner
// that reads a root field's whole selection in one Fetch, and Writer,
// which writes the answer of a fully planned query without the executor.
package graph

import "github.com/innograph/innograph/kg"

// Resolver is the root resolver; it holds the store.
type Resolver struct {
	Store kg.Store
	// DisablePlanner makes root fields read only their own nodes and
	// every relationship field read through the loaders, as before
	// request plans: for comparisons of the two.
	DisablePlanner bool
	// District is the district supplyChain and industryChainGaps count as
	// inside when a request names none (the server's configuration: serve
	// --district).
	District string
}
