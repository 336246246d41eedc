/** The ranking tables growth teams ask for: supernodes, leaders, roles, brokers, rising, communities. */
import { availableParallelism } from 'node:os';
import Table from 'cli-table3';
import { WorkerPool } from '../../../workers/pool.js';
import { type GraphFlags, loadGraph } from '../load.js';
import { intOption } from '../options.js';
import { fmt } from '../output.js';
import { Progress } from '../progress.js';

export type ReportKind = 'supernodes' | 'leaders' | 'roles' | 'brokers' | 'rising' | 'communities';

export interface ReportFlags extends GraphFlags {
  top: string;
  json?: boolean;
  seed: string;
  threads?: string;
}

/** The ranking tables growth teams ask for, from one analysis (engine/rank/analysis.ts). */
export async function report(kind: ReportKind, file: string | undefined, flags: ReportFlags): Promise<void> {
  const { analyse, inThreadRunner } = await import('../../rank/analysis.js');
  const loaded = await loadGraph(file, { ...flags, window: undefined, from: undefined, to: undefined });
  const top = intOption(flags.top, '--top');
  const threads = flags.threads !== undefined ? intOption(flags.threads, '--threads') : availableParallelism();
  const pool = threads > 1 && loaded.graph.m >= 200_000 ? new WorkerPool({ threads }) : null;
  const bar = new Progress(!flags.quiet, kind, 'fraction');
  try {
    const out = await analyse(
      { columns: loaded.columns, members: loaded.members, directed: loaded.graph.directed },
      {
        seed: intOption(flags.seed, '--seed'),
        ...(flags.window !== undefined && { window: flags.window }),
        ...(flags.types !== undefined && { types: flags.types.split(',') }),
      },
      pool === null ? inThreadRunner : (g, name, params, onProgress) => pool.run(g, name, params, onProgress ? { onProgress } : {}),
      (f) => bar.update(f, 1),
    );
    bar.stop();
    const rows: unknown[] = kind === 'supernodes' ? out.members.slice(0, top)
      : kind === 'leaders' ? out.leaders.slice(0, top)
        : kind === 'roles' ? out.roles.slice(0, top)
          : kind === 'brokers' ? out.brokers.slice(0, top)
            : kind === 'rising' ? out.rising.slice(0, top)
              : [...out.communities].sort((a, b) => b.size - a.size).slice(0, top);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ source: loaded.source, nodes: out.nodes, edges: out.edges, [kind]: rows, diagnostics: out.diagnostics })}\n`);
      return;
    }
    const t = reportTable(kind, out, top);
    process.stdout.write(`${kind} of ${loaded.source}: ${fmt(out.nodes)} members, ${fmt(out.edges)} edges, `
      + `${out.communities.length} communities (modularity ${fmt(Number(out.diagnostics['modularity']), 4)})\n${t.toString()}\n`);
  } finally {
    bar.stop();
    await pool?.close();
  }
}

function reportTable(kind: ReportKind, out: import('../../rank/analysis.js').AnalysisOutput, top: number): Table.Table {
  switch (kind) {
    case 'supernodes': {
      const t = new Table({ head: ['rank', 'member', 'score', 'community', 'why'], colWidths: [6, 14, 8, 11, 70], wordWrap: true });
      for (const m of out.members.slice(0, top)) t.push([m.rank, m.id, m.score.toFixed(3), m.community, m.explanation.sentence]);
      return t;
    }
    case 'leaders': {
      const t = new Table({ head: ['community', 'rank', 'member', 'in-strength from own community'] });
      for (const c of out.leaders.slice(0, top)) for (const l of c.members.slice(0, 3)) t.push([c.community, l.rank, l.id, fmt(l.score)]);
      return t;
    }
    case 'roles': {
      const t = new Table({ head: ['member', 'community', 'role', 'within-community z', 'participation'] });
      for (const r of out.roles.slice(0, top)) t.push([r.id, r.community, r.role, r.z.toFixed(2), r.participation.toFixed(3)]);
      return t;
    }
    case 'brokers': {
      const t = new Table({ head: ['rank', 'member', 'constraint', 'effective size', 'betweenness', 'communities linked'] });
      for (const b of out.brokers.slice(0, top)) {
        t.push([b.rank, b.id, fmt(b.constraint ?? NaN, 4), fmt(b.effectiveSize ?? NaN, 4), fmt(b.betweenness ?? NaN, 4), b.communitiesLinked.length]);
      }
      return t;
    }
    case 'rising': {
      const t = new Table({ head: ['member', 'rank before', 'rank now', 'gain'] });
      for (const r of out.rising.slice(0, top)) t.push([r.id, r.rankBefore ?? '-', r.rankNow, r.gain]);
      return t;
    }
    case 'communities': {
      const t = new Table({ head: ['community', 'size', 'internal', 'external', 'density', 'conductance', 'life cycle', 'top members'] });
      for (const c of [...out.communities].sort((a, b) => b.size - a.size).slice(0, top)) {
        t.push([c.id, c.size, fmt(c.internalWeight), fmt(c.externalWeight), c.density.toFixed(3), c.conductance.toFixed(3), c.lifecycle, c.topMembers.slice(0, 3).join(', ')]);
      }
      return t;
    }
  }
}

