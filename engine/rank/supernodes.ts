/**
 * Super-nodes: a composite, explained ranking of the members who act as small centres of the network.
 *
 * Score(i) = sum_c w_c * pct_c(i) over four components, each a mid-rank percentile in (0, 1)
 * (./percentile.ts: ties share a percentile, NaN is lowest), weights normalised to sum 1, so the
 * score lies in (0, 1] and each component's share w_c * pct_c adds up to the score exactly.
 * Percentiles rather than raw values because the measures live on incomparable scales (PageRank
 * sums to 1, reach counts members, coreness is an integer, betweenness is heavy-tailed): a
 * percentile says "better than x% of members" for each, and one hub cannot swamp the sum.
 * Components (arrays indexed by node, computed elsewhere; higher = more super-node-like):
 * - influence: PageRank or in-strength. Direction: an edge A -> B credits B (B's in-links raise B).
 * - reach: distinct members within two hops (./reach.ts, undirected view).
 * - embeddedness: coreness (k-core index of the undirected view).
 * - brokerage: betweenness or participation coefficient (./roles.ts); pass 1 - constraint or
 *   -constraint if constraint is used, since lower constraint is more brokerage.
 * Default weights, frozen: influence 0.35, reach 0.25, embeddedness 0.20, brokerage 0.20.
 * Influence weighs most because growth teams ask first "whose word is taken up" (the members
 * others reply to and forward), and it is the measure closest to observed attention; reach is next
 * because a super-node must be able to carry a message to many members in two steps (the
 * campaign use); embeddedness and brokerage split the rest: a core member holds its community
 * together, a broker carries news across communities, and the brief values both equally. The
 * weights sum to 1; callers may pass their own (they are renormalised).
 * Each ranked member carries every component's raw value, percentile, weight, share of the score,
 * and one plain sentence: its place, its strongest components in words chosen by percentile band,
 * and plain counts ("#1 of 1,899: top 0.1% by two-hop reach and top 2% by influence; 1,234
 * messages received from 89 members, 1,200 members within two hops; links 4 communities."). Bands
 * of the best component's top share: <= 10% names up to two components ("top x% by ..."); <= 25%
 * "above most members on ..."; <= 50% "above the median on ..."; beyond, "below the median on every
 * measure", so a 66th-percentile member is never praised as strong.
 * Complexity: O(n log n): two numeric sorts of a copy per component, binary searches, no index sort.
 */
import { SupernodeError } from '../errors.js';
import { formatTopShare, orderDescending, ValueRanks } from './percentile.js';

export type SuperNodeComponent = 'influence' | 'reach' | 'embeddedness' | 'brokerage';
export const SUPERNODE_COMPONENTS: readonly SuperNodeComponent[] = ['influence', 'reach', 'embeddedness', 'brokerage'];

export type SuperNodeMeasures = Readonly<Record<SuperNodeComponent, Float64Array>>;
export type SuperNodeWeights = Readonly<Record<SuperNodeComponent, number>>;

export const SUPERNODE_WEIGHTS: SuperNodeWeights = Object.freeze({ influence: 0.35, reach: 0.25, embeddedness: 0.2, brokerage: 0.2 });

const LABEL: Record<SuperNodeComponent, string> = {
  influence: 'influence', reach: 'two-hop reach', embeddedness: 'core embeddedness', brokerage: 'brokerage',
};

export interface SuperNodeOptions {
  readonly weights: Partial<SuperNodeWeights>;
  readonly top: number;
  /** Distinct communities each member's neighbours span (./brokers.ts communitiesLinked). */
  readonly communitiesLinked: Int32Array | null;
  /** A component enters the sentence when the member is within this top fraction for it. */
  readonly mentionTop: number;
  /** Plain counts for the sentence: interactions received (in-strength) and distinct members acting towards (in-degree). */
  readonly counts: { readonly received: Float64Array; readonly senders: Float64Array } | null;
}

