/**
 * Sampled betweenness with a uniform error guarantee (Riondato-Kornaropoulos path sampling).
 *
 * Reference: M. Riondato, E. M. Kornaropoulos, "Fast approximation of betweenness centrality
 * through sampling", Data Mining and Knowledge Discovery 30(2), 2016, doi:10.1007/s10618-015-0423-0
 * (Algorithm 1, Theorem 1 with the VC-dimension bound of Lemma 2); strongly connected components
 * for the directed diameter bound: R. Tarjan, "Depth-first search and linear graph algorithms",
 * SIAM J. Comput. 1(2), 1972, doi:10.1137/0201010.
 * Method: draw r ordered pairs (u, v), u != v, uniformly; for each, pick one shortest u-v path
 * uniformly at random and give each of its interior nodes 1/r. Unreachable pairs contribute nothing
 * (they still count in r). The path is drawn with a balanced bidirectional BFS counting shortest
 * paths from both ends (as KADABRA does: M. Borassi, E. Natale, "KADABRA is an ADaptive Algorithm
 * for Betweenness via Random Approximation", ESA 2016, doi:10.4230/LIPIcs.ESA.2016.20), which
 * touches far fewer arcs than RK's single BFS on social graphs and hub-heavy stars; the sampled
 * distribution (uniform over the shortest u-v paths) is the one RK's analysis requires.
 * Sample size: r = ceil((c / eps^2) * (floor(log2(VD - 2)) + 1 + ln(1/delta))), c = 0.5, where VD
 * is an upper bound on the vertex diameter (most nodes on any shortest path):
 * - undirected: per connected component, BFS from one node x gives VD <= min(2 ecc(x) + 1, size);
 * - directed: the undirected trick is NOT valid (a directed shortest path can be far longer than
 *   the undirected diameter, e.g. a directed cycle). Instead: per strongly connected component C,
 *   ecc_in(x) + ecc_out(x) + 1 inside C bounds the nodes a shortest path spends in C, and VD <=
 *   the heaviest path of the condensation DAG under those weights (see `directedBound`), capped at n.
 * - VD <= 2: no shortest path has an interior node, every betweenness is exactly 0 (no sampling).
 * GUARANTEE (what epsilon bounds): with probability at least 1 - delta, simultaneously for every
 * node w, |estimate(w) - b(w)| <= eps, where b(w) = (1/(n(n-1))) * sum over ordered pairs u != v
 * of sigma_uv(w)/sigma_uv is the betweenness FRACTION (RK's normalisation). The returned `scores`
 * are on the NetworkX scale of ./betweenness.ts, which is b(w) * n/(n-2) for directed and
 * undirected graphs alike, so on the returned values the bound is eps * n/(n-2)
 * (`epsilonNetworkx` in the diagnostics).
 * Hop distances; weights ignored; directed graphs follow arcs forwards (as exact betweenness).
 * Complexity: O(n + m) for the VD bound, then O(r * (n + m)) worst case; the bidirectional search
 * usually touches far less. Memory O(n) (two BFS workspaces). Randomness: xoshiro128**, one stream
 * per block of SAMPLE_BLOCK samples (deriveSeed(seed, block)), so the pool can split the blocks
 * across workers (`sampleCounts`) and the same seed gives the same estimate for any thread count;
 * the samples are still r independent uniform draws, so the guarantee is unchanged.
 */
import type { CsrGraph } from '../graph/csr.js';
import { Checkpoint, type RunControl, seconds } from './control.js';
import { createRng, deriveSeed, randomInt } from './random.js';

export interface ApproxBetweennessOptions {
  /** Additive error bound on the betweenness fraction (see header). */
  readonly epsilon: number;
  /** Failure probability of the bound. */
  readonly delta: number;
  readonly seed: number;
  /** The constant of the VC-dimension sample bound; 0.5 per Loeffler and Phillips as RK use. */
  readonly c: number;
  /** A known vertex-diameter upper bound; null = compute the bound described in the header. */
  readonly vertexDiameter: number | null;
}

export const APPROX_BETWEENNESS_DEFAULTS: ApproxBetweennessOptions = Object.freeze({
  epsilon: 0.05, delta: 0.1, seed: 42, c: 0.5, vertexDiameter: null,
});

export interface ApproxBetweennessResult {
  /** Estimated betweenness on the NetworkX scale (comparable to exact `betweenness`). */
  readonly scores: Float64Array;
  readonly epsilon: number;
  /** The bound on `scores`' scale: epsilon * n/(n-2). */
  readonly epsilonNetworkx: number;
  readonly delta: number;
  readonly samples: number;
  readonly vertexDiameter: number;
  readonly guarantee: string;
  readonly seconds: number;
}

