// Package seed holds the data InnoGraph serves on first start: the
// district's 14th Five-Year science and technology innovation plan and its
// ten indicators (Plan), real public organisations of Dalian
// (PublicAnchors), and a deterministic, scalable demo ecosystem built
// around them (Demo).
//
// Every node and edge of a Dataset passes the ontology of package kg and
// already carries normalised property values (int64 years, float64
// amounts, kg.Series yearly figures), so kg.PrepareBatch leaves it as it is
// apart from filling in default edge ids.
package seed

import "github.com/innograph/innograph/kg"

// Sources of the records, as carried in the "source" property.
const (
	// SourcePlan marks the plan and its indicators.
	SourcePlan = "plan"
	// SourcePublic marks real organisations that are common knowledge.
	SourcePublic = "public"
	// SourceDemo marks the generated demo ecosystem.
	SourceDemo = "demo"
)

// District is the district the plan is about.
const District = "中山区"

// The years the demo's yearly figures cover: BaselineYear is the plan's
// baseline for "doubling", LastYear the final year of the plan period.
const (
	BaselineYear = 2020
	LastYear     = 2025
)

// Config of the generator.
type Config struct {
	// Scale multiplies the size of the ecosystem: 1 (the default) is the
	// district, 611 nodes and 2,490 relationships with seed 1; counts grow
	// linearly, so about 174 gives 100,000 nodes and 1,740 a million.
	Scale float64
	// Seed of the pseudo-random generator; 0 means 1. The same Config
	// always yields the same Dataset.
	Seed int64
}

// withDefaults returns c with zero or invalid fields set to their defaults.
func (c Config) withDefaults() Config {
	if !(c.Scale > 0) {
		c.Scale = 1
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	return c
}

// Dataset is a whole graph ready to write.
type Dataset struct {
	Nodes []kg.Node
	Edges []kg.Edge
}

// Batches splits d into batches of at most size items for a store to write
// in pieces: nodes first, then edges, in the order of d, so that every
// edge's ends are written in its own batch or an earlier one. A batch may
// hold the last nodes and the first edges. size < 1 means one batch.
//
// The batches share their nodes and edges with d (a store that fills in
// default edge ids fills them in d as well).
func (d Dataset) Batches(size int) []kg.Batch {
	total := len(d.Nodes) + len(d.Edges)
	if total == 0 {
		return nil
	}
	if size < 1 || size > total {
		size = total
	}
	out := make([]kg.Batch, 0, (total+size-1)/size)
	for start := 0; start < total; start += size {
		end := min(start+size, total)
		var b kg.Batch
		if start < len(d.Nodes) {
			ne := min(end, len(d.Nodes))
			b.Nodes = d.Nodes[start:ne:ne]
		}
		if end > len(d.Nodes) {
			es, ee := max(start-len(d.Nodes), 0), end-len(d.Nodes)
			b.Edges = d.Edges[es:ee:ee]
		}
		out = append(out, b)
	}
	return out
}
