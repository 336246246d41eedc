import { describe, expect, it } from 'vitest';
import type { BuiltGraph } from '../../../engine/graph/builder.js';
import { harmonic, harmonicRange } from '../../../engine/algorithms/harmonic.js';
import { getAlgorithm } from '../../../engine/catalog/index.js';
import { graph, randomGraph, hopDistances } from '../../helpers/graphs.js';
import { CASES, loadCase, maxRelDiff, readRef } from '../../helpers/reference.js';

/** Naive twin: Floyd-Warshall distances, then sum of 1/d(v,u) over the matrix column. */
function naiveHarmonic(g: BuiltGraph): Float64Array {
  const n = g.n;
  const d = hopDistances(g);
  const h = new Float64Array(n);
  for (let u = 0; u < n; u++) for (let v = 0; v < n; v++) if (v !== u) h[u]! += 1 / d[v]![u]!;
  return h;
}

const harmonicNumber = (k: number) => { let s = 0; for (let i = k; i >= 1; i--) s += 1 / i; return s; };

describe('harmonic', () => {
  const withRef = CASES.filter((c) => readRef(c.name, 'harmonic') !== null);
  it.each(withRef.map((c) => [c.name, c] as const))('reproduces the reference on %s within 1e-9 of the top score', (_, c) => {
    const ref = readRef(c.name, 'harmonic')!;
    const loaded = loadCase(c);
    expect(maxRelDiff(harmonic(loaded.graph).scores, loaded, ref.result as Record<string, number>).diff).toBeLessThan(1e-9);
  });

  it.each([['directed', true], ['undirected', false]] as const)('equals the Floyd-Warshall twin on random %s graphs', (_, directed) => {
    for (let k = 0; k < 6; k++) {
      const n = 25 + k;
      const g = randomGraph(91 + k, n, k % 2 === 0 ? n : 3 * n, directed);
      const want = naiveHarmonic(g), got = harmonic(g).scores;
      for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(want[i]!, 12);
    }
  });

  it('uses incoming distances on directed graphs', () => {
    expect([...harmonic(graph(3, [0, 1], [1, 2], true)).scores]).toEqual([0, 1, 1.5]);
  });

  it('degenerate inputs: empty, one node, isolated nodes', () => {
    expect(harmonic(graph(0, [], [], false)).scores.length).toBe(0);
    expect([...harmonic(graph(1, [], [], true)).scores]).toEqual([0]);
    expect([...harmonic(graph(3, [0], [1], false)).scores]).toEqual([1, 1, 0]);
  });

  it('a star with 1M leaves and a 1M-node path over node ranges match the closed forms', () => {
    const n = 1_000_001;
    const leaves = Int32Array.from({ length: n - 1 }, (_, i) => i + 1);
    const star = graph(n, new Int32Array(n - 1), leaves, false);
    const s = harmonicRange(star, 0, 2);
    expect(s[0]).toBe(n - 1);
    expect(s[1]).toBeCloseTo(1 + (n - 2) / 2, 9);
    const m = 1_000_000;
    const src = Int32Array.from({ length: m - 1 }, (_, i) => i);
    const path = graph(m, src, src.map((i) => i + 1), false);
    const w = 654_321;
    expect(harmonicRange(path, w, w + 1)[w]).toBeCloseTo(harmonicNumber(w) + harmonicNumber(m - 1 - w), 10);
  });

  it('catalogue split over ranges equals run', () => {
    const g = randomGraph(8, 80, 240, false);
    const spec = getAlgorithm('harmonic');
    const total = new Float64Array(g.n);
    for (const [a, b] of [[0, 50], [50, 80]] as const) {
      const p = spec.split!.partial(g, { seed: 1 }, a, b);
      for (let i = 0; i < g.n; i++) total[i]! += p[i]!;
    }
    const run = spec.run(g, { seed: 1 }), fin = spec.split!.finish(g, total, { seed: 1 }, 0);
    if (run.kind !== 'values' || fin.kind !== 'values') throw new Error('expected values');
    expect(fin.values).toEqual(run.values);
  });

  it('cancels through the run control', () => {
    const g = randomGraph(3, 300, 900, false);
    expect(() => harmonic(g, { shouldStop: () => true })).toThrow(expect.objectContaining({ code: 'CANCELLED' }));
  });
});
