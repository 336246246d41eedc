import { describe, expect, it } from 'vitest';
import type { BuiltGraph } from '../../../engine/graph/builder.js';
import { betweenness, betweennessRaw, normaliseBetweenness } from '../../../engine/algorithms/betweenness.js';
import { getAlgorithm } from '../../../engine/catalog/index.js';
import { graph, randomGraph } from '../../helpers/graphs.js';
import { CASES, loadCase, maxRelDiff, readRef } from '../../helpers/reference.js';

/**
 * Naive twin straight from the definition: all-pairs hop distances and path counts by
 * Floyd-Warshall-style relaxation over a dense matrix, then B(w) = sum over s != w != t with
 * d(s,w) + d(w,t) = d(s,t) of sigma(s,w) sigma(w,t) / sigma(s,t). No BFS, no Brandes recursion.
 */
function naiveBetweenness(g: BuiltGraph): Float64Array {
  const n = g.n;
  const d = Array.from({ length: n }, () => new Array<number>(n).fill(Infinity));
  for (let u = 0; u < n; u++) {
    d[u]![u] = 0;
    for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) d[u]![g.outTargets[e]!] = 1;
  }
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    if (d[i]![k]! + d[k]![j]! < d[i]![j]!) d[i]![j] = d[i]![k]! + d[k]![j]!;
  }
  // sigma(s,t) = sum over in-neighbours p of t with d(s,p) = d(s,t) - 1 of sigma(s,p), by distance.
  const sigma = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let s = 0; s < n; s++) {
    sigma[s]![s] = 1;
    const byDist = [...Array(n).keys()].filter((t) => d[s]![t]! < Infinity && t !== s).sort((a, b) => d[s]![a]! - d[s]![b]!);
    for (const t of byDist) {
      for (let e = g.inOffsets[t]!; e < g.inOffsets[t + 1]!; e++) {
        const p = g.inSources[e]!;
        if (d[s]![p] === d[s]![t]! - 1) sigma[s]![t]! += sigma[s]![p]!;
      }
    }
  }
  const b = new Float64Array(n);
  for (let s = 0; s < n; s++) for (let t = 0; t < n; t++) {
    if (s === t || d[s]![t] === Infinity) continue;
    for (let w = 0; w < n; w++) {
      if (w === s || w === t) continue;
      if (d[s]![w]! + d[w]![t]! === d[s]![t]) b[w]! += (sigma[s]![w]! * sigma[w]![t]!) / sigma[s]![t]!;
    }
  }
  if (!g.directed) for (let w = 0; w < n; w++) b[w]! /= 2; // pair-once
  const scale = n <= 2 ? 0 : (g.directed ? 1 : 2) / ((n - 1) * (n - 2));
  return b.map((x) => x * scale);
}

