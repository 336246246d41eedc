import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../engine/graph/builder.js';
import { corePeripheryAnswer, cpMemberRows, latestTime } from '../../../engine/rank/core-periphery.js';
import { columns } from './graphs.js';

const DAY = 864e5;

/**
 * 30 members over two 10-day windows. Before: a clique on 0..5, each of 6..23 tied to two of them.
 * Now: a clique on 6..11, each of 0..5 and 12..23 tied to two of 6..11; 24..29 appear only now,
 * as periphery. So 6..11 moved into the core, 0..5 left it; expected from the construction.
 */
function planted() {
  const pairs: [number, number][] = [], ts: number[] = [];
  const add = (u: number, v: number, t: number) => { pairs.push([u, v]); ts.push(t); };
  const era = (core: number[], rest: number[], t: number) => {
    for (let i = 0; i < core.length; i++) for (let j = i + 1; j < core.length; j++) add(core[i]!, core[j]!, t);
    rest.forEach((p, k) => { add(p, core[k % core.length]!, t); add(p, core[(k + 1) % core.length]!, t); });
  };
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
  era(range(0, 6), range(6, 24), 5 * DAY);
  era(range(6, 12), [...range(0, 6), ...range(12, 30)], 15 * DAY);
  return columns(30, pairs, undefined, ts);
}

describe('core-periphery answer', () => {
  it('says who moved into and out of the core between the last two windows', () => {
    const cols = planted();
    const g = buildGraph(cols, { directed: true, weighted: true });
    const a = corePeripheryAnswer(g, { latest: latestTime(cols.timestamp), span: 10 * DAY, build: (window) => buildGraph(cols, { directed: true, weighted: true, window }) });
    const mv = a.movement!;
    expect(mv.windows.map((w) => w.coreSize)).toEqual([6, 6]);
    expect(mv.joined.map((m) => m.node).sort((x, y) => x - y)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(mv.joined.every((m) => m.before === 'periphery' && m.now === 'core')).toBe(true);
    expect(mv.left.map((m) => m.node).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(mv.left.every((m) => m.before === 'core' && m.now === 'periphery')).toBe(true);
    // Members new in the last window are periphery, not movers.
    expect(mv.joined.some((m) => m.before === 'absent')).toBe(false);
    const rows = cpMemberRows(a, String);
    expect(rows[0]!.coreness).toBe(1);
    expect(rows.filter((r) => r.position === 'core')).toHaveLength(a.fit.coreSize);
  });

  it('gives no movement without timestamps', () => {
    const cols = { ...planted(), timestamp: null };
    const a = corePeripheryAnswer(buildGraph(cols, { directed: true, weighted: true }), null);
    expect(a.movement).toBeNull();
  });
});
