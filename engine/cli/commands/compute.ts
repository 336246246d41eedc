/** `supernode compute` (the scripting contract) and the execution path shared with `rank`. */
import { availableParallelism } from 'node:os';
import Table from 'cli-table3';
import { SupernodeError } from '../../errors.js';
import { type AlgorithmOutput, type AlgorithmParams, getAlgorithm, runAlgorithm } from '../../catalog/index.js';
import { edgeCount } from '../../graph/csr.js';
import { WorkerPool } from '../../../workers/pool.js';
import { type GraphFlags, type LoadedGraph, loadGraph } from '../load.js';
import { intOption, numOption } from '../options.js';
import { fmt, memberObject, num, writeParts } from '../output.js';
import { Progress } from '../progress.js';

export interface ComputeFlags extends GraphFlags {
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

export function computeParams(flags: ComputeFlags, loaded: LoadedGraph): AlgorithmParams {
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
export async function execute(algorithm: string, loaded: LoadedGraph, params: AlgorithmParams, threadsFlag: string | undefined, quiet: boolean): Promise<AlgorithmOutput> {
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

export async function compute(algorithm: string, file: string | undefined, flags: ComputeFlags): Promise<void> {
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

