/**
 * `supernode contribution`: the network-based contribution score per member and per window
 * (engine/rank/contribution.ts), every component shown, so a points ledger can pay it out.
 */
import Table from 'cli-table3';
import { buildGraph } from '../../graph/builder.js';
import { parseDuration } from '../../graph/window.js';
import { buildOptions, type GraphFlags, loadGraph } from '../load.js';
import { intOption } from '../options.js';
import { fmt } from '../output.js';

export interface ContributionFlags extends GraphFlags {
  top: string;
  windows: string;
  seed: string;
  json?: boolean;
}

const day = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().slice(0, 10));

export async function contributionCommand(file: string | undefined, flags: ContributionFlags): Promise<void> {
  const { runAlgorithm } = await import('../../catalog/index.js');
  const { contributionRows, contributionWindows } = await import('../../rank/contribution.js');
  const { latestTime } = await import('../../rank/core-periphery.js');
  // --window is the pay period here (default 30d): communities come from every interaction.
  const loaded = await loadGraph(file, { ...flags, window: undefined });
  const top = intOption(flags.top, '--top');
  const count = intOption(flags.windows, '--windows');
  const { graph, columns, members } = loaded;
  const part = runAlgorithm('leiden', graph, { seed: intOption(flags.seed, '--seed') });
  if (part.kind !== 'partition') throw new Error('leiden returned no partition');
  const opts = buildOptions({ ...flags, window: undefined }, columns);
  const ws = contributionWindows(columns, part.membership, (window) => buildGraph(columns, window === undefined ? opts : { ...opts, window }), {
    span: parseDuration(flags.window ?? '30d'), count: Math.max(1, count), latest: latestTime(columns.timestamp), types: opts.types,
  });
  const idOf = (i: number) => members.idOf(i);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({
      source: loaded.source,
      windows: ws.map((w) => ({
        from: w.from === null ? null : new Date(w.from).toISOString(), to: w.to === null ? null : new Date(w.to).toISOString(),
        interactions: w.interactions, weights: w.weights, members: contributionRows(w, idOf).slice(0, top),
      })),
    })}\n`);
    return;
  }
  let out = `contribution of ${loaded.source}: points = 100 x (weighted percentiles among the window's active members): `
    + 'recognition = distinct members who acted towards the member, conversations = first contacts that were answered, '
    + 'bridges = weak ties to other communities, cross-community = interactions with other communities; higher = more\n';
  for (const w of ws) {
    const weights = Object.entries(w.weights).filter(([, x]) => x > 0).map(([c, x]) => `${c} ${x.toFixed(2)}`).join(', ');
    out += `window ${day(w.from)}..${day(w.to === null ? null : w.to - 1)}: ${fmt(w.interactions)} interactions, ${fmt(w.rows.length)} active members; weights ${weights}\n`;
    const t = new Table({ head: ['rank', 'member', 'points', 'recognition', 'conversations', 'bridges', 'cross-community'] });
    for (const r of contributionRows(w, idOf).slice(0, top)) {
      const c = r.components;
      t.push([r.rank, r.id, r.points, fmt(c.recognition.value ?? NaN), c.conversations.value === null ? '-' : fmt(c.conversations.value), fmt(c.bridges.value ?? NaN), fmt(c['cross-community'].value ?? NaN)]);
    }
    out += `${t.toString()}\n`;
  }
  process.stdout.write(out);
}
