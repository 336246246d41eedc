/**
 * Ranking-layer benchmark: IMM seed selection (k = 50, epsilon = 0.1, weighted cascade) on a seeded
 * R-MAT graph of ~1M interaction rows (scale 17, edge factor 8, Graph500 quadrants), then the
 * chosen set's Monte Carlo spread (10,000 cascades). Target: IMM within 60 s on the shared 2-core box.
 * Run: npx tsx bench/rank.bench.ts   -> bench/results/rank.json
 */
import { rmat } from '../datasets/generators.js';
import { buildGraph } from '../engine/graph/builder.js';
import { imm } from '../engine/rank/imm.js';
import { estimateSpread } from '../engine/rank/spread.js';
import { log, peakRssMiB, writeResults } from './harness.js';

const scale = Number(process.env.RANK_BENCH_SCALE ?? 17);
const edgeFactor = Number(process.env.RANK_BENCH_EDGE_FACTOR ?? 8);
const t0 = performance.now();
const e = rmat({ scale, edgeFactor, seed: 42 });
const g = buildGraph({ nodeCount: e.n, source: e.source, target: e.target, weight: null, timestamp: null, type: null, typeNames: [] }, { directed: true, weighted: false });
const buildSeconds = (performance.now() - t0) / 1000;
log(`rmat scale ${scale}: n ${g.n}, rows ${e.source.length}, arcs ${g.m}, built in ${buildSeconds.toFixed(2)} s`);
let lastLog = 0;
const progress = { onProgress: (f: number) => { const t = performance.now(); if (t - lastLog > 5000) { lastLog = t; log(`  ${(f * 100).toFixed(0)}% at ${((t - t0) / 1000).toFixed(1)} s`); } } };
const r = imm(g, { k: 50, epsilon: 0.1, model: { kind: 'wc' }, seed: 1, evalRuns: 0 }, progress);
const evalRuns = Number(process.env.RANK_BENCH_EVAL_RUNS ?? 10_000);
const spread = estimateSpread(g, r.seeds, { model: { kind: 'wc' }, runs: evalRuns, seed: 7 });
const d = r.diagnostics;
const immSeconds = d.seconds;
log(`IMM: ${immSeconds.toFixed(2)} s (selection ${d.selectionSeconds.toFixed(2)} s), RR sets ${d.rrSets}, members ${d.rrMembers}, RR ${(d.rrBytes / 2 ** 20).toFixed(1)} MiB + index ${(d.indexBytes / 2 ** 20).toFixed(1)} MiB, LB ${d.lowerBound.toFixed(1)}`);
log(`spread (MC ${spread.runs}): ${spread.mean.toFixed(1)} [${spread.ci95[0].toFixed(1)}, ${spread.ci95[1].toFixed(1)}] in ${spread.seconds.toFixed(2)} s; RR estimate ${d.rrSpreadEstimate.toFixed(1)}`);
const file = writeResults('rank', [{
  name: `imm-wc-k50-eps0.1-rmat${scale}`, n: g.n, rows: e.source.length, arcs: g.m, buildSeconds,
  immSeconds, withinTarget: immSeconds <= 60, selectionSeconds: d.selectionSeconds, rrSets: d.rrSets, rrMembers: d.rrMembers,
  rrBytes: d.rrBytes, indexBytes: d.indexBytes, lowerBound: d.lowerBound, theta: d.theta, samplingRounds: d.samplingRounds,
  guaranteeDegraded: d.guaranteeDegraded, spread: { mean: spread.mean, ci95: spread.ci95, runs: spread.runs }, rrSpreadEstimate: d.rrSpreadEstimate, evalSeconds: spread.seconds,
  peakRssMiB: peakRssMiB(), seeds: r.seeds,
}]);
log(`wrote ${file}`);
