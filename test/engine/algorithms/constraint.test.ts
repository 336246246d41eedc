import { describe, expect, it } from 'vitest';
import { structuralHoles } from '../../../engine/algorithms/constraint.js';
import { runAlgorithm } from '../../../engine/catalog/index.js';
import type { BuiltGraph } from '../../../engine/graph/builder.js';
import { CASES, loadCase, maxRelDiff, readRef } from '../../helpers/reference.js';
import { arcs, bigStar, fromPairs, randomGraph } from './_structure-graphs.js';

/**
 * Naive twin: NetworkX 2.8 `constraint` / `effective_size` transcribed over Maps, on an undirected
 * view merged here by hand (u->v and v->u summed when weighted, one plain edge when not), with the
 * ego-network loops the kernel avoids.
 */
function networkxTwin(g: BuiltGraph): { constraint: number[]; effectiveSize: number[]; borgatti: number[] } {
  const adj = Array.from({ length: g.n }, () => new Map<number, number>());
  for (const [u, v, w] of arcs(g)) {
    if (u === v || (!g.directed && v < u)) continue;
    const x = g.weighted ? (adj[u]!.get(v) ?? 0) + w : 1;
    adj[u]!.set(v, x);
    adj[v]!.set(u, x);
  }
  const mutual = (u: number, v: number) => (adj[u]!.get(v) ?? 0) + (adj[v]!.get(u) ?? 0);
  const nmw = (u: number, v: number, norm: 'sum' | 'max' = 'sum') => {
    const all = [...adj[u]!.keys()].map((w) => mutual(u, w));
    const scale = norm === 'sum' ? all.reduce((s, x) => s + x, 0) : Math.max(...all);
    return scale === 0 ? 0 : mutual(u, v) / scale;
  };
  const constraint = [], effectiveSize = [], borgatti = [];
  for (let u = 0; u < g.n; u++) {
    const nbrs = [...adj[u]!.keys()];
    if (nbrs.length === 0) { constraint.push(NaN); effectiveSize.push(NaN); borgatti.push(NaN); continue; }
    let c = 0, es = 0;
    for (const v of nbrs) {
      let indirect = 0;
      for (const w of nbrs) indirect += nmw(u, w) * nmw(w, v);
      c += (nmw(u, v) + indirect) ** 2;
      let r = 0;
      for (const w of nbrs) r += nmw(u, w) * nmw(v, w, 'max');
      es += 1 - r;
    }
    constraint.push(c);
    effectiveSize.push(es);
    let ties = 0;
    for (const v of nbrs) for (const w of nbrs) if (v < w && adj[v]!.has(w)) ties++;
    borgatti.push(nbrs.length - (2 * ties) / nbrs.length);
  }
  return { constraint, effectiveSize, borgatti };
}

const close = (got: Float64Array, want: number[], digits: number) => {
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i]!)) expect(got[i]).toBeNaN();
    else expect(got[i]).toBeCloseTo(want[i]!, digits);
  }
};