describe('betweenness', () => {
  const withRef = CASES.filter((c) => readRef(c.name, 'betweenness') !== null);
  it.each(withRef.map((c) => [c.name, c] as const))('reproduces the reference on %s within 1e-9 of the top score', (_, c) => {
    const ref = readRef(c.name, 'betweenness')!;
    const loaded = loadCase(c);
    const r = betweenness(loaded.graph);
    expect(r.sources).toBe(loaded.graph.n);
    expect(maxRelDiff(r.scores, loaded, ref.result as Record<string, number>).diff).toBeLessThan(1e-9);
  });

  it.each([
    ['directed', true, 1], ['undirected', false, 2], ['sparse directed (disconnected)', true, 3], ['sparse undirected', false, 4],
  ] as const)('equals the Floyd-Warshall twin on random %s graphs', (name, directed, seed) => {
    for (let k = 0; k < 5; k++) {
      const n = 30 + k;
      const g = randomGraph(seed * 100 + k, n, name.startsWith('sparse') ? n : 3 * n, directed);
      const want = naiveBetweenness(g);
      const got = betweenness(g).scores;
      for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(want[i]!, 12);
    }
  });

  it('partial sums over disjoint source ranges add up to the full raw vector', () => {
    const g = randomGraph(7, 200, 800, true);
    const full = betweennessRaw(g);
    const total = new Float64Array(g.n);
    for (const [a, b] of [[0, 37], [37, 120], [120, 200], [150, 150], [-5, 0], [200, 400]] as const) {
      const part = betweennessRaw(g, a, b);
      for (let i = 0; i < g.n; i++) total[i]! += part[i]!;
    }
    for (let i = 0; i < g.n; i++) expect(total[i]).toBeCloseTo(full[i]!, 9);
  });

  it('catalogue run and split give the same values', () => {
    const g = randomGraph(9, 60, 200, false);
    const spec = getAlgorithm('betweenness');
    const run = spec.run(g, { seed: 1 });
    const total = new Float64Array(g.n);
    for (const [a, b] of [[0, 25], [25, 60]] as const) {
      const p = spec.split!.partial(g, { seed: 1 }, a, b);
      for (let i = 0; i < g.n; i++) total[i]! += p[i]!;
    }
    const fin = spec.split!.finish(g, total, { seed: 1 }, 0);
    if (run.kind !== 'values' || fin.kind !== 'values') throw new Error('expected values');
    for (let i = 0; i < g.n; i++) expect(fin.values[i]).toBeCloseTo(run.values[i]!, 14);
  });

  it('degenerate inputs: empty, one node, two nodes, disconnected parts', () => {
    expect(betweenness(graph(0, [], [], false)).scores.length).toBe(0);
    expect([...betweenness(graph(1, [], [], true)).scores]).toEqual([0]);
    expect([...betweenness(graph(2, [0], [1], false)).scores]).toEqual([0, 0]);
    // Two paths 0-1-2 and 3-4-5 plus an isolated node 6: each middle node carries one pair of 7 nodes.
    const g = graph(7, [0, 1, 3, 4], [1, 2, 4, 5], false);
    expect([...betweenness(g).scores]).toEqual([0, 2 / 30, 0, 0, 2 / 30, 0, 0]);
    // Directed: the middle of 0 -> 1 -> 2 carries the single ordered pair (0, 2).
    expect([...betweenness(graph(3, [0, 1], [1, 2], true)).scores]).toEqual([0, 0.5, 0]);
    expect(normaliseBetweenness(2, Float64Array.of(3, 4))).toEqual(Float64Array.of(0, 0));
  });

  it('a 100k-node path over a source range matches the closed form (no recursion, no stack overflow)', () => {
    const n = 100_000;
    const src = Array.from({ length: n - 1 }, (_, i) => i), dst = src.map((i) => i + 1);
    const g = graph(n, src, dst, false);
    const from = 40_000, to = 40_050;
    const raw = betweennessRaw(g, from, to);
    // Source s adds to w the targets beyond w on the far side: n-1-w if s < w, w if s > w.
    for (const w of [0, 1, 39_999, 40_000, 40_025, 40_049, 40_050, 77_777, n - 1]) {
      let want = 0;
      for (let s = from; s < to; s++) want += s < w ? n - 1 - w : s > w ? w : 0;
      expect(raw[w]).toBe(want);
    }
  });

  it('a star with 1M leaves: leaf sources route everything through the centre', () => {
    const n = 1_000_001;
    const leaves = Array.from({ length: n - 1 }, (_, i) => i + 1);
    const g = graph(n, leaves.map(() => 0), leaves, false);
    const raw = betweennessRaw(g, 1, 6);
    expect(raw[0]).toBe(5 * (n - 2));
    expect(raw.reduce((a, b) => a + b, 0)).toBe(5 * (n - 2));
  });

  it('cancels through the run control and reports progress', () => {
    const g = randomGraph(3, 500, 2000, false);
    let calls = 0;
    expect(() => betweenness(g, { shouldStop: () => ++calls > 10 })).toThrow(expect.objectContaining({ code: 'CANCELLED' }));
    expect(calls).toBe(11);
    const seen: number[] = [];
    betweenness(g, { onProgress: (f) => seen.push(f) });
    expect(seen.at(-1)).toBe(1);
  });
});
