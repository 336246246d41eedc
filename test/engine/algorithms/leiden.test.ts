import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { plantedPartition } from '../../../datasets/generators.js';
import { buildGraph, undirectedView } from '../../../engine/graph/builder.js';
import type { CsrGraph } from '../../../engine/graph/csr.js';
import { labelPropagation } from '../../../engine/algorithms/label-propagation.js';
import { leiden } from '../../../engine/algorithms/leiden.js';
import { louvain } from '../../../engine/algorithms/louvain.js';
import { ari, disconnectedCommunities, modularity, nmi } from '../../../engine/algorithms/modularity.js';
import { runAlgorithm } from '../../../engine/catalog/index.js';
import { CASES, type LoadedCase, loadCase, readRef, ROOT } from '../../helpers/reference.js';

/** Naive connectivity oracle: Map-based adjacency, one BFS per community from its first member. */
function componentsPerCommunity(g: CsrGraph, memb: Int32Array): Map<number, number> {
  const adj = new Map<number, number[]>();
  for (let u = 0; u < g.n; u++) adj.set(u, Array.from(g.outTargets.subarray(g.outOffsets[u]!, g.outOffsets[u + 1]!)));
  const seen = new Set<number>(), parts = new Map<number, number>();
  for (let s = 0; s < g.n; s++) {
    if (seen.has(s)) continue;
    parts.set(memb[s]!, (parts.get(memb[s]!) ?? 0) + 1);
    const stack = [s];
    seen.add(s);
    while (stack.length) for (const v of adj.get(stack.pop()!)!) if (!seen.has(v) && memb[v] === memb[s]) { seen.add(v); stack.push(v); }
  }
  return parts;
}

const TRUTH: Record<string, string> = {
  karate: 'karate-club/karate_club_factions.txt.gz',
  football: 'football/football_conferences.txt.gz',
  'email-Eu-core': 'email-Eu-core/email-Eu-core-department-labels.txt.gz',
};

function groundTruth(name: string, loaded: LoadedCase): Int32Array {
  const t = new Int32Array(loaded.graph.n).fill(-1), labels = new Map<string, number>();
  for (const line of zlib.gunzipSync(fs.readFileSync(path.join(ROOT, 'datasets', TRUTH[name]!))).toString('utf8').split('\n')) {
    if (!line.trim() || line[0] === '#') continue;
    const [id, label] = line.split(/[\t ]/);
    if (!labels.has(label!)) labels.set(label!, labels.size);
    t[loaded.index.get(id!)!] = labels.get(label!)!;
  }
  expect(t.includes(-1)).toBe(false);
  return t;
}

