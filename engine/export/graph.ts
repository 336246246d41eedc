/**
 * Graphs to take away: bounded subgraphs (engine/export/subgraph.ts) and the community super-graph
 * as graphology graphs with each member's measures as node attributes, serialised as graphology's
 * own JSON (`graph.export()`), GEXF (graphology-gexf, opens in Gephi) or GraphML (./graphml.ts).
 *
 * graphology is the interchange and small-graph model here, never the analysis model: every graph
 * built in this module has at most EXPORT_LIMITS.maxNodes nodes and maxEdges edges, checked when it
 * is built (the CSR graph of the whole dataset stays in typed arrays).
 *
 * Conventions:
 * - node key = member id (see `nodeKey` for the few ids graphology cannot hold as they are), and
 *   the id again as attribute `id`; attributes: `label` when the member has one, `rank`, `score`,
 *   `community`, then every measure of the analysis by its name (`pagerank`, `kcore` = coreness,
 *   `betweenness`, `in-degree`, ...); a measure without a value is left out (GEXF and GraphML
 *   have no null); `ring` = hops from the ego in an ego network;
 * - edges are undirected, keyed e0, e1, ... (stable, so one snapshot always serialises to the same
 *   bytes): `weight` = the undirected view's weight, `count` = interaction rows between the two;
 * - the super-graph: node key = community id, `members` (its size), `lifecycle`, cohesion figures
 *   and its top members; edge weight = interaction flow between two communities, both directions.
 * - graph attributes say what the graph is (`kind`) and what the caps left out.
 */
import { UndirectedGraph } from 'graphology';
import type { AbstractGraph as Graph } from 'graphology-types';
import { write as writeGexf } from 'graphology-gexf';
import { SupernodeError } from '../errors.js';
import type { CommunityRow, MemberRow } from '../rank/analysis.js';
import { writeGraphml } from './graphml.js';
import { SUBGRAPH_LIMITS, type Subgraph } from './subgraph.js';

export type GraphFormat = 'graphology' | 'gexf' | 'graphml';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['graphology', 'gexf', 'graphml'];

export const MEDIA_TYPES: Readonly<Record<GraphFormat, string>> = Object.freeze({
  graphology: 'application/json; charset=utf-8',
  gexf: 'application/gexf+xml; charset=utf-8',
  graphml: 'application/graphml+xml; charset=utf-8',
});

/** The most a graphology graph built here may hold (the CLI's `--top` and every API cap stay below). */
export const EXPORT_LIMITS = Object.freeze({ maxNodes: 50_000, maxEdges: 1_000_000 });

/** What a member contributes as node attributes (a snapshot's or an analysis' member row). */
export type MemberAttributes = Pick<MemberRow, 'id' | 'rank' | 'score' | 'community' | 'measures'> & { readonly label?: string | null | undefined };

export type CommunityAttributes = Pick<CommunityRow, 'id' | 'size' | 'internalWeight' | 'externalWeight' | 'density' | 'conductance' | 'lifecycle' | 'topMembers'>;

/**
 * graphology keeps each node's neighbours in plain objects, so a node named after a property of
 * Object.prototype (`__proto__`, `constructor`, `toString`, ...) breaks it (an edge to `__proto__`
 * "already exists"). Such ids get a trailing U+200B ZERO WIDTH SPACE as their key, and so does any
 * id already ending in one, which keeps keys distinct (a bijection); the exact id is the node's
 * `id` attribute.
 */
const UNSAFE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));
export function nodeKey(id: string): string {
  return UNSAFE_KEYS.has(id) || id.endsWith('\u200b') ? `${id}\u200b` : id;
}

function checkSize(nodes: number, edges: number): void {
  if (nodes > EXPORT_LIMITS.maxNodes || edges > EXPORT_LIMITS.maxEdges) {
    throw new SupernodeError('BAD_OPTION', `a graph export holds at most ${EXPORT_LIMITS.maxNodes} members and ${EXPORT_LIMITS.maxEdges} ties; this one has ${nodes} and ${edges} (ask for fewer members)`);
  }
}

export function memberNodeAttributes(m: MemberAttributes | undefined): Record<string, unknown> {
  if (m === undefined) return {};
  const a: Record<string, unknown> = {};
  if (typeof m.label === 'string' && m.label.length > 0) a['label'] = m.label;
  a['rank'] = m.rank;
  a['score'] = m.score;
  a['community'] = m.community;
  for (const [k, v] of Object.entries(m.measures)) if (v !== null && Number.isFinite(v) && !(k in a)) a[k] = v;
  return a;
}

