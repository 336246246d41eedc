/**
 * Where exported subgraphs come from: the undirected view of the graph an analysis ranked (same
 * window, types and weights: `analysisGraphOptions`), the edge columns (for interaction counts) and
 * the member ids. A selection names members by id; the result names them by id too, so a caller
 * never needs the dictionary of a large dataset (the API keeps sources in a worker thread).
 */
import { SupernodeError } from '../errors.js';
import { type BuildOptions, buildGraph, type BuiltGraph, type EdgeColumns, undirectedView } from '../graph/builder.js';
import type { MemberDictionary } from '../ingest/dictionary.js';
import { type AnalysisRequest, analysisGraphOptions } from '../rank/analysis.js';
import { egoNetwork, inducedSubgraph, rowCounts, type Subgraph, type SubgraphLimits } from './subgraph.js';

export interface GraphSource {
  readonly view: BuiltGraph;
  readonly columns: EdgeColumns;
  readonly members: MemberDictionary;
  readonly filter: Pick<BuildOptions, 'window' | 'types'>;
}

export type Selection =
  | { readonly kind: 'ego'; readonly member: string; readonly radius: number }
  | { readonly kind: 'members'; readonly members: readonly string[] };

export interface ExtractedGraph extends Subgraph {
  /** Member id of each node. */
  readonly ids: string[];
  /** Interaction rows per edge. */
  readonly counts: Float64Array;
}

export function graphSource(columns: EdgeColumns, members: MemberDictionary, directed: boolean, req: AnalysisRequest): GraphSource {
  const opts = analysisGraphOptions(req, columns, directed);
  return { view: undirectedView(buildGraph(columns, opts)), columns, members, filter: { window: opts.window, types: opts.types } };
}

/** Bytes a source holds (for bounded caches): columns, the view's rows, ~48 B per member id. */
export function sourceBytes(s: GraphSource): number {
  const c = s.columns;
  const cols = c.source.byteLength + c.target.byteLength + (c.weight?.byteLength ?? 0) + (c.timestamp?.byteLength ?? 0) + (c.type?.byteLength ?? 0);
  const v = s.view;
  const view = v.outOffsets.byteLength + v.outTargets.byteLength + (v.outWeights?.byteLength ?? 0);
  return cols + view + 48 * s.members.size;
}

export function extract(s: GraphSource, sel: Selection, limits: Partial<SubgraphLimits> = {}): ExtractedGraph {
  let sub: Subgraph;
  if (sel.kind === 'ego') {
    const u = s.members.indexOf(sel.member);
    if (u < 0) throw new SupernodeError('UNKNOWN_MEMBER', `no member "${sel.member}" in the graph`);
    sub = egoNetwork(s.view, u, sel.radius, limits);
  } else {
    const idx: number[] = [];
    const seen = new Set<number>();
    for (const id of sel.members) {
      const u = s.members.indexOf(id);
      if (u < 0) throw new SupernodeError('UNKNOWN_MEMBER', `no member "${id}" in the graph`);
      if (!seen.has(u)) { seen.add(u); idx.push(u); }
    }
    sub = inducedSubgraph(s.view, Int32Array.from(idx), limits);
  }
  const ids = Array.from(sub.nodes, (u) => s.members.idOf(u));
  return { ...sub, ids, counts: rowCounts(s.columns, sub, s.filter) };
}
