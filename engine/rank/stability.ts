/**
 * Rank stability: how much a top-k ranking owes to the particular interactions recorded.
 *
 * Method: nonparametric bootstrap over interaction rows (B. Efron, "Bootstrap methods: another look
 * at the jackknife", Ann. Statist. 7(1), 1979): draw `rows` rows with replacement (seeded), rebuild
 * the graph with engine/graph/builder.ts (a row drawn twice counts twice: its weight adds up, as a
 * repeated interaction does), recompute the measure through the caller's callback, and rank.
 * For each member of the original top k it reports the share of resamples in which it stays in
 * the top k and the central 90% interval of its rank (5th and 95th percentiles, nearest-rank), plus
 * the mean overlap |top_k(resample) ∩ top_k(original)| / k. Ranks are ordinal (value descending,
 * ties by node index, ./percentile.ts). Direction: whatever the callback's measure uses.
 * Complexity: B * (build O(rows + n) + measure + O(n log n) sort).
 */
import type { EdgeColumns, BuildOptions, BuiltGraph } from '../graph/builder.js';
import { buildGraph } from '../graph/builder.js';
import { Checkpoint, type RunControl, seconds } from '../algorithms/control.js';
import { createRng } from '../algorithms/random.js';
import { SupernodeError } from '../errors.js';
import { orderDescending } from './percentile.js';
import { superNodes } from './supernodes.js';

export type MeasureCallback = (columns: EdgeColumns, graph: BuiltGraph) => Float64Array;

export interface StabilityOptions {
  readonly k: number;
  readonly resamples: number;
  readonly seed: number;
  readonly build: Partial<BuildOptions>;
}

export const STABILITY_DEFAULTS: StabilityOptions = Object.freeze({ k: 10, resamples: 100, seed: 1, build: Object.freeze({}) });

export interface StableMember {
  readonly node: number;
  readonly rank: number;
  readonly score: number;
  /** Share of resamples in which the member stays in the top k. */
  readonly stayShare: number;
  readonly rankInterval90: [number, number];
  readonly medianRank: number;
}

export interface StabilityResult {
  readonly members: StableMember[];
  readonly meanOverlap: number;
  readonly resamples: number;
  readonly seconds: number;
}

/** Rows drawn with replacement (all columns kept in step). */
export function resampleRows(cols: EdgeColumns, rng: () => number): EdgeColumns {
  const rows = cols.source.length;
  const source = new Int32Array(rows), target = new Int32Array(rows);
  const weight = cols.weight === null ? null : new Float64Array(rows);
  const timestamp = cols.timestamp === null ? null : new Float64Array(rows);
  const type = cols.type === null ? null : new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const j = Math.floor(rng() * rows);
    source[i] = cols.source[j]!;
    target[i] = cols.target[j]!;
    if (weight !== null) weight[i] = cols.weight![j]!;
    if (timestamp !== null) timestamp[i] = cols.timestamp![j]!;
    if (type !== null) type[i] = cols.type![j]!;
  }
  return { nodeCount: cols.nodeCount, source, target, weight, timestamp, type, typeNames: cols.typeNames };
}

export function rankStability(cols: EdgeColumns, measure: MeasureCallback, options: Partial<StabilityOptions> = {}, ctl?: RunControl): StabilityResult {
  const t0 = performance.now();
  const o = { ...STABILITY_DEFAULTS, ...options };
  if (!(Number.isInteger(o.resamples) && o.resamples >= 1)) throw new SupernodeError('BAD_OPTION', `resamples must be a positive integer, got ${o.resamples}`);
  const n = cols.nodeCount;
  const k = Math.min(o.k, n);
  const base = measure(cols, buildGraph(cols, o.build));
  const top = Array.from(orderDescending(base).subarray(0, k));
  const ranks = top.map(() => new Int32Array(o.resamples));
  const inTop = new Uint8Array(n);
  for (const v of top) inTop[v] = 1;
  const rng = createRng(o.seed);
  const position = new Int32Array(n);
  const check = new Checkpoint(ctl, 'rank stability');
  let overlap = 0;
  for (let b = 0; b < o.resamples; b++) {
    check.step(b / o.resamples);
    const rc = resampleRows(cols, rng);
    const order = orderDescending(measure(rc, buildGraph(rc, o.build)));
    for (let p = 0; p < n; p++) position[order[p]!] = p + 1;
    for (let p = 0; p < k; p++) overlap += inTop[order[p]!]!;
    top.forEach((v, i) => { ranks[i]![b] = position[v]!; });
  }
  check.step(1);
  const members = top.map((node, i) => {
    const r = ranks[i]!.slice().sort();
    let stay = 0;
    for (const x of r) if (x <= k) stay++;
    return {
      node, rank: i + 1, score: base[node]!, stayShare: stay / o.resamples,
      rankInterval90: [nearestRank(r, 0.05), nearestRank(r, 0.95)] as [number, number], medianRank: nearestRank(r, 0.5),
    };
  });
  return { members, meanOverlap: k > 0 ? overlap / (k * o.resamples) : 1, resamples: o.resamples, seconds: seconds(t0) };
}

/** Nearest-rank quantile of sorted values: the ceil(q * N)-th smallest (1-based, at least the first). */
function nearestRank(sorted: Int32Array, q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

/** Runs one catalogue measure (engine/catalog runAlgorithm, passed in: the catalogue sits above rank). */
export type MeasureRunner = (g: BuiltGraph, name: string, params: { seed: number; epsilon?: number; delta?: number }) => Float64Array;

/**
 * Sampled betweenness inside the super-node resamples: the composite is recomputed per resample,
 * and an exact Brandes run per resample would cost B times the analysis's own.
 */
export const STABILITY_BETWEENNESS = Object.freeze({ epsilon: 0.05, delta: 0.1 });

/**
 * The super-node score (engine/rank/supernodes.ts, default weights) as a stability measure:
 * PageRank, two-hop reach, coreness and sampled betweenness of each resampled graph.
 */
export function superNodeMeasure(run: MeasureRunner, seed: number): MeasureCallback {
  return (_cols, g) => superNodes({
    influence: run(g, 'pagerank', { seed }), reach: run(g, 'reach', { seed }), embeddedness: run(g, 'kcore', { seed }),
    brokerage: run(g, 'betweenness-approx', { seed, ...STABILITY_BETWEENNESS }),
  }, { top: 0 }).scores;
}
