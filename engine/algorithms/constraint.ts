/**
 * Burt's structural-hole measures: constraint and effective size.
 *
 * Definitions (undirected view, w_ij = summed weight of i-j, s_i = sum_j w_ij, p_ij = w_ij / s_i,
 * which is NetworkX's mutual weight (w_ij + w_ji) / sum_k (w_ik + w_ki) on a symmetric graph):
 *   constraint(i)     = sum_{j in N(i)} (p_ij + sum_{q in N(i)} p_iq p_qj)^2
 *   effective size(i) = sum_{j in N(i)} (1 - sum_{q in N(i)} p_iq w_jq / max_k w_jk)
 * Unweighted, effective size reduces to Borgatti's d - 2t/d (t = ties among i's neighbours).
 * Isolated nodes: NaN for both (NetworkX and igraph return NaN / null).
 * References: R. S. Burt, "Structural Holes: The Social Structure of Competition", Harvard UP,
 * 1992; S. P. Borgatti, "Structural holes: unpacking Burt's redundancy measures", Connections
 * 20(1), 1997. Cross-checked against NetworkX `constraint`/`effective_size` and igraph `constraint`.
 * Variant: exact, with no ego-network bound. The inner sums only have non-zero terms for q a
 * common neighbour of i and j, and both reduce to per-edge quantities symmetric in i and j:
 *   I(i,j) = sum_{q in N(i) ∩ N(j)} w_iq w_jq / s_q   (constraint: inner sum = I(i,j) / s_i)
 *   J(i,j) = sum_{q in N(i) ∩ N(j)} w_iq w_jq         (effective size: inner sum = J(i,j) / (s_i maxw_j))
 * so each triangle {i,j,q} adds one term to each of its three edges. Triangles are listed once
 * by the degree-ordered forward algorithm (see triangles.ts), so a hub with a million neighbours
 * costs O(its degree), not O(degree^2) as an ego-network loop would.
 * Complexity: O(m^1.5) worst case (O(m * arboricity) in practice); memory: two float64 per arc
 * plus the forward adjacency.
 * Weights: those of the graph (the undirected view sums u->v and v->u); an unweighted graph uses 1.
 */
import type { CsrGraph } from '../graph/csr.js';
import { Checkpoint, type RunControl, seconds } from './control.js';
import { forwardAdjacency, simpleUndirected } from './triangles.js';

export interface StructuralHolesResult {
  readonly constraint: Float64Array;
  readonly effectiveSize: Float64Array;
  /** Nodes with no neighbour (NaN in both vectors). */
  readonly isolated: number;
  readonly seconds: number;
}

export function structuralHoles(graph: CsrGraph, ctl?: RunControl): StructuralHolesResult {
  const t0 = performance.now();
  const g = simpleUndirected(graph);
  const n = g.n, off = g.outOffsets, adj = g.outTargets, wt = g.outWeights;
  // Reciprocals of s and max weight, 0 where the scale is 0 (all-zero weights): NetworkX's
  // normalized_mutual_weight returns 0 there rather than dividing by zero.
  const invS = new Float64Array(n), invMax = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    let acc = 0, mx = 0;
    for (let e = off[u]!, end = off[u + 1]!; e < end; e++) {
      if (adj[e] === u) continue;
      const x = wt === null ? 1 : wt[e]!;
      acc += x;
      if (x > mx) mx = x;
    }
    invS[u] = acc > 0 ? 1 / acc : 0;
    invMax[u] = mx > 0 ? 1 / mx : 0;
  }
  const { offsets: fo, targets: ft, arcs: fa, degree } = forwardAdjacency(g);
  // Per undirected edge, accumulated on the forward arc's CSR index, mirrored afterwards.
  const I = new Float64Array(g.m), J = new Float64Array(g.m);
  // slot[w] = forward position (in fo/ft) of u->w while u is current, or -1.
  const slot = new Int32Array(n).fill(-1);
  const check = new Checkpoint(ctl, 'constraint');
  const stride = Math.max(1, Math.floor(n / 100));
  for (let u = 0; u < n; u++) {
    if (u % stride === 0) check.step(0.9 * u / n);
    const lo = fo[u]!, hi = fo[u + 1]!;
    if (hi - lo < 2) continue;
    for (let k = lo; k < hi; k++) slot[ft[k]!] = k;
    for (let k = lo; k < hi; k++) {
      const v = ft[k]!, euv = fa[k]!;
      const wuv = wt === null ? 1 : wt[euv]!;
      for (let j = fo[v]!, end = fo[v + 1]!; j < end; j++) {
        const w = ft[j]!;
        const kw = slot[w]!;
        if (kw < 0) continue;
        const evw = fa[j]!, euw = fa[kw]!;
        const wvw = wt === null ? 1 : wt[evw]!, wuw = wt === null ? 1 : wt[euw]!;
        // Triangle {u,v,w}: the third corner of each edge is the common neighbour.
        I[euv]! += wuw * wvw * invS[w]!; J[euv]! += wuw * wvw;
        I[euw]! += wuv * wvw * invS[v]!; J[euw]! += wuv * wvw;
        I[evw]! += wuv * wuw * invS[u]!; J[evw]! += wuv * wuw;
      }
    }
    for (let k = lo; k < hi; k++) slot[ft[k]!] = -1;
  }
  // Mirror each forward arc u->v onto its twin v->u (rows are sorted: binary search).
  for (let u = 0; u < n; u++) {
    for (let k = fo[u]!, end = fo[u + 1]!; k < end; k++) {
      const v = ft[k]!, e = fa[k]!;
      let a = off[v]!, b = off[v + 1]! - 1;
      while (a < b) {
        const mid = (a + b) >>> 1;
        if (adj[mid]! < u) a = mid + 1; else b = mid;
      }
      I[a] = I[e]!;
      J[a] = J[e]!;
    }
  }
  const constraint = new Float64Array(n), effectiveSize = new Float64Array(n);
  let isolated = 0;
  for (let u = 0; u < n; u++) {
    if (degree[u] === 0) { constraint[u] = NaN; effectiveSize[u] = NaN; isolated++; continue; }
    const iu = invS[u]!;
    let c = 0, redundancy = 0;
    for (let e = off[u]!, end = off[u + 1]!; e < end; e++) {
      const v = adj[e]!;
      if (v === u) continue;
      const x = ((wt === null ? 1 : wt[e]!) + I[e]!) * iu;
      c += x * x;
      redundancy += J[e]! * iu * invMax[v]!;
    }
    constraint[u] = c;
    effectiveSize[u] = degree[u]! - redundancy;
  }
  check.step(1);
  return { constraint, effectiveSize, isolated, seconds: seconds(t0) };
}
