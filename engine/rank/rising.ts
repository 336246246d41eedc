/**
 * Rising stars and rank trajectories across time windows.
 *
 * - `risingStars(before, after)`: the members with the largest rank gain between two windows'
 *   score arrays (any measure, higher = better). Ranks are competition ranks (1 + members strictly
 *   ahead, ./percentile.ts), so tied members share a rank and a member with score 0 in both windows
 *   gains nothing. gain = rankBefore - rankAfter (positive = rising). Members below `minScore` in
 *   the later window are not listed (a jump from rank 900 to 800 among inactive members is noise).
 * - `trajectory(cols, ...)`: splits the timestamped interactions into consecutive windows of
 *   `windowMs` ending at the latest interaction (or `to`), aligned as the API's trajectories and
 *   rising stars are, reaching back far enough to hold the first one (or starting at `from` when
 *   given); builds each window's graph with engine/graph/builder.ts, computes the measure through the callback and records the rank and
 *   score of the chosen members per window. At most MAX_TRAJECTORY_WINDOWS windows
 *   (engine/limits.ts): a step that would cut the span into more is refused (BAD_OPTION) before
 *   any window is built.
 * Direction: whatever the measure uses (PageRank / in-strength: credit flows to the target).
 * Complexity: O(n log n) per window for ranking, plus the build and the measure.
 */
import type { BuildOptions, EdgeColumns } from '../graph/builder.js';
import { buildGraph } from '../graph/builder.js';
import { SupernodeError } from '../errors.js';
import { MAX_TRAJECTORY_WINDOWS } from '../limits.js';
import { competitionRanks } from './percentile.js';
import type { MeasureCallback } from './stability.js';

export interface RisingOptions {
  readonly top: number;
  readonly minScore: number;
}

export const RISING_DEFAULTS: RisingOptions = Object.freeze({ top: 20, minScore: 0 });

export interface RisingStar {
  readonly node: number;
  readonly rankBefore: number;
  readonly rankAfter: number;
  readonly gain: number;
  readonly scoreBefore: number;
  readonly scoreAfter: number;
}

export function risingStars(before: Float64Array, after: Float64Array, options: Partial<RisingOptions> = {}): RisingStar[] {
  const o = { ...RISING_DEFAULTS, ...options };
  if (before.length !== after.length) throw new SupernodeError('BAD_OPTION', `score arrays differ in length (${before.length} vs ${after.length})`);
  const rb = competitionRanks(before), ra = competitionRanks(after);
  const nodes: number[] = [];
  for (let v = 0; v < after.length; v++) if (after[v]! > o.minScore && rb[v]! - ra[v]! > 0) nodes.push(v);
  nodes.sort((a, b) => (rb[b]! - ra[b]!) - (rb[a]! - ra[a]!) || ra[a]! - ra[b]! || a - b);
  return nodes.slice(0, o.top).map((node) => ({
    node, rankBefore: rb[node]!, rankAfter: ra[node]!, gain: rb[node]! - ra[node]!, scoreBefore: before[node]!, scoreAfter: after[node]!,
  }));
}

export interface TrajectoryOptions {
  readonly windowMs: number;
  readonly members: readonly number[];
  readonly from?: number;
  readonly to?: number;
  readonly build?: Partial<BuildOptions>;
}

export interface TrajectoryResult {
  readonly windows: { from: number; to: number; rows: number }[];
  /** Per member: rank and score per window (rank 1 = best, competition ranks). */
  readonly members: { node: number; ranks: number[]; scores: number[] }[];
}

export function trajectory(cols: EdgeColumns, measure: MeasureCallback, o: TrajectoryOptions): TrajectoryResult {
  const ts = cols.timestamp;
  if (ts === null) throw new SupernodeError('BAD_OPTION', 'a trajectory needs a timestamp column');
  if (!(o.windowMs > 0)) throw new SupernodeError('BAD_OPTION', `windowMs must be positive, got ${o.windowMs}`);
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < ts.length; i++) if (!Number.isNaN(ts[i]!)) { lo = Math.min(lo, ts[i]!); hi = Math.max(hi, ts[i]!); }
  const to = o.to ?? hi + 1;
  // Aligned to the end: the last window is the last `windowMs` of the data, as in the analysis.
  const count = Math.ceil((to - (o.from ?? lo)) / o.windowMs);
  const from = o.from ?? to - count * o.windowMs;
  if (count > MAX_TRAJECTORY_WINDOWS) {
    throw new SupernodeError('BAD_OPTION', `a step of ${o.windowMs} ms cuts the ${((to - from) / 86400e3).toFixed(0)} days of data into ${count} windows; `
      + `at most ${MAX_TRAJECTORY_WINDOWS} (engine/limits.ts): use a longer --step or narrow the span with --from/--to`);
  }
  const windows: TrajectoryResult['windows'] = [];
  const members = o.members.map((node) => ({ node, ranks: [] as number[], scores: [] as number[] }));
  for (let a = from; a < to; a += o.windowMs) {
    const b = Math.min(a + o.windowMs, to);
    const g = buildGraph(cols, { ...o.build, window: { from: a, to: b } });
    const scores = measure(cols, g);
    const ranks = competitionRanks(scores);
    windows.push({ from: a, to: b, rows: g.rowsKept });
    for (const m of members) { m.ranks.push(ranks[m.node]!); m.scores.push(scores[m.node]!); }
  }
  return { windows, members };
}
