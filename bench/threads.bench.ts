/**
 * Thread scaling of the parallel kernels (issue 15): each kernel at 1, 2, 4, ... threads up to the
 * cores present, on one seeded R-MAT graph, through the worker pool (the path `compute --threads N`
 * and the analysis job take). Kernel seconds are the best of `REPEATS` runs (the machine is shared:
 * the load average is recorded before and after); every run's values are checked against the
 * 1-thread run (exact kernels: identical bits; sampled betweenness: same seed, identical too).
 * Run: npx tsx bench/threads.bench.ts [scale=18] [edgeFactor=15]
 */
import os from 'node:os';
import { rmat } from '../datasets/generators.js';
import { buildGraph } from '../engine/graph/builder.js';
import { edgeCount } from '../engine/graph/csr.js';
import type { AlgorithmParams } from '../engine/catalog/index.js';
import { WorkerPool } from '../workers/pool.js';
import { type CaseResult, log, writeResults } from './harness.js';

const scale = Number(process.argv[2] ?? 18), edgeFactor = Number(process.argv[3] ?? 15), REPEATS = 3;
const e = rmat({ scale, edgeFactor, seed: 1 });
const g = buildGraph({ nodeCount: e.n, source: e.source, target: e.target, weight: null, timestamp: null, type: null, typeNames: [] });
log(`R-MAT 2^${scale} x ${edgeFactor}: n=${g.n} arcs=${edgeCount(g)}`);

const KERNELS: [string, AlgorithmParams][] = [
  ['pagerank', { seed: 1 }],
  ['eigenvector', { seed: 1, maxIterations: 100 }],
  ['hits-authority', { seed: 1, maxIterations: 100 }],
  ['betweenness-approx', { seed: 1, epsilon: 0.02, delta: 0.1 }],
  ['reach', { seed: 1 }],
];
const threads: number[] = [];
for (let t = 1; t <= Math.max(2, os.availableParallelism()); t *= 2) threads.push(t);

const loadBefore = os.loadavg();
const cases: CaseResult[] = [];
for (const [name, params] of KERNELS) {
  let reference: Float64Array | null = null;
  const row: Record<string, number> = {};
  let same = true;
  for (const t of threads) {
    const pool = new WorkerPool({ threads: t });
    await pool.run(g, 'degree', { seed: 1 }); // the graph crosses to the workers outside the timing
    let best = Infinity;
    for (let r = 0; r < REPEATS; r++) {
      const out = await pool.run(g, name, params);
      if (out.kind !== 'values') throw new Error(`${name}: no values`);
      best = Math.min(best, Number(out.diagnostics['seconds']));
      if (reference === null) reference = out.values;
      else if (!out.values.every((x, i) => Object.is(x, reference![i]))) same = false;
    }
    await pool.close();
    row[String(t)] = best;
  }
  const speedup = Object.fromEntries(threads.map((t) => [String(t), row['1']! / row[String(t)]!]));
  cases.push({ name, seconds: row, speedup, sameAnswers: same });
  log(`${name.padEnd(20)} ${threads.map((t) => `${t}: ${row[String(t)]!.toFixed(2)} s`).join('  ')}  speed-up at ${threads.at(-1)}: x${speedup[String(threads.at(-1))]!.toFixed(2)}  same answers: ${same}`);
}
log(`results: ${writeResults('threads', cases, {
  graph: { generator: 'rmat', scale, edgeFactor, seed: 1, n: g.n, arcs: edgeCount(g) }, threads, repeats: REPEATS,
  loadavgBefore: loadBefore, loadavgAfter: os.loadavg(),
  note: 'shared 2-core machine: 7 other agents were running; kernel seconds are the best of 3 runs',
})}`);
