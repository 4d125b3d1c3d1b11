package ingest_test

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	drv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/export"
	"github.com/innograph/innograph/ingest"
	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/store/embedded"
	"github.com/innograph/innograph/store/neo4j/neo4jtest"
	"github.com/innograph/innograph/store/storetest"
)

// The size of the import benchmark: an enterprise register and a supply
// network.
const (
	benchNodes = 100_000
	benchEdges = 300_000
)

// benchDir returns the directory of the benchmark's files:
// $INNOGRAPH_BENCH_DIR if set (the files are kept there, to time the
// command line on them), else a temporary one.
func benchDir(b *testing.B) string {
	if d := os.Getenv("INNOGRAPH_BENCH_DIR"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			b.Fatal(err)
		}
		return d
	}
	return b.TempDir()
}

var benchFilesOnce sync.Map // dir → []string

// benchFiles writes Enterprise.csv (benchNodes rows) and SUPPLIES.csv
// (benchEdges rows) into dir, once, deterministically.
func benchFiles(b *testing.B, dir string) []string {
	if v, ok := benchFilesOnce.Load(dir); ok {
		return v.([]string)
	}
	nodes, edges := filepath.Join(dir, "Enterprise.csv"), filepath.Join(dir, "SUPPLIES.csv")
	write := func(path string, header []string, rows int, row func(i int) []string) {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		w := csv.NewWriter(bufio.NewWriter(f))
		w.Write(header)
		for i := range rows {
			w.Write(row(i))
		}
		w.Flush()
		if err := w.Error(); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	write(nodes, []string{"id", "name", "creditCode", "district", "industry", "foundedYear", "aboveScale", "revenue.2023", "revenue.2024", "rdInvestment.2024"}, benchNodes, func(i int) []string {
		return []string{
			fmt.Sprintf("b-%06d", i), fmt.Sprintf("大连基准%06d科技有限公司", i), storetest.CreditCode(b, i), "中山区", "软件和信息技术服务",
			strconv.Itoa(1990 + i%35), strconv.FormatBool(i%4 == 0),
			strconv.Itoa(100_000 + r.IntN(100_000_000)), strconv.Itoa(100_000 + r.IntN(100_000_000)), strconv.Itoa(r.IntN(5_000_000)),
		}
	})
	seen := map[[2]int]bool{}
	write(edges, []string{"from", "to", "product", "value", "since"}, benchEdges, func(i int) []string {
		var from, to int
		for {
			from, to = r.IntN(benchNodes), r.IntN(benchNodes)
			if from != to && !seen[[2]int{from, to}] {
				seen[[2]int{from, to}] = true
				break
			}
		}
		return []string{fmt.Sprintf("b-%06d", from), fmt.Sprintf("b-%06d", to), "零部件", strconv.Itoa(10_000 + r.IntN(10_000_000)), strconv.Itoa(2010 + r.IntN(15))}
	})
	files := []string{nodes, edges}
	benchFilesOnce.Store(dir, files)
	return files
}

// peakHeap samples the heap in use until stop is called, and returns the
// largest sample in MiB.
func peakHeap() (stop func() float64) {
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 {
		close(done)
		wg.Wait()
		return float64(peak) / (1 << 20)
	}
}

// BenchmarkImport imports 100,000 enterprises and 300,000 supply
// relationships from CSV into an empty store of each backend (validation
// pass, store checks, batched writes of 5,000) and reports rows per second
// and the peak heap.
func BenchmarkImport(b *testing.B) {
	files := benchFiles(b, benchDir(b))
	for _, name := range []string{"embedded", "neo4j"} {
		b.Run(name, func(b *testing.B) {
			var rows int
			var peak float64
			var elapsed time.Duration
			for b.Loop() {
				b.StopTimer()
				st := openBench(b, name)
				runtime.GC()
				stop := peakHeap()
				start := time.Now()
				b.StartTimer()
				rep, err := ingest.Import(context.Background(), st, files, ingest.Options{Source: "-"})
				b.StopTimer()
				elapsed += time.Since(start)
				peak = max(peak, stop())
				if err != nil {
					b.Fatal(err)
				}
				rows += rep.NodeRows + rep.EdgeRows
				b.StartTimer()
			}
			b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
			b.ReportMetric(peak, "peak-heap-MiB")
		})
	}
}

// openBench opens an empty store of backend name for a benchmark.
func openBench(b *testing.B, name string) kg.Store {
	if name == "neo4j" {
		return neo4jtest.Open(b)
	}
	st, err := embedded.Open(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// BenchmarkUNWIND loads the same files into Neo4j by hand: the CSV rows
// as they are, 5,000 per UNWIND statement (CREATE nodes, then MATCH both
// ends and CREATE relationships), through the driver, with no validation,
// merging or audit: the floor an import into Neo4j can approach.
func BenchmarkUNWIND(b *testing.B) {
	files := benchFiles(b, benchDir(b))
	cfg := neo4jtest.Config()
	neo4jtest.Open(b) // skips loudly without Neo4j; migrated (indexes on :Node(id)), empty, locked
	ctx := context.Background()
	d, err := drv.NewDriverWithContext(cfg.URI, drv.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close(ctx)
	readRows := func(path string) []map[string]any {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(bufio.NewReader(f)).ReadAll()
		if err != nil {
			b.Fatal(err)
		}
		out := make([]map[string]any, 0, len(recs)-1)
		for _, r := range recs[1:] {
			m := map[string]any{}
			for i, h := range recs[0] {
				m[h] = r[i]
			}
			out = append(out, m)
		}
		return out
	}
	var rows int
	var peak float64
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		if err := neo4jtest.Wipe(ctx, cfg); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		stop := peakHeap()
		start := time.Now()
		b.StartTimer()
		nodes := readRows(files[0])
		edges := readRows(files[1])
		for i, n := range nodes {
			nodes[i] = map[string]any{
				"id": n["id"], "name": n["name"], "creditCode": n["creditCode"], "district": n["district"], "industry": n["industry"],
				"foundedYear": atoi(n["foundedYear"]), "aboveScale": n["aboveScale"] == "true",
				"revenue_2023": atof(n["revenue.2023"]), "revenue_2024": atof(n["revenue.2024"]), "rdInvestment_2024": atof(n["rdInvestment.2024"]),
			}
		}
		for i, e := range edges {
			edges[i] = map[string]any{"from": e["from"], "to": e["to"], "props": map[string]any{
				"id": kg.EdgeID(kg.Supplies, e["from"].(string), e["to"].(string)), "product": e["product"], "value": atof(e["value"]), "since": atoi(e["since"]),
			}}
		}
		load := func(cypher string, rows []map[string]any) {
			for start := 0; start < len(rows); start += 5000 {
				part := rows[start:min(start+5000, len(rows))]
				if _, err := drv.ExecuteQuery(ctx, d, cypher, map[string]any{"rows": part}, drv.EagerResultTransformer, drv.ExecuteQueryWithDatabase(cfg.Database)); err != nil {
					b.Fatal(err)
				}
			}
		}
		load(fmt.Sprintf(neo4jtest.HandLoadNodes, kg.Enterprise), nodes)
		load(fmt.Sprintf(neo4jtest.HandLoadEdges, kg.Supplies), edges)
		b.StopTimer()
		elapsed += time.Since(start)
		peak = max(peak, stop())
		rows += len(nodes) + len(edges)
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
	b.ReportMetric(peak, "peak-heap-MiB")
}

func atoi(v any) int64   { i, _ := strconv.ParseInt(v.(string), 10, 64); return i }
func atof(v any) float64 { f, _ := strconv.ParseFloat(v.(string), 64); return f }

// countingWriter counts the bytes written to it.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// BenchmarkExport imports the benchmark's graph once per backend and
// exports all of it in each format, reporting items (nodes and
// relationships) per second, output size and the peak heap.
func BenchmarkExport(b *testing.B) {
	files := benchFiles(b, benchDir(b))
	for _, name := range []string{"embedded", "neo4j"} {
		b.Run(name, func(b *testing.B) {
			st := openBench(b, name)
			if _, err := ingest.Import(context.Background(), st, files, ingest.Options{Source: "-"}); err != nil {
				b.Fatal(err)
			}
			for _, format := range []export.Format{export.FormatJSONL, export.FormatCSV, export.FormatGEXF, export.FormatGraphML, export.FormatCytoscape} {
				b.Run(string(format), func(b *testing.B) {
					var items int
					var peak float64
					var elapsed time.Duration
					var size int64
					for b.Loop() {
						b.StopTimer()
						runtime.GC()
						stop := peakHeap()
						start := time.Now()
						b.StartTimer()
						var w countingWriter
						stats, err := export.Write(context.Background(), st, export.Filter{}, format, &w, nil)
						b.StopTimer()
						elapsed += time.Since(start)
						peak = max(peak, stop())
						if err != nil {
							b.Fatal(err)
						}
						items += stats.Nodes + stats.Edges
						size = w.n
						b.StartTimer()
					}
					b.ReportMetric(float64(items)/elapsed.Seconds(), "items/s")
					b.ReportMetric(float64(size)/(1<<20), "MiB")
					b.ReportMetric(peak, "peak-heap-MiB")
				})
			}
		})
	}
}
