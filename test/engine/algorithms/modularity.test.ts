import { describe, expect, it } from 'vitest';
import { buildGraph, undirectedView } from '../../../engine/graph/builder.js';
import type { CsrGraph } from '../../../engine/graph/csr.js';
import {
  ari, canonicalMembership, conductance, disconnectedCommunities, modularity, nmi,
} from '../../../engine/algorithms/modularity.js';
import { CASES, loadCase, readRef } from '../../helpers/reference.js';

/** Naive twin: Q = 1/2m sum_ij [A_ij - gamma k_i k_j / 2m] delta(c_i, c_j) on a dense matrix. */
function denseModularity(g: CsrGraph, memb: Int32Array, gamma = 1): number {
  const n = g.n;
  const A = Array.from({ length: n }, () => new Float64Array(n));
  for (let u = 0; u < n; u++) {
    for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) A[u]![g.outTargets[e]!]! += g.outWeights?.[e] ?? 1;
  }
  const k = A.map((row) => row.reduce((a, b) => a + b, 0));
  const m2 = k.reduce((a, b) => a + b, 0);
  let q = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (memb[i] === memb[j]) q += A[i]![j]! - (gamma * k[i]! * k[j]!) / m2;
  return q / m2;
}

/** Naive twins for NMI/ARI: contingency table keyed by string pairs. */
function naiveScores(a: Int32Array, b: Int32Array): { nmi: number; ari: number } {
  const n = a.length;
  const cell = new Map<string, number>(), ra = new Map<number, number>(), rb = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    cell.set(`${a[i]},${b[i]}`, (cell.get(`${a[i]},${b[i]}`) ?? 0) + 1);
    ra.set(a[i]!, (ra.get(a[i]!) ?? 0) + 1);
    rb.set(b[i]!, (rb.get(b[i]!) ?? 0) + 1);
  }
  const H = (m: Map<unknown, number>) => [...m.values()].reduce((h, c) => h - (c / n) * Math.log(c / n), 0);
  let I = 0;
  for (const [key, c] of cell) {
    const [x, y] = key.split(',').map(Number);
    I += (c / n) * Math.log((c * n) / (ra.get(x!)! * rb.get(y!)!));
  }
  const ha = H(ra), hb = H(rb);
  const C2 = (x: number) => (x * (x - 1)) / 2;
  const idx = [...cell.values()].reduce((s, c) => s + C2(c), 0);
  const sa = [...ra.values()].reduce((s, c) => s + C2(c), 0), sb = [...rb.values()].reduce((s, c) => s + C2(c), 0);
  const exp = (sa * sb) / C2(n);
  return { nmi: ha + hb === 0 ? 1 : (2 * I) / (ha + hb), ari: (idx - exp) / ((sa + sb) / 2 - exp) };
}

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

function randomGraph(seed: number, n: number, rows: number, directed: boolean, weighted: boolean) {
  const rnd = lcg(seed);
  const src = new Int32Array(rows), dst = new Int32Array(rows), w = new Float64Array(rows);
  for (let i = 0; i < rows; i++) { src[i] = Math.floor(rnd() * n); dst[i] = Math.floor(rnd() * n); w[i] = 1 + Math.floor(rnd() * 4); }
  return buildGraph({ nodeCount: n, source: src, target: dst, weight: w, timestamp: null, type: null, typeNames: [] }, { directed, weighted });
}

