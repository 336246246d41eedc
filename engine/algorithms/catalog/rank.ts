/** Catalogue entries: measures from engine/rank that run as worker tasks (two-hop reach). */
import { twoHopReach } from '../../rank/reach.js';
import { type AlgorithmSpec, values } from './types.js';

export const RANK: readonly AlgorithmSpec[] = [
  {
    name: 'reach', summary: 'distinct members within two hops (undirected view; HyperLogLog on large graphs)', view: 'undirected',
    run: (g, _p, ctl) => {
      const r = twoHopReach(g, {}, ctl);
      return values(r.reach, {
        exactNodes: r.exactNodes, sketchedNodes: r.sketchedNodes, relativeStdError: r.relativeStdError, seconds: r.seconds,
      });
    },
  },
];
