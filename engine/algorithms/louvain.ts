/**
 * Louvain community detection: modularity maximisation by local moving and aggregation.
 *
 * Definition: maximises Q = sum_c [ in_c / m - gamma (tot_c / 2m)^2 ] (engine/algorithms/
 * modularity.ts) on the undirected weighted view (u->v and v->u merged, weights summed).
 * Reference: V.D. Blondel, J.-L. Guillaume, R. Lambiotte, E. Lefebvre, "Fast unfolding of
 * communities in large networks", J. Stat. Mech. P10008 (2008), doi:10.1088/1742-5468/2008/10/P10008.
 * Variant: each level runs the local moving of Traag, Waltman & van Eck (Sci. Rep. 9, 5233, 2019,
 * "fast local move"): every node starts active, a node that moves re-activates its neighbours
 * outside its new community, and the level ends when no node is active, revisiting only nodes
 * whose neighbourhood changed. That is nearly, not exactly, the fixed point of repeated full
 * sweeps: a move also changes two community totals, which can leave a few non-neighbours with an
 * improving move (igraph's fastmovenodes shares this; the louvain test bounds it at 0.5% of n).
 * Deviation in the visiting order (moveNodes): the paper's queue pops nodes in a random order, so
 * each pop reads its arc row at a random place in memory; we sweep the active nodes block by
 * block (blocks of consecutive indices, the blocks in a seeded random order, each read front to
 * back) and hand the last few active nodes to a FIFO queue. Same stopping rule, different path:
 * level-1 moving on the 10M-edge planted partition 5.4 s -> 3.8 s (1.4x), Leiden 18.6 s -> 15.0 s,
 * same Q (measured in one process; bench/communities.bench.ts has the end-to-end figures).
 * Candidates are the neighbouring communities
 * and one empty community; a node moves only for a strictly larger gain, ties keep the first
 * candidate in CSR order. Levels stop when local moving moves nothing.
 * Gain of putting node v (strength k_v) into community c (total strength K_c without v):
 *   dQ ~ w(v, c) - gamma * k_v * K_c / 2m   (common factor 1/m dropped).
 * Aggregation: communities become nodes; one pass over the arcs, community by community (nodes
 * bucketed by a counting sort), merges parallel arcs into a CSR; internal weight becomes a
 * self-loop weight kept beside the adjacency (never in it).
 * Complexity: O(m) per sweep over the active nodes, ~log n levels. Memory: level 1 reads the CSR's own
 * arrays (no copy without self-loops); aggregate levels go into two arc stores (12 B per arc of
 * the second level) reused by every later level; ~55 B per node of scratch.
 * Cost at scale is memory latency, not arithmetic: hence the block sweeps (rows read in memory
 * order), no per-node allocation, and per-community sums interleaved in one array. On
 * this project's VMs a first-touched page costs ~15 us, so a fresh O(m) array per level cost more
 * than the aggregation that filled it: nothing O(m) is allocated after the first level. The
 * result's Q is scored on the last level (the identity partition of the final aggregate).
 * Deviation: gamma != 1 is the Reichardt-Bornholdt resolution, as igraph `resolution`.
 * Known limitation (the reason leiden.ts exists): communities can be badly connected or even
 * disconnected (Traag et al. 2019, up to 25% badly connected).
 */
import { undirectedView } from '../graph/builder.js';
import type { CsrGraph } from '../graph/csr.js';
import { Checkpoint, type RunControl, seconds } from './control.js';
import { canonicalMembership, modularity } from './modularity.js';
import { createRng, type Rng, shuffle } from './random.js';

export interface LouvainOptions {
  /** gamma: > 1 favours smaller communities, < 1 larger ones. */
  readonly resolution: number;
  readonly seed: number;
  /** Safety cap on aggregation levels (real graphs need fewer than 10). */
  readonly maxLevels: number;
}

export const LOUVAIN_DEFAULTS: LouvainOptions = Object.freeze({ resolution: 1, seed: 42, maxLevels: 64 });

