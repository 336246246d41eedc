import { describe, expect, it } from 'vitest';
import { competitionRanks, midrankPercentiles, topK } from '../../../engine/rank/percentile.js';
import { sentence, SUPERNODE_COMPONENTS, superNodes } from '../../../engine/rank/supernodes.js';
import { brokers, communitiesLinked } from '../../../engine/rank/brokers.js';
import { leaderWhy, opinionLeaders } from '../../../engine/rank/leaders.js';
import { edgesGraph } from './graphs.js';

describe('percentiles', () => {
  it('mid-rank: ties share the mean of their ranks, NaN is lowest', () => {
    // Values 5, 1, 5, 3, NaN (n = 5): below 5 are 3 members, tied 2 -> (3 + 1) / 5 = 0.8;
    // 3: 2 below -> (2 + .5) / 5 = .5; 1: 1 below (NaN) -> .3; NaN: .1.
    expect(Array.from(midrankPercentiles([5, 1, 5, 3, Number.NaN]))).toEqual([0.8, 0.3, 0.8, 0.5, 0.1]);
    expect(Array.from(competitionRanks([5, 1, 5, 3, Number.NaN]))).toEqual([1, 4, 1, 3, 5]);
    expect(topK([5, 1, 5, 3], 3)).toEqual([0, 2, 3]);
  });

  it('equal the counting definition (naive twin) on random values with ties, NaN and signed zeros', () => {
    let state = 12345;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + Math.floor(next() * 60);
      const x = Array.from({ length: n }, () => {
        const r = next();
        return r < 0.1 ? Number.NaN : r < 0.15 ? -0 : r < 0.2 ? 0 : Math.floor(next() * 10) - 3;
      });
      const lower = (a: number, b: number) => (Number.isNaN(a) ? !Number.isNaN(b) : !Number.isNaN(b) && a < b);
      const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));
      const pct = x.map((v) => (x.filter((w) => lower(w, v)).length + 0.5 * x.filter((w) => same(w, v)).length) / n);
      const rank = x.map((v) => 1 + x.filter((w) => lower(v, w)).length);
      expect(Array.from(midrankPercentiles(x))).toEqual(pct);
      expect(Array.from(competitionRanks(x))).toEqual(rank);
    }
  });
});

describe('super-nodes', () => {
  const n = 1000;
  const measures = {
    influence: Float64Array.from({ length: n }, (_, i) => i),
    reach: Float64Array.from({ length: n }, (_, i) => (i * 7919) % n),
    embeddedness: Float64Array.from({ length: n }, (_, i) => Math.floor(i / 100)),
    brokerage: Float64Array.from({ length: n }, (_, i) => (i === 3 ? Number.NaN : n - i)),
  };

  it('explains every member: shares sum to the score, percentiles and raw values are reported', () => {
    const linked = Int32Array.from({ length: n }, (_, i) => i % 5);
    const r = superNodes(measures, { top: 50, communitiesLinked: linked });
    expect(r.ranking).toHaveLength(50);
    for (const m of r.ranking) {
      const sum = SUPERNODE_COMPONENTS.reduce((a, c) => a + m.components[c].share, 0);
      expect(sum).toBeCloseTo(m.score, 12);
      expect(m.score).toBe(r.scores[m.node]);
      expect(m.components.influence.raw).toBe(m.node);
      expect(m.sentence).toMatch(/\.$/);
    }
    for (let i = 1; i < r.ranking.length; i++) expect(r.ranking[i]!.score).toBeLessThanOrEqual(r.ranking[i - 1]!.score);
    // Node 999: influence rank 1 -> "top 0.1%"; embeddedness: 100 members tie at the top value, so
    // each is in the top 100/1000 = 10% (ties count as at-or-above), not the top 0.1%.
    const top = superNodes(measures, { top: n, communitiesLinked: linked }).ranking.find((m) => m.node === 999)!;
    expect(top.components.influence.percentile).toBeCloseTo(0.9995, 12);
    expect(top.components.embeddedness.percentile).toBeCloseTo((900 + 50) / 1000, 12);
    // Reach of node 999 = 999 * 7919 mod 1000 = 81 (the measure above).
    expect(top.sentence).toBe(`#${top.rank} of 1,000: top 0.1% by influence and top 10% by core embeddedness; 81 members within two hops; links 4 communities.`);
    expect(superNodes(measures, { top: 5000 }).ranking.find((m) => m.node === 3)!.components.brokerage.raw).toBeNull();
  });

  it('weights are configurable and renormalised; a single-component ranking follows that component', () => {
    const r = superNodes(measures, { weights: { influence: 2, reach: 0, embeddedness: 0, brokerage: 0 }, top: 3 });
    expect(r.weights.influence).toBe(1);
    expect(r.ranking.map((m) => m.node)).toEqual([999, 998, 997]);
    expect(() => superNodes(measures, { weights: { influence: -1 } })).toThrow(/non-negative/);
  });
});

