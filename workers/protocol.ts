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
  /**
   * Member `index` of a team of `size` running the spec's cooperative plan over `state` (shared
   * memory, prepared once by the pool); `control` holds the team's barrier words.
   */
  readonly team?: { readonly index: number; readonly size: number; readonly control: Int32Array; readonly state: unknown };
  /** Test hook: throw inside the worker (proves a failing task fails cleanly; in a team, the last member). */
  readonly fail?: string;
  /** Test hook: end the worker thread mid-task (in a team, the last member, after the first barrier). */
  readonly crash?: boolean;
}

export type TaskResponse =
  | { readonly status: 'missing-graph' }
  | { readonly status: 'ok'; readonly output: AlgorithmOutput }
  | { readonly status: 'partial'; readonly values: Float64Array }
  /** A team member other than member 0 finished its share (member 0 carries the output). */
  | { readonly status: 'member' }
  | { readonly status: 'error'; readonly code: string; readonly message: string };
