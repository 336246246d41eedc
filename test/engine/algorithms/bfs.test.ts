/**
 * The direction-optimising BFS against the plain level-synchronous BFS (its naive twin): the same
 * reached set, the same distances, and a queue in non-decreasing distance, following out-arcs and
 * in-arcs, on R-MAT graphs (skewed degrees, so the search does switch to bottom-up) and on shapes
 * where the switch heuristics meet their edge cases.
 */
import { describe, expect, it } from 'vitest';
import { rmat } from '../../../datasets/generators.js';
import { buildGraph, type BuiltGraph } from '../../../engine/graph/builder.js';
import { bfs, bfsHybrid, bfsWorkspace, resetVisited } from '../../../engine/algorithms/bfs.js';
import { graph } from '../../helpers/graphs.js';

function agree(g: BuiltGraph, sources: Iterable<number>): void {
  const a = bfsWorkspace(g.n), b = bfsWorkspace(g.n);
  for (const s of sources) {
    for (const forward of [true, false]) {
      const [o, j, ro, rj] = forward
        ? [g.outOffsets, g.outTargets, g.inOffsets, g.inSources]
        : [g.inOffsets, g.inSources, g.outOffsets, g.outTargets];
      const ra = bfs(o, j, s, a), rb = bfsHybrid(o, j, ro, rj, s, b);
      expect(rb).toBe(ra);
      for (let i = 0; i < ra; i++) expect(b.dist[a.queue[i]!]).toBe(a.dist[a.queue[i]!]);
      for (let i = 1; i < rb; i++) expect(b.dist[b.queue[i]!]!).toBeGreaterThanOrEqual(b.dist[b.queue[i - 1]!]!);
      resetVisited(a, ra);
      resetVisited(b, rb);
      // The workspace invariant (dist -1 everywhere) holds again after the reset.
      expect(b.dist.every((d) => d === -1)).toBe(true);
    }
  }
}

describe('bfsHybrid', () => {
  it('equals plain BFS on directed and undirected R-MAT graphs, both directions', () => {
    for (const directed of [true, false]) {
      const e = rmat({ scale: 11, edgeFactor: 8, seed: 7 });
      const g = buildGraph({
        nodeCount: e.n, source: e.source, target: e.target, weight: null, timestamp: null, type: null, typeNames: [],
      }, { directed, weighted: false });
      agree(g, Array.from({ length: 40 }, (_, i) => (i * 97) % g.n));
    }
  });

  it('equals plain BFS on a path, a star (from the hub and from a leaf), a clique and isolated nodes', () => {
    const n = 300;
    const path = graph(n, Array.from({ length: n - 1 }, (_, i) => i), Array.from({ length: n - 1 }, (_, i) => i + 1), true);
    agree(path, [0, 150, n - 1]);
    const star = graph(n, Array.from({ length: n - 1 }, () => 0), Array.from({ length: n - 1 }, (_, i) => i + 1), false);
    agree(star, [0, 1, n - 1]);
    const src: number[] = [], dst: number[] = [];
    for (let u = 0; u < 30; u++) for (let v = 0; v < 30; v++) if (u !== v) { src.push(u); dst.push(v); }
    agree(graph(40, src, dst, true), [0, 29, 35]);
  });
});
