package neo4j_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/innograph/innograph/kg"
	"github.com/innograph/innograph/store/neo4j"
	"github.com/innograph/innograph/store/neo4j/neo4jtest"
)

// messageLog records the kind of every message a client sends (RUN,
// PULL, BEGIN, COMMIT, …).
type messageLog struct {
	mu   sync.Mutex
	sent []string
}

func (l *messageLog) LogClientMessage(_ string, msg string, _ ...any) {
	kind, _, _ := strings.Cut(msg, " ")
	l.mu.Lock()
	l.sent = append(l.sent, kind)
	l.mu.Unlock()
}

func (l *messageLog) LogServerMessage(string, string, ...any) {}

// take returns the messages sent since the last take, without those a
// new connection sends before its first statement.
func (l *messageLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := slices.DeleteFunc(l.sent, func(m string) bool { return m == "HELLO" || m == "LOGON" || m == "TELEMETRY" })
	l.sent = nil
	return out
}

// TestOneStatementReadsAreOneMessage checks that each read made of one
// statement reaches Neo4j as the statement and the request for its
// records alone, an auto-commit transaction of one round trip: no BEGIN
// before it and no COMMIT after it, which are a round trip each; and
// that they still see the store's writes.
func TestOneStatementReadsAreOneMessage(t *testing.T) {
	s := neo4jtest.Open(t)
	ctx := t.Context()
	b := kg.Batch{
		Nodes: []kg.Node{
			{ID: "rt-e1", Kind: kg.Enterprise, Props: kg.Props{"name": "往返科技", "district": "中山区"}},
			{ID: "rt-e2", Kind: kg.Enterprise, Props: kg.Props{"name": "往返材料", "district": "中山区"}},
		},
		Edges: []kg.Edge{{ID: "rt-s1", Type: kg.Supplies, From: "rt-e2", To: "rt-e1", Props: kg.Props{"product": "芯片"}}},
	}
	if _, err := s.Apply(ctx, b); err != nil {
		t.Fatal(err)
	}
	log := &messageLog{}
	neo4j.SetBoltLogger(s, log)
	reads := []struct {
		name string
		read func(ctx context.Context) (found int, err error)
	}{
		{"GetNodes", func(ctx context.Context) (int, error) {
			ns, err := s.GetNodes(ctx, []string{"rt-e1", "rt-e2"})
			return len(slices.DeleteFunc(ns, func(n *kg.Node) bool { return n == nil })), err
		}},
		{"GetEdges", func(ctx context.Context) (int, error) {
			es, err := s.GetEdges(ctx, []string{"rt-s1"})
			return len(slices.DeleteFunc(es, func(e *kg.Edge) bool { return e == nil })), err
		}},
		{"FindNodes", func(ctx context.Context) (int, error) {
			p, err := s.FindNodes(ctx, kg.NodeQuery{Kind: kg.Enterprise, First: 10})
			if err != nil {
				return 0, err
			}
			return len(p.Nodes), nil
		}},
		{"Fetch", func(ctx context.Context) (int, error) {
			r, err := s.Fetch(ctx, kg.FetchPlan{IDs: []string{"rt-e1"}, Props: []string{"name"}, Hops: []*kg.Hop{
				{Key: "sup", Types: []kg.RelType{kg.Supplies}, Direction: kg.In, First: 5, Props: []string{"name"}},
			}})
			if err != nil || r.Roots[0] == nil {
				return 0, err
			}
			return 1 + len(r.Roots[0].Hops["sup"].Items), nil
		}},
		{"Search", func(ctx context.Context) (int, error) {
			ns, err := s.Search(ctx, kg.SearchQuery{Text: "往返", Limit: 10})
			return len(ns), err
		}},
		{"Neighbors", func(ctx context.Context) (int, error) {
			m, err := s.Neighbors(ctx, kg.NeighborQuery{IDs: []string{"rt-e1"}, Types: []kg.RelType{kg.Supplies}, Direction: kg.In})
			return len(m["rt-e1"]), err
		}},
		{"Stats", func(ctx context.Context) (int, error) {
			st, err := s.Stats(ctx)
			if err != nil {
				return 0, err
			}
			return st.NodesByKind[kg.Enterprise], nil
		}},
	}
	want := map[string]int{"GetNodes": 2, "GetEdges": 1, "FindNodes": 2, "Fetch": 2, "Search": 2, "Neighbors": 1, "Stats": 2}
	for _, r := range reads {
		log.take()
		found, err := r.read(ctx)
		if err != nil {
			t.Errorf("%s: %v", r.name, err)
			continue
		}
		if found != want[r.name] {
			t.Errorf("%s found %d, want %d", r.name, found, want[r.name])
		}
		if sent := log.take(); !slices.Equal(sent, []string{"RUN", "PULL"}) {
			t.Errorf("%s sent %v, want [RUN PULL]", r.name, sent)
		}
	}
}
