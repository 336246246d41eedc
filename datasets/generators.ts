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