describe('constraint and effective size', () => {
  const withRef = CASES.filter((c) => readRef(c.name, 'constraint') !== null);

  it.each(withRef.map((c) => [c.name, c] as const))('constraint reproduces the reference on %s within 1e-9 of the top value', (_, c) => {
    const ref = readRef(c.name, 'constraint')!;
    const loaded = loadCase(c);
    // The reference is weighted exactly when the dataset is (CollegeMsg: interaction counts).
    expect((ref as unknown as { weighted: boolean }).weighted).toBe(loaded.graph.outWeights !== null);
    const r = structuralHoles(loaded.graph);
    expect(maxRelDiff(r.constraint, loaded, ref.result).diff).toBeLessThan(1e-9);
  });

  it.each([
    ['directed', true, true], ['directed unweighted', true, false],
    ['undirected', false, true], ['undirected unweighted', false, false],
  ] as const)('equal the NetworkX transcription on random %s graphs', (_, directed, weighted) => {
    for (let seed = 1; seed <= 10; seed++) {
      const n = 20 + 2 * seed;
      const g = randomGraph(n, 3 * n + 5 * seed, seed, { directed, weighted, keepSelfLoops: seed % 4 === 0 });
      const r = structuralHoles(g);
      const want = networkxTwin(g);
      close(r.constraint, want.constraint, 12);
      close(r.effectiveSize, want.effectiveSize, 12);
      if (!weighted) close(r.effectiveSize, want.borgatti, 12);
      expect(r.isolated).toBe(want.constraint.filter(Number.isNaN).length);
    }
  });

  it('treat zero-weight ties as NetworkX does (zero scale gives p = 0, not NaN)', () => {
    const g = fromPairs(5, [[0, 1, 0], [1, 2, 0], [2, 0, 0], [2, 3, 2], [3, 4, 0], [4, 2, 1]], { directed: true, weighted: true });
    const r = structuralHoles(g);
    const want = networkxTwin(g);
    close(r.constraint, want.constraint, 12);
    close(r.effectiveSize, want.effectiveSize, 12);
    expect(r.constraint.every((x) => Number.isFinite(x))).toBe(true);
  });

  it('stops with CANCELLED when asked to', () => {
    const g = randomGraph(200, 800, 9, { directed: false, weighted: false });
    expect(() => structuralHoles(g, { shouldStop: () => true })).toThrow(expect.objectContaining({ code: 'CANCELLED' }));
  });

  it('appear in the catalogue as constraint and effective-size (undirected view)', () => {
    const g = randomGraph(30, 90, 5, { directed: true, weighted: true });
    const r = structuralHoles(g);
    const c = runAlgorithm('constraint', g, { seed: 1 }), e = runAlgorithm('effective-size', g, { seed: 1 });
    expect(c.kind === 'values' && [...c.values]).toEqual([...r.constraint]);
    expect(e.kind === 'values' && [...e.values]).toEqual([...r.effectiveSize]);
  });

  it('handle degenerate inputs: empty, one node, self-loops only (NaN), a triangle', () => {
    expect(structuralHoles(fromPairs(0, [], { directed: false, weighted: false })).constraint.length).toBe(0);
    const one = structuralHoles(fromPairs(1, [], { directed: false, weighted: false }));
    expect([one.constraint[0], one.effectiveSize[0], one.isolated]).toEqual([NaN, NaN, 1]);
    const loops = structuralHoles(fromPairs(2, [[0, 0], [1, 1]], { directed: true, weighted: true, keepSelfLoops: true }));
    expect([...loops.constraint]).toEqual([NaN, NaN]);
    // Triangle: p = 1/2 everywhere, constraint = 2 * (1/2 + 1/4)^2 = 1.125, effective size 2 - 2/2 = 1.
    const tri = structuralHoles(fromPairs(3, [[0, 1], [1, 2], [2, 0]], { directed: false, weighted: false }));
    for (let i = 0; i < 3; i++) {
      expect(tri.constraint[i]).toBeCloseTo(1.125, 15);
      expect(tri.effectiveSize[i]).toBeCloseTo(1, 15);
    }
  });

  it('are exact on a star with 1M leaves without an ego-network bound, < 10 s', () => {
    const k = 1_000_000;
    const g = bigStar(k, false);
    const t = performance.now();
    const r = structuralHoles(g);
    expect(performance.now() - t).toBeLessThan(10_000);
    // 1M terms of 1e-12 summed naively: relative rounding ~1e-11, inside the 1e-9 contract.
    expect(Math.abs(r.constraint[0]! * k - 1)).toBeLessThan(1e-9);
    expect(r.effectiveSize[0]).toBe(k);
    expect([r.constraint[1], r.effectiveSize[1], r.constraint[k], r.isolated]).toEqual([1, 1, 1, 0]);
  });
});
