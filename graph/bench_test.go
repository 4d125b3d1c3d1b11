package graph_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/seed"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/embedded"
)

// benchScales are the demo scales benchmarked: the district, and about
// 100,000 nodes.
var benchScales = []float64{1, 174}

var (
	benchMu     sync.Mutex
	benchStores = map[float64]kg.Store{}
)

// demoStore returns an embedded store holding the demo at scale, built
// once per process.
func demoStore(b *testing.B, scale float64) kg.Store {
	benchMu.Lock()
	defer benchMu.Unlock()
	if st, ok := benchStores[scale]; ok {
		return st
	}
	ctx := context.Background()
	dir, err := tempDir()
	if err != nil {
		b.Fatal(err)
	}
	st, err := embedded.Open(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	for _, batch := range seed.Demo(seed.Config{Scale: scale, Seed: 1}).Batches(5000) {
		if _, err := st.Apply(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	benchStores[scale] = st
	return st
}

// BenchmarkAPI measures the latency of typical queries through the whole
// HTTP handler on the embedded store, with request plans and the
// response writer, with plans but without the writer (executor), and
// without plans (loaders).
func BenchmarkAPI(b *testing.B) {
	queries := []struct{ name, query string }{
		{"point", `{ node(id: "$ID") { id name ... on Enterprise { creditCode figures { year revenue } } } }`},
		{"list50", `{ enterprises(first: 50, filter: {district: "中山区"}, orderBy: [{field: REVENUE, year: 2025, direction: DESC}]) { totalCount edges { node { id name creditCode } } } }`},
		{"nested", apitest.NestedQuery},
		{"deep", apitest.DeepQuery},
	}
	for _, scale := range benchScales {
		st := demoStore(b, scale)
		stats, err := st.Stats(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		c := apitest.NewClient(b, server.DefaultConfig(), st)
		unplanned := server.DefaultConfig()
		unplanned.DisablePlanner = true
		loaders := apitest.NewClient(b, unplanned, st)
		noWriter := server.DefaultConfig()
		noWriter.DisableWriter = true
		executor := apitest.NewClient(b, noWriter, st)
		var first struct {
			Enterprises struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		c.MustData(`{ enterprises(first: 1) { edges { node { id } } } }`, nil, &first)
		for _, q := range queries {
			q.query = strings.ReplaceAll(q.query, "$ID", first.Enterprises.Edges[0].Node.ID)
			for _, v := range []struct {
				name string
				c    *apitest.Client
			}{{"", c}, {"/executor", executor}, {"/loaders", loaders}} {
				b.Run(fmt.Sprintf("nodes=%d/%s%s", stats.Nodes, q.name, v.name), func(b *testing.B) {
					v.c.MustData(q.query, nil, nil)
					b.ReportAllocs()
					b.ResetTimer()
					for b.Loop() {
						v.c.MustData(q.query, nil, nil)
					}
				})
			}
		}
	}
}
