/**
 * The message shapes between the main thread (workers/pool.ts) and a worker (workers/task.ts).
 *
 * Graph arrays live in SharedArrayBuffers: posting a graph shares its memory (no copy). Each worker
 * keeps the graphs it has seen in a small cache keyed by `graphId`, so a graph's handles cross to a
 * worker once; later tasks name the graph by id and the worker answers `missing-graph` if it has
 * evicted or never seen it, and the pool resends the handles once.
 */
import type { MessagePort } from 'node:worker_threads';
import type { BuiltGraph } from '../engine/graph/builder.js';
import type { AlgorithmOutput, AlgorithmParams } from '../engine/catalog/index.js';

export interface TaskRequest {
  readonly graphId: string;
  /** Present only when the worker asked for it (first task on a graph in that worker). */
  readonly graph?: BuiltGraph;
  readonly algorithm: string;
  readonly params: AlgorithmParams;
  /** Run only the additive partial form over nodes [from, to) (spec.split.partial). */
  readonly range?: { readonly from: number; readonly to: number };
  /** Int32Array(1) on a SharedArrayBuffer; non-zero asks the kernel to stop. */
  readonly cancel: Int32Array;
  /** Receives progress fractions as numbers. */
  readonly progress?: MessagePort;
  /** Test hook: throw inside the worker (proves a failing task fails cleanly). */
  readonly fail?: string;
}

export type TaskResponse =
  | { readonly status: 'missing-graph' }
  | { readonly status: 'ok'; readonly output: AlgorithmOutput }
  | { readonly status: 'partial'; readonly values: Float64Array }
  | { readonly status: 'error'; readonly code: string; readonly message: string };
