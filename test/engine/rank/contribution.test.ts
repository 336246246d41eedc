import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../engine/graph/builder.js';
import { contributionWindow, contributionWindows } from '../../../engine/rank/contribution.js';
import { columns } from './graphs.js';

/** The two triangles of test/engine/rank/ties.test.ts: {0,1,2} and {3,4,5}, all two-way, and 2 -> 3. */
const PAIRS: [number, number][] = [
  [0, 1], [1, 0], [0, 1], [1, 2], [2, 1], [2, 0], [0, 2], [0, 2],
  [3, 4], [4, 3], [4, 5], [5, 4], [5, 3], [3, 5], [3, 4], [2, 3],
];
const TS = PAIRS.map((_, i) => (i + 1) * 1000);
const COMMUNITY = Int32Array.from([0, 0, 0, 1, 1, 1]);

describe('contribution', () => {
  it('scores the hand-counted components', () => {
    const cols = columns(6, PAIRS, undefined, TS);
    const w = contributionWindow(buildGraph(cols, { directed: true, weighted: true }), cols, COMMUNITY, {});
    const byId = new Map(w.rows.map((r) => [r.node, r]));
    // Recognition (distinct members acting towards): 3 has 4, 5 and 2; everyone else 2.
    expect([0, 1, 2, 3, 4, 5].map((u) => byId.get(u)!.components.recognition.value)).toEqual([2, 2, 2, 3, 2, 2]);
    // Conversations: each two-way tie is credited to whoever wrote first ({0,2}: 2 at t6, 0 answered
    // at t7): 0 {0,1}, 1 {1,2}, 2 {0,2}, 3 {3,4}, 4 {4,5}, 5 {3,5}; {2,3} was never answered.
    expect([0, 1, 2, 3, 4, 5].map((u) => byId.get(u)!.components.conversations.value)).toEqual([1, 1, 1, 1, 1, 1]);
    expect([0, 1, 2, 3, 4, 5].map((u) => byId.get(u)!.components.bridges.value)).toEqual([0, 0, 1, 1, 0, 0]);
    expect([0, 1, 2, 3, 4, 5].map((u) => byId.get(u)!.components['cross-community'].value)).toEqual([0, 0, 1, 1, 0, 0]);
    // Mid-rank percentiles among the 6 active members: recognition 3 -> 5.5/6, 2 -> 2.5/6; all-equal
    // conversations 0.5; bridges/cross 1 -> 5/6, 0 -> 2/6. Scores: member 3 = 0.4*5.5/6 + 0.2*0.5
    // + 0.2*5/6 + 0.2*5/6 = 0.8; member 2 = 0.4*2.5/6 + 0.1 + 2*0.2*5/6 = 0.6; the rest 0.4.
    expect(w.rows.map((r) => [r.node, r.rank, r.points])).toEqual([[3, 1, 80], [2, 2, 60], [0, 3, 40], [1, 3, 40], [4, 3, 40], [5, 3, 40]]);
    expect(w.rows[0]!.score).toBeCloseTo(0.8, 12);
    const shares = Object.values(w.rows[0]!.components).reduce((s, c) => s + c.share, 0);
    expect(shares).toBeCloseTo(w.rows[0]!.score, 12);
    expect(w.interactions).toBe(16);
  });

  it('leaves conversations out without timestamps and shares its weight', () => {
    const cols = { ...columns(6, PAIRS), timestamp: null };
    const [w] = contributionWindows(cols, COMMUNITY, (window) => buildGraph(cols, { directed: true, weighted: true, window }), { span: 1, count: 3, latest: -Infinity });
    expect(w!.weights).toEqual({ recognition: 0.5, conversations: 0, bridges: 0.25, 'cross-community': 0.25 });
    expect(w!.rows[0]!.components.conversations).toEqual({ value: null, percentile: null, share: 0 });
    expect(w!.from).toBeNull();
  });

  it('gives consecutive windows ending at the latest interaction, oldest first, each counted alone', () => {
    const cols = columns(6, PAIRS, undefined, TS);
    const ws = contributionWindows(cols, COMMUNITY, (window) => buildGraph(cols, { directed: true, weighted: true, window }), { span: 8000, count: 2, latest: 16000 });
    expect(ws.map((w) => [w.from, w.to, w.interactions])).toEqual([[1, 8001, 8], [8001, 16001, 8]]);
    // The first window holds triangle A only: members 3..5 are absent there, not ranked last.
    expect(ws[0]!.rows.map((r) => r.node).sort()).toEqual([0, 1, 2]);
  });
});
