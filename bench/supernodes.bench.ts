/**
 * Composite super-node ranking at scale (issue: rankings).
 *
 * Case "supernodes, rmat(2^SCALE, 15)": seeded R-MAT rows -> CSR/CSC -> PageRank, k-core, two-hop
 * reach (HyperLogLog), sampled betweenness (epsilon 0.01, delta 0.1) in the worker pool (2 threads,
 * the graph's shared buffers sent once, as the CLI and API run them) -> percentile composite with
 * explanations for the top members. Reports the graph's own bytes and the peak resident memory of
 * the ranking phase alone: after the build the kernel's peak-RSS mark is reset (Linux
 * /proc/self/clear_refs, 5) and VmHWM read at the end, so the build's temporaries do not count.
 * Target: the ranking within the memory of the graph plus 50%, i.e. the ranking's peak minus the
 * resident memory after the build <= 50% of the graph's bytes.
 * Run: node --expose-gc --import tsx bench/supernodes.bench.ts [scale] [threads]   (default 21: ~31M rows, 2 threads)
 */
import fs from 'node:fs';
import { buildGraph } from '../engine/graph/builder.js';
import { graphBytes } from '../engine/graph/csr.js';
import { superNodes } from '../engine/rank/supernodes.js';
import { rmat } from '../datasets/generators.js';
import { WorkerPool } from '../workers/pool.js';
import { log, writeResults } from './harness.js';

const scale = Number(process.argv[2] ?? 21);
const threads = Number(process.argv[3] ?? 2);
const rss = () => process.memoryUsage().rss / 2 ** 20;
/** Peak RSS since the last reset (VmHWM), MiB; null where /proc is not Linux's. */
const hwm = (): number | null => {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
};
const resetHwm = (): boolean => {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
};

/** Full collection, then a pause: V8 frees dead ArrayBuffers' memory on a background thread, so RSS
 * read right after gc() still holds the build's temporaries (~350 MiB at scale 21). */
const settle = async () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((r) => setTimeout(r, 2000));
  gc?.();
};
// The process with its worker threads started, before any data: the strict baseline.
const pool = new WorkerPool({ threads });
// Workers load their modules before the clock and the memory mark start.
const tiny = { nodeCount: 2, source: new Int32Array([0]), target: new Int32Array([1]), weight: null, timestamp: null, type: null, typeNames: [] };
await pool.run(buildGraph(tiny), 'degree', { seed: 1 });
await settle();
const processRss = rss();
const { n, source, target } = rmat({ scale, edgeFactor: 15, seed: 3 });
const columns = { nodeCount: n, source, target, weight: null, timestamp: null, type: null, typeNames: [] };
const columnsMiB = (source.byteLength + target.byteLength) / 2 ** 20;
const t0 = performance.now();
const g = buildGraph(columns, { directed: true, weighted: true });
const built = performance.now();
log(`rmat 2^${scale}: ${source.length} rows, ${g.m} arcs, built in ${((built - t0) / 1000).toFixed(1)} s`);
await settle();
const baseRss = rss();
const hwmReset = resetHwm();
const start = performance.now();
const times: Record<string, number> = {};
const diagnostics: Record<string, unknown> = {};
const phasePeak: Record<string, number | null> = {};
let overallPeak = 0;
/** Peak of the phase just ended (the mark is reset at each phase start; the overall peak is their max). */
const endPhase = (name: string) => {
  const p = hwm();
  phasePeak[name] = p;
  if (p !== null) overallPeak = Math.max(overallPeak, p);
  resetHwm();
};
const measure = async (name: string, params: Record<string, number> = {}) => {
  const t = performance.now();
  const out = await pool.run(g, name, { seed: 1, ...params });
  times[name] = (performance.now() - t) / 1000;
  diagnostics[name] = out.diagnostics;
  if (out.kind !== 'values') throw new Error(name);
  endPhase(name);
  log(`  ${name}: ${times[name]!.toFixed(1)} s, RSS ${rss().toFixed(0)} MiB, phase peak ${phasePeak[name]?.toFixed(0) ?? '?'} MiB`);
  return out.values;
};
const influence = await measure('pagerank');
const embeddedness = await measure('kcore');
const reach = await measure('reach');
const brokerage = await measure('betweenness-approx', { epsilon: 0.01, delta: 0.1 });
const t = performance.now();
const ranking = superNodes({ influence, reach, embeddedness, brokerage }, { top: 100 });
times['composite'] = (performance.now() - t) / 1000;
endPhase('composite');
const total = (performance.now() - start) / 1000;
await pool.close();

const peak = hwmReset ? overallPeak : null;
const extraMiB = peak === null ? null : Math.max(0, peak - baseRss);
const gMiB = graphBytes(g) / 2 ** 20;
const c = {
  name: `supernodes, rmat(2^${scale}, 15): pagerank + kcore + reach(HLL) + betweenness-approx + composite, ${threads} worker threads`,
  rows: source.length, nodes: g.n, arcs: g.m, buildSeconds: (built - t0) / 1000, rankingSeconds: total, seconds: times, diagnostics,
  graphMiB: gMiB, columnsMiB, processRssMiB: processRss, rssAfterBuildMiB: baseRss, rankingPeakRssMiB: peak, phasePeakRssMiB: phasePeak, extraPeakMiB: extraMiB,
  extraOverGraph: extraMiB === null ? null : extraMiB / gMiB, withinGraphPlus50: extraMiB === null ? null : extraMiB <= 0.5 * gMiB,
  // Strict: everything the peak holds beyond the started process, the input columns and the graph.
  strictExtraMiB: peak === null ? null : peak - processRss - columnsMiB - gMiB,
  strictExtraOverGraph: peak === null ? null : (peak - processRss - columnsMiB - gMiB) / gMiB,
  top: ranking.ranking.slice(0, 3).map((r) => ({ node: r.node, score: r.score, sentence: r.sentence })),
};
log(`${c.name}\n  process ${processRss.toFixed(0)} MiB + columns ${columnsMiB.toFixed(0)} MiB + graph ${gMiB.toFixed(0)} MiB; RSS after build ${baseRss.toFixed(0)} MiB, ranking peak ${peak?.toFixed(0) ?? '?'} MiB`
  + ` (adds ${extraMiB?.toFixed(0) ?? '?'} MiB = ${extraMiB === null ? '?' : (100 * extraMiB / gMiB).toFixed(0)}% of the graph; strictly`
  + ` ${c.strictExtraMiB?.toFixed(0) ?? '?'} MiB = ${c.strictExtraOverGraph === null ? '?' : (100 * c.strictExtraOverGraph).toFixed(0)}%)\n  times ${JSON.stringify(times)} total ${total.toFixed(1)} s`);
log(`results: ${writeResults('supernodes', [c])}`);
