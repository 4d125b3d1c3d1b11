// The harness of the peer benchmark: InnoGraph and @neo4j/graphql over
// the same Neo4j data. For each query of the suite (queries.mjs) it runs
// both forms once, brings both answers to one shape and fails with a diff
// if they differ; then it loads both servers in turns with autocannon
// (a warm-up of each, then rounds alternating which server goes first),
// checks the answers again, and reports requests per second, p50 and p99
// per query and server with the ratios InnoGraph / peer, as a markdown
// table on stdout and as JSON.
//
// The servers must be running (see run.sh, which `make bench-peer`
// calls). Options (all optional):
//
//   --innograph URL    InnoGraph's GraphQL endpoint (http://127.0.0.1:18080/graphql)
//   --peer URL         the peer's endpoint (http://127.0.0.1:4001/)
//   --connections N    concurrent connections (16)
//   --duration S       seconds per timed round and server (10)
//   --rounds N         timed rounds per query and server (3)
//   --warmup S         seconds of warm-up per query and server (3)
//   --queries a,b      only these queries of the suite
//   --json FILE        where to write the results (results-<date>.json)
//   --label TEXT       a label for the run, such as "scale 1"
//   --check-only       check equality and stop
//
// PEER_YEARS (2020-2025) must be the years the peer was started with.

import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { isDeepStrictEqual, parseArgs } from "node:util";

import autocannon from "autocannon";

import { parseYears } from "./peer-server.mjs";
import { DISTRICT, YEAR, suite } from "./queries.mjs";

const { values: opt } = parseArgs({
    options: {
        innograph: { type: "string", default: "http://127.0.0.1:18080/graphql" },
        peer: { type: "string", default: "http://127.0.0.1:4001/" },
        connections: { type: "string", default: "16" },
        duration: { type: "string", default: "10" },
        rounds: { type: "string", default: "3" },
        warmup: { type: "string", default: "3" },
        queries: { type: "string" },
        json: { type: "string" },
        label: { type: "string", default: "" },
        "check-only": { type: "boolean", default: false },
    },
});
const connections = Number(opt.connections);
const duration = Number(opt.duration);
const rounds = Number(opt.rounds);
const warmup = Number(opt.warmup);
const peerYears = parseYears(process.env.PEER_YEARS || "2020-2025");
const servers = { innograph: opt.innograph, peer: opt.peer };

function fail(msg) {
    console.error(`bench-peer: ${msg}`);
    process.exit(1);
}

// gql posts a query and returns its data; GraphQL errors are failures.
async function gql(url, query, variables = {}) {
    const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    let body;
    try {
        body = JSON.parse(text);
    } catch {
        throw new Error(`${url}: HTTP ${res.status}: ${text.slice(0, 500)}`);
    }
    if (!res.ok || body.errors) {
        throw new Error(`${url}: HTTP ${res.status}: ${JSON.stringify(body.errors ?? body).slice(0, 2000)}`);
    }
    return body.data;
}

async function waitUp(name, url, query, seconds = 120) {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
        try {
            return await gql(url, query);
        } catch (err) {
            if (Date.now() > deadline) fail(`${name} at ${url} did not answer within ${seconds}s: ${err.message}`);
            await new Promise((r) => setTimeout(r, 500));
        }
    }
}

// firstDiff returns the path of the first difference between a and b.
function firstDiff(a, b, path = "$") {
    if (isDeepStrictEqual(a, b)) return null;
    if (Array.isArray(a) && Array.isArray(b)) {
        for (let i = 0; i < Math.min(a.length, b.length); i++) {
            const d = firstDiff(a[i], b[i], `${path}[${i}]`);
            if (d) return d;
        }
        return { path: `${path}.length`, innograph: a.length, peer: b.length };
    }
    return { path, innograph: a, peer: b };
}

