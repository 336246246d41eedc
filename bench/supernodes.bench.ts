/**
 * Composite super-node ranking at scale (issue: rankings).
 *
 * Case "supernodes, rmat(2^SCALE, 15)": seeded R-MAT rows -> CSR/CSC -> PageRank, k-core, two-hop
 * reach (HyperLogLog), sampled betweenness (epsilon 0.01, delta 0.1) -> percentile composite with
 * explanations for every member. Reports the graph's own bytes, the process's peak RSS and the
 * ratio (target: the ranking within the memory of the graph plus 50%, i.e. the extra resident
 * memory the ranking needs beyond the input columns and graph <= 50% of the graph).
 * Run: npx tsx bench/supernodes.bench.ts [scale]   (default 21: ~31M rows)
 */
import { buildGraph } from '../engine/graph/builder.js';
import { graphBytes } from '../engine/graph/csr.js';
import { runAlgorithm } from '../engine/algorithms/catalog/index.js';
import { superNodes } from '../engine/rank/supernodes.js';
import { rmat } from '../datasets/generators.js';
import { log, writeResults } from './harness.js';

const scale = Number(process.argv[2] ?? 21);
const rss = () => process.memoryUsage().rss / 2 ** 20;
const peak = () => process.resourceUsage().maxRSS / 1024;
const { n, source, target } = rmat({ scale, edgeFactor: 15, seed: 3 });
const columns = { nodeCount: n, source, target, weight: null, timestamp: null, type: null, typeNames: [] };
const t0 = performance.now();
const g = buildGraph(columns, { directed: true, weighted: true });
const built = performance.now();
(globalThis as { gc?: () => void }).gc?.();
const baseRss = rss();
const times: Record<string, number> = {};
const measure = (name: string, params: Record<string, number> = {}) => {
  const t = performance.now();
  const out = runAlgorithm(name, g, { seed: 1, ...params });
  times[name] = (performance.now() - t) / 1000;
  if (out.kind !== 'values') throw new Error(name);
  return out.values;
};
const influence = measure('pagerank');
const embeddedness = measure('kcore');
const reach = measure('reach');
const brokerage = measure('betweenness-approx', { epsilon: 0.01, delta: 0.1 });
const t = performance.now();
const ranking = superNodes({ influence, reach, embeddedness, brokerage }, { top: 100 });
times['composite'] = (performance.now() - t) / 1000;
const total = (performance.now() - built) / 1000;

const extraMiB = Math.max(0, peak() - baseRss);
const c = {
  name: `supernodes, rmat(2^${scale}, 15): pagerank + kcore + reach(HLL) + betweenness-approx + composite`,
  rows: source.length, nodes: g.n, arcs: g.m, buildSeconds: (built - t0) / 1000, rankingSeconds: total, seconds: times,
  graphMiB: graphBytes(g) / 2 ** 20, rssAfterBuildMiB: baseRss, peakRssMiB: peak(), extraPeakMiB: extraMiB,
  extraOverGraph: extraMiB / (graphBytes(g) / 2 ** 20), top: ranking.ranking.slice(0, 3).map((r) => ({ node: r.node, score: r.score, sentence: r.sentence })),
};

log(`${c.name}\n  ${c.rows} rows, ${c.arcs} arcs; graph ${c.graphMiB.toFixed(0)} MiB; RSS after build ${baseRss.toFixed(0)} MiB, peak ${c.peakRssMiB.toFixed(0)} MiB`
  + ` (ranking adds ${extraMiB.toFixed(0)} MiB = ${(100 * c.extraOverGraph).toFixed(0)}% of the graph)\n  times ${JSON.stringify(times)} total ${total.toFixed(1)} s`);
log(`results: ${writeResults('supernodes', [c])}`);
