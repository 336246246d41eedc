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
 * Each leader carries plain facts for its "why" sentence: the distinct members of its community who
 * acted towards it, and its share of the community's internal interactions (in-strength method).
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
  readonly leaders: { node: number; rank: number; score: number; received: number; senders: number; share: number }[];
  /** Summed in-community in-strength of the community's members (its internal interactions). */
  readonly internal: number;
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
  const scores = new Float64Array(n), strength = new Float64Array(n), senders = new Int32Array(n);
  const w = g.outWeights;
  // Rows are sorted sets, so each in-community arc u -> v is one distinct member acting towards v.
  for (let u = 0; u < n; u++) {
    for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) {
      const v = g.outTargets[e]!;
      if (u !== v && membership[u] === membership[v] && membership[v]! >= 0) {
        strength[v]! += w === null ? 1 : w[e]!;
        senders[v]!++;
      }
    }
  }
  if (o.method === 'in-strength') scores.set(strength);
  else {
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
    let internal = 0;
    for (const v of slice) internal += strength[v]!;
    const leaders = Array.from(order.subarray(0, Math.min(o.top, size)), (j, r) => {
      const v = slice[j]!;
      return { node: v, rank: r + 1, score: scores[v]!, received: strength[v]!, senders: senders[v]!, share: internal > 0 ? strength[v]! / internal : 0 };
    });
    communities.push({ community: s, size, leaders, internal });
  }
  communities.sort((a, b) => b.size - a.size || a.community - b.community);
  return { communities, scores, seconds: seconds(t0) };
}

/**
 * The leader's "why": "#1 of 245 in community 3: 120 interactions from 35 of its members, 14% of
 * the community's internal interactions."
 */
export function leaderWhy(c: CommunityLeaders, l: CommunityLeaders['leaders'][number]): string {
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  const pct = l.share >= 0.1 ? Math.round(100 * l.share) : Number((100 * l.share).toPrecision(2));
  return `#${f(l.rank)} of ${f(c.size)} in community ${c.community}: ${f(l.received)} interaction${l.received === 1 ? '' : 's'} `
    + `from ${f(l.senders)} of its members, ${pct}% of the community's internal interactions.`;
}
