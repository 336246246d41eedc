/**
 * Community detection benchmarks (issue 4): supernode Louvain / Leiden / label propagation vs
 * python-igraph (`community_multilevel`, `community_leiden`) and graphology-communities-louvain,
 * side by side on the same edge rows, in one script run.
 *
 * Graphs: seeded LFR-like planted partitions (datasets/generators.ts `plantedPartition`, average
 * degree 20, mixing 0.3, communities of 20-100 members), ~10 rows and ~7.3 distinct undirected
 * edges per node once duplicate rows merge:
 *   100k (n = 14,000) and 1m (n = 140,000) by default; 10m (n = 1,400,000) with BENCH_LARGE=1;
 *   30m (n = 4,200,000) with BENCH_HUGE=1. BENCH_CASES=100k,1m,10m,30m picks cases explicitly.
 * Every method runs in a fresh child process that reads the same binary edge rows from a temp
 * file, so each row's time and peak RSS are its own (no heap left over from another method):
 *   time = graph build from the in-memory rows + detection (build also reported alone);
 *   peak RSS = the child's maxrss, rows and graph included.
 *  - supernode: buildGraph(undirected, weighted: duplicate rows summed) + louvain / leiden
 *    (default: until an iteration gains <= 1e-4 in Q; exact fixed point, tolerance 0 = igraph
 *    n_iterations=-1; 2 iterations = python-igraph's default) / label propagation;
 *  - graphology-communities-louvain 2.0.2: UndirectedGraph built by updateEdge (weights summed)
 *    + louvain.detailed (seeded rng, fastLocalMoves default);
 *  - python-igraph 0.10.2 under Debian's /usr/bin/python3 (BENCH_PYTHON overrides): rows as a
 *    list of pairs (converted untimed), Graph(n, edges) + simplify(combine_edges sum) timed as the
 *    build, then community_multilevel(weights) / community_leiden("modularity", weights,
 *    beta 0.01, n_iterations 2 or -1), Python's `random` seeded (igraph's RNG source).
 * Modularity is always scored by engine/algorithms/modularity.ts on our build of the same rows;
 * NMI against the planted partition and the number of disconnected communities are reported too.
 * Defaults per case (BENCH_METHODS=a,b,... overrides for every case): all methods at 100k and 1m;
 * at 10m everything but graphology (which would need minutes and >10 GiB); at 30m supernode
 * Louvain and Leiden only. BENCH_SEED (default 1) seeds the generator and every method;
 * BENCH_TIMEOUT (seconds, default 1800) bounds each child.
 * Run: npx tsx bench/communities.bench.ts    BENCH_LARGE=1 BENCH_HUGE=1 npx tsx bench/communities.bench.ts
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UndirectedGraph } from 'graphology';
import { plantedPartition } from '../datasets/generators.js';
import { buildGraph, type EdgeColumns } from '../engine/graph/builder.js';
import { labelPropagation } from '../engine/algorithms/label-propagation.js';
import { leiden } from '../engine/algorithms/leiden.js';
import { louvain, type PartitionResult } from '../engine/algorithms/louvain.js';
import { disconnectedCommunities, modularity, nmi } from '../engine/algorithms/modularity.js';
import { createRng } from '../engine/algorithms/random.js';
import { BENCH_DIR, type CaseResult, log, writeResults } from './harness.js';

const PYTHON = process.env['BENCH_PYTHON'] ?? '/usr/bin/python3';

interface CaseSpec { readonly id: string; readonly nodes: number; readonly methods: readonly string[] }

const OURS = ['louvain', 'leiden', 'leiden-exact', 'leiden-2', 'label-propagation'];
const IGRAPH = ['igraph-multilevel', 'igraph-leiden-2', 'igraph-leiden-exact'];
const CASES: Record<string, CaseSpec> = {
  '100k': { id: '100k', nodes: 14_000, methods: [...OURS, 'graphology', ...IGRAPH] },
  '1m': { id: '1m', nodes: 140_000, methods: [...OURS, 'graphology', ...IGRAPH] },
  '10m': { id: '10m', nodes: 1_400_000, methods: [...OURS, ...IGRAPH] },
  '30m': { id: '30m', nodes: 4_200_000, methods: ['louvain', 'leiden'] },
};

const LABELS: Record<string, string> = {
  'louvain': 'supernode louvain',
  'leiden': 'supernode leiden (default, gain<=1e-4)',
  'leiden-exact': 'supernode leiden (exact fixed point)',
  'leiden-2': 'supernode leiden (2 iterations)',
  'label-propagation': 'supernode label propagation',
  'graphology': 'graphology-communities-louvain',
  'igraph-multilevel': 'igraph community_multilevel',
  'igraph-leiden-2': 'igraph community_leiden (n_iterations=2)',
  'igraph-leiden-exact': 'igraph community_leiden (n_iterations=-1)',
};

/** What a child reports on stdout (one JSON line); its membership goes to `out` as int32. */
interface ChildReport {
  seconds: number;
  buildSeconds: number;
  peakRssMiB: number;
  communities: number;
  extra?: Record<string, number>;
}

