/**
 * Seed users: IMM influence maximisation (reverse influence sampling with a martingale stop rule).
 *
 * Problem: choose k members S maximising the expected spread sigma(S) under the IC / weighted
 * cascade / LT model of ./spread.ts. Reference: Y. Tang, Y. Shi, X. Xiao, "Influence Maximization
 * in Near-Linear Time: A Martingale Approach", SIGMOD 2015, doi:10.1145/2723372.2723734.
 * Guarantee: a (1 - 1/e - epsilon)-approximation with probability >= 1 - 1/n^l (the paper's l is
 * raised to l * (1 + ln 2 / ln n) so the two phases together keep that probability).
 *
 * Direction: an edge A -> B means A acted towards B; information spreads from B to A, so a cascade
 * runs along reversed arcs (./spread.ts). A reverse-reachable (RR) set from a random member v holds
 * the members that could have activated v: it is generated on the reverse of the spread direction,
 * i.e. along the graph's own arcs v -> t (out-CSR), an arc live with the probability that t
 * activates v. LT RR sets are the random walk where each receiver picks at most one activator
 * with probability b (the live-edge form of LT, Kempe et al. 2003).
 *
 * Method (paper Algorithms 1-3): sampling phase with eps' = sqrt(2) eps and
 *   lambda' = (2 + 2/3 eps') (ln C(n,k) + l ln n + ln log2 n) n / eps'^2,
 * for i = 1..log2(n) - 1: x = n / 2^i, top the collection up to lambda' / x RR sets, greedy-select
 * S_i; stop when n F_R(S_i) >= (1 + eps') x and set LB = n F_R(S_i) / (1 + eps'). Then
 *   lambda* = 2 n ((1 - 1/e) alpha + beta)^2 / eps^2, alpha = sqrt(l ln n + ln 2),
 *   beta = sqrt((1 - 1/e)(ln C(n,k) + l ln n + ln 2)),
 * theta = lambda* / LB RR sets, and the final greedy max-coverage selection.
 * Excluded members (`exclude`, or everyone outside `candidates`) are never chosen but still carry
 * cascades; each seed reports its marginal gain, n x (RR sets it newly covers) / RR sets.
 * Node selection: greedy maximum coverage over an inverted index (node -> RR sets, built by a
 * counting sort) with exact coverage decrements and a lazy max-heap (keys are stale upper bounds;
 * a popped node whose key is current is the true maximum). Ties go to the smaller node index.
 * Storage: RR sets live in two flat growable Int32Arrays (offsets + members); `maxRrBytes` bounds
 * them. When the bound is hit, sampling stops, the result is computed from the sets held and
 * `guaranteeDegraded` is set. Node selection needs one more members-sized array (reported).
 * Deviation (option): `freshFinalSample: true` discards the sampling-phase sets and draws theta
 * fresh ones, W. Chen, "An Issue in the Martingale Analysis of the Influence Maximization
 * Algorithm IMM", CSoNet 2018 (arXiv:1808.09363): reusing them, as the paper does, breaks the
 * independence its proof assumes. Default false (the paper's algorithm, as in every published
 * implementation); the difference in the seeds chosen is negligible in practice.
 * Complexity: O((k + l) (n + m) log n / eps^2) expected (paper Theorem 3). After selection the
 * spread of S is measured by `evalRuns` seeded Monte Carlo cascades (./spread.ts).
 */
import type { CsrGraph } from '../graph/csr.js';
import { Checkpoint, type RunControl, seconds } from '../algorithms/control.js';
import { createRng, deriveSeed, type Rng } from '../algorithms/random.js';
import { SupernodeError } from '../errors.js';
import { type CascadeModel, estimateSpread, type SpreadArcs, spreadArcs } from './spread.js';

