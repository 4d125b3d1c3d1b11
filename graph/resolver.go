// Package graph holds the GraphQL resolvers: thin functions over kg.Store
// (root fields) and the per-request loaders (nested fields).
package graph

import "github.com/innograph/innograph/kg"

// Resolver is the root resolver; it holds the store.
type Resolver struct {
	Store kg.Store
}
