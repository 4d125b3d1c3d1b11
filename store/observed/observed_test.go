package observed_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/observe"
	"github.com/innograph/innograph/seed"
	"github.com/innograph/innograph/store/embedded"
	"github.com/innograph/innograph/store/observed"
	"github.com/innograph/innograph/store/storetest"
)

// TestConformance runs the store contract's suite through the decorator:
// observing changes nothing a store answers.
func TestConformance(t *testing.T) {
	m := observe.NewMetrics()
	storetest.Run(t, func(t *testing.T) kg.Store {
		st, err := embedded.Open(context.Background(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return observed.Wrap(st, "embedded", m)
	})
}

func TestOutcome(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{nil, "ok"},
		{fmt.Errorf("read: %w", context.Canceled), "canceled"},
		{fmt.Errorf("read: %w", context.DeadlineExceeded), "timeout"},
		{fmt.Errorf("%w: down", kg.ErrUnavailable), "unavailable"},
		{fmt.Errorf("%w: x", kg.ErrNotFound), "not_found"},
		{fmt.Errorf("%w: x", kg.ErrConflict), "conflict"},
		{kg.NewValidationError(kg.ErrInvalid, kg.FieldError{Message: "bad"}), "invalid"},
		{errors.New("disk on fire"), "error"},
	} {
		if got := observed.Outcome(c.err); got != c.want {
			t.Errorf("Outcome(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}

// scrape returns the value of every series of m, by series text.
func scrape(t *testing.T, m *observe.Metrics) map[string]float64 {
	t.Helper()
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	out := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(w.Body.String()))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

// TestCalls makes calls through the decorator and checks what each
// records: calls by method and outcome, ids asked for, rows written and
// scanned, audit entries, and the request's store calls.
func TestCalls(t *testing.T) {
	ctx := context.Background()
	inner, err := embedded.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer inner.Close()
	m := observe.NewMetrics()
	st := observed.Wrap(inner, "embedded", m)
	ds := seed.Demo(seed.Config{Scale: 1, Seed: 1})
	nodes := ds.Nodes[:40]
	ids := []string{nodes[0].ID, nodes[1].ID, "nobody"}
	bad := kg.Batch{Nodes: []kg.Node{{ID: "x", Kind: "NO_SUCH_KIND"}}, Audit: &kg.AuditEntry{Actor: "t", Action: "test"}}

	rctx, req := observe.WithRequest(ctx)
	steps := []struct {
		name string
		run  func() error
		want map[string]float64 // series that grow by these amounts
	}{
		{"apply with audit", func() error {
			_, err := st.Apply(rctx, kg.Batch{Nodes: nodes, Audit: &kg.AuditEntry{Actor: "t", Action: "test"}})
			return err
		}, map[string]float64{
			`innograph_store_calls_total{backend="embedded",method="Apply",outcome="ok"}`: 1,
			`innograph_store_rows_total{direction="written",item="node"}`:                 float64(len(nodes)),
			`innograph_audit_entries_total`:                                               1,
		}},
		{"refused apply", func() error {
			if _, err := st.Apply(rctx, bad); !errors.Is(err, kg.ErrInvalid) {
				return fmt.Errorf("apply of an unknown kind: %v, want ErrInvalid", err)
			}
			return nil
		}, map[string]float64{
			`innograph_store_calls_total{backend="embedded",method="Apply",outcome="invalid"}`: 1,
		}},
		{"get nodes", func() error {
			ns, err := st.GetNodes(rctx, ids)
			if err == nil && (len(ns) != 3 || ns[0] == nil || ns[2] != nil) {
				return fmt.Errorf("GetNodes through the decorator: %v", ns)
			}
			return err
		}, map[string]float64{
			`innograph_store_calls_total{backend="embedded",method="GetNodes",outcome="ok"}`: 1,
			`innograph_store_batch_keys_sum{backend="embedded",method="GetNodes"}`:           float64(len(ids)),
			`innograph_store_batch_keys_count{backend="embedded",method="GetNodes"}`:         1,
		}},
		{"scan", func() error {
			p, err := st.ScanNodes(rctx, kg.NodeScan{First: 25})
			if err == nil && len(p.Nodes) != 25 {
				return fmt.Errorf("scanned %d nodes, want 25", len(p.Nodes))
			}
			return err
		}, map[string]float64{
			`innograph_store_calls_total{backend="embedded",method="ScanNodes",outcome="ok"}`: 1,
			`innograph_store_rows_total{direction="scanned",item="node"}`:                     25,
		}},
	}
	before := scrape(t, m)
	calls := int64(0)
	for _, s := range steps {
		if err := s.run(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		calls++
		after := scrape(t, m)
		for series, grow := range s.want {
			if got := after[series] - before[series]; got != grow {
				t.Errorf("%s: %s grew by %v, want %v", s.name, series, got, grow)
			}
		}
		if got := req.StoreCalls(); got != calls {
			t.Errorf("%s: the request counted %d store calls, want %d", s.name, got, calls)
		}
		before = after
	}
	if got := before[`innograph_audit_entries_total`]; got != 1 {
		t.Errorf("audit entries: %v, want 1 (the refused batch wrote none)", got)
	}
	if _, err := st.Stats(ctx); err != nil {
		t.Fatal(err)
	}
	if got := req.StoreCalls(); got != calls {
		t.Errorf("a call outside the request was counted for it: %d, want %d", got, calls)
	}
}
