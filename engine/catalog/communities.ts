/** Catalogue entries: communities measures (Louvain, Leiden, label propagation). */
import { SupernodeError } from '../errors.js';
import { labelPropagation } from '../algorithms/label-propagation.js';
import { leiden } from '../algorithms/leiden.js';
import { louvain, type PartitionResult } from '../algorithms/louvain.js';
import type { AlgorithmOutput, AlgorithmParams, AlgorithmSpec } from './types.js';

function resolution(p: AlgorithmParams): number {
  const r = p.resolution ?? 1;
  if (typeof r !== 'number' || !Number.isFinite(r) || r <= 0) {
    throw new SupernodeError('BAD_OPTION', `resolution must be a finite number > 0, got ${String(r)}`);
  }
  return r;
}

function seed(p: AlgorithmParams): number {
  if (typeof p.seed !== 'number' || !Number.isFinite(p.seed)) {
    throw new SupernodeError('BAD_OPTION', `seed must be a finite number, got ${String(p.seed)}`);
  }
  return p.seed;
}

const output = (r: PartitionResult, extra: Record<string, number> = {}): AlgorithmOutput => ({
  kind: 'partition', membership: r.membership, modularity: r.modularity,
  diagnostics: {
    communities: r.communities, levels: r.levels, iterations: r.iterations, moves: r.moves,
    converged: r.converged, seconds: r.seconds, ...extra,
  },
});

export const COMMUNITIES: readonly AlgorithmSpec[] = [
  {
    name: 'louvain', summary: 'Louvain modularity communities (undirected view, --resolution, seeded)', view: 'undirected',
    run: (g, p, ctl) => output(louvain(g, { resolution: resolution(p), seed: seed(p) }, ctl)),
  },
  {
    name: 'leiden', summary: 'Leiden modularity communities, every community connected (undirected view, seeded)', view: 'undirected',
    run: (g, p, ctl) => {
      const iterations = typeof p['iterations'] === 'number' ? p['iterations'] : -1;
      const r = leiden(g, {
        resolution: resolution(p), seed: seed(p), iterations,
        ...(typeof p['tolerance'] === 'number' && { tolerance: p['tolerance'] }),
      }, ctl);
      return output(r, { splitCommunities: r.splitCommunities });
    },
  },
  {
    name: 'label-propagation', summary: 'asynchronous label propagation, the fast baseline (undirected view, seeded)', view: 'undirected',
    run: (g, p, ctl) => output(labelPropagation(g, { seed: seed(p), resolution: resolution(p) }, ctl)),
  },
];
