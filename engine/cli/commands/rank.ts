/** `supernode rank`: PageRank with degrees and strengths. */
import Table from 'cli-table3';
import { edgeCount } from '../../graph/csr.js';
import { inDegrees, inStrength, outDegrees, outStrength } from '../../algorithms/degree.js';
import { type GraphFlags, loadGraph } from '../load.js';
import { intOption } from '../options.js';
import { fmt } from '../output.js';
import { execute, topIndices } from './compute.js';

export interface RankFlags extends GraphFlags {
  top: string;
  json?: boolean;
  threads?: string;
}

export async function rank(file: string | undefined, flags: RankFlags): Promise<void> {
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

