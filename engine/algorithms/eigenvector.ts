/**
 * Eigenvector centrality.
 *
 * Definition: the principal (Perron) eigenvector of the adjacency matrix, in-edge convention for
 * directed graphs: lambda x_v = sum_{u->v} w_uv x_u, so a member is central when central members
 * act towards it (credit flows source -> target, as in PageRank). Unit L2 norm, non-negative.
 * Variant: power iteration on the shifted matrix A^T + I (NetworkX `eigenvector_centrality` does
 * the same): the shift keeps the eigenvectors, makes the Perron root strictly dominant in modulus
 * on bipartite/periodic graphs (where A alone has -lambda too and would oscillate), and keeps
 * nodes without in-arcs at their start value times a vanishing factor instead of at 0 mid-run.
 * Reference: P. Bonacich, "Power and centrality: a family of measures", American Journal of
 * Sociology 92(5), 1987, doi:10.1086/228631.
 * Complexity: O(n + m) per iteration; iterations ~ log(tol) / log(|lambda_2 + 1| / (lambda_1 + 1)).
 * Stop rule: L1 change of the unit-L2 iterate < tolerance (default 1e-12), capped at
 * maxIterations (default 10,000); `converged` says which. The references (NetworkX
 * `eigenvector_centrality_numpy`, ARPACK) agree within 1e-6 of the top score.
 * Parallel form: `eigenvectorTeam` (node ranges, block-ordered sums; `eigenvector` is the team of
 * one, so any thread count gives the same bits).
 * Weights: those of the graph (null = 1). Caveat (shared by every library): on a graph that is
 * not strongly connected the vector concentrates on the dominant component, and a DAG has no
 * Perron vector at all (the iteration then reports converged: false).
 */
import type { CsrGraph } from '../graph/csr.js';
import { Checkpoint, type RunControl, type ScoreResult, seconds } from './control.js';
import { BLOCK, blockCount, ownedBlocks, sharedF64, solo, sumBlocks, type Team } from './team.js';

export interface EigenvectorOptions {
  readonly tolerance: number;
  readonly maxIterations: number;
}

export const EIGENVECTOR_DEFAULTS: EigenvectorOptions = Object.freeze({ tolerance: 1e-12, maxIterations: 10_000 });

export function eigenvector(g: CsrGraph, options: Partial<EigenvectorOptions> = {}, ctl?: RunControl): ScoreResult {
  const t0 = performance.now();
  return { ...eigenvectorTeam(g, options, eigenvectorState(g), solo(), ctl), seconds: seconds(t0) };
}

export interface EigenvectorState {
  readonly x: Float64Array;
  readonly next: Float64Array;
  readonly norm: Float64Array;
  readonly residual: Float64Array;
}

export function eigenvectorState(g: CsrGraph): EigenvectorState {
  const blocks = blockCount(g.n);
  return { x: sharedF64(g.n), next: sharedF64(g.n), norm: sharedF64(blocks), residual: sharedF64(blocks) };
}

/**
 * One member's share (./team.ts): it pulls its own node range (balanced by in-arcs); the squared
 * norm and the L1 change are summed per fixed block, then over blocks in order, so every team
 * size gives the same bits.
 */
export function eigenvectorTeam(
  g: CsrGraph, options: Partial<EigenvectorOptions>, state: EigenvectorState, team: Team, ctl?: RunControl,
): ScoreResult {
  const o = { ...EIGENVECTOR_DEFAULTS, ...options };
  const n = g.n;
  const { inOffsets: off, inSources: src, inWeights: w } = g;
  const { lo: bLo, hi: bHi } = ownedBlocks(off, n, team.index, team.size);
  let x = state.x, next = state.next;
  const start = 1 / Math.sqrt(Math.max(1, n));
  for (let v = Math.min(n, bLo * BLOCK), end = Math.min(n, bHi * BLOCK); v < end; v++) x[v] = start;
  const check = new Checkpoint(team.index === 0 ? ctl : ctl?.shouldStop && { shouldStop: ctl.shouldStop }, 'eigenvector');
  let residual = n === 0 ? 0 : Infinity, it = 0;
  team.sync();
  while (it < o.maxIterations && residual >= o.tolerance) {
    check.step(it / o.maxIterations);
    for (let b = bLo; b < bHi; b++) {
      let norm = 0;
      for (let v = b * BLOCK, end = Math.min(n, v + BLOCK); v < end; v++) {
        let acc = x[v]!;
        const lo = off[v]!, hi = off[v + 1]!;
        if (w === null) for (let e = lo; e < hi; e++) acc += x[src[e]!]!;
        else for (let e = lo; e < hi; e++) acc += x[src[e]!]! * w[e]!;
        next[v] = acc;
        norm += acc * acc;
      }
      state.norm[b] = norm;
    }
    team.sync();
    const inv = 1 / Math.sqrt(sumBlocks(state.norm));
    for (let b = bLo; b < bHi; b++) {
      let res = 0;
      for (let v = b * BLOCK, end = Math.min(n, v + BLOCK); v < end; v++) {
        const y = next[v]! * inv;
        res += Math.abs(y - x[v]!);
        next[v] = y;
      }
      state.residual[b] = res;
    }
    team.sync();
    residual = sumBlocks(state.residual);
    [x, next] = [next, x];
    it++;
  }
  check.step(1);
  return { scores: x, iterations: it, converged: residual < o.tolerance, residual, seconds: 0 };
}
