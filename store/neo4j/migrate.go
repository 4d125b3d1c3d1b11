package neo4j

import (
	"context"
	"errors"
	"fmt"

	drv "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/innograph/innograph/kg"
)

// Schema statements of Migrate. Each is idempotent (IF NOT EXISTS).
const (
	// cypherNodeIDConstraint makes node ids unique and indexes them: every
	// lookup by id goes through it.
	cypherNodeIDConstraint = "CREATE CONSTRAINT kg_node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE"
	// cypherLockConstraint makes the MERGE of the apply lock node safe
	// under concurrency (see cypherLockApply).
	cypherLockConstraint = "CREATE CONSTRAINT kg_apply_lock IF NOT EXISTS FOR (l:ApplyLock) REQUIRE l.name IS UNIQUE"
	// cypherRelIDConstraint (per relationship type) makes relationship ids
	// unique within their type and indexes them.
	cypherRelIDConstraint = "CREATE CONSTRAINT %s IF NOT EXISTS FOR ()-[r:%s]-() REQUIRE r.id IS UNIQUE"
	// cypherPropIndex (per kind and scalar property, id included) is a
	// range index for filters and orders of FindNodes.
	cypherPropIndex = "CREATE INDEX %s IF NOT EXISTS FOR (n:%s) ON (n.%s)"
	// cypherSearchIndex is a trigram text index over the derived search
	// text: it serves Search's exact CONTAINS.
	cypherSearchIndex = "CREATE TEXT INDEX kg_node_search IF NOT EXISTS FOR (n:Node) ON (n._search)"
	// cypherFulltextIndex is a Lucene full-text index over names, English
	// names and aliases with the CJK analyzer (bigrams), for relevance
	// search through db.index.fulltext.queryNodes('kg_node_names', …).
	cypherFulltextIndex = "CREATE FULLTEXT INDEX kg_node_names IF NOT EXISTS FOR (n:Node) ON EACH [n.name, n.nameEn, n.aliases] OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"
	// cypherAwaitIndexes waits until every index is online.
	cypherAwaitIndexes = "CALL db.awaitIndexes($seconds)"
)

// awaitIndexesSeconds bounds how long Migrate waits for indexes to
// populate.
const awaitIndexesSeconds = 600

// SchemaStatements returns the statements Migrate runs, in order.
func SchemaStatements() []string {
	stmts := []string{cypherNodeIDConstraint, cypherLockConstraint}
	for _, t := range kg.RelTypes {
		stmts = append(stmts, fmt.Sprintf(cypherRelIDConstraint, quote("kg_rel_"+string(t)+"_id"), quote(string(t))))
	}
	for _, k := range kg.Kinds {
		props := []string{propID}
		for _, p := range kg.NodeProps(k) {
			switch p.Type {
			case kg.String, kg.Int, kg.Float, kg.Bool, kg.EnumType:
				props = append(props, p.Name)
			}
		}
		for _, p := range props {
			stmts = append(stmts, fmt.Sprintf(cypherPropIndex, quote("kg_"+string(k)+"_"+p), quote(string(k)), quote(p)))
		}
	}
	return append(stmts, cypherSearchIndex, cypherFulltextIndex, cypherAuditIndex)
}

// Migrate creates the constraints and indexes the store relies on, if
// they do not exist, and waits until every index is online. It is safe to
// run again, and from several processes at once.
//
// The schema: unique node ids (:Node(id)); unique relationship ids per
// type; a range index per kind on id and on each scalar property (lists
// and yearly series are not indexed: their conditions scan the kind); a
// text index on the derived search text; a CJK full-text index on name,
// nameEn and aliases; a uniqueness constraint for the apply lock; an index
// on the sequence numbers of audit entries.
func (s *Store) Migrate(ctx context.Context) error {
	for _, stmt := range SchemaStatements() {
		_, err := write(ctx, s, "migrate", func(tx drv.ManagedTransaction) (struct{}, error) {
			return struct{}{}, exec(ctx, tx, stmt, nil)
		})
		if err != nil && !alreadyExists(err) {
			return fmt.Errorf("%w (running %s)", err, stmt)
		}
	}
	_, err := read(ctx, s, "migrate", func(tx drv.ManagedTransaction) (struct{}, error) {
		return struct{}{}, exec(ctx, tx, cypherAwaitIndexes, map[string]any{"seconds": awaitIndexesSeconds})
	})
	return err
}

// alreadyExists reports whether err says that a concurrent Migrate
// created the same index or constraint first.
func alreadyExists(err error) bool {
	var ne *drv.Neo4jError
	if !errors.As(err, &ne) {
		return false
	}
	switch ne.Code {
	case "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
		"Neo.ClientError.Schema.IndexAlreadyExists",
		"Neo.ClientError.Schema.ConstraintAlreadyExists":
		return true
	}
	return false
}
