/**
 * Builds the CSR/CSC container (engine/graph/csr.ts) from edge columns.
 *
 * Method: two stable counting sorts (by target, then by source) put every arc in (source, target)
 * order in O(rows + n) time without a comparison sort; a linear pass then merges parallel arcs
 * (weights summed in float64) and a third counting sort derives the in-CSR, whose rows come out
 * sorted by source because sources are visited in increasing order. This is gapbs'
 * builder.h (count degrees, prefix sum, fill, squish) with a radix order instead of per-row sorts.
 *
 * Conventions (shared with NetworkX/igraph, see ../shared/reference/README.md):
 * - weight = sum of row weights per ordered pair; a row without a weight column weighs 1, so a
 *   temporal file gives weight = interaction count. `weighted: false` collapses pairs to 1.
 * - per-type weights multiply the row weight (forward=3, reply=2, mention=1).
 * - self-loops are dropped and counted unless `keepSelfLoops`; their members stay nodes.
 * - undirected input stores {u,v} as u->v and v->u; rows u v and v u merge into one edge.
 * Peak memory while building: the input columns plus ~24 B per arc of temporaries.
 */
import { SupernodeError } from '../errors.js';
import { type CsrGraph, type WeightArray, sharedFloat32, sharedFloat64, sharedInt32 } from './csr.js';

/** Edge rows as ingest produces them: dense member indices plus optional attributes. */
export interface EdgeColumns {
  /** Number of members (node indices 0..nodeCount-1), including members with no kept edge. */
  readonly nodeCount: number;
  readonly source: Int32Array;
  readonly target: Int32Array;
  /** Row weights; null means every row weighs 1. */
  readonly weight: Float64Array | null;
  /** Milliseconds since the Unix epoch; NaN where a row has no timestamp; null when no column. */
  readonly timestamp: Float64Array | null;
  /** Index into `typeNames` per row, -1 where a row has no type; null when no column. */
  readonly type: Int32Array | null;
  readonly typeNames: readonly string[];
}

export interface BuildOptions {
  /** false: rows are undirected pairs. */
  readonly directed: boolean;
  /** false: every merged arc weighs 1 (duplicates collapse). */
  readonly weighted: boolean;
  readonly keepSelfLoops: boolean;
  /** Keep rows with from <= timestamp < to (ms). Rows without a timestamp are dropped by a window. */
  readonly window?: { readonly from?: number; readonly to?: number } | undefined;
  /** Keep only rows of these interaction types. */
  readonly types?: readonly string[] | undefined;
  /** Multiply row weights by a per-type factor; types not listed weigh 1. */
  readonly typeWeights?: Readonly<Record<string, number>> | undefined;
}

export const BUILD_DEFAULTS: BuildOptions = Object.freeze({ directed: true, weighted: true, keepSelfLoops: false });

export interface BuiltGraph extends CsrGraph {
  /** Whether weights are meaningful (false after `weighted: false`); drives the undirected view. */
  readonly weighted: boolean;
  /** Rows that passed the window/type filters. */
  readonly rowsKept: number;
}

export function buildGraph(cols: EdgeColumns, options: Partial<BuildOptions> = {}): BuiltGraph {
  const o: BuildOptions = { ...BUILD_DEFAULTS, ...options };
  const n = cols.nodeCount;
  const rows = cols.source.length;
  let { source: src, target: dst } = cols;
  let w: Float64Array | null = o.weighted ? cols.weight : null;

  const typeFactor = typeFactors(cols, o);
  const filtering = o.window !== undefined || o.types !== undefined;
  if (filtering || typeFactor !== null) {
    const keep = rowFilter(cols, o);
    let kept = 0;
    for (let i = 0; i < rows; i++) if (keep === null || keep[i]) kept++;
    const s = new Int32Array(kept), t = new Int32Array(kept);
    const ww = o.weighted && (w !== null || typeFactor !== null) ? new Float64Array(kept) : null;
    for (let i = 0, j = 0; i < rows; i++) {
      if (keep !== null && !keep[i]) continue;
      s[j] = src[i]!;
      t[j] = dst[i]!;
      if (ww !== null) {
        const ti = cols.type?.[i] ?? -1;
        ww[j] = (w === null ? 1 : w[i]!) * (typeFactor !== null && ti >= 0 ? typeFactor[ti]! : 1);
      }
      j++;
    }
    src = s;
    dst = t;
    w = ww;
  }
  const g = assemble(n, src, dst, w, !o.directed, o.keepSelfLoops, o.weighted);
  return { ...g, directed: o.directed, weighted: o.weighted, rowsKept: src.length };
}

