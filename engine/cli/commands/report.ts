/** The ranking tables growth teams ask for: supernodes, leaders, roles, brokers, rising, communities. */
import { availableParallelism } from 'node:os';
import type Table from 'cli-table3';
import { SupernodeError } from '../../errors.js';
import { type FlatTable, brokerTable, communityTable, leaderTable, risingTable, roleTable, supernodeTable } from '../../export/table.js';
import type { AnalysisOutput } from '../../rank/analysis.js';
import { WorkerPool } from '../../../workers/pool.js';
import { type GraphFlags, inputFlags, loadGraph } from '../load.js';
import { intOption, positiveInt } from '../options.js';
import { emit, emitTable, fmt, jsonStamp, outputFormat, table } from '../output.js';
import { Progress } from '../progress.js';
import { type Labels, withLabel, withName } from '../labels.js';

export type ReportKind = 'supernodes' | 'leaders' | 'roles' | 'brokers' | 'rising' | 'communities';

export interface ReportFlags extends Omit<GraphFlags, 'format'> {
  top?: string;
  json?: boolean;
  format?: string;
  inputFormat?: GraphFlags['format'];
  output?: string;
  seed: string;
  threads?: string;
}

const DEFAULT_TOP = 20;
/** Opinion leaders: --top is per community, so the default is a short list for each. */
const DEFAULT_LEADERS = 3;

/** The ranking tables growth teams ask for, from one analysis (engine/rank/analysis.ts). */
export async function report(kind: ReportKind, file: string | undefined, flags: ReportFlags): Promise<void> {
  const format = outputFormat(flags);
  // A table or JSON shows the top 20; a file format is the whole ranking unless --top is given.
  const top = flags.top !== undefined ? positiveInt(flags.top, '--top')
    : format === 'table' || format === 'json' ? (kind === 'leaders' ? DEFAULT_LEADERS : DEFAULT_TOP) : Infinity;
  const threads = flags.threads !== undefined ? positiveInt(flags.threads, '--threads') : availableParallelism();
  const seed = intOption(flags.seed, '--seed');
  const { analyse, inThreadRunner } = await import('../../rank/analysis.js');
  const loaded = await loadGraph(file, { ...inputFlags(flags), window: undefined, from: undefined, to: undefined });
  if (kind === 'rising' && loaded.columns.timestamp === null) {
    throw new SupernodeError('BAD_OPTION', `rising compares two time windows, and ${loaded.source} has no timestamps; name the time column (e.g. --columns source,target,timestamp)`);
  }
  const pool = threads > 1 && loaded.graph.m >= 200_000 ? new WorkerPool({ threads }) : null;
  const bar = new Progress(!flags.quiet, kind, 'fraction');
  try {
    const out = await analyse(
      { columns: loaded.columns, members: loaded.members, directed: loaded.graph.directed },
      {
        seed,
        ...(flags.window !== undefined && { window: flags.window }),
        ...(flags.types !== undefined && { types: flags.types.split(',') }),
      },
      pool === null ? inThreadRunner : (g, name, params, onProgress) => pool.run(g, name, params, onProgress ? { onProgress } : {}),
      (f: number, stage?: string) => bar.update(f, 1, stage),
    );
    bar.stop();
    if (format === 'csv' || format === 'arrow' || format === 'parquet') {
      await emitTable(flatReport(kind, out, top), format, flags.output);
      return;
    }
    if (format === 'json') {
      const lb = loaded.labels;
      const rows = kind === 'supernodes' ? out.members.slice(0, top).map((m) => withLabel(m, m.id, lb))
        : kind === 'leaders' ? leadersEach(out, top).map((c) => ({ ...c, members: c.members.map((l) => withLabel(l, l.id, lb)) }))
          : kind === 'roles' ? out.roles.slice(0, top).map((r) => withLabel(r, r.id, lb))
            : kind === 'brokers' ? out.brokers.slice(0, top).map((b) => withLabel(b, b.id, lb))
              : kind === 'rising' ? out.rising.slice(0, top).map((r) => withLabel(r, r.id, lb))
                : bySize(out).slice(0, top).map((c) => ({ ...c, activity: c.activity.map((a) => ({ weekStart: new Date(a.weekStart).toISOString(), interactions: a.interactions })) }));
      const body = JSON.stringify({ source: loaded.source, nodes: out.nodes, edges: out.edges, [kind]: rows, diagnostics: out.diagnostics });
      await emit([`{${jsonStamp(seed)}${body.slice(1)}\n`], flags.output);
      return;
    }
    const t = reportTable(kind, out, top, loaded.labels);
    const notes = legend(kind, out);
    await emit([`${kind} of ${loaded.source}: ${fmt(out.nodes)} members, ${fmt(out.edges)} edges, `
      + `${out.communities.length} communities (modularity ${fmt(Number(out.diagnostics['modularity']), 4)})\n${t.toString()}\n`
      + `${notes.map((l) => `${l}\n`).join('')}`], flags.output);
  } finally {
    bar.stop();
    await pool?.close();
  }
}