export interface PartitionResult {
  /** Community per node, relabelled 0..k-1 in order of each community's smallest node index. */
  readonly membership: Int32Array;
  readonly communities: number;
  /** Modularity of `membership` (at the requested resolution) on the undirected view. */
  readonly modularity: number;
  readonly levels: number;
  readonly iterations: number;
  /** Node moves summed over every local-moving phase. */
  readonly moves: number;
  readonly converged: boolean;
  readonly seconds: number;
}

/**
 * Weighted undirected graph the community kernels work on: symmetric adjacency without
 * self-loops, self-loop (internal) weight per node beside it, and strengths k (adjacency + 2 self).
 * Level-1 weights are the graph's own (float32 when every weight is exact in float32, as the
 * builder stores counts); aggregate levels sum weights and are always float64.
 */
export interface WorkGraph {
  readonly n: number;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly weights: Float32Array | Float64Array;
  readonly self: Float64Array;
  readonly strength: Float64Array;
  /** 2m: total strength, constant across aggregation levels. */
  readonly total: number;
}

/**
 * The work graph of `g`'s undirected view. Without self-loops (the builder's default) it shares
 * the CSR's arrays instead of copying them: a fresh O(m) array costs more in page faults than a
 * whole local-moving pass on large graphs (kernels never write the graph). Unweighted graphs get
 * one float32 array of ones.
 */
export function workGraph(g: CsrGraph): WorkGraph {
  const u = g.directed ? undirectedView(g) : g;
  const n = u.n;
  const { outOffsets: off, outTargets: tgt, outWeights: w } = u;
  // Rows are sorted sets: a self-loop a->a is found by binary search.
  let loops = 0;
  for (let a = 0; a < n; a++) {
    let lo = off[a]!, hi = off[a + 1]!;
    while (lo < hi) { const mid = (lo + hi) >>> 1; if (tgt[mid]! < a) lo = mid + 1; else hi = mid; }
    if (lo < off[a + 1]! && tgt[lo] === a) loops++;
  }
  const self = new Float64Array(n), strength = new Float64Array(n);
  let total = 0;
  if (loops === 0) {
    const weights = w ?? new Float32Array(off[n]!).fill(1);
    for (let a = 0; a < n; a++) {
      let s = 0;
      for (let e = off[a]!, end = off[a + 1]!; e < end; e++) s += weights[e]!;
      strength[a] = s;
      total += s;
    }
    return { n, offsets: off, targets: tgt, weights, self, strength, total };
  }
  const offsets = new Int32Array(n + 1), targets = new Int32Array(off[n]! - loops), weights = new Float64Array(off[n]! - loops);
  let p = 0;
  for (let a = 0; a < n; a++) {
    offsets[a] = p;
    let s = 0;
    for (let e = off[a]!, end = off[a + 1]!; e < end; e++) {
      const b = tgt[e]!, x = w === null ? 1 : w[e]!;
      if (b === a) { self[a]! += x; s += 2 * x; continue; }
      targets[p] = b;
      weights[p++] = x;
      s += x;
    }
    strength[a] = s;
    total += s;
  }
  offsets[n] = p;
  return { n, offsets, targets, weights, self, strength, total };
}

/**
 * Q of the partition `memb` (labels in [0, G.n)) of a work graph = Q of the partition of the
 * original graph it encodes. O(n + arcs of G): the kernels score their result on the last, smallest
 * level instead of re-reading the whole original graph.
 */
export function partitionQuality(G: WorkGraph, memb: Int32Array, resolution: number): number {
  if (G.total === 0) return 0;
  const n = G.n, inside = new Float64Array(n), tot = new Float64Array(n);
  const { offsets: off, targets: adj, weights: w } = G;
  for (let v = 0; v < n; v++) {
    const c = memb[v]!;
    let x = G.self[v]!;
    // Internal edges are seen from both ends: half their weight each time.
    for (let e = off[v]!, end = off[v + 1]!; e < end; e++) if (memb[adj[e]!] === c) x += w[e]! / 2;
    inside[c]! += x;
    tot[c]! += G.strength[v]!;
  }
  let q = 0;
  for (let c = 0; c < n; c++) if (tot[c]! > 0 || inside[c]! > 0) q += (2 * inside[c]!) / G.total - resolution * (tot[c]! / G.total) ** 2;
  return q;
}

