/**
 * The `supernode` command line. Commands are thin: flags -> engine/cli/load.ts -> catalogue or
 * ranking functions -> engine/cli/output.ts. Errors print one line on stderr, `supernode: CODE: message`,
 * and exit non-zero (the scripting contract in the README).
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import Table from 'cli-table3';
import { isSupernodeError, SupernodeError } from '../errors.js';
import { type AlgorithmOutput, type AlgorithmParams, algorithmNames, getAlgorithm, runAlgorithm } from '../algorithms/catalog/index.js';
import { edgeCount } from '../graph/csr.js';
import { inDegrees, inStrength, outDegrees, outStrength } from '../algorithms/degree.js';
import { ingestFile } from '../ingest/index.js';
import { DatasetStore } from '../store/index.js';
import { WorkerPool } from '../../workers/pool.js';
import { dataDir, type GraphFlags, type LoadedGraph, loadGraph } from './load.js';
import { fmt, memberObject, num, writeParts } from './output.js';
import { Progress } from './progress.js';
import { stabilityCommand, trajectoryCommand } from './time.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..', import.meta.url.endsWith('.ts') ? '' : '..');
/** The bundled real dataset `npm start` ranks: UC Irvine messages (datasets/PROVENANCE.md). */
export const DEFAULT_DATASET = { name: 'CollegeMsg', file: path.join(ROOT, 'datasets/CollegeMsg/CollegeMsg.txt.gz'), columns: 'source,target,timestamp' };

function graphOptions(cmd: Command): Command {
  return cmd
    .option('--columns <list>', 'column names in file order, e.g. source,target,timestamp,type (aliases: src/dst, from/to, ts, kind, weight)')
    .option('--undirected', 'treat rows as undirected pairs')
    .option('--unweighted', 'collapse repeated pairs to weight 1')
    .option('--keep-self-loops', 'keep member -> same member rows (dropped and counted by default)')
    .option('--window <duration>', 'only the last DURATION of interactions (30d, 12h, 2w), up to the latest timestamp')
    .option('--from <date>', 'only interactions at or after DATE (ISO 8601 or Unix seconds)')
    .option('--to <date>', 'only interactions before DATE')
    .option('--types <list>', 'only these interaction types, e.g. reply,mention')
    .option('--type-weights <list>', 'weight per interaction type, e.g. forward=3,reply=2,mention=1')
    .option('--skip-bad', 'skip malformed rows (counted, first examples on stderr) instead of failing')
    .addOption(new Option('--time-unit <unit>', 'unit of numeric timestamps').choices(['s', 'ms']))
    .addOption(new Option('--format <format>', 'input format (default: by extension, then content)').choices(['auto', 'delimited', 'ndjson', 'arrow']))
    .option('--dataset <name>', 'read a stored dataset instead of a file')
    .option('--data <dir>', 'data directory (default $SUPERNODE_DATA or ./data)')
    .option('--quiet', 'no progress bar or notes on stderr');
}

function intOption(v: string, name: string): number {
  const x = Number(v);
  if (!Number.isInteger(x)) throw new SupernodeError('BAD_OPTION', `${name} must be an integer, got "${v}"`);
  return x;
}

function numOption(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x)) throw new SupernodeError('BAD_OPTION', `${name} must be a number, got "${v}"`);
  return x;
}

interface ComputeFlags extends GraphFlags {
  json?: boolean;
  seed: string;
  sources?: string;
  epsilon?: string;
  delta?: string;
  resolution?: string;
  k?: string;
  model?: string;
  p?: string;
  threads?: string;
}

function computeParams(flags: ComputeFlags, loaded: LoadedGraph): AlgorithmParams {
  const sources = flags.sources?.split(',').map((id) => {
    const i = loaded.members.indexOf(id);
    if (i < 0) throw new SupernodeError('UNKNOWN_MEMBER', `--sources: no member "${id}" in ${loaded.source}`);
    return i;
  });
  const params: Record<string, unknown> = { seed: intOption(flags.seed, '--seed') };
  if (sources !== undefined) params['sources'] = sources;
  for (const key of ['epsilon', 'delta', 'resolution', 'k', 'p'] as const) {
    const x = numOption(flags[key], `--${key}`);
    if (x !== undefined) params[key] = x;
  }
  if (flags.model !== undefined) params['model'] = flags.model;
  return params as AlgorithmParams;
}

