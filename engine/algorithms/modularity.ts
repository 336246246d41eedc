/**
 * Partition quality: modularity, per-community conductance, and agreement between two
 * partitions (normalised mutual information, adjusted Rand index), plus the partition helpers
 * every community kernel shares (canonical relabelling, connectivity check).
 *
 * Modularity (Newman & Girvan, Phys. Rev. E 69, 026113, 2004; resolution as Reichardt &
 * Bornholdt, Phys. Rev. E 74, 016110, 2006) on the undirected weighted view:
 *   Q = sum_c [ in_c / m - gamma * (tot_c / 2m)^2 ]
 * where m is the total edge weight (each undirected edge once), in_c the weight of edges inside
 * c (once) and tot_c the summed strength of c's members. A self-loop of weight w adds w to m and
 * to in_c and 2w to its node's strength (the NetworkX/igraph convention); graphs built by the
 * builder have none, aggregate graphs inside Louvain/Leiden keep them separately.
 * Conductance of c: cut_c / min(vol_c, 2m - vol_c) (Kannan, Vempala, Vetta 2004), NaN when the
 * denominator is 0 (an isolated community or one holding all the weight), as NetworkX raises.
 * NMI: 2 I(A;B) / (H(A) + H(B)) (Danon et al. 2005; sklearn's "arithmetic", igraph "nmi");
 * 1 when both partitions are a single block. ARI: Hubert & Arabie 1985.
 * Complexity: O(n + m) for modularity and conductance, O(n + ka + kb) for NMI/ARI (the
 * contingency table is built by two counting sorts, never by string keys).
 */
import { undirectedView } from '../graph/builder.js';
import type { CsrGraph } from '../graph/csr.js';

function undirected(g: CsrGraph): CsrGraph {
  return g.directed ? undirectedView(g) : g;
}

/** Number of blocks, i.e. 1 + the largest label (labels are expected to be 0..k-1). */
export function communityCount(membership: Int32Array): number {
  let k = 0;
  for (let i = 0; i < membership.length; i++) if (membership[i]! + 1 > k) k = membership[i]! + 1;
  return k;
}

/** Modularity of `membership` on the undirected view of `g`. 0 when the graph has no weight. */
export function modularity(g: CsrGraph, membership: Int32Array, resolution = 1): number {
  const u = undirected(g);
  const k = communityCount(membership);
  const inW = new Float64Array(k), tot = new Float64Array(k);
  const { outOffsets: off, outTargets: tgt, outWeights: w } = u;
  let m2 = 0;
  for (let a = 0; a < u.n; a++) {
    const ca = membership[a]!;
    for (let e = off[a]!, end = off[a + 1]!; e < end; e++) {
      const b = tgt[e]!;
      const x = w === null ? 1 : w[e]!;
      // Symmetric storage: every non-loop edge is seen from both ends, a loop once.
      const arcW = b === a ? 2 * x : x;
      tot[ca]! += arcW;
      m2 += arcW;
      if (membership[b] === ca) inW[ca]! += arcW;
    }
  }
  if (m2 === 0) return 0;
  let q = 0;
  for (let c = 0; c < k; c++) q += inW[c]! / m2 - resolution * (tot[c]! / m2) ** 2;
  return q;
}

/** Conductance per community id (NaN when min(vol, 2m - vol) is 0). */
export function conductance(g: CsrGraph, membership: Int32Array): Float64Array {
  const u = undirected(g);
  const k = communityCount(membership);
  const vol = new Float64Array(k), cut = new Float64Array(k);
  const { outOffsets: off, outTargets: tgt, outWeights: w } = u;
  let m2 = 0;
  for (let a = 0; a < u.n; a++) {
    const ca = membership[a]!;
    for (let e = off[a]!, end = off[a + 1]!; e < end; e++) {
      const b = tgt[e]!;
      const x = w === null ? 1 : w[e]!;
      const arcW = b === a ? 2 * x : x;
      vol[ca]! += arcW;
      m2 += arcW;
      if (membership[b] !== ca) cut[ca]! += x;
    }
  }
  const out = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    const d = Math.min(vol[c]!, m2 - vol[c]!);
    out[c] = d > 0 ? cut[c]! / d : NaN;
  }
  return out;
}

/** Relabels to 0..k-1 in order of each block's smallest node index (the reference convention). */
export function canonicalMembership(membership: Int32Array): Int32Array {
  const n = membership.length;
  const out = new Int32Array(n);
  let lo = 0, hi = -1;
  for (let i = 0; i < n; i++) { const c = membership[i]!; if (c < lo) lo = c; if (c > hi) hi = c; }
  if (lo >= 0 && hi < 4 * n + 16) {
    const map = new Int32Array(hi + 1).fill(-1);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const c = membership[i]!;
      if (map[c] === -1) map[c] = k++;
      out[i] = map[c]!;
    }
    return out;
  }
  const map = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const c = membership[i]!;
    let r = map.get(c);
    if (r === undefined) { r = map.size; map.set(c, r); }
    out[i] = r;
  }
  return out;
}

