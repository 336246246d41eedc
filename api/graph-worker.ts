/**
 * The graph thread (see api/graph-thread.ts): loads a dataset version, builds the graph its
 * analysis ranked, keeps it in a bounded LRU cache and cuts subgraphs from it on request.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LRUCache } from 'lru-cache';
import { isSupernodeError } from '../engine/errors.js';
import { extract, type GraphSource, graphSource, sourceBytes } from '../engine/export/source.js';
import { DatasetStore } from '../engine/store/index.js';
import type { FromGraphWorker, GraphThreadData, GraphWork, ToGraphWorker } from './graph-thread.js';
import { lowerThisThread } from './threads.js';

const port = parentPort!;
const data = workerData as GraphThreadData;
const cache = new LRUCache<string, GraphSource>({ max: data.maxEntries, maxSize: data.maxBytes, sizeCalculation: (s) => Math.max(1, sourceBytes(s)) });
const loading = new Map<string, Promise<GraphSource>>();
const stores = new Map<string, DatasetStore>();

/** Fields of a request that cannot change the graph; any other (present or future) is part of the key. */
function key(w: GraphWork): string {
  const { measures: _m, seed: _s, resolution: _r, publish: _p, ...graphPart } = w.request;
  return JSON.stringify([w.dataDir, w.dataset, w.created, w.version, w.directed, graphPart]);
}

async function source(w: GraphWork): Promise<GraphSource> {
  const k = key(w);
  const hit = cache.get(k);
  if (hit !== undefined) return hit;
  let p = loading.get(k);
  if (p === undefined) {
    p = (async () => {
      let store = stores.get(w.dataDir);
      if (store === undefined) stores.set(w.dataDir, (store = new DatasetStore(w.dataDir)));
      const loaded = await store.load(w.dataset, w.version);
      const s = graphSource(loaded.columns, loaded.members, w.directed, w.request);
      cache.set(k, s); // refused (not kept) when larger than the whole cache
      return s;
    })();
    loading.set(k, p);
    void p.then(() => loading.delete(k), () => loading.delete(k));
  }
  return p;
}

port.on('message', (m: ToGraphWorker) => {
  void (async () => {
    try {
      const g = extract(await source(m.work), m.work.selection, m.work.limits);
      const transfer = [g.nodes.buffer, g.source.buffer, g.target.buffer, g.weight.buffer, g.counts.buffer, ...(g.rings ? [g.rings.buffer] : [])] as ArrayBuffer[];
      port.postMessage({ type: 'result', seq: m.seq, graph: g } satisfies FromGraphWorker, transfer);
    } catch (e) {
      port.postMessage({ type: 'error', seq: m.seq, code: isSupernodeError(e) ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e) } satisfies FromGraphWorker);
    }
  })();
});

await lowerThisThread(data.nice);