/**
 * A subgraph as a graphology graph. `ids[i]` names `sub.nodes[i]`; `member(id)` gives its row
 * (undefined: a member outside the analysis, e.g. no tie in its window, keeps only its id).
 */
export function subgraphToGraphology(
  sub: Subgraph, ids: readonly string[], member: (id: string) => MemberAttributes | undefined,
  counts: Float64Array | null, attributes: Record<string, unknown>,
): Graph {
  checkSize(ids.length, sub.source.length);
  const g = new UndirectedGraph({ allowSelfLoops: false });
  g.replaceAttributes({ ...attributes, nodesDropped: sub.nodesDropped, edgesDropped: sub.edgesDropped, truncated: sub.nodesDropped > 0 || sub.edgesDropped > 0 || sub.workCapped });
  const keys = ids.map(nodeKey);
  for (let i = 0; i < ids.length; i++) {
    const a: Record<string, unknown> = { id: ids[i]!, ...memberNodeAttributes(member(ids[i]!)) };
    if (sub.rings !== null) a['ring'] = sub.rings[i]!;
    g.addNode(keys[i]!, a);
  }
  for (let e = 0; e < sub.source.length; e++) {
    g.addEdgeWithKey(`e${e}`, keys[sub.source[e]!]!, keys[sub.target[e]!]!, {
      weight: sub.weight[e]!, ...(counts !== null && { count: counts[e]! }),
    });
  }
  return g;
}

/**
 * The community super-graph: the `limit` largest communities (size, then id) and the flow among
 * them (the heaviest `maxEdges` pairs), summed over both directions (a community's flow to itself is its internal weight, an
 * attribute, not a loop).
 */
export function communityGraph(
  communities: readonly CommunityAttributes[], flow: readonly { from: number; to: number; weight: number }[],
  limit: number, attributes: Record<string, unknown>, maxEdges: number = SUBGRAPH_LIMITS.maxEdges,
): Graph {
  const kept = [...communities].sort((a, b) => b.size - a.size || a.id - b.id).slice(0, limit);
  const ids = new Set(kept.map((c) => c.id));
  const pair = new Map<string, { a: number; b: number; w: number }>();
  for (const f of flow) {
    if (f.from === f.to || !ids.has(f.from) || !ids.has(f.to)) continue;
    const a = Math.min(f.from, f.to), b = Math.max(f.from, f.to);
    const k = `${a},${b}`;
    const p = pair.get(k);
    if (p === undefined) pair.set(k, { a, b, w: f.weight });
    else p.w += f.weight;
  }
  // The heaviest flows when there are more pairs than a drawing (or an export) holds.
  let flows = [...pair.values()];
  const edgesDropped = Math.max(0, flows.length - maxEdges);
  if (edgesDropped > 0) flows = flows.sort((x, y) => y.w - x.w || x.a - y.a || x.b - y.b).slice(0, maxEdges);
  checkSize(kept.length, flows.length);
  const g = new UndirectedGraph({ allowSelfLoops: false });
  g.replaceAttributes({ ...attributes, kind: 'communities', communities: communities.length, nodesDropped: communities.length - kept.length, edgesDropped, truncated: kept.length < communities.length || edgesDropped > 0 });
  for (const c of kept) {
    g.addNode(String(c.id), {
      label: `community ${c.id}`, community: c.id, members: c.size, lifecycle: c.lifecycle, internalWeight: c.internalWeight,
      externalWeight: c.externalWeight, density: c.density, conductance: c.conductance, topMembers: c.topMembers.slice(0, 10).join(', '),
    });
  }
  const edges = flows.sort((x, y) => x.a - y.a || x.b - y.b);
  edges.forEach((p, e) => g.addEdgeWithKey(`e${e}`, String(p.a), String(p.b), { weight: p.w }));
  return g;
}

/** The bytes of a graph in one of the formats, with its media type. */
export function serialiseGraph(g: Graph, format: GraphFormat): { body: string; type: string } {
  switch (format) {
    case 'graphology': return { body: JSON.stringify(g.export()), type: MEDIA_TYPES.graphology };
    case 'gexf': return { body: writeGexf(g, { version: '1.2' }), type: MEDIA_TYPES.gexf };
    case 'graphml': return { body: writeGraphml(g), type: MEDIA_TYPES.graphml };
  }
}
