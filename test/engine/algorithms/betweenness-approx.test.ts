import { describe, expect, it } from 'vitest';
import type { BuiltGraph } from '../../../engine/graph/builder.js';
import { approxBetweenness, sampleSize, vertexDiameterBound } from '../../../engine/algorithms/betweenness-approx.js';
import { betweenness } from '../../../engine/algorithms/betweenness.js';
import { getAlgorithm } from '../../../engine/catalog/index.js';
import { graph, randomGraph } from '../../helpers/graphs.js';
import { CASES, loadCase, readRef } from '../../helpers/reference.js';

/** True vertex diameter: 1 + the largest finite hop distance, by BFS from every node. */
function trueVertexDiameter(g: BuiltGraph): number {
  let best = g.n > 0 ? 1 : 0;
  for (let s = 0; s < g.n; s++) {
    const d = new Array<number>(g.n).fill(-1);
    d[s] = 0;
    const q = [s];
    for (let h = 0; h < q.length; h++) {
      const v = q[h]!;
      for (let e = g.outOffsets[v]!; e < g.outOffsets[v + 1]!; e++) {
        const w = g.outTargets[e]!;
        if (d[w] === -1) { d[w] = d[v]! + 1; q.push(w); best = Math.max(best, d[w]! + 1); }
      }
    }
  }
  return best;
}

describe('betweenness-approx', () => {
  const withRef = CASES.filter((c) => readRef(c.name, 'betweenness') !== null);
  it.each(withRef.map((c) => [c.name, c] as const))('stays within epsilon of exact betweenness on %s for 20 seeds', (_, c) => {
    const ref = readRef(c.name, 'betweenness')!;
    const { graph: g, index } = loadCase(c);
    const exact = new Float64Array(g.n);
    for (const [k, v] of Object.entries(ref.result)) exact[index.get(k)!] = v!;
    const epsilon = 0.02; // delta 0.1; 20 seeds x 6 datasets take a few seconds with the bidirectional search
    for (let seed = 1; seed <= 20; seed++) {
      const r = approxBetweenness(g, { epsilon, delta: 0.1, seed });
      let worst = 0;
      for (let i = 0; i < g.n; i++) worst = Math.max(worst, Math.abs(r.scores[i]! - exact[i]!));
      // Same normalisation both sides (NetworkX scale), where the guarantee is eps * n/(n-2).
      expect(r.epsilonNetworkx).toBeCloseTo(epsilon * g.n / (g.n - 2), 15);
      expect(worst).toBeLessThanOrEqual(r.epsilonNetworkx);
      expect(r.samples).toBe(sampleSize(epsilon, 0.1, r.vertexDiameter));
    }
  });

  it('same seed, same answer; another seed, another sample', () => {
    const g = randomGraph(5, 300, 900, true);
    const a = approxBetweenness(g, { seed: 7 }), b = approxBetweenness(g, { seed: 7 }), c = approxBetweenness(g, { seed: 8 });
    expect(b.scores).toEqual(a.scores);
    expect(c.scores).not.toEqual(a.scores);
  });

  it('the sample size follows Riondato-Kornaropoulos', () => {
    // r = ceil(0.5 / eps^2 * (floor(log2(VD - 2)) + 1 + ln(1/delta))).
    expect(sampleSize(0.05, 0.1, 10)).toBe(Math.ceil(200 * (3 + 1 + Math.log(10))));
    expect(sampleSize(0.01, 0.01, 3)).toBe(Math.ceil(5000 * (0 + 1 + Math.log(100))));
    expect(sampleSize(0.05, 0.1, 2)).toBe(0);
  });

  it.each([['directed', true], ['undirected', false]] as const)('the vertex-diameter bound holds on random %s graphs', (_, directed) => {
    for (let k = 0; k < 30; k++) {
      const n = 20 + k;
      const g = randomGraph(1000 + k, n, k % 3 === 0 ? n : Math.floor(1.5 * n), directed);
      expect(vertexDiameterBound(g)).toBeGreaterThanOrEqual(trueVertexDiameter(g));
    }
    // A directed cycle: VD = n although the undirected diameter is n/2 (the trap the SCC bound avoids).
    const n = 12;
    const cyc = graph(n, [...Array(n).keys()], [...Array(n).keys()].map((i) => (i + 1) % n), true);
    expect(trueVertexDiameter(cyc)).toBe(n);
    expect(vertexDiameterBound(cyc)).toBeGreaterThanOrEqual(n);
  });

  it('degenerate inputs: empty, one node, two nodes, no interior nodes', () => {
    expect(approxBetweenness(graph(0, [], [], false)).scores.length).toBe(0);
    expect(approxBetweenness(graph(1, [], [], true)).samples).toBe(0);
    expect([...approxBetweenness(graph(2, [0], [1], false)).scores]).toEqual([0, 0]);
    const matching = approxBetweenness(graph(6, [0, 2, 4], [1, 3, 5], false));
    expect(matching.samples).toBe(0);
    expect([...matching.scores]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('a star with 1M leaves: the centre is found, leaves get nothing', () => {
    const n = 1_000_001;
    const leaves = Int32Array.from({ length: n - 1 }, (_, i) => i + 1);
    const g = graph(n, new Int32Array(n - 1), leaves, false);
    const r = approxBetweenness(g, { epsilon: 0.1, delta: 0.1, seed: 3 });
    expect(r.vertexDiameter).toBe(3);
    expect(Math.abs(r.scores[0]! - 1)).toBeLessThanOrEqual(r.epsilonNetworkx);
    let leafMass = 0;
    for (let i = 1; i < n; i++) leafMass += r.scores[i]!;
    expect(leafMass).toBe(0);
  });

  it('a 1M-node path: every estimate within the bound of the closed form', () => {
    const n = 1_000_000;
    const src = Int32Array.from({ length: n - 1 }, (_, i) => i);
    const g = graph(n, src, src.map((i) => i + 1), false);
    // The worst case for any path sampler (shortest paths of ~n/3 hops), hence a loose epsilon.
    const r = approxBetweenness(g, { epsilon: 0.3, delta: 0.1, seed: 11 });
    expect(r.vertexDiameter).toBe(n);
    let worst = 0;
    // Exact: node w is interior to w * (n-1-w) unordered pairs.
    for (let w = 0; w < n; w++) worst = Math.max(worst, Math.abs(r.scores[w]! - (2 * w * (n - 1 - w)) / ((n - 1) * (n - 2))));
    expect(worst).toBeLessThanOrEqual(r.epsilonNetworkx);
  });

  it('agrees with exact betweenness on a random graph and through the catalogue', () => {
    const g = randomGraph(21, 400, 1600, false);
    const exact = betweenness(g).scores;
    const out = getAlgorithm('betweenness-approx').run(g, { seed: 5, epsilon: 0.03, delta: 0.1 });
    if (out.kind !== 'values') throw new Error('expected values');
    expect(out.diagnostics['samples']).toBe(sampleSize(0.03, 0.1, out.diagnostics['vertexDiameter'] as number));
    expect(String(out.diagnostics['guarantee'])).toContain('probability');
    let worst = 0;
    for (let i = 0; i < g.n; i++) worst = Math.max(worst, Math.abs(out.values[i]! - exact[i]!));
    expect(worst).toBeLessThanOrEqual(out.diagnostics['epsilonNetworkx'] as number);
  });

  it('cancels through the run control', () => {
    const g = randomGraph(3, 2000, 8000, true);
    expect(() => approxBetweenness(g, { epsilon: 0.01 }, { shouldStop: () => true })).toThrow(expect.objectContaining({ code: 'CANCELLED' }));
  });
});