export const SUPERNODE_DEFAULTS: SuperNodeOptions = Object.freeze({ weights: SUPERNODE_WEIGHTS, top: 100, communitiesLinked: null, mentionTop: 0.1, counts: null });

export interface ComponentExplanation {
  readonly raw: number | null;
  /** Mid-rank percentile in (0, 1). */
  readonly percentile: number;
  /** Competition rank on this component alone (1 = best). */
  readonly rank: number;
  readonly weight: number;
  /** weight * percentile; the four shares sum to the score. */
  readonly share: number;
}

export interface RankedSuperNode {
  readonly node: number;
  readonly rank: number;
  readonly score: number;
  readonly components: Readonly<Record<SuperNodeComponent, ComponentExplanation>>;
  readonly communitiesLinked: number | null;
  readonly sentence: string;
}

export interface SuperNodeResult {
  readonly ranking: RankedSuperNode[];
  /** Score of every member, indexed by node. */
  readonly scores: Float64Array;
  readonly weights: SuperNodeWeights;
}

export function superNodes(measures: SuperNodeMeasures, options: Partial<SuperNodeOptions> = {}): SuperNodeResult {
  const o = { ...SUPERNODE_DEFAULTS, ...options };
  const weights = normaliseWeights({ ...SUPERNODE_WEIGHTS, ...o.weights });
  const n = measures.influence.length;
  for (const c of SUPERNODE_COMPONENTS) {
    if (measures[c].length !== n) throw new SupernodeError('BAD_OPTION', `measure ${c} has ${measures[c].length} entries, influence has ${n}`);
  }
  if (o.communitiesLinked !== null && o.communitiesLinked.length !== n) throw new SupernodeError('BAD_OPTION', `communitiesLinked must have ${n} entries`);
  // Two passes, one component at a time, so only one sorted copy of a measure is alive at once
  // (the composite of a 2M-member graph must fit beside the graph): the scores first, then each
  // ranked member's percentile and rank, recomputed from the same sorted values. The score adds
  // the weighted percentiles in component order, as the shares below are listed, so the shares
  // add up to the score exactly.
  const scores = new Float64Array(n), scratch = new Float64Array(n);
  for (const c of SUPERNODE_COMPONENTS) {
    const vr = new ValueRanks(measures[c], scratch), w = weights[c], x = measures[c];
    for (let i = 0; i < n; i++) scores[i]! += w * vr.percentile(x[i]!);
  }
  const order = o.top >= n ? orderDescending(scores) : topOrder(scores, o.top, scratch);
  const top = order.subarray(0, Math.min(o.top, n));
  const components = Array.from(top, () => ({}) as Record<SuperNodeComponent, ComponentExplanation>);
  for (const c of SUPERNODE_COMPONENTS) {
    const vr = new ValueRanks(measures[c], scratch);
    top.forEach((node, r) => {
      const raw = measures[c][node]!, pct = vr.percentile(raw);
      components[r]![c] = { raw: Number.isNaN(raw) ? null : raw, percentile: pct, rank: vr.rank(raw), weight: weights[c], share: weights[c] * pct };
    });
  }
  const ranking: RankedSuperNode[] = Array.from(top, (node, r) => {
    const linked = o.communitiesLinked === null ? null : o.communitiesLinked[node]!;
    const facts = { rank: r + 1, ...(o.counts !== null && { received: o.counts.received[node]!, senders: o.counts.senders[node]! }) };
    return { node, rank: r + 1, score: scores[node]!, components: components[r]!, communitiesLinked: linked, sentence: sentence(components[r]!, n, linked, o.mentionTop, facts) };
  });
  return { ranking, scores, weights };
}

/**
 * The first k of `orderDescending(x)` without sorting all n: the k-th largest value from a sorted
 * copy, then only the members at or above it are ordered (x holds no NaN: scores are sums of
 * percentiles).
 */