/** Runs in the worker pool when there is parallel work to gain, in-thread otherwise (same results). */
async function execute(algorithm: string, loaded: LoadedGraph, params: AlgorithmParams, threadsFlag: string | undefined, quiet: boolean): Promise<AlgorithmOutput> {
  const spec = getAlgorithm(algorithm);
  const threads = threadsFlag !== undefined ? intOption(threadsFlag, '--threads') : availableParallelism();
  const bar = new Progress(!quiet, algorithm, 'fraction');
  try {
    if (threads <= 1 || (spec.split === undefined && loaded.graph.m < 2_000_000)) {
      return runAlgorithm(algorithm, loaded.graph, params, { onProgress: (f) => bar.update(f, 1) });
    }
    const pool = new WorkerPool({ threads });
    try {
      return await pool.run(loaded.graph, algorithm, params, { onProgress: (f) => bar.update(f, 1) });
    } finally {
      await pool.close();
    }
  } finally {
    bar.stop();
  }
}

async function compute(algorithm: string, file: string | undefined, flags: ComputeFlags): Promise<void> {
  getAlgorithm(algorithm); // unknown names fail before any reading
  const loaded = await loadGraph(file, flags);
  const params = computeParams(flags, loaded);
  const out = await execute(algorithm, loaded, params, flags.threads, !!flags.quiet);
  const { graph, members } = loaded;
  const n = graph.n;
  const head = [
    `{"algorithm":${JSON.stringify(algorithm)},"nodes":${n},"edges":${edgeCount(graph)},`,
    `"seconds":${num(Number(out.diagnostics['seconds'] ?? 0))},"loadSeconds":${num(loaded.loadSeconds + loaded.buildSeconds)},`,
    `"selfLoopsDropped":${graph.selfLoops},"skippedRows":${loaded.skipped},"diagnostics":${JSON.stringify(out.diagnostics)},`,
  ];
  if (!flags.json) {
    printTopTable(algorithm, out, loaded);
    return;
  }
  if (out.kind === 'values') {
    const v = out.values;
    await writeParts([...head, '"values":', ...memberObject(members, n, (i) => num(v[i]!)), '}\n']);
  } else if (out.kind === 'seeds') {
    const ids = Array.from(out.seeds, (i) => JSON.stringify(members.idOf(i)));
    await writeParts([...head, `"seeds":[${ids.join(',')}],"spread":${JSON.stringify(out.spread)}}\n`]);
  } else {
    const mem = out.membership;
    let k = 0;
    for (let i = 0; i < n; i++) if (mem[i]! + 1 > k) k = mem[i]! + 1;
    await writeParts([
      ...head, `"modularity":${out.modularity === null ? 'null' : num(out.modularity)},"communities":${k},"membership":`,
      ...memberObject(members, n, (i) => String(mem[i])), '}\n',
    ]);
  }
}

function printTopTable(algorithm: string, out: AlgorithmOutput, loaded: LoadedGraph, top = 20): void {
  const { members, graph } = loaded;
  if (out.kind === 'seeds') {
    const t = new Table({ head: ['order', 'member'] });
    out.seeds.forEach((i, r) => t.push([r + 1, members.idOf(i)]));
    process.stdout.write(`${out.seeds.length} seed users; expected spread ${fmt(out.spread.mean)} `
      + `(95% CI ${fmt(out.spread.ci95[0])}-${fmt(out.spread.ci95[1])}, ${out.spread.runs} cascades)\n${t.toString()}\n`);
    return;
  }
  if (out.kind === 'partition') {
    const sizes = new Map<number, number>();
    for (const c of out.membership) sizes.set(c, (sizes.get(c) ?? 0) + 1);
    const t = new Table({ head: ['community', 'members'] });
    for (const [c, s] of [...sizes].sort((a, b) => b[1] - a[1]).slice(0, top)) t.push([c, s]);
    process.stdout.write(`${algorithm}: ${sizes.size} communities, modularity ${out.modularity ?? '-'}\n${t.toString()}\n`);
    return;
  }
  const order = topIndices(out.values, top);
  const t = new Table({ head: ['rank', 'member', algorithm] });
  order.forEach((i, r) => t.push([r + 1, members.idOf(i), fmt(out.values[i]!)]));
  process.stdout.write(`${algorithm} on ${loaded.source}: ${graph.n} members, ${edgeCount(graph)} edges\n${t.toString()}\n`);
}

