// The peer of the benchmark: @neo4j/graphql served by Apollo Server over
// the Neo4j database InnoGraph writes, with type definitions mapped onto
// InnoGraph's stored form (store/neo4j: codec.go, apply.go, migrate.go):
//
//   - every node has the label Node and the label of its kind
//     (Enterprise, Industry, …): `@node(labels: [kind, "Node"])`;
//   - properties are stored under the ontology's names (kg/ontology.go);
//     enum values as their GraphQL names (NATIONAL, UPSTREAM, …);
//   - a yearly series is flattened to one property per year,
//     `revenue_2025`: here one field per year, `revenue2025`,
//     `@alias(property: "revenue_2025")`, for the years PEER_YEARS names;
//   - relationships have the ontology's types (SUPPLIES, IN_INDUSTRY, …)
//     and carry their own id and properties: `@relationshipProperties`;
//   - `_search` is the derived search text (the lower-cased name, English
//     name and aliases joined by NUL): `searchText`, which the text index
//     kg_node_search serves for CONTAINS.
//
// Environment: NEO4J_URI (bolt://127.0.0.1:7687), NEO4J_USER (neo4j),
// NEO4J_PASSWORD (innograph-dev), NEO4J_DATABASE (neo4j), PEER_HOST
// (127.0.0.1), PEER_PORT (4001), PEER_YEARS (2020-2025).

import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const env = (name, def) => process.env[name] || def;
const uri = env("NEO4J_URI", "bolt://127.0.0.1:7687");
const user = env("NEO4J_USER", "neo4j");
const password = env("NEO4J_PASSWORD", "innograph-dev");
const database = env("NEO4J_DATABASE", "neo4j");
const host = env("PEER_HOST", "127.0.0.1");
const port = Number(env("PEER_PORT", "4001"));

export function parseYears(spec) {
    const m = /^(\d{4})-(\d{4})$/.exec(spec);
    if (!m || Number(m[1]) > Number(m[2])) throw new Error(`PEER_YEARS: want FROM-TO, such as 2020-2025, got ${spec}`);
    const years = [];
    for (let y = Number(m[1]); y <= Number(m[2]); y++) years.push(y);
    return years;
}

// Yearly figures of each kind: series name → GraphQL type of a year's value.
const series = {
    Enterprise: { revenue: "Float", rdInvestment: "Float", rdDeduction: "Float", employees: "Float" },
    Makerspace: { makersServed: "Float" },
};

// Scalar properties of each kind besides the common ones (kg/ontology.go).
const kindProps = {
    Enterprise: {
        creditCode: "String", industry: "String", foundedYear: "Int", aboveScale: "Boolean",
        highTechGranted: "Int", highTechValidUntil: "Int",
    },
    Incubator: { level: "Level", operator: "String", area: "Float", foundedYear: "Int" },
    Makerspace: { level: "Level", operator: "String", foundedYear: "Int" },
    Talent: { field: "String", title: "String", tier: "String", programme: "String" },
    University: { type: "UniversityKind", foundedYear: "Int" },
    ServiceAgency: { categories: "[ServiceCategory!]", level: "Level" },
    Policy: { level: "Level", issuer: "String", year: "Int", type: "PolicyKind" },
    Industry: { chain: "String", position: "ChainPosition" },
    Plan: { periodStart: "Int", periodEnd: "Int", issuer: "String" },
    Indicator: {
        number: "Int", category: "String", target: "Float", unit: "String", baselineYear: "Int",
        formula: "String", text: "String",
    },
};

