/**
 * Leiden community detection: Louvain's local moving plus a refinement phase, so that every
 * community is connected (indeed gamma-connected) when the algorithm stops.
 *
 * Reference: V.A. Traag, L. Waltman, N.J. van Eck, "From Louvain to Leiden: guaranteeing
 * well-connected communities", Sci. Rep. 9, 5233 (2019), doi:10.1038/s41598-019-41695-z.
 * Objective: modularity with resolution gamma on the undirected weighted view (modularity.ts).
 * One iteration, per level:
 *   1. fast local moving (louvain.ts `moveNodes`: active nodes swept in a seeded block order) gives P;
 *   2. stop the iteration if every community of P is a single node of the current graph;
 *   3. refinement: inside each community C of P, start from singletons and visit C's nodes in
 *      random order (communities one after the other); a node still alone and well connected to C (E(v, C-v) >= gamma k_v (K_C - k_v)/2m)
 *      joins a refined cluster r of C that is itself well connected (E(r, C-r) >= gamma K_r
 *      (K_C - K_r)/2m) and does not lower Q, drawn with probability ~ exp(dQ / theta),
 *      theta = 0.01 (igraph `beta`); staying alone (dQ = 0) is one of the choices;
 *   4. aggregate by the REFINED partition, each aggregate node starting in its P community.
 * Iterations repeat from the previous result. With `iterations = -1` they stop after an iteration
 * that raised Q by at most `tolerance` (default 1e-4), capped at 50. That gain is known exactly
 * and for free: it is the sum of the local-moving gains (refinement and aggregation keep Q).
 * `tolerance: 0` stops only at an iteration with no move at all, the exact fixed point of igraph's
 * `n_iterations = -1`. Why 1e-4 by default: after the first two or three iterations the gains
 * come from the random refinement reshuffling a few hundred nodes; on the 1M-edge planted
 * partition the 12 further iterations to the exact fixed point added 1.3e-4 in total (quality
 * gates are 0.005) at ~0.7 s each. On graphs of a few thousand edges single moves weigh more
 * than 1e-4, so the default and the exact rule coincide there.
 * Memory layout (the cost at scale is cache and TLB misses and first-touch page faults, not
 * arithmetic): right after the first local moving the working graph is renumbered community by
 * community (the result is mapped back), so refinement, aggregation and every later iteration
 * read arc rows and community sums that sit together in memory; level-1 arcs are the CSR's own
 * arrays until then; aggregate levels are written into two arc stores reused for the whole run.
 * Why communities stay connected: a refined cluster only ever grows along an edge, so every
 * aggregate node is a connected set of original nodes, and the last level ends with each
 * community a single aggregate node. The final BFS check (`splitDisconnected`) therefore only
 * runs when the last level did not end that way, and Q is scored on the last, smallest level.
 * Deviations: the selection probabilities are computed as exp((dQ - max dQ) / theta), the same
 * distribution as the paper's exp(dQ / theta) without overflow on heavy aggregate weights
 * (igraph falls back to the greedy choice there); choices weighing less than e^-50 of the best
 * are dropped (below the 2^-32 resolution of the draw), so a node with one clear best skips the
 * draw. If refinement merges nothing (possible only
 * when every pairwise merge inside a community lowers Q) the level loop stops instead of
 * repeating the same graph; any community then left disconnected is split into its components
 * (which can only raise Q), and `splitCommunities` reports how many splits that took (0 on every
 * dataset we test).
 * Complexity: O(m) per local-moving pass and per refinement, ~log n levels per iteration;
 * memory: the CSR plus one renumbered copy (8 B per arc with float32 weights), two aggregate arc
 * stores (12 B per arc of the second level) and ~125 B per node of scratch.
 */
import type { CsrGraph } from '../graph/csr.js';
import { Checkpoint, type RunControl } from './control.js';
import {
  aggregate, AggregateScratch, aggregateQuality, ArcStore, compact, finishPartition, MoveScratch, moveNodes, partitionQuality, type PartitionResult,
  type WorkGraph, workGraph,
} from './louvain.js';
import { createRng, type Rng } from './random.js';

