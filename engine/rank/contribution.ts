/**
 * Contribution: an objective, network-based score per member and per time window, the figure a
 * points ledger can pay out monthly. Every component is shown with its raw value, percentile and
 * share of the score.
 *
 * Components, each counted over one window's interactions (A -> B = A acted towards B):
 *   recognition     distinct members who acted towards the member (in-degree of the window's
 *                   graph): contribution as others' response to it, not its own volume (Wasko &
 *                   Faraj 2005, "Why should I share?", MIS Quarterly 29(1): replies received as the
 *                   measure of a member's contribution to a network of practice);
 *   conversations   members the member contacted first who then answered (a first message that
 *                   started a two-way exchange; Welser et al. 2007, "Visualizing the signatures of
 *                   social roles in online discussion groups", J. Social Structure 8); needs
 *                   timestamps, and is left out (weight shared among the others) without them;
 *   bridges         weak ties between two communities the member holds (engine/rank/ties.ts;
 *                   Granovetter 1973, Burt 2004 "Structural holes and good ideas": brokers carry
 *                   new information);
 *   cross-community interactions between the member and members of other communities, both
 *                   directions: the knowledge it carries between groups.
 * Score = sum over components of weight x mid-rank percentile among the window's active members
 * (engine/rank/percentile.ts), in [0, 1]; points = round(100 x score); poolShare = score / the
 * window's summed score (a fixed monthly pool split in proportion). Members with no interaction
 * in a window score 0 there and are not listed. Weights: recognition 0.4, conversations 0.2,
 * bridges 0.2, cross-community 0.2 (frozen defaults; a component left out gives its weight to the
 * others in proportion). Communities are those of the whole graph, so a member's group does not
 * change from month to month. Higher = more contribution, every component.
 * Complexity per window: the tie answer (O(m * arboricity)) plus O(rows * log d) and O(n log n).
 */
import type { BuildOptions, BuiltGraph, EdgeColumns } from '../graph/builder.js';
import { rowFilter } from '../graph/builder.js';
import { percentilesAndRanks } from './percentile.js';
import { tieAnswer } from './ties.js';
import { rowIndexOf as find } from '../graph/csr.js';

export const CONTRIBUTION_COMPONENTS = ['recognition', 'conversations', 'bridges', 'cross-community'] as const;
export type ContributionComponent = (typeof CONTRIBUTION_COMPONENTS)[number];

export const CONTRIBUTION_WEIGHTS: Readonly<Record<ContributionComponent, number>> = Object.freeze({
  recognition: 0.4, conversations: 0.2, bridges: 0.2, 'cross-community': 0.2,
});

export interface ContributionRow {
  readonly node: number;
  readonly rank: number;
  readonly score: number;
  readonly points: number;
  /** score / the window's summed score: the member's part of a fixed pool paid for the window. */
  readonly poolShare: number;
  readonly components: Readonly<Record<ContributionComponent, { readonly value: number | null; readonly percentile: number | null; readonly share: number }>>;
}

export interface ContributionWindow {
  /** ms; null bounds without timestamps (the whole data). */
  readonly from: number | null;
  readonly to: number | null;
  readonly interactions: number;
  /** Weights in force (a left-out component has 0). */
  readonly weights: Readonly<Record<ContributionComponent, number>>;
  /** Active members, best first. */
  readonly rows: readonly ContributionRow[];
}

/**
 * One window's contribution. `graph` is built from `columns` with `filters` (window and types);
 * `membership` is the whole graph's partition.
 */
