/**
 * Seed users, small-graph reference: CELF lazy greedy with Monte Carlo spread estimates.
 *
 * Greedy hill climbing on sigma(S) (Kempe, Kleinberg, Tardos, KDD 2003) made lazy by CELF
 * (J. Leskovec, A. Krause, C. Guestrin, C. Faloutsos, J. VanBriesen, N. Glance, "Cost-effective
 * Outbreak Detection in Networks", KDD 2007, doi:10.1145/1281192.1281239): by submodularity a
 * member's marginal gain only shrinks as S grows, so a stale gain is an upper bound; pop the
 * largest, recompute it if it is stale, and take it when it is fresh and still on top.
 * Each sigma is the mean of `runs` cascades of ./spread.ts (direction: a cascade runs along
 * reversed arcs, from the member acted upon to the actor, see that header). Every evaluation restarts
 * the same seeded stream (common random numbers), so two candidates are compared on the same coin
 * flips as far as their cascades coincide; this lowers the noise of the differences and makes
 * the result reproducible by seed.
 * Complexity: O(n R) cascades for the first round, then typically a few re-evaluations per
 * pick; use on graphs up to a few thousand members. IMM (./imm.ts) is the scalable method.
 * Ties go to the smaller node index.
 */
import type { CsrGraph } from '../graph/csr.js';
import { Checkpoint, type RunControl, seconds } from '../algorithms/control.js';
import { createRng, deriveSeed } from '../algorithms/random.js';
import { SupernodeError } from '../errors.js';
import { type CascadeModel, CascadeSimulator, estimateSpread, spreadArcs } from './spread.js';
import type { SpreadSummary } from './imm.js';

export interface CelfOptions {
  readonly k: number;
  readonly model: CascadeModel;
  /** Monte Carlo cascades per sigma evaluation during the greedy. */
  readonly runs: number;
  readonly seed: number;
  /** Monte Carlo cascades to measure the final set (independent stream); 0 skips it. */
  readonly evalRuns: number;
}

export const CELF_DEFAULTS: CelfOptions = Object.freeze({
  k: 10, model: Object.freeze({ kind: 'wc' }) as CascadeModel, runs: 1000, seed: 1, evalRuns: 10_000,
});

export interface CelfResult {
  readonly seeds: number[];
  /** Marginal gain of each seed when it was picked (greedy's own estimates). */
  readonly gains: number[];
  readonly spread: SpreadSummary;
  readonly diagnostics: { readonly evaluations: number; readonly runs: number; readonly seconds: number };
}

export function celf(g: CsrGraph, options: Partial<CelfOptions> = {}, ctl?: RunControl): CelfResult {
  const t0 = performance.now();
  const o = { ...CELF_DEFAULTS, ...options };
  if (!(Number.isInteger(o.k) && o.k >= 1)) throw new SupernodeError('BAD_OPTION', `k must be a positive integer, got ${o.k}`);
  if (!(Number.isInteger(o.runs) && o.runs >= 1)) throw new SupernodeError('BAD_OPTION', `runs must be a positive integer, got ${o.runs}`);
  const n = g.n, k = Math.min(o.k, n);
  const arcs = spreadArcs(g, o.model);
  const sim = new CascadeSimulator(arcs);
  const streamSeed = deriveSeed(o.seed, 0);
  const check = new Checkpoint(ctl, 'celf');
  let evaluations = 0;
  const sigma = (set: number[]): number => {
    evaluations++;
    const rng = createRng(streamSeed);
    let total = 0;
    for (let r = 0; r < o.runs; r++) total += sim.run(set, rng);
    return total / o.runs;
  };

  // Candidates as (gain, node, round the gain was computed in).
  const gain = new Float64Array(n);
  const round = new Int32Array(n);
  const heap: number[] = [];
  const above = (a: number, b: number) => gain[a]! > gain[b]! || (gain[a] === gain[b] && a < b);
  const push = (v: number) => {
    heap.push(v);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!above(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const pop = (): number => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let c = i;
        if (l < heap.length && above(heap[l]!, heap[c]!)) c = l;
        if (r < heap.length && above(heap[r]!, heap[c]!)) c = r;
        if (c === i) break;
        [heap[i], heap[c]] = [heap[c]!, heap[i]!];
        i = c;
      }
    }
    return top;
  };

  for (let v = 0; v < n; v++) {
    check.step(0.5 * v / n);
    gain[v] = sigma([v]);
    round[v] = 0;
    push(v);
  }
  const seeds: number[] = [], gains: number[] = [];
  let current = 0;
  while (seeds.length < k && heap.length > 0) {
    check.step(0.5 + 0.45 * seeds.length / k);
    const v = pop();
    if (round[v] === seeds.length) {
      seeds.push(v);
      gains.push(gain[v]!);
      current += gain[v]!;
      continue;
    }
    gain[v] = sigma([...seeds, v]) - current;
    round[v] = seeds.length;
    push(v);
  }
  const spread = o.evalRuns > 0
    ? estimateSpread(g, seeds, { model: o.model, runs: o.evalRuns, seed: deriveSeed(o.seed, 1) }, undefined, arcs)
    : { mean: Number.NaN, ci95: [Number.NaN, Number.NaN] as [number, number], runs: 0 };
  check.step(1);
  return {
    seeds, gains, spread: { mean: spread.mean, ci95: spread.ci95, runs: spread.runs },
    diagnostics: { evaluations, runs: o.runs, seconds: seconds(t0) },
  };
}