/** RK sample size; 0 when VD <= 2 (all betweenness is 0). */
export function sampleSize(epsilon: number, delta: number, vertexDiameter: number, c = 0.5): number {
  if (vertexDiameter <= 2) return 0;
  return Math.ceil((c / (epsilon * epsilon)) * (Math.floor(Math.log2(vertexDiameter - 2)) + 1 + Math.log(1 / delta)));
}

/** Upper bound on the vertex diameter (nodes on a longest shortest path), see the header. */
export function vertexDiameterBound(g: CsrGraph): number {
  if (g.n === 0) return 0;
  return g.directed ? directedBound(g) : undirectedBound(g);
}

function undirectedBound(g: CsrGraph): number {
  const n = g.n;
  const dist = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const { outOffsets: off, outTargets: adj } = g;
  let best = 1;
  // One BFS per component; components are disjoint, so `dist` is never reset.
  for (let x = 0; x < n; x++) {
    if (dist[x]! >= 0) continue;
    const tail = levels(off, adj, x, dist, queue, null, 0);
    const bound = Math.min(tail, 2 * dist[queue[tail - 1]!]! + 1);
    if (bound > best) best = bound;
  }
  return best;
}

/**
 * Directed graphs: a shortest path crosses the strongly connected components along one path of
 * the condensation DAG, and its stretch inside component C is a shortest path between two nodes
 * of C, hence has at most ecc_in(x) + ecc_out(x) + 1 nodes for any x in C (go through x; the
 * eccentricities are taken inside C, which can only overestimate). So VD <= the heaviest DAG path
 * with those per-component weights. Tarjan's algorithm (iterative) numbers components in reverse
 * topological order, so one increasing pass over component ids computes the heaviest paths.
 */
function directedBound(g: CsrGraph): number {
  const n = g.n;
  const { outOffsets: off, outTargets: adj, inOffsets: ioff, inSources: iadj } = g;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const call = new Int32Array(n);
  const edge = new Int32Array(n);
  // members[compStart[c]..compStart[c+1]) are the nodes of component c.
  const members = new Int32Array(n);
  const compStart: number[] = [0];
  let counter = 0, sp = 0, nComp = 0, filled = 0;
  for (let root = 0; root < n; root++) {
    if (index[root]! >= 0) continue;
    let csp = 0;
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    edge[root] = off[root]!;
    call[csp++] = root;
    while (csp > 0) {
      const v = call[csp - 1]!;
      if (edge[v]! < off[v + 1]!) {
        const w = adj[edge[v]!++]!;
        if (index[w]! < 0) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          edge[w] = off[w]!;
          call[csp++] = w;
        } else if (comp[w]! < 0 && index[w]! < low[v]!) {
          low[v] = index[w]!;
        }
        continue;
      }
      csp--;
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack[--sp]!;
          comp[w] = nComp;
          members[filled++] = w;
        } while (w !== v);
        nComp++;
        compStart.push(filled);
      }
      if (csp > 0) {
        const p = call[csp - 1]!;
        if (low[v]! < low[p]!) low[p] = low[v]!;
      }
    }
  }
  const distF = new Int32Array(n).fill(-1);
  const distB = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  const heaviest = new Float64Array(nComp);
  let best = 1;
  for (let c = 0; c < nComp; c++) {
    const lo = compStart[c]!, hi = compStart[c + 1]!;
    let weight = 1;
    if (hi - lo > 1) {
      const x = members[lo]!;
      const tf = levels(off, adj, x, distF, queue, comp, c);
      const eccOut = distF[queue[tf - 1]!]!;
      const tb = levels(ioff, iadj, x, distB, queue, comp, c);
      const eccIn = distB[queue[tb - 1]!]!;
      weight = Math.min(hi - lo, eccOut + eccIn + 1);
    }
    let next = 0;
    for (let i = lo; i < hi; i++) {
      const v = members[i]!;
      for (let e = off[v]!, end = off[v + 1]!; e < end; e++) {
        const d = comp[adj[e]!]!;
        if (d !== c && heaviest[d]! > next) next = heaviest[d]!;
      }
    }
    heaviest[c] = weight + next;
    if (heaviest[c]! > best) best = heaviest[c]!;
  }
  return Math.min(best, n);
}