/** Quality of the identity partition of an aggregate graph = Q of the partition it encodes. */
export function aggregateQuality(G: WorkGraph, resolution: number): number {
  if (G.total === 0) return 0;
  let q = 0;
  for (let c = 0; c < G.n; c++) q += (2 * G.self[c]!) / G.total - resolution * (G.strength[c]! / G.total) ** 2;
  return q;
}

/**
 * Rows up to this many arcs sum their community weights in a local list (see moveNodes): on the
 * 10M-edge planted partition (14.6 arcs per node) level-1 local moving is ~10% faster with 16-32,
 * no gain beyond 64.
 */
const SMALL_ROW = 32;

/** Scratch arrays for local moving, sized for the largest (first) level and reused after. */
export class MoveScratch {
  /**
   * Interleaved per community c: [2c] = weight from the node being visited into c (0 outside a
   * visit: reset through the touched list), [2c + 1] = total strength of c. Both are read for
   * every candidate, so one cache line serves both on graphs far larger than the cache.
   */
  readonly cluster: Float64Array;
  readonly clusterSize: Int32Array;
  readonly empty: Int32Array;
  readonly queue: Int32Array;
  readonly inQueue: Uint8Array;
  /** Seeded visiting order of the index blocks of a sweep (grown on demand, like neighList). */
  blocks = new Int32Array(0);
  /** Communities touched by the visited node's row (long rows): sized for the longest row. */
  neighList = new Int32Array(0);
  readonly smallLabel = new Int32Array(SMALL_ROW);
  readonly smallWeight = new Float64Array(SMALL_ROW);
  /** Summed gain (weight units: dQ * 2m / 2) of the moves of the last `moveNodes` call. */
  gain = 0;
  constructor(n: number) {
    this.cluster = new Float64Array(2 * n);
    this.clusterSize = new Int32Array(n);
    this.empty = new Int32Array(n);
    this.queue = new Int32Array(n);
    this.inQueue = new Uint8Array(n);
  }
}

/**
 * Nodes per sweep block: about 1/1024 of the nodes, capped at 4096 (large enough that a block's
 * rows stream through the cache, small enough that the block order is a fine-grained shuffle);
 * 1 below 1024 nodes, where the order is a plain seeded random permutation.
 */
export function blockSize(n: number): number {
  return Math.max(1, Math.min(4096, n >> 10));
}

/**
 * Local moving on `G`, starting from `memb` (labels in [0, G.n)), updated in place. `res` is
 * gamma / 2m. Returns the number of moves and leaves their summed gain in `s.gain` (the exact Q
 * increase of the phase is 2 s.gain / 2m). Calls `check` about once per n visits.
 * Order: sweeps over the index blocks in a seeded random order while at least n/32 nodes are
 * active (a block's arc rows are contiguous, so they stream instead of missing the cache once per
 * node: the cost that dominated at 10M edges); then the remaining active nodes, in that order,
 * go to a FIFO queue, so a long tail of a few re-activated nodes never costs O(n) per sweep.
 * A community enters the candidate list when its accumulated weight is still 0, so a zero-weight
 * arc may list it twice: harmless, the duplicate has the same gain.
 */
