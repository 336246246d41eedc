/**
 * What a job does: load the dataset's latest version from the store, run the analysis with every
 * kernel in the worker pool (cancellation and progress cross to the workers), and publish the
 * result as a new immutable snapshot. Seeds jobs run influence maximisation in a worker thread of
 * their own (api/seeds-worker.ts) so the event loop keeps serving reads.
 */
import type { AlgorithmParams } from '../engine/algorithms/catalog/index.js';
import type { BuiltGraph } from '../engine/graph/builder.js';
import { type AnalysisRequest, analyse, type Runner } from '../engine/rank/analysis.js';
import type { DatasetStore } from '../engine/store/index.js';
import type { WorkerPool } from '../workers/pool.js';
import type { JobExecutor, SeedsRequest } from './jobs.js';
import { runSeeds } from './seeds.js';
import type { SnapshotStore } from './snapshots.js';

export interface ExecutorDeps {
  readonly store: DatasetStore;
  readonly snapshots: SnapshotStore;
  readonly pool: WorkerPool;
  /** Honour the `failForTest` request field (fault tests only). */
  readonly testHooks: boolean;
}

export function makeExecutor(deps: ExecutorDeps): JobExecutor {
  return async (job, signal, onProgress) => {
    const loaded = await deps.store.load(job.dataset);
    signal.throwIfAborted();
    const input = { columns: loaded.columns, members: loaded.members, directed: loaded.info.directed };
    if (job.kind === 'seeds') {
      const req = job.request as SeedsRequest;
      const seeds = await runSeeds(input, req, signal, onProgress);
      const snap = deps.snapshots.write(job.dataset, null, {
        kind: 'seeds', datasetVersion: loaded.version, jobId: job.id, request: { ...req }, seeds,
        nodes: loaded.members.size, edges: loaded.columns.source.length, directed: loaded.info.directed,
      });
      return snap.meta.id;
    }
    const req = job.request as AnalysisRequest & { failForTest?: string };
    const fail = deps.testHooks ? req.failForTest : undefined;
    const runner: Runner = (g: BuiltGraph, algorithm: string, params: AlgorithmParams, p?: (f: number) => void) =>
      deps.pool.run(g, algorithm, params, { signal, ...(p && { onProgress: p }), ...(fail !== undefined && { fail }) });
    const { failForTest: _drop, ...clean } = req;
    const out = await analyse(input, clean, runner, onProgress);
    signal.throwIfAborted();
    await deps.store.describe(job.dataset); // deleted meanwhile: fail rather than leave a stray folder
    const snap = deps.snapshots.write(job.dataset, out, { kind: 'analysis', datasetVersion: loaded.version, jobId: job.id, request: clean });
    return snap.meta.id;
  };
}
