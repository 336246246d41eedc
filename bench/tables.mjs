#!/usr/bin/env node
/**
 * Prints the tables of bench/README.md from bench/results/*.json (markdown on stdout), so the
 * figures in the README are the recorded ones, not retyped: `node bench/tables.mjs`.
 * A result file that is missing prints a line saying so instead of its table.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
const load = (name) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8'));
  } catch {
    return null;
  }
};
const f = (x, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? '-' : Number(x).toFixed(d));
const out = [];
const p = (s = '') => out.push(s);
const machine = (m) => (m ? `_${m.cpu ?? m.machine}, ${m.cores} cores, Node ${m.node}, commit ${m.commit ?? '-'}, ${String(m.date).slice(0, 16)}, load ${(m.loadavg ?? m.loadAverage ?? []).map((x) => f(x)).join(' ')}_` : '');
const table = (head, rows) => {
  p(`| ${head.join(' | ')} |`);
  p(`|${head.map(() => '---').join('|')}|`);
  for (const r of rows) p(`| ${r.join(' | ')} |`);
  p();
};

const ingest = load('ingest');
p('### Ingest (bench/ingest.bench.ts)');
if (ingest) {
  p(`_${ingest.machine}, ${ingest.cores} cores, Node ${ingest.node}, ${String(ingest.date).slice(0, 16)}_`);
  p();
  table(['file', 'ours', 'naive split/Map reader', 'ratio', 'target'], [[
    `${ingest.file.rows.toLocaleString('en')} rows, ${f(ingest.file.bytes / 2 ** 20, 0)} MiB SNAP text`,
    `${(ingest.ingest.edgesPerSecond / 1e6).toFixed(2)}M edges/s (${(ingest.ingest.edgesPerCpuSecond / 1e6).toFixed(2)}M per CPU s)`,
    `${(ingest.naive.edgesPerSecond / 1e6).toFixed(2)}M edges/s`, `${f(ingest.ratio, 1)}x`,
    `>= 2M edges/s: ${ingest.target.met ? 'met' : 'NOT met'}`,
  ]]);
} else p('(no results/ingest.json)\n');

const foundation = load('foundation');
p('### Foundation: end-to-end PageRank and memory (bench/foundation.bench.ts)');
if (foundation) {
  p(machine(foundation.machine));
  p();
  const rows = [];
  for (const c of foundation.cases) {
    if (c.graphology) {
      rows.push([c.name, `${f(c.supernode.totalSeconds)} s, ${f(c.supernode.peakRssMiB, 0)} MiB`, `${f(c.graphology.totalSeconds)} s, ${f(c.graphology.peakRssMiB, 0)} MiB`, `${f(c.speedup, 1)}x faster, ${f(c.rssRatio, 1)}x less RSS`]);
    } else if (c.supernode) {
      rows.push([c.name, `${f(c.supernode.totalSeconds)} s (load ${f(c.supernode.loadSeconds)}, build ${f(c.supernode.buildSeconds)}, PageRank ${f(c.supernode.computeSeconds)}), peak ${f(c.supernode.peakRssMiB / 1024)} GiB, ${f(c.supernode.bytesPerArc, 1)} B/arc`, '(past 16.7M edges)', '-']);
    } else rows.push([c.name, `${f(c.bytesPerArc, 2)} bytes per arc`, '-', 'target <= 20']);
  }
  table(['case', 'supernode', 'graphology + graphology-metrics', 'ratio'], rows);
} else p('(no results/foundation.json)\n');

const suite = load('suite');
p('### Centrality and structure suite vs python-igraph (bench/suite.bench.ts)');
if (suite) {
  p(machine(suite.machine));
  p();
  for (const c of suite.cases) {
    if (c.rows) {
      p(`**${c.name}**: R-MAT scale ${c.graph.scale}, ${c.graph.rows.toLocaleString('en')} rows, ${c.graph.arcs.toLocaleString('en')} arcs; cross-checks ${c.mismatches?.length === 0 ? 'all equal' : `MISMATCH ${c.mismatches?.join('; ')}`}. Ratio = igraph / ours (>= 1 means ours is faster; target >= 1).`);
      p();
      table(['kernel', 'supernode s', 'igraph s', 'ratio', 'note'], c.rows.map((r) => [r.kernel, f(r.supernodeSeconds, 3), f(r.igraphSeconds, 3), f(r.ratio), r.note]));
    } else if (c.speedup !== undefined) {
      p(`**${c.name}**: 1 worker ${f(c.oneWorkerSeconds)} s, 2 workers ${f(c.twoWorkersSeconds)} s: **${f(c.speedup)}x** (target ${c.target}, ${c.met ? 'met' : 'NOT met'}; max |diff| ${c.maxAbsDiff?.toExponential(1)}).`);
      p();
    } else if (c.supernode && c.igraph) {
      p(`**${c.name}** (read the text file, build/simplify, PageRank + k-core + WCC; wall time from spawn to exit): supernode ${f(c.supernode.wallSeconds)} s (peak ${f(c.supernode.peakRssMiB, 0)} MiB), igraph ${f(c.igraph.wallSeconds)} s (read ${f(c.igraph.readSeconds)}, simplify ${f(c.igraph.simplifySeconds)}): **${f(c.ratio, 1)}x** (target ${c.target}x, ${c.met ? 'met' : 'NOT met'}; same top member, max core and largest WCC: ${Object.values(c.agree ?? {}).every(Boolean)}).`);
      p();
    }
  }
} else p('(no results/suite.json)\n');

const cen = load('centrality');
p('### Sampled betweenness at 1M arcs (bench/centrality.bench.ts)');
if (cen) {
  p(machine(cen.machine));
  p();
  table(['case', 'seconds', 'detail'], cen.cases.filter((c) => c.seconds !== undefined).map((c) => [c.name, f(c.seconds), c.samples !== undefined ? `${c.samples} samples, VD bound ${c.vertexDiameter}, (eps ${c.epsilon}, delta ${c.delta})` : c.extrapolatedAllSourcesSeconds !== undefined ? `all sources extrapolated: ${f(c.extrapolatedAllSourcesSeconds / 3600, 1)} h` : c.extrapolatedAllNodesSeconds !== undefined ? `all nodes extrapolated: ${f(c.extrapolatedAllNodesSeconds / 60, 0)} min` : '']));
} else p('(no results/centrality.json)\n');

const comm = load('communities');
p('### Communities (bench/communities.bench.ts)');
if (comm) {
  p(machine(comm.machine));
  p();
  for (const c of comm.cases) {
    p(`**${c.id}**: planted partition, ${c.nodes.toLocaleString('en')} nodes, ${c.edges.toLocaleString('en')} edges, mixing ${c.mixing} (load at start ${(c.loadavg?.start ?? []).map((x) => f(x)).join(' ')})`);
    p();
    table(['method', 'total s', 'build s', 'detect s', 'peak RSS GiB', 'Q', 'communities', 'NMI', 'disconnected'], c.results.map((r) => r.error
      ? [r.method, `error: ${r.error}`, '', '', '', '', '', '', '']
      : [r.method, f(r.seconds), f(r.buildSeconds), f(r.detectSeconds), f(r.peakRssMiB / 1024), f(r.modularity, 4), String(r.communities), f(r.nmi, 3), String(r.disconnected)]));
    const ratios = Object.entries(c.ratios ?? {}).map(([k, v]) => `${k} ${f(v)}`).join(', ');
    if (ratios) p(`Ratios (other / ours): ${ratios}.\n`);
  }
} else p('(no results/communities.json)\n');

const rank = load('rank');
p('### Seed users: IMM (bench/rank.bench.ts)');
if (rank) {
  p(machine(rank.machine));
  p();
  table(['case', 'IMM s', 'RR sets', 'RR memory MiB', 'spread (MC)', 'within 60 s'], rank.cases.map((c) => [
    `${c.name}: n ${c.n.toLocaleString('en')}, ${c.arcs.toLocaleString('en')} arcs`, f(c.immSeconds), c.rrSets.toLocaleString('en'),
    f((c.rrBytes + c.indexBytes) / 2 ** 20, 1), `${f(c.spread.mean, 0)} (95% CI ${f(c.spread.ci95[0], 0)}-${f(c.spread.ci95[1], 0)}, ${c.spread.runs} runs)`, String(c.withinTarget),
  ]));
} else p('(no results/rank.json)\n');

const sn = load('supernodes');
p('### Composite super-node ranking at 30M edges (bench/supernodes.bench.ts)');
if (sn) {
  p(machine(sn.machine));
  p();
  for (const c of sn.cases) {
    p(`**${c.name}**: ${c.rows.toLocaleString('en')} rows, ${c.nodes.toLocaleString('en')} nodes, ${c.arcs.toLocaleString('en')} arcs; build ${f(c.buildSeconds)} s, ranking ${f(c.rankingSeconds)} s (${Object.entries(c.seconds).map(([k, v]) => `${k} ${f(v, 1)}`).join(', ')}).`);
    p();
    p(`Memory: graph ${f(c.graphMiB, 0)} MiB, input columns ${f(c.columnsMiB, 0)} MiB, RSS after build ${f(c.rssAfterBuildMiB, 0)} MiB, peak during ranking ${f(c.rankingPeakRssMiB, 0)} MiB: ranking adds ${f(c.extraPeakMiB, 0)} MiB = ${f(100 * c.extraOverGraph, 0)}% of the graph (strictly beyond process, columns and graph: ${f(c.strictExtraMiB, 0)} MiB = ${f(100 * c.strictExtraOverGraph, 0)}%); target graph + 50%: ${c.withinGraphPlus50 ? 'met' : 'NOT met'}.`);
    p();
  }
} else p('(no results/supernodes.json)\n');

const api = load('api');
p('### API polling under a running job (bench/api.bench.ts)');
if (api) {
  p(machine(api.machine));
  p();
  table(['case', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'status', 'jobs done during', 'CPU: server main / job threads / autocannon'], api.cases.map((c) => [
    c.name, String(c.requestsPerSecond), String(c.p50ms), String(c.p99ms), String(c.maxMs), Object.entries(c.statusCodes).map(([k, v]) => `${k} x${v.count}`).join(' '),
    String(c.jobsCompletedDuring), `${f(c.cpuCores.serverMainThread)} / ${f(c.cpuCores.serverOtherThreads)} / ${f(c.cpuCores.autocannon)}`,
  ]));
} else p('(no results/api.json)\n');

const soak = load('soak');
p('### Soak: mixed traffic on the real server (bench/soak.bench.ts)');
if (soak) {
  p(machine(soak.machine));
  p();
  if (soak.note) p(`_${soak.note}_`), p();
  table(['case', 'requests', '5xx / network errors', 'polled reads p50 / p99 ms', 'RSS after warm-up -> end', 'open FDs', 'jobs (ok / cancelled / other)', 'uploads', 'targets'], soak.cases.map((c) => [
    `${c.name}, ${c.seconds} s`, `${c.requests.toLocaleString('en')} (${c.requestsPerSecond}/s)`, `${c.fiveXx} / ${c.networkErrors}`,
    `${f(c.latencyMs.ranking?.p50)} / ${f(c.p99ms)}`, `${f(c.rss.startMiB, 0)} -> ${f(c.rss.endMiB, 0)} MiB (${f(100 * c.rss.growth, 1)}%)`, `${c.fds.start} -> ${c.fds.end}`,
    `${c.counts.jobs} (${c.counts.jobsSucceeded} / ${c.counts.jobsCancelled} / ${c.counts.jobsFailed})`, String(c.counts.uploads),
    `0 5xx ${c.targets.zero5xx ? 'met' : 'NOT met'}; RSS < +10% ${c.targets.rssGrowthUnder10pct ? 'met' : 'NOT met'}; FDs flat ${c.targets.fdsFlat ? 'met' : 'NOT met'}`,
  ]));
} else p('(no results/soak.json)\n');

p('### Thread scaling (bench/threads.bench.ts)');
p();
const threads = load('threads');
if (threads) {
  p(machine(threads.machine));
  p();
  p(`R-MAT 2^${threads.graph.scale} x ${threads.graph.edgeFactor}, ${threads.graph.arcs.toLocaleString('en')} arcs; kernel seconds, best of ${threads.repeats}; ${threads.note}.`);
  p();
  table(['kernel', ...threads.threads.map((t) => `${t} thread${t > 1 ? 's' : ''}`), `speed-up at ${threads.threads.at(-1)}`, 'same answers'], threads.cases.map((c) => [
    c.name, ...threads.threads.map((t) => f(c.seconds[String(t)])), `x${f(c.speedup[String(threads.threads.at(-1))])}`, c.sameAnswers ? 'yes' : 'NO',
  ]));
} else p('(no results/threads.json)\n');

p('### Start-up through the installed bin (bench/startup.bench.ts)');
p();
const startup = load('startup');
if (startup) {
  p(machine(startup.machine));
  p();
  const [h, e] = startup.cases;
  table(['case', 'ours', 'baseline', 'ratio', 'target'], [
    ['`supernode --help` vs `node -e 0`', `${f(h.help.seconds, 3)} s, ${f(h.help.rssMiB, 0)} MiB`, `${f(h.node.seconds, 3)} s, ${f(h.node.rssMiB, 0)} MiB`, `x${f(h.ratio)}`, `<= x${h.target}`],
    ['1M-row PageRank end to end vs graphology', `${f(e.supernode.seconds)} s, ${f(e.supernode.rssMiB, 0)} MiB`, `${f(e.graphology.seconds)} s, ${f(e.graphology.rssMiB, 0)} MiB`, `x${f(e.speedup, 1)} faster, x${f(e.rssRatio, 1)} less RSS`, `>= x${e.targets.speedup}, >= x${e.targets.rssRatio}`],
  ]);
} else p('(no results/startup.json)\n');

p('### Scale record through the product\'s commands (bench/scale.bench.ts)');
p();
const scales = fs.readdirSync(dir).filter((x) => /^scale-\d+\.json$/.test(x)).sort();
if (scales.length === 0) p('(no results/scale-*.json)\n');
for (const x of scales) {
  const r = load(x.replace(/\.json$/, ''));
  p(machine(r.machine));
  p();
  p(`R-MAT 2^${r.scale} x ${r.edgeFactor}; ${r.note}.`);
  p();
  table(['stage', 'seconds', 'peak RSS MiB', 'status', 'measures (s)'], r.cases.map((c) => [
    c.name, f(c.seconds, 1), f(c.peakRssMiB, 0), String(c.status ?? '-'),
    c.measureSeconds ? Object.entries(c.measureSeconds).map(([k, v]) => `${k} ${f(v, 1)}`).join(', ') : '',
  ]));
}

process.stdout.write(out.join('\n'));
