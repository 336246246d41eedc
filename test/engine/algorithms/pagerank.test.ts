import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../engine/graph/builder.js';
import { pagerank } from '../../../engine/algorithms/pagerank.js';
import { CASES, loadCase, maxRelDiff, readRef } from '../../helpers/reference.js';

/** Naive twin: dense power iteration straight from the definition (no CSR, no pull trick). */
function densePagerank(n: number, edges: [number, number, number][], d = 0.85, iters = 2000): Float64Array {
  const out = new Float64Array(n);
  for (const [u, , w] of edges) out[u]! += w;
  let x = new Float64Array(n).fill(1 / n);
  for (let it = 0; it < iters; it++) {
    const next = new Float64Array(n);
    let dangling = 0;
    for (let u = 0; u < n; u++) if (out[u] === 0) dangling += x[u]!;
    for (const [u, v, w] of edges) next[v]! += d * x[u]! * w / out[u]!;
    for (let v = 0; v < n; v++) next[v]! += (d * dangling + 1 - d) / n;
    x = next;
  }
  return x;
}

describe('pagerank', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('reproduces the reference on %s within 1e-6 of the top score', (_, c) => {
    const ref = readRef(c.name, 'pagerank')!;
    const loaded = loadCase(c);
    const r = pagerank(loaded.graph);
    expect(r.converged).toBe(true);
    expect(maxRelDiff(r.scores, loaded, ref.result as Record<string, number>).diff).toBeLessThan(1e-6);
    expect(r.scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it.each([
    ['directed', true, true], ['directed unweighted', true, false],
    ['undirected', false, true], ['undirected unweighted', false, false],
  ] as const)('equals the dense twin on a random %s graph', (_, directed, weighted) => {
    let s = 12345;
    const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const n = 40, rows = 160;
    const src = new Int32Array(rows), dst = new Int32Array(rows), w = new Float64Array(rows);
    for (let i = 0; i < rows; i++) { src[i] = Math.floor(rnd() * n); dst[i] = Math.floor(rnd() * n); w[i] = 1 + Math.floor(rnd() * 5); }
    const g = buildGraph({ nodeCount: n, source: src, target: dst, weight: w, timestamp: null, type: null, typeNames: [] }, { directed, weighted });
    const edges: [number, number, number][] = [];
    for (let u = 0; u < n; u++) {
      for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) edges.push([u, g.outTargets[e]!, g.outWeights?.[e] ?? 1]);
    }
    const want = densePagerank(n, edges);
    const got = pagerank(g).scores;
    for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(want[i]!, 10);
  });

  it('handles the empty graph and a graph of only dangling nodes', () => {
    const empty = buildGraph({ nodeCount: 0, source: new Int32Array(0), target: new Int32Array(0), weight: null, timestamp: null, type: null, typeNames: [] });
    expect(pagerank(empty).scores.length).toBe(0);
    const loops = buildGraph({ nodeCount: 3, source: Int32Array.of(0, 1), target: Int32Array.of(0, 1), weight: null, timestamp: null, type: null, typeNames: [] });
    expect(loops.selfLoops).toBe(2);
    expect([...pagerank(loops).scores].every((x) => Math.abs(x - 1 / 3) < 1e-12)).toBe(true);
  });

  it('personalised: teleports only to the sources', () => {
    const g = buildGraph({ nodeCount: 4, source: Int32Array.of(0, 1, 2), target: Int32Array.of(1, 2, 3), weight: null, timestamp: null, type: null, typeNames: [] });
    const t = new Float64Array(4); t[0] = 1;
    const r = pagerank(g, { teleport: t });
    expect(r.scores[0]).toBeGreaterThan(r.scores[1]!);
    expect(r.scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });
});
