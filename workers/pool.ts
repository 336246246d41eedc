/**
 * The worker pool: piscina threads that run catalogue algorithms on shared graphs.
 *
 * - Graph buffers are SharedArrayBuffers; a graph crosses to each worker once (see protocol.ts).
 * - Cancellation is cooperative: aborting the caller's AbortSignal sets a shared flag that the
 *   kernel polls once per outer loop (noticed within one source vertex / iteration). If a kernel
 *   has not returned `hardCancelMs` after that, the piscina task is aborted, which terminates the
 *   thread; piscina replaces it, so the pool stays usable either way.
 * - Progress crosses a MessagePort per task.
 * - Data-parallel algorithms (spec.split) are cut into ranges, run on all threads and reduced
 *   here in range order.
 * - Cooperative algorithms (spec.team: PageRank, HITS, eigenvector, reach) run as T tasks at once
 *   over one shared state, meeting at barriers (engine/algorithms/team.ts). A barrier needs all T
 *   members resident together, so team runs take the pool one at a time (`teamGate`: two teams
 *   each holding half the threads would wait for each other forever), and a member that fails,
 *   is cancelled or whose thread dies marks the team aborted, which releases the others.
 */
import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { type BuiltGraph, undirectedView } from '../engine/graph/builder.js';
import { type AlgorithmOutput, type AlgorithmParams, getAlgorithm } from '../engine/catalog/index.js';
import { type ErrorCode, ERROR_CATALOGUE, SupernodeError } from '../engine/errors.js';
import { abortTeam, sharedI32, TEAM_WORDS } from '../engine/algorithms/team.js';
import { splitRanges } from '../engine/catalog/types.js';
import type { TaskRequest, TaskResponse } from './protocol.js';

export interface PoolOptions {
  /** Worker threads; default: available cores. */
  readonly threads?: number;
  /** After a cooperative cancel, terminate the thread if the kernel has not stopped by then. */
  readonly hardCancelMs?: number;
  /**
   * Lower the kernel threads' CPU priority by this much (Linux nice, per thread; needs piscina's
   * optional @napi-rs/nice, else ignored). A server sets it so kernels never delay the event loop;
   * default 0 (the CLI has nothing else to run).
   */
  readonly niceIncrement?: number;
  /**
   * Cooperative kernels run as a team from this many arcs up (below it one thread is faster than
   * two barriers per iteration); the output is the same either way. Default 65,536.
   */
  readonly teamFromArcs?: number;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (fraction: number) => void;
  /** Split data-parallel algorithms into this many ranges (default 4 per thread). */
  readonly chunks?: number;
  /** Test hook: make the worker throw this message (a team: its last member). */
  readonly fail?: string;
  /** Test hook: end a team's last member's thread after its first barrier. */
  readonly crash?: boolean;
}

let nextGraphId = 0;
const graphIds = new WeakMap<BuiltGraph, string>();
function graphIdOf(g: BuiltGraph): string {
  let id = graphIds.get(g);
  if (id === undefined) {
    id = `g${process.pid}-${nextGraphId++}`;
    graphIds.set(g, id);
  }
  return id;
}

/** Compiled (dist/*.js) runs the .js worker; source runs (tsx, vitest) the .ts one through tsx. */
function workerFile(): { filename: string; execArgv: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return { filename: new URL('./task.ts', here).href, execArgv: ['--import', 'tsx'] };
  }
  return { filename: new URL('./task.js', here).href, execArgv: [] };
}

export class WorkerPool {
  readonly threads: number;
  private readonly piscina: Piscina<TaskRequest, TaskResponse>;
  private readonly hardCancelMs: number;
  private readonly teamFromArcs: number;
  private teamGate: Promise<void> = Promise.resolve();

