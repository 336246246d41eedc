/**
 * Closeness centrality with the Wasserman-Faust correction for disconnected graphs.
 *
 * Definition: for node u, let R(u) be the r nodes (u included) that can reach u and D(u) the sum of
 * their hop distances to u. C(u) = (r-1)/D(u) * (r-1)/(n-1); C(u) = 0 when no other node reaches u
 * (or n = 1). This is NetworkX `closeness_centrality(wf_improved=True)`.
 * References: A. Bavelas, "Communication patterns in task-oriented groups", JASA 22(6), 1950;
 * S. Wasserman, K. Faust, "Social Network Analysis", Cambridge UP 1994, eq. 5.3.
 * Direction: INCOMING distances d(v, u) on directed graphs (BFS over in-arcs), as NetworkX; an
 * undirected graph's in arrays are its out arrays. Weights are ignored (hop distances).
 * Complexity: O(n + m) per node, O(nm) in total; O(n) memory beyond the graph.
 * Search: direction-optimising BFS (bfs.ts `bfsHybrid`; only distances are needed, not path
 * counts): on R-MAT at 1M arcs, 200 targets, 0.38 s -> 0.19 s warm, 0.38 s -> 0.25 s in the
 * single cold run of bench/suite.bench.ts.
 * Parallel form: `closenessRange(g, from, to)` fills only nodes in [from, to) and leaves zeros
 * elsewhere, so ranges computed by different workers add up to the full vector.
 */
import type { CsrGraph } from '../graph/csr.js';
import { bfsHybrid, bfsWorkspace, resetVisited } from './bfs.js';
import { Checkpoint, type RunControl, seconds } from './control.js';

export interface ClosenessResult {
  readonly scores: Float64Array;
  readonly seconds: number;
}

export function closenessRange(g: CsrGraph, from = 0, to = g.n, ctl?: RunControl): Float64Array {
  const n = g.n;
  const lo = Math.max(0, from), hi = Math.min(n, to);
  const scores = new Float64Array(n);
  if (lo >= hi || n < 2) return scores;
  const ws = bfsWorkspace(n);
  const { inOffsets: off, inSources: adj, outOffsets: rOff, outTargets: rAdj } = g;
  const check = new Checkpoint(ctl, 'closeness');
  for (let u = lo; u < hi; u++) {
    check.step((u - lo) / (hi - lo));
    const reached = bfsHybrid(off, adj, rOff, rAdj, u, ws);
    let total = 0;
    for (let i = 1; i < reached; i++) total += ws.dist[ws.queue[i]!]!;
    resetVisited(ws, reached);
    const r1 = reached - 1;
    scores[u] = total > 0 ? (r1 / total) * (r1 / (n - 1)) : 0;
  }
  check.step(1);
  return scores;
}

export function closeness(g: CsrGraph, ctl?: RunControl): ClosenessResult {
  const t0 = performance.now();
  return { scores: closenessRange(g, 0, g.n, ctl), seconds: seconds(t0) };
}
