/**
 * What a job does: an analysis loads the dataset's latest version and runs in a worker thread of
 * its own with every kernel in the worker pool (cancellation and progress cross to the workers;
 * api/analysis-thread.ts), and the encoded result is persisted as a new immutable snapshot. The
 * event loop only passes messages and writes the bytes with asynchronous I/O, so it keeps
 * answering reads while a job runs. Seeds jobs load here and run influence maximisation in a
 * worker thread of their own (api/seeds-worker.ts).
 */
import type { AnalysisRequest } from '../engine/rank/analysis.js';
import type { DatasetStore } from '../engine/store/index.js';
import type { AnalysisThreads } from './analysis-thread.js';
import type { ApiContext } from './context.js';
import type { JobExecutor, SeedsRequest } from './jobs.js';
import { runSeeds } from './seeds.js';
import { encodeSnapshot, type EncodedSnapshot, type SnapshotStore } from './snapshots/index.js';

export interface ExecutorDeps {
  readonly store: DatasetStore;
  readonly snapshots: SnapshotStore;
  /** Threads that run the analysis orchestration (kernels go to their pool). */
  readonly analysis: AnalysisThreads;
  /** Serialises writes per dataset (shared with uploads and deletes). */
  readonly lock: ApiContext['lock'];
  /** Nice increment for the seeds thread (0 = same priority as the event loop). */
  readonly nice: number;
  /** Honour the `failForTest` request field (fault tests only). */
  readonly testHooks: boolean;
}

export function makeExecutor(deps: ExecutorDeps): JobExecutor {
  // Under the dataset's lock, and only if it still exists: a delete that won the race leaves no
  // stray snapshot folder behind, and two jobs on one dataset never take the same snapshot id.
  // The job's signal reaches the write: a job cancelled (or a server stopping) while its snapshot is
  // written publishes nothing.
  const persist = (dataset: string, enc: EncodedSnapshot, signal: AbortSignal) => deps.lock(dataset, async () => {
    await deps.store.describe(dataset);
    return (await deps.snapshots.persist(dataset, enc, signal)).id;
  });
  return async (job, signal, onProgress) => {
    if (job.kind === 'seeds') {
      const loaded = await deps.store.load(job.dataset);
      signal.throwIfAborted();
      const input = { columns: loaded.columns, members: loaded.members, directed: loaded.info.directed };
      const req = job.request as SeedsRequest;
      const seeds = await runSeeds(input, req, signal, onProgress, deps.nice);
      return persist(job.dataset, encodeSnapshot(null, {
        kind: 'seeds', datasetVersion: loaded.version, jobId: job.id, request: { ...req }, seeds,
        nodes: loaded.members.size, edges: loaded.columns.source.length, directed: loaded.info.directed,
      }), signal);
    }
    const req = job.request as AnalysisRequest & { failForTest?: string };
    const fail = deps.testHooks ? req.failForTest : undefined;
    const { failForTest: _drop, ...clean } = req;
    const encoded = await deps.analysis.run(
      { dataDir: deps.store.dataDir, dataset: job.dataset, request: clean, jobId: job.id },
      { signal, onProgress, ...(fail !== undefined && { fail }) },
    );
    signal.throwIfAborted();
    return persist(job.dataset, encoded, signal);
  };
}
