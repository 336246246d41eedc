/** Catalogue entries: degrees, strengths, PageRank (issue: foundation). */
import { degrees, inDegrees, inStrength, outDegrees, outStrength, strengths } from '../algorithms/degree.js';
import { pagerank } from '../algorithms/pagerank.js';
import { type AlgorithmSpec, values } from './types.js';

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
  {
    name: 'pagerank', summary: 'weighted PageRank, damping 0.85, credit flows source -> target', view: 'as-is',
    run: (g, p, ctl) => {
      const r = pagerank(g, {
        ...(typeof p['damping'] === 'number' && { damping: p['damping'] }),
        ...(typeof p['tolerance'] === 'number' && { tolerance: p['tolerance'] }),
      }, ctl);
      return values(r.scores, { iterations: r.iterations, converged: r.converged, residual: r.residual, seconds: r.seconds });
    },
  },
  {
    name: 'personalized-pagerank', summary: 'PageRank teleporting to --sources (uniform over them)', view: 'as-is',
    run: (g, p, ctl) => {
      const t = new Float64Array(g.n);
      for (const s of p.sources ?? []) t[s]! += 1;
      const r = pagerank(g, { teleport: t }, ctl);
      return values(r.scores, { iterations: r.iterations, converged: r.converged, residual: r.residual, seconds: r.seconds });
    },
  },
];
