import { describe, expect, it } from 'vitest';
import { edgesGraph } from './graphs.js';
import type { CsrGraph } from '../../../engine/graph/csr.js';
import { type CascadeModel, estimateSpread, spreadArcs } from '../../../engine/rank/spread.js';

/** Spread-direction arcs (from -> to, probability) read straight off the definition, not the CSR layout. */
function spreadEdges(g: CsrGraph, model: CascadeModel): { from: number; to: number; p: number }[] {
  const arcs: { u: number; v: number; w: number }[] = [];
  for (let u = 0; u < g.n; u++) for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) arcs.push({ u, v: g.outTargets[e]!, w: g.outWeights?.[e] ?? 1 });
  const s = new Map<number, number>();
  for (const a of arcs) s.set(a.u, (s.get(a.u) ?? 0) + a.w);
  // Graph arc u -> v (u acted towards v): v's content reaches u.
  return arcs.map((a) => ({ from: a.v, to: a.u, p: model.kind === 'ic' ? model.p : a.w / s.get(a.u)! }));
}

/** Naive twin, IC/WC: enumerate all 2^m live-edge worlds, BFS each, weight by its probability. */
function exactIc(g: CsrGraph, model: CascadeModel, seeds: number[]): number {
  const es = spreadEdges(g, model);
  let total = 0;
  for (let mask = 0; mask < 1 << es.length; mask++) {
    let pr = 1;
    const adj: number[][] = Array.from({ length: g.n }, () => []);
    es.forEach((e, i) => {
      if (mask & (1 << i)) { pr *= e.p; adj[e.from]!.push(e.to); } else pr *= 1 - e.p;
    });
    const seen = new Set(seeds), stack = [...seeds];
    while (stack.length) for (const y of adj[stack.pop()!]!) if (!seen.has(y)) { seen.add(y); stack.push(y); }
    total += pr * seen.size;
  }
  return total;
}

/** Naive twin, LT: live-edge equivalence; every member picks one activator (or none) with probability b. */
function exactLt(g: CsrGraph, seeds: number[]): number {
  const es = spreadEdges(g, { kind: 'lt' });
  const choices: { from: number; p: number }[][] = Array.from({ length: g.n }, () => []);
  for (const e of es) choices[e.to]!.push({ from: e.from, p: e.p });
  for (const c of choices) { const rest = 1 - c.reduce((a, b) => a + b.p, 0); if (rest > 1e-12) c.push({ from: -1, p: rest }); if (c.length === 0) c.push({ from: -1, p: 1 }); }
  let total = 0;
  const pick = new Array<number>(g.n);
  const rec = (v: number, pr: number) => {
    if (v === g.n) {
      const active = new Set(seeds);
      for (let changed = true; changed;) { changed = false; for (let u = 0; u < g.n; u++) if (!active.has(u) && pick[u]! >= 0 && active.has(pick[u]!)) { active.add(u); changed = true; } }
      total += pr * active.size;
      return;
    }
    for (const c of choices[v]!) { pick[v] = c.from; rec(v + 1, pr * c.p); }
  };
  rec(0, 1);
  return total;
}

