/**
 * Ties: every edge of the undirected view with its neighbourhood overlap, weight and reciprocity.
 *
 * Definitions, for the undirected simple view (u->v and v->u are one tie {i, j}):
 *   k_i     = distinct neighbours of i (a self-loop not counted)
 *   n_ij    = common neighbours of i and j (members tied to both)
 *   O_ij    = n_ij / ((k_i - 1) + (k_j - 1) - n_ij), and 0 when the denominator is 0 (a tie whose
 *             ends have no other neighbour). O is 0 when the ends share nobody and 1 when each end's
 *             other neighbours are exactly the other's: the tie sits inside a dense group. Low
 *             overlap marks a tie between groups (Granovetter's weak tie).
 *   weight  = the undirected view's weight: both directions summed (interaction count for a
 *             temporal file read without a weight column)
 *   reciprocal(i, j) = both arcs i->j and j->i exist in the directed graph (always true on an
 *             undirected graph: the direction is unknown there)
 *   reciprocity = share of the directed graph's arcs whose reverse arc exists, NetworkX
 *             `reciprocity(G)` (overall: a kept self-loop counts as an arc without a reverse);
 *             null on undirected and empty graphs (NetworkX refuses both).
 * References: J.-P. Onnela, J. Saramäki, J. Hyvönen, G. Szabó, D. Lazer, K. Kaski, J. Kertész,
 * A.-L. Barabási, "Structure and tie strengths in mobile communication networks", PNAS 104(18),
 * 2007, doi:10.1073/pnas.0610245104 (overlap); M. S. Granovetter, "The strength of weak ties",
 * American Journal of Sociology 78(6), 1973; NetworkX `reciprocity` (overall_reciprocity).
 * Variant: n_ij for every tie at once from the degree-ordered forward triangle listing
 * (triangles.ts): each triangle {u, v, w} is found once and adds 1 to each of its three ties, so
 * a hub costs O(its degree), not O(degree^2) as intersecting its row with every neighbour's would.
 * Complexity: O(m^1.5) worst case, O(m * arboricity) in practice, plus O(m log d) for the
 * reciprocity lookups; memory: per tie two int32 ends, one int32 count, two float64 (weight,
 * overlap) and a byte, plus an int32 per arc of the view (tie index of each arc).
 * Conventions: ties listed once as (source < target by node index), in (source, target) order;
 * weights from the view (1 when unweighted); self-loops are not ties.
 */
import type { CsrGraph } from '../graph/csr.js';
import { Checkpoint, type RunControl, seconds } from './control.js';
import { forwardAdjacency, simpleUndirected } from './triangles.js';

export interface TiesResult {
  /** Lower node index of each tie. */
  readonly source: Int32Array;
  /** Higher node index of each tie. */
  readonly target: Int32Array;
  readonly weight: Float64Array;
  /** n_ij: common neighbours. */
  readonly common: Int32Array;
  readonly overlap: Float64Array;
  /** 1 when both directions exist (always 1 on an undirected graph). */
  readonly reciprocal: Uint8Array;
  /** Share of arcs whose reverse exists; null on undirected graphs. */
  readonly reciprocity: number | null;
  /** k_i: distinct neighbours per node in the undirected view. */
  readonly degree: Int32Array;
  /** The undirected view the ties index, and the tie of each of its arcs (-1 for a self-loop). */
  readonly view: CsrGraph;
  readonly tieOfArc: Int32Array;
  readonly seconds: number;
}

