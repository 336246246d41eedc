import { createRequire } from 'node:module';
import { UndirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { plantedPartition } from '../../../datasets/generators.js';
import { buildGraph, undirectedView } from '../../../engine/graph/builder.js';
import type { CsrGraph } from '../../../engine/graph/csr.js';
import { aggregate, aggregateQuality, compact, louvain, MoveScratch, moveNodes, type WorkGraph, workGraph } from '../../../engine/algorithms/louvain.js';
import { Checkpoint } from '../../../engine/algorithms/control.js';
import { modularity, nmi } from '../../../engine/algorithms/modularity.js';
import { createRng } from '../../../engine/algorithms/random.js';
import { isSupernodeError } from '../../../engine/errors.js';
import { CASES, loadCase, readRef } from '../../helpers/reference.js';

const graphologyLouvain: typeof import('graphology-communities-louvain').default = createRequire(import.meta.url)('graphology-communities-louvain');

/** The same undirected weighted view as a graphology graph (the JS reference path). */
function toGraphology(g: CsrGraph): UndirectedGraph {
  const G = new UndirectedGraph();
  for (let u = 0; u < g.n; u++) G.addNode(u);
  for (let u = 0; u < g.n; u++) {
    for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) {
      const v = g.outTargets[e]!;
      if (u < v) G.addEdge(u, v, { weight: g.outWeights?.[e] ?? 1 });
    }
  }
  return G;
}

function planted(mixing: number, seed: number) {
  const p = plantedPartition({ n: 3000, avgDegree: 20, mixing, seed, minCommunity: 60, maxCommunity: 200 });
  const g = buildGraph({ nodeCount: p.n, source: p.source, target: p.target, weight: null, timestamp: null, type: null, typeNames: [] }, { directed: false, weighted: false });
  return { g, truth: p.membership };
}

