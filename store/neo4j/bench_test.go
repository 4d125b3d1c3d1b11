package neo4j_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	drv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/apitest"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/seed"
	"github.com/innograph/innograph/server"
	"github.com/innograph/innograph/store/embedded"
	"github.com/innograph/innograph/store/neo4j"
	"github.com/innograph/innograph/store/neo4j/neo4jtest"
)

// benchBatch is the batch size of both loads, as `innograph seed` writes.
const benchBatch = 5000

// benchScales are the demo scales of BenchmarkNeo4j: the district, and
// about 100,000 nodes. INNOGRAPH_BENCH_SCALES (e.g. "1") overrides them.
func benchScales(b *testing.B) []float64 {
	env := os.Getenv("INNOGRAPH_BENCH_SCALES")
	if env == "" {
		return []float64{1, 174}
	}
	var out []float64
	for _, f := range strings.Split(env, ",") {
		s, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || s <= 0 {
			b.Fatalf("INNOGRAPH_BENCH_SCALES=%q: want positive numbers separated by commas", env)
		}
		out = append(out, s)
	}
	return out
}

// BenchmarkNeo4j compares, on the same demo data at each scale:
//
//   - seed: the rows per second of loading the demo in batches of 5,000
//     through the store's Apply, through hand-written UNWIND statements
//     (one per kind label and relationship type, in one transaction per
//     batch, writing the same stored form), and into the embedded store;
//   - point, list50, nested: the latency of a point lookup, a filtered and
//     ordered 50-row list, and 50 enterprises with their suppliers and
//     each supplier's industries, through the API (the HTTP handler over
//     the Neo4j store), through the one hand-written Cypher query that
//     returns the same data, and through the API over the embedded store.
//
// The latency benchmarks read the data the last store-apply load wrote.
// It holds the Neo4j test lock throughout, skips loudly without Neo4j,
// and fails under CI=true. Results go to docs/benchmarks.md.
func BenchmarkNeo4j(b *testing.B) {
	neo := neo4jtest.Open(b)
	cfg := neo4jtest.Config()
	d, err := drv.NewDriverWithContext(cfg.URI, drv.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close(context.Background()) })
	ctx := context.Background()
	b.Logf("%s; %s; GOMAXPROCS %d", runtime.Version(), serverVersion(b, d, cfg), runtime.GOMAXPROCS(0))
	warmup := seed.Demo(seed.Config{Scale: 1, Seed: 1}).Batches(benchBatch)

	// The floor: the round trip of the smallest query through the driver.
	b.Run("floor/hand-cypher", func(b *testing.B) {
		for b.Loop() {
			if _, err := drv.ExecuteQuery(ctx, d, "RETURN 1", nil, drv.EagerResultTransformer,
				drv.ExecuteQueryWithDatabase(cfg.Database), drv.ExecuteQueryWithReadersRouting()); err != nil {
				b.Fatal(err)
			}
		}
	})

	for _, scale := range benchScales(b) {
		start := time.Now()
		ds := seed.Demo(seed.Config{Scale: scale, Seed: 1})
		batches := ds.Batches(benchBatch)
		rows := len(ds.Nodes) + len(ds.Edges)
		b.Logf("scale %v: %d nodes, %d relationships, %d batches (generated in %v)", scale, len(ds.Nodes), len(ds.Edges), len(batches), time.Since(start).Round(time.Millisecond))
		prefix := fmt.Sprintf("nodes=%d", len(ds.Nodes))
		wipe := func(b *testing.B) {
			b.Helper()
			if err := neo4jtest.Wipe(ctx, cfg); err != nil {
				b.Fatalf("emptying the database: %v", err)
			}
		}
		applied := false // the database holds ds as the store's Apply wrote it

		// load times write over ds, on an empty database each time, after
		// an untimed load of the district (so that the statements are
		// planned and the JIT warm before the clock runs).
		load := func(b *testing.B, write func(b *testing.B, batches []kg.Batch)) {
			b.Helper()
			b.StopTimer()
			wipe(b)
			write(b, warmup)
			b.StartTimer()
			for range b.N {
				b.StopTimer()
				wipe(b)
				b.StartTimer()
				write(b, batches)
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
		}
		b.Run(prefix+"/seed/hand-unwind", func(b *testing.B) {
			applied = false
			load(b, func(b *testing.B, batches []kg.Batch) { handLoad(b, d, cfg.Database, batches) })
			b.StopTimer()
			checkLoaded(b, neo, ds)
		})
		b.Run(prefix+"/seed/store-apply", func(b *testing.B) {
			applied = false
			load(b, func(b *testing.B, batches []kg.Batch) {
				for i, batch := range batches {
					if _, err := neo.Apply(ctx, batch); err != nil {
						b.Fatalf("batch %d: %v", i+1, err)
					}
				}
			})
			b.StopTimer()
			checkLoaded(b, neo, ds)
			applied = true
		})
		var emb kg.Store
		b.Run(prefix+"/seed/embedded-apply", func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				if emb != nil {
					emb.Close()
				}
				emb, err = embedded.Open(ctx, b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				for i, batch := range batches {
					if _, err := emb.Apply(ctx, batch); err != nil {
						b.Fatalf("batch %d: %v", i+1, err)
					}
				}
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})

		// The latency benchmarks need the data, also when -bench skipped
		// the loads.
		if !applied {
			wipe(b)
			for i, batch := range batches {
				if _, err := neo.Apply(ctx, batch); err != nil {
					b.Fatalf("batch %d: %v", i+1, err)
				}
			}
		}
		if emb == nil {
			emb, err = embedded.Open(ctx, b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			for i, batch := range batches {
				if _, err := emb.Apply(ctx, batch); err != nil {
					b.Fatalf("batch %d: %v", i+1, err)
				}
			}
		}
		latency(b, prefix, ds, neo, emb, d, cfg.Database)
		emb.Close()
	}
}

// latency runs the point, list50 and nested benchmarks of one scale.
func latency(b *testing.B, prefix string, ds seed.Dataset, neo *neo4j.Store, emb kg.Store, d drv.DriverWithContext, database string) {
	var entID string
	for _, n := range ds.Nodes {
		if n.Kind == kg.Enterprise {
			entID = n.ID
			break
		}
	}
	countNeo, countEmb := apitest.NewCountingStore(neo), apitest.NewCountingStore(emb)
	apiNeo := apitest.NewClient(b, server.DefaultConfig(), countNeo)
	apiEmb := apitest.NewClient(b, server.DefaultConfig(), countEmb)
	// The API without request plans: root fields alone, nested fields
	// through the loaders (one round trip per level).
	unplanned := server.DefaultConfig()
	unplanned.DisablePlanner = true
	countLoaders := apitest.NewCountingStore(neo)
	apiLoaders := apitest.NewClient(b, unplanned, countLoaders)
	// The API planned but without the response writer: gqlgen's executor
	// writes every answer (see graph.Writer).
	executor := server.DefaultConfig()
	executor.DisableWriter = true
	countExec := apitest.NewCountingStore(neo)
	apiExec := apitest.NewClient(b, executor, countExec)
	// api runs q through c's handler and reports the store calls per
	// request and the median latency of the handler: from the request
	// handed to it to its response written, as the hand-written rows time
	// the driver from the statement to its records. Building the request
	// and reading the response, the client's work, are outside the time;
	// every response is checked.
	api := func(b *testing.B, c *apitest.Client, cs *apitest.CountingStore, q benchQuery) {
		body, err := json.Marshal(map[string]any{"query": q.graphql, "variables": q.vars})
		if err != nil {
			b.Fatal(err)
		}
		cs.Reset()
		b.ReportAllocs()
		var times []time.Duration
		for b.Loop() {
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			start := time.Now()
			c.Handler.ServeHTTP(rec, req)
			times = append(times, time.Since(start))
			if rec.Code != http.StatusOK || bytes.Contains(rec.Body.Bytes(), []byte(`"errors":`)) {
				b.Fatalf("%s: status %d: %.600s", q.name, rec.Code, rec.Body.Bytes())
			}
		}
		b.ReportMetric(float64(cs.Total())/float64(b.N), "calls/op")
		reportMedian(b, times)
	}
	for _, q := range benchQueries(entID) {
		// The hand-written query must return what the API returns.
		want := q.fromAPI(b, apiNeo)
		if got := q.fromCypher(b, d, database); !reflect.DeepEqual(got, want) {
			b.Fatalf("%s: the hand-written Cypher returns\n %.600v\nthe API\n %.600v", q.name, got, want)
		}
		if got := q.fromAPI(b, apiEmb); !reflect.DeepEqual(got, want) {
			b.Fatalf("%s: the embedded store answers\n %.600v\nNeo4j\n %.600v", q.name, got, want)
		}
		if got := q.fromAPI(b, apiExec); !reflect.DeepEqual(got, want) {
			b.Fatalf("%s: the API without the writer answers\n %.600v\nwith it\n %.600v", q.name, got, want)
		}
		if got := q.fromAPI(b, apiLoaders); !reflect.DeepEqual(got, want) {
			b.Fatalf("%s: the API without plans answers\n %.600v\nwith plans\n %.600v", q.name, got, want)
		}
		b.Run(prefix+"/"+q.name+"/api-neo4j", func(b *testing.B) { api(b, apiNeo, countNeo, q) })
		b.Run(prefix+"/"+q.name+"/api-neo4j-executor", func(b *testing.B) { api(b, apiExec, countExec, q) })
		if q.respond != nil {
			// Where the API's time goes: the plan it reads, as the statement
			// alone through the driver and as the store's Fetch.
			rec := &planRecorder{Store: emb}
			apitest.NewClient(b, server.DefaultConfig(), rec).MustData(q.graphql, q.vars, nil)
			if len(rec.plans) != 1 {
				b.Fatalf("%s: %d plans, want 1", q.name, len(rec.plans))
			}
			plan := rec.plans[0]
			cypher, params, err := neo4j.FetchStatement(plan)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(prefix+"/"+q.name+"/planned-cypher", func(b *testing.B) {
				var times []time.Duration
				for b.Loop() {
					start := time.Now()
					if _, err := drv.ExecuteQuery(context.Background(), d, cypher, params, drv.EagerResultTransformer,
						drv.ExecuteQueryWithDatabase(database), drv.ExecuteQueryWithReadersRouting()); err != nil {
						b.Fatal(err)
					}
					times = append(times, time.Since(start))
				}
				reportMedian(b, times)
			})
			b.Run(prefix+"/"+q.name+"/store-fetch", func(b *testing.B) {
				var times []time.Duration
				for b.Loop() {
					start := time.Now()
					if _, err := neo.Fetch(context.Background(), plan); err != nil {
						b.Fatal(err)
					}
					times = append(times, time.Since(start))
				}
				reportMedian(b, times)
			})
		}
		// The same statement as an auto-commit transaction, as the store
		// runs reads of one statement: one round trip instead of three.
		b.Run(prefix+"/"+q.name+"/hand-cypher-autocommit", func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				start := time.Now()
				sess := d.NewSession(context.Background(), drv.SessionConfig{AccessMode: drv.AccessModeRead, DatabaseName: database, BookmarkManager: d.ExecuteQueryBookmarkManager()})
				res, err := sess.Run(context.Background(), q.cypher, q.params)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := res.Collect(context.Background()); err != nil {
					b.Fatal(err)
				}
				sess.Close(context.Background())
				times = append(times, time.Since(start))
			}
			reportMedian(b, times)
		})
		b.Run(prefix+"/"+q.name+"/hand-cypher", func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				start := time.Now()
				if _, err := drv.ExecuteQuery(context.Background(), d, q.cypher, q.params, drv.EagerResultTransformer,
					drv.ExecuteQueryWithDatabase(database), drv.ExecuteQueryWithReadersRouting()); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
			}
			reportMedian(b, times)
		})
		if q.respond != nil {
			// The hand-written answer, encoded, is the API's response.
			rec := cypherRecord(b, d, database, q.cypher, q.params)
			body, err := q.respond(rec)
			if err != nil {
				b.Fatal(err)
			}
			var got struct{ Data any }
			var want any
			if err := json.Unmarshal(body, &got); err != nil {
				b.Fatal(err)
			}
			if err := json.Unmarshal(apiNeo.Do(q.graphql, q.vars).Data, &want); err != nil {
				b.Fatal(err)
			}
			if !reflect.DeepEqual(got.Data, want) {
				b.Fatalf("%s: the hand-written Cypher encodes to\n %.600s\nthe API answers\n %.600v", q.name, body, want)
			}
			b.Run(prefix+"/"+q.name+"/hand-cypher-json", func(b *testing.B) {
				var times []time.Duration
				for b.Loop() {
					start := time.Now()
					res, err := drv.ExecuteQuery(context.Background(), d, q.cypher, q.params, drv.EagerResultTransformer,
						drv.ExecuteQueryWithDatabase(database), drv.ExecuteQueryWithReadersRouting())
					if err != nil || len(res.Records) != 1 {
						b.Fatal(err)
					}
					if _, err := q.respond(res.Records[0]); err != nil {
						b.Fatal(err)
					}
					times = append(times, time.Since(start))
				}
				reportMedian(b, times)
			})
		}
		b.Run(prefix+"/"+q.name+"/api-neo4j-loaders", func(b *testing.B) { api(b, apiLoaders, countLoaders, q) })
		b.Run(prefix+"/"+q.name+"/api-embedded", func(b *testing.B) { api(b, apiEmb, countEmb, q) })
	}
}