export function moveNodes(
  G: WorkGraph, memb: Int32Array, res: number, rng: Rng, s: MoveScratch, check: Checkpoint, progress: number,
): number {
  const n = G.n;
  const { offsets: off, targets: adj, weights: w, strength: k } = G;
  let longest = 0;
  for (let v = 0; v < n; v++) if (off[v + 1]! - off[v]! > longest) longest = off[v + 1]! - off[v]!;
  if (s.neighList.length < longest) s.neighList = new Int32Array(longest);
  const cs = s.cluster, size = s.clusterSize, empty = s.empty, queue = s.queue, inQ = s.inQueue, list = s.neighList;
  const lc = s.smallLabel, lw = s.smallWeight;
  cs.fill(0, 0, 2 * n);
  size.fill(0, 0, n);
  for (let v = 0; v < n; v++) { const c = memb[v]!; cs[2 * c + 1]! += k[v]!; size[c]!++; }
  let emptyTop = 0;
  for (let c = n - 1; c >= 0; c--) if (size[c] === 0) empty[emptyTop++] = c;
  const B = blockSize(n), nb = Math.ceil(n / B);
  if (s.blocks.length < nb) s.blocks = new Int32Array(nb);
  const blocks = s.blocks;
  for (let b = 0; b < nb; b++) blocks[b] = b;
  shuffle(blocks.subarray(0, nb), rng);
  inQ.fill(1, 0, n);
  // Sweep state: block `bi` of the order, next index `pos`, block end `blockEnd`. FIFO state
  // (after the switch): `queue[head..head+queued)` modulo n.
  let sweeping = n > 0, bi = 0, pos = blocks[0]! * B, blockEnd = Math.min(n, pos + B);
  let head = 0, queued = n, moves = 0, countdown = n, gained = 0;
  while (queued > 0) {
    let v: number;
    if (sweeping) {
      while (pos === blockEnd || inQ[pos] === 0) {
        if (pos < blockEnd) { pos++; continue; }
        if (++bi === nb) {
          bi = 0;
          if (queued < n >> 5) {
            // The few nodes still active become the FIFO queue, in sweep order.
            sweeping = false;
            let q = 0;
            for (let b = 0; b < nb; b++) {
              for (let u = blocks[b]! * B, end = Math.min(n, u + B); u < end; u++) if (inQ[u] === 1) queue[q++] = u;
            }
            head = 0;
            break;
          }
        }
        pos = blocks[bi]! * B;
        blockEnd = Math.min(n, pos + B);
      }
    }
    if (sweeping) v = pos++;
    else {
      v = queue[head]!;
      head = head + 1 === n ? 0 : head + 1;
    }
    queued--;
    inQ[v] = 0;
    if (--countdown === 0) { countdown = n; check.step(progress); }
    const cur = memb[v]!, kv = k[v]!, kr = kv * res;
    cs[2 * cur + 1]! -= kv;
    if (--size[cur]! === 0) empty[emptyTop++] = cur;
    const e0 = off[v]!, e1 = off[v + 1]!;
    let best = cur, stay: number, bestGain: number;
    if (e1 - e0 <= SMALL_ROW) {
      // Short row: sum per neighbouring community in a small local list (linear search) rather
      // than in cs[2c]: one random cache/TLB miss fewer per arc, identical candidates in the same
      // first-seen order (v's own community is kept aside as the baseline).
      let nl = 0, wCur = 0;
      for (let e = e0; e < e1; e++) {
        const c = memb[adj[e]!]!, x = w[e]!;
        if (c === cur) { wCur += x; continue; }
        let j = 0;
        while (j < nl && lc[j] !== c) j++;
        if (j === nl) { lc[nl] = c; lw[nl++] = x; } else lw[j]! += x;
      }
      stay = wCur - kr * cs[2 * cur + 1]!;
      bestGain = stay;
      if (bestGain < 0) { best = empty[emptyTop - 1]!; bestGain = 0; }
      for (let i = 0; i < nl; i++) {
        const c = lc[i]!;
        const gain = lw[i]! - kr * cs[2 * c + 1]!;
        if (gain > bestGain) { bestGain = gain; best = c; }
      }
    } else {
      let nl = 0;
      for (let e = e0; e < e1; e++) {
        const c2 = 2 * memb[adj[e]!]!;
        if (cs[c2] === 0) list[nl++] = c2;
        cs[c2]! += w[e]!;
      }
      // Staying is the baseline; an empty community (gain 0) and each neighbour community compete.
      stay = cs[2 * cur]! - kr * cs[2 * cur + 1]!;
      bestGain = stay;
      if (bestGain < 0) { best = empty[emptyTop - 1]!; bestGain = 0; }
      for (let i = 0; i < nl; i++) {
        const c2 = list[i]!;
        const gain = cs[c2]! - kr * cs[c2 + 1]!;
        if (gain > bestGain) { bestGain = gain; best = c2 >> 1; }
      }
      for (let i = 0; i < nl; i++) cs[list[i]!] = 0;
    }
    if (size[best] === 0) emptyTop--; // best is the top of the empty stack: cur itself or the fresh one
    cs[2 * best + 1]! += kv;
    size[best]!++;
    if (best !== cur) {
      memb[v] = best;
      moves++;
      gained += bestGain - stay;
      for (let e = off[v]!, end = off[v + 1]!; e < end; e++) {
        const u = adj[e]!;
        if (inQ[u] === 0 && memb[u] !== best) {
          inQ[u] = 1;
          if (!sweeping) {
            let tail = head + queued;
            if (tail >= n) tail -= n;
            queue[tail] = u;
          }
          queued++;
        }
      }
    }
  }
  s.gain = gained;
  return moves;
}

