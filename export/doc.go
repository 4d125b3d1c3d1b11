// Package export writes what a kg.Store holds to files for other tools:
// GEXF 1.3 (Gephi), GraphML, Cytoscape.js JSON, CSV and JSON Lines (NetworkX
// reads the GEXF and GraphML ones), the whole graph or the
// neighbourhood of a node, filtered by kinds, relationship types and a
// year (Filter). Whole graphs stream page by page (see Write).
//
// Its CSV and JSON Lines files are what package ingest imports: the same
// columns (ingest.ColumnID and the others, then the properties under
// their schema names), so an export imports back into the same graph.
package export
