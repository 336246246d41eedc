/**
 * Centrality and structure suite vs python-igraph, side by side in one script (issue: centrality and
 * structure suite). igraph runs through Debian's python3-igraph under /usr/bin/python3 (bench/
 * igraph_runner.py); when `/usr/bin/python3 -c "import igraph"` fails its columns are skipped.
 * All graphs are seeded R-MAT (Graph500 quadrants, datasets/generators.ts), written as raw text rows
 * "u v" to os.tmpdir(); both sides see the same simple graph: parallel rows merged, self-loops
 * dropped, unweighted (buildGraph weighted: false = igraph simplify()), undirected measures on the
 * collapsed view (u->v and v->u one edge: igraph as_undirected(mode="collapse")).
 *
 * A. kernels at ~1M rows (scale 16, edge factor 16): graph built once, each kernel timed alone,
 *    single-threaded, in-process (best of up to 5 runs until 1 s is spent, same rule on both sides;
 *    undirected view built before timing on both sides). O(nm) kernels: closeness and harmonic on
 *    the vertex subset [0, k) (R-MAT ids are scrambled, so a fixed pseudo-random mix of degrees);
 *    betweenness exact over all sources on scale 13, since python-igraph 0.10 has no sources= form
 *    (our 1M-row source-subset figure is recorded too). Ratio = igraph s / supernode s (>= 1: target met).
 * B. exact betweenness through the WorkerPool, 1 thread vs 2 (split over source ranges), scale 13;
 *    pools are warmed (workers loaded, graph shipped) before timing. Target: speedup >= 1.7.
 * C. end to end at ~8.4M rows (scale 19, edge factor 16): each side in a child process, wall time
 *    from spawn to exit: read the text file, build/simplify, PageRank + k-core + weak components.
 *    Target: supernode <= half of igraph.
 * Run: npx tsx bench/suite.bench.ts [--cases ABC] [--subset 200] [--e2e-reps 1] [--keep]
 *      -> bench/results/suite.json (table also in bench/README.md by hand).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rmat } from '../datasets/generators.js';
import { type BuiltGraph, buildGraph, undirectedView } from '../engine/graph/builder.js';
import { runAlgorithm } from '../engine/catalog/index.js';
import { betweennessRaw } from '../engine/algorithms/betweenness.js';
import { closenessRange } from '../engine/algorithms/closeness.js';
import { harmonicRange } from '../engine/algorithms/harmonic.js';
import { structuralHoles } from '../engine/algorithms/constraint.js';
import { WorkerPool } from '../workers/pool.js';
import { BENCH_DIR, type CaseResult, log, peakRssMiB, writeResults } from './harness.js';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const arg = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : dflt;
};
const cases = arg('cases', 'ABC').toUpperCase();
const subset = Number(arg('subset', '200'));
const e2eReps = Number(arg('e2e-reps', '1'));
const SEED = 42, EDGE_FACTOR = 16, KERNEL_SCALE = 16, BC_SCALE = 13, E2E_SCALE = 19;
const PYTHON = '/usr/bin/python3';
const RUNNER = path.join(BENCH_DIR, 'igraph_runner.py');
const TMP = path.join(os.tmpdir(), 'supernode-suite-bench');
fs.mkdirSync(TMP, { recursive: true });

const igraphVersion = (() => {
  const r = spawnSync(PYTHON, ['-c', 'import igraph; print(igraph.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
})();
log(igraphVersion ? `python-igraph ${igraphVersion} (${PYTHON})` : `igraph: skipped (${PYTHON} cannot import igraph)`);

function igraph(args: string[]): Record<string, unknown> | null {
  if (igraphVersion === null) return null;
  const r = spawnSync(PYTHON, [RUNNER, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`igraph_runner ${args[0]} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

interface Rmat { file: string; n: number; rows: number; source: Int32Array; target: Int32Array }

/** Seeded R-MAT rows, also written as a whitespace edge list (deterministic, so reused if present). */
function rmatFile(scale: number): Rmat {
  const e = rmat({ scale, edgeFactor: EDGE_FACTOR, seed: SEED });
  const file = path.join(TMP, `rmat-s${scale}-ef${EDGE_FACTOR}-seed${SEED}.txt`);
  if (!fs.existsSync(file)) {
    const fd = fs.openSync(`${file}.part`, 'w');
    const CHUNK = 1 << 18;
    for (let i = 0; i < e.source.length; i += CHUNK) {
      let s = '';
      for (let j = i; j < Math.min(e.source.length, i + CHUNK); j++) s += `${e.source[j]} ${e.target[j]}\n`;
      fs.writeSync(fd, s);
    }
    fs.closeSync(fd);
    fs.renameSync(`${file}.part`, file);
  }
  return { file, n: e.n, rows: e.source.length, source: e.source, target: e.target };
}