export interface LeidenOptions {
  readonly resolution: number;
  readonly seed: number;
  /** Randomness of the refinement merges (igraph `beta`, the paper's theta). */
  readonly theta: number;
  /**
   * Iterations of the whole algorithm; -1 = until an iteration raises Q by no more than
   * `tolerance` (capped at 50).
   */
  readonly iterations: number;
  /** Q gain below which an iteration counts as stable (iterations = -1); 0 = exact fixed point. */
  readonly tolerance: number;
  readonly maxLevels: number;
}

export const LEIDEN_DEFAULTS: LeidenOptions = Object.freeze({
  resolution: 1, seed: 42, theta: 0.01, iterations: -1, tolerance: 1e-4, maxLevels: 64,
});

const STABLE_CAP = 50;
/** Refinement choices weighing less than e^-CUTOFF of the best are dropped. */
const CUTOFF = 50;

export interface LeidenResult extends PartitionResult {
  /** Disconnected communities split into components by the final safety pass (expected 0). */
  readonly splitCommunities: number;
}

export function leiden(g: CsrGraph, options: Partial<LeidenOptions> = {}, ctl?: RunControl): LeidenResult {
  const t0 = performance.now();
  const o = { ...LEIDEN_DEFAULTS, ...options };
  const G0 = workGraph(g);
  const n = G0.n;
  let membership = new Int32Array(n);
  for (let v = 0; v < n; v++) membership[v] = v;
  if (G0.total === 0) return { ...finishPartition(g, membership, o.resolution, 0, 0, 0, true, t0), splitCommunities: 0 };
  const rng = createRng(o.seed);
  const res = o.resolution / G0.total;
  const w = new LeidenWork(G0);
  const check = new Checkpoint(ctl, 'leiden');
  const cap = o.iterations < 0 ? STABLE_CAP : o.iterations;
  let levels = 0, moves = 0, it = 0, converged = o.iterations >= 0;
  let last = { quality: 0, connected: false };
  while (it < cap) {
    const progress = o.iterations < 0 ? 1 - 1 / (it + 1.5) : it / cap;
    check.step(progress);
    it++;
    const r = iterate(w, membership, res, o.resolution, o.theta, o.maxLevels, rng, check, progress);
    last = r;
    levels += r.levels;
    moves += r.moves;
    compact(membership, w.relabel);
    // Every move raises Q by its gain and refinement/aggregation keep Q, so the summed gains are
    // the iteration's exact Q increase (2 gain / 2m); no move at all means a fixed point.
    const dq = (2 * r.gain) / G0.total;
    if (o.iterations < 0 && (r.moves === 0 || dq <= o.tolerance)) { converged = true; break; }
  }
  check.step(1);
  // The BFS safety pass only runs when the guarantee does not hold (see iterate).
  const splits = last.connected ? 0 : splitDisconnected(w.G0, membership);
  const quality = splits === 0 ? last.quality : partitionQuality(w.G0, membership, o.resolution);
  const position = w.position;
  if (position !== null) {
    const m = new Int32Array(n);
    for (let v = 0; v < n; v++) m[v] = membership[position[v]!]!;
    membership = m;
  }
  const out = finishPartition(g, membership, o.resolution, levels, it, moves, converged, t0, quality);
  return { ...out, splitCommunities: splits };
}

/**
 * Everything one run reuses from level to level and iteration to iteration, allocated once:
 * large graphs spent more time allocating and zero-filling per-level arrays than computing.
 */