describe('explanation wording by percentile band', () => {
  /** One member's components with the given at-or-above shares (no ties: pct = 1 - top + 1/(2n)). */
  const at = (tops: Record<'influence' | 'reach' | 'embeddedness' | 'brokerage', number>, n = 1000) => Object.fromEntries(
    Object.entries(tops).map(([c, top]) => {
      const rank = Math.round(top * n);
      return [c, { raw: c === 'reach' ? 120 : 1, percentile: 1 - (rank - 0.5) / n, rank, weight: 0.25, share: 0 }];
    }),
  ) as Parameters<typeof sentence>[0];

  it('praises only the top 10%, says "above most" to 25%, "above the median" to 50%, and "below the median" beyond', () => {
    expect(sentence(at({ influence: 0.004, reach: 0.03, embeddedness: 0.5, brokerage: 0.6 }), 1000, 3, 0.1, { rank: 1, received: 1234, senders: 89 }))
      .toBe('#1 of 1,000: top 0.4% by influence and top 3% by two-hop reach; 1,234 interactions received from 89 members, 120 members within two hops; links 3 communities.');
    expect(sentence(at({ influence: 0.2, reach: 0.3, embeddedness: 0.5, brokerage: 0.6 }), 1000, null, 0.1, { rank: 140 }))
      .toBe('#140 of 1,000: above most members on influence (top 20%); 120 members within two hops.');
    expect(sentence(at({ influence: 0.4, reach: 0.45, embeddedness: 0.5, brokerage: 0.6 }), 1000, null))
      .toBe('Above the median on influence (top 40%); 120 members within two hops.');
    // The 66th-percentile member of the issue: no "Strongest on" praise.
    expect(sentence(at({ influence: 0.66, reach: 0.7, embeddedness: 0.8, brokerage: 0.9 }), 1000, 1, 0.1, { rank: 700, received: 1, senders: 1 }))
      .toBe('#700 of 1,000: below the median on every measure (best: influence, top 66%); 1 interaction received from 1 member, 120 members within two hops.');
  });
});

describe('brokers and opinion leaders', () => {
  // Two communities {0,1,2} and {3,4,5} (directed triangles), broker 6 talks to 0 and 3; 7 isolated.
  const g = edgesGraph(8, [[0, 1], [1, 2], [2, 0], [3, 4], [4, 5], [5, 3], [6, 0], [6, 3], [1, 0], [2, 0]]);
  const mem = Int32Array.of(0, 0, 0, 1, 1, 1, 2, 3);

  it('ranks by lowest constraint, skips NaN and lists the communities linked', () => {
    expect(Array.from(communitiesLinked(g, mem))).toEqual([2, 1, 1, 2, 1, 1, 2, 0]);
    const constraint = Float64Array.of(0.6, 0.9, 0.9, 0.6, 0.9, 0.9, 0.5, Number.NaN);
    const b = brokers(g, mem, { constraint, betweenness: Float64Array.of(4, 0, 0, 4, 0, 0, 5, 0) }, { top: 3 });
    expect(b.map((x) => x.node)).toEqual([6, 0, 3]);
    expect(b[0]).toMatchObject({ rank: 1, value: 0.5, betweenness: 5, community: 2, communities: [0, 1], effectiveSize: null });
    expect(brokers(g, mem, { constraint }, { top: 10, minCommunities: 2 }).map((x) => x.node)).toEqual([6, 0, 3]);
    expect(() => brokers(g, mem, { constraint }, { by: 'betweenness' })).toThrow(/needs the betweenness/);
  });

  it('opinion leaders: within-community in-strength (credit to the target) and induced-subgraph PageRank', () => {
    const r = opinionLeaders(g, mem, { top: 2, minSize: 2 });
    // Community 0 (unweighted: the repeated 2 -> 0 collapses): arcs 0->1, 1->2, 2->0, 1->0 -> in-strength
    // 0: 2, 1: 1, 2: 1 (6 -> 0 comes from outside and does not count); the tie 1/2 goes to the lower index.
    // Internal interactions of community 0: 2 + 1 + 1 = 4, so member 0 holds half of them.
    expect(r.communities[0]).toEqual({
      community: 0, size: 3, internal: 4,
      leaders: [{ node: 0, rank: 1, score: 2, received: 2, senders: 2, share: 0.5 }, { node: 1, rank: 2, score: 1, received: 1, senders: 1, share: 0.25 }],
    });
    expect(leaderWhy(r.communities[0]!, r.communities[0]!.leaders[0]!)).toBe("#1 of 3 in community 0: 2 interactions from 2 of its members, 50% of the community's internal interactions.");
    expect(leaderWhy(r.communities[0]!, r.communities[0]!.leaders[1]!)).toBe("#2 of 3 in community 0: 1 interaction from 1 of its members, 25% of the community's internal interactions.");
    expect(r.communities.map((c) => c.community)).toEqual([0, 1]);
    const p = opinionLeaders(g, mem, { top: 3, method: 'pagerank' });
    expect(p.communities[0]!.leaders[0]!.node).toBe(0);
    expect(p.communities[1]!.leaders.map((l) => l.score).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });
});
