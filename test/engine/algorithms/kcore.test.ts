import { describe, expect, it } from 'vitest';
import { kcore } from '../../../engine/algorithms/kcore.js';
import { runAlgorithm } from '../../../engine/catalog/index.js';
import { undirectedView } from '../../../engine/graph/builder.js';
import type { CsrGraph } from '../../../engine/graph/csr.js';
import { CASES, loadCase, readRef } from '../../helpers/reference.js';
import { bigPath, bigStar, fromPairs, randomGraph } from './_structure-graphs.js';

/** Naive twin: for k = 1, 2, ... repeatedly delete nodes with fewer than k live neighbours. */
function peelingCoreness(g: CsrGraph): number[] {
  const u = g.directed ? undirectedView(g) : g;
  const nb: Set<number>[] = [];
  for (let a = 0; a < u.n; a++) {
    nb.push(new Set());
    for (let e = u.outOffsets[a]!; e < u.outOffsets[a + 1]!; e++) if (u.outTargets[e] !== a) nb[a]!.add(u.outTargets[e]!);
  }
  const core = new Array<number>(u.n).fill(0);
  const alive = new Set<number>(nb.keys());
  for (let k = 1; alive.size > 0; k++) {
    let changed = true;
    while (changed) {
      changed = false;
      for (const a of [...alive]) {
        let d = 0;
        for (const b of nb[a]!) if (alive.has(b)) d++;
        if (d < k) { alive.delete(a); changed = true; }
      }
    }
    for (const a of alive) core[a] = k;
  }
  return core;
}

describe('kcore', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('reproduces the reference coreness on %s exactly', (_, c) => {
    const ref = readRef(c.name, 'kcore')!;
    const loaded = loadCase(c);
    const r = kcore(loaded.graph);
    let max = 0;
    for (const [id, want] of Object.entries(ref.result)) {
      const got = r.coreness[loaded.index.get(id)!];
      if (got !== want) expect({ id, got }).toEqual({ id, got: want });
      max = Math.max(max, want!);
    }
    expect(r.maxCore).toBe(max);
  });

  it.each([
    ['directed', true, true], ['directed unweighted', true, false],
    ['undirected', false, true], ['undirected unweighted', false, false],
  ] as const)('equals the peeling twin on random %s graphs and holds the k-core property', (_, directed, weighted) => {
    for (let seed = 1; seed <= 20; seed++) {
      const g = randomGraph(30 + seed, 60 + 8 * seed, seed, { directed, weighted, keepSelfLoops: seed % 2 === 0 });
      const got = kcore(g).coreness;
      expect([...got]).toEqual(peelingCoreness(g));
      // Property: every node with coreness c has >= c neighbours of coreness >= c.
      const u = directed ? undirectedView(g) : g;
      // With the view cached, a directed graph takes the single-row path: same coreness.
      if (directed) expect([...kcore(g).coreness]).toEqual([...got]);
      for (let a = 0; a < u.n; a++) {
        let d = 0;
        for (let e = u.outOffsets[a]!; e < u.outOffsets[a + 1]!; e++) {
          const b = u.outTargets[e]!;
          if (b !== a && got[b]! >= got[a]!) d++;
        }
        expect(d).toBeGreaterThanOrEqual(got[a]!);
      }
    }
  });

  it('runs on the undirected view from the catalogue and ignores weights', () => {
    const g = randomGraph(50, 200, 7, { directed: true, weighted: true });
    const out = runAlgorithm('kcore', g, { seed: 1 });
    expect(out.kind).toBe('values');
    if (out.kind === 'values') expect([...out.values]).toEqual([...kcore(g).coreness]);
    const unweighted = randomGraph(50, 200, 7, { directed: true, weighted: false });
    expect([...kcore(unweighted).coreness]).toEqual([...kcore(g).coreness]);
  });

  it('handles degenerate inputs: empty, one node, self-loops only, a clique beside a path', () => {
    expect(kcore(fromPairs(0, [], { directed: false, weighted: false })).coreness.length).toBe(0);
    expect([...kcore(fromPairs(1, [], { directed: true, weighted: false })).coreness]).toEqual([0]);
    const loops = fromPairs(3, [[0, 0], [1, 1], [2, 2]], { directed: false, weighted: false, keepSelfLoops: true });
    expect([...kcore(loops).coreness]).toEqual([0, 0, 0]);
    const k5: [number, number][] = [];
    for (let a = 0; a < 5; a++) for (let b = a + 1; b < 5; b++) k5.push([a, b]);
    const g = fromPairs(9, [...k5, [5, 6], [6, 7]], { directed: false, weighted: false });
    const r = kcore(g);
    expect([...r.coreness]).toEqual([4, 4, 4, 4, 4, 1, 1, 1, 0]);
    expect(r.maxCore).toBe(4);
  });

  it('a 1M-node directed path and a star with 1M leaves finish in under 10 s', () => {
    const path = bigPath(1_000_000, true);
    let t = performance.now();
    const p = kcore(path);
    expect(performance.now() - t).toBeLessThan(10_000);
    expect(p.maxCore).toBe(1);
    expect(p.coreness.every((c) => c === 1)).toBe(true);
    const star = bigStar(1_000_000, false);
    t = performance.now();
    const s = kcore(star);
    expect(performance.now() - t).toBeLessThan(10_000);
    expect(s.maxCore).toBe(1);
    expect(s.coreness[0]).toBe(1);
  });
});
