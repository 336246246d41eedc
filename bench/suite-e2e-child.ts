/**
 * Case C of bench/suite.bench.ts, supernode side, in its own process so the parent can time it from
 * spawn to exit (what a user waits for): streaming ingest of a whitespace edge list -> CSR+CSC
 * build (parallel rows merged, self-loops dropped, unweighted: igraph's simplify()) -> PageRank,
 * k-core (on the undirected view, built here and counted) and weak components.
 * Prints one JSON line with the phase times and a few results to cross-check against igraph.
 */
import { ingestFile } from '../engine/ingest/index.js';
import { buildGraph } from '../engine/graph/builder.js';
import { runAlgorithm } from '../engine/catalog/index.js';

const file = process.argv[2]!;
const t0 = performance.now();
const r = await ingestFile(file);
const t1 = performance.now();
const g = buildGraph(r.columns, { directed: true, weighted: false });
const t2 = performance.now();
const pr = runAlgorithm('pagerank', g, { seed: 1 });
const t3 = performance.now();
const core = runAlgorithm('kcore', g, { seed: 1 });
const t4 = performance.now();
const comp = runAlgorithm('wcc', g, { seed: 1 });
const t5 = performance.now();

if (pr.kind !== 'values' || core.kind !== 'values' || comp.kind !== 'partition') throw new Error('unexpected output kinds');
let top = 0;
for (let i = 1; i < g.n; i++) if (pr.values[i]! > pr.values[top]!) top = i;
let maxCore = 0;
for (const c of core.values) if (c > maxCore) maxCore = c;
const s = (a: number, b: number) => (b - a) / 1000;
console.log(JSON.stringify({
  nodes: g.n, arcs: g.m, rows: r.rows,
  readSeconds: s(t0, t1), buildSeconds: s(t1, t2), pagerankSeconds: s(t2, t3), kcoreSeconds: s(t3, t4),
  wccSeconds: s(t4, t5), inProcessSeconds: s(t0, t5),
  top: r.members.idOf(top), maxCore, wccLargest: comp.diagnostics['largest'], peakRssMiB: process.resourceUsage().maxRSS / 1024,
}));
