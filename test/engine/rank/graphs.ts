/** Tiny graph builders for the ranking-layer tests. */
import { buildGraph, type EdgeColumns } from '../../../engine/graph/builder.js';

export function columns(n: number, pairs: [number, number][], w?: number[], ts?: number[]): EdgeColumns {
  return {
    nodeCount: n, source: Int32Array.from(pairs.map((p) => p[0])), target: Int32Array.from(pairs.map((p) => p[1])),
    weight: w ? Float64Array.from(w) : null, timestamp: ts ? Float64Array.from(ts) : null, type: null, typeNames: [],
  };
}

export function edgesGraph(n: number, pairs: [number, number][], directed = true, w?: number[]) {
  return buildGraph(columns(n, pairs, w), { directed, weighted: w !== undefined });
}
