/**
 * A one-shot worker thread for a seeds job: builds the graph from the copied edge columns and runs
 * IMM (engine/rank/imm.ts) off the main thread. Cancel = the parent terminates the thread;
 * progress goes back as `{progress}` messages, the result as `{result}` or `{error}`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildGraph, type EdgeColumns } from '../engine/graph/builder.js';
import { imm } from '../engine/rank/imm.js';
import type { CascadeModel } from '../engine/rank/spread.js';
import { isSupernodeError } from '../engine/errors.js';
import { lowerThisThread } from './threads.js';

interface SeedsWork {
  columns: EdgeColumns;
  directed: boolean;
  k: number;
  model: CascadeModel;
  seed: number;
  epsilon?: number;
  /** Nice increment: IMM must not take a core from the event loop (api/threads.ts). */
  nice: number;
}

const w = workerData as SeedsWork;
try {
  await lowerThisThread(w.nice);
  const g = buildGraph(w.columns, { directed: w.directed, weighted: true, keepSelfLoops: false });
  const r = imm(g, { k: Math.min(w.k, g.n), model: w.model, seed: w.seed, ...(w.epsilon !== undefined && { epsilon: w.epsilon }) }, {
    onProgress: (f) => parentPort!.postMessage({ progress: f }),
  });
  parentPort!.postMessage({ result: { seeds: r.seeds, spread: r.spread, diagnostics: r.diagnostics } });
} catch (e) {
  parentPort!.postMessage({
    error: isSupernodeError(e) ? { code: e.code, message: e.message } : { code: 'WORKER_FAILED', message: e instanceof Error ? e.message : String(e) },
  });
}