class LeidenWork {
  /** The original graph; renumbered community by community after the first local moving. */
  G0: WorkGraph;
  /** Original node -> index in the renumbered G0 (null until renumbered). */
  position: Int32Array | null = null;
  readonly n: number;
  readonly move: MoveScratch;
  readonly ref: RefineScratch;
  readonly agg: AggregateScratch;
  /** Aggregate graphs alternate between the two stores (a level reads one, writes the other). */
  readonly stores = [new ArcStore(), new ArcStore()] as const;
  readonly relabel: Int32Array;
  readonly nodeToAgg: Int32Array;
  /** Level memberships alternate between the two (the next level's is built from the current). */
  readonly memb: readonly [Int32Array, Int32Array];
  constructor(G0: WorkGraph) {
    const n = G0.n;
    this.G0 = G0;
    this.n = n;
    this.move = new MoveScratch(n);
    this.ref = new RefineScratch(n);
    this.agg = new AggregateScratch(n);
    this.relabel = new Int32Array(n);
    this.nodeToAgg = new Int32Array(n);
    this.memb = [new Int32Array(n), new Int32Array(n)];
  }
}

/**
 * Copy of `G` with nodes renumbered community by community (index order inside each). From then
 * on refinement and aggregation walk one community at a time and later iterations revisit nearly
 * the same communities, so the arcs they read sit together in memory instead of one cache (and
 * TLB) miss per node.
 */
function renumberByCommunity(G: WorkGraph, memb: Int32Array, k: number): { graph: WorkGraph; position: Int32Array } {
  const n = G.n;
  const { offsets: off, targets: adj, weights: w } = G;
  const start = new Int32Array(k + 1), position = new Int32Array(n), node = new Int32Array(n);
  for (let v = 0; v < n; v++) start[memb[v]! + 1]!++;
  for (let c = 0; c < k; c++) start[c + 1]! += start[c]!;
  for (let v = 0; v < n; v++) { const i = start[memb[v]!]!++; position[v] = i; node[i] = v; }
  const arcs = off[n]!;
  const offsets = new Int32Array(n + 1), targets = new Int32Array(arcs);
  const weights = w instanceof Float32Array ? new Float32Array(arcs) : new Float64Array(arcs);
  const self = new Float64Array(n), strength = new Float64Array(n);
  let q = 0;
  for (let i = 0; i < n; i++) {
    const v = node[i]!;
    offsets[i] = q;
    self[i] = G.self[v]!;
    strength[i] = G.strength[v]!;
    for (let e = off[v]!, end = off[v + 1]!; e < end; e++) { targets[q] = position[adj[e]!]!; weights[q++] = w[e]!; }
  }
  offsets[n] = q;
  return { graph: { n, offsets, targets, weights, self, strength, total: G.total }, position };
}

/**
 * One Leiden iteration on w.G0, starting from `membership` (labels in [0, n), G0's numbering),
 * updated in place. The very first local moving is followed by renumbering G0 by its communities
 * (w.position records it; `membership` is in the new numbering from then on).
 */
function iterate(
  w: LeidenWork, membership: Int32Array, res: number, resolution: number, theta: number, maxLevels: number, rng: Rng,
  check: Checkpoint, progress: number,
): { levels: number; moves: number; gain: number; quality: number; connected: boolean } {
  const n = w.n, nodeToAgg = w.nodeToAgg, relabel = w.relabel;
  for (let v = 0; v < n; v++) nodeToAgg[v] = v;
  let G = w.G0;
  let flip = 0;
  let memb = w.memb[flip];
  memb.set(membership);
  let levels = 0, moves = 0, gain = 0, single = false;
  while (levels < maxLevels) {
    moves += moveNodes(G, memb, res, rng, w.move, check, progress);
    gain += w.move.gain;
    const k = compact(memb, relabel);
    levels++;
    if (k === G.n) { single = true; break; }
    if (w.position === null) {
      const p = renumberByCommunity(G, memb, k);
      flip ^= 1;
      const m = w.memb[flip];
      for (let v = 0; v < n; v++) m[p.position[v]!] = memb[v]!;
      G = w.G0 = p.graph;
      w.position = p.position;
      memb = m;
    }
    const refined = refine(G, memb, k, res, theta, rng, w.ref);
    const r = compact(refined, relabel);
    if (r === G.n) break; // nothing merged: the next level would see the same graph
    flip ^= 1;
    const aggMemb = w.memb[flip].subarray(0, r);
    for (let v = 0; v < G.n; v++) aggMemb[refined[v]!] = memb[v]!;
    for (let i = 0; i < n; i++) nodeToAgg[i] = refined[nodeToAgg[i]!]!;
    G = aggregate(G, refined, r, w.stores[levels & 1], w.agg);
    memb = aggMemb;
  }
  for (let i = 0; i < n; i++) membership[i] = memb[nodeToAgg[i]!]!;
  // Every aggregate node is a connected set of original nodes, so when each community ended as a
  // single node of the last level every community is connected.
  const quality = single ? aggregateQuality(G, resolution) : partitionQuality(G, memb, resolution);
  return { levels, moves, gain, quality, connected: single };
}

