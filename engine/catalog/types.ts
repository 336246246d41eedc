/**
 * The contract between a kernel and everything that runs it (CLI `compute`, worker tasks, API
 * jobs): a named spec that takes the built graph and plain, structured-clonable parameters and
 * returns typed arrays indexed by node. Adding an algorithm = its kernel file + one entry in a
 * family file beside this one (+ test + bench); the CLI, the worker task and the API find it here.
 */
import type { BuiltGraph } from '../graph/builder.js';
import type { RunControl } from '../algorithms/control.js';
import { solo, type Team } from '../algorithms/team.js';

export interface AlgorithmParams {
  /** Seed for every random choice (order, samples); same seed, same answer. */
  readonly seed: number;
  /** Node indices (member ids are resolved by the caller), e.g. personalised PageRank sources. */
  readonly sources?: readonly number[];
  readonly epsilon?: number;
  readonly delta?: number;
  readonly resolution?: number;
  readonly k?: number;
  readonly [key: string]: unknown;
}

export type Diagnostics = Readonly<Record<string, number | string | boolean | null>>;

export type AlgorithmOutput =
  | { readonly kind: 'values'; readonly values: Float64Array; readonly diagnostics: Diagnostics }
  | {
    readonly kind: 'partition';
    readonly membership: Int32Array;
    readonly modularity: number | null;
    readonly diagnostics: Diagnostics;
  }
  | {
    readonly kind: 'seeds';
    /** Chosen members in selection order. */
    readonly seeds: Int32Array;
    readonly spread: { readonly mean: number; readonly ci95: readonly [number, number]; readonly runs: number };
    /** Each seed's estimated marginal gain in members, selection order (IMM). */
    readonly marginal?: Float64Array;
    readonly diagnostics: Diagnostics;
  };

export interface AlgorithmSpec {
  readonly name: string;
  readonly summary: string;
  /** 'undirected': the kernel is defined on the undirected view (u->v and v->u merged). */
  readonly view: 'as-is' | 'undirected';
  readonly run: (g: BuiltGraph, params: AlgorithmParams, ctl?: RunControl) => AlgorithmOutput;
  /**
   * Optional data-parallel form (e.g. Brandes betweenness: sources split across workers). The pool
   * runs `partial` on disjoint node ranges [from, to) in parallel, sums the returned vectors and
   * calls `finish` once with the total. `partial` must be additive over ranges.
   */
  readonly split?: {
    /**
     * true: `partial` returns only the values of its own range, [from, to) (to - from entries);
     * the pool places them. Saves 8 B per node per range when ranges do not interact (reach).
     */
    readonly sliced?: boolean;
    readonly partial: (g: BuiltGraph, params: AlgorithmParams, from: number, to: number, ctl?: RunControl) => Float64Array;
    readonly finish: (g: BuiltGraph, total: Float64Array, params: AlgorithmParams, seconds: number) => AlgorithmOutput;
    /**
     * Fixed number of ranges, whatever the thread count (floating-point partials: the sum over
     * ranges in range order is then the same for 1 or T threads, and `run` uses the same ranges).
     * Absent: 4 ranges per thread (partials that never overlap, e.g. per-member values).
     */
    readonly ranges?: (g: BuiltGraph, params: AlgorithmParams) => number;
    /**
     * The unit count the ranges cut (default g.n nodes) and the params every range runs with,
     * computed once on the calling thread (e.g. sampled betweenness: sample blocks, after the
     * vertex-diameter bound that fixes the sample size).
     */
    readonly units?: (g: BuiltGraph, params: AlgorithmParams) => { readonly count: number; readonly params: AlgorithmParams };
  };
  /**
   * Optional cooperative form (engine/algorithms/team.ts): the pool runs `work` on T members at
   * once over one shared state, synchronised by barriers (e.g. PageRank: node ranges, a barrier per
   * phase). `run` is the same `work` on the team of one, so both give the same output.
   */
  readonly team?: TeamPlan;
}

export interface TeamPlan {
  /** Shared state of one run: SharedArrayBuffer-backed arrays only (it crosses to every member). */
  readonly prepare: (g: BuiltGraph, params: AlgorithmParams) => unknown;
  /** One member's share; member 0's output is the run's output. */
  readonly work: (g: BuiltGraph, params: AlgorithmParams, state: unknown, team: Team, ctl?: RunControl) => AlgorithmOutput;
}

/** A spec whose serial `run` is its team plan on the team of one (one code path, same bits). */
export function teamed(name: string, summary: string, view: AlgorithmSpec['view'], plan: TeamPlan): AlgorithmSpec {
  return {
    name, summary, view, team: plan,
    run: (g, p, ctl) => plan.work(g, p, plan.prepare(g, p), solo(), ctl),
  };
}

export function values(v: Float64Array, diagnostics: Diagnostics): AlgorithmOutput {
  return { kind: 'values', values: v, diagnostics };
}

/** `chunks` contiguous ranges of [0, count) of equal size (the pool's cut and the serial one). */
export function splitRanges(count: number, chunks: number): { from: number; to: number }[] {
  return Array.from({ length: chunks }, (_, i) => ({
    from: Math.floor((i * count) / chunks), to: Math.floor(((i + 1) * count) / chunks),
  }));
}

/**
 * The serial run of a split with fixed ranges: the same ranges, summed in the same order as the
 * pool sums them, so one thread and T threads give the same bits.
 */
export function runRanges(
  g: BuiltGraph, params: AlgorithmParams, split: NonNullable<AlgorithmSpec['split']>, ctl?: RunControl,
): Float64Array {
  const units = split.units?.(g, params) ?? { count: g.n, params };
  const chunks = Math.max(1, Math.min(units.count, split.ranges?.(g, params) ?? 1));
  const total = new Float64Array(g.n);
  const ranges = splitRanges(units.count, chunks);
  ranges.forEach(({ from, to }, i) => {
    const part = split.partial(g, units.params, from, to, ctl && {
      ...(ctl.shouldStop && { shouldStop: ctl.shouldStop }),
      ...(ctl.onProgress && { onProgress: (f: number) => ctl.onProgress!((i + f) / chunks) }),
    });
    const at = split.sliced ? from : 0;
    for (let v = 0; v < part.length; v++) total[at + v]! += part[v]!;
  });
  return total;
}
