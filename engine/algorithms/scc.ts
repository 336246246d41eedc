/**
 * Strongly connected components.
 *
 * Definition: u and v share a component when each reaches the other along arcs.
 * Variant: Tarjan's single-pass DFS with low-links, made iterative: an explicit call stack of
 * (node, next-arc cursor) replaces recursion, so a 1M-node path costs 1M stack slots in an
 * Int32Array instead of overflowing the JS stack.
 * Reference: R. E. Tarjan, "Depth-first search and linear graph algorithms", SIAM J. Comput. 1(2),
 * 1972, doi:10.1137/0201010.
 * Complexity: O(n + m) time, six int32 arrays of n.
 * Conventions: arcs as stored (out-CSR), weights ignored; on an undirected graph the result equals
 * the connected components. Component ids are relabelled 0, 1, ... in order of each component's
 * smallest node index (the partition convention of the references).
 */
import type { CsrGraph } from '../graph/csr.js';
import { Checkpoint, type RunControl, seconds } from './control.js';
import { type ComponentsResult, relabel } from './wcc.js';

export function scc(g: CsrGraph, ctl?: RunControl): ComponentsResult {
  const t0 = performance.now();
  const n = g.n;
  const off = g.outOffsets, adj = g.outTargets;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const callNode = new Int32Array(n), callArc = new Int32Array(n);
  let sp = 0, cp = 0, counter = 0, comps = 0;
  const check = new Checkpoint(ctl, 'scc');
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    check.step(counter / Math.max(1, n));
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    callNode[cp] = root; callArc[cp] = off[root]!; cp++;
    while (cp > 0) {
      const v = callNode[cp - 1]!;
      const e = callArc[cp - 1]!;
      if (e < off[v + 1]!) {
        callArc[cp - 1] = e + 1;
        const w = adj[e]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          callNode[cp] = w; callArc[cp] = off[w]!; cp++;
        } else if (comp[w] === -1 && index[w]! < low[v]!) {
          // w is still on the stack (no component yet): a back or cross arc inside the current SCC.
          low[v] = index[w]!;
        }
        continue;
      }
      // v is finished: pop a component if v is its root, then pass low-link to the caller.
      cp--;
      if (low[v] === index[v]) {
        let w: number;
        do { w = stack[--sp]!; comp[w] = comps; } while (w !== v);
        comps++;
      }
      if (cp > 0) {
        const p = callNode[cp - 1]!;
        if (low[v]! < low[p]!) low[p] = low[v]!;
      }
    }
  }
  check.step(1);
  return { ...relabel(n, (u) => comp[u]!), seconds: seconds(t0) };
}