// planRecorder records the fetch plans a store is asked to read.
type planRecorder struct {
	kg.Store
	plans []kg.FetchPlan
}

// Fetch records p and delegates.
func (r *planRecorder) Fetch(ctx context.Context, p kg.FetchPlan) (*kg.FetchResult, error) {
	r.plans = append(r.plans, p)
	return r.Store.Fetch(ctx, p)
}

// reportMedian reports the median of times as p50-ms.
func reportMedian(b *testing.B, times []time.Duration) {
	if len(times) == 0 {
		return
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2])/float64(time.Millisecond), "p50-ms")
}

// benchQuery is one query of the latency benchmarks, as GraphQL and as
// the hand-written Cypher that returns the same data, with a way to bring
// both answers to one comparable form.
type benchQuery struct {
	name    string
	graphql string
	vars    map[string]any
	cypher  string
	params  map[string]any
	// fromAPI and fromCypher return the answer in a common form.
	fromAPI    func(b *testing.B, c *apitest.Client) any
	fromCypher func(b *testing.B, d drv.DriverWithContext, database string) any
	// respond, when not nil, encodes the record of the hand-written query
	// as the API's JSON response: what a client of a hand-written service
	// would receive.
	respond func(rec *drv.Record) ([]byte, error)
}

// Hand-written Cypher of the latency benchmarks.
const (
	// cypherPoint reads one enterprise and its yearly revenue, by year.
	cypherPoint = `MATCH (n:Node {id: $id})
RETURN n.id AS id, n.name AS name, n.creditCode AS creditCode,
  COLLECT { UNWIND keys(n) AS k WITH k WHERE k STARTS WITH 'revenue_'
    WITH toInteger(substring(k, 8)) AS y, n[k] AS v ORDER BY y RETURN [y, v] } AS revenue`
	// cypherList50 counts the enterprises of a district and returns the
	// 50 with the largest revenue in 2025.
	cypherList50 = `CALL () { MATCH (n:Enterprise) WHERE n.district = $district RETURN count(n) AS total }
CALL () { MATCH (n:Enterprise) WHERE n.district = $district
  WITH n ORDER BY n.revenue_2025 DESC, n.id LIMIT 50
  RETURN collect([n.id, n.name, n.creditCode]) AS page }
RETURN total, page`
	// cypherNested returns the first 50 enterprises by id, the number of
	// their SUPPLIES relationships in, the first 10 suppliers (by id, then
	// relationship id) and each supplier's industries (by id). The
	// predicate on e.id lets the planner read the first 50 in the order of
	// the kind's id index instead of sorting every enterprise.
	cypherNested = `CALL () { MATCH (e:Enterprise) RETURN count(e) AS total }
CALL () {
  MATCH (e:Enterprise) WHERE e.id IS NOT NULL WITH e ORDER BY e.id LIMIT 50
  CALL (e) {
    OPTIONAL MATCH (s:Node)-[r:SUPPLIES]->(e)
    WITH s, r ORDER BY s.id, r.id
    RETURN count(r) AS suppliers, collect(s)[0..10] AS firsts
  }
  RETURN collect([e.id, suppliers, [s IN firsts | [s.id,
    COLLECT { MATCH (s)-[:IN_INDUSTRY]->(i:Industry) WITH i ORDER BY i.id LIMIT 20 RETURN [i.id, i.name] }]]]) AS page
}
RETURN total, page`
	// cypherDeep returns the first 20 enterprises by id with their name,
	// the number of their suppliers, the first 5 suppliers (by id, then
	// relationship id) with their name and number of suppliers, the first
	// 5 suppliers of each of those with their name and industries (by id).
	cypherDeep = `CALL () { MATCH (e:Enterprise) RETURN count(e) AS total }
CALL () {
  MATCH (e:Enterprise) WHERE e.id IS NOT NULL WITH e ORDER BY e.id LIMIT 20
  RETURN collect([e.id, e.name, COUNT { (e)<-[:SUPPLIES]-() },
    COLLECT { MATCH (s)-[r:SUPPLIES]->(e) WITH s, r ORDER BY s.id, r.id LIMIT 5
      RETURN [s.id, s.name, COUNT { (s)<-[:SUPPLIES]-() },
        COLLECT { MATCH (t)-[q:SUPPLIES]->(s) WITH t, q ORDER BY t.id, q.id LIMIT 5
          RETURN [t.id, t.name, COLLECT { MATCH (t)-[:IN_INDUSTRY]->(i) WITH i ORDER BY i.id LIMIT 20 RETURN [i.id, i.name] }] }] }]) AS page
}
RETURN total, page`
)

