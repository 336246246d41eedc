/**
 * Strong and weak ties, and the bridges between communities: the answer `supernode ties` and
 * `GET /v1/datasets/{id}/ties` give.
 *
 * Per tie of the undirected view (engine/algorithms/ties.ts: weight, overlap, reciprocal) it adds
 *   count   the interaction rows between the two members, both directions, after the window and
 *           type filters the graph was built with (weight = count without a weight column);
 *   last    the latest of those rows' timestamps (ms; NaN without timestamps);
 *   class   `strong` when the tie is reciprocal AND its weight is at least the median tie weight
 *           AND its overlap is at least the median overlap and above 0 (Granovetter 1973: a strong
 *           tie is repeated, two-way interaction inside a shared circle; Onnela et al. 2007 found
 *           weight and overlap rise together); `weak` otherwise. "At least" makes a criterion on
 *           which every tie is equal (all weights 1 in an unweighted graph) hold for every tie
 *           rather than for none; reciprocity is left out on an undirected graph, whose direction
 *           is unknown. The rule in force is reported with its medians;
 *   bridge  a weak tie whose two members lie in different communities (Leiden): the weak ties
 *           that bring a group information it does not already have.
 * Per member: ties, strong ties, share of strong ties (0 without ties) and bridges.
 * Complexity: the kernel's O(m * arboricity), plus O(rows * log d) to attribute rows to ties and
 * O(m log m) to order the ties; memory O(m).
 */
import { ties, type TiesResult } from '../algorithms/ties.js';
import { type BuildOptions, type BuiltGraph, type EdgeColumns, rowFilter } from '../graph/builder.js';
import { rowIndexOf as find } from '../graph/csr.js';

export interface TieAnswer {
  readonly kernel: TiesResult;
  /** Interaction rows per tie (both directions). */
  readonly count: Float64Array;
  /** Latest interaction per tie (ms since the epoch), NaN where unknown; null without timestamps. */
  readonly last: Float64Array | null;
  readonly strong: Uint8Array;
  readonly bridge: Uint8Array;
  /** Tie indices strongest first: weight, then overlap, descending; then by ends. */
  readonly order: Int32Array;
  readonly rule: {
    readonly text: string;
    readonly medianWeight: number;
    readonly medianOverlap: number;
    readonly usesWeight: boolean;
    readonly usesReciprocity: boolean;
  };
  readonly members: {
    readonly ties: Int32Array;
    readonly strong: Int32Array;
    readonly strongShare: Float64Array;
    readonly bridges: Int32Array;
  };
  readonly totals: { readonly ties: number; readonly strong: number; readonly weak: number; readonly bridges: number };
  readonly seconds: number;
}

