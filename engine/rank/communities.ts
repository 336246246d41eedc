/**
 * Community summaries for operators: size, cohesion, top members, weekly activity with a
 * life-cycle label, and the interaction flow between communities.
 *
 * Inputs: the graph a partition was computed on (any direction; undirected measures use its
 * undirected view), a membership vector (0..k-1, as every partition kernel returns) and, for
 * activity, the edge columns the graph was built from (their `timestamp` column).
 * Definitions (undirected weighted view unless said otherwise):
 * - internalWeight: weight of edges with both ends in c (each edge once); externalWeight: weight
 *   of edges with exactly one end in c (the cut).
 * - density: distinct internal edges / (size (size - 1) / 2), unweighted; 0 for size < 2.
 * - conductance: cut / min(vol, 2m - vol) (modularity.ts), NaN when that is 0.
 * - top members: the `topK` members with the largest internal strength (weight to their own
 *   community), ties by smaller index; -1 pads communities smaller than topK.
 * - activity[c][b]: interaction rows in time bucket b with at least one end in c (a row inside c
 *   counts once for c; a row between c and d counts for both). Buckets are `bucketMs` wide
 *   (default one week) starting at the Monday 00:00 UTC on or before the first timestamp; rows
 *   without a timestamp are skipped. The bucket count is bounded (engine/limits.ts: at most
 *   MAX_ACTIVITY_BUCKETS per series and MAX_ACTIVITY_CELLS communities x buckets): a longer span
 *   is coarsened to the smallest whole multiple of `bucketMs` that fits (`factor` in the result),
 *   so the arrays never grow with the span of the timestamps, only with the cap.
 * - life cycle, from the activity of the last `window` buckets (default 4 weeks, "recent") and
 *   the `window` buckets before them ("previous"); the dataset's last timestamp is "now":
 *     dormant  recent mean <= dormantRatio (0.1) x the community's peak bucket, or 0;
 *     growing  recent mean >= growingRatio (1.25) x previous mean (or previous is 0);
 *     cooling  recent mean <= coolingRatio (0.75) x previous mean;
 *     active   otherwise.
 *   Checked in that order. The ratios are LIFECYCLE_DEFAULTS and can be overridden.
 * - flow: directed, on the graph as given: flow[i][j] = total weight of arcs u -> v with u in i
 *   and v in j (i = j is the internal flow). For an undirected graph each edge counts both ways.
 *   Returned as a CSR over communities, columns ascending.
 * Complexity: O(n + m + rows + k * buckets) memory and time (top members: O(n log n) sort).
 */
import { undirectedView, type EdgeColumns } from '../graph/builder.js';
import type { CsrGraph } from '../graph/csr.js';
import { communityCount, conductance } from '../algorithms/modularity.js';
import { activityBuckets } from '../limits.js';

export interface CommunitySummaries {
  readonly count: number;
  readonly size: Int32Array;
  readonly internalWeight: Float64Array;
  readonly externalWeight: Float64Array;
  readonly density: Float64Array;
  readonly conductance: Float64Array;
  readonly topK: number;
  /** Row-major count x topK member indices, -1 padded. */
  readonly topMembers: Int32Array;
}

export function communitySummaries(g: CsrGraph, membership: Int32Array, topK = 10): CommunitySummaries {
  const u = g.directed ? undirectedView(g) : g;
  const n = u.n, k = communityCount(membership);
  const size = new Int32Array(k), internal = new Float64Array(k), external = new Float64Array(k);
  const pairs = new Float64Array(k), own = new Float64Array(n);
  const { outOffsets: off, outTargets: tgt, outWeights: w } = u;
  for (let a = 0; a < n; a++) {
    const c = membership[a]!;
    size[c]!++;
    for (let e = off[a]!, end = off[a + 1]!; e < end; e++) {
      const b = tgt[e]!, x = w === null ? 1 : w[e]!;
      if (membership[b] !== c) { external[c]! += x; continue; }
      own[a]! += x;
      // Symmetric storage: each internal edge is seen twice, a self-loop once.
      if (b === a) internal[c]! += x;
      else { internal[c]! += x / 2; pairs[c]! += 0.5; }
    }
  }
  const density = new Float64Array(k);
  for (let c = 0; c < k; c++) { const s = size[c]!; density[c] = s < 2 ? 0 : pairs[c]! / ((s * (s - 1)) / 2); }
  // Top members: members ordered by (community, internal strength desc, index asc).
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => membership[a]! - membership[b]! || own[b]! - own[a]! || a - b);
  const topMembers = new Int32Array(k * topK).fill(-1);
  for (let p = 0, c = -1, r = 0; p < n; p++) {
    const v = order[p]!;
    if (membership[v] !== c) { c = membership[v]!; r = 0; }
    if (r < topK) topMembers[c * topK + r++] = v;
  }
  return {
    count: k, size, internalWeight: internal, externalWeight: external, density,
    conductance: conductance(u, membership), topK, topMembers,
  };
}

export const LIFECYCLE_LABELS = ['growing', 'active', 'cooling', 'dormant'] as const;
export type Lifecycle = (typeof LIFECYCLE_LABELS)[number];

