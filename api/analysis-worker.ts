/**
 * The analysis worker thread (see api/analysis-thread.ts), one job at a time: loads the dataset's
 * latest version, runs `analyse` with a runner that asks the main thread to run each kernel in the
 * pool, then encodes the snapshot and moves its bytes back. It writes nothing: the main thread persists the
 * bytes under the dataset's lock, so a dataset deleted meanwhile never gets a stray snapshot folder.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type AlgorithmOutput, getAlgorithm } from '../engine/catalog/index.js';
import { isSupernodeError } from '../engine/errors.js';
import { type BuiltGraph, undirectedView } from '../engine/graph/builder.js';
import { analyse, type Runner } from '../engine/rank/analysis.js';
import { DatasetStore } from '../engine/store/index.js';
import { type AnalysisThreadData, type AnalysisWork, codedError, type ToMain, type ToWorker } from './analysis-thread.js';
import { encodeSnapshot } from './snapshots/encoding.js';
import { lowerThisThread } from './threads.js';

const port = parentPort!;
const post = (m: ToMain, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

interface Pending {
  resolve: (o: AlgorithmOutput) => void;
  reject: (e: Error) => void;
  onProgress?: ((f: number) => void) | undefined;
}
const pending = new Map<number, Pending>();
let nextSeq = 0;
const graphIds = new WeakMap<BuiltGraph, number>();
let nextGraphId = 0;

port.on('message', (m: ToWorker) => {
  if (m.type === 'start') {
    void runJob(m.work);
    return;
  }
  const p = pending.get(m.seq);
  if (p === undefined) return;
  if (m.type === 'kernel-progress') {
    p.onProgress?.(m.value);
    return;
  }
  pending.delete(m.seq);
  if (m.type === 'kernel-done') p.resolve(m.output);
  else p.reject(codedError(m.code, m.message));
});

const runner: Runner = (graph, algorithm, params, onProgress) => new Promise<AlgorithmOutput>((resolve, reject) => {
  // The pool would build a spec's undirected view on the main thread (2-4 ms per CollegeMsg
  // analysis, O(n + m) in general); built here, in shared buffers and cached per graph, it crosses
  // like any graph, and the pool's view of an undirected graph is a shallow copy.
  const g = getAlgorithm(algorithm).view === 'undirected' ? undirectedView(graph) : graph;
  let graphId = graphIds.get(g);
  const first = graphId === undefined;
  if (graphId === undefined) graphIds.set(g, (graphId = nextGraphId++));
  const seq = nextSeq++;
  pending.set(seq, { resolve, reject, onProgress });
  post({ type: 'kernel', seq, graphId, ...(first && { graph: g }), algorithm, params, progress: onProgress !== undefined });
});

/** A buffer can be moved when the array covers all of it (else it is copied). */
function movable(a: Uint8Array): ArrayBuffer[] {
  return a.buffer instanceof ArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? [a.buffer] : [];
}

const stores = new Map<string, DatasetStore>();

async function runJob(work: AnalysisWork): Promise<void> {
  try {
    let store = stores.get(work.dataDir);
    if (store === undefined) stores.set(work.dataDir, (store = new DatasetStore(work.dataDir)));
    const loaded = await store.load(work.dataset);
    if (work.fail === 'analysis-heap') exhaustHeap();
    let last = 0;
    const out = await analyse({ columns: loaded.columns, members: loaded.members, directed: loaded.info.directed }, work.request, runner, (f) => {
      if (f - last < 0.005 && f < 1) return;
      last = f;
      post({ type: 'progress', value: f });
    });
    const encoded = encodeSnapshot(out, { kind: 'analysis', datasetVersion: loaded.version, jobId: work.jobId, request: work.request });
    post({ type: 'done', encoded }, [...movable(encoded.members), ...movable(encoded.parts)]);
  } catch (e) {
    // Uncoded errors stay INTERNAL, as they were when the analysis ran on the main thread.
    post({ type: 'error', code: isSupernodeError(e) ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e) });
  } finally {
    pending.clear();
  }
}

/** The fault test's runaway job: holds ever more JS arrays until V8 stops the thread at its heap limit. */
function exhaustHeap(): never {
  const hold: number[][] = [];
  for (;;) hold.push(new Array<number>(1 << 16).fill(hold.length));
}

await lowerThisThread((workerData as AnalysisThreadData).nice);