function topOrder(x: Float64Array, k: number, scratch: Float64Array): Int32Array {
  if (k <= 0) return new Int32Array(0);
  scratch.set(x);
  const sorted = scratch.sort();
  const cut = sorted[x.length - k]!;
  const pick: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i]! >= cut) pick.push(i);
  pick.sort((a, b) => x[b]! - x[a]! || a - b);
  return Int32Array.from(pick.slice(0, k));
}

function normaliseWeights(w: SuperNodeWeights): SuperNodeWeights {
  let sum = 0;
  for (const c of SUPERNODE_COMPONENTS) {
    if (!(Number.isFinite(w[c]) && w[c] >= 0)) throw new SupernodeError('BAD_OPTION', `weight ${c} must be a finite non-negative number, got ${w[c]}`);
    sum += w[c];
  }
  if (!(sum > 0)) throw new SupernodeError('BAD_OPTION', 'super-node weights must not all be zero');
  const out = {} as Record<SuperNodeComponent, number>;
  for (const c of SUPERNODE_COMPONENTS) out[c] = w[c] / sum;
  return out;
}

const count = (x: number) => (Number.isInteger(x) ? x : Math.round(x)).toLocaleString('en-US');

/**
 * "#1 of 1,899: top 0.1% by two-hop reach and top 2% by influence; 1,234 messages received from
 * 89 members, 1,200 members within two hops; links 4 communities." (see the header for the bands).
 * Without `facts.rank` the place is left out; without counts, only the reach count is given.
 */
export function sentence(
  components: Readonly<Record<SuperNodeComponent, ComponentExplanation>>, n: number, linked: number | null, mentionTop = 0.1,
  facts: { rank?: number; received?: number; senders?: number } = {},
): string {
  // "Top x%" is the share of members at or above this one, ties included: when 5% of members
  // share the highest coreness, each is in the top 5%, not the top 1/n. From the competition
  // rank (1 + members above) and the mid-rank percentile ((below + ties/2) / n):
  // at-or-above = above + ties = 2n(1 - pct) - above.
  const ranked = SUPERNODE_COMPONENTS.filter((c) => components[c].weight > 0)
    .map((c) => {
      const above = components[c].rank - 1;
      const atOrAbove = Math.round(2 * n * (1 - components[c].percentile) - above);
      return { c, top: Math.max(1, atOrAbove) / n };
    })
    .sort((a, b) => a.top - b.top);
  const strong = ranked.filter((x) => x.top <= mentionTop).slice(0, 2);
  const best = ranked[0];
  let text: string;
  if (strong.length > 0) text = strong.map((x) => `top ${formatTopShare(x.top)} by ${LABEL[x.c]}`).join(' and ');
  else if (best === undefined) text = 'no weighted component';
  else if (best.top <= 0.25) text = `above most members on ${LABEL[best.c]} (top ${formatTopShare(best.top)})`;
  else if (best.top <= 0.5) text = `above the median on ${LABEL[best.c]} (top ${formatTopShare(best.top)})`;
  else text = `below the median on every measure (best: ${LABEL[best.c]}, top ${formatTopShare(best.top)})`;
  const plain: string[] = [];
  if (facts.received !== undefined && facts.senders !== undefined) {
    plain.push(`${count(facts.received)} interaction${facts.received === 1 ? '' : 's'} received from ${count(facts.senders)} member${facts.senders === 1 ? '' : 's'}`);
  }
  const reach = components.reach.raw;
  if (reach !== null) plain.push(`${count(reach)} member${reach === 1 ? '' : 's'} within two hops`);
  let out = facts.rank !== undefined ? `#${count(facts.rank)} of ${count(n)}: ${text}` : `${text[0]!.toUpperCase()}${text.slice(1)}`;
  if (plain.length > 0) out += `; ${plain.join(', ')}`;
  if (linked !== null && linked >= 2) out += `; links ${linked} communities`;
  return `${out}.`;
}