const IGRAPH_CHILD = `
import random, resource, sys, time, json
import numpy as np
import igraph
rows_path, n, rows, method, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), sys.argv[6]
a = np.fromfile(rows_path, dtype=np.int32)
edges = np.column_stack((a[:rows], a[rows:])).tolist()  # untimed: the rows in memory as Python pairs
del a
random.seed(seed)
t0 = time.perf_counter()
g = igraph.Graph(n=n, edges=edges, directed=False)
g.es["weight"] = 1
g.simplify(multiple=True, loops=True, combine_edges=dict(weight="sum"))
t1 = time.perf_counter()
del edges
if method == "igraph-multilevel":
    c = g.community_multilevel(weights="weight")
elif method == "igraph-leiden-2":
    c = g.community_leiden(objective_function="modularity", weights="weight", beta=0.01, n_iterations=2)
else:
    c = g.community_leiden(objective_function="modularity", weights="weight", beta=0.01, n_iterations=-1)
t2 = time.perf_counter()
np.array(c.membership, dtype=np.int32).tofile(out)
print(json.dumps({"seconds": t2 - t0, "buildSeconds": t1 - t0, "communities": len(c),
                  "peakRssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "extra": {"edges": g.ecount(), "version": igraph.__version__}}))
`;

function readRows(file: string): { source: Int32Array; target: Int32Array } {
  const buf = fs.readFileSync(file);
  const all = new Int32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const rows = all.length / 2;
  return { source: all.subarray(0, rows), target: all.subarray(rows) };
}

function columns(n: number, source: Int32Array, target: Int32Array): EdgeColumns {
  return { nodeCount: n, source, target, weight: null, timestamp: null, type: null, typeNames: [] };
}

