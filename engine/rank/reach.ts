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
 * register-wise max of the neighbours' 1-hop sketches. Only hubs (deg v + 1 >= `hubDegree`, default
 * m) get a materialised 1-hop sketch; a smaller neighbourhood is cheaper to insert member by member
 * than to merge m registers. Cost per member: sum_v min(deg v + 1, m) + m.
 * `method: 'auto'` (default) picks, per member, exact when it costs no more than the sketch, so
 * the result is exact for every member whose neighbours are not hubs, and an estimate (reported
 * in `sketchedNodes`) for the others. Hash: murmur3's 32-bit finaliser of the node index.
 */
import type { CsrGraph } from '../graph/csr.js';
import { undirectedView } from '../graph/builder.js';
import { Checkpoint, type RunControl, seconds } from '../algorithms/control.js';
import { SupernodeError } from '../errors.js';

export interface ReachOptions {
  readonly method: 'auto' | 'exact' | 'hll';
  /** HyperLogLog precision: 2^p registers (4..16). */
  readonly p: number;
  /** Neighbours of at least this closed-neighbourhood size get a materialised sketch; null = 2^p. */
  readonly hubDegree: number | null;
}

export const REACH_DEFAULTS: ReachOptions = Object.freeze({ method: 'auto', p: 12, hubDegree: null });

export interface ReachResult {
  readonly reach: Float64Array;
  readonly exactNodes: number;
  readonly sketchedNodes: number;
  readonly p: number;
  readonly relativeStdError: number;
  readonly sketchBytes: number;
  readonly seconds: number;
}

export function twoHopReach(g: CsrGraph & { weighted?: boolean }, options: Partial<ReachOptions> = {}, ctl?: RunControl): ReachResult {
  const t0 = performance.now();
  const o = { ...REACH_DEFAULTS, ...options };
  if (!(Number.isInteger(o.p) && o.p >= 4 && o.p <= 16)) throw new SupernodeError('BAD_OPTION', `p must be an integer in 4..16, got ${o.p}`);
  const u = undirectedView(g);
  const n = u.n, off = u.outOffsets, adj = u.outTargets;
  const m = 1 << o.p;
  const hubDeg = o.hubDegree ?? m;
  const reach = new Float64Array(n);
  const mark = new Int32Array(n);
  const regs = new Uint8Array(m);
  const pow2neg = new Float64Array(64);
  for (let i = 0; i < 64; i++) pow2neg[i] = 2 ** -i;
  const hubSketch = new Map<number, Uint8Array>();
  const sketchOf = (v: number): Uint8Array => {
    let s = hubSketch.get(v);
    if (s === undefined) {
      s = new Uint8Array(m);
      insert(s, v, o.p);
      for (let e = off[v]!; e < off[v + 1]!; e++) insert(s, adj[e]!, o.p);
      hubSketch.set(v, s);
    }
    return s;
  };
  const check = new Checkpoint(ctl, 'reach');
  let exactNodes = 0, sketchedNodes = 0;
  for (let x = 0; x < n; x++) {
    if ((x & 1023) === 0) check.step(x / n);
    const lo = off[x]!, hi = off[x + 1]!;
    let exactCost = 0, sketchCost = m;
    for (let e = lo; e < hi; e++) {
      const c = off[adj[e]! + 1]! - off[adj[e]!]! + 1;
      exactCost += c;
      sketchCost += c >= hubDeg ? m : c;
    }
    const useExact = o.method === 'exact' || (o.method === 'auto' && exactCost <= sketchCost);
    if (useExact) {
      exactNodes++;
      const st = x + 1;
      mark[x] = st;
      let count = 0;
      for (let e = lo; e < hi; e++) {
        const v = adj[e]!;
        if (mark[v] !== st) { mark[v] = st; count++; }
        for (let f = off[v]!, end = off[v + 1]!; f < end; f++) {
          const w = adj[f]!;
          if (mark[w] !== st) { mark[w] = st; count++; }
        }
      }
      reach[x] = count;
      continue;
    }
    sketchedNodes++;
    if (hi === lo) { reach[x] = 0; continue; }
    regs.fill(0);
    for (let e = lo; e < hi; e++) {
      const v = adj[e]!;
      if (off[v + 1]! - off[v]! + 1 >= hubDeg) {
        const s = sketchOf(v);
        for (let j = 0; j < m; j++) if (s[j]! > regs[j]!) regs[j] = s[j]!;
      } else {
        insert(regs, v, o.p);
        for (let f = off[v]!, end = off[v + 1]!; f < end; f++) insert(regs, adj[f]!, o.p);
      }
    }
    // The union holds x itself (x is in every neighbour's N(v)); remove it from the estimate.
    reach[x] = Math.max(0, estimate(regs, pow2neg) - 1);
  }
  check.step(1);
  return {
    reach, exactNodes, sketchedNodes, p: o.p, relativeStdError: 1.04 / Math.sqrt(m),
    sketchBytes: hubSketch.size * m + m, seconds: seconds(t0),
  };
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

function insert(regs: Uint8Array, x: number, p: number): void {
  const h = hash32(x);
  const j = h >>> (32 - p);
  const rest = (h << p) >>> 0;
  const rho = Math.min(Math.clz32(rest) + 1, 32 - p + 1);
  if (rho > regs[j]!) regs[j] = rho;
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