describe('modularity', () => {
  const algos = ['louvain', 'leiden', 'label_propagation', 'modularity_truth'];
  const rows = CASES.flatMap((c) => algos.filter((a) => readRef(c.name, a) !== null).map((a) => [c.name, a, c] as const));
  it.each(rows)('scores the %s %s reference partition as igraph does (1e-9)', (_, algo, c) => {
    const ref = readRef(c.name, algo)!;
    const loaded = loadCase(c);
    const memb = new Int32Array(loaded.graph.n);
    for (const [id, comm] of Object.entries(ref.result)) memb[loaded.index.get(id)!] = comm!;
    expect(Math.abs(modularity(undirectedView(loaded.graph), memb) - ref.extra.modularity!)).toBeLessThan(1e-9);
    // The scorer takes the undirected view itself when handed a directed graph.
    expect(Math.abs(modularity(loaded.graph, memb) - ref.extra.modularity!)).toBeLessThan(1e-9);
  });

  it.each([
    ['directed weighted', true, true], ['undirected unweighted', false, false], ['undirected weighted', false, true],
  ] as const)('equals the dense twin on a random %s graph at several resolutions', (_, directed, weighted) => {
    for (let seed = 1; seed <= 5; seed++) {
      const g = undirectedView(randomGraph(seed, 30, 90, directed, weighted));
      const rnd = lcg(seed * 7);
      const memb = Int32Array.from({ length: 30 }, () => Math.floor(rnd() * 5));
      for (const gamma of [0.5, 1, 2]) expect(modularity(g, memb, gamma)).toBeCloseTo(denseModularity(g, memb, gamma), 12);
    }
  });

  it('counts a kept self-loop as igraph does (2w to the degree, w inside)', () => {
    const g = buildGraph({ nodeCount: 3, source: Int32Array.of(0, 0, 1), target: Int32Array.of(0, 1, 2), weight: Float64Array.of(2, 1, 1), timestamp: null, type: null, typeNames: [] }, { directed: false, weighted: true, keepSelfLoops: true });
    // m = 4; k = [5, 2, 1]; one block: Q = 4/4 - 1 = 0; {0},{1,2}: (2/4 - (5/8)^2) + (1/4 - (3/8)^2).
    expect(modularity(g, Int32Array.of(0, 0, 0))).toBeCloseTo(0, 15);
    expect(modularity(g, Int32Array.of(0, 1, 1))).toBeCloseTo(0.5 - 25 / 64 + 0.25 - 9 / 64, 15);
  });

  it('conductance equals cut / min(vol, 2m - vol) computed naively', () => {
    const g = undirectedView(randomGraph(3, 25, 70, false, true));
    const memb = Int32Array.from({ length: 25 }, (_, i) => i % 4);
    const got = conductance(g, memb);
    for (let c = 0; c < 4; c++) {
      let cut = 0, vol = 0, total = 0;
      for (let u = 0; u < g.n; u++) {
        for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) {
          const x = g.outWeights?.[e] ?? 1;
          total += x;
          if (memb[u] === c) { vol += x; if (memb[g.outTargets[e]!] !== c) cut += x; }
        }
      }
      expect(got[c]).toBeCloseTo(cut / Math.min(vol, total - vol), 12);
    }
    expect(Number.isNaN(conductance(g, new Int32Array(25))[0])).toBe(true);
  });

  it('NMI and ARI equal their naive twins and are label-invariant', () => {
    const rnd = lcg(99);
    for (let t = 0; t < 20; t++) {
      const n = 10 + Math.floor(rnd() * 200);
      const a = Int32Array.from({ length: n }, () => Math.floor(rnd() * (1 + t % 7)));
      const b = Int32Array.from({ length: n }, (_, i) => (rnd() < 0.7 ? a[i]! * 3 + 5 : Math.floor(rnd() * 9)));
      const want = naiveScores(a, b);
      expect(nmi(a, b)).toBeCloseTo(want.nmi, 12);
      if (Number.isFinite(want.ari)) expect(ari(a, b)).toBeCloseTo(want.ari, 12);
    }
    const a = Int32Array.of(0, 0, 1, 1, 2, 2), perm = Int32Array.of(7, 7, 3, 3, 9, 9);
    expect(nmi(a, perm)).toBe(1);
    expect(ari(a, perm)).toBe(1);
    // sklearn: adjusted_rand_score([0,0,1,1],[0,0,1,2]) = 0.5714285714285715.
    expect(ari(Int32Array.of(0, 0, 1, 1), Int32Array.of(0, 0, 1, 2))).toBeCloseTo(0.5714285714285715, 15);
  });

  it('canonical labels follow the smallest node index; disconnected communities are found', () => {
    expect([...canonicalMembership(Int32Array.of(5, 5, 2, 9, 2))]).toEqual([0, 0, 1, 2, 1]);
    expect([...canonicalMembership(Int32Array.of(-3, 1e9, -3))]).toEqual([0, 1, 0]);
    // Path 0-1-2-3: {0,3} is disconnected, {1,2} connected.
    const g = buildGraph({ nodeCount: 4, source: Int32Array.of(0, 1, 2), target: Int32Array.of(1, 2, 3), weight: null, timestamp: null, type: null, typeNames: [] }, { directed: false, weighted: false });
    expect(disconnectedCommunities(g, Int32Array.of(0, 1, 1, 0))).toBe(1);
    expect(disconnectedCommunities(g, Int32Array.of(0, 0, 1, 1))).toBe(0);
  });
});