export interface ImmOptions {
  readonly k: number;
  readonly epsilon: number;
  /** Failure probability 1/n^l. */
  readonly l: number;
  readonly model: CascadeModel;
  readonly seed: number;
  /** Bound on the RR-set storage (offsets + members), bytes. */
  readonly maxRrBytes: number;
  /** Chen 2018 fix: draw the final theta RR sets afresh (see header). */
  readonly freshFinalSample: boolean;
  /** Monte Carlo cascades to measure the chosen set's spread; 0 skips the measurement. */
  readonly evalRuns: number;
  /** Members that may not be seeds (staff, bots); they still pass a cascade on. */
  readonly exclude?: readonly number[];
  /** When given, only these members may be seeds (less `exclude`). */
  readonly candidates?: readonly number[];
}

export const IMM_DEFAULTS: ImmOptions = Object.freeze({
  k: 50, epsilon: 0.1, l: 1, model: Object.freeze({ kind: 'wc' }) as CascadeModel, seed: 1,
  maxRrBytes: 2 * 2 ** 30, freshFinalSample: false, evalRuns: 10_000,
});

export interface SpreadSummary {
  readonly mean: number;
  readonly ci95: [number, number];
  readonly runs: number;
}

export interface ImmResult {
  readonly seeds: number[];
  /**
   * Each seed's marginal gain in selection order: n x (RR sets it newly covers) / RR sets, IMM's
   * estimate of the members it adds to the spread of the seeds before it (sums to rrSpreadEstimate).
   */
  readonly marginal: number[];
  /** Monte Carlo spread of `seeds` (runs = 0 and NaN mean when evalRuns = 0). */
  readonly spread: SpreadSummary;
  readonly diagnostics: {
    readonly rrSets: number;
    readonly rrMembers: number;
    readonly rrBytes: number;
    readonly indexBytes: number;
    readonly epsilon: number;
    readonly l: number;
    readonly lowerBound: number;
    readonly theta: number;
    /** n * (fraction of RR sets covered by seeds): IMM's own unbiased spread estimate. */
    readonly rrSpreadEstimate: number;
    readonly samplingRounds: number;
    readonly guaranteeDegraded: boolean;
    readonly seconds: number;
    readonly selectionSeconds: number;
    readonly evalSeconds: number;
  };
}

/** Flat growable storage of RR sets: set r is members[offsets[r] .. offsets[r+1]). */
export class RrSets {
  offsets: Int32Array<ArrayBuffer> = new Int32Array(1024);
  members: Int32Array<ArrayBuffer> = new Int32Array(4096);
  count = 0;
  size = 0;

  constructor(private readonly maxBytes: number) {}

  /** Bytes in use (not capacity). */
  bytes(): number {
    return (this.count + 1) * 4 + this.size * 4;
  }

  /** Appends `len` members from `buf`; false (nothing stored) when the byte bound would be crossed. */
  push(buf: Int32Array, len: number): boolean {
    if (this.bytes() + 4 + len * 4 > this.maxBytes) return false;
    if (this.count + 2 > this.offsets.length) this.offsets = grow(this.offsets, this.count + 2);
    if (this.size + len > this.members.length) this.members = grow(this.members, this.size + len);
    this.members.set(buf.subarray(0, len), this.size);
    this.size += len;
    this.count++;
    this.offsets[this.count] = this.size;
    return true;
  }

  clear(): void {
    this.count = 0;
    this.size = 0;
  }
}

function grow(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  let cap = a.length;
  while (cap < need) cap = Math.min(cap * 2, 0x7fffffff);
  const b = new Int32Array(cap);
  b.set(a);
  return b;
}

/** Generates RR sets into `store`; shared buffers keep the per-set cost to the arcs examined. */
export class RrGenerator {
  private readonly visited: Int32Array;
  private readonly buf: Int32Array;
  private stamp = 0;

  constructor(private readonly arcs: SpreadArcs, private readonly rng: Rng) {
    this.visited = new Int32Array(arcs.n);
    this.buf = new Int32Array(arcs.n);
  }

