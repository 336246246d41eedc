/** Small graphs for kernel tests: built through the real builder, seeded, with a dense oracle. */
import { buildGraph, type BuiltGraph } from '../../engine/graph/builder.js';

/** An unweighted graph from parallel source/target lists. */
export const graph = (n: number, src: ArrayLike<number>, dst: ArrayLike<number>, directed: boolean): BuiltGraph => buildGraph({
  nodeCount: n, source: Int32Array.from(src), target: Int32Array.from(dst), weight: null, timestamp: null, type: null, typeNames: [],
}, { directed, weighted: false });

/** A directed ring with chords (i -> i+1, i -> 7i+3): big enough that PageRank runs many iterations. */
export function ringGraph(n: number): BuiltGraph {
  const src = new Int32Array(2 * n), dst = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) {
    src[2 * i] = i; dst[2 * i] = (i + 1) % n;
    src[2 * i + 1] = i; dst[2 * i + 1] = (i * 7 + 3) % n;
  }
  return buildGraph({ nodeCount: n, source: src, target: dst, weight: null, timestamp: null, type: null, typeNames: [] });
}

/** `rows` uniform random rows over n nodes (duplicates and self-loops included), from a seeded LCG. */
export function randomGraph(seed: number, n: number, rows: number, directed: boolean): BuiltGraph {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const src: number[] = [], dst: number[] = [];
  for (let i = 0; i < rows; i++) { src.push(Math.floor(rnd() * n)); dst.push(Math.floor(rnd() * n)); }
  return graph(n, src, dst, directed);
}

/** Oracle: all-pairs hop distances d[u][v] by Floyd-Warshall on a dense matrix (Infinity = unreachable). */
export function hopDistances(g: BuiltGraph): number[][] {
  const n = g.n;
  const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
  for (let u = 0; u < n; u++) for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) d[u]![g.outTargets[e]!] = 1;
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    d[i]![j] = Math.min(d[i]![j]!, d[i]![k]! + d[k]![j]!);
  }
  return d;
}
