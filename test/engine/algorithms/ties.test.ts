import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ties } from '../../../engine/algorithms/ties.js';
import type { CsrGraph } from '../../../engine/graph/csr.js';
import { CASES, loadCase, ROOT } from '../../helpers/reference.js';
import { arcs, fromPairs, randomGraph } from './_structure-graphs.js';

/** Naive twin: neighbour sets per node, every tie's common neighbours by set intersection. */
function naive(g: CsrGraph): { key: string; overlap: number; common: number; weight: number; reciprocal: boolean }[] {
  const nb = Array.from({ length: g.n }, () => new Set<number>());
  const arcSet = new Set<string>();
  const weight = new Map<string, number>();
  for (const [u, v, w] of arcs(g)) {
    if (u === v) continue;
    arcSet.add(`${u}>${v}`);
    nb[u]!.add(v); nb[v]!.add(u);
    const k = u < v ? `${u} ${v}` : `${v} ${u}`;
    // An undirected graph stores each edge twice with the same weight; a directed one sums u->v and
    // v->u; an unweighted graph's view is unweighted (every tie weighs 1).
    weight.set(k, g.outWeights === null ? 1 : (weight.get(k) ?? 0) + (g.directed ? w : w / 2));
  }
  const out = [];
  for (const k of [...weight.keys()].sort((a, b) => {
    const [a0, a1] = a.split(' ').map(Number), [b0, b1] = b.split(' ').map(Number);
    return a0! - b0! || a1! - b1!;
  })) {
    const [u, v] = k.split(' ').map(Number) as [number, number];
    let c = 0;
    for (const x of nb[u]!) if (nb[v]!.has(x)) c++;
    const den = nb[u]!.size - 1 + nb[v]!.size - 1 - c;
    out.push({ key: k, overlap: den > 0 ? c / den : 0, common: c, weight: weight.get(k)!, reciprocal: !g.directed || (arcSet.has(`${u}>${v}`) && arcSet.has(`${v}>${u}`)) });
  }
  return out;
}

describe('ties: neighbourhood overlap, weight, reciprocity', () => {
  it.each([
    ['directed', true, true], ['directed unweighted', true, false],
    ['undirected', false, true], ['undirected unweighted', false, false],
  ] as const)('equal the set-intersection twin on random %s graphs (self-loops on some)', (_, directed, weighted) => {
    for (let seed = 1; seed <= 12; seed++) {
      const n = 20 + 3 * seed;
      const g = randomGraph(n, 3 * n + 8 * seed, seed, { directed, weighted, keepSelfLoops: seed % 3 === 0 });
      const r = ties(g);
      const want = naive(g);
      expect(r.source.length).toBe(want.length);
      want.forEach((t, i) => {
        expect(`${r.source[i]} ${r.target[i]}`).toBe(t.key);
        expect(r.common[i]).toBe(t.common);
        expect(r.overlap[i]).toBeCloseTo(t.overlap, 14);
        expect(r.weight[i]).toBe(t.weight);
        expect(r.reciprocal[i] === 1).toBe(t.reciprocal);
      });
      // Every arc of the view maps to the tie of its two ends.
      for (let u = 0; u < r.view.n; u++) {
        for (let e = r.view.outOffsets[u]!; e < r.view.outOffsets[u + 1]!; e++) {
          const v = r.view.outTargets[e]!, t = r.tieOfArc[e]!;
          if (u === v) expect(t).toBe(-1);
          else expect([r.source[t], r.target[t]]).toEqual([Math.min(u, v), Math.max(u, v)]);
        }
      }
      if (directed) {
        // Share of arcs whose reverse exists, a kept self-loop counting as an arc without one.
        const a = arcs(g), set = new Set(a.map(([u, v]) => `${u}>${v}`));
        expect(r.reciprocity).toBeCloseTo(a.filter(([u, v]) => u !== v && set.has(`${v}>${u}`)).length / a.length, 14);
      } else expect(r.reciprocity).toBeNull();
    }
  });

  it('give the hand-worked values of a triangle with a pendant', () => {
    // 0-1-2 triangle, 3 hangs off 2: k = (2, 2, 3, 1). Tie {0,1}: n = 1, den = 1 + 1 - 1 = 1 -> 1.
    // {0,2}: n = 1, den = 1 + 2 - 1 = 2 -> 0.5; {2,3}: n = 0, den = 2 + 0 = 2 -> 0. Arcs 0->1, 1->0,
    // 1->2, 2->0, 2->3: reciprocal only {0,1}, so 2 of 5 arcs have a reverse.
    const g = fromPairs(4, [[0, 1], [1, 0], [1, 2], [2, 0], [2, 3]], { directed: true, weighted: true });
    const r = ties(g);
    expect([...r.overlap]).toEqual([1, 0.5, 0.5, 0]);
    expect([...r.reciprocal]).toEqual([1, 0, 0, 0]);
    expect([...r.weight]).toEqual([2, 1, 1, 1]);
    expect(r.reciprocity).toBe(0.4);
    // A lone edge: denominator 0 gives overlap 0, not NaN.
    expect([...ties(fromPairs(2, [[0, 1]], { directed: false, weighted: false })).overlap]).toEqual([0]);
  });

  const REF = path.join(ROOT, 'test/fixtures/reference/ties');
  it.each(['karate', 'lesmis', 'email-Eu-core', 'CollegeMsg'])('equal NetworkX overlap and reciprocity on %s (test/fixtures/reference/ties)', (name) => {
    const ref = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(REF, `${name}.json.gz`))).toString('utf8')) as {
      reciprocity: number | null; ties: number; overlap: Record<string, number>;
    };
    const loaded = loadCase(CASES.find((c) => c.name === name)!);
    const r = ties(loaded.graph);
    expect(r.source.length).toBe(ref.ties);
    let worst = 0;
    for (let t = 0; t < r.source.length; t++) {
      const a = loaded.ids[r.source[t]!]!, b = loaded.ids[r.target[t]!]!;
      const want = ref.overlap[a < b ? `${a} ${b}` : `${b} ${a}`];
      expect(want).toBeDefined();
      worst = Math.max(worst, Math.abs(r.overlap[t]! - want!));
    }
    expect(worst).toBeLessThan(1e-12);
    if (ref.reciprocity === null) expect(r.reciprocity).toBeNull();
    else expect(Math.abs(r.reciprocity! - ref.reciprocity)).toBeLessThan(1e-12);
  });
});
