package graph

// graph/internal/gen runs gqlgen with the resolvers of @rel fields and the
// server's complexity settings derived from the schema.
//go:generate go run ./internal/gen