func benchQueries(entID string) []benchQuery {
	return []benchQuery{
		{
			name:    "point",
			graphql: `query ($id: ID!) { node(id: $id) { id name ... on Enterprise { creditCode figures { year revenue } } } }`,
			vars:    map[string]any{"id": entID},
			cypher:  cypherPoint,
			params:  map[string]any{"id": entID},
			fromAPI: func(b *testing.B, c *apitest.Client) any {
				var out struct {
					Node struct {
						ID, Name, CreditCode string
						Figures              []struct {
							Year    int
							Revenue *float64
						}
					}
				}
				c.MustData(`query ($id: ID!) { node(id: $id) { id name ... on Enterprise { creditCode figures { year revenue } } } }`, map[string]any{"id": entID}, &out)
				rev := []any{}
				for _, f := range out.Node.Figures {
					if f.Revenue != nil {
						rev = append(rev, []any{int64(f.Year), *f.Revenue})
					}
				}
				return []any{out.Node.ID, out.Node.Name, out.Node.CreditCode, rev}
			},
			fromCypher: func(b *testing.B, d drv.DriverWithContext, database string) any {
				rec := cypherRecords(b, d, database, cypherPoint, map[string]any{"id": entID})[0]
				return []any{rec["id"], rec["name"], rec["creditCode"], rec["revenue"]}
			},
		},
		{
			name:    "list50",
			graphql: list50Query,
			cypher:  cypherList50,
			params:  map[string]any{"district": seed.District},
			fromAPI: func(b *testing.B, c *apitest.Client) any {
				var out struct {
					Enterprises struct {
						TotalCount int
						Edges      []struct {
							Node struct{ ID, Name, CreditCode string }
						}
					}
				}
				c.MustData(list50Query, nil, &out)
				page := []any{}
				for _, e := range out.Enterprises.Edges {
					page = append(page, []any{e.Node.ID, e.Node.Name, e.Node.CreditCode})
				}
				return []any{int64(out.Enterprises.TotalCount), page}
			},
			fromCypher: func(b *testing.B, d drv.DriverWithContext, database string) any {
				rec := cypherRecords(b, d, database, cypherList50, map[string]any{"district": seed.District})[0]
				return []any{rec["total"], rec["page"]}
			},
		},
		{
			name:    "nested",
			graphql: apitest.NestedQuery,
			cypher:  cypherNested,
			respond: respondNested,
			fromAPI: func(b *testing.B, c *apitest.Client) any {
				var out apitest.NestedResult
				c.MustData(apitest.NestedQuery, nil, &out)
				page := []any{}
				for _, e := range out.Enterprises.Edges {
					sups := []any{}
					for _, s := range e.Node.Suppliers.Edges {
						inds := []any{}
						for _, i := range s.Node.Industries.Edges {
							inds = append(inds, []any{i.Node.ID, i.Node.Name})
						}
						sups = append(sups, []any{s.Node.ID, inds})
					}
					page = append(page, []any{e.Node.ID, int64(e.Node.Suppliers.TotalCount), sups})
				}
				return []any{int64(out.Enterprises.TotalCount), page}
			},
			fromCypher: func(b *testing.B, d drv.DriverWithContext, database string) any {
				rec := cypherRecords(b, d, database, cypherNested, nil)[0]
				return []any{rec["total"], rec["page"]}
			},
		},
		{
			name:    "deep",
			graphql: apitest.DeepQuery,
			cypher:  cypherDeep,
			respond: respondDeep,
			fromAPI: func(b *testing.B, c *apitest.Client) any {
				var out apitest.DeepResult
				c.MustData(apitest.DeepQuery, nil, &out)
				page := []any{}
				for _, e := range out.Enterprises.Edges {
					sups := []any{}
					for _, s := range e.Node.Suppliers.Edges {
						subs := []any{}
						for _, t := range s.Node.Suppliers.Edges {
							inds := []any{}
							for _, i := range t.Node.Industries.Edges {
								inds = append(inds, []any{i.Node.ID, i.Node.Name})
							}
							subs = append(subs, []any{t.Node.ID, t.Node.Name, inds})
						}
						sups = append(sups, []any{s.Node.ID, s.Node.Name, int64(s.Node.Suppliers.TotalCount), subs})
					}
					page = append(page, []any{e.Node.ID, e.Node.Name, int64(e.Node.Suppliers.TotalCount), sups})
				}
				return []any{int64(out.Enterprises.TotalCount), page}
			},
			fromCypher: func(b *testing.B, d drv.DriverWithContext, database string) any {
				rec := cypherRecords(b, d, database, cypherDeep, nil)[0]
				return []any{rec["total"], rec["page"]}
			},
		},
	}
}

