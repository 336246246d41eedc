/**
 * Influence spread: the cascade models and a seeded Monte Carlo estimate of the expected number of
 * members a seed set activates, with a 95% confidence interval.
 *
 * Direction: an interaction edge A -> B means A acted towards B (replied, forwarded, mentioned), so
 * information spreads from B to A: when B is active, every in-neighbour A of B (A -> B) may become
 * active. Cascades therefore run along REVERSED arcs (target to actor): the members that x may
 * activate are x's in-neighbours (`inSources`), and the members that may activate a receiver u
 * are u's out-neighbours (`outTargets`). On an undirected graph both are simply the neighbours.
 *
 * Models (Kempe, Kleinberg, Tardos, "Maximizing the spread of influence through a social
 * network", KDD 2003, doi:10.1145/956750.956769):
 * - `ic`: independent cascade, every arc live with the same probability p.
 * - `wc`: weighted cascade, the IC special case where x activates receiver u with
 *   p = w(u->x) / s(u), s(u) = the summed weight of the arcs along which u can be reached (u's
 *   out-strength in the interaction graph). Unweighted graphs give the textbook 1 / in-degree of
 *   the receiver in the spread direction. Weights = interaction counts, so a member is more
 *   likely to pick up what the members it interacts with most say.
 * - `lt`: linear threshold with the same weights b(x, u) = w(u->x) / s(u) (they sum to 1 per
 *   receiver) and thresholds uniform on [0, 1], drawn afresh per cascade.
 * Estimate: R independent cascades from one seeded stream (same seed, same answer); mean, sample
 * sd, and the normal-approximation interval mean +/- 1.96 sd / sqrt(R). Default R = 10,000.
 * Complexity: O(R * (arcs touched by a cascade)); each cascade is a BFS with one coin per arc.
 */
import type { CsrGraph } from '../graph/csr.js';
import { outStrength } from '../graph/csr.js';
import { Checkpoint, type RunControl, seconds } from '../algorithms/control.js';
import { createRng, type Rng } from '../algorithms/random.js';
import { SupernodeError } from '../errors.js';

export type CascadeModel =
  | { readonly kind: 'ic'; readonly p: number }
  | { readonly kind: 'wc' }
  | { readonly kind: 'lt' };

/**
 * Arc probabilities laid out twice: `fwd*` follows the spread direction (the graph's in-CSR: from
 * an active member to those it may activate), `bwd*` the reverse (the graph's out-CSR: from a
 * receiver to those who may activate it, the direction RR sets are built in). `null` probabilities
 * mean the uniform `p` of the IC model.
 */
export interface SpreadArcs {
  readonly n: number;
  readonly kind: 'ic' | 'wc' | 'lt';
  readonly p: number;
  readonly fwdOffsets: Int32Array;
  readonly fwdTargets: Int32Array;
  readonly fwdProb: Float64Array | null;
  readonly bwdOffsets: Int32Array;
  readonly bwdTargets: Int32Array;
  readonly bwdProb: Float64Array | null;
  /**
   * Per receiver u, ln(1 - p) when every arc of u's bwd row is live with the same p (IC; WC on an
   * unweighted graph, p = 1 / out-degree), NaN otherwise. Lets RR-set sampling jump from one live
   * arc to the next with one geometric draw instead of one coin per arc: a hub of degree d then
   * costs O(1 + live arcs), not O(d).
   */
  readonly bwdLogQ: Float64Array;
}

export function validateModel(model: CascadeModel): void {
  if (model.kind === 'ic' && !(model.p >= 0 && model.p <= 1)) {
    throw new SupernodeError('BAD_OPTION', `independent cascade needs 0 <= p <= 1, got ${model.p}`);
  }
  if (model.kind !== 'ic' && model.kind !== 'wc' && model.kind !== 'lt') {
    throw new SupernodeError('BAD_OPTION', `unknown cascade model ${(model as { kind: string }).kind}`);
  }
}

export function spreadArcs(g: CsrGraph, model: CascadeModel): SpreadArcs {
  validateModel(model);
  const base = {
    n: g.n, kind: model.kind, p: model.kind === 'ic' ? model.p : 0,
    fwdOffsets: g.inOffsets, fwdTargets: g.inSources, bwdOffsets: g.outOffsets, bwdTargets: g.outTargets,
  };
  if (model.kind === 'ic') return { ...base, fwdProb: null, bwdProb: null, bwdLogQ: new Float64Array(g.n).fill(Math.log1p(-model.p)) };
  const s = outStrength(g);
  const fwdProb = new Float64Array(g.m), bwdProb = new Float64Array(g.m);
  for (let x = 0; x < g.n; x++) {
    for (let e = g.inOffsets[x]!; e < g.inOffsets[x + 1]!; e++) {
      const u = g.inSources[e]!;
      fwdProb[e] = (g.inWeights === null ? 1 : g.inWeights[e]!) / s[u]!;
    }
  }
  const bwdLogQ = new Float64Array(g.n);
  for (let u = 0; u < g.n; u++) {
    const lo = g.outOffsets[u]!, hi = g.outOffsets[u + 1]!;
    let uniform = true;
    for (let e = lo; e < hi; e++) {
      bwdProb[e] = (g.outWeights === null ? 1 : g.outWeights[e]!) / s[u]!;
      if (bwdProb[e] !== bwdProb[lo]) uniform = false;
    }
    // LT walks pick one arc per step; only the IC-type models jump between live arcs.
    bwdLogQ[u] = uniform && hi > lo && model.kind === 'wc' ? Math.log1p(-bwdProb[lo]!) : Number.NaN;
  }
  return { ...base, fwdProb, bwdProb, bwdLogQ };
}

