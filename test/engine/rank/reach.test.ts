import { describe, expect, it } from 'vitest';
import { twoHopReach } from '../../../engine/rank/reach.js';
import { CASES, loadCase } from '../../helpers/reference.js';
import { edgesGraph } from './graphs.js';

/** Naive twin: Set-based two-hop neighbourhoods on an adjacency list read from the out- and in-CSR. */
function naiveReach(g: ReturnType<typeof edgesGraph>): number[] {
  const nb: Set<number>[] = Array.from({ length: g.n }, () => new Set());
  for (let u = 0; u < g.n; u++) for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) { nb[u]!.add(g.outTargets[e]!); nb[g.outTargets[e]!]!.add(u); }
  return nb.map((s, u) => {
    const all = new Set<number>(s);
    for (const v of s) for (const w of nb[v]!) all.add(w);
    all.delete(u);
    return all.size;
  });
}

describe('two-hop reach', () => {
  it('counts distinct members within two hops on the undirected view, self excluded', () => {
    // 0 -> 1 -> 2 -> 3, 4 -> 1: reach(0) = {1, 2, 4} = 3; reach(1) = {0, 2, 4, 3} = 4; reach(2) = {1, 3, 0, 4} = 4;
    // reach(3) = {2, 1} = 2; reach(4) = {1, 0, 2} = 3; 5 is isolated.
    const g = edgesGraph(6, [[0, 1], [1, 2], [2, 3], [4, 1]]);
    const r = twoHopReach(g, { method: 'exact' });
    expect(Array.from(r.reach)).toEqual([3, 4, 4, 2, 3, 0]);
    expect(Array.from(twoHopReach(g, { method: 'hll' }).reach).map(Math.round)).toEqual([3, 4, 4, 2, 3, 0]);
  });

  it('exact equals the Set-based twin on the email-Eu-core graph', () => {
    const g = loadCase(CASES.find((c) => c.name === 'email-Eu-core')!).graph;
    expect(Array.from(twoHopReach(g, { method: 'exact' }).reach)).toEqual(naiveReach(g));
  });

  it('HyperLogLog (p = 12) stays within a few percent of exact on ego-Facebook, through materialised hub sketches too', () => {
    const g = loadCase(CASES.find((c) => c.name === 'ego-Facebook')!).graph;
    const exact = twoHopReach(g, { method: 'exact' }).reach;
    // hubDegree 30: members of degree >= 29 get a materialised sketch, the rest are inserted directly.
    for (const hubDegree of [30]) {
      const h = twoHopReach(g, { method: 'hll', p: 12, hubDegree });
      expect(h.sketchedNodes).toBe(g.n);
      let sum = 0, max = 0;
      for (let i = 0; i < g.n; i++) {
        const rel = Math.abs(h.reach[i]! - exact[i]!) / Math.max(1, exact[i]!);
        sum += rel;
        max = Math.max(max, rel);
      }
      // Standard error 1.04 / 64 = 1.6% for large sets, far less below 2.5 m (linear counting).
      expect(sum / g.n).toBeLessThan(0.02);
      expect(max).toBeLessThan(0.06);
    }
    const auto = twoHopReach(g);
    expect(auto.exactNodes + auto.sketchedNodes).toBe(g.n);
  });

  it('merging materialised hub sketches (SWAR max) gives exactly the sketch built member by member, directed and undirected', () => {
    for (const name of ['email-Eu-core', 'ego-Facebook']) {
      const g = loadCase(CASES.find((c) => c.name === name)!).graph;
      const merged = twoHopReach(g, { method: 'hll', hubDegree: 8 });
      const inserted = twoHopReach(g, { method: 'hll', hubDegree: 1e9 });
      expect(Array.from(merged.reach)).toEqual(Array.from(inserted.reach));
    }
  });
});
