package graph_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/seed"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/neo4j/neo4jtest"
)

// benchTargets are the ids the analytics benchmarks ask about, chosen
// from the demo data: the district's enterprise with most SUPPLIES
// relationships, the first university that transfers technology, the
// policy with most applications.
type benchTargets struct {
	enterprise, university, policy string
}

func pickTargets(ds seed.Dataset) benchTargets {
	district := map[string]string{}
	kind := map[string]kg.Kind{}
	for _, n := range ds.Nodes {
		district[n.ID], kind[n.ID] = n.Props.Str("district"), n.Kind
	}
	supplies, apps := map[string]int{}, map[string]int{}
	var unis []string
	for _, e := range ds.Edges {
		switch e.Type {
		case kg.Supplies:
			supplies[e.From]++
			supplies[e.To]++
		case kg.SupportedBy:
			apps[e.To]++
		case kg.TransfersTechTo:
			unis = append(unis, e.From)
		}
	}
	best := func(m map[string]int, keep func(string) bool) string {
		id, n := "", -1
		for k, v := range m {
			if keep(k) && (v > n || (v == n && k < id)) {
				id, n = k, v
			}
		}
		return id
	}
	slices.Sort(unis)
	return benchTargets{
		enterprise: best(supplies, func(id string) bool { return district[id] == seed.District }),
		university: unis[0],
		policy:     best(apps, func(string) bool { return true }),
	}
}

// analyticsQueries are the benchmarked requests, one or more per field.
func analyticsQueries(t benchTargets) []struct{ name, query string } {
	r := strings.NewReplacer("$E", t.enterprise, "$U", t.university, "$P", t.policy)
	qs := []struct{ name, query string }{
		{"neighborhood", `{ neighborhood(id: "$E", depth: 2, limit: 200) { nodes { id kind name } edges { id type source target } truncated } }`},
		{"paths", `{ paths(from: "$U", to: "$E", maxHops: 4, k: 3) { paths { length explanation } truncated } }`},
		{"supplyChain", `{ supplyChain(enterprise: "$E", depth: 3) { upstream { tier inside outside enterprises { id } } downstream { tier inside outside enterprises { id } } } }`},
		{"collaborationNetwork", `{ collaborationNetwork(limit: 2000) { nodes { id name } edges { id source target } truncated } }`},
		{"centrality/DEGREE", `{ centrality(metric: DEGREE, top: 20) { nodeCount ranking { score node { id } } } }`},
		{"centrality/PAGERANK", `{ centrality(metric: PAGERANK, top: 20) { nodeCount ranking { score node { id } } } }`},
		{"centrality/BETWEENNESS", `{ centrality(metric: BETWEENNESS, kinds: [ENTERPRISE, UNIVERSITY], relationTypes: [SUPPLIES, COLLABORATES_WITH, TRANSFERS_TECH_TO], top: 20) { nodeCount sources ranking { score node { id } } } }`},
		{"centrality/CLOSENESS", `{ centrality(metric: CLOSENESS, kinds: [ENTERPRISE, UNIVERSITY], relationTypes: [SUPPLIES, COLLABORATES_WITH, TRANSFERS_TECH_TO], top: 20) { nodeCount sources ranking { score node { id } } } }`},
		{"communities/LOUVAIN", `{ communities(algorithm: LOUVAIN, first: 20, membersFirst: 5) { count modularity communities { size members { id } } } }`},
		{"communities/LABEL_PROPAGATION", `{ communities(algorithm: LABEL_PROPAGATION, first: 20, membersFirst: 5) { count modularity communities { size } } }`},
		{"communities/CONNECTED_COMPONENTS", `{ communities(algorithm: CONNECTED_COMPONENTS, first: 20, membersFirst: 5) { count communities { size } } }`},
		{"planProgress", `{ planProgress(plan: "` + seed.PlanID + `") { indicators { number actual baseline status contributors(first: 20) { totalCount edges { contribution node { id } } } } } }`},
		{"industryChainGaps", `{ industryChainGaps(chain: "软件和信息技术服务", fewerThan: 50) { segments { localEnterprises outsideEnterprises gap candidates { node { id } hops links } } } }`},
		{"policyReach", `{ policyReach(policy: "$P", limit: 100) { enterpriseCount industries { enterprises } serviceAgencies { enterprises } } }`},
		{"networkDiff", `{ networkDiff(fromYear: 2020, toYear: 2025, limit: 500) { appearedCount disappearedCount appeared { edges { id } } } }`},
	}
	for i := range qs {
		qs[i].query = r.Replace(qs[i].query)
	}
	return qs
}

// BenchmarkAnalytics measures every relationship and analytics field
// through the whole HTTP handler on both backends, at the district's
// scale and at about 100,000 nodes, and on Neo4j the hand-written Cypher
// of paths and neighborhood. Each backend's data is built once per scale
// and run (seeding Neo4j with 100,000 nodes takes minutes).
func BenchmarkAnalytics(b *testing.B) {
	for _, scale := range benchScales {
		ds := seed.Demo(seed.Config{Scale: scale, Seed: 1})
		targets := pickTargets(ds)
		nodes := len(ds.Nodes)
		queries := analyticsQueries(targets)
		run := func(b *testing.B, st kg.Store) {
			cfg := server.DefaultConfig()
			cfg.Timeout = 10 * time.Minute
			// The whole graph's algorithms at 100,000 nodes cost more than
			// the default limit allows: the benchmark measures them.
			cfg.MaxComplexity = 1 << 30
			c := apitest.NewClient(b, cfg, st)
			for _, q := range queries {
				b.Run(q.name, func(b *testing.B) {
					c.MustData(q.query, nil, nil)
					b.ResetTimer()
					for b.Loop() {
						c.MustData(q.query, nil, nil)
					}
				})
			}
		}
		b.Run(fmt.Sprintf("nodes=%d/embedded", nodes), func(b *testing.B) { run(b, demoStore(b, scale)) })
		b.Run(fmt.Sprintf("nodes=%d/neo4j", nodes), func(b *testing.B) {
			st := neo4jtest.Open(b)
			ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
			defer cancel()
			start := time.Now()
			for _, batch := range ds.Batches(5000) {
				if _, err := st.Apply(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			b.Logf("seeded %d nodes and %d relationships into Neo4j in %v", len(ds.Nodes), len(ds.Edges), time.Since(start).Round(time.Second))
			run(b, st)
			rd, err := neo4jtest.NewReader(neo4jtest.Config())
			if err != nil {
				b.Fatal(err)
			}
			defer rd.Close()
			for _, h := range []struct {
				name, cypher string
				params       map[string]any
			}{
				{"cypher/paths", neo4jtest.HandPaths, map[string]any{"from": targets.university, "to": targets.enterprise}},
				{"cypher/neighborhood", neo4jtest.HandNeighborhood, map[string]any{"id": targets.enterprise}},
			} {
				b.Run(h.name, func(b *testing.B) {
					for b.Loop() {
						if _, err := rd.Count(ctx, h.cypher, h.params); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}
