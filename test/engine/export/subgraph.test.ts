/**
 * Ego networks and induced subgraphs against a naive twin: adjacency maps built from the rows
 * (u->v plus v->u summed, self-loops dropped: the undirected view's definition), breadth-first
 * rings and every pair tested. Random graphs from a seeded generator.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph, type EdgeColumns, undirectedView } from '../../../engine/graph/builder.js';
import { egoNetwork, inducedSubgraph, rowCounts } from '../../../engine/export/subgraph.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function randomColumns(n: number, rows: number, seed: number): EdgeColumns {
  const r = lcg(seed);
  const source = new Int32Array(rows), target = new Int32Array(rows), weight = new Float64Array(rows), timestamp = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    // Skewed sources so that some members are hubs.
    source[i] = Math.floor(n * r() ** 2);
    target[i] = Math.floor(n * r());
    weight[i] = 1 + Math.floor(r() * 3);
    timestamp[i] = Math.floor(r() * 1000);
  }
  return { nodeCount: n, source, target, weight, timestamp, type: null, typeNames: [] };
}

function naiveAdjacency(c: EdgeColumns, keep: (i: number) => boolean = () => true): Map<number, Map<number, { w: number; count: number }>> {
  const adj = new Map<number, Map<number, { w: number; count: number }>>();
  for (let u = 0; u < c.nodeCount; u++) adj.set(u, new Map());
  for (let i = 0; i < c.source.length; i++) {
    const u = c.source[i]!, v = c.target[i]!;
    if (u === v || !keep(i)) continue;
    for (const [a, b] of [[u, v], [v, u]] as const) {
      const e = adj.get(a)!.get(b) ?? { w: 0, count: 0 };
      e.w += c.weight ? c.weight[i]! : 1;
      e.count++;
      adj.get(a)!.set(b, e);
    }
  }
  return adj;
}

function naiveEgo(adj: ReturnType<typeof naiveAdjacency>, center: number, radius: number): Set<number> {
  const seen = new Set([center]);
  let frontier = [center];
  for (let r = 0; r < radius; r++) {
    const next: number[] = [];
    for (const u of frontier) for (const v of adj.get(u)!.keys()) if (!seen.has(v)) { seen.add(v); next.push(v); }
    frontier = next;
  }
  return seen;
}

function naiveTies(adj: ReturnType<typeof naiveAdjacency>, nodes: Set<number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const u of nodes) for (const [v, e] of adj.get(u)!) if (u < v && nodes.has(v)) out.set(`${u},${v}`, e.w);
  return out;
}

function tiesOf(sub: ReturnType<typeof egoNetwork>): Map<string, number> {
  const out = new Map<string, number>();
  for (let e = 0; e < sub.source.length; e++) {
    const a = sub.nodes[sub.source[e]!]!, b = sub.nodes[sub.target[e]!]!;
    out.set(`${Math.min(a, b)},${Math.max(a, b)}`, sub.weight[e]!);
  }
  return out;
}

describe('egoNetwork', () => {
  it('equals the naive ego network (members within radius, every tie among them) on random directed graphs', () => {
    for (const seed of [1, 2, 3]) {
      const cols = randomColumns(300, 1500, seed);
      const view = undirectedView(buildGraph(cols, { directed: true }));
      const adj = naiveAdjacency(cols);
      for (const center of [0, 1, 17, 150, 299]) {
        for (const radius of [1, 2]) {
          const sub = egoNetwork(view, center, radius, { maxNodes: 10_000, maxEdges: 1e9 });
          const want = naiveEgo(adj, center, radius);
          expect(new Set(sub.nodes), `seed ${seed} center ${center} r ${radius}`).toEqual(want);
          expect(sub.nodes[0]).toBe(center);
          expect(tiesOf(sub)).toEqual(naiveTies(adj, want));
          expect(sub.nodesDropped + sub.edgesDropped).toBe(0);
          // Rings are hop distances: ring-1 members are the neighbours of the ego.
          for (let i = 0; i < sub.nodes.length; i++) {
            expect(sub.rings![i]! === 1).toBe(adj.get(center)!.has(sub.nodes[i]!));
          }
        }
      }
    }
  });

  it('caps members (nearest ring, then strongest ties) and ties (heaviest), and says so', () => {
    const cols = randomColumns(400, 4000, 7);
    const view = undirectedView(buildGraph(cols, { directed: true }));
    const adj = naiveAdjacency(cols);
    const hub = 0;
    const ring1 = [...adj.get(hub)!].sort((a, b) => b[1].w - a[1].w || a[0] - b[0]);
    const cap = Math.floor(ring1.length / 2);
    const sub = egoNetwork(view, hub, 2, { maxNodes: cap + 1 });
    expect([...sub.nodes.slice(1)]).toEqual(ring1.slice(0, cap).map(([v]) => v));
    expect(sub.nodesDropped).toBeGreaterThanOrEqual(ring1.length - cap);
    const full = egoNetwork(view, hub, 1, { maxNodes: 10_000 });
    const capped = egoNetwork(view, hub, 1, { maxNodes: 10_000, maxEdges: 25 });
    expect(capped.source.length).toBe(25);
    expect(capped.edgesDropped).toBe(full.source.length - 25);
    const heaviest = [...full.weight].sort((a, b) => b - a).slice(0, 25);
    expect([...capped.weight].sort((a, b) => b - a)).toEqual(heaviest);
    const budget = egoNetwork(view, hub, 2, { maxNodes: 10_000, maxWork: 10 });
    expect(budget.workCapped).toBe(true);
  });
});

describe('inducedSubgraph and rowCounts', () => {
  it('finds every tie among the members (row scans and binary searches alike) and counts the rows of each', () => {
    const cols = randomColumns(500, 6000, 11);
    const view = undirectedView(buildGraph(cols, { directed: true }));
    const adj = naiveAdjacency(cols);
    const r = lcg(5);
    // Hubs first (long rows, binary-searched) and a random tail (short rows, scanned).
    const pick = new Set<number>([0, 1, 2, 3]);
    while (pick.size < 120) pick.add(Math.floor(r() * 500));
    const sub = inducedSubgraph(view, Int32Array.from(pick));
    expect(tiesOf(sub)).toEqual(naiveTies(adj, pick));
    const counts = rowCounts(cols, sub);
    for (let e = 0; e < sub.source.length; e++) {
      expect(counts[e]).toBe(adj.get(sub.nodes[sub.source[e]!]!)!.get(sub.nodes[sub.target[e]!]!)!.count);
    }
    // Counts follow the same window as the graph build.
    const window = { from: 200, to: 600 };
    const wview = undirectedView(buildGraph(cols, { directed: true, window }));
    const wsub = inducedSubgraph(wview, Int32Array.from(pick));
    const wadj = naiveAdjacency(cols, (i) => cols.timestamp![i]! >= 200 && cols.timestamp![i]! < 600);
    expect(tiesOf(wsub)).toEqual(naiveTies(wadj, pick));
    const wc = rowCounts(cols, wsub, { window });
    for (let e = 0; e < wsub.source.length; e++) {
      expect(wc[e]).toBe(wadj.get(wsub.nodes[wsub.source[e]!]!)!.get(wsub.nodes[wsub.target[e]!]!)!.count);
    }
  });
});
