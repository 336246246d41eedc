/** Catalogue entries: the answer measures per member (core-periphery coreness, mean tie overlap). */
import { CORE_PERIPHERY_DEFAULTS, corePeriphery } from '../algorithms/core-periphery.js';
import { ties } from '../algorithms/ties.js';
import { type AlgorithmSpec, values } from './types.js';

export const ANSWERS: readonly AlgorithmSpec[] = [
  {
    name: 'core-periphery', summary: 'Borgatti-Everett continuous coreness, largest = 1 (undirected, unweighted); diagnostics give the core cut', view: 'undirected',
    run: (g, p, ctl) => {
      const r = corePeriphery(g, {
        tolerance: typeof p['tolerance'] === 'number' ? p['tolerance'] : CORE_PERIPHERY_DEFAULTS.tolerance,
        maxIterations: typeof p['maxIterations'] === 'number' ? p['maxIterations'] : CORE_PERIPHERY_DEFAULTS.maxIterations,
      }, ctl);
      return values(r.scores, { coreSize: r.coreSize, fit: r.fit, iterations: r.iterations, converged: r.converged, residual: r.residual, seconds: r.seconds });
    },
  },
  {
    // As-is: reciprocity needs the direction; the kernel builds the undirected view itself.
    name: 'tie-overlap', summary: "mean neighbourhood overlap (Onnela et al.) of the member's ties, 0 without ties; low = ties that span groups", view: 'as-is',
    run: (g, _p, ctl) => {
      const r = ties(g, ctl);
      const sum = new Float64Array(g.n), deg = new Float64Array(g.n);
      for (let t = 0; t < r.source.length; t++) {
        const u = r.source[t]!, v = r.target[t]!, o = r.overlap[t]!;
        sum[u]! += o; sum[v]! += o; deg[u]!++; deg[v]!++;
      }
      for (let u = 0; u < g.n; u++) sum[u] = deg[u]! > 0 ? sum[u]! / deg[u]! : 0;
      return values(sum, { ties: r.source.length, reciprocity: r.reciprocity, seconds: r.seconds });
    },
  },
];