/** Child mode: `--child <rows file> <n> <method> <seed> <membership out>`. */
function child(rowsFile: string, n: number, method: string, seed: number, out: string): void {
  const { source, target } = readRows(rowsFile);
  let membership: Int32Array, communities: number, extra: Record<string, number> = {};
  const t0 = performance.now();
  let t1: number;
  if (method === 'graphology') {
    const graphologyLouvain: typeof import('graphology-communities-louvain').default = createRequire(import.meta.url)('graphology-communities-louvain');
    const G = new UndirectedGraph();
    for (let v = 0; v < n; v++) G.addNode(v);
    for (let i = 0; i < source.length; i++) {
      const u = source[i]!, v = target[i]!;
      if (u === v) continue;
      G.updateEdge(u, v, (a) => ({ weight: ((a['weight'] as number | undefined) ?? 0) + 1 }));
    }
    t1 = performance.now();
    const r = graphologyLouvain.detailed(G, { getEdgeWeight: 'weight', rng: createRng(seed) });
    membership = new Int32Array(n);
    for (const [node, c] of Object.entries(r.communities)) membership[Number(node)] = c;
    communities = r.count;
    extra = { reportedModularity: r.modularity };
  } else {
    const g = buildGraph(columns(n, source, target), { directed: false, weighted: true });
    t1 = performance.now();
    let r: PartitionResult;
    if (method === 'louvain') r = louvain(g, { seed });
    else if (method === 'leiden') r = leiden(g, { seed });
    else if (method === 'leiden-exact') r = leiden(g, { seed, tolerance: 0 });
    else if (method === 'leiden-2') r = leiden(g, { seed, iterations: 2 });
    else if (method === 'label-propagation') r = labelPropagation(g, { seed });
    else throw new Error(`unknown method ${method}`);
    membership = r.membership;
    communities = r.communities;
    extra = method === 'label-propagation' ? { sweeps: r.iterations } : { levels: r.levels, iterations: r.iterations, reportedModularity: r.modularity };
  }
  const t2 = performance.now();
  const report: ChildReport = {
    seconds: (t2 - t0) / 1000, buildSeconds: (t1 - t0) / 1000, peakRssMiB: process.resourceUsage().maxRSS / 1024, communities, extra,
  };
  fs.writeFileSync(out, new Uint8Array(membership.buffer, membership.byteOffset, membership.byteLength));
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

interface Row {
  method: string;
  id: string;
  seconds: number | null;
  buildSeconds: number | null;
  detectSeconds: number | null;
  peakRssMiB: number | null;
  modularity: number | null;
  communities: number | null;
  nmi: number | null;
  disconnected: number | null;
  error?: string;
  extra?: Record<string, number | string>;
}

function runChild(method: string, rowsFile: string, n: number, rows: number, seed: number, out: string, timeoutS: number): ChildReport | string {
  const isIgraph = method.startsWith('igraph');
  const cmd = isIgraph ? PYTHON : process.execPath;
  const args = isIgraph
    ? ['-c', IGRAPH_CHILD, rowsFile, String(n), String(rows), method, String(seed), out]
    : [...process.execArgv, fileURLToPath(import.meta.url), '--child', rowsFile, String(n), method, String(seed), out];
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutS * 1000, maxBuffer: 1 << 24 });
  if (r.error !== undefined) return `${r.error.message}`;
  if (r.status !== 0) return `exit ${r.status ?? r.signal}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ChildReport;
}

function runCase(spec: CaseSpec, methods: readonly string[], seed: number, timeoutS: number, dir: string): CaseResult {
  const loadStart = os.loadavg();
  const t = performance.now();
  const p = plantedPartition({ n: spec.nodes, avgDegree: 20, mixing: 0.3, seed });
  const genSeconds = (performance.now() - t) / 1000;
  const rowsFile = path.join(dir, `rows-${spec.id}.bin`);
  const fd = fs.openSync(rowsFile, 'w');
  fs.writeSync(fd, new Uint8Array(p.source.buffer, p.source.byteOffset, p.source.byteLength));
  fs.writeSync(fd, new Uint8Array(p.target.buffer, p.target.byteOffset, p.target.byteLength));
  fs.closeSync(fd);
  const rowsCount = p.source.length;
  log(`${spec.id}: ${p.n} nodes, ${rowsCount} rows, ${p.communities} planted communities (generated in ${genSeconds.toFixed(2)} s)`);
  const reports: [string, ChildReport | string][] = [];
  for (const method of methods) {
    const out = path.join(dir, `memb-${spec.id}-${method}.bin`);
    const r = runChild(method, rowsFile, p.n, rowsCount, seed, out, timeoutS);
    reports.push([method, r]);
    log(typeof r === 'string' ? `  ${method}: FAILED ${r}` : `  ${method}: ${r.seconds.toFixed(2)} s (build ${r.buildSeconds.toFixed(2)}), peak RSS ${(r.peakRssMiB / 1024).toFixed(2)} GiB`);
  }
  // Scoring after every child has finished, on our own build of the same rows.
  const g = buildGraph(columns(p.n, p.source, p.target), { directed: false, weighted: true });
  const edges = g.m / 2;
  const rows: Row[] = [];
  for (const [method, r] of reports) {
    if (typeof r === 'string') {
      rows.push({ method: LABELS[method] ?? method, id: method, seconds: null, buildSeconds: null, detectSeconds: null, peakRssMiB: null, modularity: null, communities: null, nmi: null, disconnected: null, error: r });
      continue;
    }
    const out = path.join(dir, `memb-${spec.id}-${method}.bin`);
    const buf = fs.readFileSync(out);
    const memb = new Int32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    fs.rmSync(out);
    rows.push({
      method: LABELS[method] ?? method, id: method, seconds: r.seconds, buildSeconds: r.buildSeconds, detectSeconds: r.seconds - r.buildSeconds,
      peakRssMiB: r.peakRssMiB, modularity: modularity(g, memb), communities: r.communities, nmi: nmi(memb, p.membership),
      disconnected: disconnectedCommunities(g, memb), ...(r.extra && { extra: r.extra }),
    });
  }
  fs.rmSync(rowsFile);
  const f = (x: number | null, d = 2) => (x === null ? '-' : x.toFixed(d));
  const by = (id: string) => rows.find((r) => r.id === id && r.seconds !== null);
  log(`${spec.id}: ${edges} edges`);
  for (const r of rows) {
    log(`  ${r.method.padEnd(44)} ${f(r.seconds).padStart(8)} s (build ${f(r.buildSeconds)}, detect ${f(r.detectSeconds)})  Q ${f(r.modularity, 4)}`
      + `  k ${String(r.communities ?? '-').padStart(7)}  NMI ${f(r.nmi, 3)}  disc ${r.disconnected ?? '-'}  RSS ${f(r.peakRssMiB === null ? null : r.peakRssMiB / 1024)} GiB`);
  }
  // Target ratios, all from this run.
  const ratios: Record<string, number> = {};
  const ratio = (name: string, a: string, b: string, field: 'seconds' | 'detectSeconds' = 'seconds') => {
    const x = by(a), y = by(b);
    if (x && y && x[field] !== null && y[field] !== null) ratios[name] = y[field]! / x[field]!;
  };
  ratio('graphologyOverLouvain', 'louvain', 'graphology');
  ratio('graphologyOverLeiden', 'leiden', 'graphology');
  ratio('igraphLeiden2OverLeiden', 'leiden', 'igraph-leiden-2');
  ratio('igraphLeiden2OverLeiden2', 'leiden-2', 'igraph-leiden-2');
  ratio('igraphLeidenExactOverLeiden', 'leiden', 'igraph-leiden-exact');
  ratio('igraphLeidenExactOverLeidenExact', 'leiden-exact', 'igraph-leiden-exact');
  ratio('igraphLeiden2OverLeiden2DetectOnly', 'leiden-2', 'igraph-leiden-2', 'detectSeconds');
  ratio('igraphLeidenExactOverLeidenDetectOnly', 'leiden', 'igraph-leiden-exact', 'detectSeconds');
  ratio('igraphMultilevelOverLouvain', 'louvain', 'igraph-multilevel');
  if (Object.keys(ratios).length > 0) log(`  ratios (other time / ours): ${Object.entries(ratios).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
  return {
    name: `planted ~${spec.id} edges`, id: spec.id, nodes: p.n, rows: rowsCount, edges, plantedCommunities: p.communities, mixing: 0.3,
    avgDegree: 20, seed, date: new Date().toISOString(), loadavg: { start: round2(loadStart), end: round2(os.loadavg()) }, ratios, results: rows,
  };
}

