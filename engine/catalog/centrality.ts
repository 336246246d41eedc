/** Catalogue entries: centrality measures. */
import { APPROX_BETWEENNESS_DEFAULTS, approxBetweenness } from '../algorithms/betweenness-approx.js';
import { betweennessRaw, normaliseBetweenness } from '../algorithms/betweenness.js';
import { closenessRange } from '../algorithms/closeness.js';
import { harmonicRange } from '../algorithms/harmonic.js';
import { type AlgorithmSpec, values } from './types.js';

/**
 * A per-source / per-node kernel whose partial results over disjoint node ranges add up: `run` is
 * the whole range in one thread, `split` lets the pool spread the range over workers.
 */
const ranged = (
  name: string, summary: string,
  partial: NonNullable<AlgorithmSpec['split']>['partial'],
  finishValues: (n: number, total: Float64Array) => Float64Array,
): AlgorithmSpec => ({
  name, summary, view: 'as-is',
  run: (g, p, ctl) => {
    const t0 = performance.now();
    const v = finishValues(g.n, partial(g, p, 0, g.n, ctl));
    return values(v, { sources: g.n, seconds: (performance.now() - t0) / 1000 });
  },
  split: {
    partial,
    finish: (g, total, _p, secs) => values(finishValues(g.n, total), { sources: g.n, seconds: secs }),
  },
});

export const CENTRALITY: readonly AlgorithmSpec[] = [
  ranged('betweenness', 'exact Brandes betweenness, hop distances, NetworkX-normalised (arcs followed forwards)',
    (g, _p, from, to, ctl) => betweennessRaw(g, from, to, ctl), normaliseBetweenness),
  {
    name: 'betweenness-approx',
    summary: 'sampled betweenness (Riondato-Kornaropoulos): |error| <= epsilon on the pair fraction w.p. 1 - delta',
    view: 'as-is',
    run: (g, p, ctl) => {
      const r = approxBetweenness(g, {
        epsilon: typeof p.epsilon === 'number' ? p.epsilon : APPROX_BETWEENNESS_DEFAULTS.epsilon,
        delta: typeof p.delta === 'number' ? p.delta : APPROX_BETWEENNESS_DEFAULTS.delta,
        seed: p.seed,
      }, ctl);
      return values(r.scores, {
        epsilon: r.epsilon, epsilonNetworkx: r.epsilonNetworkx, delta: r.delta, samples: r.samples,
        vertexDiameter: r.vertexDiameter, guarantee: r.guarantee, seconds: r.seconds,
      });
    },
  },
  ranged('closeness', 'closeness over incoming hop distances, Wasserman-Faust corrected (NetworkX)',
    (g, _p, from, to, ctl) => closenessRange(g, from, to, ctl), (_n, total) => total),
  ranged('harmonic', 'harmonic centrality: sum of 1/d over incoming hop distances, not normalised',
    (g, _p, from, to, ctl) => harmonicRange(g, from, to, ctl), (_n, total) => total),
];
