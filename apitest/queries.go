package apitest

// NestedQuery lists 50 enterprises, up to 10 suppliers of each and each
// supplier's industries: the query that shows whether nested fields are
// batched (three store calls), used by tests and benchmarks alike.
const NestedQuery = `{
  enterprises(first: 50) {
    totalCount
    edges { node {
      id
      suppliers(first: 10) { totalCount edges { node { id ... on Enterprise {
        industries { edges { node { id name } } }
      } } } }
    } }
  }
}`

// NestedResult is the data of NestedQuery.
type NestedResult struct {
	Enterprises struct {
		TotalCount int
		Edges      []struct {
			Node struct {
				ID        string
				Suppliers struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							ID         string
							Industries struct {
								Edges []struct{ Node struct{ ID, Name string } }
							}
						}
					}
				}
			}
		}
	}
}
