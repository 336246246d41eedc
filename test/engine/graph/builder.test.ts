import { describe, expect, it } from 'vitest';
import { DirectedGraph, UndirectedGraph } from 'graphology';
import type { AbstractGraph } from 'graphology-types';
import { buildGraph, type EdgeColumns, undirectedView } from '../../../engine/graph/builder.js';
import { edgeCount, graphBytes } from '../../../engine/graph/csr.js';
import { createRng } from '../../../engine/algorithms/random.js';

function randomColumns(n: number, rows: number, seed: number, fractional = false): EdgeColumns {
  const rng = createRng(seed);
  const source = new Int32Array(rows), target = new Int32Array(rows), weight = new Float64Array(rows);
  const timestamp = new Float64Array(rows), type = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    source[i] = Math.floor(rng() * n);
    target[i] = Math.floor(rng() * n);
    weight[i] = fractional ? Math.round(rng() * 1000) / 7 : 1 + Math.floor(rng() * 3);
    timestamp[i] = i * 1000;
    type[i] = Math.floor(rng() * 3);
  }
  return { nodeCount: n, source, target, weight, timestamp, type, typeNames: ['reply', 'mention', 'forward'] };
}

/** The peer oracle: graphology with parallel rows merged and weights summed, self-loops dropped. */
function graphologyOf(c: EdgeColumns, directed: boolean, keep: (i: number) => boolean = () => true, weightOf = (i: number) => c.weight![i]!) {
  const g: AbstractGraph = directed ? new DirectedGraph() : new UndirectedGraph();
  for (let v = 0; v < c.nodeCount; v++) g.addNode(String(v));
  for (let i = 0; i < c.source.length; i++) {
    if (!keep(i) || c.source[i] === c.target[i]) continue;
    g.updateEdge(String(c.source[i]), String(c.target[i]), (a: Record<string, unknown>) => ({ weight: ((a['weight'] as number | undefined) ?? 0) + weightOf(i) }));
  }
  return g;
}

function expectSameAsGraphology(built: ReturnType<typeof buildGraph>, g: AbstractGraph): void {
  expect(built.n).toBe(g.order);
  expect(edgeCount(built)).toBe(g.size);
  for (let u = 0; u < built.n; u++) {
    const row = new Map<number, number>();
    for (let e = built.outOffsets[u]!; e < built.outOffsets[u + 1]!; e++) row.set(built.outTargets[e]!, built.outWeights?.[e] ?? 1);
    const want = new Map<number, number>();
    const neighbours = g.type === 'directed' ? g.outNeighbors(String(u)) : g.neighbors(String(u));
    for (const v of neighbours) want.set(Number(v), g.getEdgeAttribute(String(u), v, 'weight') as number);
    expect(row).toEqual(want);
    const inRow = new Set<number>();
    for (let e = built.inOffsets[u]!; e < built.inOffsets[u + 1]!; e++) inRow.add(built.inSources[e]!);
    const inWant = g.type === 'directed' ? g.inNeighbors(String(u)) : g.neighbors(String(u));
    expect(inRow).toEqual(new Set(inWant.map(Number)));
  }
}