const round2 = (x: number[]) => x.map((v) => Math.round(v * 100) / 100);

/** Cases of earlier runs that this run did not repeat are kept (each carries its own date and load). */
function previousCases(keep: (id: string) => boolean): CaseResult[] {
  try {
    const old = JSON.parse(fs.readFileSync(path.join(BENCH_DIR, 'results', 'communities.json'), 'utf8')) as { cases?: CaseResult[] };
    return (old.cases ?? []).filter((c) => typeof c['id'] === 'string' && keep(c['id']));
  } catch {
    return [];
  }
}

function main(): void {
  const seed = Number(process.env['BENCH_SEED'] ?? 1);
  const timeoutS = Number(process.env['BENCH_TIMEOUT'] ?? 1800);
  const ids = process.env['BENCH_CASES']?.split(',').map((s) => s.trim()).filter(Boolean)
    ?? ['100k', '1m', ...(process.env['BENCH_LARGE'] === '1' ? ['10m'] : []), ...(process.env['BENCH_HUGE'] === '1' ? ['30m'] : [])];
  const only = process.env['BENCH_METHODS']?.split(',').map((s) => s.trim()).filter(Boolean);
  const igraph = spawnSync(PYTHON, ['-c', 'import igraph, numpy; print(igraph.__version__)'], { encoding: 'utf8' });
  const igraphVersion = igraph.status === 0 ? igraph.stdout.trim() : null;
  if (igraphVersion === null) log(`python-igraph not importable by ${PYTHON}: igraph rows skipped`);
  const loadStart = os.loadavg();
  log(`load average at start: ${loadStart.map((x) => x.toFixed(2)).join(' ')}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'supernode-communities-bench-'));
  const cases: CaseResult[] = [];
  try {
    for (const id of ids) {
      const spec = CASES[id];
      if (spec === undefined) throw new Error(`unknown case ${id} (known: ${Object.keys(CASES).join(', ')})`);
      const methods = (only ?? spec.methods).filter((m) => igraphVersion !== null || !m.startsWith('igraph'));
      cases.push(runCase(spec, methods, seed, timeoutS, dir));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const loadEnd = os.loadavg();
  const order = Object.keys(CASES);
  const all = [...previousCases((id) => !ids.includes(id)), ...cases]
    .sort((a, b) => order.indexOf(a['id'] as string) - order.indexOf(b['id'] as string));
  const file = writeResults('communities', all, {
    igraph: igraphVersion === null ? 'not importable, skipped' : `python-igraph ${igraphVersion} (${PYTHON})`,
    graphologyCommunitiesLouvain: '2.0.2', loadavg: { start: round2(loadStart), end: round2(loadEnd) },
  });
  log(`load average at end: ${loadEnd.map((x) => x.toFixed(2)).join(' ')}`);
  log(`results: ${file}`);
}

if (process.argv[2] === '--child') {
  const [, , , rowsFile, n, method, seed, out] = process.argv;
  child(rowsFile!, Number(n), method!, Number(seed), out!);
} else {
  main();
}
