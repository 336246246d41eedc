import { describe, expect, it } from 'vitest';
import { roleOf, roles } from '../../../engine/rank/roles.js';
import { edgesGraph } from './graphs.js';

describe('Guimera-Amaral roles', () => {
  it('matches a hand computation on two triangles joined by a bridge, plus a pendant', () => {
    // Community A = {0,1,2} (triangle), B = {3,4,5} (triangle) + 6 hanging off 5; bridge 2-3.
    // Degrees: 0:2, 1:2, 2:3, 3:3, 4:2, 5:3, 6:1.
    // Within-community degree: A: 0:2, 1:2, 2:2 -> mean 2, sd 0 -> z = 0 for all.
    //   B = {3,4,5,6}: 3:2, 4:2, 5:3, 6:1 -> mean 2, population sd sqrt(((0)+(0)+(1)+(1))/4) = sqrt(0.5)
    //   -> z(5) = 1/sqrt(.5) = 1.41421, z(6) = -1.41421, z(3) = z(4) = 0.
    // Participation: node 2 has 2 of 3 links in A, 1 in B: P = 1 - (4/9 + 1/9) = 4/9 = 0.4444 (R2);
    //   node 3 likewise 4/9; every other node links inside its community only: P = 0 (R1).
    const g = edgesGraph(7, [[0, 1], [1, 2], [2, 0], [3, 4], [4, 5], [5, 3], [2, 3], [5, 6]], false);
    const r = roles(g, Int32Array.of(0, 0, 0, 1, 1, 1, 1));
    const z = [0, 0, 0, 0, 0, Math.SQRT2, -Math.SQRT2];
    z.forEach((want, i) => expect(r.z[i]).toBeCloseTo(want, 12));
    const p = [0, 0, 4 / 9, 4 / 9, 0, 0, 0];
    p.forEach((want, i) => expect(r.participation[i]).toBeCloseTo(want, 12));
    expect(Array.from(r.role)).toEqual([1, 1, 2, 2, 1, 1, 1]);
    expect(Array.from(r.communitiesLinked)).toEqual([1, 1, 2, 2, 1, 1, 1]);
  });

  it('finds a connector hub: a centre linked evenly to three communities of leaves', () => {
    // Community 0 = {0 (hub), 1..9} ... the hub links to 1..9 (community 0), 10..18 (1), 19..27 (2):
    // k_hub,0 = 9 while every other member of community 0 has 1 -> z = (9 - 1.8) / sd with
    // mean = (9 + 9*1)/10 = 1.8, sd = sqrt((9^2 + 9*1)/10 - 1.8^2) = sqrt(9 - 3.24) = 2.4 -> z = 3;
    // P = 1 - 3 * (1/3)^2 = 2/3 -> R6 connector hub.
    const pairs: [number, number][] = [];
    for (let v = 1; v <= 27; v++) pairs.push([0, v]);
    const mem = Int32Array.from({ length: 28 }, (_, i) => (i === 0 ? 0 : Math.floor((i - 1) / 9)));
    const r = roles(edgesGraph(28, pairs, false), mem);
    expect(r.z[0]).toBeCloseTo(3, 12);
    expect(r.participation[0]).toBeCloseTo(2 / 3, 12);
    expect(r.role[0]).toBe(6);
  });

  it('classifies the R1..R7 boundaries as the paper draws them', () => {
    expect([roleOf(0, 0.05), roleOf(0, 0.06), roleOf(0, 0.62), roleOf(0, 0.63), roleOf(0, 0.8), roleOf(0, 0.81)]).toEqual([1, 2, 2, 3, 3, 4]);
    expect([roleOf(2.5, 0.3), roleOf(2.5, 0.31), roleOf(3, 0.75), roleOf(3, 0.76)]).toEqual([5, 6, 6, 7]);
  });
});