function build(r: Rmat): BuiltGraph {
  return buildGraph({
    nodeCount: r.n, source: r.source, target: r.target, weight: null, timestamp: null, type: null, typeNames: [],
  }, { directed: true, weighted: false });
}

/** Shortest of up to maxReps runs, stopping once minTotal seconds are spent (igraph_runner.py does the same). */
function bestOf<T>(f: () => T, maxReps = 5, minTotal = 1): [number, T] {
  let best = Infinity, spent = 0, out!: T;
  for (let reps = 0; reps < maxReps && (reps === 0 || spent < minTotal); reps++) {
    const t = performance.now();
    out = f();
    const dt = (performance.now() - t) / 1000;
    best = Math.min(best, dt);
    spent += dt;
  }
  return [best, out];
}

const values = (o: ReturnType<typeof runAlgorithm>) => {
  if (o.kind !== 'values') throw new Error('expected values');
  return o.values;
};
const partition = (o: ReturnType<typeof runAlgorithm>) => {
  if (o.kind !== 'partition') throw new Error('expected a partition');
  return o;
};
const sum = (v: Float64Array) => v.reduce((a, b) => a + (Number.isNaN(b) ? 0 : b), 0);
const ratio = (ig: number | undefined, ours: number) => (ig === undefined ? null : ig / ours);
const fmt = (x: number | null | undefined, d = 3) => (x === null || x === undefined ? '-' : x.toFixed(d));

interface Row { kernel: string; supernodeSeconds: number; igraphSeconds: number | null; ratio: number | null; note: string }
const results: CaseResult[] = [];
const table: Row[] = [];

