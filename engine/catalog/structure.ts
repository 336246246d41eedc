/** Catalogue entries: structure measures (cores, components, triangles, HITS, eigenvector, holes). */
import { structuralHoles } from '../algorithms/constraint.js';
import { seconds } from '../algorithms/control.js';
import { EIGENVECTOR_DEFAULTS, type EigenvectorState, eigenvectorState, eigenvectorTeam } from '../algorithms/eigenvector.js';
import { HITS_DEFAULTS, type HitsState, hitsState, hitsTeam } from '../algorithms/hits.js';
import { kcore } from '../algorithms/kcore.js';
import { scc } from '../algorithms/scc.js';
import { triangles } from '../algorithms/triangles.js';
import { type ComponentsResult, wcc } from '../algorithms/wcc.js';
import { type AlgorithmOutput, type AlgorithmParams, type AlgorithmSpec, teamed, values } from './types.js';

const partition = (r: ComponentsResult): AlgorithmOutput => ({
  kind: 'partition', membership: r.membership, modularity: null,
  diagnostics: { components: r.count, largest: r.largest, seconds: r.seconds },
});

const iterative = (p: AlgorithmParams, d: { tolerance: number; maxIterations: number }) => ({
  tolerance: typeof p['tolerance'] === 'number' ? p['tolerance'] : d.tolerance,
  maxIterations: typeof p['maxIterations'] === 'number' ? p['maxIterations'] : d.maxIterations,
});

/** HITS' split: authorities and hubs over node ranges, a barrier per phase (hits.ts). */
const hitsSpec = (name: string, summary: string, pick: 'hubs' | 'authorities'): AlgorithmSpec => teamed(name, summary, 'as-is', {
  prepare: (g) => hitsState(g),
  work: (g, p, state, team, ctl) => {
    const t0 = performance.now();
    const r = hitsTeam(g, iterative(p, HITS_DEFAULTS), state as HitsState, team, ctl);
    return values(r[pick], { iterations: r.iterations, converged: r.converged, residual: r.residual, seconds: seconds(t0) });
  },
});

export const STRUCTURE: readonly AlgorithmSpec[] = [
  {
    // Reads the undirected neighbourhood as merged out/in rows: no view is built for it.
    name: 'kcore', summary: 'coreness: largest k whose k-core holds the member (undirected, unweighted)', view: 'as-is',
    run: (g, _p, ctl) => {
      const r = kcore(g, ctl);
      return values(new Float64Array(r.coreness), { maxCore: r.maxCore, seconds: r.seconds });
    },
  },
  {
    // Union-find over the arcs as stored gives the weak components without building the view.
    name: 'wcc', summary: 'weakly connected components, ids by smallest member', view: 'as-is',
    run: (g, _p, ctl) => partition(wcc(g, ctl)),
  },
  {
    name: 'scc', summary: 'strongly connected components (iterative Tarjan), ids by smallest member', view: 'as-is',
    run: (g, _p, ctl) => partition(scc(g, ctl)),
  },
  {
    name: 'triangles', summary: 'triangles through the member (undirected, unweighted)', view: 'undirected',
    run: (g, _p, ctl) => {
      const r = triangles(g, ctl);
      return values(r.triangles, { total: r.total, seconds: r.seconds });
    },
  },
  {
    name: 'clustering', summary: 'local clustering coefficient, 0 below degree 2 (undirected, unweighted)', view: 'undirected',
    run: (g, _p, ctl) => {
      const r = triangles(g, ctl);
      return values(r.clustering, { total: r.total, seconds: r.seconds });
    },
  },
  hitsSpec('hits-hub', 'HITS hub score, weighted, sums to 1 (acts towards good authorities)', 'hubs'),
  hitsSpec('hits-authority', 'HITS authority score, weighted, sums to 1 (acted on by good hubs)', 'authorities'),
  teamed('eigenvector', 'eigenvector centrality, in-edge convention, weighted, unit L2 norm', 'as-is', {
    prepare: (g) => eigenvectorState(g),
    work: (g, p, state, team, ctl) => {
      const t0 = performance.now();
      const r = eigenvectorTeam(g, iterative(p, EIGENVECTOR_DEFAULTS), state as EigenvectorState, team, ctl);
      return values(r.scores, { iterations: r.iterations, converged: r.converged, residual: r.residual, seconds: seconds(t0) });
    },
  }),
  {
    name: 'constraint', summary: "Burt's constraint (undirected view, weighted), NaN when isolated", view: 'undirected',
    run: (g, _p, ctl) => {
      const r = structuralHoles(g, ctl);
      return values(r.constraint, { isolated: r.isolated, seconds: r.seconds });
    },
  },
  {
    name: 'effective-size', summary: "Burt's effective size (undirected view, weighted), NaN when isolated", view: 'undirected',
    run: (g, _p, ctl) => {
      const r = structuralHoles(g, ctl);
      return values(r.effectiveSize, { isolated: r.isolated, seconds: r.seconds });
    },
  },
];