const undirectedCache = new WeakMap<CsrGraph, BuiltGraph>();

/**
 * The undirected view of a graph: u->v and v->u merge into one edge whose weight is their sum
 * (1 when the graph is unweighted), as NetworkX `to_undirected` + summing and igraph
 * `as_undirected(combine_edges="sum")`. Built once per graph and cached.
 * Method: u's undirected row is the union of its out-row and in-row, both already sorted sets, so
 * a linear merge per node builds the view in O(n + m) with no temporaries beyond the output
 * (a kept self-loop u->u sits in both rows and is counted once).
 */
export function undirectedView(g: CsrGraph & { weighted?: boolean }): BuiltGraph {
  const weighted = g.weighted ?? g.outWeights !== null;
  if (!g.directed) return { ...g, weighted, rowsKept: g.m };
  const cached = undirectedCache.get(g);
  if (cached) return cached;
  const n = g.n;
  const { outOffsets: oo, outTargets: ot, outWeights: ow, inOffsets: io, inSources: is, inWeights: iw } = g;
  const offsets = sharedInt32(n + 1);
  let m = 0;
  for (let u = 0; u < n; u++) {
    offsets[u] = m;
    let a = oo[u]!, b = io[u]!;
    const ae = oo[u + 1]!, be = io[u + 1]!;
    while (a < ae || b < be) {
      const x = a < ae ? ot[a]! : 0x7fffffff, y = b < be ? is[b]! : 0x7fffffff;
      if (x <= y) a++;
      if (y <= x) b++;
      m++;
    }
  }
  offsets[n] = m;
  const targets = sharedInt32(m);
  const merged = weighted ? new Float64Array(m) : null;
  for (let u = 0, q = 0; u < n; u++) {
    let a = oo[u]!, b = io[u]!;
    const ae = oo[u + 1]!, be = io[u + 1]!;
    while (a < ae || b < be) {
      const x = a < ae ? ot[a]! : 0x7fffffff, y = b < be ? is[b]! : 0x7fffffff;
      let w = 0;
      if (x <= y) { w += ow === null ? 1 : ow[a]!; a++; }
      if (y <= x) {
        // A self-loop is the same arc seen from both sides: count it once.
        if (!(x === y && x === u)) w += iw === null ? 1 : iw[b]!;
        b++;
      }
      targets[q] = x < y ? x : y;
      if (merged !== null) merged[q] = w;
      q++;
    }
  }
  const weights = compactWeights(merged);
  let loops = 0;
  for (let u = 0; u < n; u++) for (let e = oo[u]!; e < oo[u + 1]!; e++) if (ot[e] === u) loops++;
  const view: BuiltGraph = {
    n, m, directed: false, weighted, rowsKept: g.m, outOffsets: offsets, outTargets: targets, outWeights: weights,
    inOffsets: offsets, inSources: targets, inWeights: weights, selfLoops: g.selfLoops, merged: 2 * g.m - loops - m,
  };
  undirectedCache.set(g, view);
  return view;
}

/**
 * The undirected neighbourhood of every node as the union of two sorted rows, a[u] ∪ b[u], for
 * kernels that need only topology (k-core, reach): on a directed graph they read its out- and
 * in-rows directly instead of materialising the view (4 to 8 B per arc more, which at tens of
 * millions of edges is the memory a ranking cannot spare). When the view is already built (or the
 * graph is undirected) `b` is empty and `a` is the view's rows. u appears in its own rows only
 * through a kept self-loop; v appears in both a[u] and b[u] when u and v interact both ways.
 */
