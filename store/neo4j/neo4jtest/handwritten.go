package neo4jtest

// Cypher written by hand, without the store, for benchmarks that set our
// API or importer beside the plain driver on the same questions.
const (
	// HandPaths finds up to 3 shortest paths of at most 4 hops between
	// $from and $to, with their node names and relationship types.
	HandPaths = `MATCH p = SHORTEST 3 (a:Node {id: $from})-[]-{1,4}(b:Node {id: $to})
RETURN [n IN nodes(p) | n.name] AS names, [r IN relationships(p) | type(r)] AS types`

	// HandNeighborhood returns up to 200 nodes within 2 hops of $id and
	// the relationships among them.
	HandNeighborhood = `MATCH (c:Node {id: $id})-[*0..2]-(m:Node)
WITH DISTINCT m LIMIT 200
WITH collect(m) AS ns
UNWIND ns AS a
OPTIONAL MATCH (a)-[r]->(b) WHERE b IN ns
RETURN a.id AS id, a.name AS name, labels(a) AS labels, collect([r.id, type(r), b.id]) AS rels`

	// HandLoadNodes creates nodes of the kind label %s from $rows as
	// they are.
	HandLoadNodes = `UNWIND $rows AS row CREATE (n:Node:%s) SET n = row`

	// HandLoadEdges creates relationships of the type %s from $rows of
	// {from, to, props}.
	HandLoadEdges = `UNWIND $rows AS row MATCH (a:Node {id: row.from}) MATCH (b:Node {id: row.to}) CREATE (a)-[r:%s]->(b) SET r = row.props`
)
