/**
 * Weakly connected components (connected components of an undirected graph).
 *
 * Definition: u and v share a component when a path joins them ignoring arc direction.
 * Variant: disjoint-set forest over the arcs with union by size and path halving, so a long path
 * needs no recursion or BFS queue and any arc order gives the same partition.
 * Reference: R. E. Tarjan, J. van Leeuwen, "Worst-case analysis of set union algorithms",
 * J. ACM 31(2), 1984, doi:10.1145/62.2160.
 * Complexity: O(m * alpha(n)) time, two int32 arrays of n.
 * Conventions: every arc joins its endpoints (direction and weights ignored), so no undirected view
 * is built. Component ids are relabelled 0, 1, ... in order of each component's smallest node
 * index, the reference convention, so identical partitions give identical arrays.
 */
import type { CsrGraph } from '../graph/csr.js';
import { Checkpoint, type RunControl, seconds } from './control.js';

export interface ComponentsResult {
  /** Component id per node, 0.. in order of first (smallest) member. */
  readonly membership: Int32Array;
  readonly count: number;
  /** Size of the largest component (0 for the empty graph). */
  readonly largest: number;
  readonly seconds: number;
}

export function wcc(g: CsrGraph, ctl?: RunControl): ComponentsResult {
  const t0 = performance.now();
  const n = g.n;
  const parent = new Int32Array(n), size = new Int32Array(n).fill(1);
  for (let u = 0; u < n; u++) parent[u] = u;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      const p = parent[x]!;
      parent[x] = parent[p]!;
      x = p;
    }
    return x;
  };
  const off = g.outOffsets, adj = g.outTargets;
  const check = new Checkpoint(ctl, 'wcc');
  const stride = Math.max(1, Math.floor(n / 100));
  for (let u = 0; u < n; u++) {
    if (u % stride === 0) check.step(u / n);
    for (let e = off[u]!, end = off[u + 1]!; e < end; e++) {
      const v = adj[e]!;
      // An undirected edge is stored twice; one of its arcs suffices.
      if (!g.directed && v < u) continue;
      let a = find(u), b = find(v);
      if (a === b) continue;
      if (size[a]! < size[b]!) { const t = a; a = b; b = t; }
      parent[b] = a;
      size[a]! += size[b]!;
    }
  }
  check.step(1);
  return { ...relabel(n, (u) => find(u)), seconds: seconds(t0) };
}

/** Maps arbitrary component representatives to 0.. in order of smallest member. */
export function relabel(n: number, rep: (u: number) => number): { membership: Int32Array; count: number; largest: number } {
  const label = new Int32Array(n).fill(-1);
  const membership = new Int32Array(n);
  let count = 0;
  for (let u = 0; u < n; u++) {
    const r = rep(u);
    if (label[r] === -1) label[r] = count++;
    membership[u] = label[r]!;
  }
  const sizes = new Int32Array(count);
  let largest = 0;
  for (let u = 0; u < n; u++) {
    const s = ++sizes[membership[u]!]!;
    if (s > largest) largest = s;
  }
  return { membership, count, largest };
}
