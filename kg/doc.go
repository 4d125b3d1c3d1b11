// Package kg holds the domain of InnoGraph: the ontology of an innovation
// ecosystem (entity kinds, relationship kinds, the kinds allowed at each end
// of a relationship, property specifications and validation), the core
// graph types (Node, Edge, Series, pages and queries) and the Store
// contract that every backend implements.
//
// kg depends on the standard library only. Validation lives here, once:
// every store and every way in (API, import) calls it.
package kg