/** Reusable buffers for repeated cascades on one graph (stamps avoid clearing per run). */
export class CascadeSimulator {
  private readonly queue: Int32Array;
  private readonly active: Int32Array;
  private readonly touched: Int32Array;
  private readonly acc: Float64Array;
  private readonly threshold: Float64Array;
  private stamp = 0;

  constructor(private readonly arcs: SpreadArcs) {
    const n = arcs.n;
    this.queue = new Int32Array(n);
    this.active = new Int32Array(n);
    this.touched = new Int32Array(arcs.kind === 'lt' ? n : 0);
    this.acc = new Float64Array(arcs.kind === 'lt' ? n : 0);
    this.threshold = new Float64Array(arcs.kind === 'lt' ? n : 0);
  }

  /** Members activated by one cascade from `seeds` (seeds included, duplicates counted once). */
  run(seeds: ArrayLike<number>, rng: Rng): number {
    const a = this.arcs;
    if (++this.stamp === 0x7fffffff) { this.active.fill(0); this.touched.fill(0); this.stamp = 1; }
    const st = this.stamp, active = this.active, queue = this.queue;
    let head = 0, tail = 0;
    for (let i = 0; i < seeds.length; i++) {
      const s = seeds[i]!;
      if (active[s] !== st) { active[s] = st; queue[tail++] = s; }
    }
    const off = a.fwdOffsets, tgt = a.fwdTargets, prob = a.fwdProb;
    if (a.kind !== 'lt') {
      const p = a.p;
      while (head < tail) {
        const x = queue[head++]!;
        for (let e = off[x]!, end = off[x + 1]!; e < end; e++) {
          const u = tgt[e]!;
          if (active[u] === st) continue;
          if (rng() < (prob === null ? p : prob[e]!)) { active[u] = st; queue[tail++] = u; }
        }
      }
      return tail;
    }
    const touched = this.touched, acc = this.acc, th = this.threshold;
    while (head < tail) {
      const x = queue[head++]!;
      for (let e = off[x]!, end = off[x + 1]!; e < end; e++) {
        const u = tgt[e]!;
        if (active[u] === st) continue;
        // Thresholds are drawn when a member is first reached: same law as drawing all n upfront.
        if (touched[u] !== st) { touched[u] = st; acc[u] = 0; th[u] = rng(); }
        acc[u]! += prob![e]!;
        if (acc[u]! >= th[u]!) { active[u] = st; queue[tail++] = u; }
      }
    }
    return tail;
  }
}

export interface SpreadOptions {
  readonly model: CascadeModel;
  /** Monte Carlo cascades (>= 1). */
  readonly runs: number;
  readonly seed: number;
}

export const SPREAD_DEFAULTS: SpreadOptions = Object.freeze({ model: Object.freeze({ kind: 'wc' }) as CascadeModel, runs: 10_000, seed: 1 });

export interface SpreadEstimate {
  readonly mean: number;
  readonly sd: number;
  readonly ci95: [number, number];
  readonly runs: number;
  readonly seconds: number;
}

export function estimateSpread(
  g: CsrGraph, seeds: ArrayLike<number>, options: Partial<SpreadOptions> = {}, ctl?: RunControl, arcs?: SpreadArcs,
): SpreadEstimate {
  const t0 = performance.now();
  const o = { ...SPREAD_DEFAULTS, ...options };
  if (!(Number.isInteger(o.runs) && o.runs >= 1)) throw new SupernodeError('BAD_OPTION', `runs must be a positive integer, got ${o.runs}`);
  for (let i = 0; i < seeds.length; i++) {
    const s = seeds[i]!;
    if (!(Number.isInteger(s) && s >= 0 && s < g.n)) throw new SupernodeError('BAD_OPTION', `seed member ${s} is not a node index`);
  }
  const sim = new CascadeSimulator(arcs ?? spreadArcs(g, o.model));
  const rng = createRng(o.seed);
  const check = new Checkpoint(ctl, 'spread estimate');
  // Welford: stable mean/variance in one pass.
  let mean = 0, m2 = 0;
  for (let r = 0; r < o.runs; r++) {
    check.step(r / o.runs);
    const x = sim.run(seeds, rng);
    const d = x - mean;
    mean += d / (r + 1);
    m2 += d * (x - mean);
  }
  check.step(1);
  const sd = o.runs > 1 ? Math.sqrt(m2 / (o.runs - 1)) : 0;
  const half = 1.96 * sd / Math.sqrt(o.runs);
  return { mean, sd, ci95: [mean - half, mean + half], runs: o.runs, seconds: seconds(t0) };
}
