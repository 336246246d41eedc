/** `supernode compute` (the scripting contract) and the execution path shared with `rank`. */
import { availableParallelism } from 'node:os';
import { SupernodeError } from '../../errors.js';
import { type Cell, flatTable } from '../../export/table.js';
import { type AlgorithmOutput, type AlgorithmParams, getAlgorithm, runAlgorithm } from '../../catalog/index.js';
import { edgeCount } from '../../graph/csr.js';
import { WorkerPool } from '../../../workers/pool.js';
import { type GraphFlags, type LoadedGraph, inputFlags, loadGraph } from '../load.js';
import { intOption, numOption, positiveInt } from '../options.js';
import { emit, emitTable, fmt, jsonStamp, memberObject, num, outputFormat, table } from '../output.js';
import { Progress } from '../progress.js';
import { withName } from '../labels.js';

export interface ComputeFlags extends Omit<GraphFlags, 'format'> {
  json?: boolean;
  /** Output format (the input's is --input-format). */
  format?: string;
  inputFormat?: GraphFlags['format'];
  output?: string;
  damping?: string;
  tolerance?: string;
  maxIterations?: string;
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

export function computeParams(flags: ComputeFlags, loaded: LoadedGraph): AlgorithmParams {
  const sources = flags.sources?.split(',').map((id) => {
    const i = loaded.members.indexOf(id);
    if (i < 0) throw new SupernodeError('UNKNOWN_MEMBER', `--sources: no member "${id}" in ${loaded.source}`);
    return i;
  });
  const params: Record<string, unknown> = { seed: intOption(flags.seed, '--seed') };
  if (sources !== undefined) params['sources'] = sources;
  Object.assign(params, pagerankParams(flags));
  for (const key of ['epsilon', 'delta', 'resolution', 'k', 'p'] as const) {
    const x = numOption(flags[key], `--${key}`);
    if (x !== undefined) params[key] = x;
  }
  if (flags.model !== undefined) params['model'] = flags.model;
  return params as AlgorithmParams;
}

/** PageRank's --damping (0, 1), --tolerance (> 0) and --max-iterations (>= 1), checked. */
export function pagerankParams(flags: { damping?: string; tolerance?: string; maxIterations?: string }): Record<string, number> {
  const out: Record<string, number> = {};
  const d = numOption(flags.damping, '--damping');
  if (d !== undefined) {
    if (!(d > 0 && d < 1)) throw new SupernodeError('BAD_OPTION', `--damping must be in (0, 1), got "${flags.damping}"`);
    out['damping'] = d;
  }
  const t = numOption(flags.tolerance, '--tolerance');
  if (t !== undefined) {
    if (!(t > 0)) throw new SupernodeError('BAD_OPTION', `--tolerance must be positive, got "${flags.tolerance}"`);
    out['tolerance'] = t;
  }
  if (flags.maxIterations !== undefined) out['maxIterations'] = positiveInt(flags.maxIterations, '--max-iterations');
  return out;
}

/** Runs in the worker pool when there is parallel work to gain, in-thread otherwise (same results). */
export async function execute(algorithm: string, loaded: LoadedGraph, params: AlgorithmParams, threadsFlag: string | undefined, quiet: boolean): Promise<AlgorithmOutput> {
  const spec = getAlgorithm(algorithm);
  const threads = threadsFlag !== undefined ? positiveInt(threadsFlag, '--threads') : availableParallelism();
  const bar = new Progress(!quiet, algorithm, 'fraction');
  try {
    // Cooperative kernels (spec.team) gain from threads from 65,536 arcs (the pool's threshold).
    const parallel = spec.split !== undefined || (spec.team !== undefined && loaded.graph.m >= 65_536);
    if (threads <= 1 || (!parallel && loaded.graph.m < 2_000_000)) {
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

export async function compute(algorithm: string, file: string | undefined, flags: ComputeFlags): Promise<void> {
  getAlgorithm(algorithm); // unknown names fail before any reading
  if (algorithm === 'personalized-pagerank' && (flags.sources ?? '').trim() === '') {
    throw new SupernodeError('BAD_OPTION', 'personalized-pagerank needs --sources a,b (the members it teleports to)');
  }
  if (flags.threads !== undefined) positiveInt(flags.threads, '--threads');
  pagerankParams(flags); // flag errors before any reading
  const format = outputFormat(flags);
  const loaded = await loadGraph(file, inputFlags(flags));
  const params = computeParams(flags, loaded);
  const out = await execute(algorithm, loaded, params, flags.threads, !!flags.quiet);
  const { graph, members } = loaded;
  const n = graph.n;
  const head = [
    `{${jsonStamp(params.seed)}"algorithm":${JSON.stringify(algorithm)},"nodes":${n},"edges":${edgeCount(graph)},`,
    `"seconds":${num(Number(out.diagnostics['seconds'] ?? 0))},"loadSeconds":${num(loaded.loadSeconds + loaded.buildSeconds)},`,
    `"selfLoopsDropped":${graph.selfLoops},"skippedRows":${loaded.skipped},"diagnostics":${JSON.stringify(out.diagnostics)},`,
  ];
  if (format === 'table') {
    const text = topTable(algorithm, out, loaded);
    await emit([text], flags.output);
    return;
  }
  if (format !== 'json') {
    await emitTable(resultTable(algorithm, out, loaded), format, flags.output);
    return;
  }
  if (out.kind === 'values') {
    const v = out.values;
    await emit(sliced([...head, '"values":', ...memberObject(members, n, (i) => num(v[i]!)), '}\n']), flags.output);
  } else if (out.kind === 'seeds') {
    const ids = Array.from(out.seeds, (i) => JSON.stringify(members.idOf(i)));
    await emit([...head, `"seeds":[${ids.join(',')}],"spread":${JSON.stringify(out.spread)}}\n`], flags.output);
  } else {
    const mem = out.membership;
    let k = 0;
    for (let i = 0; i < n; i++) if (mem[i]! + 1 > k) k = mem[i]! + 1;
    await emit(sliced([
      ...head, `"modularity":${out.modularity === null ? 'null' : num(out.modularity)},"communities":${k},"membership":`,
      ...memberObject(members, n, (i) => String(mem[i])), '}\n',
    ]), flags.output);
  }
}

/** String parts joined in large slices (graphs with millions of members: one write per slice). */
function* sliced(parts: string[], size = 65536): Generator<string> {
  for (let i = 0; i < parts.length; i += size) yield parts.slice(i, i + size).join('');
}

/** Every member's value (or community), or the seeds in order, as a flat table. */
function resultTable(algorithm: string, out: AlgorithmOutput, loaded: LoadedGraph) {
  const { members, graph } = loaded;
  if (out.kind === 'seeds') {
    return flatTable([{ name: 'order', kind: 'int' }, { name: 'member', kind: 'string' }], function* () {
      let r = 0;
      for (const i of out.seeds) yield [++r, members.idOf(i)] as Cell[];
    });
  }
  if (out.kind === 'partition') {
    return flatTable([{ name: 'member', kind: 'string' }, { name: 'community', kind: 'int' }], function* () {
      for (let i = 0; i < graph.n; i++) yield [members.idOf(i), out.membership[i]!] as Cell[];
    });
  }
  return flatTable([{ name: 'member', kind: 'string' }, { name: algorithm, kind: 'float' }], function* () {
    for (let i = 0; i < graph.n; i++) yield [members.idOf(i), Number.isFinite(out.values[i]!) ? out.values[i]! : null] as Cell[];
  });
}

function topTable(algorithm: string, out: AlgorithmOutput, loaded: LoadedGraph, top = 20): string {
  const { members, graph } = loaded;
  if (out.kind === 'seeds') {
    const t = table(withName(['order', 'member'], 1, loaded.labels, null));
    out.seeds.forEach((i, r) => t.push(withName([r + 1, members.idOf(i)], 1, loaded.labels, members.idOf(i))));
    return `${out.seeds.length} seed users; expected spread ${fmt(out.spread.mean)} `
      + `(95% CI ${fmt(out.spread.ci95[0])}-${fmt(out.spread.ci95[1])}, ${out.spread.runs} cascades)\n${t.toString()}\n`;
  }
  if (out.kind === 'partition') {
    const sizes = new Map<number, number>();
    for (const c of out.membership) sizes.set(c, (sizes.get(c) ?? 0) + 1);
    const t = table(['community', 'members']);
    for (const [c, s] of [...sizes].sort((a, b) => b[1] - a[1]).slice(0, top)) t.push([c, s]);
    return `${algorithm}: ${sizes.size} communities, modularity ${out.modularity ?? '-'}\n${t.toString()}\n`;
  }
  const order = topIndices(out.values, top);
  const t = table(withName(['rank', 'member', algorithm], 1, loaded.labels, null));
  order.forEach((i, r) => t.push(withName([r + 1, members.idOf(i), fmt(out.values[i]!)], 1, loaded.labels, members.idOf(i))));
  return `${algorithm} on ${loaded.source}: ${graph.n} members, ${edgeCount(graph)} edges\n${t.toString()}\n`;
}

/** Indices of the `k` largest finite values, largest first; ties by lower index (stable, reproducible). */
export function topIndices(v: Float64Array, k: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i]!)) idx.push(i);
  idx.sort((a, b) => v[b]! - v[a]! || a - b);
  return idx.slice(0, k);
}

