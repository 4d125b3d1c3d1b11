// Runs graphql-http's GraphQL-over-HTTP server audit against the URL given
// as the only argument, e.g. `node audit.mjs http://127.0.0.1:8080/graphql`.
//
// It prints one JSON object on stdout: the counts by status (ok, notice,
// warn, error), the total, and every audit with its id, name, status and,
// for those not ok, the reason and the HTTP status of the response. It
// exits 0 when every audit is ok, 1 when one is not, 2 on a usage error.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url || process.argv.length !== 3) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

const results = await auditServer({ url });
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
const audits = [];
for (const r of results) {
  counts[r.status] = (counts[r.status] ?? 0) + 1;
  const a = { id: r.id, name: r.name, status: r.status };
  if (r.status !== 'ok') {
    a.reason = r.reason;
    a.httpStatus = r.response?.status;
    a.contentType = r.response?.headers?.get('content-type') ?? undefined;
  }
  audits.push(a);
}
console.log(JSON.stringify({ total: results.length, ...counts, audits }, null, 2));
process.exit(counts.ok === results.length ? 0 : 1);
