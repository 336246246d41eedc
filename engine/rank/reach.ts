/**
 * Reach: the number of distinct members within two hops of each member (undirected view, the member
 * itself excluded): |N(u) ∪ N(N(u)) \ {u}|. Direction: none; an interaction either way links two
 * members (the undirected view of engine/graph/builder.ts), because a super-node's reach is whom it
 * can talk to or hear from.
 *
 * Exact: a stamped marker array, cost sum_{v in N(u)} (deg v + 1) per member, O(sum_v deg(v)^2)
 * in total; cheap unless a member has many high-degree neighbours.
 * Sketch: HyperLogLog (P. Flajolet, E. Fusy, O. Gandouet, F. Meunier, "HyperLogLog: the analysis of
 * a near-optimal cardinality estimation algorithm", AofA 2007), m = 2^p registers (p = 12 by
 * default: relative standard error 1.04 / sqrt(m) = 1.6%), linear counting below 2.5 m (Heule,
 * Nunkesser, Hall, EDBT 2013, HyperLogLog++'s small-range rule; near-exact for small sets). The
 * 2-hop set of u is the union over neighbours v of N[v] = {v} ∪ N(v), so u's sketch is the
 * register-wise max of the neighbours' 1-hop sketches. Only hubs (deg v + 1 >= `hubDegree`,
 * default m/4, raised until the hub sketches fit in 0.5 B per arc) get a materialised 1-hop
 * sketch, merged four registers per word operation (a SWAR byte-wise max; ranks are below 128);
 * a smaller neighbourhood is inserted member by member.
 * `method: 'auto'` (default) picks, per member, exact or sketch by a cost model counted in random
 * member accesses (a mark test, an insertion; a fresh sketch ~m/2, a hub merge ~m/4), so the
 * result is exact for every member whose two-hop neighbourhood is cheap to walk, and an estimate
 * (reported in `sketchedNodes`) for the others. Hash: murmur3's 32-bit finaliser of the node
 * index, computed once per member into (register << 8 | rank), so an insertion is one load.
 * A directed graph's neighbourhoods are read as its merged out- and in-rows
 * (engine/graph/builder.ts `undirectedRows`): no undirected view is built for this measure.
 * Memory: 4 + 4 + 8 B per member (hash code, marks, result) and the hub pool; 4 B per member more
 * per extra thread (its marks).
 * Parallel form (`reachTeam`, ../algorithms/team.ts): the plan and hub numbering once on the
 * calling thread, then hash codes by node range, hub sketches and members by chunks claimed from
 * shared counters, into one shared pool and result: no partial sketches to merge, no member
 * computed twice, the same values for any thread count.
 */
import type { CsrGraph } from '../graph/csr.js';
import { undirectedRows } from '../graph/builder.js';
import { Checkpoint, type RunControl, seconds } from '../algorithms/control.js';
import { sharedF64, sharedI32, sharedU8, solo, type Team } from '../algorithms/team.js';
import { SupernodeError } from '../errors.js';

export interface ReachOptions {
  readonly method: 'auto' | 'exact' | 'hll';
  /** HyperLogLog precision: 2^p registers (4..16); the most precise p the budget allows. */
  readonly p: number;
  /** Lowest precision `auto` may fall back to. */
  readonly minP: number;
  /**
   * Work budget of `auto`, in random member accesses per stored arc entry: the precision drops
   * from p towards minP until the modelled cost fits (Infinity: always p).
   */
  readonly budgetPerArc: number;
  /** Neighbours of at least this closed-neighbourhood size get a materialised sketch; null = 2^p / 4. */
  readonly hubDegree: number | null;
}

/**
 * Budget 200 per arc entry: every shared dataset keeps p = 12 (its modelled cost is 9-150), while
 * R-MAT graphs, whose hubs make every member's two-hop set huge (p = 12 costs ~500), fall to
 * p = 10 (~190): 2.4x faster at scale 19 for 3.25% instead of 1.6% relative standard error.
 */
export const REACH_DEFAULTS: ReachOptions = Object.freeze({ method: 'auto', p: 12, minP: 8, budgetPerArc: 200, hubDegree: null });

export interface ReachResult {
  /** Reach of the members in [from, to): entry i is member from + i (all n members by default). */
  readonly reach: Float64Array;
  readonly exactNodes: number;
  readonly sketchedNodes: number;
  readonly p: number;
  readonly relativeStdError: number;
  readonly sketchBytes: number;
  readonly seconds: number;
}