// list50Query is the 50-row list: a filter and an order by a yearly figure.
const list50Query = `{ enterprises(first: 50, filter: {district: "中山区"}, orderBy: [{field: REVENUE, year: 2025, direction: DESC}]) {
  totalCount edges { node { id name creditCode } } } }`

// cypherRecord runs a read query that returns one record.
func cypherRecord(b *testing.B, d drv.DriverWithContext, database, cypher string, params map[string]any) *drv.Record {
	b.Helper()
	res, err := drv.ExecuteQuery(context.Background(), d, cypher, params, drv.EagerResultTransformer,
		drv.ExecuteQueryWithDatabase(database), drv.ExecuteQueryWithReadersRouting())
	if err != nil {
		b.Fatal(err)
	}
	if len(res.Records) != 1 {
		b.Fatalf("%d records, want 1", len(res.Records))
	}
	return res.Records[0]
}

// The JSON responses of the nested and deep queries, as a hand-written
// service would encode them from the records of cypherNested and
// cypherDeep.
type (
	jsonResponse[T any] struct {
		Data T `json:"data"`
	}
	jsonEnterprises[T any] struct {
		Enterprises jsonConn[T] `json:"enterprises"`
	}
	jsonConn[T any] struct {
		TotalCount int64         `json:"totalCount"`
		Edges      []jsonEdge[T] `json:"edges"`
	}
	jsonEdge[T any] struct {
		Node T `json:"node"`
	}
	jsonEdges[T any] struct {
		Edges []jsonEdge[T] `json:"edges"`
	}
	jsonIndustry struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	jsonNestedSupplier struct {
		ID         string                  `json:"id"`
		Industries jsonEdges[jsonIndustry] `json:"industries"`
	}
	jsonNestedEnterprise struct {
		ID        string                       `json:"id"`
		Suppliers jsonConn[jsonNestedSupplier] `json:"suppliers"`
	}
	jsonDeepTier2 struct {
		ID         string                  `json:"id"`
		Name       string                  `json:"name"`
		Industries jsonEdges[jsonIndustry] `json:"industries"`
	}
	jsonDeepTier1 struct {
		ID        string                  `json:"id"`
		Name      string                  `json:"name"`
		Suppliers jsonConn[jsonDeepTier2] `json:"suppliers"`
	}
	jsonDeepEnterprise struct {
		ID        string                  `json:"id"`
		Name      string                  `json:"name"`
		Suppliers jsonConn[jsonDeepTier1] `json:"suppliers"`
	}
)

