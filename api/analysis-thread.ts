/**
 * An analysis job off the event loop. The orchestration of `analyse` (graph builds, the rising-star
 * windows, roles, super-node scores, explanations, community summaries) and the encoding of the
 * snapshot run in a worker thread of their own (api/analysis-worker.ts), at low CPU priority;
 * the kernels still run in the shared piscina pool, which that thread reaches through this side:
 * it asks for a kernel, this side runs it with `pool.run` (cancel signal, progress, split across
 * threads) and hands the result back. Before this, the synchronous parts of a job held the event
 * loop for ~200 ms per CollegeMsg analysis, in blocks of tens of ms, and every request in flight
 * waited for them.
 *
 * Graphs cross by id: the worker sends a graph's (shared) buffers with its first kernel request
 * and names it by id afterwards, so this side passes the same object to the pool every time and
 * the pool threads keep their per-graph caches.
 *
 * Threads are kept between jobs (starting one costs ~0.1 s compiled and ~2 s under tsx); a thread
 * whose job was cancelled or failed is terminated rather than reused, so no half-finished state
 * leaks into the next job.
 *
 * Each thread runs under `resourceLimits` (a heap of `heapMb`, default ANALYSIS_HEAP_MB in
 * engine/limits.ts): without one, a job that exhausts the heap aborts the whole process (V8's
 * fatal "heap out of memory"); with one, V8 stops only that thread, and its job fails with
 * JOB_FAILED naming the limit while the server goes on serving. (Typed arrays and the graphs'
 * SharedArrayBuffers live outside the V8 heap; the sizes drawn from data are bounded in
 * engine/limits.ts.)
 */
import type { Worker } from 'node:worker_threads';
import type { AlgorithmOutput, AlgorithmParams } from '../engine/catalog/index.js';
import { type ErrorCode, ERROR_CATALOGUE, isSupernodeError, SupernodeError } from '../engine/errors.js';
import { ANALYSIS_HEAP_MB } from '../engine/limits.js';
import type { BuiltGraph } from '../engine/graph/builder.js';
import type { AnalysisRequest } from '../engine/rank/analysis.js';
import type { WorkerPool } from '../workers/pool.js';
import type { EncodedSnapshot } from './snapshots/index.js';
import { startWorker } from './threads.js';

/**
 * One job for the worker. It loads the dataset itself: on the main thread, reading the Arrow
 * chunks and copying the columns into the worker held the event loop for 20-50 ms per CollegeMsg
 * job. A store instance in another thread is like the CLI reading the data directory while the
 * server runs, which the store supports (atomic manifests; its sweep only removes orphans older
 * than a minute).
 */
export interface AnalysisWork {
  readonly dataDir: string;
  readonly dataset: string;
  readonly request: AnalysisRequest;
  readonly jobId: string;
  /** Test hook (testHooks only): `analysis-heap` makes the thread exhaust its heap. */
  readonly fail?: string;
}

/** workerData of an analysis thread. */
export interface AnalysisThreadData {
  /** Nice increment the thread applies to itself once. */
  readonly nice: number;
}

export type ToMain =
  | { readonly type: 'kernel'; readonly seq: number; readonly graphId: number; readonly graph?: BuiltGraph; readonly algorithm: string; readonly params: AlgorithmParams; readonly progress: boolean }
  | { readonly type: 'progress'; readonly value: number }
  | { readonly type: 'done'; readonly encoded: EncodedSnapshot }
  | { readonly type: 'error'; readonly code: string; readonly message: string };

export type ToWorker =
  | { readonly type: 'start'; readonly work: AnalysisWork }
  | { readonly type: 'kernel-progress'; readonly seq: number; readonly value: number }
  | { readonly type: 'kernel-done'; readonly seq: number; readonly output: AlgorithmOutput }
  | { readonly type: 'kernel-error'; readonly seq: number; readonly code: string; readonly message: string };

/** Progress steps smaller than this are not forwarded (a kernel reports once per outer loop). */
const PROGRESS_STEP = 0.005;

export function codedError(code: string, message: string): SupernodeError {
  return new SupernodeError((code in ERROR_CATALOGUE ? code : 'WORKER_FAILED') as ErrorCode, message);
}

/** The non-shared buffers of a kernel result: moved to the worker, not copied. */
export function ownBuffers(value: object): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of Object.values(value)) {
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) out.add(v.buffer);
  }
  return [...out];
}

