import { describe, expect, it } from 'vitest';
import { corePeriphery } from '../../../engine/algorithms/core-periphery.js';
import type { CsrGraph } from '../../../engine/graph/csr.js';
import { arcs, fromPairs, lcg, randomGraph } from './_structure-graphs.js';

function dense(g: CsrGraph): number[][] {
  const a = Array.from({ length: g.n }, () => new Array<number>(g.n).fill(0));
  for (const [u, v] of arcs(g)) if (u !== v) { a[u]![v] = 1; a[v]![u] = 1; }
  return a;
}

/**
 * Naive twin by a different method: the minimum-residual rank-1 fit with the diagonal imputed
 * (Boyd, Fitzgerald & Beck 2006): put c_i^2 on the diagonal, take the leading eigenpair (lambda, v)
 * of the filled matrix by dense power iteration, set c = sqrt(lambda) v, repeat to a fixed point.
 */
function imputedFit(a: number[][]): number[] {
  const n = a.length;
  let c = new Array<number>(n).fill(1);
  for (let round = 0; round < 3000; round++) {
    let v = c.map((x) => x + 1e-3);
    let lambda = 0;
    for (let it = 0; it < 300; it++) {
      const w = v.map((_, i) => a[i]!.reduce((s, aij, j) => s + (i === j ? c[i]! * c[i]! : aij) * v[j]!, 0));
      const norm = Math.hypot(...w);
      if (norm === 0) return new Array<number>(n).fill(0);
      lambda = norm / Math.hypot(...v);
      v = w.map((x) => x / norm);
    }
    const next = v.map((x) => Math.sqrt(lambda) * Math.abs(x));
    const diff = Math.max(...next.map((x, i) => Math.abs(x - c[i]!)));
    c = next;
    if (diff < 1e-12) break;
  }
  const top = Math.max(...c);
  return c.map((x) => x / top);
}

/** Brute-force cut: phi of every prefix, recounted pair by pair. */
function bruteCut(a: number[][], scores: Float64Array): { k: number; phi: number } {
  const n = a.length;
  const order = [...Array(n).keys()].sort((x, y) => scores[y]! - scores[x]! || x - y);
  let best = { k: 0, phi: -Infinity };
  for (let k = 2; k <= n - 2; k++) {
    const inCore = new Set(order.slice(0, k));
    let n11 = 0, n10 = 0, n01 = 0, n00 = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const ci = inCore.has(i), cj = inCore.has(j);
        if (ci !== cj) continue;
        const x = ci ? 1 : 0, y = a[i]![j]!;
        if (x && y) n11++; else if (x) n10++; else if (y) n01++; else n00++;
      }
    }
    const den = (n11 + n10) * (n01 + n00) * (n11 + n01) * (n10 + n00);
    const phi = den > 0 ? (n11 * n00 - n10 * n01) / Math.sqrt(den) : -Infinity;
    if (phi > best.phi) best = { k, phi };
  }
  return best;
}

describe('core-periphery (Borgatti-Everett continuous model)', () => {
  it('equals the diagonal-imputation fit and the brute-force cut on random graphs', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const n = 18 + 2 * seed;
      // Connected enough that the fit has one leading component.
      const g = randomGraph(n, 4 * n, seed, { directed: seed % 2 === 0, weighted: true });
      const r = corePeriphery(g);
      expect(r.converged).toBe(true);
      const a = dense(g);
      const want = imputedFit(a);
      for (let i = 0; i < n; i++) expect(r.scores[i]).toBeCloseTo(want[i]!, 6);
      const cut = bruteCut(a, r.scores);
      expect(r.coreSize).toBe(cut.k);
      expect(r.fit).toBeCloseTo(cut.phi, 12);
    }
  });

  it('finds a planted core: 15 members tied densely, 120 tied to the core and rarely to each other', () => {
    const rnd = lcg(11);
    const pairs: [number, number][] = [];
    const K = 15, P = 120;
    for (let i = 0; i < K + P; i++) {
      for (let j = i + 1; j < K + P; j++) {
        const p = j < K ? 0.8 : i < K ? 0.15 : 0.01;
        if (rnd() < p) pairs.push([i, j]);
      }
    }
    const r = corePeriphery(fromPairs(K + P, pairs, { directed: false, weighted: false }));
    const found = [...r.core.keys()].filter((i) => r.core[i] === 1);
    const hits = found.filter((i) => i < K).length;
    expect(hits).toBeGreaterThanOrEqual(14);
    expect(found.length - hits).toBeLessThanOrEqual(2);
    expect(r.fit!).toBeGreaterThan(0.5);
    // Every planted core member scores above every peripheral one but a few.
    const minCore = Math.min(...[...r.scores.slice(0, K)]);
    expect([...r.scores.slice(K)].filter((x) => x > minCore).length).toBeLessThanOrEqual(2);
  });

  it('puts a star\'s hub first with its leaves far below (the fit has no finite optimum there: it wants c_hub c_leaf = 1 and c_leaf c_leaf = 0)', () => {
    const pairs: [number, number][] = Array.from({ length: 30 }, (_, i) => [0, i + 1]);
    const r = corePeriphery(fromPairs(31, pairs, { directed: false, weighted: false }), { maxIterations: 200 });
    expect(r.iterations).toBe(200);
    expect(r.scores[0]).toBe(1);
    expect(Math.max(...r.scores.slice(1))).toBeLessThan(0.2);
    // Edgeless: every score 0, no cut.
    const none = corePeriphery(fromPairs(5, [], { directed: false, weighted: false }));
    expect([...none.scores]).toEqual([0, 0, 0, 0, 0]);
    expect(none.coreSize).toBe(0);
  });
});
