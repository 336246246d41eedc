/**
 * Answer kernels: ties (per-tie neighbourhood overlap), core-periphery (Borgatti-Everett sweeps)
 * and the rank-level tie and contribution answers, on a seeded R-MAT graph and on the bundled
 * CollegeMsg. The ties kernel lists the same triangles as `triangles`, so its cost is reported as a
 * ratio to that kernel measured side by side on the same graph (what per-tie bookkeeping adds).
 *
 *   npx tsx bench/answers.bench.ts            # R-MAT scale 16 (BENCH_SCALE to change), CollegeMsg
 * Results: bench/results/answers.json.
 */
import { corePeriphery } from '../engine/algorithms/core-periphery.js';
import { ties } from '../engine/algorithms/ties.js';
import { triangles } from '../engine/algorithms/triangles.js';
import { runAlgorithm } from '../engine/catalog/index.js';
import { buildGraph, undirectedView } from '../engine/graph/builder.js';
import { ingestFile } from '../engine/ingest/index.js';
import { contributionWindows } from '../engine/rank/contribution.js';
import { latestTime } from '../engine/rank/core-periphery.js';
import { tieAnswer } from '../engine/rank/ties.js';
import { rmat } from '../datasets/generators.js';
import { type CaseResult, log, writeResults } from './harness.js';

const SCALE = Number(process.env['BENCH_SCALE'] ?? 16);
const SEED = 42;
const REPEATS = 3;

/** Best of REPEATS wall times in seconds. */
function best(f: () => unknown): number {
  let t = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    f();
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return t;
}

const cases: CaseResult[] = [];
const e = rmat({ scale: SCALE, edgeFactor: 8, seed: SEED });
const g = buildGraph({ nodeCount: e.n, source: e.source, target: e.target, weight: null, timestamp: null, type: null, typeNames: [] }, { directed: true, weighted: true });
const u = undirectedView(g);
const tTri = best(() => triangles(u)), tTies = best(() => ties(g));
const tie = ties(g);
cases.push({ name: `ties-vs-triangles-rmat-s${SCALE}`, nodes: g.n, arcs: g.m, ties: tie.source.length, triangles: triangles(u).total, trianglesSeconds: tTri, tiesSeconds: tTies, ratio: tTies / tTri });
log(`ties on R-MAT s${SCALE} (${g.m} arcs, ${tie.source.length} ties): ${tTies.toFixed(3)} s, triangles ${tTri.toFixed(3)} s, ratio ${(tTies / tTri).toFixed(2)}`);
const cp = corePeriphery(g);
const tCp = best(() => corePeriphery(g));
cases.push({ name: `core-periphery-rmat-s${SCALE}`, nodes: g.n, arcs: g.m, seconds: tCp, iterations: cp.iterations, converged: cp.converged, secondsPerSweep: tCp / cp.iterations, coreSize: cp.coreSize });
log(`core-periphery on R-MAT s${SCALE}: ${tCp.toFixed(3)} s, ${cp.iterations} sweeps (converged ${cp.converged}), core ${cp.coreSize}`);

const msg = await ingestFile(new URL('../datasets/CollegeMsg/CollegeMsg.txt.gz', import.meta.url).pathname, { columns: ['source', 'target', 'timestamp'] });
const cg = buildGraph(msg.columns, { directed: true, weighted: true });
const part = runAlgorithm('leiden', cg, { seed: SEED });
if (part.kind !== 'partition') throw new Error('leiden returned no partition');
const tAnswer = best(() => tieAnswer(cg, msg.columns, part.membership));
const tContrib = best(() => contributionWindows(msg.columns, part.membership, (window) => buildGraph(msg.columns, { directed: true, weighted: true, window }), {
  span: 30 * 864e5, count: 3, latest: latestTime(msg.columns.timestamp),
}));
cases.push({ name: 'tie-answer-CollegeMsg', rows: msg.columns.source.length, ties: tie.source.length, seconds: tAnswer });
cases.push({ name: 'contribution-3x30d-CollegeMsg', rows: msg.columns.source.length, seconds: tContrib });
log(`CollegeMsg: tie answer ${tAnswer.toFixed(3)} s, contribution over 3 windows ${tContrib.toFixed(3)} s`);
log(`wrote ${writeResults('answers', cases, { scale: SCALE, seed: SEED, repeats: REPEATS })}`);
