/**
 * Breadth-first search helpers shared by the hop-distance kernels (betweenness, closeness,
 * harmonic, the sampled betweenness and its vertex-diameter bound).
 *
 * Definition: level-synchronous BFS over one CSR direction (`offsets`/`adj` = out arrays to follow
 * arcs forwards, in arrays to follow them backwards). Distances are hop counts; weights are ignored.
 * Complexity: O(visited nodes + their arcs) per call; no allocation: the caller owns a workspace of
 * two Int32Arrays of length n, reused across sources.
 * Invariant between calls: `dist` is -1 everywhere. `bfs` leaves the visited nodes in
 * `queue[0..count)` in non-decreasing distance order, and `resetVisited` restores the invariant in
 * O(count), so a kernel running n BFS pays for what each one touched, never O(n) per source.
 */

export interface BfsWorkspace {
  /** Hop distance from the current source, -1 when not reached. */
  readonly dist: Int32Array;
  /** Visited nodes in BFS order (doubles as the Brandes stack when read backwards). */
  readonly queue: Int32Array;
}

export function bfsWorkspace(n: number): BfsWorkspace {
  return { dist: new Int32Array(n).fill(-1), queue: new Int32Array(n) };
}

/** BFS from `s`; returns the number of visited nodes (s included), listed in `ws.queue`. */
export function bfs(offsets: Int32Array, adj: Int32Array, s: number, ws: BfsWorkspace): number {
  const { dist, queue } = ws;
  dist[s] = 0;
  queue[0] = s;
  let head = 0, tail = 1;
  while (head < tail) {
    const v = queue[head++]!;
    const dv = dist[v]! + 1;
    for (let e = offsets[v]!, hi = offsets[v + 1]!; e < hi; e++) {
      const w = adj[e]!;
      if (dist[w]! < 0) {
        dist[w] = dv;
        queue[tail++] = w;
      }
    }
  }
  return tail;
}

export function resetVisited(ws: BfsWorkspace, count: number): void {
  const { dist, queue } = ws;
  for (let i = 0; i < count; i++) dist[queue[i]!] = -1;
}
