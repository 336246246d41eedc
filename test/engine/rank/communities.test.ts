import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildGraph, type EdgeColumns } from '../../../engine/graph/builder.js';
import { leiden } from '../../../engine/algorithms/leiden.js';
import {
  communityActivity, communityFlow, communitySummaries, LIFECYCLE_DEFAULTS, LIFECYCLE_LABELS, lifecycleOf,
} from '../../../engine/rank/communities.js';
import { ROOT } from '../../helpers/reference.js';

const DAY = 24 * 3600 * 1000;

function cols(n: number, src: number[], dst: number[], w: number[] | null, ts: number[] | null = null): EdgeColumns {
  return {
    nodeCount: n, source: Int32Array.from(src), target: Int32Array.from(dst), weight: w && Float64Array.from(w),
    timestamp: ts && Float64Array.from(ts), type: null, typeNames: [],
  };
}

describe('community summaries', () => {
  // Two triangles {0,1,2} and {3,4,5} joined by 2-3, plus a chord 0-1 weighing 3 and a lone node 6.
  const c = cols(7, [0, 1, 2, 3, 4, 5, 2], [1, 2, 0, 4, 5, 3, 3], [3, 1, 1, 1, 1, 1, 2]);
  const g = buildGraph(c, { directed: true, weighted: true });
  const memb = Int32Array.of(0, 0, 0, 1, 1, 1, 2);

  it('size, internal/external weight, density, conductance and top members by internal strength', () => {
    const s = communitySummaries(g, memb, 2);
    expect([...s.size]).toEqual([3, 3, 1]);
    expect([...s.internalWeight]).toEqual([5, 3, 0]);
    expect([...s.externalWeight]).toEqual([2, 2, 0]);
    expect([...s.density]).toEqual([1, 1, 0]);
    // vol0 = 2*5 + 2 = 12, 2m = 20: 2 / min(12, 8).
    expect(s.conductance[0]).toBeCloseTo(2 / 8, 15);
    expect(Number.isNaN(s.conductance[2])).toBe(true);
    // Internal strength: node 0: 3+1, node 1: 3+1, node 2: 1+1 -> 0, 1 (tie by index).
    expect([...s.topMembers.subarray(0, 2)]).toEqual([0, 1]);
    expect([...s.topMembers.subarray(4, 6)]).toEqual([6, -1]);
  });

  it('flow: directed community-to-community weight, CSR with sorted columns, totals preserved', () => {
    const f = communityFlow(g, memb);
    expect([...f.offsets]).toEqual([0, 2, 3, 3]);
    expect([...f.targets]).toEqual([0, 1, 1]);
    expect([...f.weights]).toEqual([5, 2, 3]);
    const u = buildGraph(c, { directed: false, weighted: true });
    const fu = communityFlow(u, memb);
    // Undirected: each edge both ways, so i->j equals j->i and the total is 2m.
    expect(fu.weights.reduce((a, b) => a + b, 0)).toBe(20);
    expect([...fu.targets]).toEqual([0, 1, 0, 1]);
  });

  it('activity per week (Monday buckets) and the documented life-cycle thresholds', () => {
    const monday = Date.UTC(2024, 0, 1); // a Monday
    const src: number[] = [], dst: number[] = [], ts: number[] = [];
    // Community 0 (nodes 0-2): 1 row/week for 8 weeks, then 4/week for 4 weeks (growing).
    // Community 1 (nodes 3-5): 4/week for 8 weeks, then nothing (dormant).
    for (let wk = 0; wk < 12; wk++) {
      const n0 = wk < 8 ? 1 : 4, n1 = wk < 8 ? 4 : 0;
      for (let i = 0; i < n0; i++) { src.push(0); dst.push(1); ts.push(monday + wk * 7 * DAY + DAY); }
      for (let i = 0; i < n1; i++) { src.push(3); dst.push(4); ts.push(monday + wk * 7 * DAY + 2 * DAY); }
    }
    src.push(2); dst.push(3); ts.push(monday + 3 * DAY); // cross row: counts for both communities
    const a = communityActivity(memb, cols(7, src, dst, null, ts))!;
    expect(a.origin).toBe(monday);
    expect(a.buckets).toBe(12);
    expect(a.activity[0]).toBe(2);
    expect(a.activity[a.buckets]).toBe(5);
    expect(LIFECYCLE_LABELS[a.lifecycle[0]!]).toBe('growing');
    expect(LIFECYCLE_LABELS[a.lifecycle[1]!]).toBe('dormant');
    expect(LIFECYCLE_LABELS[a.lifecycle[2]!]).toBe('dormant');
    expect(communityActivity(memb, cols(7, [0], [1], null))).toBeNull();
    const life = (xs: number[]) => LIFECYCLE_LABELS[lifecycleOf(Float64Array.from(xs), LIFECYCLE_DEFAULTS)];
    expect(life([4, 4, 4, 4, 4, 4, 4, 4])).toBe('active');
    expect(life([4, 4, 4, 4, 2, 2, 2, 2])).toBe('cooling');
    expect(life([10, 10, 10, 10, 1, 0, 0, 0])).toBe('dormant');
    expect(life([0, 0, 0, 0, 1, 1, 1, 1])).toBe('growing');
  });

  it('on CollegeMsg: activity sums match the rows each community touches', () => {
    const text = zlib.gunzipSync(fs.readFileSync(path.join(ROOT, 'datasets/CollegeMsg/CollegeMsg.txt.gz'))).toString('utf8');
    const ids = new Map<string, number>(), src: number[] = [], dst: number[] = [], ts: number[] = [];
    const id = (s: string) => { let i = ids.get(s); if (i === undefined) { i = ids.size; ids.set(s, i); } return i; };
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const [a, b, t] = line.split(' ');
      src.push(id(a!)); dst.push(id(b!)); ts.push(Number(t) * 1000);
    }
    const c2 = cols(ids.size, src, dst, null, ts);
    const g2 = buildGraph(c2, { directed: true, weighted: true });
    const r = leiden(g2);
    const act = communityActivity(r.membership, c2)!;
    let want = 0;
    for (let i = 0; i < src.length; i++) want += r.membership[src[i]!] === r.membership[dst[i]!] ? 1 : 2;
    expect(act.activity.reduce((x, y) => x + y, 0)).toBe(want);
    expect(act.buckets).toBeGreaterThan(25); // ~193 days of messages
    const s = communitySummaries(g2, r.membership);
    expect(s.size.reduce((x, y) => x + y, 0)).toBe(g2.n);
    const f = communityFlow(g2, r.membership);
    let total = 0;
    for (let e = 0; e < g2.m; e++) total += g2.outWeights?.[e] ?? 1;
    expect(f.weights.reduce((x, y) => x + y, 0)).toBeCloseTo(total, 9);
  });
});
