import { afterAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../workers/pool.js';
import { runAlgorithm } from '../../engine/catalog/index.js';
import { ringGraph } from '../helpers/graphs.js';
import { CASES, loadCase } from '../helpers/reference.js';

const pool = new WorkerPool({ threads: 2, hardCancelMs: 1000 });
afterAll(() => pool.close());

describe('WorkerPool', () => {
  it('worker PageRank equals in-thread PageRank bit for bit on every shared dataset', async () => {
    for (const c of CASES) {
      const { graph } = loadCase(c);
      const inThread = runAlgorithm('pagerank', graph, { seed: 1 });
      const inWorker = await pool.run(graph, 'pagerank', { seed: 1 });
      expect(inWorker.kind).toBe('values');
      if (inWorker.kind !== 'values' || inThread.kind !== 'values') throw new Error('kind');
      expect(Array.from(inWorker.values)).toEqual(Array.from(inThread.values));
    }
  });

  it('reach split over member ranges equals in-thread reach exactly; split betweenness is the same sum on every run', async () => {
    for (const name of ['email-Eu-core', 'ego-Facebook']) {
      const { graph } = loadCase(CASES.find((c) => c.name === name)!);
      const inThread = runAlgorithm('reach', graph, { seed: 1 });
      const split = await pool.run(graph, 'reach', { seed: 1 });
      if (split.kind !== 'values' || inThread.kind !== 'values') throw new Error('kind');
      expect(Array.from(split.values)).toEqual(Array.from(inThread.values));
    }
    const { graph } = loadCase(CASES.find((c) => c.name === 'karate')!);
    const a = await pool.run(graph, 'betweenness', { seed: 1 }, { chunks: 8 });
    const b = await pool.run(graph, 'betweenness', { seed: 1 }, { chunks: 8 });
    if (a.kind !== 'values' || b.kind !== 'values') throw new Error('kind');
    expect(Array.from(b.values)).toEqual(Array.from(a.values));
  });

  it('shares the graph buffers instead of copying them', async () => {
    const g = ringGraph(1000);
    expect(g.outTargets.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(g.inSources.buffer).toBeInstanceOf(SharedArrayBuffer);
    await pool.run(g, 'degree', { seed: 1 });
  });

  it('reports progress and stops within a second of cancellation; the pool stays usable', async () => {
    const g = ringGraph(400_000);
    const ac = new AbortController();
    const seen: number[] = [];
    const p = pool.run(g, 'pagerank', { seed: 1, tolerance: 0 }, { signal: ac.signal, onProgress: (f) => seen.push(f) });
    await new Promise((r) => setTimeout(r, 600));
    const t0 = performance.now();
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(seen.length).toBeGreaterThan(0);
    const after = await pool.run(ringGraph(10), 'pagerank', { seed: 1 });
    expect(after.kind).toBe('values');
  });

  it('a long exact betweenness run split across both workers stops within a second of cancellation', async () => {
    const g = ringGraph(200_000); // ~200k BFS sources of 400k arcs each: minutes of work
    const ac = new AbortController();
    let progress = 0;
    const p = pool.run(g, 'betweenness', { seed: 1 }, { signal: ac.signal, onProgress: (f) => { progress = f; } });
    await new Promise((r) => setTimeout(r, 800));
    const t0 = performance.now();
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(progress).toBeLessThan(1);
    const small = loadCase(CASES[0]!).graph;
    const [split, inThread] = [await pool.run(small, 'betweenness', { seed: 1 }), runAlgorithm('betweenness', small, { seed: 1 })];
    if (split.kind !== 'values' || inThread.kind !== 'values') throw new Error('kind');
    for (let i = 0; i < small.n; i++) expect(split.values[i]).toBeCloseTo(inThread.values[i]!, 12);
  });

  it('a task that throws fails with a coded error and the next task succeeds', async () => {
    const g = ringGraph(10);
    await expect(pool.run(g, 'degree', { seed: 1 }, { fail: 'boom' })).rejects.toMatchObject({ code: 'WORKER_FAILED' });
    await expect(pool.run(g, 'no-such-algorithm', { seed: 1 })).rejects.toMatchObject({ code: 'UNKNOWN_ALGORITHM' });
    const ok = await pool.run(g, 'degree', { seed: 1 });
    expect(ok.kind).toBe('values');
  });
});