interface ReachPlan {
  readonly p: number;
  readonly hubDeg: number;
  readonly hubs: number;
}

/**
 * Precision, hub threshold and hub count for a run. Pure function of the graph and the options, so
 * every worker of a split run plans the same p and the partial results fit together.
 */
export function planReach(g: CsrGraph, options: Partial<ReachOptions> = {}): ReachPlan {
  const o = { ...REACH_DEFAULTS, ...options };
  if (!(Number.isInteger(o.p) && o.p >= 4 && o.p <= 16)) throw new SupernodeError('BAD_OPTION', `p must be an integer in 4..16, got ${o.p}`);
  if (!(Number.isInteger(o.minP) && o.minP >= 4)) throw new SupernodeError('BAD_OPTION', `minP must be an integer >= 4, got ${o.minP}`);
  const minP = Math.min(o.minP, o.p);
  const { n, aOffsets: ao, aTargets: at, bOffsets: bo, bTargets: bt } = undirectedRows(g);
  const entries = ao[n]! + bo[n]!;
  const cdeg = (v: number) => ao[v + 1]! - ao[v]! + bo[v + 1]! - bo[v]! + 1;
  const hubsAt = (deg: number) => {
    let h = 0;
    for (let v = 0; v < n; v++) if (cdeg(v) >= deg) h++;
    return h;
  };
  const END = 0x7fffffff;
  for (let p = o.p; ; p--) {
    const m = 1 << p;
    // Merging a hub's sketch costs m/4 word operations, inserting a neighbourhood one random
    // load per member, so neighbourhoods of m/4 or more are merged. Each hub costs m bytes; the
    // threshold doubles until the pool fits in max(2^22, entries / 4) bytes (0.5 B per arc).
    let hubDeg = o.hubDegree ?? m >>> 2;
    let hubs = o.method === 'exact' ? 0 : hubsAt(hubDeg);
    if (o.method !== 'exact' && o.hubDegree === null) {
      while (hubs * m > Math.max(1 << 22, entries >>> 2)) hubs = hubsAt(hubDeg *= 2);
    }
    if (o.method !== 'auto' || p === minP || !Number.isFinite(o.budgetPerArc)) return { p, hubDeg, hubs };
    // The cost model of the main loop below, summed over every member.
    let cost = 0;
    for (let x = 0; x < n && cost <= o.budgetPerArc * entries; x++) {
      let exactCost = 0, sketchCost = m >>> 1;
      for (let a = ao[x]!, b = bo[x]!, ae = ao[x + 1]!, be = bo[x + 1]!; a < ae || b < be;) {
        const q = a < ae ? at[a]! : END, r = b < be ? bt[b]! : END;
        if (q <= r) a++;
        if (r <= q) b++;
        const v = q < r ? q : r;
        if (v === x) continue;
        const c = cdeg(v);
        exactCost += c;
        sketchCost += c >= hubDeg ? m >>> 2 : c;
      }
      cost += Math.min(exactCost, sketchCost);
    }
    if (cost <= o.budgetPerArc * entries) return { p, hubDeg, hubs };
  }
}

export function twoHopReach(
  g: CsrGraph, options: Partial<ReachOptions> = {}, ctl?: RunControl, from = 0, to = g.n,
): ReachResult {
  const t0 = performance.now();
  const r = reachTeam(g, options, reachState(g, options), solo(), ctl, from, to);
  return { ...r, seconds: seconds(t0) };
}

/**
 * What a run's members share: the plan (computed once), each member's hash code, the hub sketches
 * (built once, by all members, into one pool), the result and two counters.
 */
export interface ReachState {
  readonly plan: ReachPlan;
  readonly code: Uint32Array;
  readonly hubAt: Int32Array;
  /** Node of hub h. */
  readonly hubNode: Int32Array;
  readonly pool: Uint8Array;
  readonly reach: Float64Array;
  /** [exact, sketched] member counts, added by each member at its end. */
  readonly counts: Int32Array;
}

export function reachState(g: CsrGraph, options: Partial<ReachOptions> = {}): ReachState {
  const plan = planReach(g, options);
  const { n, aOffsets: ao, bOffsets: bo } = undirectedRows(g);
  const hubAt = sharedI32(n).fill(-1);
  const hubNode = sharedI32(plan.hubs);
  if (plan.hubs > 0) {
    for (let v = 0, h = 0; v < n; v++) {
      if (ao[v + 1]! - ao[v]! + bo[v + 1]! - bo[v]! + 1 >= plan.hubDeg) { hubAt[v] = h; hubNode[h++] = v; }
    }
  }
  return {
    plan, code: new Uint32Array(new SharedArrayBuffer(4 * Math.max(1, n)), 0, n), hubAt, hubNode,
    pool: sharedU8(plan.hubs << plan.p), reach: sharedF64(n), counts: sharedI32(2),
  };
}