// list reads a list value of a record.
func list(v any) []any { l, _ := v.([]any); return l }

func str(v any) string { s, _ := v.(string); return s }

func count(v any) int64 { n, _ := v.(int64); return n }

// industries reads [[id, name], …].
func industries(v any) jsonEdges[jsonIndustry] {
	out := jsonEdges[jsonIndustry]{Edges: []jsonEdge[jsonIndustry]{}}
	for _, i := range list(v) {
		out.Edges = append(out.Edges, jsonEdge[jsonIndustry]{jsonIndustry{str(list(i)[0]), str(list(i)[1])}})
	}
	return out
}

// respondNested encodes a record of cypherNested as the API's response.
func respondNested(rec *drv.Record) ([]byte, error) {
	total, _ := rec.Get("total")
	page, _ := rec.Get("page")
	out := jsonResponse[jsonEnterprises[jsonNestedEnterprise]]{}
	out.Data.Enterprises = jsonConn[jsonNestedEnterprise]{TotalCount: count(total), Edges: []jsonEdge[jsonNestedEnterprise]{}}
	for _, e := range list(page) {
		el := list(e)
		ent := jsonNestedEnterprise{ID: str(el[0]), Suppliers: jsonConn[jsonNestedSupplier]{TotalCount: count(el[1]), Edges: []jsonEdge[jsonNestedSupplier]{}}}
		for _, s := range list(el[2]) {
			sl := list(s)
			ent.Suppliers.Edges = append(ent.Suppliers.Edges, jsonEdge[jsonNestedSupplier]{jsonNestedSupplier{str(sl[0]), industries(sl[1])}})
		}
		out.Data.Enterprises.Edges = append(out.Data.Enterprises.Edges, jsonEdge[jsonNestedEnterprise]{ent})
	}
	return json.Marshal(out)
}

