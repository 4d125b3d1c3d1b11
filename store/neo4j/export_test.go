package neo4j

import (
	"context"
	"fmt"

	drv "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/log"

	"github.com/innograph/innograph/kg"
)

// SetBoltLogger makes every later session of s log its Bolt messages to l.
func SetBoltLogger(s *Store, l log.BoltLogger) { s.boltLogger = l }

// Query runs a read statement on s's database and returns its records as
// maps, for tests that look at the stored form.
func Query(ctx context.Context, s *Store, cypher string, params map[string]any) ([]map[string]any, error) {
	return read(ctx, s, "test query", func(tx drv.ManagedTransaction) ([]map[string]any, error) {
		recs, err := collect(ctx, tx, cypher, params)
		if err != nil {
			return nil, err
		}
		out := make([]map[string]any, len(recs))
		for i, r := range recs {
			out[i] = r.AsMap()
		}
		return out, nil
	})
}

// SetReplaceTxItems sets how many items a Replace writes in one
// transaction, and returns a function that restores the old value.
func SetReplaceTxItems(n int) (restore func()) {
	old := replaceTxItems
	replaceTxItems = n
	return func() { replaceTxItems = old }
}

// FetchStatement returns the statement and parameters Fetch runs for p.
func FetchStatement(p kg.FetchPlan) (string, map[string]any, error) {
	if err := kg.ValidateFetchPlan(&p); err != nil {
		return "", nil, err
	}
	cypher, params, _, err := compileFetch(p)
	return cypher, params, err
}

// ApplyReadOperators returns the operators of the plan Neo4j makes for
// the statement with which Apply reads what a batch names, run with
// PROFILE on ids that are not stored, edges of them relationship ids.
func ApplyReadOperators(ctx context.Context, s *Store, edges int) ([]string, error) {
	edgeIDs := make([]string, edges)
	for i := range edgeIDs {
		edgeIDs[i] = fmt.Sprintf("absent-%d", i)
	}
	return read(ctx, s, "test explain", func(tx drv.ManagedTransaction) ([]string, error) {
		res, err := tx.Run(ctx, "PROFILE "+cypherApplyRead, map[string]any{
			"nodeIds": []string{"a"}, "refIds": []string{"b"}, "edgeIds": edgeIDs, "deleteIds": []string{"d"},
		})
		if err != nil {
			return nil, err
		}
		if _, err := res.Collect(ctx); err != nil {
			return nil, err
		}
		sum, err := res.Consume(ctx)
		if err != nil {
			return nil, err
		}
		var ops []string
		var walk func(p drv.ProfiledPlan)
		walk = func(p drv.ProfiledPlan) {
			ops = append(ops, p.Operator())
			for _, c := range p.Children() {
				walk(c)
			}
		}
		if p := sum.Profile(); p != nil {
			walk(p)
		}
		return ops, nil
	})
}