export interface ActivityOptions {
  readonly bucketMs: number;
  /** Start of bucket 0 (ms); default: the Monday 00:00 UTC on or before the first timestamp. */
  readonly origin?: number;
  readonly window: number;
  readonly growingRatio: number;
  readonly coolingRatio: number;
  readonly dormantRatio: number;
}

const WEEK = 7 * 24 * 3600 * 1000;
/** 1970-01-05 was a Monday. */
const MONDAY = 4 * 24 * 3600 * 1000;

export const LIFECYCLE_DEFAULTS: ActivityOptions = Object.freeze({
  bucketMs: WEEK, window: 4, growingRatio: 1.25, coolingRatio: 0.75, dormantRatio: 0.1,
});

export interface CommunityActivity {
  readonly count: number;
  readonly buckets: number;
  readonly origin: number;
  /** Bucket width: the requested width times `factor`. */
  readonly bucketMs: number;
  /** How many requested buckets one bucket holds (1 unless the span was coarsened to fit the cap). */
  readonly factor: number;
  /** Row-major count x buckets interaction counts. */
  readonly activity: Float64Array;
  /** Index into LIFECYCLE_LABELS per community. */
  readonly lifecycle: Uint8Array;
}

/** Weekly (or `bucketMs`) activity per community and its life-cycle label; null without timestamps. */
export function communityActivity(
  membership: Int32Array, columns: EdgeColumns, options: Partial<ActivityOptions> = {},
): CommunityActivity | null {
  const o = { ...LIFECYCLE_DEFAULTS, ...options };
  const ts = columns.timestamp;
  if (ts === null) return null;
  const k = communityCount(membership);
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < ts.length; i++) { const t = ts[i]!; if (t < lo) lo = t; if (t > hi) hi = t; }
  if (lo === Infinity) return null;
  const { bucketMs, origin, buckets, factor } = activityBuckets(lo, hi, o.bucketMs, k, MONDAY, o.origin);
  const activity = new Float64Array(k * buckets);
  const { source, target } = columns;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    if (!(t >= origin)) continue;
    const b = Math.floor((t - origin) / bucketMs);
    if (b >= buckets) continue;
    const cs = membership[source[i]!]!, ct = membership[target[i]!]!;
    activity[cs * buckets + b]!++;
    if (ct !== cs) activity[ct * buckets + b]!++;
  }
  const lifecycle = new Uint8Array(k);
  for (let c = 0; c < k; c++) lifecycle[c] = lifecycleOf(activity.subarray(c * buckets, (c + 1) * buckets), o);
  return { count: k, buckets, origin, bucketMs, factor, activity, lifecycle };
}

/** Label index (into LIFECYCLE_LABELS) for one activity series; see the header for the rules. */
export function lifecycleOf(series: Float64Array, o: ActivityOptions = LIFECYCLE_DEFAULTS): number {
  const b = series.length, w = Math.max(1, o.window);
  let peak = 0, recent = 0, previous = 0;
  for (let i = 0; i < b; i++) peak = Math.max(peak, series[i]!);
  for (let i = Math.max(0, b - w); i < b; i++) recent += series[i]!;
  for (let i = Math.max(0, b - 2 * w); i < Math.max(0, b - w); i++) previous += series[i]!;
  recent /= Math.min(w, b);
  const prevLen = Math.max(0, b - w) - Math.max(0, b - 2 * w);
  previous = prevLen > 0 ? previous / prevLen : 0;
  if (recent === 0 || recent <= o.dormantRatio * peak) return 3;
  if (previous === 0 || recent >= o.growingRatio * previous) return 0;
  if (recent <= o.coolingRatio * previous) return 2;
  return 1;
}

export interface CommunityFlow {
  readonly count: number;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly weights: Float64Array;
}

/** Sparse community-to-community interaction weight on the graph as given (see header). */
export function communityFlow(g: CsrGraph, membership: Int32Array): CommunityFlow {
  const n = g.n, k = communityCount(membership);
  const { outOffsets: off, outTargets: tgt, outWeights: w } = g;
  // Members grouped by community (counting sort), then one dense accumulator row per community.
  const start = new Int32Array(k + 1);
  for (let v = 0; v < n; v++) start[membership[v]! + 1]!++;
  for (let c = 0; c < k; c++) start[c + 1]! += start[c]!;
  const members = new Int32Array(n), pos = start.slice(0, k);
  for (let v = 0; v < n; v++) members[pos[membership[v]!]!++] = v;
  const acc = new Float64Array(k), mark = new Int32Array(k).fill(-1);
  const offsets = new Int32Array(k + 1);
  const outT: number[] = [], outW: number[] = [];
  let touched: number[] = [];
  for (let c = 0; c < k; c++) {
    offsets[c] = outT.length;
    touched = [];
    for (let p = start[c]!; p < start[c + 1]!; p++) {
      const a = members[p]!;
      for (let e = off[a]!, end = off[a + 1]!; e < end; e++) {
        const d = membership[tgt[e]!]!;
        if (mark[d] !== c) { mark[d] = c; acc[d] = 0; touched.push(d); }
        acc[d]! += w === null ? 1 : w[e]!;
      }
    }
    touched.sort((x, y) => x - y);
    for (const d of touched) { outT.push(d); outW.push(acc[d]!); }
  }
  offsets[k] = outT.length;
  return { count: k, offsets, targets: Int32Array.from(outT), weights: Float64Array.from(outW) };
}