// respondDeep encodes a record of cypherDeep as the API's response.
func respondDeep(rec *drv.Record) ([]byte, error) {
	total, _ := rec.Get("total")
	page, _ := rec.Get("page")
	out := jsonResponse[jsonEnterprises[jsonDeepEnterprise]]{}
	out.Data.Enterprises = jsonConn[jsonDeepEnterprise]{TotalCount: count(total), Edges: []jsonEdge[jsonDeepEnterprise]{}}
	for _, e := range list(page) {
		el := list(e)
		ent := jsonDeepEnterprise{ID: str(el[0]), Name: str(el[1]), Suppliers: jsonConn[jsonDeepTier1]{TotalCount: count(el[2]), Edges: []jsonEdge[jsonDeepTier1]{}}}
		for _, s := range list(el[3]) {
			sl := list(s)
			t1 := jsonDeepTier1{ID: str(sl[0]), Name: str(sl[1]), Suppliers: jsonConn[jsonDeepTier2]{TotalCount: count(sl[2]), Edges: []jsonEdge[jsonDeepTier2]{}}}
			for _, t := range list(sl[3]) {
				tl := list(t)
				t1.Suppliers.Edges = append(t1.Suppliers.Edges, jsonEdge[jsonDeepTier2]{jsonDeepTier2{str(tl[0]), str(tl[1]), industries(tl[2])}})
			}
			ent.Suppliers.Edges = append(ent.Suppliers.Edges, jsonEdge[jsonDeepTier1]{t1})
		}
		out.Data.Enterprises.Edges = append(out.Data.Enterprises.Edges, jsonEdge[jsonDeepEnterprise]{ent})
	}
	return json.Marshal(out)
}