const bySize = (out: AnalysisOutput) => [...out.communities].sort((a, b) => b.size - a.size);

/** Every community's first `top` leaders (the analysis keeps up to LEADERS_PER_COMMUNITY each). */
const leadersEach = (out: AnalysisOutput, top: number) => out.leaders.map((c) => ({ ...c, members: c.members.slice(0, top) }));

/** What the numbers mean, under the table. */
function legend(kind: ReportKind, out: AnalysisOutput): string[] {
  switch (kind) {
    case 'roles': return [
      'within-community z: how many standard deviations the member\'s ties inside its community are above its community\'s mean (>= 2.5: a hub)',
      'participation: 0 = every tie inside its own community, towards 1 = ties spread evenly over many communities (connector)',
    ];
    case 'brokers': return [
      'lower constraint = more brokerage: the member\'s contacts are not tied to each other, so it bridges structural holes',
      'effective size: contacts that are not redundant (not tied to its other contacts); betweenness: share of shortest paths through it',
    ];
    case 'leaders': return ['in-strength from own community: interactions the leader receives from members of its community (the word they take up)'];
    case 'rising': {
      const w = out.diagnostics['risingWindows'] as { before: { from: string; to: string; interactions: number }; now: { from: string; to: string; interactions: number } } | undefined;
      const d = (x: string) => x.slice(0, 10);
      return [
        ...(w === undefined ? [] : [`windows: before ${d(w.before.from)}..${d(w.before.to)} (${fmt(w.before.interactions)} interactions), now ${d(w.now.from)}..${d(w.now.to)} (${fmt(w.now.interactions)})`]),
        'rank = PageRank rank in each window (1 = most attention); new = no interaction in the window before; activity = interactions sent + received',
        `${out.rising.filter((r) => r.status !== 'new').length} risers (by rank gain) are listed first, then ${out.rising.filter((r) => r.status === 'new').length} new members (by rank now); --top shows more`,
      ];
    }
    case 'supernodes': return ['score = 0.35 influence + 0.25 two-hop reach + 0.2 coreness + 0.2 betweenness, each as a percentile (1 = best)'];
    case 'communities': return [];
  }
}

/** Member column width: the longest id shown, at most a quarter of the terminal (ids wrap beyond, never cut). */
function memberWidth(ids: readonly string[]): number {
  const cols = process.stdout.columns ?? 120;
  return Math.max(8, Math.min(Math.max(...ids.map((x) => x.length), 6) + 2, Math.floor(cols / 4)));
}

/** The report as a flat table (engine/export/table.ts), the same columns the API exports. */
function flatReport(kind: ReportKind, out: AnalysisOutput, top: number): FlatTable {
  switch (kind) {
    case 'supernodes': return supernodeTable(out.members.slice(0, top), out.measureNames);
    case 'leaders': return leaderTable(leadersEach(out, top));
    case 'roles': return roleTable(out.roles.slice(0, top));
    case 'brokers': return brokerTable(out.brokers.slice(0, top));
    case 'rising': return risingTable(out.rising.slice(0, top));
    case 'communities': return communityTable(bySize(out).slice(0, top));
  }
}

