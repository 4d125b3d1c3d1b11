// The GraphQL documents the explorer sends, all of them through the public
// API (docs/explorer.md lists them), and the request function.

const SUBGRAPH_NODE = 'id kind name district depth';
const SUBGRAPH_EDGE = 'id type source target since until';

export const SEARCH = `query ExploreSearch($text: String!, $first: Int) {
  search(text: $text, first: $first) { id kind name nameEn district }
}`;

export const NODES = `query ExploreNodes($ids: [ID!]!) {
  nodes(ids: $ids) { id kind name district }
}`;

export const EXPAND = `query ExploreExpand($id: ID!, $depth: Int, $types: [RelationType!], $asOf: Int, $limit: Int) {
  neighborhood(id: $id, depth: $depth, relationTypes: $types, asOf: $asOf, limit: $limit) {
    nodes { ${SUBGRAPH_NODE} }
    edges { ${SUBGRAPH_EDGE} }
    truncated
    truncatedBy
  }
  node(id: $id) { name relations(types: $types, asOf: $asOf, first: 1) { totalCount } }
}`;

export const CARD = `query ExploreCard($id: ID!) {
  node(id: $id) {
    id kind name nameEn aliases district source updatedAt
    relations(first: 100) { totalCount edges { relation { source } } }
    ... on Enterprise { creditCode industry foundedYear aboveScale highTechGranted highTechValidUntil
      figures { year revenue rdInvestment rdDeduction employees } }
    ... on Incubator { level operator area foundedYear }
    ... on Makerspace { level operator foundedYear makerFigures: figures { year makersServed } }
    ... on Talent { field title tier programme }
    ... on University { universityType: type foundedYear }
    ... on ServiceAgency { categories level }
    ... on Policy { level issuer year policyType: type }
    ... on Industry { chain position }
    ... on Plan { periodStart periodEnd issuer }
    ... on Indicator { number category target unit baselineYear formula text }
  }
}`;

export const PATHS = `query ExplorePaths($from: ID!, $to: ID!, $maxHops: Int, $k: Int, $types: [RelationType!], $asOf: Int) {
  paths(from: $from, to: $to, maxHops: $maxHops, k: $k, relationTypes: $types, asOf: $asOf) {
    paths {
      length
      explanation
      nodes { ${SUBGRAPH_NODE} }
      hops { from { id name kind } to { id name kind } type direction relation { id since until } }
    }
    truncated
    truncatedBy
  }
}`;

export const SUPPLY_CHAIN = `query ExploreSupplyChain($id: ID!, $depth: Int, $asOf: Int, $limit: Int) {
  supplyChain(enterprise: $id, direction: BOTH, depth: $depth, asOf: $asOf, limit: $limit) {
    district
    enterprise { ${SUBGRAPH_NODE} }
    upstream { tier inside outside insideShare enterprises { ${SUBGRAPH_NODE} } edges { ${SUBGRAPH_EDGE} } }
    downstream { tier inside outside insideShare enterprises { ${SUBGRAPH_NODE} } edges { ${SUBGRAPH_EDGE} } }
    truncated
    truncatedBy
  }
}`;

export const COMMUNITIES = `query ExploreCommunities($algorithm: CommunityAlgorithm!, $types: [RelationType!], $asOf: Int) {
  communities(algorithm: $algorithm, relationTypes: $types, asOf: $asOf, first: 100, membersFirst: 500) {
    count modularity truncated truncatedBy
    communities { id size members { id } }
  }
}`;

export const CENTRALITY = `query ExploreCentrality($metric: CentralityMetric!, $types: [RelationType!], $asOf: Int) {
  centrality(metric: $metric, relationTypes: $types, asOf: $asOf, top: 5000) {
    approximate truncated truncatedBy
    ranking { rank score node { id } }
  }
}`;

export const PLANS = `query ExplorePlans {
  plans(first: 50) { edges { node { id name nameEn periodStart periodEnd } } }
}`;

export const PLAN_PROGRESS = `query ExplorePlanProgress($plan: ID!, $year: Int) {
  planProgress(plan: $plan, year: $year) {
    year
    district
    plan { id name nameEn periodStart periodEnd }
    indicators {
      number name unit target actual baselineYear baseline expected ratio status
      indicator { id nameEn }
    }
  }
}`;

export const CONTRIBUTORS = `query ExploreContributors($plan: ID!, $year: Int, $first: Int) {
  planProgress(plan: $plan, year: $year) {
    indicators {
      number
      contributors(first: $first) {
        totalCount
        edges { contribution node { id kind name } counterpart { id kind name } }
      }
    }
  }
}`;

// ApiError is an answer with GraphQL errors or a failed request.
export class ApiError extends Error {}

let endpoint = '/graphql';

export function setEndpoint(e) {
  endpoint = e || '/graphql';
}

// Every request the page sent, for "copy the query" and for tests.
export const sent = [];

// given keeps the variables that have a value. A variable left out takes
// its argument's default (`limit: Int! = 200`) or leaves the argument
// unset (`asOf: Int`), where a null one would be refused for an argument
// with a default.
export function given(variables) {
  return Object.fromEntries(Object.entries(variables).filter(([, v]) => v !== null && v !== undefined));
}

// gql posts one document with its variables (those that have a value, see
// given) and returns its data; it throws ApiError with the server's
// messages when the answer has errors.
export async function gql(query, vars = {}) {
  const variables = given(vars);
  sent.push({ query, variables });
  let res;
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
  } catch (err) {
    throw new ApiError(String(err));
  }
  let body;
  try {
    body = await res.json();
  } catch (err) {
    throw new ApiError(`HTTP ${res.status}`);
  }
  if (body.errors && body.errors.length) {
    throw new ApiError(body.errors.map((e) => e.message).join('; '));
  }
  if (!res.ok || !body.data) {
    throw new ApiError(`HTTP ${res.status}`);
  }
  return body.data;
}

// Arguments whose values are enums, written bare.
const enumArgs = new Set(['relationTypes', 'kinds', 'through', 'direction', 'algorithm', 'metric']);

// literal writes a value as a GraphQL literal.
function literal(v, bare) {
  if (Array.isArray(v)) return `[${v.map((x) => literal(x, bare)).join(', ')}]`;
  if (typeof v === 'string') return bare ? v : JSON.stringify(v);
  return String(v);
}

// args writes the arguments that are given (not null, undefined or an
// empty list) as GraphQL literals: args({id: "a", asOf: null}) is (id: "a").
export function args(values) {
  const parts = Object.entries(values)
    .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}: ${literal(v, enumArgs.has(k))}`);
  return parts.length ? `(${parts.join(', ')})` : '';
}
