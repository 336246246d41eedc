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
 * Parallel form (./team.ts): each member pulls its own range of nodes (balanced by in-arcs); the
 * two sums an iteration needs (dangling mass, L1 change) are added per fixed block of nodes and
 * the blocks in block order, with a barrier after each phase, so one thread and T threads give
 * the same bits. `pagerank` is the team of one.
 */
import type { CsrGraph } from '../graph/csr.js';
import { Checkpoint, type RunControl, type ScoreResult, seconds } from './control.js';
import { BLOCK, blockCount, ownedBlocks, sharedF64, sumBlocks, type Team, solo } from './team.js';

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
  const state = pagerankState(g, options);
  const r = pagerankTeam(g, options, state, solo(), ctl);
  return { ...r, seconds: seconds(t0) };
}

/** What the members of one run share: iterates, contributions, block partials (shared memory). */
export interface PagerankState {
  readonly x: Float64Array;
  readonly next: Float64Array;
  readonly contrib: Float64Array;
  readonly inv: Float64Array;
  /** Normalised teleport vector; null = uniform. */
  readonly p: Float64Array | null;
  readonly dangling: Float64Array;
  readonly residual: Float64Array;
}

export function pagerankState(g: CsrGraph, options: Partial<PagerankOptions> = {}): PagerankState {
  const n = g.n, blocks = blockCount(n);
  const t = options.teleport ?? null;
  const p0 = teleportVector(n, t);
  let p: Float64Array | null = null;
  if (p0 !== null) { p = sharedF64(n); p.set(p0); }
  return {
    x: sharedF64(n), next: sharedF64(n), contrib: sharedF64(n), inv: sharedF64(n), p,
    dangling: sharedF64(blocks), residual: sharedF64(blocks),
  };
}

/** One member's share of a PageRank run over `state`; every member returns the same result. */
export function pagerankTeam(
  g: CsrGraph, options: Partial<PagerankOptions>, state: PagerankState, team: Team, ctl?: RunControl,
): ScoreResult {
  const o = { ...PAGERANK_DEFAULTS, ...options };
  const n = g.n;
  if (n === 0) return { scores: new Float64Array(0), iterations: 0, converged: true, residual: 0, seconds: 0 };
  const d = o.damping;
  const { inv, contrib, p, dangling: dBlocks, residual: rBlocks } = state;
  const { inOffsets: off, inSources: src, inWeights: w, outOffsets: oo, outWeights: ow } = g;
  const { lo: bLo, hi: bHi } = ownedBlocks(off, n, team.index, team.size);
  const vLo = Math.min(n, bLo * BLOCK), vHi = Math.min(n, bHi * BLOCK);
  let x = state.x, next = state.next;
  for (let u = vLo; u < vHi; u++) {
    let s = 0;
    if (ow === null) s = oo[u + 1]! - oo[u]!;
    else for (let e = oo[u]!, end = oo[u + 1]!; e < end; e++) s += ow[e]!;
    inv[u] = s > 0 ? 1 / s : 0;
    x[u] = p === null ? 1 / n : p[u]!;
  }
  const check = new Checkpoint(team.index === 0 ? ctl : ctl?.shouldStop && { shouldStop: ctl.shouldStop }, 'pagerank');
  let residual = Infinity, it = 0;
  while (it < o.maxIterations) {
    check.step(it / o.maxIterations);
    for (let b = bLo; b < bHi; b++) {
      let dm = 0;
      for (let u = b * BLOCK, end = Math.min(n, u + BLOCK); u < end; u++) {
        const iu = inv[u]!;
        if (iu === 0) dm += x[u]!;
        contrib[u] = x[u]! * iu;
      }
      dBlocks[b] = dm;
    }
    team.sync();
    const dangling = sumBlocks(dBlocks);
    const uniformBase = (d * dangling + 1 - d) / n;
    const teleportMass = d * dangling + 1 - d;
    for (let b = bLo; b < bHi; b++) {
      let res = 0;
      for (let v = b * BLOCK, end = Math.min(n, v + BLOCK); v < end; v++) {
        let acc = 0;
        const lo = off[v]!, hi = off[v + 1]!;
        if (w === null) for (let e = lo; e < hi; e++) acc += contrib[src[e]!]!;
        else for (let e = lo; e < hi; e++) acc += contrib[src[e]!]! * w[e]!;
        const xv = p === null ? d * acc + uniformBase : d * acc + teleportMass * p[v]!;
        next[v] = xv;
        res += Math.abs(xv - x[v]!);
      }
      rBlocks[b] = res;
    }
    team.sync();
    residual = sumBlocks(rBlocks);
    [x, next] = [next, x];
    it++;
    if (residual < o.tolerance) break;
  }
  check.step(1);
  return { scores: x, iterations: it, converged: residual < o.tolerance, residual, seconds: 0 };
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
