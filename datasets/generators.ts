/**
 * Seeded synthetic graphs for tests and benchmarks (real datasets live beside this file).
 * Every generator is a pure function of its options: the same seed gives the same edges.
 */
import { createRngU32 } from '../engine/algorithms/random.js';

export interface GeneratedEdges {
  readonly n: number;
  readonly source: Int32Array;
  readonly target: Int32Array;
}

export interface RmatOptions {
  /** n = 2^scale nodes. */
  readonly scale: number;
  /** rows = edgeFactor * n (duplicates and self-loops included, as Graph500 generates them). */
  readonly edgeFactor: number;
  readonly seed: number;
  /** Quadrant probabilities; Graph500 defaults a=0.57, b=0.19, c=0.19 (d = rest). */
  readonly a?: number;
  readonly b?: number;
  readonly c?: number;
}

/**
 * R-MAT (Chakrabarti, Zhan, Faloutsos, SDM 2004) with Graph500 parameters: skewed degrees like
 * social graphs. Node ids are scrambled by a fixed multiplicative permutation so hubs are not all
 * at low indices (which would flatter cache behaviour).
 */
export function rmat(o: RmatOptions): GeneratedEdges {
  const n = 2 ** o.scale;
  const rows = Math.round(o.edgeFactor * n);
  const a = o.a ?? 0.57, b = o.b ?? 0.19, c = o.c ?? 0.19;
  const ta = Math.floor(a * 4294967296), tb = Math.floor((a + b) * 4294967296), tc = Math.floor((a + b + c) * 4294967296);
  const next = createRngU32(o.seed);
  const source = new Int32Array(rows), target = new Int32Array(rows);
  const mask = n - 1;
  // Odd multiplier: a bijection on [0, 2^scale).
  const perm = (x: number) => (Math.imul(x, 0x2545f491) >>> 0) & mask;
  for (let i = 0; i < rows; i++) {
    let u = 0, v = 0;
    for (let bit = o.scale - 1; bit >= 0; bit--) {
      const r = next();
      if (r < ta) { /* top-left */ } else if (r < tb) v |= 1 << bit;
      else if (r < tc) u |= 1 << bit;
      else { u |= 1 << bit; v |= 1 << bit; }
    }
    source[i] = perm(u);
    target[i] = perm(v);
  }
  return { n, source, target };
}

/** Erdos-Renyi G(n, m) rows (uniform random pairs, duplicates possible). */
export function uniformRandom(n: number, rows: number, seed: number): GeneratedEdges {
  const next = createRngU32(seed);
  const source = new Int32Array(rows), target = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    source[i] = Math.floor((next() / 4294967296) * n);
    target[i] = Math.floor((next() / 4294967296) * n);
  }
  return { n, source, target };
}

export interface PlantedPartitionOptions {
  readonly n: number;
  /** Average degree (each node emits about avgDegree / 2 edges; the other half it receives). */
  readonly avgDegree: number;
  /** mu: expected fraction of a node's edges that leave its community (LFR's mixing parameter). */
  readonly mixing: number;
  readonly seed: number;
  /** Community sizes are drawn from a power law with this exponent (LFR tau2); 0 = equal sizes. */
  readonly sizeExponent?: number;
  readonly minCommunity?: number;
  readonly maxCommunity?: number;
  /** Node degrees follow a power law with this exponent (LFR tau1); 0 = all about avgDegree. */
  readonly degreeExponent?: number;
}

export interface PlantedPartition extends GeneratedEdges {
  /** Planted community per node (0..k-1, in order of the smallest node index). */
  readonly membership: Int32Array;
  readonly communities: number;
}

