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
 * Parallel form: `hitsTeam` (node ranges, block-ordered sums; `hits` is the team of one, so any
 * thread count gives the same bits).
 * Weights: those of the graph (null = 1). A graph without arcs (or with only zero weights) has no
 * singular direction; it returns the uniform vector 1/n for both (the start value), converged: true.
 */
import type { CsrGraph } from '../graph/csr.js';
import { Checkpoint, type RunControl, seconds } from './control.js';
import { BLOCK, blockCount, ownedBlocks, sharedF64, solo, sumBlocks, type Team } from './team.js';

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
  return { ...hitsTeam(g, options, hitsState(g), solo(), ctl), seconds: seconds(t0) };
}

export interface HitsState {
  readonly h: Float64Array;
  readonly a: Float64Array;
  readonly nextA: Float64Array;
  readonly sumA: Float64Array;
  readonly residual: Float64Array;
  readonly sumH: Float64Array;
}

export function hitsState(g: CsrGraph): HitsState {
  const n = g.n, blocks = blockCount(n);
  return {
    h: sharedF64(n), a: sharedF64(n), nextA: sharedF64(n),
    sumA: sharedF64(blocks), residual: sharedF64(blocks), sumH: sharedF64(blocks),
  };
}

/**
 * One member's share (./team.ts): authorities over its in-arc-balanced node range, hubs over its
 * out-arc-balanced one, a barrier after each of the four phases; sums per fixed block, then over
 * blocks in order, so every team size gives the same bits.
 */
export function hitsTeam(g: CsrGraph, options: Partial<HitsOptions>, state: HitsState, team: Team, ctl?: RunControl): HitsResult {
  const o = { ...HITS_DEFAULTS, ...options };
  const n = g.n;
  const { h } = state;
  let a = state.a, nextA = state.nextA;
  const { inOffsets: io, inSources: is, inWeights: iw, outOffsets: oo, outTargets: ot, outWeights: ow } = g;
  const A = ownedBlocks(io, n, team.index, team.size), H = ownedBlocks(oo, n, team.index, team.size);
  const fill = (x: Float64Array, r: { lo: number; hi: number }) => {
    for (let v = Math.min(n, r.lo * BLOCK), end = Math.min(n, r.hi * BLOCK); v < end; v++) x[v] = 1 / Math.max(1, n);
  };
  fill(h, H);
  fill(a, A);
  if (g.m === 0) return { hubs: h, authorities: a, iterations: 0, converged: true, residual: 0, seconds: 0 };
  team.sync();
  const check = new Checkpoint(team.index === 0 ? ctl : ctl?.shouldStop && { shouldStop: ctl.shouldStop }, 'hits');
  let residual = Infinity, it = 0;
  while (it < o.maxIterations && residual >= o.tolerance) {
    check.step(it / o.maxIterations);
    for (let b = A.lo; b < A.hi; b++) {
      let sum = 0;
      for (let v = b * BLOCK, end = Math.min(n, v + BLOCK); v < end; v++) {
        let acc = 0;
        const lo = io[v]!, hi = io[v + 1]!;
        if (iw === null) for (let e = lo; e < hi; e++) acc += h[is[e]!]!;
        else for (let e = lo; e < hi; e++) acc += h[is[e]!]! * iw[e]!;
        nextA[v] = acc;
        sum += acc;
      }
      state.sumA[b] = sum;
    }
    team.sync();
    const sumA = sumBlocks(state.sumA);
    // Only all-zero weights get here with sum 0: no singular direction, keep the start vector.
    if (!(sumA > 0)) { residual = 0; break; }
    for (let b = A.lo; b < A.hi; b++) {
      let res = 0;
      for (let v = b * BLOCK, end = Math.min(n, v + BLOCK); v < end; v++) {
        const y = nextA[v]! / sumA;
        res += Math.abs(y - a[v]!);
        nextA[v] = y;
      }
      state.residual[b] = res;
    }
    team.sync();
    residual = sumBlocks(state.residual);
    [a, nextA] = [nextA, a];
    for (let b = H.lo; b < H.hi; b++) {
      let sum = 0;
      for (let u = b * BLOCK, end = Math.min(n, u + BLOCK); u < end; u++) {
        let acc = 0;
        const lo = oo[u]!, hi = oo[u + 1]!;
        if (ow === null) for (let e = lo; e < hi; e++) acc += a[ot[e]!]!;
        else for (let e = lo; e < hi; e++) acc += a[ot[e]!]! * ow[e]!;
        h[u] = acc;
        sum += acc;
      }
      state.sumH[b] = sum;
    }
    team.sync();
    const sumH = sumBlocks(state.sumH);
    if (!(sumH > 0)) { fill(h, H); fill(a, A); residual = 0; break; }
    for (let u = Math.min(n, H.lo * BLOCK), end = Math.min(n, H.hi * BLOCK); u < end; u++) h[u]! /= sumH;
    team.sync();
    it++;
  }
  check.step(1);
  return { hubs: h, authorities: a, iterations: it, converged: residual < o.tolerance, residual, seconds: 0 };
}