const enums = {
    Level: ["NATIONAL", "PROVINCIAL", "MUNICIPAL", "DISTRICT"],
    ServiceCategory: ["TECH_TRADING", "IP", "CONSULTING", "FINANCE", "ENTREPRENEURSHIP", "POPULARIZATION"],
    UniversityKind: ["UNIVERSITY", "RESEARCH_INSTITUTE", "NEW_RD_INSTITUTION"],
    SupportStatus: ["APPLIED", "APPROVED", "REJECTED"],
    ChainPosition: ["UPSTREAM", "MIDSTREAM", "DOWNSTREAM"],
    PolicyKind: ["HIGH_TECH_CERTIFICATION", "RD_DEDUCTION", "SUBSIDY", "TALENT_PROGRAMME", "INCUBATION", "FINANCE", "IP", "OTHER"],
    CollaborationMode: ["JOINT_RD", "JOINT_LAB", "CO_PATENT"],
    Degree: ["BACHELOR", "MASTER", "PHD"],
};

// Relationship types: their properties besides id and the common ones.
const relProps = {
    SUPPLIES: { product: "String", value: "Float" },
    COLLABORATES_WITH: { mode: "CollaborationMode" },
    TRANSFERS_TECH_TO: { technology: "String", year: "Int", amount: "Float" },
    INCUBATED_BY: { graduated: "Int" },
    WORKS_AT: { role: "String" },
    FOUNDED: {},
    ALUMNUS_OF: { degree: "Degree" },
    SERVES: { category: "ServiceCategory", year: "Int", value: "Float" },
    INVESTS_IN: { round: "String", year: "Int", amount: "Float" },
    SUPPORTED_BY: { year: "Int", status: "SupportStatus", amount: "Float" },
    IN_INDUSTRY: {},
    FEEDS: {},
    OPERATES: {},
    HAS_INDICATOR: {},
};

// Relationship fields of each kind, named as in InnoGraph's schema:
// [field, type, direction, target (a kind or a union)].
const unions = {
    Organisation: ["Enterprise", "Incubator", "Makerspace", "University", "ServiceAgency"],
    Carrier: ["Incubator", "Makerspace"],
    Researcher: ["Enterprise", "University"],
    Investor: ["ServiceAgency", "Enterprise"],
};
const relFields = {
    Enterprise: [
        ["suppliers", "SUPPLIES", "IN", "Enterprise"],
        ["customers", "SUPPLIES", "OUT", "Enterprise"],
        ["collaborators", "COLLABORATES_WITH", "OUT", "Researcher"],
        ["incubators", "INCUBATED_BY", "OUT", "Carrier"],
        ["founders", "FOUNDED", "IN", "Talent"],
        ["staff", "WORKS_AT", "IN", "Talent"],
        ["servingAgencies", "SERVES", "IN", "ServiceAgency"],
        ["investors", "INVESTS_IN", "IN", "Investor"],
        ["investments", "INVESTS_IN", "OUT", "Enterprise"],
        ["policies", "SUPPORTED_BY", "OUT", "Policy"],
        ["industries", "IN_INDUSTRY", "OUT", "Industry"],
        ["technologySources", "TRANSFERS_TECH_TO", "IN", "University"],
        ["operates", "OPERATES", "OUT", "Carrier"],
    ],
    Incubator: [
        ["incubated", "INCUBATED_BY", "IN", "Enterprise"],
        ["operators", "OPERATES", "IN", "Researcher"],
        ["staff", "WORKS_AT", "IN", "Talent"],
    ],
    Makerspace: [
        ["incubated", "INCUBATED_BY", "IN", "Enterprise"],
        ["operators", "OPERATES", "IN", "Researcher"],
        ["staff", "WORKS_AT", "IN", "Talent"],
    ],
    Talent: [
        ["employers", "WORKS_AT", "OUT", "Organisation"],
        ["founded", "FOUNDED", "OUT", "Enterprise"],
        ["almaMater", "ALUMNUS_OF", "OUT", "University"],
    ],
    University: [
        ["collaborators", "COLLABORATES_WITH", "OUT", "Researcher"],
        ["technologyTransfers", "TRANSFERS_TECH_TO", "OUT", "Enterprise"],
        ["alumni", "ALUMNUS_OF", "IN", "Talent"],
        ["staff", "WORKS_AT", "IN", "Talent"],
        ["operates", "OPERATES", "OUT", "Carrier"],
    ],
    ServiceAgency: [
        ["served", "SERVES", "OUT", "Enterprise"],
        ["investments", "INVESTS_IN", "OUT", "Enterprise"],
        ["staff", "WORKS_AT", "IN", "Talent"],
    ],
    Policy: [["beneficiaries", "SUPPORTED_BY", "IN", "Enterprise"]],
    Industry: [
        ["upstream", "FEEDS", "IN", "Industry"],
        ["downstream", "FEEDS", "OUT", "Industry"],
        ["enterprises", "IN_INDUSTRY", "IN", "Enterprise"],
    ],
    Plan: [["indicators", "HAS_INDICATOR", "OUT", "Indicator"]],
    Indicator: [["plans", "HAS_INDICATOR", "IN", "Plan"]],
};

