import { describe, expect, it } from 'vitest';
import type { BuiltGraph } from '../../../engine/graph/builder.js';
import { closeness, closenessRange } from '../../../engine/algorithms/closeness.js';
import { getAlgorithm } from '../../../engine/catalog/index.js';
import { graph, randomGraph, hopDistances } from '../../helpers/graphs.js';
import { CASES, loadCase, maxRelDiff, readRef } from '../../helpers/reference.js';

/** Naive twin: Floyd-Warshall distances d[v][u], then the NetworkX formula read off the matrix. */
function naiveCloseness(g: BuiltGraph): Float64Array {
  const n = g.n;
  const d = hopDistances(g);
  const c = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    let r = 0, total = 0;
    for (let v = 0; v < n; v++) if (d[v]![u]! < Infinity) { r++; total += d[v]![u]!; }
    c[u] = total > 0 && n > 1 ? ((r - 1) / total) * ((r - 1) / (n - 1)) : 0;
  }
  return c;
}

describe('closeness', () => {
  const withRef = CASES.filter((c) => readRef(c.name, 'closeness') !== null);
  it.each(withRef.map((c) => [c.name, c] as const))('reproduces the reference on %s within 1e-9 of the top score', (_, c) => {
    const ref = readRef(c.name, 'closeness')!;
    const loaded = loadCase(c);
    expect(maxRelDiff(closeness(loaded.graph).scores, loaded, ref.result as Record<string, number>).diff).toBeLessThan(1e-9);
  });

  it.each([['directed', true], ['undirected', false]] as const)('equals the Floyd-Warshall twin on random %s graphs', (_, directed) => {
    for (let k = 0; k < 6; k++) {
      const n = 25 + k;
      const g = randomGraph(77 + k, n, k % 2 === 0 ? n : 3 * n, directed);
      const want = naiveCloseness(g), got = closeness(g).scores;
      for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(want[i]!, 14);
    }
  });

  it('uses incoming distances on directed graphs', () => {
    // 0 -> 1 -> 2: node 2 is reached by 0 (2 hops) and 1 (1 hop); node 0 by nobody.
    const s = closeness(graph(3, [0, 1], [1, 2], true)).scores;
    expect([...s]).toEqual([0, (1 / 1) * (1 / 2), (2 / 3) * (2 / 2)]);
  });

  it('degenerate inputs: empty, one node, isolated nodes, disconnected parts', () => {
    expect(closeness(graph(0, [], [], false)).scores.length).toBe(0);
    expect([...closeness(graph(1, [], [], false)).scores]).toEqual([0]);
    // Edge 0-1 plus isolated 2: r = 2, sum 1, factor 1/2.
    expect([...closeness(graph(3, [0], [1], false)).scores]).toEqual([0.5, 0.5, 0]);
  });

  it('a star with 1M leaves and a 1M-node path over node ranges match the closed forms', () => {
    const n = 1_000_001;
    const leaves = Int32Array.from({ length: n - 1 }, (_, i) => i + 1);
    const star = graph(n, new Int32Array(n - 1), leaves, false);
    const s = closenessRange(star, 0, 3);
    expect(s[0]).toBe(1);
    // A leaf: the centre at 1 hop, n - 2 leaves at 2 hops.
    expect(s[1]).toBeCloseTo((n - 1) / (1 + 2 * (n - 2)), 15);
    expect(s[3]).toBe(0); // outside the range
    const m = 1_000_000;
    const src = Int32Array.from({ length: m - 1 }, (_, i) => i);
    const path = graph(m, src, src.map((i) => i + 1), false);
    const w = 123_456;
    const p = closenessRange(path, w, w + 1);
    // Sum of distances: w(w+1)/2 to the left, (m-1-w)(m-w)/2 to the right.
    expect(p[w]).toBeCloseTo((m - 1) / ((w * (w + 1)) / 2 + ((m - 1 - w) * (m - w)) / 2), 15);
  });

  it('catalogue split over ranges equals run', () => {
    const g = randomGraph(4, 80, 240, true);
    const spec = getAlgorithm('closeness');
    const total = new Float64Array(g.n);
    for (const [a, b] of [[0, 33], [33, 80]] as const) {
      const p = spec.split!.partial(g, { seed: 1 }, a, b);
      for (let i = 0; i < g.n; i++) total[i]! += p[i]!;
    }
    const run = spec.run(g, { seed: 1 }), fin = spec.split!.finish(g, total, { seed: 1 }, 0);
    if (run.kind !== 'values' || fin.kind !== 'values') throw new Error('expected values');
    expect(fin.values).toEqual(run.values);
  });

  it('cancels through the run control', () => {
    const g = randomGraph(3, 300, 900, false);
    expect(() => closeness(g, { shouldStop: () => true })).toThrow(expect.objectContaining({ code: 'CANCELLED' }));
  });
});
