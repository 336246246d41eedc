import { describe, expect, it } from 'vitest';
import { eigenvector } from '../../../engine/algorithms/eigenvector.js';
import { runAlgorithm } from '../../../engine/catalog/index.js';
import { CASES, loadCase, maxRelDiff, readRef } from '../../helpers/reference.js';
import { denseAdjacency, fromPairs, lcg, topEigenvectorSymmetric } from './_structure-graphs.js';

/** Twin for directed graphs: dense power iteration on (A^T + I) with a fixed, generous count. */
function densePower(a: number[][], iters = 4000): number[] {
  const n = a.length;
  let x = new Array<number>(n).fill(1);
  for (let it = 0; it < iters; it++) {
    const y = x.map((xv, v) => xv + a.reduce((s, row, u) => s + row[v]! * x[u]!, 0));
    const norm = Math.hypot(...y);
    x = y.map((t) => t / norm);
  }
  return x;
}

function randomConnected(seed: number, directed: boolean, weighted: boolean) {
  const rnd = lcg(seed);
  const n = 20 + 3 * seed;
  // A spanning cycle keeps the graph strongly connected, so the Perron vector is unique and positive.
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < n; i++) pairs.push([i, (i + 1) % n, 1 + Math.floor(rnd() * 4)]);
  for (let i = 0; i < 3 * n; i++) pairs.push([Math.floor(rnd() * n), Math.floor(rnd() * n), 1 + Math.floor(rnd() * 4)]);
  return fromPairs(n, pairs, { directed, weighted });
}

describe('eigenvector', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('reproduces the reference on %s within 1e-6 of the top score', (_, c) => {
    const ref = readRef(c.name, 'eigenvector')!;
    const loaded = loadCase(c);
    const r = eigenvector(loaded.graph);
    expect(r.converged).toBe(true);
    expect(maxRelDiff(r.scores, loaded, ref.result).diff).toBeLessThan(1e-6);
    expect(Math.hypot(...r.scores)).toBeCloseTo(1, 12);
  });

  it.each([['weighted', true], ['unweighted', false]] as const)(
    'equals the Jacobi eigenvector of A on random connected undirected %s graphs', (_, weighted) => {
      for (let seed = 1; seed <= 6; seed++) {
        const g = randomConnected(seed, false, weighted);
        const want = topEigenvectorSymmetric(denseAdjacency(g)).vector;
        const got = eigenvector(g);
        expect(got.converged).toBe(true);
        for (let i = 0; i < g.n; i++) expect(got.scores[i]).toBeCloseTo(want[i]!, 9);
      }
    });

  it.each([['weighted', true], ['unweighted', false]] as const)(
    'equals dense power iteration and solves A^T x = lambda x on random strongly connected directed %s graphs', (_, weighted) => {
      for (let seed = 1; seed <= 6; seed++) {
        const g = randomConnected(seed, true, weighted);
        const a = denseAdjacency(g);
        const want = densePower(a);
        const x = eigenvector(g).scores;
        for (let i = 0; i < g.n; i++) expect(x[i]).toBeCloseTo(want[i]!, 9);
        // In-edge convention: (A^T x)_v = sum_u a[u][v] x_u.
        const ax = want.map((_, v) => a.reduce((s, row, u) => s + row[v]! * x[u]!, 0));
        const lambda = ax.reduce((s, y, v) => s + y * x[v]!, 0);
        for (let v = 0; v < g.n; v++) expect(ax[v]).toBeCloseTo(lambda * x[v]!, 8);
      }
    });

  it('follows in-edges: members acted on by central members score, pure actors score 0', () => {
    // 1 <-> 2 is the only cycle; 0 only acts (0 -> 1), 3 only receives (2 -> 3).
    const r = eigenvector(fromPairs(4, [[0, 1], [1, 2], [2, 1], [2, 3]], { directed: true, weighted: false }));
    expect(r.converged).toBe(true);
    expect(r.scores[0]).toBeLessThan(1e-9);
    expect(r.scores[1]).toBeCloseTo(r.scores[2]!, 6);
    expect(r.scores[3]).toBeCloseTo(r.scores[2]!, 6);
  });

  it('converges on bipartite graphs where unshifted power iteration oscillates (star, even cycle)', () => {
    const k = 8;
    const star = eigenvector(fromPairs(k + 1, Array.from({ length: k }, (_, i) => [0, i + 1] as [number, number]), { directed: false, weighted: false }));
    expect(star.converged).toBe(true);
    expect(star.scores[0]).toBeCloseTo(Math.SQRT1_2, 9);
    for (let i = 1; i <= k; i++) expect(star.scores[i]).toBeCloseTo(1 / Math.sqrt(2 * k), 9);
    const c6 = eigenvector(fromPairs(6, [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 0]], { directed: false, weighted: false }));
    for (const x of c6.scores) expect(x).toBeCloseTo(1 / Math.sqrt(6), 12);
  });

  it('appears in the catalogue and honours tolerance / maxIterations', () => {
    const g = randomConnected(2, true, true);
    const out = runAlgorithm('eigenvector', g, { seed: 1 });
    expect(out.kind === 'values' && out.diagnostics['converged']).toBe(true);
    const capped = runAlgorithm('eigenvector', g, { seed: 1, maxIterations: 2 });
    expect(capped.diagnostics['iterations']).toBe(2);
    expect(capped.diagnostics['converged']).toBe(false);
  });

  it('handles degenerate inputs: empty graph, one node, self-loops only (uniform unit vector)', () => {
    expect(eigenvector(fromPairs(0, [], { directed: true, weighted: false })).scores.length).toBe(0);
    expect([...eigenvector(fromPairs(1, [], { directed: true, weighted: false })).scores]).toEqual([1]);
    const loops = eigenvector(fromPairs(4, [[0, 0], [1, 1]], { directed: false, weighted: false }));
    expect(loops.converged).toBe(true);
    for (const x of loops.scores) expect(x).toBeCloseTo(0.5, 15);
  });
});
