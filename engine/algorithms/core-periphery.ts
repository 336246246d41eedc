/**
 * Core and periphery: Borgatti & Everett's continuous coreness, and the discrete core it implies.
 *
 * Definition (continuous model): the coreness vector c >= 0 that best reproduces the tie pattern
 * as c_i * c_j, i.e. minimises sum_{i != j} (a_ij - c_i c_j)^2 over the undirected simple view
 * (a_ij = 1 for a tie; the diagonal is left out, as B&E do). A core member's ties run to other core
 * members and to the periphery; peripheral members are tied to the core, rarely to each other.
 * Scores are reported divided by the largest, so the most central core member has 1.
 * Discrete cut: members ordered by coreness; the core is the prefix of size k that maximises the
 * correlation (phi) between the ties and B&E's ideal discrete pattern (every core-core pair tied,
 * no periphery-periphery pair tied, core-periphery pairs left out of the correlation: their
 * "intermediate" block), k from 2 to n - 2. `fit` is that correlation.
 * References: S. P. Borgatti, M. G. Everett, "Models of core/periphery structures", Social
 * Networks 21(4), 1999, doi:10.1016/S0378-8733(99)00019-2; J. P. Boyd, W. J. Fitzgerald, R. J.
 * Beck, "Computing core/periphery structures and permutation tests for social relations data",
 * Social Networks 28(2), 2006, doi:10.1016/j.socnet.2005.06.003 (the minimum-residual fit).
 * Variant: cyclic coordinate descent. Each step sets c_i to its exact minimiser given the others,
 * c_i = (sum_j a_ij c_j) / (S - c_i^2) with S = sum_j c_j^2 kept up to date, so the residual never
 * rises and the sweeps converge (a simultaneous, power-iteration-like update oscillates on
 * bipartite graphs such as a star). Starts from sqrt(degree); stops when no score moves by more
 * than `tolerance` times the largest score in a sweep, or after `maxIterations` sweeps. Where
 * the fit has no finite optimum (a star: it wants c_hub c_leaf = 1 and c_leaf c_leaf = 0, so the
 * hub's score grows without bound) the sweeps stop at `maxIterations` with the order settled and
 * `converged` false; the scores, divided by the largest, are still the ones to read.
 * Complexity: O(n + m) per sweep; the cut O(n log n + m); memory: three float64 per node.
 * Conventions: undirected simple view, unweighted (interaction counts are heavy-tailed: one pair
 * with hundreds of messages would otherwise define the core by itself), self-loops ignored;
 * members without a tie get 0 and are periphery.
 */
import type { CsrGraph } from '../graph/csr.js';
import { Checkpoint, type RunControl, seconds } from './control.js';
import { simpleUndirected } from './triangles.js';

export interface CorePeripheryOptions {
  readonly tolerance: number;
  readonly maxIterations: number;
}

export const CORE_PERIPHERY_DEFAULTS: CorePeripheryOptions = Object.freeze({ tolerance: 1e-9, maxIterations: 1000 });

export interface CorePeripheryResult {
  /** Continuous coreness, the largest = 1 (all 0 in a graph without ties). */
  readonly scores: Float64Array;
  /** 1 for members of the discrete core. */
  readonly core: Uint8Array;
  readonly coreSize: number;
  /** Correlation of the ties with the ideal core/periphery pattern at the chosen cut (null if n < 4). */
  readonly fit: number | null;
  readonly iterations: number;
  readonly converged: boolean;
  /** Largest score change in the last sweep, relative to the largest score. */
  readonly residual: number;
  readonly seconds: number;
}

export function corePeriphery(graph: CsrGraph, options: Partial<CorePeripheryOptions> = {}, ctl?: RunControl): CorePeripheryResult {
  const t0 = performance.now();
  const o = { ...CORE_PERIPHERY_DEFAULTS, ...options };
  const g = simpleUndirected(graph);
  const n = g.n, off = g.outOffsets, adj = g.outTargets;
  const c = new Float64Array(n);
  let S = 0;
  for (let u = 0; u < n; u++) {
    let d = 0;
    for (let e = off[u]!, end = off[u + 1]!; e < end; e++) if (adj[e] !== u) d++;
    c[u] = Math.sqrt(d);
    S += d;
  }
  const check = new Checkpoint(ctl, 'core-periphery');
  let iterations = 0, converged = false, residual = Infinity;
  while (iterations < o.maxIterations) {
    check.step(iterations / o.maxIterations);
    iterations++;
    let change = 0, top = 0;
    for (let u = 0; u < n; u++) {
      let acc = 0;
      for (let e = off[u]!, end = off[u + 1]!; e < end; e++) {
        const v = adj[e]!;
        if (v !== u) acc += c[v]!;
      }
      const old = c[u]!;
      const rest = S - old * old;
      // With every other score 0 (a lone tie's far end not yet scored) any c_i fits: keep it.
      const next = rest > 0 ? acc / rest : old;
      S = rest + next * next;
      c[u] = next;
      const d = Math.abs(next - old);
      if (d > change) change = d;
      if (next > top) top = next;
    }
    residual = top > 0 ? change / top : 0;
    if (residual <= o.tolerance) {
      converged = true;
      break;
    }
  }
  let top = 0;
  for (let u = 0; u < n; u++) if (c[u]! > top) top = c[u]!;
  if (top > 0) for (let u = 0; u < n; u++) c[u] = c[u]! / top;

  const { core, coreSize, fit } = coreCut(g, c);
  check.step(1);
  return { scores: c, core, coreSize, fit, iterations, converged, residual, seconds: seconds(t0) };
}

/**
 * The discrete core from continuous scores (see the header): prefixes of the members ordered by
 * score (descending, ties by index), each scored by phi between "tied" and "both in the core" over
 * the core-core and periphery-periphery pairs; counts are updated per added member in O(its degree).
 */
export function coreCut(g: CsrGraph, scores: Float64Array): { core: Uint8Array; coreSize: number; fit: number | null } {
  const n = g.n, off = g.outOffsets, adj = g.outTargets;
  const core = new Uint8Array(n);
  if (n < 4) return { core, coreSize: 0, fit: null };
  const order = new Int32Array(n);
  for (let u = 0; u < n; u++) order[u] = u;
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  let M = 0;
  for (let u = 0; u < n; u++) for (let e = off[u]!, end = off[u + 1]!; e < end; e++) if (adj[e]! > u) M++;
  const inCore = new Uint8Array(n);
  let tcc = 0, tcp = 0, best = -Infinity, bestK = 0;
  for (let k = 1; k <= n - 2; k++) {
    const v = order[k - 1]!;
    let inside = 0, outside = 0;
    for (let e = off[v]!, end = off[v + 1]!; e < end; e++) {
      const w = adj[e]!;
      if (w === v) continue;
      if (inCore[w]) inside++;
      else outside++;
    }
    inCore[v] = 1;
    tcc += inside;
    tcp += outside - inside;
    if (k < 2) continue;
    const cc = (k * (k - 1)) / 2, pp = ((n - k) * (n - k - 1)) / 2, N = cc + pp;
    const tpp = M - tcc - tcp;
    const tied = tcc + tpp;
    const den = cc * (N - cc) * tied * (N - tied);
    const phi = den > 0 ? (N * tcc - cc * tied) / Math.sqrt(den) : Number.NEGATIVE_INFINITY;
    if (phi > best) { best = phi; bestK = k; }
  }
  if (!Number.isFinite(best)) return { core, coreSize: 0, fit: null };
  for (let k = 0; k < bestK; k++) core[order[k]!] = 1;
  return { core, coreSize: bestK, fit: best };
}
