/** Catalogue entries: degrees, strengths, PageRank (issue: foundation). */
import { degrees, inDegrees, inStrength, outDegrees, outStrength, strengths } from '../algorithms/degree.js';
import { type PagerankOptions, pagerankState, pagerankTeam, type PagerankState } from '../algorithms/pagerank.js';
import { seconds } from '../algorithms/control.js';
import { type AlgorithmParams, type AlgorithmSpec, teamed, type TeamPlan, values } from './types.js';

/**
 * PageRank's split: node ranges balanced by in-arcs, a barrier per phase (engine/algorithms/
 * pagerank.ts); the teleport vector is built once, in `prepare`, and shared.
 */
function pagerankPlan(
  options: (p: AlgorithmParams) => Partial<PagerankOptions>, teleport?: (p: AlgorithmParams, n: number) => Float64Array,
): TeamPlan {
  return {
    prepare: (g, p) => pagerankState(g, { teleport: teleport?.(p, g.n) ?? null }),
    work: (g, p, state, team, ctl) => {
      const t0 = performance.now();
      const r = pagerankTeam(g, options(p), state as PagerankState, team, ctl);
      return values(r.scores, { iterations: r.iterations, converged: r.converged, residual: r.residual, seconds: seconds(t0) });
    },
  };
}

const simple = (name: string, summary: string, f: (g: Parameters<AlgorithmSpec['run']>[0]) => Float64Array): AlgorithmSpec => ({
  name, summary, view: 'as-is',
  run: (g) => {
    const t0 = performance.now();
    const v = f(g);
    return values(v, { seconds: (performance.now() - t0) / 1000 });
  },
});

export const BASIC: readonly AlgorithmSpec[] = [
  simple('degree', 'distinct neighbours (in + out when directed)', degrees),
  simple('in-degree', 'distinct members acting on the member', inDegrees),
  simple('out-degree', 'distinct members the member acted towards', outDegrees),
  simple('strength', 'summed interaction weight, in + out', strengths),
  simple('in-strength', 'summed weight of interactions received', inStrength),
  simple('out-strength', 'summed weight of interactions made', outStrength),
  teamed('pagerank', 'weighted PageRank, damping 0.85, credit flows source -> target', 'as-is', pagerankPlan((p) => ({
    ...(typeof p['damping'] === 'number' && { damping: p['damping'] }),
    ...(typeof p['tolerance'] === 'number' && { tolerance: p['tolerance'] }),
    ...(typeof p['maxIterations'] === 'number' && { maxIterations: p['maxIterations'] }),
  }))),
  teamed('personalized-pagerank', 'PageRank teleporting to --sources (uniform over them)', 'as-is', pagerankPlan(() => ({}), (p, n) => {
    const t = new Float64Array(n);
    for (const s of p.sources ?? []) t[s]! += 1;
    return t;
  })),
];