function reportTable(kind: ReportKind, out: AnalysisOutput, top: number, labels: Labels | null): Table.Table {
  switch (kind) {
    case 'supernodes': {
      const rows = out.members.slice(0, top);
      // Fit the terminal: the member column as wide as its ids need, the sentence gets the rest.
      const mw = memberWidth(rows.map((m) => m.id));
      const nw = labels === null ? 0 : memberWidth(rows.map((m) => labels.get(m.id) ?? ''));
      const why = Math.max(30, (process.stdout.columns ?? 120) - (6 + mw + nw + 8 + 11) - 6 - (labels === null ? 0 : 1));
      const t = table(withName(['rank', 'member', 'score', 'community', 'why'], 1, labels, null), { colWidths: [6, mw, ...(labels === null ? [] : [nw]), 8, 11, why], wordWrap: true });
      for (const m of rows) t.push(withName([m.rank, m.id, m.score.toFixed(3), m.community, m.explanation.sentence], 1, labels, m.id));
      return t;
    }
    case 'leaders': {
      const ids = out.leaders.flatMap((c) => c.members.slice(0, top).map((l) => l.id));
      const nw = labels === null ? [] : [memberWidth(ids.map((id) => labels.get(id) ?? ''))];
      const t = table(withName(['community', 'rank', 'member', 'in-strength (own community)', 'why'], 2, labels, null), { wordWrap: true, colWidths: [11, 6, memberWidth(ids), ...nw, 16, 60] });
      for (const c of out.leaders) for (const l of c.members.slice(0, top)) t.push(withName([c.community, l.rank, l.id, fmt(l.score), l.why ?? ''], 2, labels, l.id));
      return t;
    }
    case 'roles': {
      const t = table(withName(['member', 'community', 'role', 'within-community z', 'participation'], 0, labels, null));
      for (const r of out.roles.slice(0, top)) t.push(withName([r.id, r.community, r.role, r.z.toFixed(2), r.participation.toFixed(3)], 0, labels, r.id));
      return t;
    }
    case 'brokers': {
      const t = table(withName(['rank', 'member', 'constraint', 'effective size', 'betweenness', 'communities linked'], 1, labels, null));
      for (const b of out.brokers.slice(0, top)) {
        t.push(withName([b.rank, b.id, fmt(b.constraint ?? NaN, 4), fmt(b.effectiveSize ?? NaN, 4), fmt(b.betweenness ?? NaN, 4), b.communitiesLinked.length], 1, labels, b.id));
      }
      return t;
    }
    case 'rising': {
      const t = table(withName(['member', 'status', 'rank before', 'rank now', 'gain', 'PageRank before -> now', 'activity before -> now'], 0, labels, null));
      const sc = (x: number | undefined) => (x === undefined ? '-' : x.toExponential(2));
      for (const r of out.rising.slice(0, top)) {
        t.push(withName([r.id, r.status ?? 'rising', r.rankBefore ?? 'new', r.rankNow, r.status === 'new' ? '-' : r.gain,
          `${sc(r.scoreBefore)} -> ${sc(r.scoreNow)}`, `${fmt(r.activityBefore ?? NaN)} -> ${fmt(r.activityNow ?? NaN)}`], 0, labels, r.id));
      }
      return t;
    }
    case 'communities': {
      const t = table(['community', 'size', 'internal', 'external', 'density', 'conductance', 'life cycle', 'top members']);
      for (const c of bySize(out).slice(0, top)) {
        t.push([c.id, c.size, fmt(c.internalWeight), fmt(c.externalWeight), c.density.toFixed(3), c.conductance.toFixed(3), c.lifecycle, c.topMembers.slice(0, 3).join(', ')]);
      }
      return t;
    }
  }
}