describe('leiden', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('on %s: every community connected, Q >= Louvain and >= igraph Leiden - 0.005', (_, c) => {
    const g = undirectedView(loadCase(c).graph);
    const r = leiden(g);
    expect(r.splitCommunities).toBe(0); // connected by construction, not by the safety pass
    expect(disconnectedCommunities(g, r.membership)).toBe(0);
    expect([...componentsPerCommunity(g, r.membership).values()].every((x) => x === 1)).toBe(true);
    expect(r.modularity).toBeGreaterThanOrEqual(louvain(g).modularity);
    expect(r.modularity).toBeGreaterThanOrEqual(readRef(c.name, 'leiden')!.extra.modularity! - 0.005);
    expect(r.modularity).toBeCloseTo(modularity(g, r.membership), 12);
    expect(r.converged).toBe(true);
  });

  it('keeps communities connected on random sparse graphs over many seeds', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const p = plantedPartition({ n: 300, avgDegree: 3, mixing: 0.4, seed, minCommunity: 10, maxCommunity: 40 });
      const g = buildGraph({ nodeCount: p.n, source: p.source, target: p.target, weight: null, timestamp: null, type: null, typeNames: [] }, { directed: false });
      const r = leiden(g, { seed });
      expect(r.splitCommunities).toBe(0);
      expect([...componentsPerCommunity(g, r.membership).values()].every((x) => x === 1)).toBe(true);
    }
  });

  it('is deterministic per seed; a single iteration is allowed and never beats the stable run by much', () => {
    const g = undirectedView(loadCase(CASES.find((c) => c.name === 'CollegeMsg')!).graph);
    expect(leiden(g, { seed: 9 }).membership).toEqual(leiden(g, { seed: 9 }).membership);
    const one = leiden(g, { seed: 9, iterations: 1 });
    expect(one.iterations).toBe(1);
    expect(disconnectedCommunities(g, one.membership)).toBe(0);
  });

  it('stops on the iteration gain: tolerance 0 continues the same run to a fixed point, never lower', () => {
    for (const name of ['CollegeMsg', 'email-Eu-core']) {
      const g = undirectedView(loadCase(CASES.find((c) => c.name === name)!).graph);
      const early = leiden(g, { seed: 4 }), exact = leiden(g, { seed: 4, tolerance: 0 });
      expect(exact.converged).toBe(true);
      expect(exact.iterations).toBeGreaterThanOrEqual(early.iterations);
      // Same seed, same random stream: the exact run is the early run plus more iterations, and
      // no iteration lowers Q.
      expect(exact.modularity).toBeGreaterThanOrEqual(early.modularity - 1e-12);
      expect(disconnectedCommunities(g, exact.membership)).toBe(0);
      const two = leiden(g, { seed: 4, iterations: 2 });
      expect(two.iterations).toBe(2);
      expect(early.iterations < 2 || early.modularity >= two.modularity - 1e-12).toBe(true);
    }
  });

  it('recovers a planted partition (mixing 0.3) with NMI >= 0.95', () => {
    const p = plantedPartition({ n: 3000, avgDegree: 20, mixing: 0.3, seed: 1, minCommunity: 60, maxCommunity: 200 });
    const g = buildGraph({ nodeCount: p.n, source: p.source, target: p.target, weight: null, timestamp: null, type: null, typeNames: [] }, { directed: false });
    expect(nmi(leiden(g, { seed: 1 }).membership, p.membership)).toBeGreaterThanOrEqual(0.95);
  });

  it('catalog entry: undirected view, canonical labels, modularity and diagnostics filled', () => {
    const loaded = loadCase(CASES.find((c) => c.name === 'email-Eu-core')!);
    const out = runAlgorithm('leiden', loaded.graph, { seed: 42 });
    if (out.kind !== 'partition') throw new Error('expected a partition');
    expect(out.modularity).toBeCloseTo(modularity(loaded.graph, out.membership), 12);
    expect(out.diagnostics['communities']).toBeGreaterThan(1);
    expect(out.diagnostics['splitCommunities']).toBe(0);
    expect(out.membership[0]).toBe(0);
    expect(() => runAlgorithm('louvain', loaded.graph, { seed: 1, resolution: -1 })).toThrow(/resolution/);
  });
});

/**
 * Agreement with ground truth, kept from regressing. Floors are the values measured when the
 * kernels were written (seed 42) minus 0.02; the figures are in the report of the communities issue.
 */
describe('ground truth (NMI / ARI, seed 42)', () => {
  const FLOORS: Record<string, Record<string, number>> = {
    karate: { louvain: 0.58, leiden: 0.58, 'label-propagation': 0.46 },
    football: { louvain: 0.87, leiden: 0.87, 'label-propagation': 0.87 },
    // Leiden on email-Eu-core: 0.5941 at seed 42 with the first kernel, 0.5691 since the visit
    // order changed; over seeds 1-7 both kernels range 0.567-0.595 (means 0.584 / 0.581, same Q).
    'email-Eu-core': { louvain: 0.55, leiden: 0.55, 'label-propagation': 0 },
  };
  const run: Record<string, (g: CsrGraph, o: { seed: number }) => { membership: Int32Array; modularity: number }> = {
    louvain, leiden, 'label-propagation': labelPropagation,
  };
  const rows = Object.keys(TRUTH).flatMap((d) => Object.keys(run).map((a) => [d, a] as const));
  it.each(rows)('%s with %s', (dataset, algo) => {
    const loaded = loadCase(CASES.find((c) => c.name === dataset)!);
    const truth = groundTruth(dataset, loaded);
    const r = run[algo]!(undirectedView(loaded.graph), { seed: 42 });
    const score = nmi(r.membership, truth);
    console.log(`${dataset} ${algo}: NMI ${score.toFixed(4)} ARI ${ari(r.membership, truth).toFixed(4)} Q ${r.modularity.toFixed(4)}`);
    expect(score).toBeGreaterThanOrEqual(FLOORS[dataset]![algo]!);
  });
});
