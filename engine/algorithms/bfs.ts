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

/**
 * Direction-optimising BFS (Beamer, Asanovic, Patterson, "Direction-optimizing breadth-first
 * search", SC 2012, doi:10.1109/SC.2012.50): the same distances and the same level-ordered
 * `queue` as `bfs`, for kernels that need distances only (closeness, harmonic), not shortest-path
 * counts. `offsets`/`adj` follow arcs in the search direction; `revOffsets`/`revAdj` are the
 * opposite direction (the in arrays when searching out-arcs, and vice versa).
 *
 * While the frontier is small, a level is expanded top-down (scan the frontier's rows). Once the
 * frontier's rows hold more than 1/alpha of the arcs still unexplored, the next levels go
 * bottom-up: every unvisited node scans its reverse row and stops at the first parent on the
 * current level, so the arcs into the already-visited bulk of a small-world graph are never read.
 * It returns top-down when the frontier falls below n/beta nodes. alpha = 15 and beta = 18 are the
 * paper's tuned values. Nodes found bottom-up are appended in index order, so `queue` still lists
 * nodes in non-decreasing distance. Complexity: O(n + m) per call in the worst case (each
 * bottom-up level also walks the n nodes), far less on low-diameter graphs.
 */
export function bfsHybrid(
  offsets: Int32Array, adj: Int32Array, revOffsets: Int32Array, revAdj: Int32Array,
  s: number, ws: BfsWorkspace,
): number {
  const { dist, queue } = ws;
  const n = offsets.length - 1;
  dist[s] = 0;
  queue[0] = s;
  let head = 0, tail = 1, level = 0;
  // Arcs (in the search direction) of nodes not yet visited: the top-down cost still to come.
  let unexplored = offsets[n]! - (offsets[s + 1]! - offsets[s]!);
  let frontierArcs = offsets[s + 1]! - offsets[s]!;
  let bottomUp = false;
  while (head < tail) {
    const levelStart = head, levelEnd = tail;
    const frontier = levelEnd - levelStart;
    if (!bottomUp && frontierArcs > unexplored / 15) bottomUp = true;
    else if (bottomUp && frontier < n / 18) bottomUp = false;
    const next = level + 1;
    frontierArcs = 0;
    if (bottomUp) {
      for (let w = 0; w < n; w++) {
        if (dist[w]! >= 0) continue;
        for (let e = revOffsets[w]!, hi = revOffsets[w + 1]!; e < hi; e++) {
          if (dist[revAdj[e]!] === level) {
            dist[w] = next;
            queue[tail++] = w;
            const d = offsets[w + 1]! - offsets[w]!;
            frontierArcs += d;
            unexplored -= d;
            break;
          }
        }
      }
    } else {
      for (let i = levelStart; i < levelEnd; i++) {
        const v = queue[i]!;
        for (let e = offsets[v]!, hi = offsets[v + 1]!; e < hi; e++) {
          const w = adj[e]!;
          if (dist[w]! < 0) {
            dist[w] = next;
            queue[tail++] = w;
            const d = offsets[w + 1]! - offsets[w]!;
            frontierArcs += d;
            unexplored -= d;
          }
        }
      }
    }
    head = levelEnd;
    level = next;
  }
  return tail;
}
