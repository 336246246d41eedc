import { describe, expect, it } from 'vitest';
import { wcc } from '../../../engine/algorithms/wcc.js';
import { runAlgorithm } from '../../../engine/catalog/index.js';
import type { CsrGraph } from '../../../engine/graph/csr.js';
import { CASES, loadCase, readRef } from '../../helpers/reference.js';
import { arcs, bigPath, bigStar, canonicalLabels, fromPairs, randomGraph, samePartition } from './_structure-graphs.js';

/** Naive twin: BFS over an adjacency list of Sets, arcs taken both ways. */
function bfsComponents(g: CsrGraph): number[] {
  const nb = Array.from({ length: g.n }, () => new Set<number>());
  for (const [u, v] of arcs(g)) { nb[u]!.add(v); nb[v]!.add(u); }
  const label = new Array<number>(g.n).fill(-1);
  let next = 0;
  for (let s = 0; s < g.n; s++) {
    if (label[s] !== -1) continue;
    const queue = [s];
    label[s] = next;
    while (queue.length > 0) {
      const u = queue.shift()!;
      for (const v of nb[u]!) if (label[v] === -1) { label[v] = next; queue.push(v); }
    }
    next++;
  }
  return label;
}

describe('wcc', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('gives the reference partition on %s', (_, c) => {
    const ref = readRef(c.name, 'wcc')!;
    const loaded = loadCase(c);
    const r = wcc(loaded.graph);
    const want = loaded.ids.map((id) => ref.result[id]!);
    expect(Object.keys(ref.result).length).toBe(loaded.graph.n);
    expect(samePartition(r.membership, want)).toBe(true);
    expect(r.count).toBe(new Set(want).size);
    expect(canonicalLabels(r.membership)).toBe(true);
  });

  it.each([
    ['directed', true, true], ['directed unweighted', true, false],
    ['undirected', false, true], ['undirected unweighted', false, false],
  ] as const)('equals the BFS twin label for label on random sparse %s graphs', (_, directed, weighted) => {
    for (let seed = 1; seed <= 20; seed++) {
      const n = 60 + seed;
      const g = randomGraph(n, Math.floor(n * 0.6), seed, { directed, weighted });
      const r = wcc(g);
      // Both label 0.. by smallest member, so the arrays must be identical, not only equivalent.
      expect([...r.membership]).toEqual(bfsComponents(g));
      expect(r.largest).toBe(Math.max(...[...new Set(r.membership)].map((c) => r.membership.filter((x) => x === c).length)));
    }
  });

  it('is a partition output in the catalogue, modularity null', () => {
    const g = fromPairs(6, [[0, 1], [2, 1], [4, 5]], { directed: true, weighted: false });
    const out = runAlgorithm('wcc', g, { seed: 1 });
    expect(out.kind).toBe('partition');
    if (out.kind === 'partition') {
      expect([...out.membership]).toEqual([0, 0, 0, 1, 2, 2]);
      expect(out.modularity).toBeNull();
      expect(out.diagnostics['components']).toBe(3);
    }
  });

  it('handles degenerate inputs: empty, one node, self-loops only', () => {
    const e = wcc(fromPairs(0, [], { directed: true, weighted: false }));
    expect([e.membership.length, e.count, e.largest]).toEqual([0, 0, 0]);
    expect([...wcc(fromPairs(1, [], { directed: false, weighted: false })).membership]).toEqual([0]);
    const loops = fromPairs(3, [[0, 0], [2, 2]], { directed: true, weighted: false, keepSelfLoops: true });
    expect([...wcc(loops).membership]).toEqual([0, 1, 2]);
  });

  it('a 1M-node path (no recursion) and a 1M-leaf star are one component each, < 10 s', () => {
    const t = performance.now();
    const p = wcc(bigPath(1_000_000, true));
    const s = wcc(bigStar(1_000_000, true));
    expect(performance.now() - t).toBeLessThan(10_000);
    expect([p.count, p.largest]).toEqual([1, 1_000_000]);
    expect([s.count, s.largest]).toEqual([1, 1_000_001]);
  });
});
