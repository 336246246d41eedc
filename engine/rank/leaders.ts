/**
 * Opinion leaders: inside each community, the members whose word the other members take up.
 *
 * Direction: an edge A -> B means A acted towards B (replied, forwarded, mentioned), so attention
 * and credit flow to B; a leader is a member that many members of its own community act towards.
 * Methods (membership from a community detection, computed elsewhere):
 * - `in-strength` (default, O(m)): score(v) = summed weight of arcs u -> v with u in v's community.
 * - `pagerank`: PageRank (./../algorithms/pagerank.ts, damping 0.85, weighted) on the community's
 *   induced subgraph, so endorsement from well-endorsed members counts more; costs one builder
 *   pass + one PageRank per community (O(m) arcs in total per iteration).
 * On an undirected graph both directions are the same tie and in-strength is the within-community
 * strength. Ties are broken by node index; communities are listed by decreasing size.
 */
import type { CsrGraph } from '../graph/csr.js';
import { buildGraph } from '../graph/builder.js';
import { pagerank } from '../algorithms/pagerank.js';
import { seconds } from '../algorithms/control.js';
import { SupernodeError } from '../errors.js';
import { orderDescending } from './percentile.js';

export interface LeaderOptions {
  readonly top: number;
  readonly method: 'in-strength' | 'pagerank';
  /** Communities smaller than this are skipped. */
  readonly minSize: number;
}

export const LEADER_DEFAULTS: LeaderOptions = Object.freeze({ top: 5, method: 'in-strength', minSize: 2 });

export interface CommunityLeaders {
  readonly community: number;
  readonly size: number;
  readonly leaders: { node: number; rank: number; score: number }[];
}

export interface LeadersResult {
  readonly communities: CommunityLeaders[];
  /** Within-community score of every member, indexed by node. */
  readonly scores: Float64Array;
  readonly seconds: number;
}

export function opinionLeaders(g: CsrGraph, membership: Int32Array, options: Partial<LeaderOptions> = {}): LeadersResult {
  const t0 = performance.now();
  const o = { ...LEADER_DEFAULTS, ...options };
  const n = g.n;
  if (membership.length !== n) throw new SupernodeError('BAD_OPTION', `membership has ${membership.length} entries for ${n} members`);
  let c = 0;
  for (let i = 0; i < n; i++) c = Math.max(c, membership[i]! + 1);
  // Members grouped by community (counting sort), so each community is a contiguous slice.
  const start = new Int32Array(c + 1);
  for (let i = 0; i < n; i++) if (membership[i]! >= 0) start[membership[i]! + 1]!++;
  for (let s = 0; s < c; s++) start[s + 1]! += start[s]!;
  const members = new Int32Array(start[c]!), pos = start.slice(0, c), local = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = membership[i]!;
    if (s < 0) continue;
    local[i] = pos[s]! - start[s]!;
    members[pos[s]!++] = i;
  }
  const scores = new Float64Array(n);
  const w = g.outWeights;
  if (o.method === 'in-strength') {
    for (let u = 0; u < n; u++) {
      for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) {
        const v = g.outTargets[e]!;
        if (membership[u] === membership[v] && membership[v]! >= 0) scores[v]! += w === null ? 1 : w[e]!;
      }
    }
  } else {
    for (let s = 0; s < c; s++) {
      const size = start[s + 1]! - start[s]!;
      if (size < o.minSize) continue;
      const src: number[] = [], dst: number[] = [], ws: number[] = [];
      for (let p = start[s]!; p < start[s + 1]!; p++) {
        const u = members[p]!;
        for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) {
          const v = g.outTargets[e]!;
          // Undirected CSRs hold both arcs; keep one so the builder does not double the weights.
          if (membership[v] !== s || (!g.directed && v < u)) continue;
          src.push(local[u]!); dst.push(local[v]!); ws.push(w === null ? 1 : w[e]!);
        }
      }
      const sub = buildGraph({
        nodeCount: size, source: Int32Array.from(src), target: Int32Array.from(dst),
        weight: Float64Array.from(ws), timestamp: null, type: null, typeNames: [],
      }, { directed: g.directed, weighted: w !== null, keepSelfLoops: false });
      const pr = pagerank(sub).scores;
      for (let p = start[s]!; p < start[s + 1]!; p++) scores[members[p]!] = pr[p - start[s]!]!;
    }
  }
  const communities: CommunityLeaders[] = [];
  for (let s = 0; s < c; s++) {
    const size = start[s + 1]! - start[s]!;
    if (size < o.minSize || size === 0) continue;
    const slice = members.subarray(start[s]!, start[s + 1]!);
    const order = orderDescending(Float64Array.from(slice, (v) => scores[v]!));
    const leaders = Array.from(order.subarray(0, Math.min(o.top, size)), (j, r) => ({ node: slice[j]!, rank: r + 1, score: scores[slice[j]!]! }));
    communities.push({ community: s, size, leaders });
  }
  communities.sort((a, b) => b.size - a.size || a.community - b.community);
  return { communities, scores, seconds: seconds(t0) };
}