export function contributionWindow(
  graph: BuiltGraph, columns: EdgeColumns, membership: Int32Array, filters: Pick<BuildOptions, 'window' | 'types'>,
  weights: Readonly<Record<ContributionComponent, number>> = CONTRIBUTION_WEIGHTS,
): ContributionWindow {
  const n = graph.n;
  const ties = tieAnswer(graph, columns, membership, filters);
  const { view, tieOfArc, source: tSrc } = ties.kernel;
  const recognition = new Float64Array(n), bridges = Float64Array.from(ties.members.bridges), cross = new Float64Array(n);
  const active = new Uint8Array(n);
  for (let v = 0; v < n; v++) {
    let d = 0;
    for (let e = graph.inOffsets[v]!; e < graph.inOffsets[v + 1]!; e++) if (graph.inSources[e] !== v) d++;
    recognition[v] = d;
  }
  // Per tie and direction (0: lower -> higher index, 1: back): first and last time of a row.
  const ts = columns.timestamp;
  const nT = tSrc.length;
  const first = ts === null ? null : new Float64Array(2 * nT).fill(Infinity);
  const last = ts === null ? null : new Float64Array(2 * nT).fill(-Infinity);
  const keep = rowFilter(columns, filters);
  const src = columns.source, dst = columns.target, off = view.outOffsets, adj = view.outTargets;
  let interactions = 0;
  for (let i = 0; i < src.length; i++) {
    if (keep !== null && !keep[i]) continue;
    const a = src[i]!, b = dst[i]!;
    if (a === b) continue;
    interactions++;
    active[a] = 1; active[b] = 1;
    if (membership[a] !== membership[b]) { cross[a]!++; cross[b]!++; }
    if (first === null || last === null) continue;
    const u = a < b ? a : b, v = a < b ? b : a;
    const e = find(adj, off[u]!, off[u + 1]!, v);
    if (e < 0) continue;
    const slot = 2 * tieOfArc[e]! + (a < b ? 0 : 1), t = ts![i]!;
    if (Number.isNaN(t)) continue;
    if (t < first[slot]!) first[slot] = t;
    if (t > last[slot]!) last[slot] = t;
  }
  let conversations: Float64Array | null = null;
  if (first !== null && last !== null) {
    conversations = new Float64Array(n);
    for (let t = 0; t < nT; t++) {
      const f0 = first[2 * t]!, f1 = first[2 * t + 1]!;
      // The side that wrote first started it; it counts when the other side answered afterwards.
      if (f0 < f1 && last[2 * t + 1]! > f0) conversations[ties.kernel.source[t]!]!++;
      else if (f1 < f0 && last[2 * t]! > f1) conversations[ties.kernel.target[t]!]!++;
    }
  }
  const raw: Record<ContributionComponent, Float64Array | null> = { recognition, conversations, bridges, 'cross-community': cross };
  const inForce = CONTRIBUTION_COMPONENTS.filter((c) => raw[c] !== null);
  const total = inForce.reduce((s, c) => s + weights[c], 0);
  const w = Object.fromEntries(CONTRIBUTION_COMPONENTS.map((c) => [c, raw[c] === null || total === 0 ? 0 : weights[c] / total])) as Record<ContributionComponent, number>;

  // Percentiles among the window's active members only: an absent member is not "the lowest".
  const members: number[] = [];
  for (let u = 0; u < n; u++) if (active[u]) members.push(u);
  const pct = Object.fromEntries(inForce.map((c) => {
    const x = Float64Array.from(members, (u) => raw[c]![u]!);
    return [c, percentilesAndRanks(x).percentiles];
  })) as Record<ContributionComponent, Float64Array>;
  const rows = members.map((u, k) => {
    let score = 0;
    const parts = {} as Record<ContributionComponent, { value: number | null; percentile: number | null; share: number }>;
    for (const c of CONTRIBUTION_COMPONENTS) {
      if (raw[c] === null) { parts[c] = { value: null, percentile: null, share: 0 }; continue; }
      const p = pct[c]![k]!, share = w[c] * p;
      score += share;
      parts[c] = { value: raw[c]![u]!, percentile: p, share };
    }
    return { node: u, score, parts };
  });
  rows.sort((a, b) => b.score - a.score || a.node - b.node);
  const ranked: ContributionRow[] = [];
  const pool = rows.reduce((a, r) => a + r.score, 0);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    // Competition rank: equal scores share the better rank.
    const rank = i > 0 && rows[i - 1]!.score === r.score ? ranked[i - 1]!.rank : i + 1;
    ranked.push({ node: r.node, rank, score: r.score, points: Math.round(100 * r.score), poolShare: pool > 0 ? r.score / pool : 0, components: r.parts });
  }
  const from = filters.window?.from, to = filters.window?.to;
  return {
    from: from === undefined || !Number.isFinite(from) ? null : from, to: to === undefined || !Number.isFinite(to) ? null : to,
    interactions, weights: w, rows: ranked,
  };
}

/**
 * The last `count` windows of `span` ms ending at the latest interaction (the newest last, so a
 * ledger reads them in order), or one window of the whole data without timestamps.
 */
export function contributionWindows(
  columns: EdgeColumns, membership: Int32Array, build: (w: { from: number; to: number } | undefined) => BuiltGraph,
  opts: { span: number; count: number; latest: number; types?: readonly string[] | undefined },
): ContributionWindow[] {
  const types = opts.types === undefined ? {} : { types: opts.types };
  if (columns.timestamp === null || !Number.isFinite(opts.latest)) {
    return [contributionWindow(build(undefined), columns, membership, types)];
  }
  const out: ContributionWindow[] = [];
  for (let k = opts.count - 1; k >= 0; k--) {
    const window = { from: opts.latest + 1 - (k + 1) * opts.span, to: opts.latest + 1 - k * opts.span };
    out.push(contributionWindow(build(window), columns, membership, { window, ...types }));
  }
  return out;
}

/** A window's rows as the CLI and the API give them. */
export function contributionRows(w: ContributionWindow, idOf: (i: number) => string) {
  return w.rows.map((r) => ({ id: idOf(r.node), rank: r.rank, points: r.points, poolShare: r.poolShare, score: r.score, components: r.components }));
}

/** Windows in an analysis snapshot, and members kept per window (best first; `active` says how many there were). */
export const CONTRIBUTION_WINDOWS = 3;
export const CONTRIBUTION_SNAPSHOT_ROWS = 10_000;

export interface ContributionTable {
  readonly weights: Readonly<Record<ContributionComponent, number>>;
  readonly windows: readonly {
    readonly from: number | null; readonly to: number | null; readonly interactions: number; readonly active: number;
    readonly weights: Readonly<Record<ContributionComponent, number>>;
    readonly members: ReturnType<typeof contributionRows>;
  }[];
}

export function contributionTable(ws: readonly ContributionWindow[], idOf: (i: number) => string, max = CONTRIBUTION_SNAPSHOT_ROWS): ContributionTable {
  return {
    weights: CONTRIBUTION_WEIGHTS,
    windows: ws.map((w) => ({
      from: w.from, to: w.to, interactions: w.interactions, active: w.rows.length, weights: w.weights,
      members: contributionRows({ ...w, rows: w.rows.slice(0, max) }, idOf),
    })),
  };
}
