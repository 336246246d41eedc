import { describe, expect, it } from 'vitest';
import { hits } from '../../../engine/algorithms/hits.js';
import { runAlgorithm } from '../../../engine/catalog/index.js';
import { CASES, loadCase, maxRelDiff, readRef } from '../../helpers/reference.js';
import { denseAdjacency, fromPairs, lcg, topEigenvectorSymmetric } from './_structure-graphs.js';

const sum = (x: ArrayLike<number>) => Array.from(x).reduce((s, y) => s + y, 0);

/** Twin: Jacobi eigenvectors of the dense A^T A (authorities) and A A^T (hubs), sum-normalised. */
function denseHits(a: number[][]): { hubs: number[]; authorities: number[] } {
  const n = a.length;
  const ata = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => a.reduce((s, r) => s + r[i]! * r[j]!, 0)));
  const aat = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => a[i]!.reduce((s, x, k) => s + x * a[j]![k]!, 0)));
  const norm = (v: number[]) => { const s = sum(v); return v.map((x) => x / s); };
  return { authorities: norm(topEigenvectorSymmetric(ata).vector), hubs: norm(topEigenvectorSymmetric(aat).vector) };
}

describe('hits', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('reproduces the reference on %s within 1e-6 of the top score', (_, c) => {
    const ref = readRef(c.name, 'hits')!;
    const loaded = loadCase(c);
    const r = hits(loaded.graph);
    expect(r.converged).toBe(true);
    expect(maxRelDiff(r.authorities, loaded, ref.result).diff).toBeLessThan(1e-6);
    expect(maxRelDiff(r.hubs, loaded, ref.extra.hubs!).diff).toBeLessThan(1e-6);
    expect(sum(r.authorities)).toBeCloseTo(1, 12);
    expect(sum(r.hubs)).toBeCloseTo(1, 12);
  });

  it.each([
    ['directed', true, true], ['directed unweighted', true, false],
    ['undirected', false, true], ['undirected unweighted', false, false],
  ] as const)('equals the dense eigen-solver twin on random connected %s graphs', (_, directed, weighted) => {
    for (let seed = 1; seed <= 6; seed++) {
      const rnd = lcg(seed);
      const n = 20 + 3 * seed;
      // A spanning cycle with chords: the principal singular value is simple.
      const pairs: [number, number, number][] = [];
      for (let i = 0; i < n; i++) pairs.push([i, (i + 1) % n, 1 + Math.floor(rnd() * 4)]);
      for (let i = 0; i < 3 * n; i++) pairs.push([Math.floor(rnd() * n), Math.floor(rnd() * n), 1 + Math.floor(rnd() * 4)]);
      const g = fromPairs(n, pairs, { directed, weighted });
      const r = hits(g);
      const want = denseHits(denseAdjacency(g));
      expect(r.converged).toBe(true);
      for (let i = 0; i < n; i++) {
        expect(r.authorities[i]).toBeCloseTo(want.authorities[i]!, 9);
        expect(r.hubs[i]).toBeCloseTo(want.hubs[i]!, 9);
        if (!directed) expect(r.hubs[i]).toBeCloseTo(r.authorities[i]!, 12);
      }
    }
  });

  it('converges on bipartite and periodic graphs (even cycle, complete bipartite, directed cycle)', () => {
    const c6 = hits(fromPairs(6, [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 0]], { directed: false, weighted: false }));
    expect(c6.converged).toBe(true);
    for (const x of c6.authorities) expect(x).toBeCloseTo(1 / 6, 12);
    // K_{2,3}, undirected: A^2 splits into one block per side with the same top eigenvalue 6, so
    // the principal eigenspace is 2-D; from the uniform start the iteration settles on the
    // degree-proportional vector (3/12 per two-side node, 2/12 per three-side node) at once.
    const k23 = hits(fromPairs(5, [[0, 2], [0, 3], [0, 4], [1, 2], [1, 3], [1, 4]], { directed: false, weighted: false }));
    expect(k23.converged).toBe(true);
    expect(k23.authorities[0]).toBeCloseTo(3 / 12, 12);
    expect(k23.authorities[2]).toBeCloseTo(2 / 12, 12);
    // Directed star: leaves are pure hubs, the centre the only authority.
    const star = hits(fromPairs(4, [[1, 0], [2, 0], [3, 0]], { directed: true, weighted: false }));
    expect([...star.authorities]).toEqual([1, 0, 0, 0]);
    expect([...star.hubs].map((x) => +x.toFixed(12))).toEqual([0, 1 / 3, 1 / 3, 1 / 3].map((x) => +x.toFixed(12)));
  });

  it('appears in the catalogue as hits-hub and hits-authority', () => {
    const g = fromPairs(4, [[1, 0], [2, 0], [3, 0], [1, 2]], { directed: true, weighted: true });
    const r = hits(g);
    const h = runAlgorithm('hits-hub', g, { seed: 1 }), a = runAlgorithm('hits-authority', g, { seed: 1 });
    expect(h.kind === 'values' && [...h.values]).toEqual([...r.hubs]);
    expect(a.kind === 'values' && [...a.values]).toEqual([...r.authorities]);
  });

  it('handles degenerate inputs: empty graph, one node, self-loops only (uniform, converged)', () => {
    expect(hits(fromPairs(0, [], { directed: true, weighted: false })).hubs.length).toBe(0);
    const one = hits(fromPairs(1, [], { directed: true, weighted: false }));
    expect([one.hubs[0], one.authorities[0], one.converged]).toEqual([1, 1, true]);
    const loops = hits(fromPairs(2, [[0, 0], [1, 1]], { directed: true, weighted: false }));
    expect([...loops.authorities]).toEqual([0.5, 0.5]);
    const zero = hits(fromPairs(3, [[0, 1, 0], [1, 2, 0]], { directed: true, weighted: true }));
    expect([...zero.hubs, zero.converged]).toEqual([1 / 3, 1 / 3, 1 / 3, true]);
  });

  it('stops with CANCELLED when asked to, and reports progress', () => {
    const g = fromPairs(3, [[0, 1], [1, 2]], { directed: true, weighted: false });
    expect(() => hits(g, {}, { shouldStop: () => true })).toThrow(expect.objectContaining({ code: 'CANCELLED' }));
    const seen: number[] = [];
    hits(g, {}, { onProgress: (f) => seen.push(f) });
    expect(seen.at(-1)).toBe(1);
  });
});