// check runs both forms of q and fails loudly unless their answers agree.
async function check(q, when) {
    const a = q.innograph.normalize(await gql(servers.innograph, q.innograph.query, q.innograph.variables));
    const b = q.peer.normalize(await gql(servers.peer, q.peer.query, q.peer.variables));
    const d = firstDiff(a, b);
    if (d) {
        const file = `mismatch-${q.name}.json`;
        writeFileSync(file, JSON.stringify({ query: q.name, innograph: a, peer: b }, null, 1));
        fail(`${q.name} (${when}): the answers differ at ${d.path}:\n  InnoGraph: ${JSON.stringify(d.innograph)}\n  peer:      ${JSON.stringify(d.peer)}\nboth answers are in ${file}`);
    }
    return a;
}

// size describes an answer: the number of values in it.
function size(v) {
    return Array.isArray(v) ? v.reduce((n, x) => n + size(x), 0) : 1;
}

// load runs autocannon against one server for seconds and returns its
// counts and every 2xx latency (ms).
async function load(url, form, seconds) {
    const latencies = [];
    let other = 0;
    const inst = autocannon({
        url,
        connections,
        duration: seconds,
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: form.query, variables: form.variables ?? {} }),
    });
    inst.on("response", (_client, status, _bytes, ms) => {
        if (status >= 200 && status < 300) latencies.push(ms);
        else other++;
    });
    const r = await inst;
    if (r.errors || r.timeouts || other) {
        fail(`${url}: ${r.errors} errors, ${r.timeouts} timeouts, ${other} responses other than 2xx under load`);
    }
    return { requests: latencies.length, seconds: r.duration, latencies };
}