/** BFS from x (restricted to component `c` of `comp` when given); returns the visited count. */
function levels(
  off: Int32Array, adj: Int32Array, x: number, dist: Int32Array, queue: Int32Array, comp: Int32Array | null, c: number,
): number {
  dist[x] = 0;
  queue[0] = x;
  let head = 0, tail = 1;
  while (head < tail) {
    const v = queue[head++]!;
    const dv1 = dist[v]! + 1;
    for (let e = off[v]!, end = off[v + 1]!; e < end; e++) {
      const w = adj[e]!;
      if (dist[w]! < 0 && (comp === null || comp[w] === c)) {
        dist[w] = dv1;
        queue[tail++] = w;
      }
    }
  }
  return tail;
}

/** Samples per block: each block draws from its own seeded stream (deriveSeed(seed, block)). */
export const SAMPLE_BLOCK = 128;

export function approxBetweenness(
  g: CsrGraph, options: Partial<ApproxBetweennessOptions> = {}, ctl?: RunControl,
): ApproxBetweennessResult {
  const t0 = performance.now();
  const o = { ...APPROX_BETWEENNESS_DEFAULTS, ...options };
  const vd = o.vertexDiameter ?? vertexDiameterBound(g);
  const r = g.n <= 2 ? 0 : sampleSize(o.epsilon, o.delta, vd, o.c);
  const count = sampleCounts(g, o.seed, r, 0, Math.ceil(r / SAMPLE_BLOCK), ctl);
  return scaleCounts(g.n, count, { ...o, vertexDiameter: vd }, r, seconds(t0));
}

/**
 * The estimate from summed sample counts (exact integers, so partial counts from any split add up
 * to the same vector): count(w) * n / (r (n - 2)), with the guarantee's diagnostics.
 */
export function scaleCounts(
  n: number, count: Float64Array, o: ApproxBetweennessOptions & { vertexDiameter: number }, r: number, secs: number,
): ApproxBetweennessResult {
  const vd = o.vertexDiameter;
  const epsNx = n > 2 ? o.epsilon * n / (n - 2) : 0;
  const guarantee = `with probability >= ${1 - o.delta}, every |score - exact| <= ${epsNx.toPrecision(6)} on the NetworkX `
    + `scale (= epsilon ${o.epsilon} on the fraction of ordered pairs; Riondato-Kornaropoulos 2016, VD <= ${vd})`;
  const scores = new Float64Array(n);
  if (r > 0) {
    const scale = n / (r * (n - 2));
    for (let i = 0; i < n; i++) scores[i] = count[i]! * scale;
  }
  return { scores, epsilon: o.epsilon, epsilonNetworkx: epsNx, delta: o.delta, samples: r, vertexDiameter: vd, guarantee, seconds: secs };
}

/**
 * Interior-node counts of samples in blocks [fromBlock, toBlock) of a run of r samples. Sample k
 * belongs to block floor(k / SAMPLE_BLOCK) and is drawn from that block's stream, so a block's
 * samples are the same whoever runs it: the pool splits blocks across workers and sums the counts.
 */