/** Indices of the `k` largest finite values, largest first; ties by lower index (stable, reproducible). */
export function topIndices(v: Float64Array, k: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i]!)) idx.push(i);
  idx.sort((a, b) => v[b]! - v[a]! || a - b);
  return idx.slice(0, k);
}

interface RankFlags extends GraphFlags {
  top: string;
  json?: boolean;
  threads?: string;
}

async function rank(file: string | undefined, flags: RankFlags): Promise<void> {
  const loaded = await loadGraph(file, flags);
  const top = intOption(flags.top, '--top');
  const out = await execute('pagerank', loaded, { seed: 42 }, flags.threads, !!flags.quiet);
  if (out.kind !== 'values') throw new Error('pagerank returned a partition');
  const { graph, members } = loaded;
  const ind = inDegrees(graph), outd = outDegrees(graph), ins = inStrength(graph), outs = outStrength(graph);
  const order = topIndices(out.values, top);
  const rows = order.map((i, r) => ({
    rank: r + 1, member: members.idOf(i), pagerank: out.values[i]!,
    inDegree: ind[i]!, outDegree: outd[i]!, inStrength: ins[i]!, outStrength: outs[i]!,
  }));
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({
      source: loaded.source, nodes: graph.n, edges: edgeCount(graph), directed: graph.directed,
      selfLoopsDropped: graph.selfLoops, pagerank: out.diagnostics, top: rows,
    })}\n`);
    return;
  }
  const t = new Table({ head: ['rank', 'member', 'pagerank', 'in-degree', 'out-degree', 'in-strength', 'out-strength'] });
  for (const r of rows) t.push([r.rank, r.member, fmt(r.pagerank, 4), fmt(r.inDegree), fmt(r.outDegree), fmt(r.inStrength), fmt(r.outStrength)]);
  const d = out.diagnostics;
  process.stdout.write(
    `${loaded.source}: ${fmt(graph.n)} members, ${fmt(edgeCount(graph))} ${graph.directed ? 'directed' : 'undirected'} edges`
    + ` (${fmt(graph.selfLoops)} self-loops dropped); PageRank ${d['converged'] ? 'converged' : 'did NOT converge'} in ${d['iterations']} iterations\n`
    + `${t.toString()}\n`,
  );
}

async function ingest(file: string, flags: GraphFlags & { name?: string }): Promise<void> {
  const store = new DatasetStore(dataDir(flags.data));
  const name = flags.name ?? path.basename(file).replace(/\.(gz)$/, '').replace(/\.[^.]+$/, '');
  const existing = (await store.list()).find((d) => d.name === name);
  const info = existing ?? await store.create(name, { directed: !flags.undirected });
  const r = await ingestFile(file, {
    ...(flags.columns !== undefined && { columns: flags.columns.split(',').map((s) => s.trim()) }),
    ...(flags.skipBad !== undefined && { skipBad: flags.skipBad }),
    ...(flags.timeUnit !== undefined && { timeUnit: flags.timeUnit }),
    ...(existing !== undefined && { dictionary: (await store.load(name)).members }),
  });
  const v = await store.append(info.name, r);
  process.stdout.write(`${info.name}: version ${v.version}, ${fmt(r.rows)} rows${r.skipped ? ` (${r.skipped} skipped)` : ''}, ${fmt(v.nodes)} members, stored in ${dataDir(flags.data)}\n`);
}

async function datasets(flags: { data?: string; json?: boolean }): Promise<void> {
  const list = await new DatasetStore(dataDir(flags.data)).list();
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(list)}\n`);
    return;
  }
  const t = new Table({ head: ['dataset', 'directed', 'versions', 'members', 'rows'] });
  for (const d of list) t.push([d.name, d.directed ? 'yes' : 'no', d.versions.length, fmt(d.nodes), fmt(d.edges)]);
  process.stdout.write(`${t.toString()}\n`);
}