function percentile(sorted, p) {
    if (sorted.length === 0) return NaN;
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summarize(runs) {
    const all = runs.flatMap((r) => r.latencies).sort((x, y) => x - y);
    const requests = runs.reduce((n, r) => n + r.requests, 0);
    const seconds = runs.reduce((n, r) => n + r.seconds, 0);
    return {
        rps: requests / seconds,
        p50: percentile(all, 50),
        p99: percentile(all, 99),
        requests,
        seconds,
        rounds: runs.map((r) => ({
            rps: r.requests / r.seconds,
            p50: percentile([...r.latencies].sort((x, y) => x - y), 50),
            p99: percentile([...r.latencies].sort((x, y) => x - y), 99),
        })),
    };
}

const fmtRate = (x) => (x >= 100 ? Math.round(x).toLocaleString("en") : x.toFixed(1));
const fmtMs = (x) => (x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(2));
const fmtRatio = (x) => (x >= 10 ? x.toFixed(0) : x.toFixed(2));

// versions returns the installed versions of the packages that matter.
function versions() {
    const v = {};
    for (const p of ["@neo4j/graphql", "@apollo/server", "graphql", "neo4j-driver", "autocannon"]) {
        v[p] = JSON.parse(readFileSync(new URL(`node_modules/${p}/package.json`, import.meta.url), "utf8")).version;
    }
    return v;
}

async function main() {
    const stats = await waitUp("InnoGraph", servers.innograph, "{ stats { nodes relations } }");
    await waitUp("peer", servers.peer, "{ __typename }");
    const top = await gql(
        servers.innograph,
        `query ($d: String!) { enterprises(first: 1, filter: { district: $d }, orderBy: [{ field: REVENUE, year: ${YEAR}, direction: DESC }]) { edges { node { id } } } }`,
        { d: DISTRICT },
    );
    const pointID = top.enterprises.edges[0]?.node.id;
    if (!pointID) fail(`no enterprise in ${DISTRICT}: is the database seeded?`);
    let qs = suite({ pointID, peerYears });
    if (opt.queries) {
        const want = opt.queries.split(",");
        qs = qs.filter((q) => want.includes(q.name));
        if (qs.length !== want.length) fail(`unknown query among ${opt.queries}`);
    }

    const conditions = {
        label: opt.label,
        date: new Date().toISOString(),
        data: { nodes: stats.stats.nodes, relations: stats.stats.relations },
        machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: +(os.totalmem() / 2 ** 30).toFixed(1), platform: `${os.platform()} ${os.arch()}` },
        node: process.version,
        versions: versions(),
        connections, duration, rounds, warmup,
        loadavgStart: os.loadavg().map((x) => +x.toFixed(2)),
    };
    console.error(`bench-peer: ${stats.stats.nodes} nodes, ${stats.stats.relations} relationships; point id ${pointID}; load average ${conditions.loadavgStart.join(" ")}`);

    // Equality first, for every query, before any timing.
    const answers = {};
    for (const q of qs) {
        answers[q.name] = await check(q, "before timing");
        console.error(`bench-peer: ${q.name}: same answer from both (${size(answers[q.name])} values)`);
    }
    if (opt["check-only"]) return;

    const results = [];
    const loadavgs = [];
    for (const q of qs) {
        for (const side of ["innograph", "peer"]) {
            await load(servers[side], q[side], warmup);
        }
        const runs = { innograph: [], peer: [] };
        for (let r = 0; r < rounds; r++) {
            const order = r % 2 === 0 ? ["innograph", "peer"] : ["peer", "innograph"];
            for (const side of order) {
                runs[side].push(await load(servers[side], q[side], duration));
            }
            loadavgs.push(os.loadavg()[0]);
        }
        await check(q, "after timing");
        const ig = summarize(runs.innograph);
        const peer = summarize(runs.peer);
        const row = {
            query: q.name, what: q.what, values: size(answers[q.name]),
            innograph: ig, peer,
            throughputRatio: ig.rps / peer.rps,
            p50Ratio: ig.p50 / peer.p50,
            p99Ratio: ig.p99 / peer.p99,
        };
        results.push(row);
        console.error(`bench-peer: ${q.name}: InnoGraph ${fmtRate(ig.rps)} req/s p50 ${fmtMs(ig.p50)} ms p99 ${fmtMs(ig.p99)} ms; peer ${fmtRate(peer.rps)} req/s p50 ${fmtMs(peer.p50)} ms p99 ${fmtMs(peer.p99)} ms; ratio ${fmtRatio(row.throughputRatio)}`);
    }
    conditions.loadavgEnd = os.loadavg().map((x) => +x.toFixed(2));
    conditions.loadavg1mDuringRounds = { min: +Math.min(...loadavgs).toFixed(2), max: +Math.max(...loadavgs).toFixed(2) };

    const lines = [
        `${opt.label ? opt.label + ": " : ""}${stats.stats.nodes.toLocaleString("en")} nodes, ${stats.stats.relations.toLocaleString("en")} relationships; ${connections} connections, ${rounds} × ${duration} s per server after ${warmup} s of warm-up; load average ${conditions.loadavg1mDuringRounds.min}–${conditions.loadavg1mDuringRounds.max}`,
        "",
        "| query | InnoGraph req/s | peer req/s | **req/s InnoGraph / peer** | InnoGraph p50 | peer p50 | InnoGraph p99 | peer p99 | **p99 InnoGraph / peer** |",
        "|---|---|---|---|---|---|---|---|---|",
    ];
    for (const r of results) {
        lines.push(`| ${r.query} | ${fmtRate(r.innograph.rps)} | ${fmtRate(r.peer.rps)} | **${fmtRatio(r.throughputRatio)}** | ${fmtMs(r.innograph.p50)} ms | ${fmtMs(r.peer.p50)} ms | ${fmtMs(r.innograph.p99)} ms | ${fmtMs(r.peer.p99)} ms | **${fmtRatio(r.p99Ratio)}** |`);
    }
    console.log(lines.join("\n"));
    const file = opt.json || `results-${conditions.date.replace(/[:.]/g, "-")}.json`;
    writeFileSync(file, JSON.stringify({ conditions, results }, null, 1));
    console.error(`bench-peer: results in ${file}`);
}

main().catch((err) => fail(err.stack || String(err)));
