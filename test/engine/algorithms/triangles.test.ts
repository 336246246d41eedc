import { describe, expect, it } from 'vitest';
import { triangles } from '../../../engine/algorithms/triangles.js';
import { runAlgorithm } from '../../../engine/catalog/index.js';
import type { CsrGraph } from '../../../engine/graph/csr.js';
import { CASES, loadCase, maxRelDiff, readRef } from '../../helpers/reference.js';
import { arcs, bigStar, fromPairs, randomGraph } from './_structure-graphs.js';

/** Naive twin: every node triple checked against a dense symmetric adjacency matrix, O(n^3). */
function bruteTriangles(g: CsrGraph): { t: number[]; c: number[] } {
  const n = g.n;
  const a = Array.from({ length: n }, () => new Uint8Array(n));
  for (const [u, v] of arcs(g)) if (u !== v) { a[u]![v] = 1; a[v]![u] = 1; }
  const t = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (!a[i]![j]) continue;
      for (let k = j + 1; k < n; k++) if (a[i]![k] && a[j]![k]) { t[i]!++; t[j]!++; t[k]!++; }
    }
  }
  const c = t.map((x, i) => {
    const d = a[i]!.reduce((s, y) => s + y, 0);
    return d < 2 ? 0 : (2 * x) / (d * (d - 1));
  });
  return { t, c };
}

describe('triangles and clustering', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('reproduce the reference on %s (triangles exactly, clustering 1e-9)', (_, c) => {
    const ref = readRef(c.name, 'triangles')!;
    const loaded = loadCase(c);
    const r = triangles(loaded.graph);
    for (const [id, want] of Object.entries(ref.result)) {
      const got = r.triangles[loaded.index.get(id)!];
      if (got !== want) expect({ id, got }).toEqual({ id, got: want });
    }
    expect(maxRelDiff(r.clustering, loaded, ref.extra.clustering!).diff).toBeLessThan(1e-9);
    if (typeof ref.extra['total_triangles'] === 'number') expect(r.total).toBe(ref.extra['total_triangles']);
  });

  it.each([
    ['directed', true, true], ['directed unweighted', true, false],
    ['undirected', false, true], ['undirected unweighted', false, false],
  ] as const)('equal the O(n^3) twin on random %s graphs (weights ignored)', (_, directed, weighted) => {
    for (let seed = 1; seed <= 15; seed++) {
      const n = 25 + seed;
      const g = randomGraph(n, 4 * n + 10 * seed, seed, { directed, weighted, keepSelfLoops: seed % 3 === 0 });
      const r = triangles(g);
      const want = bruteTriangles(g);
      expect([...r.triangles]).toEqual(want.t);
      for (let i = 0; i < n; i++) expect(r.clustering[i]).toBeCloseTo(want.c[i]!, 14);
      expect(r.total * 3).toBe(want.t.reduce((s, x) => s + x, 0));
    }
  });

  it('appear in the catalogue as triangles and clustering', () => {
    const g = fromPairs(4, [[0, 1], [1, 2], [2, 0], [2, 3]], { directed: true, weighted: true });
    const t = runAlgorithm('triangles', g, { seed: 1 }), c = runAlgorithm('clustering', g, { seed: 1 });
    expect(t.kind === 'values' && [...t.values]).toEqual([1, 1, 1, 0]);
    expect(c.kind === 'values' && [...c.values]).toEqual([1, 1, 1 / 3, 0]);
  });

  it('handle degenerate inputs: empty, one node, self-loops only, degree 1', () => {
    expect(triangles(fromPairs(0, [], { directed: false, weighted: false })).total).toBe(0);
    expect([...triangles(fromPairs(1, [], { directed: false, weighted: false })).clustering]).toEqual([0]);
    const loops = triangles(fromPairs(2, [[0, 0], [1, 1], [0, 1]], { directed: false, weighted: false, keepSelfLoops: true }));
    expect([...loops.triangles, ...loops.clustering]).toEqual([0, 0, 0, 0]);
  });

  it('a star with 1M leaves has no triangles and finishes in under 10 s', () => {
    const g = bigStar(1_000_000, false);
    const t = performance.now();
    const r = triangles(g);
    expect(performance.now() - t).toBeLessThan(10_000);
    expect(r.total).toBe(0);
    expect(r.clustering[0]).toBe(0);
  });
});