// cypherRecords runs a read query and returns its records as maps.
func cypherRecords(b *testing.B, d drv.DriverWithContext, database, cypher string, params map[string]any) []map[string]any {
	b.Helper()
	res, err := drv.ExecuteQuery(context.Background(), d, cypher, params, drv.EagerResultTransformer,
		drv.ExecuteQueryWithDatabase(database), drv.ExecuteQueryWithReadersRouting())
	if err != nil {
		b.Fatal(err)
	}
	out := make([]map[string]any, len(res.Records))
	for i, r := range res.Records {
		out[i] = r.AsMap()
	}
	return out
}

// handLoad writes the batches as a program using the driver directly
// would: per batch one write transaction with one UNWIND statement per
// kind label and per relationship type, the rows being the stored form of
// the store (properties with yearly series flattened to one property per
// year, id, timestamps, the lower-cased search texts), so that both loads
// write the same graph.
func handLoad(b *testing.B, d drv.DriverWithContext, database string, batches []kg.Batch) {
	b.Helper()
	ctx := context.Background()
	sess := d.NewSession(ctx, drv.SessionConfig{DatabaseName: database, AccessMode: drv.AccessModeWrite})
	defer sess.Close(ctx)
	now := time.Now().UTC()
	for i, batch := range batches {
		nodes := map[kg.Kind][]any{}
		for _, n := range batch.Nodes {
			nodes[n.Kind] = append(nodes[n.Kind], handNode(n, now))
		}
		edges := map[kg.RelType][]any{}
		for _, e := range batch.Edges {
			props := handProps(e.Props)
			props["id"] = e.ID
			if e.ID == "" {
				props["id"] = kg.EdgeID(e.Type, e.From, e.To)
			}
			edges[e.Type] = append(edges[e.Type], map[string]any{"from": e.From, "to": e.To, "props": props})
		}
		_, err := sess.ExecuteWrite(ctx, func(tx drv.ManagedTransaction) (any, error) {
			for _, k := range kg.Kinds {
				if rows := nodes[k]; len(rows) > 0 {
					if err := run(ctx, tx, fmt.Sprintf(neo4jtest.HandLoadNodes, k), rows); err != nil {
						return nil, err
					}
				}
			}
			for _, t := range kg.RelTypes {
				if rows := edges[t]; len(rows) > 0 {
					if err := run(ctx, tx, fmt.Sprintf(neo4jtest.HandLoadEdges, t), rows); err != nil {
						return nil, err
					}
				}
			}
			return nil, nil
		})
		if err != nil {
			b.Fatalf("batch %d: %v", i+1, err)
		}
	}
}

