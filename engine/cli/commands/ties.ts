/**
 * `supernode ties`: strong and weak ties and the bridges between communities
 * (engine/rank/ties.ts). `--json` prints the contract `{"ties": [...], "reciprocity": r}`, every
 * tie strongest first; `--members` gives the per-member view instead.
 */
import Table from 'cli-table3';
import { edgeCount } from '../../graph/csr.js';
import { type GraphFlags, loadGraph, buildOptions } from '../load.js';
import { intOption } from '../options.js';
import { fmt, num, writeParts } from '../output.js';

export interface TiesFlags extends GraphFlags {
  top: string;
  seed: string;
  json?: boolean;
  members?: boolean;
}

export async function tiesCommand(file: string | undefined, flags: TiesFlags): Promise<void> {
  const { runAlgorithm } = await import('../../catalog/index.js');
  const { tieAnswer, tieMemberRows, tieRow } = await import('../../rank/ties.js');
  const loaded = await loadGraph(file, flags);
  const top = intOption(flags.top, '--top');
  const { graph, columns, members } = loaded;
  const part = runAlgorithm('leiden', graph, { seed: intOption(flags.seed, '--seed') });
  if (part.kind !== 'partition') throw new Error('leiden returned no partition');
  const { window, types } = buildOptions(flags, columns);
  const a = tieAnswer(graph, columns, part.membership, { window, types });
  const idOf = (i: number) => members.idOf(i);
  const r = a.kernel.reciprocity;
  if (flags.json && flags.members) {
    process.stdout.write(`${JSON.stringify({ members: tieMemberRows(a, idOf), reciprocity: r })}\n`);
    return;
  }
  if (flags.json) {
    // Written in slices: a graph of millions of ties would not fit one string.
    const parts = ['{"ties":['];
    for (let i = 0; i < a.order.length; i++) parts.push(`${i ? ',' : ''}${JSON.stringify(tieRow(a, a.order[i]!, idOf))}`);
    parts.push(`],"reciprocity":${r === null ? 'null' : num(r)}}\n`);
    await writeParts(parts);
    return;
  }
  const { totals } = a;
  const lines = [
    `ties of ${loaded.source}: ${fmt(graph.n)} members, ${fmt(edgeCount(graph))} edges, ${fmt(totals.ties)} ties `
    + `(${fmt(totals.strong)} strong, ${fmt(totals.weak)} weak, ${fmt(totals.bridges)} bridges between communities)`,
    `reciprocity (share of interactions answered in the other direction): ${r === null ? 'n/a (undirected)' : fmt(r, 4)}`,
    `rule: ${a.rule.text}`,
    'overlap = shared contacts / contacts of either member other than each other (0 = no shared circle, 1 = the same circle)',
  ];
  if (flags.members) {
    const t = new Table({ head: ['member', 'ties', 'strong', 'strong share', 'bridges'] });
    for (const m of tieMemberRows(a, idOf).slice(0, top)) t.push([m.id, fmt(m.ties), fmt(m.strong), m.strongShare.toFixed(3), fmt(m.bridges)]);
    process.stdout.write(`${lines.join('\n')}\nmembers with the most bridges:\n${t.toString()}\n`);
    return;
  }
  const head = ['member', 'member', 'weight', 'count', 'two-way', 'overlap', ...(a.last ? ['last'] : [])];
  const table = (pick: (t: number) => boolean) => {
    const t = new Table({ head });
    for (let i = 0, shown = 0; i < a.order.length && shown < top; i++) {
      const e = a.order[i]!;
      if (!pick(e)) continue;
      const row = tieRow(a, e, idOf);
      t.push([row.source, row.target, fmt(row.weight), fmt(row.count), row.reciprocal ? 'yes' : 'no', row.overlap.toFixed(3), ...(a.last ? [row.last?.slice(0, 10) ?? '-'] : [])]);
      shown++;
    }
    return t.toString();
  };
  process.stdout.write(`${lines.join('\n')}\nstrongest ties:\n${table((t) => a.strong[t] === 1)}\n`
    + `heaviest bridges (weak ties between communities):\n${table((t) => a.bridge[t] === 1)}\n`);
}
