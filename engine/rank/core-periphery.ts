/**
 * Core and periphery as a growth team reads it: every member's coreness (Borgatti & Everett's
 * continuous model, engine/algorithms/core-periphery.ts), the core/periphery label by the
 * discrete-model cut, and, with timestamps, who moved between the two over the last two windows.
 *
 * Movement: windows of `window` (default 30 days) ending at the latest interaction, as the rising
 * stars use (engine/rank/analysis.ts): the model is fitted on each window's graph alone. A member
 * `joined` the core when it is core in the last window and was periphery in the one before, or had
 * no interaction then (`before: 'absent'`); it `left` when it was core before and is periphery or
 * absent now. Complexity: three fits (whole graph and two windows), each O(sweeps * (n + m)).
 */
import { corePeriphery, type CorePeripheryResult } from '../algorithms/core-periphery.js';
import type { BuiltGraph } from '../graph/builder.js';
import { simpleDegree } from '../graph/csr.js';
import { simpleUndirected } from '../algorithms/triangles.js';
import { competitionRanks } from './percentile.js';

export type CpState = 'core' | 'periphery' | 'absent';

export interface CpMove {
  readonly node: number;
  readonly before: CpState;
  readonly now: CpState;
  readonly scoreBefore: number;
  readonly scoreNow: number;
  /** Coreness rank in each window's fit (1 = most central), null when absent from that window. */
  readonly rankBefore: number | null;
  readonly rankNow: number | null;
}

export interface CpMovement {
  readonly windows: readonly { readonly from: number; readonly to: number; readonly coreSize: number; readonly fit: number | null }[];
  /** Core now, periphery or absent before; by score now, descending. */
  readonly joined: readonly CpMove[];
  /** Core before, periphery or absent now; by score before, descending. */
  readonly left: readonly CpMove[];
}

export interface CpAnswer {
  readonly fit: CorePeripheryResult;
  readonly movement: CpMovement | null;
}

/** Where a member stands in one window's fit: absent when it had no tie in that window. */
function states(g: BuiltGraph, r: CorePeripheryResult): Uint8Array {
  const deg = simpleDegree(simpleUndirected(g));
  const s = new Uint8Array(g.n);
  for (let u = 0; u < g.n; u++) s[u] = deg[u] === 0 ? 2 : r.core[u] === 1 ? 0 : 1;
  return s;
}
const STATE: readonly CpState[] = ['core', 'periphery', 'absent'];

/**
 * `build(window)` builds the graph of one window (the caller's filters applied); `latest` is the
 * latest interaction time (ms), `span` the window length; null for either skips the movement.
 */
export function corePeripheryAnswer(
  graph: BuiltGraph, windows: { build: (w: { from: number; to: number }) => BuiltGraph; latest: number; span: number } | null,
): CpAnswer {
  const fit = corePeriphery(graph);
  if (windows === null || !Number.isFinite(windows.latest)) return { fit, movement: null };
  const { build, latest, span } = windows;
  const wNow = { from: latest + 1 - span, to: latest + 1 }, wBefore = { from: latest + 1 - 2 * span, to: latest + 1 - span };
  const gNow = build(wNow), gBefore = build(wBefore);
  const now = corePeriphery(gNow), before = corePeriphery(gBefore);
  const sNow = states(gNow, now), sBefore = states(gBefore, before);
  // Ranks rather than scores are what compare across windows: a sparse window's fit can be led by
  // one hub far above everyone (see the kernel's header), which squashes every other score.
  const rNow = competitionRanks(now.scores), rBefore = competitionRanks(before.scores);
  const joined: CpMove[] = [], left: CpMove[] = [];
  for (let u = 0; u < graph.n; u++) {
    const move = {
      node: u, before: STATE[sBefore[u]!]!, now: STATE[sNow[u]!]!, scoreBefore: before.scores[u]!, scoreNow: now.scores[u]!,
      rankBefore: sBefore[u] === 2 ? null : rBefore[u]!, rankNow: sNow[u] === 2 ? null : rNow[u]!,
    };
    if (sNow[u] === 0 && sBefore[u] !== 0) joined.push(move);
    else if (sBefore[u] === 0 && sNow[u] !== 0) left.push(move);
  }
  joined.sort((a, b) => b.scoreNow - a.scoreNow || a.node - b.node);
  left.sort((a, b) => b.scoreBefore - a.scoreBefore || a.node - b.node);
  return {
    fit,
    movement: {
      windows: [
        { ...wBefore, coreSize: before.coreSize, fit: before.fit },
        { ...wNow, coreSize: now.coreSize, fit: now.fit },
      ],
      joined, left,
    },
  };
}

/** The latest finite timestamp of `ts` (-Infinity when none). */
export function latestTime(ts: Float64Array | null): number {
  let latest = -Infinity;
  if (ts !== null) for (let i = 0; i < ts.length; i++) if (ts[i]! > latest) latest = ts[i]!;
  return latest;
}

/** One member's row: coreness, label, rank by coreness. */
export interface CpMemberRow {
  readonly id: string;
  readonly rank: number;
  readonly coreness: number;
  readonly position: 'core' | 'periphery';
}

export function cpMemberRows(a: CpAnswer, idOf: (i: number) => string): CpMemberRow[] {
  const s = a.fit.scores;
  const idx = Array.from({ length: s.length }, (_, i) => i).sort((x, y) => s[y]! - s[x]! || x - y);
  return idx.map((u, r) => ({ id: idOf(u), rank: r + 1, coreness: s[u]!, position: a.fit.core[u] === 1 ? 'core' : 'periphery' }));
}

export interface CpMoveRow {
  readonly id: string;
  readonly before: CpState;
  readonly now: CpState;
  readonly corenessBefore: number;
  readonly corenessNow: number;
  readonly rankBefore: number | null;
  readonly rankNow: number | null;
}

export function cpMoveRows(moves: readonly CpMove[], idOf: (i: number) => string): CpMoveRow[] {
  return moves.map((m) => ({ id: idOf(m.node), before: m.before, now: m.now, corenessBefore: m.scoreBefore, corenessNow: m.scoreNow, rankBefore: m.rankBefore, rankNow: m.rankNow }));
}

/** The core-periphery part of an analysis snapshot (per-member scores travel as measures). */
export interface CorePeripheryTable {
  readonly coreSize: number;
  readonly fit: number | null;
  readonly iterations: number;
  readonly converged: boolean;
  readonly movement: {
    readonly windows: CpMovement['windows'];
    readonly joined: readonly CpMoveRow[];
    readonly left: readonly CpMoveRow[];
  } | null;
}

export function cpTable(a: CpAnswer, idOf: (i: number) => string): CorePeripheryTable {
  const f = a.fit, mv = a.movement;
  return {
    coreSize: f.coreSize, fit: f.fit, iterations: f.iterations, converged: f.converged,
    movement: mv === null ? null : { windows: mv.windows, joined: cpMoveRows(mv.joined, idOf), left: cpMoveRows(mv.left, idOf) },
  };
}
