/**
 * Cooperative (team) runs: every parallel kernel against its serial twin, 1 vs 2 vs 3 threads, and
 * the barrier released (no deadlock) when a run is cancelled, a member throws or a member's thread
 * dies. Expected values: the serial kernels (in-thread `runAlgorithm`), whose own tests check
 * them against NetworkX/igraph references; exact measures must match them bit for bit.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../workers/pool.js';
import { type AlgorithmOutput, runAlgorithm } from '../../engine/catalog/index.js';
import { isSupernodeError } from '../../engine/errors.js';
import { ringGraph } from '../helpers/graphs.js';
import { CASES, loadCase } from '../helpers/reference.js';

// teamFromArcs 0: the small reference graphs run as teams too.
const pools = [2, 3].map((threads) => new WorkerPool({ threads, hardCancelMs: 1000, teamFromArcs: 0 }));
const [two, three] = pools as [WorkerPool, WorkerPool];
afterAll(() => Promise.all(pools.map((p) => p.close())));

const vals = (o: AlgorithmOutput): number[] => {
  if (o.kind !== 'values') throw new Error(`kind ${o.kind}`);
  return Array.from(o.values);
};

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return isSupernodeError(e) ? e.code : String(e);
  }
}

const EXACT = ['pagerank', 'hits-hub', 'hits-authority', 'eigenvector', 'reach', 'betweenness'];

describe('team runs', () => {
  it.each(EXACT)('%s: 2 and 3 threads give the serial bits on every shared dataset', async (name) => {
    for (const c of CASES) {
      const { graph } = loadCase(c);
      if (name === 'betweenness' && graph.n > 5000) continue; // exact Brandes: seconds on the larger ones
      const serial = vals(runAlgorithm(name, graph, { seed: 1 }));
      expect(vals(await two.run(graph, name, { seed: 1 }))).toEqual(serial);
      expect(vals(await three.run(graph, name, { seed: 1 }))).toEqual(serial);
    }
  });

  it('personalised PageRank: teams give the serial bits', async () => {
    const { graph } = loadCase(CASES.find((c) => c.name === 'email-Eu-core')!);
    const params = { seed: 1, sources: [0, 5, 17] };
    const serial = vals(runAlgorithm('personalized-pagerank', graph, params));
    expect(vals(await two.run(graph, 'personalized-pagerank', params))).toEqual(serial);
    expect(vals(await three.run(graph, 'personalized-pagerank', params))).toEqual(serial);
  });

  it('sampled betweenness: same seed, same bits for 1, 2 and 3 threads (sample blocks carry their own seeds)', async () => {
    const { graph } = loadCase(CASES.find((c) => c.name === 'email-Eu-core')!);
    const params = { seed: 9, epsilon: 0.02, delta: 0.1 };
    const serial = vals(runAlgorithm('betweenness-approx', graph, params));
    expect(vals(await two.run(graph, 'betweenness-approx', params))).toEqual(serial);
    expect(vals(await three.run(graph, 'betweenness-approx', params))).toEqual(serial);
  });

  it('a cancel releases every member at its barrier within a second; the pool stays usable', async () => {
    const g = ringGraph(300_000);
    const ac = new AbortController();
    const run = two.run(g, 'pagerank', { seed: 1, tolerance: 0 }, { signal: ac.signal });
    await new Promise((r) => setTimeout(r, 400));
    const t0 = performance.now();
    ac.abort();
    expect(await code(run)).toBe('CANCELLED');
    expect(performance.now() - t0).toBeLessThan(1000);
    const { graph } = loadCase(CASES[0]!);
    expect(vals(await two.run(graph, 'pagerank', { seed: 1 }))).toEqual(vals(runAlgorithm('pagerank', graph, { seed: 1 })));
  });

  it('a member that throws releases the others: the run fails with its error, not a hang', async () => {
    const g = ringGraph(200_000);
    const t0 = performance.now();
    const err = await two.run(g, 'pagerank', { seed: 1, tolerance: 0 }, { fail: 'member boom' }).catch((e: unknown) => e);
    expect(isSupernodeError(err) && err.code).toBe('WORKER_FAILED');
    expect((err as Error).message).toContain('member boom');
    expect(performance.now() - t0).toBeLessThan(5000);
    const { graph } = loadCase(CASES[0]!);
    expect(vals(await three.run(graph, 'pagerank', { seed: 1 }))).toEqual(vals(runAlgorithm('pagerank', graph, { seed: 1 })));
  });

  it('a member whose thread dies mid-run releases the others; the pool replaces the thread', async () => {
    const g = ringGraph(200_000);
    expect(await code(three.run(g, 'pagerank', { seed: 1, tolerance: 0 }, { crash: true }))).toBe('WORKER_FAILED');
    const { graph } = loadCase(CASES[0]!);
    expect(vals(await three.run(graph, 'pagerank', { seed: 1 }))).toEqual(vals(runAlgorithm('pagerank', graph, { seed: 1 })));
  });

  it('two teams and a plain task submitted at once all finish (teams take the pool one at a time)', async () => {
    const { graph } = loadCase(CASES.find((c) => c.name === 'email-Eu-core')!);
    const [a, b, c] = await Promise.all([
      two.run(graph, 'pagerank', { seed: 1 }), two.run(graph, 'eigenvector', { seed: 1 }), two.run(graph, 'kcore', { seed: 1 }),
    ]);
    expect(vals(a)).toEqual(vals(runAlgorithm('pagerank', graph, { seed: 1 })));
    expect(vals(b)).toEqual(vals(runAlgorithm('eigenvector', graph, { seed: 1 })));
    expect(vals(c)).toEqual(vals(runAlgorithm('kcore', graph, { seed: 1 })));
  });
});