// relPropsType names the @relationshipProperties type of a relationship
// type: SUPPLIES → Supplies.
const relPropsType = (t) => t.toLowerCase().replace(/(^|_)(\w)/g, (_, __, c) => c.toUpperCase());

// typeDefs returns the type definitions for the years of the yearly
// figures.
export function typeDefs(years) {
    const out = [];
    for (const [name, values] of Object.entries(enums)) out.push(`enum ${name} { ${values.join(" ")} }`);
    for (const [name, members] of Object.entries(unions)) out.push(`union ${name} = ${members.join(" | ")}`);
    for (const [t, props] of Object.entries(relProps)) {
        const fields = ["id: ID!", "since: Int", "until: Int", "source: String", "confidence: Float"];
        for (const [p, gt] of Object.entries(props)) fields.push(`${p}: ${gt}`);
        out.push(`type ${relPropsType(t)} @relationshipProperties {\n  ${fields.join("\n  ")}\n}`);
    }
    for (const [kind, props] of Object.entries(kindProps)) {
        const fields = [
            "id: ID!", "name: String!", "nameEn: String", "aliases: [String!]", "district: String", "source: String",
            "createdAt: DateTime", "updatedAt: DateTime",
            `"The derived search text (_search): lower-cased name, English name and aliases."`,
            `searchText: String @alias(property: "_search")`,
            `"Runes in the name, for ordering search results as InnoGraph does."`,
            `nameLength: Int @cypher(statement: "RETURN size(this.name) AS n", columnName: "n")`,
        ];
        for (const [p, gt] of Object.entries(props)) fields.push(`${p}: ${gt}`);
        for (const [s, gt] of Object.entries(series[kind] || {})) {
            for (const y of years) fields.push(`${s}${y}: ${gt} @alias(property: "${s}_${y}")`);
        }
        for (const [f, t, dir, target] of relFields[kind]) {
            fields.push(`${f}: [${target}!]! @relationship(type: "${t}", direction: ${dir}, properties: "${relPropsType(t)}")`);
        }
        out.push(`type ${kind} @node(labels: ["${kind}", "Node"]) {\n  ${fields.join("\n  ")}\n}`);
    }
    return out.join("\n\n");
}

async function main() {
    const years = parseYears(env("PEER_YEARS", "2020-2025"));
    const driver = neo4j.driver(uri, neo4j.auth.basic(user, password));
    const neoSchema = new Neo4jGraphQL({ typeDefs: typeDefs(years), driver });
    const schema = await neoSchema.getSchema();
    const server = new ApolloServer({ schema, introspection: true });
    const { url } = await startStandaloneServer(server, {
        listen: { host, port },
        context: async () => ({ sessionConfig: { database } }),
    });
    console.log(`peer: @neo4j/graphql at ${url} over ${uri} (database ${database}), years ${years[0]}-${years.at(-1)}`);
    const stop = async () => {
        await server.stop();
        await driver.close();
        process.exit(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
    main().catch((err) => {
        console.error("peer:", err);
        process.exit(1);
    });
}
