import { describe, expect, it } from 'vitest';
import { inStrength } from '../../../engine/graph/csr.js';
import { rankStability, resampleRows } from '../../../engine/rank/stability.js';
import { risingStars, trajectory } from '../../../engine/rank/rising.js';
import { createRng } from '../../../engine/algorithms/random.js';
import { columns } from './graphs.js';

describe('rank stability', () => {
  // Member 0 receives 40 interactions, 1 receives 20, 2..9 receive 1 to 3 each.
  const pairs: [number, number][] = [];
  for (let i = 0; i < 40; i++) pairs.push([1 + (i % 9), 0]);
  for (let i = 0; i < 20; i++) pairs.push([2 + (i % 8), 1]);
  for (let v = 2; v < 10; v++) for (let j = 0; j < 1 + (v % 3); j++) pairs.push([(v + 1) % 10, v]);
  const cols = columns(10, pairs);

  it('a dominant member stays on top in every resample; the interval brackets the rank; reproducible by seed', () => {
    const measure = (_: unknown, g: Parameters<typeof inStrength>[0]) => inStrength(g);
    const r = rankStability(cols, measure, { k: 3, resamples: 200, seed: 9 });
    expect(r.members.map((m) => m.node).slice(0, 2)).toEqual([0, 1]);
    expect(r.members[0]).toMatchObject({ rank: 1, score: 40, stayShare: 1, rankInterval90: [1, 1], medianRank: 1 });
    expect(r.members[1]!.stayShare).toBe(1);
    expect(r.members[2]!.stayShare).toBeLessThan(1);
    const [lo, hi] = r.members[2]!.rankInterval90;
    expect(lo).toBeLessThanOrEqual(r.members[2]!.medianRank);
    expect(hi).toBeGreaterThanOrEqual(r.members[2]!.medianRank);
    expect(r.meanOverlap).toBeGreaterThan(0.66);
    expect(rankStability(cols, measure, { k: 3, resamples: 200, seed: 9 })).toMatchObject({ members: r.members, meanOverlap: r.meanOverlap });
  });

  it('resampling draws rows with replacement and keeps columns in step', () => {
    const c = columns(4, [[0, 1], [1, 2], [2, 3]], [1, 2, 3], [10, 20, 30]);
    const r = resampleRows(c, createRng(1));
    for (let i = 0; i < 3; i++) {
      const j = r.source[i]!;
      expect(r.target[i]).toBe(j + 1);
      expect(r.weight![i]).toBe(j + 1);
      expect(r.timestamp![i]).toBe(10 * (j + 1));
    }
  });
});

describe('rising stars and trajectories', () => {
  it('largest rank gain first, ties share competition ranks', () => {
    const before = Float64Array.of(10, 9, 8, 1, 0, 0);
    const after = Float64Array.of(10, 1, 8, 9, 5, 0);
    // Ranks before: 1, 2, 3, 4, 5, 5; after: 1, 5, 3, 2, 4, 6. Gains: 3 -> +2, 4 -> +1.
    expect(risingStars(before, after)).toEqual([
      { node: 3, rankBefore: 4, rankAfter: 2, gain: 2, scoreBefore: 1, scoreAfter: 9 },
      { node: 4, rankBefore: 5, rankAfter: 4, gain: 1, scoreBefore: 0, scoreAfter: 5 },
    ]);
  });

  it('trajectory ranks members per window', () => {
    // Window [0,10): 2 acts towards 0 twice, towards 1 once; window [10,20): 2 acts towards 1 three times.
    const c = columns(3, [[2, 0], [2, 0], [2, 1], [2, 1], [2, 1], [2, 1]], undefined, [1, 2, 3, 11, 12, 13]);
    const t = trajectory(c, (_, g) => inStrength(g), { windowMs: 10, members: [0, 1], from: 0, to: 20 });
    expect(t.windows).toEqual([{ from: 0, to: 10, rows: 3 }, { from: 10, to: 20, rows: 3 }]);
    expect(t.members).toEqual([{ node: 0, ranks: [1, 2], scores: [2, 0] }, { node: 1, ranks: [2, 1], scores: [1, 3] }]);
    // Without `from`, windows end at the latest interaction (13, so at 14) as the API's do, and
    // reach back to cover the first (1): [-6, 4) and [4, 14).
    const aligned = trajectory(c, (_, g) => inStrength(g), { windowMs: 10, members: [0, 1] });
    expect(aligned.windows).toEqual([{ from: -6, to: 4, rows: 3 }, { from: 4, to: 14, rows: 3 }]);
  });
});