if (cases.includes('A')) {
  const r = rmatFile(KERNEL_SCALE);
  const g = build(r);
  const ug = undirectedView(g);
  log(`A: R-MAT scale ${KERNEL_SCALE}: ${r.rows} rows -> n ${g.n}, ${g.m} arcs, ${ug.m / 2} undirected edges`);
  const ours: Record<string, number> = {};
  const checks: Record<string, number> = { nodes: g.n, arcs: g.m, undirectedEdges: ug.m / 2 };
  const p = { seed: SEED };
  let t: number;
  [t] = bestOf(() => runAlgorithm('pagerank', g, p)); ours['pagerank'] = t;
  const [tk, core] = bestOf(() => values(runAlgorithm('kcore', g, p)));
  ours['kcore'] = tk; checks['maxCore'] = core.reduce((a, b) => Math.max(a, b), 0);
  const [tw, wc] = bestOf(() => partition(runAlgorithm('wcc', g, p)));
  ours['wcc'] = tw; checks['wccCount'] = wc.diagnostics['components'] as number; checks['wccLargest'] = wc.diagnostics['largest'] as number;
  const [ts, sc] = bestOf(() => partition(runAlgorithm('scc', g, p)));
  ours['scc'] = ts; checks['sccCount'] = sc.diagnostics['components'] as number; checks['sccLargest'] = sc.diagnostics['largest'] as number;
  const [tc, cl] = bestOf(() => values(runAlgorithm('clustering', g, p)));
  ours['clustering'] = tc; checks['clusteringMean'] = sum(cl) / g.n;
  [t] = bestOf(() => runAlgorithm('hits-hub', g, p)); ours['hits'] = t;
  [t] = bestOf(() => runAlgorithm('eigenvector', g, p)); ours['eigenvector'] = t;
  const [tcs, cons] = bestOf(() => structuralHoles(ug));
  ours['constraint'] = tcs; checks['constraintFinite'] = cons.constraint.filter((x) => !Number.isNaN(x)).length;
  [t] = bestOf(() => closenessRange(g, 0, subset), 1); ours['closeness-subset'] = t;
  const [th, har] = bestOf(() => harmonicRange(g, 0, subset), 1);
  ours['harmonic-subset'] = th; checks['harmonicSubsetSum'] = sum(har);
  [t] = bestOf(() => betweennessRaw(g, 0, subset), 1); ours['betweenness-sources-subset'] = t;
  for (const [k, v] of Object.entries(ours)) log(`  supernode ${k.padEnd(28)} ${v.toFixed(3)} s`);

  const ig = igraph(['kernels', r.file, String(r.n), String(subset)]);
  const igSecs = (ig?.['seconds'] ?? {}) as Record<string, number>;
  const igChecks = (ig?.['checks'] ?? {}) as Record<string, number>;
  const mismatches: string[] = [];
  if (ig) {
    for (const k of ['arcs', 'undirectedEdges', 'maxCore', 'wccCount', 'wccLargest', 'sccCount', 'sccLargest', 'constraintFinite']) {
      if (igChecks[k] !== checks[k]) mismatches.push(`${k}: ours ${checks[k]} igraph ${igChecks[k]}`);
    }
    for (const k of ['clusteringMean', 'harmonicSubsetSum']) {
      if (Math.abs(igChecks[k]! - checks[k]!) > 1e-9 * Math.max(1, Math.abs(checks[k]!))) mismatches.push(`${k}: ours ${checks[k]} igraph ${igChecks[k]}`);
    }
    log(mismatches.length === 0 ? '  cross-checks against igraph: all equal' : `  cross-check MISMATCH: ${mismatches.join('; ')}`);
  }
  const notes: Record<string, string> = {
    hits: 'ours: hubs + authorities in one iteration; igraph: hub_score() + authority_score()',
    'closeness-subset': `${subset} target nodes [0, ${subset}), incoming distances; igraph closeness(vertices=, mode="in")`,
    'harmonic-subset': `${subset} target nodes, igraph harmonic_centrality(vertices=, mode="in")`,
    'betweenness-sources-subset': `${subset} sources; igraph 0.10 has no sources= form: see betweenness (scale ${BC_SCALE})`,
    clustering: 'ours: triangles + clustering in one pass; igraph transitivity_local_undirected(mode="zero")',
    kcore: 'undirected collapsed view prebuilt on both sides',
    constraint: 'undirected collapsed view, unweighted',
  };
  for (const [k, v] of Object.entries(ours)) {
    table.push({ kernel: k, supernodeSeconds: v, igraphSeconds: igSecs[k] ?? null, ratio: ratio(igSecs[k], v), note: notes[k] ?? '' });
  }

  // Betweenness, all sources, on the smaller graph (also Case B's in-process baseline).
  const rb = rmatFile(BC_SCALE);
  const gb = build(rb);
  const [tb, bc] = bestOf(() => betweennessRaw(gb), 1);
  const igb = igraph(['betweenness', rb.file, String(rb.n)]);
  const bcRow: Row = {
    kernel: `betweenness (exact, scale ${BC_SCALE}, all ${gb.n} sources)`, supernodeSeconds: tb,
    igraphSeconds: (igb?.['seconds'] as number | undefined) ?? null, ratio: ratio(igb?.['seconds'] as number | undefined, tb),
    note: `${gb.m} arcs; raw sums ours ${sum(bc).toExponential(6)} igraph ${(igb?.['rawSum'] as number | undefined)?.toExponential(6) ?? '-'}`,
  };
  table.push(bcRow);
  results.push({
    name: 'A kernels at ~1M rows', graph: { generator: 'rmat', scale: KERNEL_SCALE, edgeFactor: EDGE_FACTOR, seed: SEED, rows: r.rows, n: g.n, arcs: g.m },
    betweennessGraph: { scale: BC_SCALE, rows: rb.rows, n: gb.n, arcs: gb.m }, subset,
    igraph: ig ? { version: ig['version'], loadSeconds: ig['loadSeconds'] } : 'skipped (not importable)',
    checks, igraphChecks: igChecks, mismatches, rows: [...table],
  });
}

if (cases.includes('B')) {
  const rb = rmatFile(BC_SCALE);
  const gb = build(rb);
  const p = { seed: SEED };
  const timed: Record<number, { seconds: number; scores: Float64Array }> = {};
  for (const threads of [1, 2]) {
    const pool = new WorkerPool({ threads });
    // Warm-up: every worker loads its modules and receives the graph before the clock starts.
    await Promise.all(Array.from({ length: threads }, () => pool.run(gb, 'wcc', p)));
    const t0 = performance.now();
    const out = await pool.run(gb, 'betweenness', p);
    timed[threads] = { seconds: (performance.now() - t0) / 1000, scores: out.kind === 'values' ? out.values : new Float64Array(0) };
    await pool.close();
    log(`B: exact betweenness, ${threads} worker(s): ${timed[threads]!.seconds.toFixed(2)} s`);
  }
  let maxDiff = 0;
  for (let v = 0; v < gb.n; v++) maxDiff = Math.max(maxDiff, Math.abs(timed[1]!.scores[v]! - timed[2]!.scores[v]!));
  const speedup = timed[1]!.seconds / timed[2]!.seconds;
  log(`B: speedup ${speedup.toFixed(2)}x (target >= 1.7), max |diff| 1 vs 2 workers ${maxDiff.toExponential(2)}`);
  results.push({
    name: 'B exact betweenness 1 vs 2 workers', graph: { scale: BC_SCALE, edgeFactor: EDGE_FACTOR, seed: SEED, n: gb.n, arcs: gb.m },
    split: true, oneWorkerSeconds: timed[1]!.seconds, twoWorkersSeconds: timed[2]!.seconds, speedup, target: 1.7, met: speedup >= 1.7, maxAbsDiff: maxDiff,
  });
}

