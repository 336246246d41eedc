/**
 * engine/limits.ts: the timestamp window and its hint, the INPUT_LIMIT message, limit values, and
 * the activity bucket coarsening, checked against a naive count (every row put in its bucket by
 * division, buckets laid out from the Monday rule by hand).
 */
import { describe, expect, it } from 'vitest';
import { SupernodeError } from '../../engine/errors.js';
import {
  activityBuckets, API_LIMIT_FLAGS, inTimeWindow, limitError, limitValue, MAX_ACTIVITY_BUCKETS, MAX_ACTIVITY_CELLS,
  TIMESTAMP_MAX_MS, TIMESTAMP_MIN_MS, timestampProblem,
} from '../../engine/limits.js';
import { communityActivity } from '../../engine/rank/communities.js';
import type { EdgeColumns } from '../../engine/graph/builder.js';

const WEEK = 7 * 86400e3;
const MONDAY = 4 * 86400e3; // 1970-01-05, a Monday

describe('timestamp window', () => {
  it('is 1900-01-01 inclusive to 2200-01-01 exclusive (UTC)', () => {
    expect(new Date(TIMESTAMP_MIN_MS).toISOString()).toBe('1900-01-01T00:00:00.000Z');
    expect(new Date(TIMESTAMP_MAX_MS).toISOString()).toBe('2200-01-01T00:00:00.000Z');
    expect(inTimeWindow(TIMESTAMP_MIN_MS)).toBe(true);
    expect(inTimeWindow(TIMESTAMP_MAX_MS - 1)).toBe(true);
    expect(inTimeWindow(TIMESTAMP_MAX_MS)).toBe(false);
    expect(inTimeWindow(TIMESTAMP_MIN_MS - 1)).toBe(false);
    expect(inTimeWindow(NaN)).toBe(false);
    // Well inside JavaScript's own Date range (+-8.64e15 ms).
    expect(TIMESTAMP_MAX_MS).toBeLessThan(8.64e15);
    expect(TIMESTAMP_MIN_MS).toBeGreaterThan(-8.64e15);
  });

  it('NaN (no timestamp) is fine; milliseconds read as seconds get the --time-unit hint', () => {
    expect(timestampProblem(NaN, 1000)).toBeNull();
    expect(timestampProblem(1_700_000_000_000, 1000)).toBeNull();
    expect(timestampProblem(1_700_000_000_000 * 1000, 1000)).toMatch(/read as seconds.*--time-unit ms/);
    expect(timestampProblem(1e23, 1000)).not.toMatch(/--time-unit/);
    expect(timestampProblem(-99_999_999_999_999_000, 1000)).toMatch(/outside the supported range 1900-01-01\.\.2199-12-31/);
    expect(timestampProblem(1e20, 1)).toMatch(/read as milliseconds/);
  });
});

describe('limit errors and values', () => {
  it('INPUT_LIMIT names the limit and the flag, located when a line is known', () => {
    const e = limitError('line', 64, API_LIMIT_FLAGS, { file: 'up', line: 3, column: 1 });
    expect(e).toBeInstanceOf(SupernodeError);
    expect(e).toMatchObject({ code: 'INPUT_LIMIT', line: 3 });
    expect(e.message).toBe('up:3:1: the line is longer than 64 bytes (the limit; raise it with --max-line-bytes (SUPERNODE_MAX_LINE_BYTES))');
    expect(limitError('rows', 5, API_LIMIT_FLAGS, { file: 'up' }).message).toMatch(/^up: the input exceeds 5 edge rows .*--max-upload-rows/);
  });

  it('a limit is a positive safe integer', () => {
    expect(limitValue('4096', '--x')).toBe(4096);
    for (const bad of ['0', '-1', '1.5', 'abc', '', '1e400', String(2 ** 60)]) {
      expect(() => limitValue(bad, '--x'), bad).toThrow(/--x must be a positive integer/);
    }
  });
});

/** Naive activity: each row counted in bucket floor((t - origin) / width) of its communities. */
function naive(ts: number[], comm: number[][], k: number, width: number, origin: number, buckets: number): Float64Array {
  const out = new Float64Array(k * buckets);
  ts.forEach((t, i) => {
    const b = Math.floor((t - origin) / width);
    for (const c of new Set(comm[i]!)) out[c * buckets + b]!++;
  });
  return out;
}

describe('activity buckets', () => {
  it('a span that fits keeps one-week buckets from the Monday on or before the first row', () => {
    const lo = Date.UTC(2024, 0, 3), hi = Date.UTC(2024, 2, 1); // Wed 3 Jan .. 1 Mar 2024
    const r = activityBuckets(lo, hi, WEEK, 10, MONDAY);
    expect(r).toMatchObject({ bucketMs: WEEK, factor: 1, origin: Date.UTC(2024, 0, 1), buckets: 9 });
  });

  it('300 years are coarsened to whole weeks: 31 per bucket, at most MAX_ACTIVITY_BUCKETS buckets', () => {
    const r = activityBuckets(Date.UTC(1900, 0, 2), Date.UTC(2199, 11, 31), WEEK, 3, MONDAY);
    // 15 653 weeks from 1900 to 2199: ceil(15653 / 520) = 31 weeks per bucket.
    expect(r.factor).toBe(31);
    expect(r.buckets).toBeLessThanOrEqual(MAX_ACTIVITY_BUCKETS);
    expect(r.origin).toBeLessThanOrEqual(Date.UTC(1900, 0, 2));
    expect((r.origin - MONDAY) % WEEK === 0).toBe(true); // still a Monday (the remainder is -0 before 1970)
    expect(r.origin + r.buckets * r.bucketMs).toBeGreaterThan(Date.UTC(2199, 11, 31));
  });

  it('many communities shrink the buckets so communities x buckets stays within MAX_ACTIVITY_CELLS', () => {
    const r = activityBuckets(Date.UTC(2000, 0, 1), Date.UTC(2010, 0, 1), WEEK, 100_000, MONDAY);
    expect(100_000 * r.buckets).toBeLessThanOrEqual(MAX_ACTIVITY_CELLS);
    const one = activityBuckets(0, Date.UTC(2100, 0, 1), WEEK, 5_000_000, MONDAY);
    expect(one.buckets).toBe(1); // more communities than cells: one bucket each, never zero
  });

  it('communityActivity over a coarsened span equals the naive count', () => {
    // Seeded LCG: rows spread over 1900..2199 between 4 communities of 8 members.
    let x = 7;
    const rnd = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const n = 32, rows = 400;
    const membership = Int32Array.from({ length: n }, (_, v) => v % 4);
    const source = new Int32Array(rows), target = new Int32Array(rows), timestamp = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      source[i] = Math.floor(rnd() * n); target[i] = Math.floor(rnd() * n);
      timestamp[i] = Math.floor(TIMESTAMP_MIN_MS + rnd() * (TIMESTAMP_MAX_MS - TIMESTAMP_MIN_MS));
    }
    const cols: EdgeColumns = { nodeCount: n, source, target, weight: null, timestamp, type: null, typeNames: [] };
    const a = communityActivity(membership, cols)!;
    expect(a.factor).toBeGreaterThan(1);
    expect(a.buckets).toBeLessThanOrEqual(MAX_ACTIVITY_BUCKETS);
    const comm = Array.from({ length: rows }, (_, i) => [membership[source[i]!]!, membership[target[i]!]!]);
    expect(Array.from(a.activity)).toEqual(Array.from(naive(Array.from(timestamp), comm, 4, a.bucketMs, a.origin, a.buckets)));
  });
});