describe('spread estimate', () => {
  it('path 0 <- 1 <- 2 <- 3 with p = 0.5: exact 1 + 1/2 + 1/4 + 1/8 = 1.875', () => {
    // Edges 1->0, 2->1, 3->2: each member acted towards the previous one, so 0's content travels 0 -> 1 -> 2 -> 3.
    const g = edgesGraph(4, [[1, 0], [2, 1], [3, 2]]);
    expect(exactIc(g, { kind: 'ic', p: 0.5 }, [0])).toBeCloseTo(1.875, 12);
    const r = estimateSpread(g, [0], { model: { kind: 'ic', p: 0.5 }, runs: 40_000, seed: 7 });
    expect(r.ci95[0]).toBeLessThan(1.875);
    expect(r.ci95[1]).toBeGreaterThan(1.875);
    // Seeding the far end reaches nobody: information does not flow along the edge direction.
    expect(estimateSpread(g, [3], { model: { kind: 'ic', p: 1 }, runs: 10 }).mean).toBe(1);
    expect(estimateSpread(g, [0], { model: { kind: 'ic', p: 1 }, runs: 10 }).mean).toBe(4);
  });

  it('star: 4 leaves acting towards the hub, p = 0.5: exact 1 + 4 * 0.5 = 3 from the hub, 1 from a leaf', () => {
    const g = edgesGraph(5, [[1, 0], [2, 0], [3, 0], [4, 0]]);
    expect(exactIc(g, { kind: 'ic', p: 0.5 }, [0])).toBeCloseTo(3, 12);
    const r = estimateSpread(g, [0], { model: { kind: 'ic', p: 0.5 }, runs: 20_000, seed: 3 });
    expect(Math.abs(r.mean - 3)).toBeLessThan(4 * r.sd / Math.sqrt(r.runs));
    expect(estimateSpread(g, [1], { model: { kind: 'ic', p: 0.5 }, runs: 1000 }).mean).toBe(1);
    // Weighted cascade: every leaf has one activator, so p = 1 and the hub reaches everybody.
    expect(estimateSpread(g, [0], { model: { kind: 'wc' }, runs: 100 }).mean).toBe(5);
  });

  const pairs: [number, number][] = [[0, 1], [1, 2], [2, 0], [3, 1], [3, 2], [4, 3], [1, 4], [4, 0], [2, 4], [0, 3]];
  const weights = [1, 2, 1, 3, 1, 1, 2, 1, 4, 1];
  it.each([
    ['ic 0.3', { kind: 'ic', p: 0.3 } as CascadeModel, false],
    ['wc unweighted', { kind: 'wc' } as CascadeModel, false],
    ['wc weighted', { kind: 'wc' } as CascadeModel, true],
    ['lt weighted', { kind: 'lt' } as CascadeModel, true],
  ])('matches the enumerated exact spread on a 5-node, 10-arc graph (%s)', (_, model, weighted) => {
    const g = edgesGraph(5, pairs, true, weighted ? weights : undefined);
    for (const seeds of [[0], [3], [1, 4]]) {
      const exact = model.kind === 'lt' ? exactLt(g, seeds) : exactIc(g, model, seeds);
      const r = estimateSpread(g, seeds, { model, runs: 20_000, seed: 11 });
      expect(Math.abs(r.mean - exact)).toBeLessThan(4.5 * r.sd / Math.sqrt(r.runs) + 1e-9);
    }
  });

  it('is reproducible by seed and varies with it', () => {
    const g = edgesGraph(5, pairs);
    const a = estimateSpread(g, [0], { model: { kind: 'ic', p: 0.4 }, runs: 10_000, seed: 5 });
    const b = estimateSpread(g, [0], { model: { kind: 'ic', p: 0.4 }, runs: 10_000, seed: 5 });
    const c = estimateSpread(g, [0], { model: { kind: 'ic', p: 0.4 }, runs: 10_000, seed: 6 });
    expect(b).toMatchObject({ mean: a.mean, sd: a.sd, ci95: a.ci95, runs: 10_000 });
    expect(c.mean).not.toBe(a.mean);
    expect(a.ci95[1] - a.mean).toBeCloseTo(1.96 * a.sd / 100, 12);
  });

  it('WC probabilities are weight / out-strength of the receiver, in both layouts', () => {
    const g = edgesGraph(3, [[0, 1], [0, 2]], true, [1, 3]);
    const a = spreadArcs(g, { kind: 'wc' });
    // Receiver 0 (acted towards 1 once, 2 three times) is activated by 1 w.p. 1/4, by 2 w.p. 3/4.
    expect(Array.from(a.bwdProb!)).toEqual([0.25, 0.75]);
    expect(Array.from(a.fwdProb!)).toEqual([0.25, 0.75]);
    expect(() => estimateSpread(g, [0], { model: { kind: 'ic', p: 1.5 } })).toThrow(/p <= 1/);
    expect(() => estimateSpread(g, [9])).toThrow(/not a node/);
  });
});