if (cases.includes('C')) {
  const r = rmatFile(E2E_SCALE);
  log(`C: R-MAT scale ${E2E_SCALE}: ${r.rows} rows, ${(fs.statSync(r.file).size / 2 ** 20).toFixed(0)} MiB text`);
  const child = path.join(BENCH_DIR, 'suite-e2e-child.ts');
  const wall = (cmd: string, args: string[]) => {
    const t0 = performance.now();
    const p = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24, cwd: path.dirname(BENCH_DIR) });
    const seconds = (performance.now() - t0) / 1000;
    if (p.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${p.stderr}`);
    return { wallSeconds: seconds, ...(JSON.parse(p.stdout.trim().split('\n').pop()!) as Record<string, unknown>) };
  };
  const runs: { supernode: Record<string, unknown>[]; igraph: Record<string, unknown>[] } = { supernode: [], igraph: [] };
  for (let rep = 0; rep < e2eReps; rep++) {
    if (igraphVersion) runs.igraph.push(wall(PYTHON, [RUNNER, 'e2e', r.file]));
    runs.supernode.push(wall(process.execPath, ['--import', 'tsx', child, r.file]));
  }
  const best = (xs: Record<string, unknown>[]) => xs.reduce<Record<string, unknown> | null>((a, b) => (a === null || (b['wallSeconds'] as number) < (a['wallSeconds'] as number) ? b : a), null);
  const sn = best(runs.supernode)!, ig = best(runs.igraph);
  const snWall = sn['wallSeconds'] as number, igWall = (ig?.['wallSeconds'] as number | undefined);
  log(`C: supernode ${snWall.toFixed(2)} s wall (read ${fmt(sn['readSeconds'] as number, 2)}, build ${fmt(sn['buildSeconds'] as number, 2)}, pagerank ${fmt(sn['pagerankSeconds'] as number, 2)}, kcore ${fmt(sn['kcoreSeconds'] as number, 2)}, wcc ${fmt(sn['wccSeconds'] as number, 2)})`);
  if (ig) log(`C: igraph    ${igWall!.toFixed(2)} s wall (read ${fmt(ig['readSeconds'] as number, 2)}, simplify ${fmt(ig['simplifySeconds'] as number, 2)}, pagerank ${fmt(ig['pagerankSeconds'] as number, 2)}, kcore ${fmt(ig['kcoreSeconds'] as number, 2)}, wcc ${fmt(ig['wccSeconds'] as number, 2)})`);
  const agree = ig ? { top: sn['top'] === ig['top'], maxCore: sn['maxCore'] === ig['maxCore'], wccLargest: sn['wccLargest'] === ig['wccLargest'] } : null;
  if (agree) log(`C: results agree: ${JSON.stringify(agree)}`);
  table.push({
    kernel: `end to end: read + build + PageRank + k-core + WCC (scale ${E2E_SCALE}, ${r.rows} rows)`, supernodeSeconds: snWall,
    igraphSeconds: igWall ?? null, ratio: ratio(igWall, snWall), note: 'wall time per child process, from spawn to exit; target ratio >= 2',
  });
  results.push({
    name: 'C end to end at ~8.4M rows', graph: { scale: E2E_SCALE, edgeFactor: EDGE_FACTOR, seed: SEED, rows: r.rows },
    supernode: sn, igraph: ig ?? 'skipped (not importable)', ratio: ratio(igWall, snWall), target: 2,
    met: igWall === undefined ? null : igWall / snWall >= 2, agree, allRuns: runs,
  });
  if (!flag('keep')) fs.rmSync(r.file);
}

if (table.length > 0) {
  log('\n| kernel | supernode s | igraph s | igraph / supernode |\n|---|---:|---:|---:|');
  for (const row of table) log(`| ${row.kernel} | ${fmt(row.supernodeSeconds)} | ${fmt(row.igraphSeconds)} | ${fmt(row.ratio, 2)} |`);
}
const file = writeResults('suite', results, {
  igraph: igraphVersion ?? 'not importable by /usr/bin/python3: skipped', loadavg: os.loadavg(), peakRssMiB: peakRssMiB(),
});
log(`wrote ${file}`);