class RefineScratch {
  readonly refined: Int32Array;
  readonly clusterWeight: Float64Array;
  readonly external: Float64Array;
  readonly communityWeight: Float64Array;
  readonly nonSingleton: Uint8Array;
  readonly order: Int32Array;
  readonly neighWeight: Float64Array;
  /** Candidates of the visited node (one per arc plus its own cluster): sized for the longest row. */
  neighList = new Int32Array(0);
  readonly mark: Int32Array;
  cum = new Float64Array(0);
  diff = new Float64Array(0);
  readonly start: Int32Array;
  constructor(n: number) {
    this.refined = new Int32Array(n);
    this.start = new Int32Array(n + 1);
    this.clusterWeight = new Float64Array(n);
    this.external = new Float64Array(n);
    this.communityWeight = new Float64Array(n);
    this.nonSingleton = new Uint8Array(n);
    this.order = new Int32Array(n);
    this.neighWeight = new Float64Array(n);
    this.mark = new Int32Array(n);
  }
}

/**
 * Refinement of `memb` (labels 0..k-1): returns refined labels in [0, G.n), each refined cluster
 * a connected subset of one community. Communities are independent, so one global random order
 * gives each community a random order of its own nodes. One pass over the arcs sets up the
 * weights, then each visited node reads its arcs once: after it joins cluster r, r's weight to
 * the rest of C changes by E(v, C - v) - 2 E(v, r), both already summed in the candidate scan.
 */