export interface NeighbourRows {
  readonly n: number;
  readonly aOffsets: Int32Array;
  readonly aTargets: Int32Array;
  readonly bOffsets: Int32Array;
  readonly bTargets: Int32Array;
}

export function undirectedRows(g: CsrGraph): NeighbourRows {
  const single = !g.directed ? g : undirectedCache.get(g);
  if (single !== undefined) {
    return { n: g.n, aOffsets: single.outOffsets, aTargets: single.outTargets, bOffsets: new Int32Array(g.n + 1), bTargets: new Int32Array(0) };
  }
  return { n: g.n, aOffsets: g.outOffsets, aTargets: g.outTargets, bOffsets: g.inOffsets, bTargets: g.inSources };
}

interface Assembled {
  n: number;
  m: number;
  outOffsets: Int32Array;
  outTargets: Int32Array;
  outWeights: WeightArray | null;
  inOffsets: Int32Array;
  inSources: Int32Array;
  inWeights: WeightArray | null;
  selfLoops: number;
  merged: number;
}

function assemble(
  n: number, src: Int32Array, dst: Int32Array, w: Float64Array | null,
  symmetric: boolean, keepSelfLoops: boolean, weighted: boolean,
): Assembled {
  const rows = src.length;
  // Pass 1: count arcs per target (a symmetric row u-v is the two arcs u->v and v->u).
  const startT = new Float64Array(n + 1);
  let loops = 0;
  for (let i = 0; i < rows; i++) {
    const u = src[i]!, v = dst[i]!;
    if (u === v) {
      if (!keepSelfLoops) { loops++; continue; }
      startT[v + 1]!++;
      continue;
    }
    startT[v + 1]!++;
    if (symmetric) startT[u + 1]!++;
  }
  for (let v = 0; v < n; v++) startT[v + 1]! += startT[v]!;
  const arcs = startT[n]!;
  if (arcs > 0x7fffffff) {
    throw new SupernodeError('INPUT_TOO_LARGE', `graph has ${arcs} arcs; the engine holds at most 2^31-1 arcs per graph`);
  }
  // Scatter sources into target buckets: stable, so rows keep input order inside a bucket.
  const bySrc = new Int32Array(arcs);
  const byW = w === null ? null : new Float64Array(arcs);
  const posT = startT.slice(0, n);
  for (let i = 0; i < rows; i++) {
    const u = src[i]!, v = dst[i]!;
    if (u === v && !keepSelfLoops) continue;
    let p = posT[v]!++;
    bySrc[p] = u;
    if (byW !== null) byW[p] = w![i]!;
    if (symmetric && u !== v) {
      p = posT[u]!++;
      bySrc[p] = v;
      if (byW !== null) byW[p] = w![i]!;
    }
  }
  // Pass 2: stable counting sort by source, visiting targets in increasing order, gives every
  // source row sorted by target.
  const startS = new Int32Array(n + 1);
  for (let p = 0; p < arcs; p++) startS[bySrc[p]! + 1]!++;
  for (let u = 0; u < n; u++) startS[u + 1]! += startS[u]!;
  const sortedT = new Int32Array(arcs);
  const sortedW = byW === null ? null : new Float64Array(arcs);
  const posS = startS.slice(0, n);
  for (let v = 0; v < n; v++) {
    for (let p = startT[v]!, end = startT[v + 1]!; p < end; p++) {
      const q = posS[bySrc[p]!]!++;
      sortedT[q] = v;
      if (sortedW !== null) sortedW[q] = byW![p]!;
    }
  }
  // Merge parallel arcs (now adjacent). Weights are summed in float64.
  const outOffsets = sharedInt32(n + 1);
  let unique = 0;
  for (let u = 0; u < n; u++) {
    outOffsets[u] = unique;
    let prev = -1;
    for (let p = startS[u]!, end = startS[u + 1]!; p < end; p++) {
      if (sortedT[p] !== prev) { unique++; prev = sortedT[p]!; }
    }
  }
  outOffsets[n] = unique;
  const outTargets = sharedInt32(unique);
  const merged64 = weighted ? new Float64Array(unique) : null;
  for (let u = 0, q = -1; u < n; u++) {
    let prev = -1;
    for (let p = startS[u]!, end = startS[u + 1]!; p < end; p++) {
      const v = sortedT[p]!;
      const x = sortedW === null ? 1 : sortedW[p]!;
      if (v !== prev) { q++; outTargets[q] = v; prev = v; if (merged64 !== null) merged64[q] = x; }
      else if (merged64 !== null) merged64[q]! += x;
    }
  }
  const outWeights = compactWeights(merged64);
  const isSymmetric = symmetric;
  let inOffsets = outOffsets, inSources = outTargets, inWeights = outWeights;
  if (!isSymmetric) {
    inOffsets = sharedInt32(n + 1);
    for (let e = 0; e < unique; e++) inOffsets[outTargets[e]! + 1]!++;
    for (let v = 0; v < n; v++) inOffsets[v + 1]! += inOffsets[v]!;
    inSources = sharedInt32(unique);
    inWeights = outWeights === null ? null
      : outWeights instanceof Float32Array ? sharedFloat32(unique) : sharedFloat64(unique);
    const pos = inOffsets.slice(0, n);
    for (let u = 0; u < n; u++) {
      for (let e = outOffsets[u]!, end = outOffsets[u + 1]!; e < end; e++) {
        const p = pos[outTargets[e]!]!++;
        inSources[p] = u;
        if (inWeights !== null) inWeights[p] = outWeights![e]!;
      }
    }
  }
  return {
    n, m: unique, outOffsets, outTargets, outWeights, inOffsets, inSources, inWeights,
    selfLoops: loops, merged: arcs - unique,
  };
}

