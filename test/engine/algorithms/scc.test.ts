import { describe, expect, it } from 'vitest';
import { scc } from '../../../engine/algorithms/scc.js';
import { wcc } from '../../../engine/algorithms/wcc.js';
import { runAlgorithm } from '../../../engine/catalog/index.js';
import type { CsrGraph } from '../../../engine/graph/csr.js';
import { CASES, loadCase, readRef } from '../../helpers/reference.js';
import { arcs, bigPath, canonicalLabels, fromPairs, randomGraph, samePartition } from './_structure-graphs.js';

/** Naive twin: u and v share a component iff each is in the other's BFS reach (O(n * m)). */
function reachabilityComponents(g: CsrGraph): number[] {
  const out = Array.from({ length: g.n }, () => [] as number[]);
  for (const [u, v] of arcs(g)) out[u]!.push(v);
  const reach = out.map((_, s) => {
    const seen = new Set([s]);
    const stack = [s];
    while (stack.length > 0) for (const v of out[stack.pop()!]!) if (!seen.has(v)) { seen.add(v); stack.push(v); }
    return seen;
  });
  const label = new Array<number>(g.n).fill(-1);
  let next = 0;
  for (let u = 0; u < g.n; u++) {
    if (label[u] !== -1) continue;
    for (const v of reach[u]!) if (reach[v]!.has(u)) label[v] = next;
    next++;
  }
  return label;
}

describe('scc', () => {
  it.each([['weighted', true], ['unweighted', false]] as const)(
    'equals the reachability twin label for label on random directed %s graphs', (_, weighted) => {
      for (let seed = 1; seed <= 25; seed++) {
        const n = 40 + seed;
        const g = randomGraph(n, Math.floor(n * (0.8 + seed / 20)), seed, { directed: true, weighted });
        expect([...scc(g).membership]).toEqual(reachabilityComponents(g));
      }
    });

  it('equals the components on undirected graphs, including the reference datasets', () => {
    for (const c of CASES.filter((x) => x.flags.includes('--undirected'))) {
      const loaded = loadCase(c);
      const ref = readRef(c.name, 'wcc')!;
      expect(samePartition(scc(loaded.graph).membership, loaded.ids.map((id) => ref.result[id]!))).toBe(true);
    }
    const g = randomGraph(80, 60, 3, { directed: false, weighted: false });
    expect([...scc(g).membership]).toEqual([...wcc(g).membership]);
  });

  it('refines the weak components on the directed reference datasets', () => {
    for (const c of CASES.filter((x) => !x.flags.includes('--undirected'))) {
      const g = loadCase(c).graph;
      const s = scc(g).membership, w = wcc(g).membership;
      const weakOf = new Map<number, number>();
      for (let u = 0; u < g.n; u++) {
        expect(weakOf.get(s[u]!) ?? w[u]).toBe(w[u]);
        weakOf.set(s[u]!, w[u]!);
      }
      expect(canonicalLabels(s)).toBe(true);
    }
  });

  it('stops with CANCELLED when asked to', () => {
    const g = randomGraph(50, 100, 4, { directed: true, weighted: false });
    expect(() => scc(g, { shouldStop: () => true })).toThrow(expect.objectContaining({ code: 'CANCELLED' }));
  });

  it('is a partition output in the catalogue', () => {
    const g = fromPairs(5, [[0, 1], [1, 0], [1, 2], [3, 4], [4, 3]], { directed: true, weighted: false });
    const out = runAlgorithm('scc', g, { seed: 1 });
    expect(out.kind === 'partition' && [...out.membership]).toEqual([0, 0, 1, 2, 2]);
  });

  it('handles degenerate inputs: empty, one node, self-loops only', () => {
    expect(scc(fromPairs(0, [], { directed: true, weighted: false })).count).toBe(0);
    expect([...scc(fromPairs(1, [], { directed: true, weighted: false })).membership]).toEqual([0]);
    const loops = fromPairs(2, [[0, 0], [1, 1]], { directed: true, weighted: false, keepSelfLoops: true });
    expect([...scc(loops).membership]).toEqual([0, 1]);
  });

  it('a 1M-node path (1M singletons) and a 1M-node cycle (one SCC, DFS depth 1M) do not overflow, < 10 s', () => {
    const t = performance.now();
    const p = scc(bigPath(1_000_000, true));
    const c = scc(bigPath(1_000_000, true, true));
    expect(performance.now() - t).toBeLessThan(10_000);
    expect([p.count, p.largest]).toEqual([1_000_000, 1]);
    expect(p.membership[999_999]).toBe(999_999);
    expect([c.count, c.largest]).toEqual([1, 1_000_000]);
  });
});