  /** One RR set from a uniform random member; false when the store refused it (byte bound). */
  next(store: RrSets): boolean {
    const a = this.arcs, rng = this.rng, buf = this.buf, visited = this.visited;
    if (++this.stamp === 0x7fffffff) { visited.fill(0); this.stamp = 1; }
    const st = this.stamp;
    const v = Math.floor(rng() * a.n);
    visited[v] = st;
    buf[0] = v;
    let len = 1;
    const off = a.bwdOffsets, tgt = a.bwdTargets, prob = a.bwdProb;
    if (a.kind === 'lt') {
      // Live-edge walk: the current receiver picks activator t with probability b(t, x).
      let x = v;
      for (;;) {
        const lo = off[x]!, hi = off[x + 1]!;
        if (lo === hi) break;
        let r = rng(), e = lo;
        for (; e < hi - 1; e++) { r -= prob![e]!; if (r < 0) break; }
        const t = tgt[e]!;
        if (visited[t] === st) break;
        visited[t] = st;
        buf[len++] = t;
        x = t;
      }
    } else {
      const p = a.p, logQ = a.bwdLogQ;
      for (let head = 0; head < len; head++) {
        const x = buf[head]!;
        const end = off[x + 1]!, lq = logQ[x]!;
        if (lq === lq) {
          // Uniform row: the gap to the next live arc is geometric, floor(ln U / ln(1 - p)) for
          // U uniform on (0, 1] (p = 1: lq = -Infinity, every gap 0). Same distribution as one
          // coin per arc; a visited endpoint is drawn and ignored, as the coin loop skips it.
          for (let e = off[x]! + Math.floor(Math.log(1 - rng()) / lq); e < end; e += 1 + Math.floor(Math.log(1 - rng()) / lq)) {
            const t = tgt[e]!;
            if (visited[t] !== st) { visited[t] = st; buf[len++] = t; }
          }
          continue;
        }
        for (let e = off[x]!; e < end; e++) {
          const t = tgt[e]!;
          if (visited[t] === st) continue;
          if (rng() < (prob === null ? p : prob[e]!)) { visited[t] = st; buf[len++] = t; }
        }
      }
    }
    return store.push(buf, len);
  }
}

export interface Selection {
  readonly seeds: number[];
  /** RR sets newly covered by each seed, in selection order. */
  readonly gains: number[];
  /** RR sets covered by the seeds. */
  readonly covered: number;
  readonly indexBytes: number;
}

/** Greedy maximum coverage (paper Algorithm 3) with a lazy max-heap; see header. */
export function selectNodes(n: number, k: number, store: RrSets, allowed: Uint8Array | null = null): Selection {
  const { offsets, members, count } = store;
  const size = offsets[count]!;
  const deg = new Int32Array(n);
  for (let i = 0; i < size; i++) deg[members[i]!]!++;
  const idxOff = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) idxOff[v + 1] = idxOff[v]! + deg[v]!;
  const idxSets = new Int32Array(size);
  const pos = idxOff.slice(0, n);
  for (let r = 0; r < count; r++) {
    for (let i = offsets[r]!, end = offsets[r + 1]!; i < end; i++) idxSets[pos[members[i]!]!++] = r;
  }
  const heap = new MaxHeap(n);
  for (let v = 0; v < n; v++) if (deg[v]! > 0 && (allowed === null || allowed[v])) heap.items[heap.length++] = v;
  heap.keys.set(deg);
  heap.heapify();
  const coveredSet = new Uint8Array(count);
  const chosen = new Uint8Array(n);
  const seeds: number[] = [], gains: number[] = [];
  let covered = 0;
  while (seeds.length < k && heap.length > 0) {
    const u = heap.top();
    if (heap.keys[u] !== deg[u]) { heap.keys[u] = deg[u]!; heap.siftDown(0); continue; }
    heap.pop();
    if (deg[u] === 0) break;
    seeds.push(u);
    chosen[u] = 1;
    const before = covered;
    for (let j = idxOff[u]!, end = idxOff[u + 1]!; j < end; j++) {
      const r = idxSets[j]!;
      if (coveredSet[r]) continue;
      coveredSet[r] = 1;
      covered++;
      for (let i = offsets[r]!, e2 = offsets[r + 1]!; i < e2; i++) deg[members[i]!]!--;
    }
    gains.push(covered - before);
  }
  // Every RR set covered already: any further member adds nothing; take the smallest indices.
  for (let v = 0; seeds.length < k && v < n; v++) {
    if (!chosen[v] && (allowed === null || allowed[v])) { chosen[v] = 1; seeds.push(v); gains.push(0); }
  }
  return { seeds, gains, covered, indexBytes: idxSets.byteLength + idxOff.byteLength };
}

