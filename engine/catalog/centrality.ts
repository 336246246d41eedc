/** Catalogue entries: centrality measures. */
import {
  APPROX_BETWEENNESS_DEFAULTS, type ApproxBetweennessResult, approxBetweenness, SAMPLE_BLOCK, sampleCounts, sampleSize,
  scaleCounts, vertexDiameterBound,
} from '../algorithms/betweenness-approx.js';
import { betweennessRaw, normaliseBetweenness } from '../algorithms/betweenness.js';
import { closenessRange } from '../algorithms/closeness.js';
import { harmonicRange } from '../algorithms/harmonic.js';
import type { BuiltGraph } from '../graph/builder.js';
import { type AlgorithmParams, type AlgorithmSpec, runRanges, values } from './types.js';

const approxOptions = (p: AlgorithmParams) => ({
  ...APPROX_BETWEENNESS_DEFAULTS,
  epsilon: typeof p.epsilon === 'number' ? p.epsilon : APPROX_BETWEENNESS_DEFAULTS.epsilon,
  delta: typeof p.delta === 'number' ? p.delta : APPROX_BETWEENNESS_DEFAULTS.delta,
  seed: p.seed,
});

const approxOutput = (r: ApproxBetweennessResult) => values(r.scores, {
  epsilon: r.epsilon, epsilonNetworkx: r.epsilonNetworkx, delta: r.delta, samples: r.samples,
  vertexDiameter: r.vertexDiameter, guarantee: r.guarantee, seconds: r.seconds,
});

/**
 * A per-source / per-node kernel whose partial results over disjoint node ranges add up: the pool
 * spreads the ranges over workers. `ranges` fixed (betweenness, whose partials overlap): the
 * serial run cuts the same ranges and sums them in the same order, so any thread count gives the
 * same bits; absent (closeness, harmonic: each node written by one range), one range serially.
 */
const ranged = (
  name: string, summary: string,
  partial: NonNullable<AlgorithmSpec['split']>['partial'],
  finishValues: (n: number, total: Float64Array) => Float64Array,
  ranges?: (g: BuiltGraph) => number,
): AlgorithmSpec => {
  const split: NonNullable<AlgorithmSpec['split']> = {
    partial,
    finish: (g, total, _p, secs) => values(finishValues(g.n, total), { sources: g.n, seconds: secs }),
    ...(ranges !== undefined && { ranges }),
  };
  return {
    name, summary, view: 'as-is', split,
    run: (g, p, ctl) => {
      const t0 = performance.now();
      const v = finishValues(g.n, runRanges(g, p, split, ctl));
      return values(v, { sources: g.n, seconds: (performance.now() - t0) / 1000 });
    },
  };
};

/**
 * Exact betweenness: 64 source ranges whatever the thread count (each partial is a full vector of
 * floating-point sums, so the cut fixes the bits); at most one range per 64 sources.
 */
const BETWEENNESS_RANGES = (g: BuiltGraph): number => Math.max(1, Math.min(64, Math.floor(g.n / 64)));

export const CENTRALITY: readonly AlgorithmSpec[] = [
  ranged('betweenness', 'exact Brandes betweenness, hop distances, NetworkX-normalised (arcs followed forwards)',
    (g, _p, from, to, ctl) => betweennessRaw(g, from, to, ctl), normaliseBetweenness, BETWEENNESS_RANGES),
  {
    name: 'betweenness-approx',
    summary: 'sampled betweenness (Riondato-Kornaropoulos): |error| <= epsilon on the pair fraction w.p. 1 - delta',
    view: 'as-is',
    run: (g, p, ctl) => approxOutput(approxBetweenness(g, approxOptions(p), ctl)),
    // Sample blocks split across workers, each block on its own seeded stream; the bound (and so
    // the sample size) is computed once, here, and the integer counts add up exactly.
    split: {
      units: (g, p) => {
        const o = approxOptions(p);
        const vd = vertexDiameterBound(g);
        const r = g.n <= 2 ? 0 : sampleSize(o.epsilon, o.delta, vd, o.c);
        return { count: Math.ceil(r / SAMPLE_BLOCK), params: { ...p, vertexDiameter: vd, samples: r } };
      },
      partial: (g, p, from, to, ctl) => sampleCounts(g, p.seed, p['samples'] as number, from, to, ctl),
      finish: (g, total, p, secs) => {
        const o = { ...approxOptions(p), vertexDiameter: p['vertexDiameter'] as number };
        return approxOutput(scaleCounts(g.n, total, o, p['samples'] as number, secs));
      },
    },
  },
  ranged('closeness', 'closeness over incoming hop distances, Wasserman-Faust corrected (NetworkX)',
    (g, _p, from, to, ctl) => closenessRange(g, from, to, ctl), (_n, total) => total),
  ranged('harmonic', 'harmonic centrality: sum of 1/d over incoming hop distances, not normalised',
    (g, _p, from, to, ctl) => harmonicRange(g, from, to, ctl), (_n, total) => total),
];
