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

/** The ranking tables growth teams ask for, from one analysis (engine/rank/analysis.ts). */
export async function report(kind: ReportKind, file: string | undefined, flags: ReportFlags): Promise<void> {
  const format = outputFormat(flags);
  // A table or JSON shows the top 20; a file format is the whole ranking unless --top is given.
  const top = flags.top !== undefined ? positiveInt(flags.top, '--top') : format === 'table' || format === 'json' ? DEFAULT_TOP : Infinity;
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
      const rows = kind === 'supernodes' ? out.members.slice(0, top)
        : kind === 'leaders' ? out.leaders.slice(0, top)
          : kind === 'roles' ? out.roles.slice(0, top)
            : kind === 'brokers' ? out.brokers.slice(0, top)
              : kind === 'rising' ? out.rising.slice(0, top)
                : bySize(out).slice(0, top).map((c) => ({ ...c, activity: c.activity.map((a) => ({ weekStart: new Date(a.weekStart).toISOString(), interactions: a.interactions })) }));
      const body = JSON.stringify({ source: loaded.source, nodes: out.nodes, edges: out.edges, [kind]: rows, diagnostics: out.diagnostics });
      await emit([`{${jsonStamp(seed)}${body.slice(1)}\n`], flags.output);
      return;
    }
    const t = reportTable(kind, out, top);
    await emit([`${kind} of ${loaded.source}: ${fmt(out.nodes)} members, ${fmt(out.edges)} edges, `
      + `${out.communities.length} communities (modularity ${fmt(Number(out.diagnostics['modularity']), 4)})\n${t.toString()}\n`], flags.output);
  } finally {
    bar.stop();
    await pool?.close();
  }
}

const bySize = (out: AnalysisOutput) => [...out.communities].sort((a, b) => b.size - a.size);

/** The report as a flat table (engine/export/table.ts), the same columns the API exports. */
function flatReport(kind: ReportKind, out: AnalysisOutput, top: number): FlatTable {
  switch (kind) {
    case 'supernodes': return supernodeTable(out.members.slice(0, top), out.measureNames);
    case 'leaders': return leaderTable(out.leaders.slice(0, top));
    case 'roles': return roleTable(out.roles.slice(0, top));
    case 'brokers': return brokerTable(out.brokers.slice(0, top));
    case 'rising': return risingTable(out.rising.slice(0, top));
    case 'communities': return communityTable(bySize(out).slice(0, top));
  }
}

function reportTable(kind: ReportKind, out: AnalysisOutput, top: number): Table.Table {
  switch (kind) {
    case 'supernodes': {
      const t = table(['rank', 'member', 'score', 'community', 'why'], { colWidths: [6, 14, 8, 11, 70], wordWrap: true });
      for (const m of out.members.slice(0, top)) t.push([m.rank, m.id, m.score.toFixed(3), m.community, m.explanation.sentence]);
      return t;
    }
    case 'leaders': {
      const t = table(['community', 'rank', 'member', 'in-strength from own community']);
      for (const c of out.leaders.slice(0, top)) for (const l of c.members.slice(0, 3)) t.push([c.community, l.rank, l.id, fmt(l.score)]);
      return t;
    }
    case 'roles': {
      const t = table(['member', 'community', 'role', 'within-community z', 'participation']);
      for (const r of out.roles.slice(0, top)) t.push([r.id, r.community, r.role, r.z.toFixed(2), r.participation.toFixed(3)]);
      return t;
    }
    case 'brokers': {
      const t = table(['rank', 'member', 'constraint', 'effective size', 'betweenness', 'communities linked']);
      for (const b of out.brokers.slice(0, top)) {
        t.push([b.rank, b.id, fmt(b.constraint ?? NaN, 4), fmt(b.effectiveSize ?? NaN, 4), fmt(b.betweenness ?? NaN, 4), b.communitiesLinked.length]);
      }
      return t;
    }
    case 'rising': {
      const t = table(['member', 'rank before', 'rank now', 'gain']);
      for (const r of out.rising.slice(0, top)) t.push([r.id, r.rankBefore ?? '-', r.rankNow, r.gain]);
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

