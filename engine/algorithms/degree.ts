/**
 * Degree and strength.
 *
 * Definitions (on the merged graph: parallel rows are one arc):
 * - out-degree(u) = distinct members u acted towards; in-degree(v) = distinct members acting on v;
 * - degree = in + out when directed (NetworkX `DiGraph.degree`), distinct neighbours when undirected;
 * - strength = summed arc weight (interaction count for temporal files) per direction.
 * Complexity: O(n) for degrees (offset differences), O(m) for strengths.
 */
import type { CsrGraph } from '../graph/csr.js';
import { inStrength, outStrength } from '../graph/csr.js';

export function outDegrees(g: CsrGraph): Float64Array {
  const d = new Float64Array(g.n);
  for (let u = 0; u < g.n; u++) d[u] = g.outOffsets[u + 1]! - g.outOffsets[u]!;
  return d;
}

export function inDegrees(g: CsrGraph): Float64Array {
  const d = new Float64Array(g.n);
  for (let v = 0; v < g.n; v++) d[v] = g.inOffsets[v + 1]! - g.inOffsets[v]!;
  return d;
}

export function degrees(g: CsrGraph): Float64Array {
  const d = outDegrees(g);
  if (!g.directed) return d;
  for (let v = 0; v < g.n; v++) d[v]! += g.inOffsets[v + 1]! - g.inOffsets[v]!;
  return d;
}

export function strengths(g: CsrGraph): Float64Array {
  const s = outStrength(g);
  if (!g.directed) return s;
  const t = inStrength(g);
  for (let v = 0; v < g.n; v++) s[v]! += t[v]!;
  return s;
}

export { inStrength, outStrength };