export class AnalysisThreads {
  private readonly idle: Worker[] = [];
  private readonly busy = new Set<Worker>();
  private closed = false;

  /** `maxIdle` threads are kept for the next job (one per concurrent job is enough). */
  constructor(
    private readonly pool: WorkerPool, private readonly nice: number, private readonly maxIdle = 1,
    private readonly heapMb = ANALYSIS_HEAP_MB,
  ) {}

  run(work: AnalysisWork, opts: { readonly signal: AbortSignal; readonly onProgress: (f: number) => void; readonly fail?: string }): Promise<EncodedSnapshot> {
    opts.signal.throwIfAborted();
    if (this.closed) throw new SupernodeError('SHUTTING_DOWN', 'the server is shutting down');
    const worker = this.idle.pop() ?? startWorker(import.meta.url, './analysis-worker', { nice: this.nice } satisfies AnalysisThreadData, {
      maxOldGenerationSizeMb: this.heapMb,
    });
    worker.ref();
    this.busy.add(worker);
    const graphs = new Map<number, BuiltGraph>();
    return new Promise<EncodedSnapshot>((resolve, reject) => {
      let settled = false;
      /** `clean`: the thread finished its job (result or coded error) and can take the next one. */
      const finish = (e: Error | null, value?: EncodedSnapshot, clean = e === null) => {
        if (settled) return;
        settled = true;
        opts.signal.removeEventListener('abort', onAbort);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        graphs.clear();
        this.busy.delete(worker);
        if (clean && !this.closed && this.idle.length < this.maxIdle) {
          worker.unref(); // an idle thread must not keep the process alive
          this.idle.push(worker);
        } else {
          void worker.terminate();
        }
        if (e !== null) reject(e);
        else resolve(value!);
      };
      // The kernels in the pool see the same signal and stop on their own.
      const onAbort = () => finish(new SupernodeError('CANCELLED', 'analysis cancelled'));
      const onError = (e: Error) => finish((e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new SupernodeError('JOB_FAILED', `the analysis ran out of memory: its heap limit is ${this.heapMb} MiB (--job-heap-mb); the server is unaffected`)
        : new SupernodeError('WORKER_FAILED', `analysis thread failed: ${e.message}`));
      const onExit = (code: number) => finish(new SupernodeError('WORKER_FAILED', `analysis thread exited (${code}) without a result`));
      const onMessage = (m: ToMain) => {
        if (settled) return;
        switch (m.type) {
          case 'kernel': runKernel(m); break;
          case 'progress': opts.onProgress(m.value); break;
          case 'done': finish(null, m.encoded); break;
          case 'error': finish(codedError(m.code, m.message), undefined, true); break;
          default: break;
        }
      };
      const runKernel = (m: Extract<ToMain, { type: 'kernel' }>) => {
        if (m.graph !== undefined) graphs.set(m.graphId, m.graph);
        const g = graphs.get(m.graphId);
        if (g === undefined) {
          worker.postMessage({ type: 'kernel-error', seq: m.seq, code: 'WORKER_FAILED', message: `unknown graph ${m.graphId}` } satisfies ToWorker);
          return;
        }
        let last = 0;
        const onProgress = m.progress ? (f: number) => {
          if (settled || (f - last < PROGRESS_STEP && f < 1)) return;
          last = f;
          worker.postMessage({ type: 'kernel-progress', seq: m.seq, value: f } satisfies ToWorker);
        } : undefined;
        this.pool.run(g, m.algorithm, m.params, { signal: opts.signal, ...(onProgress && { onProgress }), ...(opts.fail !== undefined && { fail: opts.fail }) }).then(
          (output) => {
            if (!settled) worker.postMessage({ type: 'kernel-done', seq: m.seq, output } satisfies ToWorker, ownBuffers(output));
          },
          (e: unknown) => {
            if (settled) return;
            const code = isSupernodeError(e) ? e.code : 'WORKER_FAILED';
            worker.postMessage({ type: 'kernel-error', seq: m.seq, code, message: e instanceof Error ? e.message : String(e) } satisfies ToWorker);
          },
        );
      };
      opts.signal.addEventListener('abort', onAbort, { once: true });
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ type: 'start', work: opts.fail === undefined ? work : { ...work, fail: opts.fail } } satisfies ToWorker);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.idle.splice(0), ...this.busy].map((w) => w.terminate()));
  }
}
