/**
 * The graph container: out-CSR and in-CSR (CSC) over dense int32 node indices, every array
 * backed by a SharedArrayBuffer so worker threads read the same memory the main thread built.
 *
 * Invariants (established by engine/graph/builder.ts, relied on by every kernel):
 * - `outOffsets[u]..outOffsets[u+1]` indexes `outTargets`/`outWeights`; targets within a row are
 *   strictly increasing (multi-edges were merged), so a row is a sorted set.
 * - `inOffsets`/`inSources`/`inWeights` hold the same arcs grouped by target, sources strictly
 *   increasing. For undirected graphs the arrays ARE the out arrays (same objects): an undirected
 *   edge {u,v} is stored as the two arcs u->v and v->u with the same weight.
 * - Weights are `null` when every merged arc weighs exactly 1 (kernels then read 1). Otherwise they
 *   are Float32 when every merged weight is exactly representable in float32 (counts below 2^24,
 *   the common case) and Float64 otherwise, so storage is compact without ever rounding a weight.
 * - Self-loops are dropped unless the builder was asked to keep them; `selfLoops` counts dropped rows.
 * - Kernels never mutate a graph. Derived views (the undirected view of a directed graph) are
 *   built by the builder and cached per graph.
 *
 * Memory: 4 B per arc for targets + 4 B per arc for sources (+4 or 8 B per arc per direction
 * for weights) + 8 B per node for the two offset arrays. A directed weighted graph with float32
 * weights therefore costs 16 B/edge + 8 B/node; the README derives the largest graph per GiB.
 */

export type WeightArray = Float32Array | Float64Array;

export interface CsrGraph {
  /** Number of nodes; node indices are 0..n-1. */
  readonly n: number;
  /** Number of stored arcs (for undirected graphs, twice the number of edges). */
  readonly m: number;
  readonly directed: boolean;
  readonly outOffsets: Int32Array;
  readonly outTargets: Int32Array;
  readonly outWeights: WeightArray | null;
  readonly inOffsets: Int32Array;
  readonly inSources: Int32Array;
  readonly inWeights: WeightArray | null;
  /** Self-loop rows dropped while building (0 when kept). */
  readonly selfLoops: number;
  /** Input rows that were merged into an existing arc (parallel edges). */
  readonly merged: number;
}

/** User-facing edge count: arcs for directed graphs, unordered pairs for undirected ones. */
export function edgeCount(g: CsrGraph): number {
  if (g.directed) return g.m;
  // Self-loops (kept on request) are stored once; every other edge twice.
  let loops = 0;
  for (let u = 0; u < g.n; u++) {
    for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) if (g.outTargets[e] === u) loops++;
  }
  return (g.m - loops) / 2 + loops;
}

export function outDegree(g: CsrGraph, u: number): number {
  return g.outOffsets[u + 1]! - g.outOffsets[u]!;
}

export function inDegree(g: CsrGraph, v: number): number {
  return g.inOffsets[v + 1]! - g.inOffsets[v]!;
}

/**
 * Distinct neighbours per node in an undirected (or any) CSR, a self-loop not counted. Rows are
 * sorted sets, so a self-loop u->u is found by binary search: O(n log d) rather than O(m).
 */
export function simpleDegree(g: Pick<CsrGraph, 'n' | 'outOffsets' | 'outTargets'>): Int32Array {
  const n = g.n, off = g.outOffsets, adj = g.outTargets;
  const degree = new Int32Array(n);
  for (let u = 0; u < n; u++) {
    let lo = off[u]!, hi = off[u + 1]!;
    const d = hi - lo;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (adj[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    degree[u] = lo < off[u + 1]! && adj[lo] === u ? d - 1 : d;
  }
  return degree;
}

/** Sum of out-arc weights per node (out-strength). Unweighted graphs give out-degree. */
export function outStrength(g: CsrGraph): Float64Array {
  const s = new Float64Array(g.n);
  const w = g.outWeights;
  for (let u = 0; u < g.n; u++) {
    const lo = g.outOffsets[u]!, hi = g.outOffsets[u + 1]!;
    if (w === null) s[u] = hi - lo;
    else {
      let acc = 0;
      for (let e = lo; e < hi; e++) acc += w[e]!;
      s[u] = acc;
    }
  }
  return s;
}

/** Sum of in-arc weights per node (in-strength). */
export function inStrength(g: CsrGraph): Float64Array {
  const s = new Float64Array(g.n);
  const w = g.inWeights;
  for (let v = 0; v < g.n; v++) {
    const lo = g.inOffsets[v]!, hi = g.inOffsets[v + 1]!;
    if (w === null) s[v] = hi - lo;
    else {
      let acc = 0;
      for (let e = lo; e < hi; e++) acc += w[e]!;
      s[v] = acc;
    }
  }
  return s;
}

/** Bytes held by the graph's arrays (shared between views where they are the same object). */
export function graphBytes(g: CsrGraph): number {
  const seen = new Set<ArrayBufferLike>();
  let bytes = 0;
  for (const a of [g.outOffsets, g.outTargets, g.outWeights, g.inOffsets, g.inSources, g.inWeights]) {
    if (a === null || seen.has(a.buffer)) continue;
    seen.add(a.buffer);
    bytes += a.byteLength;
  }
  return bytes;
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Math.max(1, length) * 4), 0, length);
}

export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(1, length) * 8), 0, length);
}

export function sharedFloat32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(Math.max(1, length) * 4), 0, length);
}

/**
 * Position of x in targets[lo..hi), or -1. The builder leaves every row sorted by neighbour index
 * (its counting sorts are stable), so a tie lookup is a binary search within one row.
 */
export function rowIndexOf(targets: Int32Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const y = targets[mid]!;
    if (y === x) return mid;
    if (y < x) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}
