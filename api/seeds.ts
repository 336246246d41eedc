/**
 * Seed users for a budget k (influence maximisation) as a job: IMM in a worker thread of its own.
 * The result names the seeds by member id, in selection order, with their Monte Carlo spread.
 */
import type { EdgeColumns } from '../engine/graph/builder.js';
import type { MemberDictionary } from '../engine/ingest/dictionary.js';
import { type ErrorCode, SupernodeError } from '../engine/errors.js';
import type { SeedsRequest } from './jobs.js';
import type { SeedsResult } from './snapshots/index.js';
import { startWorker } from './threads.js';

export async function runSeeds(
  input: { columns: EdgeColumns; members: MemberDictionary; directed: boolean }, req: SeedsRequest,
  signal: AbortSignal, onProgress: (f: number) => void, nice = 0,
): Promise<SeedsResult> {
  if (req.model === 'ic' && (req.p === undefined || !(req.p > 0 && req.p <= 1))) {
    throw new SupernodeError('BAD_OPTION', 'model "ic" needs p in (0, 1]');
  }
  const model = req.model === 'ic' ? { kind: 'ic' as const, p: req.p! } : { kind: req.model };
  const worker = startWorker(import.meta.url, './seeds-worker', {
    columns: input.columns, directed: input.directed, k: req.k, model, seed: req.seed ?? 42, nice,
    ...(req.epsilon !== undefined && { epsilon: req.epsilon }),
  });
  type Out = { seeds: number[]; spread: { mean: number; ci95: [number, number]; runs: number }; diagnostics: Record<string, unknown> };
  const out = await new Promise<Out>((resolve, reject) => {
    const onAbort = () => {
      void worker.terminate();
      reject(new SupernodeError('CANCELLED', 'seeds job cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: { progress?: number; result?: Out; error?: { code: ErrorCode; message: string } }) => {
      if (m.progress !== undefined) onProgress(m.progress);
      else if (m.result !== undefined) resolve(m.result);
      else if (m.error !== undefined) reject(new SupernodeError(m.error.code, m.error.message));
    });
    worker.on('error', (e) => reject(new SupernodeError('WORKER_FAILED', `seeds worker failed: ${e.message}`)));
    worker.on('exit', () => {
      signal.removeEventListener('abort', onAbort);
      reject(new SupernodeError('WORKER_FAILED', 'seeds worker exited without a result'));
    });
  });
  void worker.terminate();
  return {
    k: req.k, model: req.model, p: req.p ?? null,
    seeds: out.seeds.map((i, order) => ({ id: input.members.idOf(i), order: order + 1 })),
    spread: Number.isFinite(out.spread.mean) ? out.spread : null,
    diagnostics: out.diagnostics,
  };
}
