/** `supernode rank`: PageRank with degrees and strengths. */
import { edgeCount } from '../../graph/csr.js';
import { inDegrees, inStrength, outDegrees, outStrength } from '../../algorithms/degree.js';
import { type Cell, flatTable } from '../../export/table.js';
import { type GraphFlags, inputFlags, loadGraph } from '../load.js';
import { intOption, positiveInt } from '../options.js';
import { emit, emitTable, fmt, jsonStamp, outputFormat, table } from '../output.js';
import { execute, pagerankParams, topIndices } from './compute.js';
import { withLabel, withName } from '../labels.js';

export interface RankFlags extends Omit<GraphFlags, 'format'> {
  top?: string;
  json?: boolean;
  format?: string;
  inputFormat?: GraphFlags['format'];
  output?: string;
  seed: string;
  damping?: string;
  tolerance?: string;
  maxIterations?: string;
  threads?: string;
}

const DEFAULT_TOP = 20;

export async function rank(file: string | undefined, flags: RankFlags): Promise<void> {
  const format = outputFormat(flags);
  // A table or JSON shows the top 20; a file format is the whole ranking unless --top is given.
  const top = flags.top !== undefined ? positiveInt(flags.top, '--top') : format === 'table' || format === 'json' ? DEFAULT_TOP : Infinity;
  if (flags.threads !== undefined) positiveInt(flags.threads, '--threads');
  const seed = intOption(flags.seed, '--seed');
  const params = { seed, ...pagerankParams(flags) };
  const loaded = await loadGraph(file, inputFlags(flags));
  const out = await execute('pagerank', loaded, params, flags.threads, !!flags.quiet);
  if (out.kind !== 'values') throw new Error('pagerank returned a partition');
  const { graph, members } = loaded;
  const ind = inDegrees(graph), outd = outDegrees(graph), ins = inStrength(graph), outs = outStrength(graph);
  const order = topIndices(out.values, top);
  if (format === 'csv' || format === 'arrow' || format === 'parquet') {
    const t = flatTable([
      { name: 'rank', kind: 'int' }, { name: 'member', kind: 'string' }, { name: 'pagerank', kind: 'float' },
      { name: 'in_degree', kind: 'int' }, { name: 'out_degree', kind: 'int' }, { name: 'in_strength', kind: 'float' }, { name: 'out_strength', kind: 'float' },
    ], function* () {
      for (let r = 0; r < order.length; r++) {
        const i = order[r]!;
        yield [r + 1, members.idOf(i), out.values[i]!, ind[i]!, outd[i]!, ins[i]!, outs[i]!] as Cell[];
      }
    });
    await emitTable(t, format, flags.output);
    return;
  }
  const rows = order.map((i, r) => withLabel({
    rank: r + 1, member: members.idOf(i), pagerank: out.values[i]!,
    inDegree: ind[i]!, outDegree: outd[i]!, inStrength: ins[i]!, outStrength: outs[i]!,
  }, members.idOf(i), loaded.labels));
  if (format === 'json') {
    const body = JSON.stringify({
      source: loaded.source, nodes: graph.n, edges: edgeCount(graph), directed: graph.directed,
      selfLoopsDropped: graph.selfLoops, pagerank: out.diagnostics, top: rows,
    });
    await emit([`{${jsonStamp(seed)}${body.slice(1)}\n`], flags.output);
    return;
  }
  const t = table(withName(['rank', 'member', 'pagerank', 'in-degree', 'out-degree', 'in-strength', 'out-strength'], 1, loaded.labels, null));
  for (const r of rows) t.push(withName([r.rank, r.member, fmt(r.pagerank, 4), fmt(r.inDegree), fmt(r.outDegree), fmt(r.inStrength), fmt(r.outStrength)], 1, loaded.labels, r.member));
  const d = out.diagnostics;
  await emit([
    `${loaded.source}: ${fmt(graph.n)} members, ${fmt(edgeCount(graph))} ${graph.directed ? 'directed' : 'undirected'} edges`
    + ` (${fmt(graph.selfLoops)} self-loops dropped); PageRank ${d['converged'] ? 'converged' : 'did NOT converge'} in ${d['iterations']} iterations\n`
    + `${t.toString()}\n`,
  ], flags.output);
}