/**
 * An LFR-like planted partition (after Lancichinetti, Fortunato, Radicchi, Phys. Rev. E 78, 046110,
 * 2008), built in O(rows) for benchmark sizes: community sizes from a truncated power law
 * (tau2, default 1.5, sizes 20..100 scaled as LFR's small-community setting) or equal, node degrees
 * from a truncated power law (tau1, default 2.5, max 10 x average) or constant, and every edge
 * stub a node emits lands inside its own community with probability 1 - mixing, otherwise on a
 * uniform node of another community. Unlike LFR, degrees are matched only in expectation and
 * duplicate pairs are possible (the builder merges them); the planted split is recoverable for
 * mixing well below 0.5, which is what the tests and benchmarks need.
 * Node ids are a seeded random permutation so communities are not contiguous index ranges.
 */
export function plantedPartition(o: PlantedPartitionOptions): PlantedPartition {
  const next = createRngU32(o.seed);
  const rnd = () => next() / 4294967296;
  const n = o.n;
  const tau2 = o.sizeExponent ?? 1.5, tau1 = o.degreeExponent ?? 2.5;
  const minC = Math.min(n, o.minCommunity ?? 20), maxC = Math.min(n, Math.max(minC, o.maxCommunity ?? 100));
  // Community sizes until n nodes are covered; the last one absorbs the remainder.
  const sizes: number[] = [];
  let covered = 0;
  while (covered < n) {
    let s: number;
    if (tau2 === 0 || minC === maxC) s = minC;
    else {
      // Inverse CDF of a continuous power law on [minC, maxC].
      const a = 1 - tau2, lo = minC ** a, hi = (maxC + 1) ** a;
      s = Math.floor((lo + rnd() * (hi - lo)) ** (1 / a));
    }
    s = Math.min(s, n - covered);
    if (n - covered - s > 0 && n - covered - s < minC) s = n - covered;
    sizes.push(s);
    covered += s;
  }
  const k = sizes.length;
  const start = new Int32Array(k + 1);
  for (let c = 0; c < k; c++) start[c + 1] = start[c]! + sizes[c]!;
  // perm[slot] = node id; slot order groups communities, node ids are shuffled.
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = perm[i]!; perm[i] = perm[j]!; perm[j] = t;
  }
  const comm = new Int32Array(n);
  for (let c = 0; c < k; c++) for (let p = start[c]!; p < start[c + 1]!; p++) comm[perm[p]!] = c;
  // Stubs per node: half the degree, rounded stochastically so the average is exact in expectation.
  const half = o.avgDegree / 2;
  const stubs = new Int32Array(n);
  let rows = 0;
  const maxD = 10 * half;
  const xmin = tau1 === 0 ? half : (half * (tau1 - 2)) / (tau1 - 1);
  for (let v = 0; v < n; v++) {
    let d = half;
    if (tau1 !== 0) {
      do d = xmin * (1 - rnd()) ** (-1 / (tau1 - 1)); while (d > maxD);
    }
    const s = Math.floor(d) + (rnd() < d - Math.floor(d) ? 1 : 0);
    stubs[v] = s;
    rows += s;
  }
  const source = new Int32Array(rows), target = new Int32Array(rows);
  let r = 0;
  for (let v = 0; v < n; v++) {
    const c = comm[v]!, lo = start[c]!, size = sizes[c]!;
    for (let s = 0; s < stubs[v]!; s++) {
      let u: number;
      if (k === 1 || rnd() >= o.mixing) {
        do u = perm[lo + Math.floor(rnd() * size)]!; while (u === v && size > 1);
      } else {
        do u = Math.floor(rnd() * n); while (comm[u] === c);
      }
      source[r] = v;
      target[r++] = u;
    }
  }
  // Canonical labels: 0..k-1 by smallest node index, as every partition in the engine.
  const map = new Int32Array(k).fill(-1);
  const membership = new Int32Array(n);
  let next2 = 0;
  for (let v = 0; v < n; v++) {
    const c = comm[v]!;
    if (map[c] === -1) map[c] = next2++;
    membership[v] = map[c]!;
  }
  return { n, source, target, membership, communities: k };
}