describe('buildGraph', () => {
  it.each([['directed', true], ['undirected', false]] as const)('%s: neighbour sets, weights and degrees equal graphology', (_, directed) => {
    const c = randomColumns(60, 600, 7);
    const built = buildGraph(c, { directed });
    expectSameAsGraphology(built, graphologyOf(c, directed));
    let loops = 0;
    for (let i = 0; i < c.source.length; i++) if (c.source[i] === c.target[i]) loops++;
    expect(built.selfLoops).toBe(loops);
  });

  it('rows are sorted sets and arrays live in SharedArrayBuffers', () => {
    const g = buildGraph(randomColumns(100, 2000, 3));
    for (let u = 0; u < g.n; u++) {
      for (let e = g.outOffsets[u]! + 1; e < g.outOffsets[u + 1]!; e++) expect(g.outTargets[e]!).toBeGreaterThan(g.outTargets[e - 1]!);
      for (let e = g.inOffsets[u]! + 1; e < g.inOffsets[u + 1]!; e++) expect(g.inSources[e]!).toBeGreaterThan(g.inSources[e - 1]!);
    }
    for (const a of [g.outOffsets, g.outTargets, g.outWeights!, g.inOffsets, g.inSources, g.inWeights!]) {
      expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
  });

  it('unweighted collapses parallel rows; counts become weights without a weight column', () => {
    const c: EdgeColumns = { nodeCount: 3, source: Int32Array.of(0, 0, 0, 1), target: Int32Array.of(1, 1, 1, 2), weight: null, timestamp: null, type: null, typeNames: [] };
    const counted = buildGraph(c);
    expect(Array.from(counted.outWeights!)).toEqual([3, 1]);
    expect(counted.merged).toBe(2);
    expect(buildGraph(c, { weighted: false }).outWeights).toBeNull();
  });

  it('stores weights as float32 when exact, float64 otherwise, never rounding', () => {
    const ints = buildGraph(randomColumns(50, 500, 1));
    expect(ints.outWeights).toBeInstanceOf(Float32Array);
    const c = randomColumns(50, 500, 1, true);
    const frac = buildGraph(c);
    expect(frac.outWeights).toBeInstanceOf(Float64Array);
    expectSameAsGraphology(frac, graphologyOf(c, true));
  });

  it('keeps self-loops on request', () => {
    const c: EdgeColumns = { nodeCount: 2, source: Int32Array.of(0, 0), target: Int32Array.of(0, 1), weight: null, timestamp: null, type: null, typeNames: [] };
    expect(buildGraph(c).m).toBe(1);
    const kept = buildGraph(c, { keepSelfLoops: true });
    expect(kept.m).toBe(2);
    expect(kept.selfLoops).toBe(0);
  });

  it('window and type filters and per-type weights select and weigh rows like a filtered graphology build', () => {
    const c = randomColumns(40, 800, 11);
    const window = { from: 100_000, to: 500_000 };
    const types = ['reply', 'forward'];
    const typeWeights = { forward: 3, reply: 2, mention: 1 };
    const built = buildGraph(c, { window, types, typeWeights });
    const keep = (i: number) => c.timestamp![i]! >= window.from && c.timestamp![i]! < window.to && c.type![i] !== 1;
    const factor = [2, 1, 3];
    expectSameAsGraphology(built, graphologyOf(c, true, keep, (i) => c.weight![i]! * factor[c.type![i]!]!));
  });

  it('the undirected view merges u->v and v->u with summed weights (collapsed when unweighted)', () => {
    const c: EdgeColumns = { nodeCount: 3, source: Int32Array.of(0, 1, 1), target: Int32Array.of(1, 0, 2), weight: Float64Array.of(2, 5, 1), timestamp: null, type: null, typeNames: [] };
    const u = undirectedView(buildGraph(c));
    expect(u.directed).toBe(false);
    expect(edgeCount(u)).toBe(2);
    expect(Array.from(u.outTargets.subarray(u.outOffsets[0], u.outOffsets[1]))).toEqual([1]);
    expect(u.outWeights![0]).toBe(7);
    const uu = undirectedView(buildGraph(c, { weighted: false }));
    expect(uu.outWeights).toBeNull();
    const g = buildGraph(c);
    expect(undirectedView(g)).toBe(undirectedView(g)); // built once per graph, then cached
  });

  it.each([
    ['weighted', true, false], ['unweighted', false, false], ['weighted with self-loops', true, true], ['unweighted with self-loops', false, true],
  ] as const)('the merged undirected view equals building the rows as undirected (%s)', (_, weighted, keepSelfLoops) => {
    const c = randomColumns(80, 1500, 13);
    const view = undirectedView(buildGraph(c, { directed: true, weighted, keepSelfLoops }));
    const direct = buildGraph(c, { directed: false, weighted, keepSelfLoops });
    expect(Array.from(view.outOffsets)).toEqual(Array.from(direct.outOffsets));
    expect(Array.from(view.outTargets)).toEqual(Array.from(direct.outTargets));
    expect(view.outWeights === null ? null : Array.from(view.outWeights)).toEqual(direct.outWeights === null ? null : Array.from(direct.outWeights));
    expect(view.inOffsets).toBe(view.outOffsets);
  });

  it('costs under 20 bytes per arc for CSR + CSC with float32 weights', () => {
    const g = buildGraph(randomColumns(10_000, 200_000, 5));
    expect(graphBytes(g) / g.m).toBeLessThan(20);
  });

  it('empty input gives an empty graph', () => {
    const g = buildGraph({ nodeCount: 0, source: new Int32Array(0), target: new Int32Array(0), weight: null, timestamp: null, type: null, typeNames: [] });
    expect(g.n).toBe(0);
    expect(g.m).toBe(0);
  });
});
