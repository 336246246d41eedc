/**
 * Subgraph extraction off the event loop, for the graph routes (api/routes/graphs.ts). Building a
 * dataset's graph (load the Arrow chunks, build the CSR, its undirected view) costs the event loop
 * seconds on a large dataset; the ego network or community subgraph cut from it is small. So one
 * worker thread of its own (api/graph-worker.ts, at job priority) loads and keeps a bounded cache
 * of graph sources, keyed by dataset, its creation time (a re-created dataset never hits an old
 * entry), version and the analysis request that decides the graph (window, types); the main thread
 * sends member ids and gets back the subgraph as ids and typed arrays.
 *
 * Bounds: GRAPH_CACHE.maxEntries sources and GRAPH_CACHE.maxBytes of columns and rows, least
 * recently used evicted first (a source larger than maxBytes is built for its request and not
 * kept). The thread starts on the first graph request and is kept while the server runs; if it
 * dies, requests in flight fail with WORKER_FAILED and the next request starts a new one.
 */
import type { Worker } from 'node:worker_threads';
import { SupernodeError } from '../engine/errors.js';
import type { ExtractedGraph, Selection } from '../engine/export/source.js';
import type { SubgraphLimits } from '../engine/export/subgraph.js';
import type { AnalysisRequest } from '../engine/rank/analysis.js';
import { codedError } from './analysis-thread.js';
import { startWorker } from './threads.js';

export const GRAPH_CACHE = Object.freeze({ maxEntries: 4, maxBytes: 2 * 2 ** 30 });

export interface GraphWork {
  readonly dataDir: string;
  readonly dataset: string;
  /** The dataset's creation time: part of the cache key. */
  readonly created: string;
  readonly version: number;
  readonly directed: boolean;
  readonly request: AnalysisRequest;
  readonly selection: Selection;
  readonly limits: Partial<SubgraphLimits>;
}

export interface GraphThreadData {
  readonly nice: number;
  readonly maxEntries: number;
  readonly maxBytes: number;
}

export type ToGraphWorker = { readonly type: 'extract'; readonly seq: number; readonly work: GraphWork };
export type FromGraphWorker =
  | { readonly type: 'result'; readonly seq: number; readonly graph: ExtractedGraph }
  | { readonly type: 'error'; readonly seq: number; readonly code: string; readonly message: string };

export class GraphThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (g: ExtractedGraph) => void; reject: (e: Error) => void }>();
  private seq = 0;
  private closed = false;

  constructor(private readonly nice: number, private readonly cache: { maxEntries: number; maxBytes: number } = GRAPH_CACHE) {}

  extract(work: GraphWork): Promise<ExtractedGraph> {
    if (this.closed) return Promise.reject(new SupernodeError('SHUTTING_DOWN', 'the server is shutting down'));
    const w = this.worker ?? this.start();
    const seq = this.seq++;
    return new Promise<ExtractedGraph>((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      w.ref();
      w.postMessage({ type: 'extract', seq, work } satisfies ToGraphWorker);
    });
  }

  private start(): Worker {
    const w = startWorker(import.meta.url, './graph-worker', { nice: this.nice, ...this.cache } satisfies GraphThreadData);
    const fail = (e: Error) => {
      if (this.worker === w) this.worker = null;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    w.on('message', (m: FromGraphWorker) => {
      const p = this.pending.get(m.seq);
      if (p === undefined) return;
      this.pending.delete(m.seq);
      if (this.pending.size === 0) w.unref(); // an idle thread must not keep the process alive
      if (m.type === 'result') p.resolve(m.graph);
      else p.reject(codedError(m.code, m.message));
    });
    w.on('error', (e) => fail(new SupernodeError('WORKER_FAILED', `graph thread failed: ${e.message}`)));
    w.on('exit', (code) => fail(new SupernodeError('WORKER_FAILED', `graph thread exited (${code})`)));
    w.unref();
    this.worker = w;
    return w;
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    if (w !== null) await w.terminate();
  }
}
