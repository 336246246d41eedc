import { describe, expect, it } from 'vitest';
import { parseDuration, resolveWindow } from '../../../engine/graph/window.js';
import type { EdgeColumns } from '../../../engine/graph/builder.js';

const DAY = 86_400_000;
const cols = (ts: number[]): EdgeColumns => ({
  nodeCount: 2, source: new Int32Array(ts.length), target: new Int32Array(ts.length).fill(1),
  weight: null, timestamp: Float64Array.from(ts), type: null, typeNames: [],
});

describe('time windows', () => {
  it('parses durations', () => {
    expect(parseDuration('30d')).toBe(30 * DAY);
    expect(parseDuration('12h')).toBe(12 * 3600_000);
    expect(parseDuration('2w')).toBe(14 * DAY);
    expect(() => parseDuration('30 days')).toThrow(/30d, 12h or 2w/);
  });

  it('a relative window ends at the latest interaction, inclusive', () => {
    const w = resolveWindow({ window: '1d' }, cols([0, 5 * DAY, 10 * DAY]))!;
    expect(w.to).toBe(10 * DAY + 1);
    expect(w.from).toBe(9 * DAY + 1);
  });

  it('explicit bounds: ISO dates or Unix seconds; --to is exclusive and caps the latest', () => {
    const w = resolveWindow({ from: '1970-01-02', to: '864000', window: '2d' }, cols([0, 5 * DAY, 20 * DAY]))!;
    expect(w.to).toBe(5 * DAY + 1);
    expect(w.from).toBe(Math.max(DAY, 3 * DAY + 1));
    expect(resolveWindow({}, cols([1]))).toBeUndefined();
    expect(() => resolveWindow({ window: '1d' }, { ...cols([1]), timestamp: null })).toThrow(/needs timestamps/);
    expect(() => resolveWindow({ from: 'yesterday' }, cols([1]))).toThrow(/not a date/);
  });
});