/** Binary max-heap of node ids keyed by `keys[node]`, ties to the smaller id. */
class MaxHeap {
  readonly items: Int32Array;
  readonly keys: Int32Array;
  length = 0;

  constructor(n: number) {
    this.items = new Int32Array(n);
    this.keys = new Int32Array(n);
  }

  private above(a: number, b: number): boolean {
    const ka = this.keys[a]!, kb = this.keys[b]!;
    return ka > kb || (ka === kb && a < b);
  }

  heapify(): void {
    for (let i = (this.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  top(): number {
    return this.items[0]!;
  }

  pop(): number {
    const t = this.items[0]!;
    this.items[0] = this.items[--this.length]!;
    if (this.length > 0) this.siftDown(0);
    return t;
  }

  siftDown(i: number): void {
    const it = this.items, len = this.length;
    const x = it[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= len) break;
      const r = l + 1;
      const c = r < len && this.above(it[r]!, it[l]!) ? r : l;
      if (!this.above(it[c]!, x)) break;
      it[i] = it[c]!;
      i = c;
    }
    it[i] = x;
  }
}

/** ln C(n, k) by summing logs (k <= n; O(k)). */
export function logBinomial(n: number, k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += Math.log(n - i) - Math.log(i + 1);
  return s;
}

export function imm(g: CsrGraph, options: Partial<ImmOptions> = {}, ctl?: RunControl): ImmResult {
  const t0 = performance.now();
  const o = { ...IMM_DEFAULTS, ...options };
  validate(o);
  const n = g.n;
  const arcs = spreadArcs(g, o.model);
  const store = new RrSets(o.maxRrBytes);
  const gen = new RrGenerator(arcs, createRng(deriveSeed(o.seed, 0)));
  const check = new Checkpoint(ctl, 'imm');
  let degraded = false, rounds = 0, lb = 1, theta = 0, lastFraction = 0;

  // Tops the store up to `target` sets; false when the byte bound stopped it.
  const fill = (target: number, fracLo: number, fracHi: number): boolean => {
    const start = store.count;
    while (store.count < target) {
      if ((store.count & 1023) === 0) {
        lastFraction = fracLo + (fracHi - fracLo) * (store.count - start) / Math.max(1, target - start);
        check.step(lastFraction);
      }
      if (!gen.next(store)) { degraded = true; return false; }
    }
    return true;
  };

  let seeds: number[];
  let gains: number[];
  let covered: number;
  const allowed = allowedMask(n, o);
  let indexBytes = 0;
  let selectionSeconds = 0;
  const select = (): Selection => {
    const ts = performance.now();
    const s = selectNodes(n, o.k, store, allowed);
    selectionSeconds += seconds(ts);
    indexBytes = Math.max(indexBytes, s.indexBytes);
    return s;
  };

  if (o.k >= n) {
    seeds = Array.from({ length: n }, (_, i) => i).filter((v) => allowed === null || allowed[v]);
    gains = seeds.map(() => 0);
    covered = 0;
  } else {
    const logn = Math.log(n);
    const l = o.l * (1 + Math.log(2) / logn);
    const lnCnk = logBinomial(n, o.k);
    const epsP = Math.SQRT2 * o.epsilon;
    const lambdaP = (2 + (2 / 3) * epsP) * (lnCnk + l * logn + Math.log(Math.max(1, Math.log2(n)))) * n / (epsP * epsP);
    const maxI = Math.max(1, Math.floor(Math.log2(n) - 1));
    for (let i = 1; i <= maxI; i++) {
      rounds = i;
      const x = n / 2 ** i;
      const ok = fill(Math.ceil(lambdaP / x), lastFraction, Math.min(0.5, lastFraction + 0.1));
      const s = select();
      const est = n * s.covered / store.count;
      if (est >= (1 + epsP) * x) { lb = est / (1 + epsP); break; }
      if (!ok) break;
    }
    const e1 = 1 - 1 / Math.E;
    const alpha = Math.sqrt(l * logn + Math.log(2));
    const beta = Math.sqrt(e1 * (lnCnk + l * logn + Math.log(2)));
    const lambdaStar = 2 * n * (e1 * alpha + beta) ** 2 / (o.epsilon * o.epsilon);
    theta = Math.ceil(lambdaStar / lb);
    if (!degraded) {
      if (o.freshFinalSample) store.clear();
      fill(theta, 0.5, 0.95);
    }
    const s = select();
    seeds = s.seeds;
    gains = s.gains;
    covered = s.covered;
  }
  check.step(0.95);
  const te = performance.now();
  const spread = o.evalRuns > 0
    ? estimateSpread(g, seeds, { model: o.model, runs: o.evalRuns, seed: deriveSeed(o.seed, 1) }, undefined, arcs)
    : { mean: Number.NaN, ci95: [Number.NaN, Number.NaN] as [number, number], runs: 0 };
  check.step(1);
  return {
    seeds,
    marginal: gains.map((x) => (store.count > 0 ? n * x / store.count : Number.NaN)),
    spread: { mean: spread.mean, ci95: spread.ci95, runs: spread.runs },
    diagnostics: {
      rrSets: store.count, rrMembers: store.size, rrBytes: store.bytes(), indexBytes,
      epsilon: o.epsilon, l: o.l, lowerBound: lb, theta,
      rrSpreadEstimate: store.count > 0 ? n * covered / store.count : Number.NaN,
      samplingRounds: rounds, guaranteeDegraded: degraded, seconds: seconds(t0),
      selectionSeconds, evalSeconds: seconds(te),
    },
  };
}

/** Who may be a seed: null when everyone may. */
function allowedMask(n: number, o: ImmOptions): Uint8Array | null {
  if (o.exclude === undefined && o.candidates === undefined) return null;
  const m = new Uint8Array(n).fill(o.candidates === undefined ? 1 : 0);
  for (const v of o.candidates ?? []) if (v >= 0 && v < n) m[v] = 1;
  for (const v of o.exclude ?? []) if (v >= 0 && v < n) m[v] = 0;
  return m;
}

function validate(o: ImmOptions): void {
  if (!(Number.isInteger(o.k) && o.k >= 1)) throw new SupernodeError('BAD_OPTION', `k must be a positive integer, got ${o.k}`);
  if (!(o.epsilon > 0 && o.epsilon < 1)) throw new SupernodeError('BAD_OPTION', `epsilon must be in (0, 1), got ${o.epsilon}`);
  if (!(o.l > 0)) throw new SupernodeError('BAD_OPTION', `l must be positive, got ${o.l}`);
  if (!(o.maxRrBytes > 0)) throw new SupernodeError('BAD_OPTION', `maxRrBytes must be positive, got ${o.maxRrBytes}`);
  if (!(Number.isInteger(o.evalRuns) && o.evalRuns >= 0)) throw new SupernodeError('BAD_OPTION', `evalRuns must be a non-negative integer, got ${o.evalRuns}`);
}
