/**
 * HITS hubs and authorities.
 *
 * Definition: authorities a = principal eigenvector of A^T A, hubs h = principal eigenvector of
 * A A^T (the right and left principal singular vectors of the weighted adjacency matrix A,
 * A[u][v] = w(u->v)), each normalised to sum 1 (NetworkX 2.8 `hits`, which takes them from a
 * rank-1 SVD). A member is a good authority when good hubs act towards it, a good hub when it acts
 * towards good authorities. On an undirected graph A is symmetric and hubs = authorities.
 * Reference: J. M. Kleinberg, "Authoritative sources in a hyperlinked environment", J. ACM 46(5),
 * 1999, doi:10.1145/324133.324140.
 * Variant: Kleinberg's power iteration a <- A^T h, h <- A a with sum normalisation, started from
 * the uniform vector. One round is one multiplication by the positive semidefinite A^T A, whose
 * eigenvalues are >= 0, so the iteration cannot oscillate even on bipartite or periodic graphs;
 * it converges at rate (sigma_2 / sigma_1)^2.
 * Complexity: O(n + m) per iteration (one pull over the in-CSR, one over the out-CSR).
 * Stop rule: L1 change of the authority vector < tolerance (default 1e-12), capped at
 * maxIterations (default 10,000).
 * Repeated top singular value (twin components, or an undirected bipartite graph, where A^T A
 * splits into one block per side): the principal direction is not unique and every library picks
 * its own; this kernel returns the limit from the uniform start (degree-proportional on K_{p,q}).
 * Weights: those of the graph (null = 1). A graph without arcs (or with only zero weights) has no
 * singular direction; it returns the uniform vector 1/n for both (the start value), converged: true.
 */
import type { CsrGraph } from '../graph/csr.js';
import { Checkpoint, type RunControl, seconds } from './control.js';

export interface HitsOptions {
  readonly tolerance: number;
  readonly maxIterations: number;
}

export const HITS_DEFAULTS: HitsOptions = Object.freeze({ tolerance: 1e-12, maxIterations: 10_000 });

export interface HitsResult {
  readonly hubs: Float64Array;
  readonly authorities: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  readonly residual: number;
  readonly seconds: number;
}

export function hits(g: CsrGraph, options: Partial<HitsOptions> = {}, ctl?: RunControl): HitsResult {
  const t0 = performance.now();
  const o = { ...HITS_DEFAULTS, ...options };
  const n = g.n;
  const h = new Float64Array(n).fill(1 / Math.max(1, n));
  let a = new Float64Array(n).fill(1 / Math.max(1, n));
  let nextA = new Float64Array(n);
  if (g.m === 0) {
    return { hubs: h, authorities: a, iterations: 0, converged: true, residual: 0, seconds: seconds(t0) };
  }
  const { inOffsets: io, inSources: is, inWeights: iw, outOffsets: oo, outTargets: ot, outWeights: ow } = g;
  const check = new Checkpoint(ctl, 'hits');
  let residual = Infinity, it = 0;
  while (it < o.maxIterations && residual >= o.tolerance) {
    check.step(it / o.maxIterations);
    let sum = 0;
    for (let v = 0; v < n; v++) {
      let acc = 0;
      const lo = io[v]!, hi = io[v + 1]!;
      if (iw === null) for (let e = lo; e < hi; e++) acc += h[is[e]!]!;
      else for (let e = lo; e < hi; e++) acc += h[is[e]!]! * iw[e]!;
      nextA[v] = acc;
      sum += acc;
    }
    // Only all-zero weights get here with sum 0: no singular direction, keep the start vector.
    if (!(sum > 0)) { residual = 0; break; }
    residual = 0;
    for (let v = 0; v < n; v++) {
      const y = nextA[v]! / sum;
      residual += Math.abs(y - a[v]!);
      nextA[v] = y;
    }
    [a, nextA] = [nextA, a];
    sum = 0;
    for (let u = 0; u < n; u++) {
      let acc = 0;
      const lo = oo[u]!, hi = oo[u + 1]!;
      if (ow === null) for (let e = lo; e < hi; e++) acc += a[ot[e]!]!;
      else for (let e = lo; e < hi; e++) acc += a[ot[e]!]! * ow[e]!;
      h[u] = acc;
      sum += acc;
    }
    if (!(sum > 0)) { h.fill(1 / n); a.fill(1 / n); residual = 0; break; }
    for (let u = 0; u < n; u++) h[u]! /= sum;
    it++;
  }
  check.step(1);
  return { hubs: h, authorities: a, iterations: it, converged: residual < o.tolerance, residual, seconds: seconds(t0) };
}