function median(x: Float64Array): number {
  if (x.length === 0) return 0;
  const s = Float64Array.from(x).sort();
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/**
 * `graph` is the graph built from `columns` with `filters` (the same window and types), so the
 * rows counted per tie are the rows that made it. `membership`: a community per member.
 */
export function tieAnswer(
  graph: BuiltGraph, columns: EdgeColumns, membership: Int32Array,
  filters: Pick<BuildOptions, 'window' | 'types'> = {},
): TieAnswer {
  const t0 = performance.now();
  const k = ties(graph);
  const nT = k.source.length, n = graph.n;
  const { view, tieOfArc } = k;

  // Rows per tie, and the latest timestamp.
  const count = new Float64Array(nT);
  const ts = columns.timestamp;
  const last = ts === null ? null : new Float64Array(nT).fill(Number.NaN);
  const keep = rowFilter(columns, filters);
  const src = columns.source, dst = columns.target, off = view.outOffsets, adj = view.outTargets;
  for (let i = 0; i < src.length; i++) {
    if (keep !== null && !keep[i]) continue;
    const a = src[i]!, b = dst[i]!;
    if (a === b) continue;
    const u = a < b ? a : b, v = a < b ? b : a;
    const e = find(adj, off[u]!, off[u + 1]!, v);
    if (e < 0) continue;
    const t = tieOfArc[e]!;
    count[t]!++;
    if (last !== null) {
      // A row without a timestamp (NaN) leaves the tie's latest as it is.
      const x = ts![i]!;
      if (!Number.isNaN(x) && !(last[t]! >= x)) last[t] = x;
    }
  }

  const medianWeight = median(k.weight), medianOverlap = median(k.overlap);
  let wMin = Infinity, wMax = -Infinity, anyOneWay = false;
  for (let t = 0; t < nT; t++) {
    const w = k.weight[t]!;
    if (w < wMin) wMin = w;
    if (w > wMax) wMax = w;
    if (k.reciprocal[t] === 0) anyOneWay = true;
  }
  // Only for the rule's text: a criterion every tie meets is not worth stating.
  const usesWeight = nT > 0 && wMax > wMin, usesReciprocity = graph.directed && anyOneWay;
  const strong = new Uint8Array(nT), bridge = new Uint8Array(nT);
  const mTies = new Int32Array(n), mStrong = new Int32Array(n), mBridges = new Int32Array(n);
  let nStrong = 0, nBridges = 0;
  for (let t = 0; t < nT; t++) {
    const u = k.source[t]!, v = k.target[t]!;
    const o = k.overlap[t]!;
    const s = (!usesReciprocity || k.reciprocal[t] === 1) && k.weight[t]! >= medianWeight && o >= medianOverlap && o > 0;
    mTies[u]!++; mTies[v]!++;
    if (s) {
      strong[t] = 1;
      nStrong++;
      mStrong[u]!++; mStrong[v]!++;
    } else if (membership[u] !== membership[v]) {
      bridge[t] = 1;
      nBridges++;
      mBridges[u]!++; mBridges[v]!++;
    }
  }
  const strongShare = new Float64Array(n);
  for (let u = 0; u < n; u++) strongShare[u] = mTies[u]! > 0 ? mStrong[u]! / mTies[u]! : 0;

  const order = new Int32Array(nT);
  for (let t = 0; t < nT; t++) order[t] = t;
  order.sort((a, b) => k.weight[b]! - k.weight[a]! || k.overlap[b]! - k.overlap[a]! || a - b);

  const parts = [
    ...(usesReciprocity ? ['two-way'] : []),
    ...(usesWeight ? [`weight >= ${medianWeight} (median)`] : []),
    `overlap >= ${round(medianOverlap)} (median) and > 0`,
  ];
  return {
    kernel: k, count, last, strong, bridge, order,
    rule: { text: `strong = ${parts.join(' and ')}; weak otherwise; bridge = weak tie between two communities`, medianWeight, medianOverlap, usesWeight, usesReciprocity },
    members: { ties: mTies, strong: mStrong, strongShare, bridges: mBridges },
    totals: { ties: nT, strong: nStrong, weak: nT - nStrong, bridges: nBridges },
    seconds: (performance.now() - t0) / 1000,
  };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** One tie as the JSON contract gives it (`supernode ties --json`, the API). */
export interface TieRow {
  readonly source: string;
  readonly target: string;
  readonly weight: number;
  readonly count: number;
  readonly reciprocal: boolean;
  readonly overlap: number;
  readonly class: 'strong' | 'weak';
  readonly bridge: boolean;
  /** ISO 8601, null without timestamps. */
  readonly last: string | null;
}

export function tieRow(a: TieAnswer, t: number, idOf: (i: number) => string): TieRow {
  const k = a.kernel;
  const last = a.last === null || Number.isNaN(a.last[t]!) ? null : new Date(a.last[t]!).toISOString();
  return {
    source: idOf(k.source[t]!), target: idOf(k.target[t]!), weight: k.weight[t]!, count: a.count[t]!,
    reciprocal: k.reciprocal[t] === 1, overlap: k.overlap[t]!, class: a.strong[t] === 1 ? 'strong' : 'weak',
    bridge: a.bridge[t] === 1, last,
  };
}

export interface TieMemberRow {
  readonly id: string;
  readonly ties: number;
  readonly strong: number;
  readonly strongShare: number;
  readonly bridges: number;
}

/** Members ordered by bridges, then ties, descending (the brokers of weak ties first). */
export function tieMemberRows(a: TieAnswer, idOf: (i: number) => string): TieMemberRow[] {
  const m = a.members, n = m.ties.length;
  const idx: number[] = [];
  for (let u = 0; u < n; u++) if (m.ties[u]! > 0) idx.push(u);
  idx.sort((x, y) => m.bridges[y]! - m.bridges[x]! || m.ties[y]! - m.ties[x]! || x - y);
  return idx.map((u) => ({ id: idOf(u), ties: m.ties[u]!, strong: m.strong[u]!, strongShare: m.strongShare[u]!, bridges: m.bridges[u]! }));
}

/**
 * Ties kept in an analysis snapshot, strongest first. The CLI lists every tie; a snapshot keeps at
 * most this many (about 60 B each in its JSON) so that one graph of tens of millions of edges
 * cannot make a snapshot the size of the graph. `total` says how many there were.
 */
export const TIES_SNAPSHOT_MAX = 200_000;

/** The ties part of an analysis (columnar: one array per field, aligned, strongest first). */
export interface TiesTable {
  readonly total: number;
  readonly totals: TieAnswer['totals'];
  readonly reciprocity: number | null;
  readonly rule: string;
  readonly source: readonly string[];
  readonly target: readonly string[];
  readonly weight: readonly number[];
  readonly count: readonly number[];
  readonly reciprocal: readonly (0 | 1)[];
  readonly overlap: readonly number[];
  readonly strong: readonly (0 | 1)[];
  readonly bridge: readonly (0 | 1)[];
  /** ms since the epoch; null where unknown. */
  readonly last: readonly (number | null)[];
}

export function tiesTable(a: TieAnswer, idOf: (i: number) => string, max = TIES_SNAPSHOT_MAX): TiesTable {
  const kept = Array.from(a.order.subarray(0, Math.min(max, a.order.length)));
  const k = a.kernel, bit = (x: number) => (x === 1 ? 1 : 0) as 0 | 1;
  return {
    total: a.order.length, totals: a.totals, reciprocity: k.reciprocity, rule: a.rule.text,
    source: kept.map((t) => idOf(k.source[t]!)), target: kept.map((t) => idOf(k.target[t]!)),
    weight: kept.map((t) => k.weight[t]!), count: kept.map((t) => a.count[t]!),
    reciprocal: kept.map((t) => bit(k.reciprocal[t]!)), overlap: kept.map((t) => k.overlap[t]!),
    strong: kept.map((t) => bit(a.strong[t]!)), bridge: kept.map((t) => bit(a.bridge[t]!)),
    last: kept.map((t) => (a.last === null || Number.isNaN(a.last[t]!) ? null : a.last[t]!)),
  };
}

/** Row i of a snapshot's ties table in the JSON contract's shape. */
export function tableRow(t: TiesTable, i: number): TieRow {
  const last = t.last[i];
  return {
    source: t.source[i]!, target: t.target[i]!, weight: t.weight[i]!, count: t.count[i]!, reciprocal: t.reciprocal[i] === 1,
    overlap: t.overlap[i]!, class: t.strong[i] === 1 ? 'strong' : 'weak', bridge: t.bridge[i] === 1,
    last: last === null || last === undefined ? null : new Date(last).toISOString(),
  };
}