  constructor(options: PoolOptions = {}) {
    this.threads = Math.max(1, options.threads ?? availableParallelism());
    this.hardCancelMs = options.hardCancelMs ?? 2000;
    this.teamFromArcs = options.teamFromArcs ?? 65_536;
    const { filename, execArgv } = workerFile();
    this.piscina = new Piscina<TaskRequest, TaskResponse>({
      filename, execArgv, minThreads: this.threads, maxThreads: this.threads,
      // One task per thread at a time: kernels are CPU-bound, so queueing in the pool is fairer.
      concurrentTasksPerWorker: 1, idleTimeout: 60_000,
      ...(options.niceIncrement !== undefined && options.niceIncrement > 0 && { niceIncrement: options.niceIncrement }),
    });
    // A worker that dies outside a task (e.g. fails to load) must not take the process down.
    this.piscina.on('error', (e: unknown) => {
      process.emitWarning(`supernode worker error: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  /** Runs a catalogue algorithm on a graph in the pool. */
  async run(graph: BuiltGraph, algorithm: string, params: AlgorithmParams, options: RunOptions = {}): Promise<AlgorithmOutput> {
    const spec = getAlgorithm(algorithm);
    options.signal?.throwIfAborted?.();
    // A derived view is built here, once, in shared buffers, and crosses to the workers like any
    // graph: built inside a worker it would be private to that thread and built again by each.
    const g = spec.view === 'undirected' ? undirectedView(graph) : graph;
    if (spec.team !== undefined && this.threads > 1 && g.m >= this.teamFromArcs) {
      return this.runTeam(g, algorithm, params, options);
    }
    if (spec.split !== undefined && this.threads > 1 && g.n > 1 && options.fail === undefined) {
      return this.runSplit(g, algorithm, params, options);
    }
    const r = await this.dispatch(g, { algorithm, params, ...(options.fail !== undefined && { fail: options.fail }) }, options, options.onProgress);
    if (r.status !== 'ok') throw new Error(`unexpected worker response ${r.status}`);
    return r.output;
  }

  private async runTeam(g: BuiltGraph, algorithm: string, params: AlgorithmParams, options: RunOptions): Promise<AlgorithmOutput> {
    const gate = this.teamGate;
    let open!: () => void;
    this.teamGate = new Promise<void>((resolve) => { open = resolve; });
    try {
      await gate;
      options.signal?.throwIfAborted?.();
      const t0 = performance.now();
      const state = getAlgorithm(algorithm).team!.prepare(g, params);
      const control = sharedI32(TEAM_WORDS);
      const size = this.threads;
      const onAbort = () => abortTeam(control);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const settled = await Promise.allSettled(Array.from({ length: size }, (_, index) => this.dispatch(g, {
          algorithm, params, team: { index, size, control, state },
          ...(options.fail !== undefined && { fail: options.fail }), ...(options.crash === true && { crash: true }),
        }, options, index === 0 ? options.onProgress : undefined).catch((e: unknown) => {
          abortTeam(control); // a member that failed or died can no longer reach the barrier
          throw e;
        })));
        // The first failure that is not a released member's CANCELLED is the cause.
        const failures = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
        if (failures.length > 0) {
          if (options.signal?.aborted) throw new SupernodeError('CANCELLED', `${algorithm} cancelled`);
          throw failures.find((e) => !(e instanceof SupernodeError && e.code === 'CANCELLED')) ?? failures[0];
        }
        const first = settled[0] as PromiseFulfilledResult<TaskResponse>;
        if (first.value.status !== 'ok') throw new Error(`unexpected worker response ${first.value.status}`);
        const out = first.value.output;
        return { ...out, diagnostics: { ...out.diagnostics, seconds: (performance.now() - t0) / 1000, threads: size } } as AlgorithmOutput;
      } finally {
        options.signal?.removeEventListener('abort', onAbort);
      }
    } finally {
      open();
    }
  }

  private async runSplit(g: BuiltGraph, algorithm: string, params: AlgorithmParams, options: RunOptions): Promise<AlgorithmOutput> {
    const t0 = performance.now();
    const split = getAlgorithm(algorithm).split!;
    const units = split.units?.(g, params) ?? { count: g.n, params };
    const chunks = Math.max(1, Math.min(units.count, split.ranges?.(g, params) ?? options.chunks ?? this.threads * 4));
    const done = new Float64Array(chunks);
    const report = () => options.onProgress?.(done.reduce((a, b) => a + b, 0) / chunks);
    const ranges = splitRanges(units.count, chunks);
    // Partial vectors are added in range order (the same floating-point sum on every run) as soon
    // as their predecessors are in, then dropped: holding them all until the last would cost
    // chunks x 8 B per node (16 MiB each at 2M members). Ranges finish nearly in order.
    const total = new Float64Array(g.n);
    const waiting = new Map<number, Float64Array>();
    let next = 0;
    // One listener on the caller's signal, not one per range (64 ranges would trip Node's
    // MaxListeners warning on a signal meant for a single run).
    const local = new AbortController();
    setMaxListeners(chunks + 1, local.signal);
    const forward = () => local.abort();
    if (options.signal?.aborted) local.abort();
    options.signal?.addEventListener('abort', forward, { once: true });
    const rangeOptions: RunOptions = { ...options, signal: local.signal };
    try {
      await Promise.all(ranges.map((range, i) => this.dispatch(g, { algorithm, params: units.params, range }, rangeOptions, (f) => {
        done[i] = f;
        report();
      }).then((r) => {
        if (r.status !== 'partial') throw new Error(`unexpected worker response ${r.status}`);
        waiting.set(i, r.values);
        for (let part = waiting.get(next); part !== undefined; part = waiting.get(next)) {
          const at = split.sliced ? ranges[next]!.from : 0;
          for (let v = 0; v < part.length; v++) total[at + v]! += part[v]!;
          waiting.delete(next++);
        }
      })));
    } finally {
      options.signal?.removeEventListener('abort', forward);
    }
    return split.finish(g, total, units.params, (performance.now() - t0) / 1000);
  }

  private async dispatch(
    g: BuiltGraph, body: Pick<TaskRequest, 'algorithm' | 'params' | 'range' | 'team' | 'fail' | 'crash'>, options: RunOptions,
    onProgress?: (f: number) => void,
  ): Promise<TaskResponse> {
    const graphId = graphIdOf(g);
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    const hard = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      Atomics.store(cancel, 0, 1);
      timer = setTimeout(() => hard.abort(), this.hardCancelMs);
      timer.unref();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const channel = onProgress ? new MessageChannel() : null;
        if (channel) channel.port1.on('message', (f: number) => onProgress!(f));
        const req: TaskRequest = {
          graphId, algorithm: body.algorithm, params: body.params, cancel,
          ...(attempt > 0 && { graph: g }),
          ...(body.range !== undefined && { range: body.range }),
          ...(body.team !== undefined && { team: body.team }),
          ...(body.fail !== undefined && { fail: body.fail }),
          ...(body.crash === true && { crash: true }),
          ...(channel && { progress: channel.port2 }),
        };
        let r: TaskResponse;
        try {
          r = await this.piscina.run(req, {
            signal: hard.signal, ...(channel && { transferList: [channel.port2] }),
          });
        } catch (e) {
          if (hard.signal.aborted || options.signal?.aborted) {
            throw new SupernodeError('CANCELLED', `${body.algorithm} cancelled`);
          }
          throw new SupernodeError('WORKER_FAILED', `${body.algorithm} worker failed: ${e instanceof Error ? e.message : String(e)}`);
        } finally {
          channel?.port1.close();
        }
        if (r.status === 'missing-graph') continue;
        if (r.status === 'error') {
          const code = (r.code in ERROR_CATALOGUE ? r.code : 'WORKER_FAILED') as ErrorCode;
          throw new SupernodeError(code, r.message);
        }
        return r;
      }
      throw new SupernodeError('WORKER_FAILED', 'worker did not accept the graph');
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      if (timer !== undefined) clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.piscina.close({ force: true });
  }
}