/** Members per claimed chunk: small enough to balance hub-heavy ranges, large enough to be cheap. */
const REACH_CHUNK = 1024;
const HUB_CHUNK = 16;

/**
 * One member's share (../algorithms/team.ts): hash codes of its node range, then hub sketches
 * and members claimed chunk by chunk from shared counters (dynamic scheduling: a member's cost
 * varies by orders of magnitude). Every member's value is computed whole by one member, so the
 * result is the same for any team size. Returns the reach of [from, to).
 */
export function reachTeam(
  g: CsrGraph, options: Partial<ReachOptions>, state: ReachState, team: Team, ctl?: RunControl, from = 0, to = g.n,
): ReachResult {
  const o = { ...REACH_DEFAULTS, ...options };
  const { p, hubDeg, hubs } = state.plan;
  const { code, hubAt, hubNode, pool } = state;
  const { n, aOffsets: ao, aTargets: at, bOffsets: bo, bTargets: bt } = undirectedRows(g);
  const lo = Math.max(0, from), hi = Math.min(n, to);
  const END = 0x7fffffff;
  const m = 1 << p;
  const mark = new Int32Array(n);
  // Closed-neighbourhood size bound: |a[v]| + |b[v]| + 1 (a two-way pair counts twice; only
  // the cost model and the hub choice read it).
  const cdeg = (v: number) => ao[v + 1]! - ao[v]! + bo[v + 1]! - bo[v]! + 1;

  // (register << 8 | rank) per member: one load per insertion.
  for (let v = Math.floor((team.index * n) / team.size), end = Math.floor(((team.index + 1) * n) / team.size); v < end; v++) {
    const h = hash32(v);
    code[v] = ((h >>> (32 - p)) << 8) | Math.min(Math.clz32((h << p) >>> 0) + 1, 32 - p + 1);
  }
  team.sync();
  // One m-register block per hub in a single pool (m is a multiple of 4, so every block is word
  // aligned for the SWAR merge).
  const pool32 = new Uint32Array(pool.buffer, pool.byteOffset, pool.byteLength >>> 2);
  for (let c = team.claim(0); c * HUB_CHUNK < hubs; c = team.claim(0)) {
    for (let h = c * HUB_CHUNK, hEnd = Math.min(hubs, h + HUB_CHUNK); h < hEnd; h++) {
      const v = hubNode[h]!, base = h * m;
      insertAt(pool, base, code, v);
      for (let e = ao[v]!, end = ao[v + 1]!; e < end; e++) insertAt(pool, base, code, at[e]!);
      for (let e = bo[v]!, end = bo[v + 1]!; e < end; e++) insertAt(pool, base, code, bt[e]!);
    }
  }
  team.sync();
  const reach = state.reach;
  const regs = new Uint8Array(m), regs32 = new Uint32Array(regs.buffer);
  const words = m >>> 2;
  const pow2neg = new Float64Array(64);
  for (let i = 0; i < 64; i++) pow2neg[i] = 2 ** -i;

  const check = new Checkpoint(team.index === 0 ? ctl : ctl?.shouldStop && { shouldStop: ctl.shouldStop }, 'reach');
  let exactNodes = 0, sketchedNodes = 0;
  const chunks = Math.ceil((hi - lo) / REACH_CHUNK);
  for (let c = team.claim(1); c < chunks; c = team.claim(1)) {
    check.step(c / chunks);
    for (let x = lo + c * REACH_CHUNK, xEnd = Math.min(hi, x + REACH_CHUNK); x < xEnd; x++) {
      const xa = ao[x]!, xae = ao[x + 1]!, xb = bo[x]!, xbe = bo[x + 1]!;
      // Cost model in units of one random member access (a mark test or an insertion); a fresh
      // sketch costs ~m/2 (clearing and estimating m registers), a hub merge m/4.
      let exactCost = 0, sketchCost = m >>> 1, any = false;
      // Every loop over x's neighbours merges its two sorted rows, so a two-way pair is one v.
      for (let a = xa, b = xb; a < xae || b < xbe;) {
        const p = a < xae ? at[a]! : END, q = b < xbe ? bt[b]! : END;
        if (p <= q) a++;
        if (q <= p) b++;
        const v = p < q ? p : q;
        if (v === x) continue;
        any = true;
        const c = cdeg(v);
        exactCost += c;
        sketchCost += hubAt[v]! >= 0 ? m >>> 2 : c;
      }
      if (!any) { exactNodes++; reach[x] = 0; continue; }
      const useExact = o.method === 'exact' || (o.method === 'auto' && exactCost <= sketchCost);
      if (useExact) {
        exactNodes++;
        const st = x + 1;
        mark[x] = st;
        let count = 0;
        for (let a = xa, b = xb; a < xae || b < xbe;) {
          const p = a < xae ? at[a]! : END, q = b < xbe ? bt[b]! : END;
          if (p <= q) a++;
          if (q <= p) b++;
          const v = p < q ? p : q;
          if (v === x) continue;
          if (mark[v] !== st) { mark[v] = st; count++; }
          for (let e = ao[v]!, end = ao[v + 1]!; e < end; e++) {
            const w = at[e]!;
            if (mark[w] !== st) { mark[w] = st; count++; }
          }
          for (let e = bo[v]!, end = bo[v + 1]!; e < end; e++) {
            const w = bt[e]!;
            if (mark[w] !== st) { mark[w] = st; count++; }
          }
        }
        reach[x] = count;
        continue;
      }
      sketchedNodes++;
      regs.fill(0);
      for (let a = xa, b = xb; a < xae || b < xbe;) {
        const p = a < xae ? at[a]! : END, q = b < xbe ? bt[b]! : END;
        if (p <= q) a++;
        if (q <= p) b++;
        const v = p < q ? p : q;
        if (v === x) continue;
        const h = hubAt[v]!;
        if (h >= 0) {
          // Byte-wise max of 4 registers per word: lane i of t has its top bit set exactly when
          // r_i >= s_i (no lane borrows: (r_i | 0x80) - s_i >= 1 because s_i < 128).
          for (let j = 0, k = h * words; j < words; j++, k++) {
            const r = regs32[j]!, s2 = pool32[k]!;
            const t = ((r | 0x80808080) - s2) & 0x80808080;
            const keep = (t >>> 7) * 255;
            regs32[j] = (r & keep) | (s2 & ~keep);
          }
        } else {
          insertAt(regs, 0, code, v);
          for (let e = ao[v]!, end = ao[v + 1]!; e < end; e++) insertAt(regs, 0, code, at[e]!);
          for (let e = bo[v]!, end = bo[v + 1]!; e < end; e++) insertAt(regs, 0, code, bt[e]!);
        }
      }
      // The union holds x itself (x is in every neighbour's N(v)); remove it from the estimate.
      reach[x] = Math.max(0, estimate(regs, pow2neg) - 1);
    }
  }
  Atomics.add(state.counts, 0, exactNodes);
  Atomics.add(state.counts, 1, sketchedNodes);
  team.sync();
  check.step(1);
  return {
    reach: lo === 0 && hi === n ? reach : reach.slice(lo, hi),
    exactNodes: Atomics.load(state.counts, 0), sketchedNodes: Atomics.load(state.counts, 1), p,
    relativeStdError: 1.04 / Math.sqrt(m), sketchBytes: pool.byteLength + m + 4 * n, seconds: 0,
  };
}

function insertAt(regs: Uint8Array, base: number, code: Uint32Array, v: number): void {
  const c = code[v]!;
  const j = base + (c >>> 8), r = c & 0xff;
  if (r > regs[j]!) regs[j] = r;
}

function hash32(x: number): number {
  let h = Math.imul(x ^ 0x5bd1e995, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Cardinality estimate of a register array (raw HLL with linear counting for small sets). */
export function estimate(regs: Uint8Array, pow2neg: Float64Array): number {
  const m = regs.length;
  let sum = 0, zeros = 0;
  for (let j = 0; j < m; j++) {
    const r = regs[j]!;
    sum += pow2neg[r]!;
    if (r === 0) zeros++;
  }
  const alpha = m >= 128 ? 0.7213 / (1 + 1.079 / m) : m === 64 ? 0.709 : m === 32 ? 0.697 : 0.673;
  const e = alpha * m * m / sum;
  if (e <= 2.5 * m && zeros > 0) return m * Math.log(m / zeros);
  // 32-bit hash: correct for collisions once the estimate nears 2^32.
  if (e > 4294967296 / 30) return -4294967296 * Math.log(1 - e / 4294967296);
  return e;
}
