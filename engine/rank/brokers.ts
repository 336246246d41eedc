/**
 * Brokers: members who bridge otherwise separate groups (structural holes), ranked by a precomputed
 * brokerage measure, each listed with the communities it links.
 *
 * Measures (computed elsewhere, passed in as arrays indexed by node):
 * - Burt's constraint (R. S. Burt, "Structural Holes", Harvard UP 1992): LOWER is more brokerage;
 *   NaN (isolates, as NetworkX and igraph give) is never ranked.
 * - Burt's effective size: higher is more brokerage.
 * - betweenness (Freeman 1977; Brandes 2001): higher is more brokerage.
 * Communities linked: the distinct communities among a member's neighbours on the undirected view
 * (an interaction either way is a tie a broker can use), listed in increasing order; a member's
 * own community counts when one of its neighbours is in it.
 * Complexity: O(n log n) for the ranking plus O(deg) per listed broker (O(m) for
 * `communitiesLinked` over everyone).
 */
import type { CsrGraph } from '../graph/csr.js';
import { undirectedView } from '../graph/builder.js';
import { SupernodeError } from '../errors.js';
import { orderDescending } from './percentile.js';

export interface BrokerMeasures {
  readonly constraint?: Float64Array;
  readonly effectiveSize?: Float64Array;
  readonly betweenness?: Float64Array;
}

export interface BrokerOptions {
  readonly by: 'constraint' | 'effectiveSize' | 'betweenness';
  readonly top: number;
  /** Only list members whose neighbours span at least this many communities. */
  readonly minCommunities: number;
}

export const BROKER_DEFAULTS: BrokerOptions = Object.freeze({ by: 'constraint', top: 20, minCommunities: 1 });

export interface Broker {
  readonly node: number;
  readonly rank: number;
  /** The ranking measure's raw value. */
  readonly value: number;
  readonly constraint: number | null;
  readonly effectiveSize: number | null;
  readonly betweenness: number | null;
  readonly community: number;
  readonly communities: number[];
}

/** Distinct communities among each member's neighbours (undirected view). */
export function communitiesLinked(g: CsrGraph & { weighted?: boolean }, membership: Int32Array): Int32Array {
  const u = undirectedView(g);
  const out = new Int32Array(u.n);
  let c = 0;
  for (let i = 0; i < u.n; i++) c = Math.max(c, membership[i]! + 1);
  const seen = new Int32Array(c);
  for (let i = 0; i < u.n; i++) {
    let k = 0;
    for (let e = u.outOffsets[i]!; e < u.outOffsets[i + 1]!; e++) {
      const s = membership[u.outTargets[e]!]!;
      if (s >= 0 && seen[s] !== i + 1) { seen[s] = i + 1; k++; }
    }
    out[i] = k;
  }
  return out;
}

export function linkedCommunityList(g: CsrGraph & { weighted?: boolean }, membership: Int32Array, node: number): number[] {
  const u = undirectedView(g);
  const set = new Set<number>();
  for (let e = u.outOffsets[node]!; e < u.outOffsets[node + 1]!; e++) {
    const s = membership[u.outTargets[e]!]!;
    if (s >= 0) set.add(s);
  }
  return [...set].sort((a, b) => a - b);
}

export function brokers(
  g: CsrGraph & { weighted?: boolean }, membership: Int32Array, measures: BrokerMeasures, options: Partial<BrokerOptions> = {},
): Broker[] {
  const o = { ...BROKER_DEFAULTS, ...options };
  const x = measures[o.by];
  if (x === undefined) throw new SupernodeError('BAD_OPTION', `brokers by ${o.by} needs the ${o.by} array`);
  if (x.length !== g.n || membership.length !== g.n) throw new SupernodeError('BAD_OPTION', `measure and membership arrays must have ${g.n} entries`);
  // Constraint ranks ascending: negate so one descending order serves all three (NaN stays last).
  const key = o.by === 'constraint' ? x.map((v) => -v) : x;
  const linked = communitiesLinked(g, membership);
  const out: Broker[] = [];
  for (const node of orderDescending(key)) {
    if (out.length >= o.top) break;
    const value = x[node]!;
    if (Number.isNaN(value)) break;
    if (linked[node]! < o.minCommunities) continue;
    out.push({
      node, rank: out.length + 1, value,
      constraint: measures.constraint ? nullable(measures.constraint[node]!) : null,
      effectiveSize: measures.effectiveSize ? nullable(measures.effectiveSize[node]!) : null,
      betweenness: measures.betweenness ? nullable(measures.betweenness[node]!) : null,
      community: membership[node]!,
      communities: linkedCommunityList(g, membership, node),
    });
  }
  return out;
}

function nullable(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}