/**
 * `npm start`: the API server on 127.0.0.1 with the bundled real dataset stored (once) and analysed;
 * prints the URL, the docs URL and, on first start, the generated admin key.
 */
async function start(flags: { data?: string; port: string; host: string; threads?: string }): Promise<void> {
  const { startServer } = await import('../../api/server.js');
  const server = await startServer({
    dataDir: dataDir(flags.data), host: flags.host, port: intOption(flags.port, '--port'),
    ...(flags.threads !== undefined && { threads: intOption(flags.threads, '--threads') }),
    bundled: { name: DEFAULT_DATASET.name, file: DEFAULT_DATASET.file, columns: DEFAULT_DATASET.columns.split(','), directed: true },
    logger: { level: process.env['LOG_LEVEL'] ?? 'warn' },
    handleSignals: true,
  });
  const lines = [
    `supernode API listening on ${server.url}`,
    `  docs:     ${server.docsUrl}`,
    server.adminKey !== null
      ? `  admin key (shown once, stored with mode 0600 in ${server.adminKeyFile}): ${server.adminKey}`
      : `  admin key: already generated on first start (see ${path.join(dataDir(flags.data), '.admin-key')})`,
    `  dataset:  ${DEFAULT_DATASET.name}${server.bundledJob ? ` (analysis job ${server.bundledJob} running)` : ''}`,
    `  try:      curl -H "Authorization: Bearer <key>" ${server.url}/v1/datasets/${DEFAULT_DATASET.name}/supernodes?limit=10`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>(() => {}); // serve until a signal closes the server
}

type ReportKind = 'supernodes' | 'leaders' | 'roles' | 'brokers' | 'rising' | 'communities';

interface ReportFlags extends GraphFlags {
  top: string;
  json?: boolean;
  seed: string;
  threads?: string;
}

/** The ranking tables growth teams ask for, from one analysis (engine/rank/analysis.ts). */
async function report(kind: ReportKind, file: string | undefined, flags: ReportFlags): Promise<void> {
  const { analyse, inThreadRunner } = await import('../rank/analysis.js');
  const loaded = await loadGraph(file, { ...flags, window: undefined, from: undefined, to: undefined });
  const top = intOption(flags.top, '--top');
  const threads = flags.threads !== undefined ? intOption(flags.threads, '--threads') : availableParallelism();
  const pool = threads > 1 && loaded.graph.m >= 200_000 ? new WorkerPool({ threads }) : null;
  const bar = new Progress(!flags.quiet, kind, 'fraction');
  try {
    const out = await analyse(
      { columns: loaded.columns, members: loaded.members, directed: loaded.graph.directed },
      {
        seed: intOption(flags.seed, '--seed'),
        ...(flags.window !== undefined && { window: flags.window }),
        ...(flags.types !== undefined && { types: flags.types.split(',') }),
      },
      pool === null ? inThreadRunner : (g, name, params, onProgress) => pool.run(g, name, params, onProgress ? { onProgress } : {}),
      (f) => bar.update(f, 1),
    );
    bar.stop();
    const rows: unknown[] = kind === 'supernodes' ? out.members.slice(0, top)
      : kind === 'leaders' ? out.leaders.slice(0, top)
        : kind === 'roles' ? out.roles.slice(0, top)
          : kind === 'brokers' ? out.brokers.slice(0, top)
            : kind === 'rising' ? out.rising.slice(0, top)
              : [...out.communities].sort((a, b) => b.size - a.size).slice(0, top);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ source: loaded.source, nodes: out.nodes, edges: out.edges, [kind]: rows, diagnostics: out.diagnostics })}\n`);
      return;
    }
    const t = reportTable(kind, out, top);
    process.stdout.write(`${kind} of ${loaded.source}: ${fmt(out.nodes)} members, ${fmt(out.edges)} edges, `
      + `${out.communities.length} communities (modularity ${fmt(Number(out.diagnostics['modularity']), 4)})\n${t.toString()}\n`);
  } finally {
    bar.stop();
    await pool?.close();
  }
}

function reportTable(kind: ReportKind, out: import('../rank/analysis.js').AnalysisOutput, top: number): Table.Table {
  switch (kind) {
    case 'supernodes': {
      const t = new Table({ head: ['rank', 'member', 'score', 'community', 'why'], colWidths: [6, 14, 8, 11, 70], wordWrap: true });
      for (const m of out.members.slice(0, top)) t.push([m.rank, m.id, m.score.toFixed(3), m.community, m.explanation.sentence]);
      return t;
    }
    case 'leaders': {
      const t = new Table({ head: ['community', 'rank', 'member', 'in-strength from own community'] });
      for (const c of out.leaders.slice(0, top)) for (const l of c.members.slice(0, 3)) t.push([c.community, l.rank, l.id, fmt(l.score)]);
      return t;
    }
    case 'roles': {
      const t = new Table({ head: ['member', 'community', 'role', 'within-community z', 'participation'] });
      for (const r of out.roles.slice(0, top)) t.push([r.id, r.community, r.role, r.z.toFixed(2), r.participation.toFixed(3)]);
      return t;
    }
    case 'brokers': {
      const t = new Table({ head: ['rank', 'member', 'constraint', 'effective size', 'betweenness', 'communities linked'] });
      for (const b of out.brokers.slice(0, top)) {
        t.push([b.rank, b.id, fmt(b.constraint ?? NaN, 4), fmt(b.effectiveSize ?? NaN, 4), fmt(b.betweenness ?? NaN, 4), b.communitiesLinked.length]);
      }
      return t;
    }
    case 'rising': {
      const t = new Table({ head: ['member', 'rank before', 'rank now', 'gain'] });
      for (const r of out.rising.slice(0, top)) t.push([r.id, r.rankBefore ?? '-', r.rankNow, r.gain]);
      return t;
    }
    case 'communities': {
      const t = new Table({ head: ['community', 'size', 'internal', 'external', 'density', 'conductance', 'life cycle', 'top members'] });
      for (const c of [...out.communities].sort((a, b) => b.size - a.size).slice(0, top)) {
        t.push([c.id, c.size, fmt(c.internalWeight), fmt(c.externalWeight), c.density.toFixed(3), c.conductance.toFixed(3), c.lifecycle, c.topMembers.slice(0, 3).join(', ')]);
      }
      return t;
    }
  }
}

export function program(): Command {
  const p = new Command('supernode')
    .description('Find the members who hold online communities together.')
    .showHelpAfterError()
    .exitOverride();
  graphOptions(p.command('compute <algorithm> [file]')
    .description(`compute one measure for every member (the scripting contract). Algorithms: ${algorithmNames().join(', ')}`))
    .option('--json', 'print one JSON object: {algorithm, nodes, edges, seconds, values|membership, ...}')
    .option('--seed <n>', 'seed for every random choice', '42')
    .option('--sources <ids>', 'member ids for personalized-pagerank, comma separated')
    .option('--epsilon <x>', 'error bound (betweenness-approx, seeds)')
    .option('--delta <x>', 'failure probability (betweenness-approx)')
    .option('--resolution <x>', 'modularity resolution (louvain, leiden)')
    .option('--k <n>', 'budget (seeds)')
    .option('--model <m>', 'spread model (seeds): ic | lt | wc')
    .option('--p <x>', 'uniform activation probability (seeds, ic)')
    .option('--threads <n>', 'worker threads (default: all cores; 1 = in-thread)')
    .action(compute);
  graphOptions(p.command('rank [file]').description('top members by PageRank with degrees and strengths'))
    .option('--top <n>', 'how many members', '20')
    .option('--json', 'machine-readable output')
    .option('--threads <n>', 'worker threads (default: all cores)')
    .action(rank);
  const reports: [ReportKind, string][] = [
    ['supernodes', 'members ranked by the explained super-node score (influence, reach, embeddedness, brokerage)'],
    ['leaders', 'opinion leaders per community (in-strength from members of the same community)'],
    ['roles', 'Guimera-Amaral roles: within-community z-score and participation coefficient, hubs first'],
    ['brokers', 'brokers: lowest Burt constraint among members linking two or more communities'],
    ['rising', 'rising stars: largest PageRank rank gain, last window vs the one before (--window, default 30d)'],
    ['communities', 'Leiden communities: size, cohesion, conductance, life cycle, top members'],
  ];
  for (const [kind, description] of reports) {
    graphOptions(p.command(`${kind} [file]`).description(description))
      .option('--top <n>', 'how many rows', '20')
      .option('--json', 'machine-readable output')
      .option('--seed <n>', 'seed for every random choice', '42')
      .option('--threads <n>', 'worker threads (default: all cores)')
      .action((file: string | undefined, flags: ReportFlags) => report(kind, file, flags));
  }
  graphOptions(p.command('seeds [file]').description('seed users: k members maximising expected spread (IMM), with a Monte Carlo spread estimate'))
    .option('--k <n>', 'budget', '50')
    .addOption(new Option('--model <m>', 'spread model: wc (weighted cascade), ic (uniform p), lt (linear threshold)').choices(['wc', 'ic', 'lt']).default('wc'))
    .option('--p <x>', 'activation probability for --model ic')
    .option('--epsilon <x>', 'IMM approximation parameter', '0.1')
    .option('--seed <n>', 'seed', '42')
    .option('--json', 'machine-readable output: {seeds, spread: {mean, ci95}}')
    .action((file: string | undefined, flags: ComputeFlags) => compute('seeds', file, flags));
  graphOptions(p.command('trajectory [file]').description("one or more members' rank over consecutive time windows (--member a,b --step 30d)"))
    .requiredOption('--member <ids>', 'member ids, comma separated')
    .option('--step <duration>', 'window length', '30d')
    .addOption(new Option('--measure <m>', 'influence measure to rank by').choices(['pagerank', 'in-strength']).default('pagerank'))
    .option('--json', 'machine-readable output')
    .action(trajectoryCommand);
  graphOptions(p.command('stability [file]').description('bootstrap rank stability of the top k: share of resamples each stays in the top k, 90% rank interval'))
    .option('--k <n>', 'size of the top list', '10')
    .option('--resamples <n>', 'bootstrap resamples of the interactions', '100')
    .addOption(new Option('--measure <m>', 'influence measure to rank by').choices(['pagerank', 'in-strength']).default('pagerank'))
    .option('--seed <n>', 'seed of the resampling', '42')
    .option('--json', 'machine-readable output')
    .action(stabilityCommand);
  graphOptions(p.command('ingest <file>').description('store an edge file as a dataset version (Arrow IPC) in the data directory'))
    .option('--name <name>', 'dataset name (default: file name)')
    .action(ingest);
  p.command('datasets').description('list stored datasets')
    .option('--data <dir>', 'data directory')
    .option('--json', 'machine-readable output')
    .action(datasets);
  p.command('start').description('start the API server with the bundled real dataset stored and analysed')
    .option('--data <dir>', 'data directory (default $SUPERNODE_DATA or ./data)')
    .option('--port <n>', 'port (0 = any free port)', process.env['PORT'] ?? '8080')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--threads <n>', 'worker threads (default: all cores)')
    .action(start);
  return p;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (isSupernodeError(e)) {
      process.stderr.write(`supernode: ${e.code}: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return 1;
    }
    process.stderr.write(`supernode: INTERNAL: ${e instanceof Error ? e.stack?.split('\n').slice(0, 3).join(' | ') : String(e)}\n`);
    return 1;
  }
}
