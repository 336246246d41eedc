/**
 * Rank and percentile helpers shared by the ranking layer (supernodes, leaders, brokers,
 * stability, rising).
 *
 * - Mid-rank percentile: pct(x_i) = (#{j : x_j < x_i} + 0.5 * #{j : x_j = x_i}) / n, in (0, 1).
 *   Tied members get the same percentile (the mean of the ranks they share), so a block of ties
 *   never favours the lower node index. NaN counts as the lowest possible value (pct computed as
 *   if NaN < every number), which is what a missing measure (constraint of an isolate) deserves.
 * - Competition rank ("1224"): rank(x_i) = 1 + #{j : x_j > x_i}; ties share the best rank.
 * - Ordinal order: by value descending, ties by node index ascending (deterministic top-k lists).
 * Complexity: O(n log n) (one sort of indices).
 */

/** Node indices sorted by value descending, NaN last, ties by index ascending. */
export function orderDescending(x: ArrayLike<number>): Int32Array {
  const n = x.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => {
    const xa = x[a]!, xb = x[b]!;
    const na = Number.isNaN(xa), nb = Number.isNaN(xb);
    if (na || nb) return na === nb ? a - b : na ? 1 : -1;
    return xb > xa ? 1 : xb < xa ? -1 : a - b;
  });
  return idx;
}

/** Mid-rank percentiles in (0, 1) (see header); NaN is the lowest value. */
export function midrankPercentiles(x: ArrayLike<number>): Float64Array {
  return percentilesAndRanks(x).percentiles;
}

/** Competition ranks (1 = best); NaN ranks after every number. */
export function competitionRanks(x: ArrayLike<number>): Int32Array {
  return percentilesAndRanks(x).ranks;
}

/**
 * Percentile and competition rank of any value against a fixed set of values, from one numeric
 * sort of a copy (no index permutation, no comparator): below(v) and tied(v) are two binary
 * searches. NaNs sort last in a Float64Array and count as the lowest values. Memory: one
 * Float64Array of n, which matters when a ranking of millions of members must fit beside the graph.
 */
export class ValueRanks {
  private readonly sorted: Float64Array;
  private readonly nan: number;
  private readonly finite: number;
  readonly n: number;

  /** `scratch` (n entries, overwritten) lets consecutive measures share one buffer. */
  constructor(x: ArrayLike<number>, scratch?: Float64Array) {
    this.n = x.length;
    this.sorted = scratch !== undefined && scratch.length === x.length ? scratch : new Float64Array(x.length);
    this.sorted.set(x);
    this.sorted.sort();
    let nan = 0;
    while (nan < this.n && Number.isNaN(this.sorted[this.n - 1 - nan]!)) nan++;
    this.nan = nan;
    this.finite = this.n - nan;
  }

  /** Members strictly below v (NaN lowest) and members equal to v (NaN equals NaN). */
  private count(v: number): [below: number, ties: number] {
    if (Number.isNaN(v)) return [0, this.nan];
    const lo = bound(this.sorted, this.finite, v, false), hi = bound(this.sorted, this.finite, v, true);
    return [this.nan + lo, hi - lo];
  }

  /** Mid-rank percentile of v, (below + ties / 2) / n. */
  percentile(v: number): number {
    const [below, ties] = this.count(v);
    return (below + 0.5 * ties) / this.n;
  }

  /** Competition rank of v, 1 + members strictly above. */
  rank(v: number): number {
    const [below, ties] = this.count(v);
    return this.n - below - ties + 1;
  }
}

/** Both for every member, from one sort. */
export function percentilesAndRanks(x: ArrayLike<number>): { percentiles: Float64Array; ranks: Int32Array } {
  const n = x.length;
  const percentiles = new Float64Array(n), ranks = new Int32Array(n);
  const vr = new ValueRanks(x);
  for (let i = 0; i < n; i++) {
    percentiles[i] = vr.percentile(x[i]!);
    ranks[i] = vr.rank(x[i]!);
  }
  return { percentiles, ranks };
}

/** First position in sorted[0, len) whose value is > v (upper) or >= v (lower). */
function bound(sorted: Float64Array, len: number, v: number, upper: boolean): number {
  let lo = 0, hi = len;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = sorted[mid]!;
    if (x < v || (upper && x === v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first k of `orderDescending` (k clipped to n). */
export function topK(x: ArrayLike<number>, k: number): number[] {
  return Array.from(orderDescending(x).subarray(0, Math.max(0, Math.min(k, x.length))));
}

/** "0.1%", "2%", "35%": the share of members at or above a member, two significant digits. */
export function formatTopShare(fraction: number): string {
  const pct = Math.max(fraction * 100, 1e-9);
  const s = pct >= 10 ? String(Math.round(pct)) : String(Number(pct.toPrecision(2)));
  return `${s}%`;
}