function refine(G: WorkGraph, memb: Int32Array, k: number, res: number, theta: number, rng: Rng, s: RefineScratch): Int32Array {
  const n = G.n;
  const { offsets: off, targets: adj, weights: w, strength: kw } = G;
  const refined = s.refined.subarray(0, n);
  const cw = s.clusterWeight, ext = s.external, total = s.communityWeight, nonSingle = s.nonSingleton;
  let longest = 0;
  for (let v = 0; v < n; v++) if (off[v + 1]! - off[v]! > longest) longest = off[v + 1]! - off[v]!;
  if (s.neighList.length <= longest) {
    s.neighList = new Int32Array(longest + 1);
    s.cum = new Float64Array(longest + 1);
    s.diff = new Float64Array(longest + 1);
  }
  const nw = s.neighWeight, list = s.neighList, mark = s.mark, prob = s.cum, diff = s.diff, order = s.order;
  total.fill(0, 0, k);
  nonSingle.fill(0, 0, n);
  mark.fill(-1, 0, n);
  // Visit order: community by community, each community's nodes in a seeded random order, so the
  // clusters and arcs touched stay within one community's working set (cache-friendly).
  const start = s.start;
  start.fill(0, 0, k + 1);
  for (let v = 0; v < n; v++) {
    refined[v] = v;
    cw[v] = kw[v]!;
    const c = memb[v]!;
    total[c]! += kw[v]!;
    start[c + 1]!++;
    let e0 = 0;
    for (let e = off[v]!, end = off[v + 1]!; e < end; e++) if (memb[adj[e]!] === c) e0 += w[e]!;
    ext[v] = e0;
  }
  for (let c = 0; c < k; c++) start[c + 1]! += start[c]!;
  for (let v = 0; v < n; v++) order[start[memb[v]!]!++] = v;
  for (let c = 0, lo = 0; c < k; c++) {
    const hi = start[c]!; // after the fill above start[c] is the end of c's segment
    for (let i = hi - 1; i > lo; i--) {
      const j = lo + Math.floor(rng() * (i - lo + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    lo = hi;
  }
  const cutoff = CUTOFF * theta;
  for (let i = 0; i < n; i++) {
    const v = order[i]!;
    const rv = refined[v]!;
    if (nonSingle[rv]) continue;
    const c = memb[v]!, kc = total[c]!, kv = kw[v]!;
    const extV = ext[rv]!; // v is alone: E(v, C - v)
    if (extV < kv * (kc - kv) * res) continue;
    cw[rv] = 0;
    ext[rv] = 0;
    // Candidates: v's own (now empty) cluster first, then neighbouring refined clusters in C.
    let nl = 0;
    mark[rv] = v; nw[rv] = 0; list[nl++] = rv;
    for (let e = off[v]!, end = off[v + 1]!; e < end; e++) {
      const u = adj[e]!;
      if (memb[u] !== c) continue;
      const r = refined[u]!;
      if (mark[r] !== v) { mark[r] = v; nw[r] = 0; list[nl++] = r; }
      nw[r]! += w[e]!;
    }
    let maxDiff = 0, chosen = rv;
    for (let j = 0; j < nl; j++) {
      const r = list[j]!;
      if (ext[r]! >= cw[r]! * (kc - cw[r]!) * res) {
        const d = nw[r]! - kv * cw[r]! * res;
        diff[j] = d;
        if (d > maxDiff) { maxDiff = d; chosen = r; }
      } else diff[j] = -1;
    }
    // Random choice with weights exp((d - max) / theta) among the non-negative d; weights below
    // e^-CUTOFF are dropped (far below the 2^-32 resolution of the draw), so most nodes, with a
    // single clear best, skip exp and the draw altogether.
    let acc = 0, live = 0;
    for (let j = 0; j < nl; j++) {
      const d = diff[j]!;
      if (d >= 0 && maxDiff - d <= cutoff) { const x = Math.exp((d - maxDiff) / theta); prob[live] = x; acc += x; list[live++] = list[j]!; }
    }
    if (live > 1) {
      let x = rng() * acc;
      for (let j = 0; j < live; j++) { x -= prob[j]!; if (x < 0) { chosen = list[j]!; break; } }
    }
    cw[chosen]! += kv;
    ext[chosen]! += extV - 2 * nw[chosen]!;
    if (chosen !== rv) { nonSingle[chosen] = 1; refined[v] = chosen; }
  }
  return refined;
}

/** Splits every disconnected community of `membership` (0..k-1) into its components; returns splits. */
function splitDisconnected(G: WorkGraph, membership: Int32Array): number {
  const n = G.n;
  const seen = new Uint8Array(n), queue = new Int32Array(n);
  let k = 0;
  for (let v = 0; v < n; v++) if (membership[v]! + 1 > k) k = membership[v]! + 1;
  const used = new Uint8Array(k);
  let next = k, splits = 0;
  for (let s = 0; s < n; s++) {
    if (seen[s]) continue;
    const c = membership[s]!;
    const label = used[c] ? next++ : c;
    if (used[c]) splits++;
    used[c] = 1;
    let head = 0, tail = 0;
    queue[tail++] = s;
    seen[s] = 1;
    while (head < tail) {
      const a = queue[head++]!;
      membership[a] = label;
      for (let e = G.offsets[a]!, end = G.offsets[a + 1]!; e < end; e++) {
        const b = G.targets[e]!;
        if (!seen[b] && membership[b] === c) { seen[b] = 1; queue[tail++] = b; }
      }
    }
  }
  return splits;
}
