/**
 * `supernode communities --flow`: the inter-community interaction matrix the API serves at
 * `/v1/datasets/{id}/communities/flow` (engine/rank/communities.ts `communityFlow`), for the
 * largest communities, and the heaviest flows between two different communities, each named by its
 * size and best-connected members. A -> B is A acting towards B, so attention flows along a row and
 * knowledge (B's content reaching A's audience) the other way.
 */
import Table from 'cli-table3';
import { edgeCount } from '../../graph/csr.js';
import { type GraphFlags, loadGraph } from '../load.js';
import { intOption } from '../options.js';
import { fmt } from '../output.js';

/** The `communities` command's flags: `--format` names the output there, `--input-format` the input. */
export interface FlowFlags extends Omit<GraphFlags, 'format'> {
  top?: string;
  seed: string;
  json?: boolean;
  format?: string;
  inputFormat?: GraphFlags['format'];
}

/** Communities shown in the matrix: more columns would not fit a terminal. */
const MATRIX_MAX = 8;

export async function flowCommand(file: string | undefined, flags: FlowFlags): Promise<void> {
  const { runAlgorithm } = await import('../../catalog/index.js');
  const { communityFlow, communitySummaries } = await import('../../rank/communities.js');
  const loaded = await loadGraph(file, { ...flags, format: flags.inputFormat });
  const top = intOption(flags.top ?? '20', '--top');
  const { graph, members } = loaded;
  // The same partition as `supernode communities` and the analysis: Leiden with the same seed.
  const part = runAlgorithm('leiden', graph, { seed: intOption(flags.seed, '--seed') });
  if (part.kind !== 'partition') throw new Error('leiden returned no partition');
  const sum = communitySummaries(graph, part.membership, 3);
  const flow = communityFlow(graph, part.membership);
  const k = flow.count;
  const out = new Float64Array(k);
  const rows: { from: number; to: number; weight: number }[] = [];
  for (let c = 0; c < k; c++) {
    for (let e = flow.offsets[c]!; e < flow.offsets[c + 1]!; e++) {
      out[c]! += flow.weights[e]!;
      if (flow.targets[e] !== c) rows.push({ from: c, to: flow.targets[e]!, weight: flow.weights[e]! });
    }
  }
  rows.sort((a, b) => b.weight - a.weight || a.from - b.from || a.to - b.to);
  const name = (c: number) => {
    const ids: string[] = [];
    for (let r = 0; r < sum.topK; r++) {
      const v = sum.topMembers[c * sum.topK + r]!;
      if (v >= 0) ids.push(members.idOf(v));
    }
    return `#${c} (${fmt(sum.size[c]!)} members: ${ids.join(', ')})`;
  };
  const weightOf = (a: number, b: number) => {
    for (let e = flow.offsets[a]!; e < flow.offsets[a + 1]!; e++) if (flow.targets[e] === b) return flow.weights[e]!;
    return 0;
  };
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({
      source: loaded.source, communities: k,
      flows: rows.slice(0, top).map((f) => ({ ...f, shareOfFrom: out[f.from]! > 0 ? f.weight / out[f.from]! : 0 })),
    })}\n`);
    return;
  }
  const bySize = Array.from({ length: k }, (_, c) => c).sort((a, b) => sum.size[b]! - sum.size[a]! || a - b).slice(0, MATRIX_MAX);
  const m = new Table({ head: ['from \\ to', ...bySize.map((c) => `#${c}`)] });
  for (const a of bySize) m.push([`#${a} (${fmt(sum.size[a]!)})`, ...bySize.map((b) => fmt(weightOf(a, b)))]);
  const t = new Table({ head: ['from', 'to', 'interactions', "share of from's"] });
  for (const f of rows.slice(0, top)) t.push([name(f.from), name(f.to), fmt(f.weight), `${(100 * f.weight / out[f.from]!).toFixed(1)}%`]);
  process.stdout.write(`knowledge flow of ${loaded.source}: ${fmt(graph.n)} members, ${fmt(edgeCount(graph))} edges, ${k} communities\n`
    + 'a row is what its community\'s members direct at each community (replies, mentions, messages); knowledge moves the other way\n'
    + `interactions between the ${bySize.length} largest communities (diagonal = inside a community):\n${m.toString()}\n`
    + `heaviest flows between two communities:\n${t.toString()}\n`);
}
