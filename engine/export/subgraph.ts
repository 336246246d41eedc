/**
 * Bounded subgraphs of the undirected view: the ego network of a member and the subgraph induced
 * by a set of members, as node indices and edge arrays (no graph library involved), so that a
 * dataset of any size yields a graph small enough to draw, serialise or hand to Gephi.
 *
 * Definitions (NetworkX conventions, `ego_graph(G.to_undirected(), n, radius)` and
 * `G.subgraph(S)`):
 * - ego network of u with radius r: every member within r hops of u in the undirected view, and
 *   every tie among them (not only the ties to u);
 * - induced subgraph of S: S and every tie with both ends in S.
 * Edges are undirected pairs {u, v}, u != v, weighted as in the undirected view (u->v plus v->u,
 * 1 per interaction without a weight column; engine/graph/builder.ts `undirectedView`).
 *
 * Bounds (every size a request can drive):
 * - `maxNodes`: when more members are within reach, nearer rings come first and, within a ring,
 *   the strongest tie to a kept member of the ring before (ties by node index), so a capped ego
 *   network is the ego's strongest neighbourhood, not an arbitrary sample;
 * - `maxWork`: arcs scanned while expanding rings (a radius-2 ego of a hub could otherwise scan the
 *   rows of a million neighbours); past it the expansion stops and the result says `truncated`;
 * - `maxEdges`: the heaviest ties are kept (weight, then position) when the members have more.
 * Ties among k kept members cost sum over members of min(deg, k log2 deg): each member's row is
 * scanned when short and binary-searched for the other members when long (rows are sorted).
 * Complexity: O(maxWork + k^2 log d) time, O(k + edges) memory beyond the graph.
 */
import type { CsrGraph } from '../graph/csr.js';

export interface SubgraphLimits {
  readonly maxNodes: number;
  readonly maxEdges: number;
  readonly maxWork: number;
}

/** Defaults: sizes a browser draws at once and a request computes in milliseconds. */
export const SUBGRAPH_LIMITS: SubgraphLimits = Object.freeze({ maxNodes: 500, maxEdges: 20_000, maxWork: 5_000_000 });

export interface Subgraph {
  /** Node indices of the source graph; for an ego network the ego is first, then ring by ring. */
  readonly nodes: Int32Array;
  /** Hop distance from the ego per kept node (null for an induced subgraph). */
  readonly rings: Uint8Array | null;
  /** Edges as positions into `nodes`, source < target, ordered by (source, target). */
  readonly source: Int32Array;
  readonly target: Int32Array;
  readonly weight: Float64Array;
  /** Members within reach that the caps left out (0 when none). */
  readonly nodesDropped: number;
  readonly edgesDropped: number;
  /** The ring expansion stopped at `maxWork` arcs: members beyond may be missing. */
  readonly workCapped: boolean;
}

/** The ego network of `center` (see the header for the definition and the caps). */
export function egoNetwork(view: CsrGraph, center: number, radius: number, limits: Partial<SubgraphLimits> = {}): Subgraph {
  const lim = { ...SUBGRAPH_LIMITS, ...limits };
  if (!(center >= 0 && center < view.n)) throw new RangeError(`node ${center} is outside 0..${view.n - 1}`);
  const { outOffsets: off, outTargets: tgt, outWeights: wt } = view;
  const kept: number[] = [center];
  const ringOf: number[] = [0];
  const seen = new Set<number>([center]);
  let frontier: number[] = [center];
  let nodesDropped = 0, work = 0, workCapped = false;
  for (let r = 1; r <= radius && frontier.length > 0 && !workCapped; r++) {
    // Strongest tie from the previous ring to each newly reached member.
    const best = new Map<number, number>();
    for (const u of frontier) {
      for (let e = off[u]!; e < off[u + 1]!; e++) {
        if (++work > lim.maxWork) { workCapped = true; break; }
        const v = tgt[e]!;
        if (seen.has(v)) continue;
        const w = wt === null ? 1 : wt[e]!;
        const b = best.get(v);
        if (b === undefined || w > b) best.set(v, w);
      }
      if (workCapped) break;
    }
    const ring = [...best].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const room = Math.max(0, lim.maxNodes - kept.length);
    nodesDropped += Math.max(0, ring.length - room);
    frontier = [];
    for (const [v] of ring.slice(0, room)) {
      kept.push(v);
      ringOf.push(r);
      frontier.push(v);
    }
    // Members reached but dropped must not be reached again (and counted twice) from the next ring.
    for (const [v] of ring) seen.add(v);
  }
  const nodes = Int32Array.from(kept);
  return { ...inducedEdges(view, nodes, lim.maxEdges), nodes, rings: Uint8Array.from(ringOf), nodesDropped, workCapped };
}

