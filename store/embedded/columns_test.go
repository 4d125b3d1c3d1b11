package embedded

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/innograph/innograph/kg"
)

// randomValue returns a value for spec drawn from a small range, so that
// random nodes share values and random conditions match some of them.
func randomValue(r *rand.Rand, spec kg.PropSpec) any {
	words := []string{"大连", "海洋", "软件", "Ab", "ab", "B", ""}
	switch spec.Type {
	case kg.String:
		if spec.Name == "creditCode" {
			return nil
		}
		return words[r.IntN(len(words))] + words[r.IntN(len(words))]
	case kg.Int:
		if spec.Min >= 1800 {
			return int64(2000 + r.IntN(6))
		}
		return int64(r.IntN(5))
	case kg.Float:
		return float64(r.IntN(5)) / 2
	case kg.Bool:
		return r.IntN(2) == 0
	case kg.Strings:
		out := []string{}
		for range r.IntN(3) {
			out = append(out, words[r.IntN(len(words))])
		}
		return out
	case kg.EnumType:
		return spec.Enum.Values[r.IntN(len(spec.Enum.Values))]
	case kg.Enums:
		out := []string{}
		for range r.IntN(3) {
			out = append(out, spec.Enum.Values[r.IntN(len(spec.Enum.Values))])
		}
		return out
	case kg.SeriesType:
		s := kg.Series{}
		n := 4
		if spec.Max > spec.Min && spec.Max < 4 {
			n = int(spec.Max) + 1 // a yearly status: 0 or 1
		}
		for y := 2020; y < 2023; y++ {
			if r.IntN(3) > 0 {
				s[y] = float64(r.IntN(n))
			}
		}
		return s
	}
	return nil
}

func randomNode(r *rand.Rand, k kg.Kind, id string) kg.Node {
	p := kg.Props{"name": fmt.Sprintf("节点%d", r.IntN(20))}
	for _, spec := range kg.NodeProps(k) {
		if spec.Name == "name" || r.IntN(4) == 0 {
			continue
		}
		if v := randomValue(r, spec); v != nil {
			p[spec.Name] = v
		}
	}
	return kg.Node{ID: id, Kind: k, Props: p}
}

// randomCondition returns a condition on a random property of k with a
// random operator; many are invalid, and are skipped by the caller.
func randomCondition(r *rand.Rand, k kg.Kind) kg.Condition {
	specs := append(kg.NodeProps(k), kg.PropSpec{Name: "id", Type: kg.String})
	spec := specs[r.IntN(len(specs))]
	ops := []kg.Op{kg.EQ, kg.NE, kg.GT, kg.GTE, kg.LT, kg.LTE, kg.IN, kg.CONTAINS, kg.PREFIX}
	c := kg.Condition{Prop: spec.Name, Op: ops[r.IntN(len(ops))]}
	elem := spec
	switch spec.Type {
	case kg.Strings:
		elem.Type = kg.String
	case kg.Enums:
		elem.Type = kg.EnumType
	case kg.SeriesType:
		elem.Type = kg.Float
		c.Year = 2019 + r.IntN(5)
	}
	one := func() any {
		if spec.Name == "id" {
			return fmt.Sprintf("n%03d", r.IntN(120))
		}
		v := randomValue(r, elem)
		if v == nil {
			v = "x"
		}
		return v
	}
	switch c.Op {
	case kg.IN:
		c.Value = []any{one(), one(), one()}
	case kg.CONTAINS, kg.PREFIX:
		c.Value = []string{"大", "ab", "A", "", "n0", "海洋"}[r.IntN(6)]
	default:
		c.Value = one()
	}
	return c
}

func randomSortKeys(r *rand.Rand, k kg.Kind) []kg.SortKey {
	var keys []kg.SortKey
	for range r.IntN(3) {
		specs := append(kg.NodeProps(k), kg.PropSpec{Name: "id", Type: kg.String})
		spec := specs[r.IntN(len(specs))]
		if spec.Type == kg.Strings || spec.Type == kg.Enums {
			continue
		}
		key := kg.SortKey{Prop: spec.Name, Desc: r.IntN(2) == 0}
		if spec.Type == kg.SeriesType {
			key.Year = 2019 + r.IntN(5)
		}
		keys = append(keys, key)
	}
	return keys
}

// TestColumnsAgreeWithMatch runs random queries between random writes and
// compares FindNodes with kg.Match and kg.SortNodes over all nodes.
func TestColumnsAgreeWithMatch(t *testing.T) {
	s, err := Open(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := rand.New(rand.NewPCG(11, 12))
	kinds := []kg.Kind{kg.Enterprise, kg.Incubator, kg.ServiceAgency}
	kindOf := map[string]kg.Kind{}
	write := func(n int) {
		var b kg.Batch
		for range n {
			id := fmt.Sprintf("n%03d", r.IntN(120))
			k, ok := kindOf[id]
			if !ok {
				k = kinds[r.IntN(len(kinds))]
			}
			if slices.ContainsFunc(b.Nodes, func(n kg.Node) bool { return n.ID == id }) || slices.Contains(b.DeleteNodes, id) {
				continue
			}
			if ok && r.IntN(6) == 0 {
				b.DeleteNodes = append(b.DeleteNodes, id)
				delete(kindOf, id)
				continue
			}
			b.Nodes = append(b.Nodes, randomNode(r, k, id))
			kindOf[id] = k
		}
		if _, err := s.Apply(t.Context(), b); err != nil {
			t.Fatal(err)
		}
	}
	write(100)
	queries, matched := 0, 0
	for round := range 30 {
		write(15)
		ids := make([]string, 0, len(kindOf))
		for id := range kindOf {
			ids = append(ids, id)
		}
		all, err := s.GetNodes(t.Context(), ids)
		if err != nil {
			t.Fatal(err)
		}
		for range 100 {
			k := kinds[r.IntN(len(kinds))]
			q := kg.NodeQuery{Kind: k, First: kg.MaxPageSize, OrderBy: randomSortKeys(r, k)}
			for range 1 + r.IntN(2) {
				q.Where = append(q.Where, randomCondition(r, k))
			}
			norm := q
			if err := kg.ValidateNodeQuery(&norm); err != nil {
				continue
			}
			var want []*kg.Node
			for _, n := range all {
				if n.Kind == k && kg.Match(n, norm.Where) {
					want = append(want, n)
				}
			}
			kg.SortNodes(want, norm.OrderBy)
			page, err := s.FindNodes(t.Context(), q)
			if err != nil {
				t.Fatalf("FindNodes(%+v): %v", q, err)
			}
			got := make([]string, len(page.Nodes))
			for i, n := range page.Nodes {
				got[i] = n.ID
			}
			wantIDs := make([]string, len(want))
			for i, n := range want {
				wantIDs[i] = n.ID
			}
			if !slices.Equal(got, wantIDs) || page.TotalCount != len(want) {
				t.Fatalf("round %d: FindNodes(%+v)\n got  %v (total %d)\n want %v", round, q, got, page.TotalCount, wantIDs)
			}
			queries++
			if len(want) > 0 {
				matched++
			}
		}
	}
	// The random queries must mostly be valid and often match something.
	if queries < 1000 || matched < queries/4 {
		t.Fatalf("only %d valid queries, %d of them matching", queries, matched)
	}
	t.Logf("%d queries, %d with matches", queries, matched)
}