/** Whether the sorted row `targets[lo..hi)` holds x. */
function rowHas(targets: Int32Array, lo: number, hi: number, x: number): boolean {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const y = targets[mid]!;
    if (y === x) return true;
    if (y < x) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

export function ties(graph: CsrGraph, ctl?: RunControl): TiesResult {
  const t0 = performance.now();
  const g = simpleUndirected(graph);
  const n = g.n, off = g.outOffsets, adj = g.outTargets, wt = g.outWeights;
  const check = new Checkpoint(ctl, 'ties');
  // Tie ids in (u, v) order, u < v. The arc v->u (v > u) of the same tie is found without a
  // search: rows are visited in increasing v, so the ties {u, v} reaching row u arrive in the
  // order of u's entries above u (a transpose by cursor, O(m)).
  const first = new Int32Array(n + 1);
  for (let u = 0; u < n; u++) {
    let c = 0;
    for (let e = off[u]!, end = off[u + 1]!; e < end; e++) if (adj[e]! > u) c++;
    first[u + 1] = first[u]! + c;
  }
  const count = first[n]!;
  const source = new Int32Array(count), target = new Int32Array(count), weight = new Float64Array(count);
  const tieOfArc = new Int32Array(g.m).fill(-1);
  const cursor = first.slice(0, n);
  for (let u = 0; u < n; u++) {
    for (let e = off[u]!, end = off[u + 1]!; e < end; e++) {
      const v = adj[e]!;
      if (v > u) {
        const t = cursor[u]!++;
        tieOfArc[e] = t;
        source[t] = u;
        target[t] = v;
        weight[t] = wt === null ? 1 : wt[e]!;
      }
    }
  }
  // Second pass for the arcs v->u with u < v: the tie {u, v} is the next unclaimed one of row u.
  const back = first.slice(0, n);
  for (let v = 0; v < n; v++) {
    for (let e = off[v]!, end = off[v + 1]!; e < end; e++) {
      const u = adj[e]!;
      if (u < v) tieOfArc[e] = back[u]!++;
    }
  }
  check.step(0.1);

  // n_ij from the forward triangle listing; slot[w] = forward position of u->w while u is current.
  const { offsets: fo, targets: ft, arcs: fa, degree } = forwardAdjacency(g);
  const common = new Int32Array(count);
  const slot = new Int32Array(n).fill(-1);
  const stride = Math.max(1, Math.floor(n / 100));
  for (let u = 0; u < n; u++) {
    if (u % stride === 0) check.step(0.1 + 0.8 * u / n);
    const lo = fo[u]!, hi = fo[u + 1]!;
    if (hi - lo < 2) continue;
    for (let k = lo; k < hi; k++) slot[ft[k]!] = k;
    for (let k = lo; k < hi; k++) {
      const v = ft[k]!, tuv = tieOfArc[fa[k]!]!;
      for (let j = fo[v]!, end = fo[v + 1]!; j < end; j++) {
        const kw = slot[ft[j]!]!;
        if (kw < 0) continue;
        common[tuv]!++;
        common[tieOfArc[fa[j]!]!]!++;
        common[tieOfArc[fa[kw]!]!]!++;
      }
    }
    for (let k = lo; k < hi; k++) slot[ft[k]!] = -1;
  }
  const overlap = new Float64Array(count);
  for (let t = 0; t < count; t++) {
    const c = common[t]!;
    const den = degree[source[t]!]! - 1 + degree[target[t]!]! - 1 - c;
    overlap[t] = den > 0 ? c / den : 0;
  }

  // Reciprocity on the graph as given (the view has lost the direction).
  const reciprocal = new Uint8Array(count);
  let reciprocity: number | null = null;
  if (!graph.directed) reciprocal.fill(1);
  else {
    const oo = graph.outOffsets, ot = graph.outTargets;
    let both = 0;
    for (let t = 0; t < count; t++) {
      const u = source[t]!, v = target[t]!;
      if (rowHas(ot, oo[u]!, oo[u + 1]!, v) && rowHas(ot, oo[v]!, oo[v + 1]!, u)) {
        reciprocal[t] = 1;
        both++;
      }
    }
    // NetworkX raises on an empty graph; null says the same.
    reciprocity = graph.m > 0 ? (2 * both) / graph.m : null;
  }
  check.step(1);
  return {
    source, target, weight, common, overlap, reciprocal, reciprocity, degree, view: g, tieOfArc, seconds: seconds(t0),
  };
}