/** Relabels `memb` in place to 0..k-1 by smallest node index; returns k. */
export function compact(memb: Int32Array, scratch: Int32Array): number {
  const n = memb.length;
  scratch.fill(-1, 0, n);
  let k = 0;
  for (let v = 0; v < n; v++) {
    const c = memb[v]!;
    if (scratch[c] === -1) scratch[c] = k++;
    memb[v] = scratch[c]!;
  }
  return k;
}

/**
 * Arc storage an aggregate graph is written into, grown on demand and reused from level to level:
 * allocating (and zero-filling) O(m) arrays per level cost more than the aggregation itself on
 * large graphs. A level's graph lives in one store while the next is written into the other.
 */
export class ArcStore {
  targets = new Int32Array(0);
  weights = new Float64Array(0);
  ensure(capacity: number): void {
    if (this.targets.length >= capacity) return;
    this.targets = new Int32Array(capacity);
    this.weights = new Float64Array(capacity);
  }
}

/** Per-node scratch of `aggregate`, sized for the largest graph it will see. */
export class AggregateScratch {
  readonly start: Int32Array;
  readonly members: Int32Array;
  readonly mark: Int32Array;
  readonly slot: Int32Array;
  constructor(n: number) {
    this.start = new Int32Array(n + 1);
    this.members = new Int32Array(n);
    this.mark = new Int32Array(n);
    this.slot = new Int32Array(n);
  }
}

/**
 * Collapses each community (labels 0..k-1) of `G` into one node in a single pass over the arcs:
 * nodes are bucketed by community (counting sort, members in index order), then each community's
 * row is merged on the fly (`slot[d]` remembers where row c put d, valid while mark[d] = c).
 * Rows list neighbours in first-seen order, so the result does not depend on anything but G, memb.
 * The arcs go into `out` (which must not hold G's own arcs); without one they get fresh arrays.
 */
