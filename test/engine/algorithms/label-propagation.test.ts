import { describe, expect, it } from 'vitest';
import { plantedPartition } from '../../../datasets/generators.js';
import { buildGraph, undirectedView } from '../../../engine/graph/builder.js';
import { labelPropagation } from '../../../engine/algorithms/label-propagation.js';
import { modularity, nmi } from '../../../engine/algorithms/modularity.js';
import { isSupernodeError } from '../../../engine/errors.js';
import { CASES, loadCase, readRef } from '../../helpers/reference.js';

describe('label propagation', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('on %s: stops with every node holding a heaviest neighbour label', (_, c) => {
    const g = undirectedView(loadCase(c).graph);
    const r = labelPropagation(g);
    expect(r.converged).toBe(true);
    // Naive check of the stop rule, straight from the definition.
    for (let v = 0; v < g.n; v++) {
      const lo = g.outOffsets[v]!, hi = g.outOffsets[v + 1]!;
      if (lo === hi) continue;
      const weight = new Map<number, number>();
      for (let e = lo; e < hi; e++) {
        const l = r.membership[g.outTargets[e]!]!;
        weight.set(l, (weight.get(l) ?? 0) + (g.outWeights?.[e] ?? 1));
      }
      expect(weight.get(r.membership[v]!) ?? 0).toBe(Math.max(...weight.values()));
    }
    expect(r.modularity).toBeCloseTo(modularity(g, r.membership), 12);
    // Same flavour as igraph's: near its modularity where structure is clear, ~0 where one label floods.
    const ref = readRef(c.name, 'label_propagation')!.extra.modularity!;
    if (ref < 0.01) expect(r.modularity).toBeLessThan(0.05);
  });

  it('is deterministic per seed', () => {
    const g = undirectedView(loadCase(CASES.find((c) => c.name === 'ego-Facebook')!).graph);
    expect(labelPropagation(g, { seed: 3 }).membership).toEqual(labelPropagation(g, { seed: 3 }).membership);
  });

  it('recovers a planted partition (mixing 0.3) with NMI >= 0.95', () => {
    const p = plantedPartition({ n: 3000, avgDegree: 20, mixing: 0.3, seed: 1, minCommunity: 60, maxCommunity: 200 });
    const g = buildGraph({ nodeCount: p.n, source: p.source, target: p.target, weight: null, timestamp: null, type: null, typeNames: [] }, { directed: false });
    expect(nmi(labelPropagation(g, { seed: 1 }).membership, p.membership)).toBeGreaterThanOrEqual(0.95);
  });

  it('honours cancel', () => {
    const g = undirectedView(loadCase(CASES[0]!).graph);
    let err: unknown;
    try { labelPropagation(g, {}, { shouldStop: () => true }); } catch (e) { err = e; }
    expect(isSupernodeError(err) && err.code === 'CANCELLED').toBe(true);
  });
});
