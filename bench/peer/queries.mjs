// The queries of the peer benchmark, each in InnoGraph's form and in
// @neo4j/graphql's form over the same stored data, with a function per
// side that brings the answer to one comparable shape: lists of ids,
// names and values, in the order the server returned them.
//
// Orders are the same on both sides: InnoGraph orders lists by id unless
// told otherwise, relationships of one type by the node at the other end's
// id (then the relationship's id), an ordered list by its keys then id,
// and search results by rank, name length and id. The peer is asked for
// the same keys with `sort`.

export const DISTRICT = "中山区";
export const YEAR = 2025;
export const SEARCH_TEXT = "科技";

// The years of the yearly figures the point query compares.
export const years = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const num = (v) => (v === null || v === undefined ? null : Number(v));

// figuresOf returns [year, revenue, employees] for each year with either.
function figuresFromInnoGraph(figures) {
    return figures
        .filter((f) => f.revenue != null || f.employees != null)
        .map((f) => [f.year, num(f.revenue), num(f.employees)]);
}

function figuresFromPeer(node, ys) {
    const out = [];
    for (const y of ys) {
        const r = node[`revenue${y}`], e = node[`employees${y}`];
        if (r != null || e != null) out.push([y, num(r), num(e)]);
    }
    return out;
}

// suite returns the queries; ids and the years of the peer's type
// definitions come from the caller.
export function suite({ pointID, peerYears }) {
    const figureFields = peerYears.flatMap((y) => [`revenue${y}`, `employees${y}`]).join(" ");
    return [
        {
            name: "point",
            what: "one enterprise by id: name, credit code, district, yearly revenue and employees",
            innograph: {
                query: `query ($id: ID!) { node(id: $id) { id name ... on Enterprise { creditCode district figures { year revenue employees } } } }`,
                variables: { id: pointID },
                normalize: (d) => {
                    const n = d.node;
                    return [n.id, n.name, n.creditCode, n.district, figuresFromInnoGraph(n.figures)];
                },
            },
            peer: {
                query: `query ($id: ID!) { enterprises(where: { id: { eq: $id } }) { id name creditCode district ${figureFields} } }`,
                variables: { id: pointID },
                normalize: (d) => {
                    if (d.enterprises.length !== 1) throw new Error(`point: ${d.enterprises.length} enterprises with id ${pointID}`);
                    const n = d.enterprises[0];
                    return [n.id, n.name, n.creditCode, n.district, figuresFromPeer(n, peerYears)];
                },
            },
        },
        {
            name: "list50",
            what: `50 enterprises of ${DISTRICT} by ${YEAR} revenue, descending (then id), with their total`,
            innograph: {
                query: `query ($district: String!) { enterprises(first: 50, filter: { district: $district }, orderBy: [{ field: REVENUE, year: ${YEAR}, direction: DESC }]) {
  totalCount edges { node { id name creditCode figures(from: ${YEAR}, to: ${YEAR}) { revenue } } } } }`,
                variables: { district: DISTRICT },
                normalize: (d) => [
                    d.enterprises.totalCount,
                    d.enterprises.edges.map(({ node: n }) => [n.id, n.name, n.creditCode, num(n.figures[0]?.revenue ?? null)]),
                ],
            },
            peer: {
                query: `query ($district: String!) { enterprisesConnection(first: 50, where: { district: { eq: $district } }, sort: [{ revenue${YEAR}: DESC }, { id: ASC }]) {
  totalCount edges { node { id name creditCode revenue${YEAR} } } } }`,
                variables: { district: DISTRICT },
                normalize: (d) => [
                    d.enterprisesConnection.totalCount,
                    d.enterprisesConnection.edges.map(({ node: n }) => [n.id, n.name, n.creditCode, num(n[`revenue${YEAR}`])]),
                ],
            },
        },
        {
            name: "nested",
            what: "50 enterprises by id with their total, up to 10 suppliers of each with their total, each supplier's industries",
            innograph: {
                query: `{ enterprises(first: 50) { totalCount edges { node { id
  suppliers(first: 10) { totalCount edges { node { id ... on Enterprise { industries { edges { node { id name } } } } } } } } } } }`,
                normalize: (d) => [
                    d.enterprises.totalCount,
                    d.enterprises.edges.map(({ node: e }) => [
                        e.id,
                        e.suppliers.totalCount,
                        e.suppliers.edges.map(({ node: s }) => [s.id, s.industries.edges.map(({ node: i }) => [i.id, i.name])]),
                    ]),
                ],
            },
            peer: {
                query: `{ enterprisesConnection(first: 50, sort: [{ id: ASC }]) { totalCount edges { node { id
  suppliersConnection(first: 10, sort: [{ node: { id: ASC } }]) { totalCount edges { node { id industries(limit: 20, sort: [{ id: ASC }]) { id name } } } } } } } }`,
                normalize: (d) => [
                    d.enterprisesConnection.totalCount,
                    d.enterprisesConnection.edges.map(({ node: e }) => [
                        e.id,
                        e.suppliersConnection.totalCount,
                        e.suppliersConnection.edges.map(({ node: s }) => [s.id, s.industries.map((i) => [i.id, i.name])]),
                    ]),
                ],
            },
        },
        {
            name: "deep",
            what: "20 enterprises by id, 10 suppliers of each, 10 suppliers of each of those, their industries",
            innograph: {
                query: `{ enterprises(first: 20) { edges { node { id
  suppliers(first: 10) { edges { node { id ... on Enterprise {
    suppliers(first: 10) { edges { node { id ... on Enterprise {
      industries { edges { node { id name } } } } } } } } } } } } } } }`,
                normalize: (d) =>
                    d.enterprises.edges.map(({ node: e }) => [
                        e.id,
                        e.suppliers.edges.map(({ node: s }) => [
                            s.id,
                            s.suppliers.edges.map(({ node: t }) => [t.id, t.industries.edges.map(({ node: i }) => [i.id, i.name])]),
                        ]),
                    ]),
            },
            peer: {
                query: `{ enterprises(limit: 20, sort: [{ id: ASC }]) { id
  suppliers(limit: 10, sort: [{ id: ASC }]) { id
    suppliers(limit: 10, sort: [{ id: ASC }]) { id
      industries(limit: 20, sort: [{ id: ASC }]) { id name } } } } }`,
                normalize: (d) =>
                    d.enterprises.map((e) => [
                        e.id,
                        e.suppliers.map((s) => [s.id, s.suppliers.map((t) => [t.id, t.industries.map((i) => [i.id, i.name])])]),
                    ]),
            },
        },
        {
            name: "search",
            what: `the first 20 enterprises whose name, English name or alias contains ${SEARCH_TEXT}, by rank, name length, id`,
            // Every match of the text is a substring of the name that is
            // not its prefix (InnoGraph's rank 2), so InnoGraph's order is
            // name length, then id; the comparison would fail otherwise.
            innograph: {
                query: `query ($text: String!) { search(text: $text, kinds: [ENTERPRISE], first: 20) { id name } }`,
                variables: { text: SEARCH_TEXT },
                normalize: (d) => d.search.map((n) => [n.id, n.name]),
            },
            peer: {
                query: `query ($text: String!) { enterprises(where: { searchText: { contains: $text } }, sort: [{ nameLength: ASC }, { id: ASC }], limit: 20) { id name } }`,
                variables: { text: SEARCH_TEXT },
                normalize: (d) => d.enterprises.map((n) => [n.id, n.name]),
            },
        },
        {
            name: "count",
            what: `the number of enterprises of ${DISTRICT}`,
            innograph: {
                query: `query ($district: String!) { enterprises(first: 0, filter: { district: $district }) { totalCount } }`,
                variables: { district: DISTRICT },
                normalize: (d) => d.enterprises.totalCount,
            },
            peer: {
                query: `query ($district: String!) { enterprisesConnection(where: { district: { eq: $district } }) { totalCount } }`,
                variables: { district: DISTRICT },
                normalize: (d) => d.enterprisesConnection.totalCount,
            },
        },
    ];
}
