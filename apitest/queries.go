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

// DeepQuery follows supply chains two levels up: 20 enterprises, up to 5
// suppliers of each, up to 5 suppliers of each supplier, and the
// industries of those — the suppliers of suppliers the product is for.
const DeepQuery = `{
  enterprises(first: 20) {
    totalCount
    edges { node {
      id name
      suppliers(first: 5) { totalCount edges { node { id name ... on Enterprise {
        suppliers(first: 5) { totalCount edges { node { id name ... on Enterprise {
          industries { edges { node { id name } } }
        } } } }
      } } } }
    } }
  }
}`

// DeepResult is the data of DeepQuery.
type DeepResult struct {
	Enterprises struct {
		TotalCount int
		Edges      []struct {
			Node struct {
				ID, Name  string
				Suppliers struct {
					TotalCount int
					Edges      []struct {
						Node struct {
							ID, Name  string
							Suppliers struct {
								TotalCount int
								Edges      []struct {
									Node struct {
										ID, Name   string
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
		}
	}
}

// PlannedQuery is a nested query of the benchmarks and the number of its
// root fields: with request plans, the store calls it makes.
type PlannedQuery struct {
	Name, Query string
	RootFields  int
}

// PlannedQueries are the nested queries of the benchmarks, and one of
// several root fields.
var PlannedQueries = []PlannedQuery{
	{"nested", NestedQuery, 1},
	{"deep", DeepQuery, 1},
	{"roots", `{
  enterprises(first: 10, orderBy: [{field: NAME}]) { totalCount edges { node { id name customers(first: 3) { totalCount edges { node { id } } } } } }
  industries(first: 5) { edges { node { id enterprises(first: 5) { totalCount edges { relation { id since } node { id name ... on Enterprise { staff(first: 2) { totalCount } } } } } } } }
  a: nodes(ids: ["no-such-node"]) { id }
}`, 3},
}