export function sampleCounts(
  g: CsrGraph, seed: number, r: number, fromBlock: number, toBlock: number, ctl?: RunControl,
): Float64Array {
  const n = g.n;
  const count = new Float64Array(n);
  if (r === 0 || fromBlock >= toBlock) return count;
  const distF = new Int32Array(n).fill(-1), distB = new Int32Array(n).fill(-1);
  const sigmaF = new Float64Array(n), sigmaB = new Float64Array(n);
  const queueF = new Int32Array(n), queueB = new Int32Array(n);
  const meet = new Int32Array(n);
  const { outOffsets: off, outTargets: adj, inOffsets: ioff, inSources: iadj } = g;
  const check = new Checkpoint(ctl, 'betweenness-approx');
  const first = fromBlock * SAMPLE_BLOCK, last = Math.min(r, toBlock * SAMPLE_BLOCK);
  // Checkpoint every few samples: one sample's search is far shorter than the 1 s cancel budget.
  const stride = Math.max(1, Math.min(64, Math.floor((last - first) / 100)));
  let rng = createRng(deriveSeed(seed, fromBlock));
  for (let k = first; k < last; k++) {
    if (k % SAMPLE_BLOCK === 0) rng = createRng(deriveSeed(seed, k / SAMPLE_BLOCK));
    if (k % stride === 0) check.step((k - first) / (last - first));
    const u = randomInt(rng, n);
    let v = randomInt(rng, n - 1);
    if (v >= u) v++;
    // Balanced bidirectional BFS: F from u along arcs, B from v against them, each step expanding
    // one whole level of the side whose frontier has fewer arcs to scan. Invariant before a step:
    // no node is visited by both sides. The first step that discovers nodes of the other side
    // finds ALL nodes of one layer of the shortest u-v paths (distance i from u, D - i to v), and
    // sigma_uv = sum over that layer of sigmaF * sigmaB.
    distF[u] = 0; sigmaF[u] = 1; queueF[0] = u;
    distB[v] = 0; sigmaB[v] = 1; queueB[0] = v;
    let fHead = 0, fTail = 1, bHead = 0, bTail = 1, met = 0;
    let fArcs = off[u + 1]! - off[u]!, bArcs = ioff[v + 1]! - ioff[v]!;
    while (met === 0 && fHead < fTail && bHead < bTail) {
      if (fArcs <= bArcs) {
        const end = fTail;
        fArcs = 0;
        for (; fHead < end; fHead++) {
          const x = queueF[fHead]!;
          const dx1 = distF[x]! + 1, sx = sigmaF[x]!;
          for (let e = off[x]!, hi = off[x + 1]!; e < hi; e++) {
            const w = adj[e]!;
            const dw = distF[w]!;
            if (dw < 0) {
              distF[w] = dx1; sigmaF[w] = sx; queueF[fTail++] = w;
              fArcs += off[w + 1]! - off[w]!;
              if (distB[w]! >= 0) meet[met++] = w;
            } else if (dw === dx1) {
              sigmaF[w]! += sx;
            }
          }
        }
      } else {
        const end = bTail;
        bArcs = 0;
        for (; bHead < end; bHead++) {
          const x = queueB[bHead]!;
          const dx1 = distB[x]! + 1, sx = sigmaB[x]!;
          for (let e = ioff[x]!, hi = ioff[x + 1]!; e < hi; e++) {
            const w = iadj[e]!;
            const dw = distB[w]!;
            if (dw < 0) {
              distB[w] = dx1; sigmaB[w] = sx; queueB[bTail++] = w;
              bArcs += ioff[w + 1]! - ioff[w]!;
              if (distF[w]! >= 0) meet[met++] = w;
            } else if (dw === dx1) {
              sigmaB[w]! += sx;
            }
          }
        }
      }
    }
    if (met > 0) {
      let total = 0;
      for (let i = 0; i < met; i++) total += sigmaF[meet[i]!]! * sigmaB[meet[i]!]!;
      const target = rng() * total;
      let acc = 0, w = meet[met - 1]!;
      for (let i = 0; i < met; i++) {
        acc += sigmaF[meet[i]!]! * sigmaB[meet[i]!]!;
        if (acc > target) { w = meet[i]!; break; }
      }
      if (w !== u && w !== v) count[w]!++;
      // Walk to u through predecessors (in-arcs one F level down), then to v through successors
      // (out-arcs one B level down), each step chosen with probability sigma(next)/sigma(here):
      // with the layer choice above every shortest path has probability 1/sigma_uv.
      for (let cur = w; distF[cur]! > 1;) {
        const want = distF[cur]! - 1;
        const t = sigmaF[cur] === 1 ? 0 : rng() * sigmaF[cur]!;
        let sum = 0, pick = -1;
        for (let e = ioff[cur]!, hi = ioff[cur + 1]!; e < hi; e++) {
          const p = iadj[e]!;
          if (distF[p] !== want) continue;
          pick = p;
          sum += sigmaF[p]!;
          if (sum > t) break;
        }
        count[pick]!++;
        cur = pick;
      }
      for (let cur = w; distB[cur]! > 1;) {
        const want = distB[cur]! - 1;
        const t = sigmaB[cur] === 1 ? 0 : rng() * sigmaB[cur]!;
        let sum = 0, pick = -1;
        for (let e = off[cur]!, hi = off[cur + 1]!; e < hi; e++) {
          const y = adj[e]!;
          if (distB[y] !== want) continue;
          pick = y;
          sum += sigmaB[y]!;
          if (sum > t) break;
        }
        count[pick]!++;
        cur = pick;
      }
    }
    for (let i = 0; i < fTail; i++) { const x = queueF[i]!; distF[x] = -1; sigmaF[x] = 0; }
    for (let i = 0; i < bTail; i++) { const x = queueB[i]!; distB[x] = -1; sigmaB[x] = 0; }
  }
  check.step(1);
  return count;
}