describe('louvain', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('reaches igraph multilevel modularity - 0.005 on %s', (_, c) => {
    const g = undirectedView(loadCase(c).graph);
    const r = louvain(g);
    expect(r.modularity).toBeGreaterThanOrEqual(readRef(c.name, 'louvain')!.extra.modularity! - 0.005);
    expect(r.modularity).toBeCloseTo(modularity(g, r.membership), 12);
    expect(r.converged).toBe(true);
  });

  it.each(['karate', 'lesmis', 'football', 'email-Eu-core'])('agrees with graphology-communities-louvain on %s', (name) => {
    const g = undirectedView(loadCase(CASES.find((c) => c.name === name)!).graph);
    const G = toGraphology(g);
    const ref = graphologyLouvain.detailed(G, { getEdgeWeight: 'weight', rng: createRng(7) });
    const memb = new Int32Array(g.n);
    for (const [node, c] of Object.entries(ref.communities)) memb[Number(node)] = c;
    // Our scorer on graphology's partition equals graphology's own modularity.
    expect(Math.abs(modularity(g, memb) - ref.modularity)).toBeLessThan(1e-9);
    expect(louvain(g).modularity).toBeGreaterThanOrEqual(ref.modularity - 0.01);
  });

  it('is deterministic per seed and relabels communities by smallest node index', () => {
    const g = undirectedView(loadCase(CASES.find((c) => c.name === 'email-Eu-core')!).graph);
    const a = louvain(g, { seed: 5 }), b = louvain(g, { seed: 5 });
    expect(b.membership).toEqual(a.membership);
    let next = 0;
    for (const c of a.membership) { expect(c).toBeLessThanOrEqual(next); if (c === next) next++; }
    expect(next).toBe(a.communities);
  });

  it('never lowers modularity from one level to the next', () => {
    const g = undirectedView(loadCase(CASES.find((c) => c.name === 'wiki-Vote')!).graph);
    let prev = -Infinity;
    for (let levels = 1; levels <= 4; levels++) {
      const q = louvain(g, { seed: 3, maxLevels: levels }).modularity;
      expect(q).toBeGreaterThanOrEqual(prev - 1e-12);
      prev = q;
    }
  });

  it('aggregation preserves modularity: identity on the aggregate = partition on the original', () => {
    const g = undirectedView(loadCase(CASES.find((c) => c.name === 'CollegeMsg')!).graph);
    const G = workGraph(g);
    const rnd = createRng(11);
    for (const gamma of [0.5, 1, 1.5]) {
      const memb = Int32Array.from({ length: g.n }, () => Math.floor(rnd() * 40));
      const k = compact(memb, new Int32Array(g.n));
      const A = aggregate(G, memb, k);
      expect(aggregateQuality(A, gamma)).toBeCloseTo(modularity(g, memb, gamma), 12);
      // Second level too, on a coarser partition of the aggregate.
      const m2 = Int32Array.from({ length: k }, (_, i) => i % 7);
      const B = aggregate(A, m2, 7);
      const composed = Int32Array.from(memb, (c) => m2[c]!);
      expect(aggregateQuality(B, gamma)).toBeCloseTo(modularity(g, composed, gamma), 12);
    }
  });

  it('single-pass aggregation equals a naive Map-based merge of the crossing arcs', () => {
    const G = workGraph(undirectedView(loadCase(CASES.find((c) => c.name === 'email-Eu-core')!).graph));
    const rnd = createRng(5);
    const memb = Int32Array.from({ length: G.n }, () => Math.floor(rnd() * 60));
    const k = compact(memb, new Int32Array(G.n));
    const A = aggregate(G, memb, k);
    const naive = new Map<string, number>(), self = new Float64Array(k), strength = new Float64Array(k);
    for (let v = 0; v < G.n; v++) {
      self[memb[v]!]! += G.self[v]!;
      strength[memb[v]!]! += G.strength[v]!;
      for (let e = G.offsets[v]!; e < G.offsets[v + 1]!; e++) {
        const c = memb[v]!, d = memb[G.targets[e]!]!;
        if (c === d) self[c]! += G.weights[e]! / 2;
        else naive.set(`${c},${d}`, (naive.get(`${c},${d}`) ?? 0) + G.weights[e]!);
      }
    }
    const got = new Map<string, number>();
    for (let c = 0; c < k; c++) {
      for (let e = A.offsets[c]!; e < A.offsets[c + 1]!; e++) {
        const key = `${c},${A.targets[e]!}`;
        expect(got.has(key)).toBe(false); // parallel arcs merged
        got.set(key, A.weights[e]!);
      }
    }
    expect(got.size).toBe(naive.size);
    for (const [key, x] of naive) expect(got.get(key)).toBeCloseTo(x, 9);
    for (let c = 0; c < k; c++) { expect(A.self[c]).toBeCloseTo(self[c]!, 9); expect(A.strength[c]).toBeCloseTo(strength[c]!, 9); }
    expect(A.total).toBe(G.total);
  });

  it('local moving reports its exact modularity gain', () => {
    const g = undirectedView(loadCase(CASES.find((c) => c.name === 'CollegeMsg')!).graph);
    const G: WorkGraph = workGraph(g);
    const s = new MoveScratch(G.n);
    for (const gamma of [0.5, 1]) {
      const memb = Int32Array.from({ length: G.n }, (_, v) => v);
      const before = modularity(g, memb, gamma);
      const moves = moveNodes(G, memb, gamma / G.total, createRng(2), s, new Checkpoint(undefined, 'test'), 0);
      expect(moves).toBeGreaterThan(0);
      expect(modularity(g, memb, gamma) - before).toBeCloseTo((2 * s.gain) / G.total, 10);
    }
  });

  it('local moving ends at a near-local optimum: almost no node has an improving single move', () => {
    // The fast local move re-activates only the neighbours of a moved node, but a move also changes
    // two community totals, which can leave a non-neighbour with an improving move (igraph's
    // fastmovenodes shares this): the queue-based kernel this replaced left 0, 8 and 8 such nodes on
    // these three graphs, the block sweeps leave 0, 1 and 8. n = 3000 sweeps blocks of 2 nodes,
    // CollegeMsg (1,899 nodes) single nodes; both hand the last active nodes to the FIFO queue.
    // Oracle: every node's best single move, summed naively from its row.
    const graphs = [planted(0.3, 5).g, planted(0.5, 6).g, undirectedView(loadCase(CASES.find((c) => c.name === 'CollegeMsg')!).graph)];
    for (const g of graphs) {
      const G: WorkGraph = workGraph(g);
      const memb = Int32Array.from({ length: G.n }, (_, v) => v);
      const res = 1 / G.total;
      moveNodes(G, memb, res, createRng(3), new MoveScratch(G.n), new Checkpoint(undefined, 'test'), 0);
      const tot = new Float64Array(G.n);
      for (let v = 0; v < G.n; v++) tot[memb[v]!]! += G.strength[v]!;
      let improvable = 0;
      for (let v = 0; v < G.n; v++) {
        const kv = G.strength[v]!, cur = memb[v]!;
        const toComm = new Map<number, number>();
        for (let e = G.offsets[v]!; e < G.offsets[v + 1]!; e++) {
          const c = memb[G.targets[e]!]!;
          toComm.set(c, (toComm.get(c) ?? 0) + G.weights[e]!);
        }
        const stay = (toComm.get(cur) ?? 0) - kv * (tot[cur]! - kv) * res;
        let best = Math.max(0, stay); // 0: a community of its own
        for (const [c, wc] of toComm) if (c !== cur) best = Math.max(best, wc - kv * tot[c]! * res);
        if (best - stay > 1e-9 * Math.max(1, kv)) improvable++;
      }
      expect(improvable).toBeLessThanOrEqual(Math.ceil(0.005 * G.n));
    }
  });

  it('higher resolution gives more, smaller communities', () => {
    const g = undirectedView(loadCase(CASES.find((c) => c.name === 'ego-Facebook')!).graph);
    const low = louvain(g, { resolution: 0.5 }), high = louvain(g, { resolution: 2 });
    expect(high.communities).toBeGreaterThan(low.communities);
    expect(low.modularity).toBeCloseTo(modularity(g, low.membership, 0.5), 12);
  });

  it('recovers a planted partition (mixing 0.3) with NMI >= 0.95', () => {
    const { g, truth } = planted(0.3, 1);
    expect(nmi(louvain(g, { seed: 1 }).membership, truth)).toBeGreaterThanOrEqual(0.95);
  });

  it('handles graphs without edges, reports progress and honours cancel', () => {
    const empty = buildGraph({ nodeCount: 3, source: new Int32Array(0), target: new Int32Array(0), weight: null, timestamp: null, type: null, typeNames: [] }, { directed: false });
    const r = louvain(empty);
    expect([...r.membership]).toEqual([0, 1, 2]);
    expect(r.modularity).toBe(0);
    const g = undirectedView(loadCase(CASES.find((c) => c.name === 'football')!).graph);
    const seen: number[] = [];
    louvain(g, {}, { onProgress: (f) => seen.push(f) });
    expect(seen.at(-1)).toBe(1);
    let err: unknown;
    try { louvain(g, {}, { shouldStop: () => true }); } catch (e) { err = e; }
    expect(isSupernodeError(err) && err.code === 'CANCELLED').toBe(true);
  });
});