/**
 * Communities whose members do not form one connected subgraph (BFS restricted to the community).
 * Leiden must return 0 here; Louvain may not.
 */
export function disconnectedCommunities(g: CsrGraph, membership: Int32Array): number {
  const u = undirected(g);
  const n = u.n;
  const k = communityCount(membership);
  const seen = new Uint8Array(n), started = new Uint8Array(k);
  const queue = new Int32Array(n);
  let bad = 0;
  for (let s = 0; s < n; s++) {
    if (seen[s]) continue;
    const c = membership[s]!;
    if (started[c]) { bad++; started[c] = 2; continue; }
    started[c] = 1;
    let head = 0, tail = 0;
    queue[tail++] = s;
    seen[s] = 1;
    while (head < tail) {
      const a = queue[head++]!;
      for (let e = u.outOffsets[a]!, end = u.outOffsets[a + 1]!; e < end; e++) {
        const b = u.outTargets[e]!;
        if (!seen[b] && membership[b] === c) { seen[b] = 1; queue[tail++] = b; }
      }
    }
  }
  // `bad` counts extra components; report communities instead.
  let communities = 0;
  for (let c = 0; c < k; c++) if (started[c] === 2) communities++;
  return bad === 0 ? 0 : communities;
}

interface Contingency {
  n: number;
  rows: Float64Array; // block sizes of a
  cols: Float64Array; // block sizes of b
  cells: Float64Array; // non-zero cell counts
}

function contingency(a: Int32Array, b: Int32Array): Contingency {
  if (a.length !== b.length) throw new RangeError('partitions must cover the same nodes');
  const n = a.length;
  const ca = canonicalMembership(a), cb = canonicalMembership(b);
  const ka = communityCount(ca), kb = communityCount(cb);
  const rows = new Float64Array(ka), cols = new Float64Array(kb);
  for (let i = 0; i < n; i++) { rows[ca[i]!]!++; cols[cb[i]!]!++; }
  // Counting sort by b, then stable by a: equal (a, b) pairs become adjacent.
  const startB = new Int32Array(kb + 1);
  for (let i = 0; i < n; i++) startB[cb[i]! + 1]!++;
  for (let c = 0; c < kb; c++) startB[c + 1]! += startB[c]!;
  const byB = new Int32Array(n);
  for (let i = 0; i < n; i++) byB[startB[cb[i]!]!++] = i;
  const startA = new Int32Array(ka + 1);
  for (let i = 0; i < n; i++) startA[ca[i]! + 1]!++;
  for (let c = 0; c < ka; c++) startA[c + 1]! += startA[c]!;
  const sorted = new Int32Array(n);
  for (let p = 0; p < n; p++) { const i = byB[p]!; sorted[startA[ca[i]!]!++] = i; }
  const cells: number[] = [];
  for (let p = 0; p < n;) {
    const i = sorted[p]!;
    let q = p + 1;
    while (q < n && ca[sorted[q]!] === ca[i] && cb[sorted[q]!] === cb[i]) q++;
    cells.push(q - p);
    p = q;
  }
  return { n, rows, cols, cells: Float64Array.from(cells) };
}

function entropy(counts: Float64Array, n: number): number {
  let h = 0;
  for (let i = 0; i < counts.length; i++) {
    const p = counts[i]! / n;
    if (p > 0) h -= p * Math.log(p);
  }
  return h;
}

/** Normalised mutual information 2I/(H(a)+H(b)) between two partitions of the same nodes. */
export function nmi(a: Int32Array, b: Int32Array): number {
  const t = contingency(a, b);
  if (t.n === 0) return 1;
  const ha = entropy(t.rows, t.n), hb = entropy(t.cols, t.n);
  if (ha + hb === 0) return 1;
  // I = H(a) + H(b) - H(a, b): the joint entropy needs only the non-zero cells.
  const i = ha + hb - entropy(t.cells, t.n);
  return Math.max(0, Math.min(1, (2 * i) / (ha + hb)));
}

/** Adjusted Rand index between two partitions of the same nodes (1 = identical). */
export function ari(a: Int32Array, b: Int32Array): number {
  const t = contingency(a, b);
  const pairs = (x: number) => (x * (x - 1)) / 2;
  let index = 0, sa = 0, sb = 0;
  for (let i = 0; i < t.cells.length; i++) index += pairs(t.cells[i]!);
  for (let i = 0; i < t.rows.length; i++) sa += pairs(t.rows[i]!);
  for (let i = 0; i < t.cols.length; i++) sb += pairs(t.cols[i]!);
  const total = pairs(t.n);
  if (total === 0) return 1;
  const expected = (sa * sb) / total;
  const max = (sa + sb) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}
