import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../engine/graph/builder.js';
import { tieAnswer, tieMemberRows, tieRow } from '../../../engine/rank/ties.js';
import { columns } from './graphs.js';

/**
 * Two triangles {0,1,2} and {3,4,5} joined by the one-way tie 2->3, messages with timestamps
 * (seconds, as ms). Every expected number below is counted by hand from these rows.
 */
const PAIRS: [number, number][] = [
  [0, 1], [1, 0], [0, 1], [1, 2], [2, 1], [2, 0], [0, 2], [0, 2], // triangle A, all two-way
  [3, 4], [4, 3], [4, 5], [5, 4], [5, 3], [3, 5], [3, 4], // triangle B, all two-way
  [2, 3], // the bridge, one way
];
const TS = PAIRS.map((_, i) => (i + 1) * 1000);
const COMMUNITY = Int32Array.from([0, 0, 0, 1, 1, 1]);

describe('tie answer: strong, weak, bridges', () => {
  it('classes ties by the documented rule and counts rows, latest time and bridges per member', () => {
    const cols = columns(6, PAIRS, undefined, TS);
    const g = buildGraph(cols, { directed: true, weighted: true });
    const a = tieAnswer(g, cols, COMMUNITY);
    const byKey = new Map<string, ReturnType<typeof tieRow>>();
    for (let t = 0; t < a.totals.ties; t++) {
      const r = tieRow(a, t, String);
      byKey.set(`${r.source}-${r.target}`, r);
    }
    // 7 ties: three per triangle and the bridge. Weights (both directions summed): {0,1} 3, {0,2} 3,
    // {1,2} 2, {3,4} 3, {3,5} 2, {4,5} 2, {2,3} 1: median 2. Overlap: triangle ties whose ends have
    // no other neighbour give 1/(1+1-1) = 1; {0,2}, {1,2}: k_2 = 3, so 1/(1+2-1) = 0.5, likewise
    // {3,4}, {3,5}; {2,3}: no common neighbour, 0. Overlaps sorted 0, .5, .5, .5, .5, 1, 1: median 0.5.
    expect(a.rule.medianWeight).toBe(2);
    expect(a.rule.medianOverlap).toBe(0.5);
    expect(a.rule.usesWeight && a.rule.usesReciprocity).toBe(true);
    // Strong needs two-way, weight >= 2 and overlap >= 0.5 (and > 0): every triangle tie; the
    // one-way {2,3} (overlap 0) is weak.
    expect([...byKey.values()].filter((r) => r.class === 'strong').map((r) => `${r.source}-${r.target}`))
      .toEqual(['0-1', '0-2', '1-2', '3-4', '3-5', '4-5']);
    expect(byKey.get('2-3')).toEqual({
      source: '2', target: '3', weight: 1, count: 1, reciprocal: false, overlap: 0, class: 'weak', bridge: true,
      last: new Date(16000).toISOString(),
    });
    expect(byKey.get('0-2')!.count).toBe(3);
    expect(byKey.get('0-2')!.last).toBe(new Date(8000).toISOString());
    expect(a.totals).toEqual({ ties: 7, strong: 6, weak: 1, bridges: 1 });
    const members = tieMemberRows(a, String);
    expect(members[0]).toEqual({ id: '2', ties: 3, strong: 2, strongShare: 2 / 3, bridges: 1 });
    expect(members.find((m) => m.id === '0')).toEqual({ id: '0', ties: 2, strong: 2, strongShare: 1, bridges: 0 });
    expect(a.rule.text).toBe('strong = two-way and weight >= 2 (median) and overlap >= 0.5 (median) and > 0; weak otherwise; bridge = weak tie between two communities');
    // One more row on {4,5}: weights 3,3,2,3,2,3,1, median 3, so {1,2} and {3,5} (weight 2) turn
    // weak, and a weak tie inside a community is no bridge.
    const more = columns(6, [...PAIRS, [4, 5]], undefined, [...TS, 17000]);
    const b = tieAnswer(buildGraph(more, { directed: true, weighted: true }), more, COMMUNITY);
    expect(b.rule.medianWeight).toBe(3);
    expect(b.totals).toEqual({ ties: 7, strong: 4, weak: 3, bridges: 1 });
    // Strongest first: weight 3 ties by overlap, then index.
    expect(Array.from(a.order.slice(0, 3), (t) => `${a.kernel.source[t]}-${a.kernel.target[t]}`)).toEqual(['0-1', '0-2', '3-4']);
  });

  it('counts only the rows the window kept, and drops criteria on which every tie is equal', () => {
    const cols = columns(6, PAIRS, undefined, TS);
    // Rows 9..16 (ms 9000..16999): triangle B and the bridge only; {0,1}, {0,2}, {1,2} are not ties.
    const window = { from: 9000, to: 17000 };
    const g = buildGraph(cols, { directed: true, weighted: true, window });
    const a = tieAnswer(g, cols, COMMUNITY, { window });
    expect(a.totals.ties).toBe(4);
    expect(a.count.reduce((s, x) => s + x, 0)).toBe(8);
    // Undirected and unweighted: neither reciprocity nor weight separates ties (every tie meets
    // both), overlap alone does.
    const u = buildGraph(cols, { directed: false, weighted: false });
    const b = tieAnswer(u, cols, COMMUNITY);
    expect(b.rule.usesWeight || b.rule.usesReciprocity).toBe(false);
    expect(b.rule.text).toBe('strong = overlap >= 0.5 (median) and > 0; weak otherwise; bridge = weak tie between two communities');
    expect(b.totals.strong).toBe(6);
    expect(b.last).not.toBeNull();
  });
});
