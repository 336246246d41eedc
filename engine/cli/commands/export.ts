/**
 * `supernode export`: a graph to take to Gephi, NetworkX or a browser: the whole graph (when it
 * fits EXPORT_LIMITS), the top N super-nodes, one community, one member's ego network, or the
 * community super-graph, as GraphML, GEXF or graphology JSON, every member's analysis measures as
 * node attributes (engine/export/graph.ts). The measures come from the same analysis as
 * `supernode supernodes` (same seed, window and types), and the ties from the graph it ranked.
 */
import fs from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { SupernodeError } from '../../errors.js';
import { communityGraph, EXPORT_LIMITS, GRAPH_FORMATS, type GraphFormat, serialiseGraph, subgraphToGraphology } from '../../export/graph.js';
import { extract, graphSource, type Selection } from '../../export/source.js';
import type { AnalysisRequest, MemberRow } from '../../rank/analysis.js';
import { WorkerPool } from '../../../workers/pool.js';
import { type GraphFlags, loadGraph } from '../load.js';
import { intOption } from '../options.js';
import { Progress } from '../progress.js';

export interface ExportFlags extends Omit<GraphFlags, 'format'> {
  /** Output graph format (the input format is --input-format). */
  format?: string;
  inputFormat?: GraphFlags['format'];
  community?: string;
  ego?: string;
  radius: string;
  top?: string;
  communities?: boolean;
  limit?: string;
  output?: string;
  seed: string;
  threads?: string;
}

const BY_EXTENSION: Readonly<Record<string, GraphFormat>> = { '.graphml': 'graphml', '.gexf': 'gexf', '.json': 'graphology' };

function outputFormat(flags: ExportFlags): GraphFormat {
  if (flags.format !== undefined) {
    if (!(GRAPH_FORMATS as readonly string[]).includes(flags.format)) {
      throw new SupernodeError('BAD_OPTION', `--format must be one of ${GRAPH_FORMATS.join(', ')}, got "${flags.format}"`);
    }
    return flags.format as GraphFormat;
  }
  return (flags.output !== undefined ? BY_EXTENSION[path.extname(flags.output).toLowerCase()] : undefined) ?? 'graphml';
}

export async function exportGraph(file: string | undefined, flags: ExportFlags): Promise<void> {
  const format = outputFormat(flags);
  const chosen = [flags.community !== undefined, flags.ego !== undefined, flags.top !== undefined, !!flags.communities].filter(Boolean).length;
  if (chosen > 1) throw new SupernodeError('BAD_OPTION', 'give at most one of --community, --ego, --top and --communities');
  const radius = intOption(flags.radius, '--radius');
  if (radius < 1 || radius > 3) throw new SupernodeError('BAD_OPTION', `--radius must be 1, 2 or 3, got ${radius}`);
  const limit = flags.limit === undefined ? EXPORT_LIMITS.maxNodes : intOption(flags.limit, '--limit');
  if (limit < 1 || limit > EXPORT_LIMITS.maxNodes) throw new SupernodeError('BAD_OPTION', `--limit must be 1..${EXPORT_LIMITS.maxNodes}, got ${limit}`);
  const top = flags.top === undefined ? undefined : intOption(flags.top, '--top');
  if (top !== undefined && (top < 1 || top > EXPORT_LIMITS.maxNodes)) throw new SupernodeError('BAD_OPTION', `--top must be 1..${EXPORT_LIMITS.maxNodes}, got ${top}`);
  const community = flags.community === undefined ? undefined : intOption(flags.community, '--community');

  const { analyse, inThreadRunner } = await import('../../rank/analysis.js');
  const { format: _out, inputFormat, ...graphFlags } = flags;
  const loaded = await loadGraph(file, { ...graphFlags, ...(inputFormat !== undefined && { format: inputFormat }), window: undefined, from: undefined, to: undefined });
  const threads = flags.threads !== undefined ? intOption(flags.threads, '--threads') : availableParallelism();
  const pool = threads > 1 && loaded.graph.m >= 200_000 ? new WorkerPool({ threads }) : null;
  const bar = new Progress(!flags.quiet, 'analysis', 'fraction');
  const req: AnalysisRequest = {
    seed: intOption(flags.seed, '--seed'),
    ...(flags.window !== undefined && { window: flags.window }),
    ...(flags.types !== undefined && { types: flags.types.split(',') }),
  };
  let body: string;
  let summary: string;
  try {
    const input = { columns: loaded.columns, members: loaded.members, directed: loaded.graph.directed };
    const out = await analyse(input, req,
      pool === null ? inThreadRunner : (g, name, params, onProgress) => pool.run(g, name, params, onProgress ? { onProgress } : {}),
      (f) => bar.update(f, 1));
    bar.stop();
    const attributes = { source: loaded.source, seed: req.seed, ...(req.window !== undefined && { window: req.window }) };
    if (flags.communities) {
      const g = communityGraph(out.communities, out.flow, limit, attributes, EXPORT_LIMITS.maxEdges);
      body = serialiseGraph(g, format).body;
      summary = `${g.order} communities, ${g.size} flows`;
    } else {
      let selection: Selection;
      if (flags.ego !== undefined) {
        selection = { kind: 'ego', member: flags.ego, radius };
      } else {
        let rows: readonly MemberRow[] = out.members; // rank order
        if (community !== undefined) {
          if (!out.communities.some((c) => c.id === community)) throw new SupernodeError('COMMUNITY_NOT_FOUND', `no community ${community} (0..${out.communities.length - 1})`);
          rows = rows.filter((m) => m.community === community);
        }
        const n = top ?? Math.min(rows.length, limit);
        if (top === undefined && community === undefined && rows.length > limit) {
          throw new SupernodeError('BAD_OPTION', `the graph has ${rows.length} members, more than an export holds (${limit}): choose --top N, --community C, --ego M or --communities`);
        }
        selection = { kind: 'members', members: rows.slice(0, Math.min(n, limit)).map((m) => m.id) };
      }
      const sub = extract(graphSource(loaded.columns, loaded.members, loaded.graph.directed, req), selection, {
        maxNodes: limit, maxEdges: EXPORT_LIMITS.maxEdges, maxWork: Number.MAX_SAFE_INTEGER,
      });
      const byId = new Map(out.members.map((m) => [m.id, m]));
      const kind = flags.ego !== undefined ? { kind: 'ego', ego: flags.ego, radius } : community !== undefined ? { kind: 'community', community } : { kind: 'members' };
      const g = subgraphToGraphology(sub, sub.ids, (id) => byId.get(id), sub.counts, { ...attributes, ...kind });
      body = serialiseGraph(g, format).body;
      summary = `${g.order} members, ${g.size} ties`
        + (sub.nodesDropped + sub.edgesDropped > 0 ? ` (${sub.nodesDropped} members and ${sub.edgesDropped} ties left out by the caps)` : '');
    }
  } finally {
    bar.stop();
    await pool?.close();
  }
  if (flags.output !== undefined) {
    // Whole or absent: a temporary name renamed into place.
    const tmp = `${flags.output}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, body);
    fs.renameSync(tmp, flags.output);
  } else {
    await new Promise<void>((resolve, reject) => process.stdout.write(body, (e) => (e ? reject(e) : resolve())));
  }
  if (!flags.quiet) process.stderr.write(`export: ${summary} as ${format}${flags.output !== undefined ? ` -> ${flags.output}` : ''}\n`);
}
