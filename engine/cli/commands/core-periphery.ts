/**
 * `supernode core-periphery`: every member's coreness (Borgatti & Everett continuous model), the
 * core/periphery cut, and with timestamps who moved into or out of the core between the last two
 * windows of `--window` (default 30d, ending at the latest interaction).
 */
import Table from 'cli-table3';
import { buildGraph } from '../../graph/builder.js';
import { edgeCount } from '../../graph/csr.js';
import { parseDuration } from '../../graph/window.js';
import { buildOptions, type GraphFlags, loadGraph } from '../load.js';
import { intOption } from '../options.js';
import { fmt } from '../output.js';

export interface CorePeripheryFlags extends GraphFlags {
  top: string;
  json?: boolean;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function corePeripheryCommand(file: string | undefined, flags: CorePeripheryFlags): Promise<void> {
  const { corePeripheryAnswer, cpMemberRows, cpMoveRows, latestTime } = await import('../../rank/core-periphery.js');
  // --window is the movement window here (as for `rising`): the fit itself uses every interaction.
  const loaded = await loadGraph(file, { ...flags, window: undefined });
  const top = intOption(flags.top, '--top');
  const { graph, columns, members } = loaded;
  const opts = buildOptions({ ...flags, window: undefined }, columns);
  const span = parseDuration(flags.window ?? '30d');
  const latest = latestTime(columns.timestamp);
  const a = corePeripheryAnswer(graph, columns.timestamp === null ? null : {
    latest, span, build: (w) => buildGraph(columns, { ...opts, window: { from: Math.max(w.from, opts.window?.from ?? -Infinity), to: Math.min(w.to, opts.window?.to ?? Infinity) } }),
  });
  const idOf = (i: number) => members.idOf(i);
  const rows = cpMemberRows(a, idOf);
  const f = a.fit;
  const mv = a.movement;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({
      source: loaded.source, nodes: graph.n, edges: edgeCount(graph),
      core: { size: f.coreSize, fit: f.fit, iterations: f.iterations, converged: f.converged },
      members: rows.slice(0, top),
      movement: mv === null ? null : {
        windows: mv.windows.map((w) => ({ from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString(), coreSize: w.coreSize, fit: w.fit })),
        joined: cpMoveRows(mv.joined, idOf), left: cpMoveRows(mv.left, idOf),
      },
    })}\n`);
    return;
  }
  const t = new Table({ head: ['rank', 'member', 'coreness', 'position'] });
  for (const r of rows.slice(0, top)) t.push([r.rank, r.id, r.coreness.toFixed(3), r.position]);
  let out = `core-periphery of ${loaded.source}: ${fmt(graph.n)} members, ${fmt(edgeCount(graph))} edges; `
    + `core of ${fmt(f.coreSize)} members (fit ${f.fit === null ? '-' : f.fit.toFixed(3)}: correlation of the ties with an ideal core/periphery pattern)\n`
    + 'coreness 1 = the most central core member; core members are tied to each other, periphery members mostly to the core\n'
    + `${t.toString()}\n`;
  if (mv !== null) {
    const [b, n] = mv.windows;
    out += `movement: ${day(b!.from)}..${day(b!.to - 1)} (core ${b!.coreSize}) -> ${day(n!.from)}..${day(n!.to - 1)} (core ${n!.coreSize})\n`;
    for (const [title, list] of [['moved into the core', mv.joined], ['left the core', mv.left]] as const) {
      const m = new Table({ head: ['member', 'before', 'now', 'coreness rank before', 'coreness rank now'] });
      for (const r of cpMoveRows(list.slice(0, top), idOf)) m.push([r.id, r.before, r.now, r.rankBefore ?? '-', r.rankNow ?? '-']);
      out += `${title}: ${fmt(list.length)}\n${list.length > 0 ? `${m.toString()}\n` : ''}`;
    }
  } else out += 'no timestamps: no movement (read the file with --columns source,target,timestamp)\n';
  process.stdout.write(out);
}
