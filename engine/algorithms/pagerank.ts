/**
 * PageRank, weighted and personalised (pull-based power iteration over the in-CSR).
 *
 * Definition: x = d * (P^T x + dangling(x) * p) + (1 - d) * p, where P[u][v] = w(u,v) / s_out(u),
 * p is the teleport distribution (uniform 1/n, or the normalised personalisation vector) and
 * dangling(x) is the total score of members with no out-weight, redistributed along p (the
 * NetworkX convention, which igraph's PRPACK and graph-tool share for the uniform case).
 * Reference: L. Page, S. Brin, R. Motwani, T. Winograd, "The PageRank citation ranking:
 * bringing order to the web", Stanford InfoLab 1999.
 * Direction: an edge A -> B moves score from A to B (credit flows to the member acted upon).
 * Complexity: O(m) per iteration; iterations ~ log(tol) / log(d) (about 150 at tol 1e-10).
 * Stop rule: L1 change between iterates < tolerance (default 1e-10), capped at maxIterations;
 * `converged` says which happened. Scores sum to 1.
 * Pull rather than push: every node writes only its own entry, so there are no scattered writes
 * (gapbs pr.cc makes the same choice); Jacobi rather than Gauss-Seidel so results do not depend
 * on node order.
 */
import type { CsrGraph } from '../graph/csr.js';
import { outStrength } from '../graph/csr.js';
import { Checkpoint, type RunControl, type ScoreResult, seconds } from './control.js';

export interface PagerankOptions {
  readonly damping: number;
  readonly tolerance: number;
  readonly maxIterations: number;
  /** Personalisation: non-negative weights per node (need not sum to 1); null = uniform. */
  readonly teleport: Float64Array | null;
}

export const PAGERANK_DEFAULTS: PagerankOptions = Object.freeze({
  damping: 0.85, tolerance: 1e-10, maxIterations: 1000, teleport: null,
});

export function pagerank(g: CsrGraph, options: Partial<PagerankOptions> = {}, ctl?: RunControl): ScoreResult {
  const t0 = performance.now();
  const o = { ...PAGERANK_DEFAULTS, ...options };
  const n = g.n;
  if (n === 0) return { scores: new Float64Array(0), iterations: 0, converged: true, residual: 0, seconds: seconds(t0) };
  const d = o.damping;
  const p = teleportVector(n, o.teleport);
  const s = outStrength(g);
  const inv = new Float64Array(n);
  for (let u = 0; u < n; u++) inv[u] = s[u]! > 0 ? 1 / s[u]! : 0;
  let x = new Float64Array(n);
  if (p === null) x.fill(1 / n);
  else x.set(p);
  let next = new Float64Array(n);
  const contrib = new Float64Array(n);
  const { inOffsets: off, inSources: src, inWeights: w } = g;
  const check = new Checkpoint(ctl, 'pagerank');
  let residual = Infinity, it = 0;
  while (it < o.maxIterations) {
    check.step(it / o.maxIterations);
    let dangling = 0;
    for (let u = 0; u < n; u++) {
      if (inv[u] === 0) dangling += x[u]!;
      contrib[u] = x[u]! * inv[u]!;
    }
    residual = 0;
    const uniformBase = (d * dangling + 1 - d) / n;
    for (let v = 0; v < n; v++) {
      let acc = 0;
      const lo = off[v]!, hi = off[v + 1]!;
      if (w === null) for (let e = lo; e < hi; e++) acc += contrib[src[e]!]!;
      else for (let e = lo; e < hi; e++) acc += contrib[src[e]!]! * w[e]!;
      const xv = p === null ? d * acc + uniformBase : d * acc + (d * dangling + 1 - d) * p[v]!;
      next[v] = xv;
      residual += Math.abs(xv - x[v]!);
    }
    [x, next] = [next, x];
    it++;
    if (residual < o.tolerance) break;
  }
  check.step(1);
  return { scores: x, iterations: it, converged: residual < o.tolerance, residual, seconds: seconds(t0) };
}

function teleportVector(n: number, t: Float64Array | null): Float64Array | null {
  if (t === null) return null;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += t[i]!;
  if (!(sum > 0)) return null;
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = t[i]! / sum;
  return p;
}