/** null when every weight is 1; float32 when that is exact for every weight; float64 otherwise. */
function compactWeights(w: Float64Array | null): WeightArray | null {
  if (w === null) return null;
  let allOne = true, f32 = true;
  for (let i = 0; i < w.length; i++) {
    const x = w[i]!;
    if (x !== 1) allOne = false;
    if (Math.fround(x) !== x) { f32 = false; break; }
  }
  if (allOne) return null;
  const out = f32 ? sharedFloat32(w.length) : sharedFloat64(w.length);
  out.set(w);
  return out;
}

function typeFactors(cols: EdgeColumns, o: BuildOptions): Float64Array | null {
  if (!o.typeWeights || cols.type === null) return null;
  const f = new Float64Array(cols.typeNames.length).fill(1);
  for (const [name, factor] of Object.entries(o.typeWeights)) {
    if (!Number.isFinite(factor) || factor < 0) {
      throw new SupernodeError('BAD_OPTION', `type weight for "${name}" must be a finite non-negative number, got ${factor}`);
    }
    const i = cols.typeNames.indexOf(name);
    if (i >= 0) f[i] = factor;
  }
  return f;
}

/** Rows kept by the window and type filters of `o` (null: every row), as buildGraph keeps them. */
export function rowFilter(cols: EdgeColumns, o: Pick<BuildOptions, 'window' | 'types'>): Uint8Array | null {
  if (o.window === undefined && o.types === undefined) return null;
  const rows = cols.source.length;
  const keep = new Uint8Array(rows).fill(1);
  if (o.window !== undefined) {
    const ts = cols.timestamp;
    if (ts === null) {
      throw new SupernodeError('BAD_OPTION', 'a time window needs a timestamp column (use --columns source,target,timestamp)');
    }
    const from = o.window.from ?? -Infinity, to = o.window.to ?? Infinity;
    for (let i = 0; i < rows; i++) {
      const t = ts[i]!;
      if (!(t >= from && t < to)) keep[i] = 0;
    }
  }
  if (o.types !== undefined) {
    const ty = cols.type;
    if (ty === null) {
      throw new SupernodeError('BAD_OPTION', 'an interaction-type filter needs a type column (use --columns source,target,type)');
    }
    const allowed = new Uint8Array(cols.typeNames.length);
    for (const name of o.types) {
      const i = cols.typeNames.indexOf(name);
      if (i >= 0) allowed[i] = 1;
    }
    for (let i = 0; i < rows; i++) {
      const t = ty[i]!;
      if (t < 0 || !allowed[t]) keep[i] = 0;
    }
  }
  return keep;
}