func run(ctx context.Context, tx drv.ManagedTransaction, cypher string, rows []any) error {
	res, err := tx.Run(ctx, cypher, map[string]any{"rows": rows})
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}

// handNode is the stored form of a node.
func handNode(n kg.Node, now time.Time) map[string]any {
	m := handProps(n.Props)
	m["id"], m["createdAt"], m["updatedAt"] = n.ID, now, now
	texts := []string{strings.ToLower(n.Props.Str("name")), strings.ToLower(n.Props.Str("nameEn"))}
	for _, a := range n.Props.Strings("aliases") {
		texts = append(texts, strings.ToLower(a))
	}
	m["_searchName"], m["_search"] = texts[0], strings.Join(texts, "\x00")
	return m
}

// handProps flattens yearly series to one property per year.
func handProps(p kg.Props) map[string]any {
	m := make(map[string]any, len(p)+8)
	for k, v := range p {
		if s, ok := v.(kg.Series); ok {
			for y, f := range s {
				m[k+"_"+strconv.Itoa(y)] = f
			}
			continue
		}
		m[k] = v
	}
	return m
}

// checkLoaded checks that the database holds ds: the counts, and a sample
// of nodes read back through the store equal to what was written.
func checkLoaded(b *testing.B, s *neo4j.Store, ds seed.Dataset) {
	b.Helper()
	ctx := context.Background()
	st, err := s.Stats(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if st.Nodes != len(ds.Nodes) || st.Edges != len(ds.Edges) {
		b.Fatalf("the database holds %d nodes and %d relationships, want %d and %d", st.Nodes, st.Edges, len(ds.Nodes), len(ds.Edges))
	}
	step := max(len(ds.Nodes)/50, 1)
	var ids []string
	want := map[string]kg.Props{}
	for i := 0; i < len(ds.Nodes); i += step {
		ids = append(ids, ds.Nodes[i].ID)
		want[ds.Nodes[i].ID] = ds.Nodes[i].Props
	}
	got, err := s.GetNodes(ctx, ids)
	if err != nil {
		b.Fatal(err)
	}
	for i, n := range got {
		if n == nil || !n.Props.Equal(want[ids[i]]) {
			gj, _ := json.Marshal(n)
			b.Fatalf("node %s reads back as %s, want %v", ids[i], gj, want[ids[i]])
		}
	}
	hits, err := s.Search(ctx, kg.SearchQuery{Text: "大连", Limit: 5})
	if err != nil || len(hits) == 0 {
		b.Fatalf("Search after the load: %v, %v", hits, err)
	}
}

// serverVersion returns the agent string of the Neo4j server.
func serverVersion(b *testing.B, d drv.DriverWithContext, cfg neo4j.Config) string {
	res, err := drv.ExecuteQuery(context.Background(), d,
		"CALL dbms.components() YIELD name, versions, edition RETURN name + ' ' + versions[0] + ' ' + edition AS v", nil,
		drv.EagerResultTransformer, drv.ExecuteQueryWithDatabase(cfg.Database))
	if err != nil || len(res.Records) == 0 {
		b.Logf("server version: %v", err)
		return "?"
	}
	v, _ := res.Records[0].Get("v")
	return fmt.Sprint(v)
}