/** The subgraph induced by `nodes` (distinct indices; kept in the given order). */
export function inducedSubgraph(view: CsrGraph, nodes: Int32Array, limits: Partial<SubgraphLimits> = {}): Subgraph {
  const lim = { ...SUBGRAPH_LIMITS, ...limits };
  const k = Math.min(nodes.length, lim.maxNodes);
  const kept = nodes.slice(0, k);
  return { ...inducedEdges(view, kept, lim.maxEdges), nodes: kept, rings: null, nodesDropped: nodes.length - k, workCapped: false };
}

function lowerBound(a: Int32Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Every tie with both ends in `nodes`, heaviest `maxEdges` kept. */
function inducedEdges(view: CsrGraph, nodes: Int32Array, maxEdges: number): Pick<Subgraph, 'source' | 'target' | 'weight' | 'edgesDropped'> {
  const { outOffsets: off, outTargets: tgt, outWeights: wt } = view;
  const k = nodes.length;
  const pos = new Map<number, number>();
  for (let i = 0; i < k; i++) pos.set(nodes[i]!, i);
  const src: number[] = [], dst: number[] = [], w: number[] = [];
  for (let i = 0; i < k; i++) {
    const u = nodes[i]!;
    const a = off[u]!, b = off[u + 1]!;
    // Scan the row (deg steps) or binary-search it for the members after i, whichever is cheaper.
    if (b - a <= (k - i - 1) * Math.log2(b - a + 2)) {
      for (let e = a; e < b; e++) {
        const j = pos.get(tgt[e]!);
        if (j !== undefined && j > i) { src.push(i); dst.push(j); w.push(wt === null ? 1 : wt[e]!); }
      }
    } else {
      for (let j = i + 1; j < k; j++) {
        const e = lowerBound(tgt, a, b, nodes[j]!);
        if (e < b && tgt[e] === nodes[j]) { src.push(i); dst.push(j); w.push(wt === null ? 1 : wt[e]!); }
      }
    }
  }
  let order = Array.from(src.keys());
  let edgesDropped = 0;
  if (order.length > maxEdges) {
    order.sort((x, y) => w[y]! - w[x]! || src[x]! - src[y]! || dst[x]! - dst[y]!);
    edgesDropped = order.length - maxEdges;
    order = order.slice(0, maxEdges);
  }
  order.sort((x, y) => src[x]! - src[y]! || dst[x]! - dst[y]!);
  return {
    source: Int32Array.from(order, (x) => src[x]!), target: Int32Array.from(order, (x) => dst[x]!),
    weight: Float64Array.from(order, (x) => w[x]!), edgesDropped,
  };
}

/**
 * Interaction rows per edge of a subgraph (its `count` attribute): rows between the two members in
 * either direction that pass the same filters as the graph build (time window, types). One pass
 * over the rows with a per-member position array: O(rows + n).
 */
export function rowCounts(
  cols: { readonly nodeCount: number; readonly source: Int32Array; readonly target: Int32Array; readonly timestamp: Float64Array | null; readonly type: Int32Array | null; readonly typeNames: readonly string[] },
  sub: Pick<Subgraph, 'nodes' | 'source' | 'target'>,
  filter: { readonly window?: { readonly from?: number; readonly to?: number } | undefined; readonly types?: readonly string[] | undefined } = {},
): Float64Array {
  const counts = new Float64Array(sub.source.length);
  if (sub.source.length === 0) return counts;
  const at = new Int32Array(cols.nodeCount).fill(-1);
  for (let i = 0; i < sub.nodes.length; i++) at[sub.nodes[i]!] = i;
  const k = sub.nodes.length;
  const edge = new Map<number, number>();
  for (let e = 0; e < sub.source.length; e++) edge.set(sub.source[e]! * k + sub.target[e]!, e);
  const from = filter.window?.from ?? -Infinity, to = filter.window?.to ?? Infinity;
  const windowed = filter.window !== undefined && cols.timestamp !== null;
  const allowed = filter.types === undefined || cols.type === null ? null : new Set(filter.types);
  const typeOk = allowed === null ? null : cols.typeNames.map((t) => allowed.has(t));
  for (let r = 0; r < cols.source.length; r++) {
    const a = at[cols.source[r]!]!, b = at[cols.target[r]!]!;
    if (a < 0 || b < 0 || a === b) continue;
    if (windowed) {
      const t = cols.timestamp![r]!;
      if (!(t >= from && t < to)) continue;
    }
    if (typeOk !== null) {
      const ty = cols.type![r]!;
      if (ty < 0 || !typeOk[ty]) continue;
    }
    const e = edge.get(a < b ? a * k + b : b * k + a);
    if (e !== undefined) counts[e]!++;
  }
  return counts;
}