export function aggregate(G: WorkGraph, memb: Int32Array, k: number, out?: ArcStore, s?: AggregateScratch): WorkGraph {
  const n = G.n;
  const { offsets: off, targets: adj, weights: w } = G;
  const arcs = off[n]!;
  const self = new Float64Array(k), strength = new Float64Array(k);
  const scratch = s ?? new AggregateScratch(n);
  const start = scratch.start, members = scratch.members, mark = scratch.mark, slot = scratch.slot;
  start.fill(0, 0, k + 1);
  for (let v = 0; v < n; v++) start[memb[v]! + 1]!++;
  for (let c = 0; c < k; c++) start[c + 1]! += start[c]!;
  // After this fill start[c] is the end of c's bucket (= start of c + 1's): c spans start[c-1]..start[c].
  for (let v = 0; v < n; v++) members[start[memb[v]!]!++] = v;
  // Upper bound on the output: every arc crossing communities.
  const store = out ?? new ArcStore();
  store.ensure(arcs);
  const bt = store.targets, bw = store.weights;
  mark.fill(-1, 0, k);
  const offsets = new Int32Array(k + 1);
  let q = 0;
  for (let c = 0, i = 0; c < k; c++) {
    offsets[c] = q;
    let sc = 0, kc = 0;
    for (const iend = start[c]!; i < iend; i++) {
      const v = members[i]!;
      sc += G.self[v]!;
      kc += G.strength[v]!;
      for (let e = off[v]!, end = off[v + 1]!; e < end; e++) {
        const d = memb[adj[e]!]!;
        // An internal edge is seen from both ends: half its weight each time.
        if (d === c) sc += w[e]! / 2;
        else if (mark[d] !== c) { mark[d] = c; slot[d] = q; bt[q] = d; bw[q] = w[e]!; q++; }
        else bw[slot[d]!]! += w[e]!;
      }
    }
    self[c] = sc;
    strength[c] = kc;
  }
  offsets[k] = q;
  const targets = out === undefined ? bt.slice(0, q) : bt.subarray(0, q);
  const weights = out === undefined ? bw.slice(0, q) : bw.subarray(0, q);
  return { n: k, offsets, targets, weights, self, strength, total: G.total };
}

export function louvain(g: CsrGraph, options: Partial<LouvainOptions> = {}, ctl?: RunControl): PartitionResult {
  const t0 = performance.now();
  const o = { ...LOUVAIN_DEFAULTS, ...options };
  const G0 = workGraph(g);
  const n = G0.n;
  const membership = new Int32Array(n);
  for (let v = 0; v < n; v++) membership[v] = v;
  const check = new Checkpoint(ctl, 'louvain');
  if (G0.total === 0) {
    return finish(g, membership, o.resolution, 0, 0, 0, true, t0);
  }
  const rng = createRng(o.seed);
  const res = o.resolution / G0.total;
  const scratch = new MoveScratch(n), relabel = new Int32Array(n), level = new Int32Array(n);
  const stores = [new ArcStore(), new ArcStore()], aggScratch = new AggregateScratch(n);
  let G = G0, levels = 0, moves = 0, converged = false;
  while (levels < o.maxLevels) {
    check.step(1 - 1 / (levels + 1.5));
    const memb = level.subarray(0, G.n);
    for (let v = 0; v < G.n; v++) memb[v] = v;
    const moved = moveNodes(G, memb, res, rng, scratch, check, 1 - 1 / (levels + 1.5));
    if (moved === 0) { converged = true; break; }
    moves += moved;
    const k = compact(memb, relabel);
    for (let i = 0; i < n; i++) membership[i] = memb[membership[i]!]!;
    levels++;
    if (k === G.n) { converged = true; break; }
    G = aggregate(G, memb, k, stores[levels & 1]!, aggScratch);
  }
  check.step(1);
  // `membership` is always the identity partition of the current G (whatever ended the loop).
  return finish(g, membership, o.resolution, levels, levels, moves, converged, t0, aggregateQuality(G, o.resolution));
}

/** Canonical labels and the result record; `quality` is computed on `g` unless the kernel knows it. */
function finish(
  g: CsrGraph, membership: Int32Array, resolution: number, levels: number, iterations: number, moves: number,
  converged: boolean, t0: number, quality?: number,
): PartitionResult {
  const m = canonicalMembership(membership);
  let k = 0;
  for (let i = 0; i < m.length; i++) if (m[i]! + 1 > k) k = m[i]! + 1;
  return {
    membership: m, communities: k, modularity: quality ?? modularity(g, m, resolution), levels, iterations, moves,
    converged, seconds: seconds(t0),
  };
}

export { finish as finishPartition };
