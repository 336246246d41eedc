/**
 * The contract between a kernel and everything that runs it (CLI `compute`, worker tasks, API
 * jobs): a named spec that takes the built graph and plain, structured-clonable parameters and
 * returns typed arrays indexed by node. Adding an algorithm = its kernel file + one entry in a
 * family file beside this one (+ test + bench); the CLI, the worker task and the API find it here.
 */
import type { BuiltGraph } from '../graph/builder.js';
import type { RunControl } from '../algorithms/control.js';

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
  };
}

export function values(v: Float64Array, diagnostics: Diagnostics): AlgorithmOutput {
  return { kind: 'values', values: v, diagnostics };
}
