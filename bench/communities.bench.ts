/**
 * Community detection benchmarks (issue: communities).
 *
 * Cases, each on a seeded LFR-like planted partition (datasets/generators.ts `plantedPartition`,
 * average degree 20, mixing 0.3, communities of 20-100 members):
 *  - "planted ~100k edges" (n = 14,000) and "planted ~1M edges" (n = 140,000): about 7.3 distinct
 *    edges per node once duplicate rows are merged;
 *  - "planted ~10M edges" (n = 1,400,000): only with BENCH_LARGE=1.
 * Per case, side by side, end to end from the same edge columns (time = graph build + detection):
 *  - supernode Louvain; Leiden with its defaults (iterations = -1: until an iteration gains
 *    <= 1e-4 in Q), Leiden to the exact fixed point (tolerance 0, igraph n_iterations=-1), Leiden
 *    with 2 iterations (python-igraph's default); label propagation: buildGraph (undirected) + kernel;
 *  - graphology-communities-louvain 2.0.2: graphology undirected Graph built with mergeEdge
 *    (weights summed) + louvain.detailed (seeded rng, fastLocalMoves default);
 *  - python-igraph multilevel / Leiden when `python3 -c "import igraph"` works (skipped otherwise).
 * Modularity is always scored by engine/algorithms/modularity.ts on the same graph; NMI against
 * the planted partition is reported too.
 * Run: npx tsx bench/communities.bench.ts   (BENCH_LARGE=1 adds the 10M case; BENCH_NO_GRAPHOLOGY=1 skips it)
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { UndirectedGraph } from 'graphology';
import { plantedPartition } from '../datasets/generators.js';
import { buildGraph } from '../engine/graph/builder.js';
import { labelPropagation } from '../engine/algorithms/label-propagation.js';
import { leiden } from '../engine/algorithms/leiden.js';
import { louvain, type PartitionResult } from '../engine/algorithms/louvain.js';
import { disconnectedCommunities, modularity, nmi } from '../engine/algorithms/modularity.js';
import { createRng } from '../engine/algorithms/random.js';
import { type CaseResult, log, peakRssMiB, writeResults } from './harness.js';

const graphologyLouvain: typeof import('graphology-communities-louvain').default = createRequire(import.meta.url)('graphology-communities-louvain');

function igraphAvailable(): boolean {
  try {
    execFileSync('python3', ['-c', 'import igraph'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Row {
  method: string;
  seconds: number;
  buildSeconds: number;
  modularity: number;
  communities: number;
  nmi: number;
  disconnected: number;
  extra?: Record<string, number>;
}

function runCase(name: string, nodes: number, seed: number, withGraphology: boolean): CaseResult {
  const t = performance.now();
  const p = plantedPartition({ n: nodes, avgDegree: 20, mixing: 0.3, seed });
  const genSeconds = (performance.now() - t) / 1000;
  const cols = { nodeCount: p.n, source: p.source, target: p.target, weight: null, timestamp: null, type: null, typeNames: [] };
  const rows: Row[] = [];
  let edges = 0;
  const ours = (method: string, f: (g: ReturnType<typeof buildGraph>) => PartitionResult, extra?: (r: PartitionResult) => Record<string, number>) => {
    const t0 = performance.now();
    const g = buildGraph(cols, { directed: false, weighted: true });
    const t1 = performance.now();
    const r = f(g);
    const t2 = performance.now();
    edges = g.m / 2;
    rows.push({
      method, seconds: (t2 - t0) / 1000, buildSeconds: (t1 - t0) / 1000, modularity: r.modularity, communities: r.communities,
      nmi: nmi(r.membership, p.membership), disconnected: disconnectedCommunities(g, r.membership),
      ...(extra && { extra: extra(r) }),
    });
  };
  ours('supernode louvain', (g) => louvain(g, { seed }), (r) => ({ levels: r.levels }));
  ours('supernode leiden (default, gain<=1e-4)', (g) => leiden(g, { seed }), (r) => ({ levels: r.levels, iterations: r.iterations }));
  ours('supernode leiden (exact fixed point)', (g) => leiden(g, { seed, tolerance: 0 }), (r) => ({ levels: r.levels, iterations: r.iterations }));
  ours('supernode leiden (2 iterations)', (g) => leiden(g, { seed, iterations: 2 }), (r) => ({ levels: r.levels, iterations: r.iterations }));
  ours('supernode label propagation', (g) => labelPropagation(g, { seed }), (r) => ({ sweeps: r.iterations }));
  const g = buildGraph(cols, { directed: false, weighted: true });
  if (withGraphology) {
    const t0 = performance.now();
    const G = new UndirectedGraph();
    for (let v = 0; v < p.n; v++) G.addNode(v);
    for (let i = 0; i < p.source.length; i++) {
      const u = p.source[i]!, v = p.target[i]!;
      if (u === v) continue;
      G.updateEdge(u, v, (a) => ({ weight: ((a['weight'] as number | undefined) ?? 0) + 1 }));
    }
    const t1 = performance.now();
    const r = graphologyLouvain.detailed(G, { getEdgeWeight: 'weight', rng: createRng(seed) });
    const t2 = performance.now();
    const memb = new Int32Array(p.n);
    for (const [node, c] of Object.entries(r.communities)) memb[Number(node)] = c;
    rows.push({
      method: 'graphology-communities-louvain', seconds: (t2 - t0) / 1000, buildSeconds: (t1 - t0) / 1000,
      modularity: modularity(g, memb), communities: r.count, nmi: nmi(memb, p.membership), disconnected: disconnectedCommunities(g, memb),
      extra: { reportedModularity: r.modularity },
    });
  }
  const base = rows.find((r) => r.method === 'graphology-communities-louvain');
  log(`${name}: ${p.n} nodes, ${edges} edges, ${p.communities} planted communities (generated in ${genSeconds.toFixed(2)} s)`);
  for (const r of rows) {
    const speed = base && r !== base ? `  x${(base.seconds / r.seconds).toFixed(1)} vs graphology` : '';
    const it = r.extra?.['iterations'] === undefined ? '' : `  it ${r.extra['iterations']}`;
    log(`  ${r.method.padEnd(38)} ${r.seconds.toFixed(2).padStart(7)} s (build ${r.buildSeconds.toFixed(2)})  Q ${r.modularity.toFixed(4)}`
      + `  k ${String(r.communities).padStart(6)}  NMI ${r.nmi.toFixed(3)}  disconnected ${r.disconnected}${it}${speed}`);
  }
  return { name, nodes: p.n, edges, plantedCommunities: p.communities, mixing: 0.3, avgDegree: 20, seed, rows };
}

const cases: CaseResult[] = [];
const withGraphology = process.env['BENCH_NO_GRAPHOLOGY'] !== '1';
cases.push(runCase('planted ~100k edges', 14_000, 1, withGraphology));
cases.push(runCase('planted ~1M edges', 140_000, 1, withGraphology));
if (process.env['BENCH_LARGE'] === '1') cases.push(runCase('planted ~10M edges', 1_400_000, 1, withGraphology));
const igraph = igraphAvailable();
if (!igraph) log('python3-igraph not installed: igraph columns skipped');
const file = writeResults('communities', cases, { igraph: igraph ? 'installed but not wired into this bench' : 'not installed, skipped', peakRssMiB: peakRssMiB() });
log(`results: ${file}`);
