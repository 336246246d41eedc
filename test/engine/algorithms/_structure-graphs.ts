/**
 * Small graph factories shared by the structure-measure tests (kcore, wcc, scc, triangles, hits,
 * eigenvector, constraint): a seeded LCG, random multigraphs through the real builder, the 1M-node
 * path and star used for the scale cases, and a partition comparison that ignores label names.
 */
import { type BuiltGraph, buildGraph } from '../../../engine/graph/builder.js';
import type { CsrGraph } from '../../../engine/graph/csr.js';

export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

export interface GraphOptions { directed: boolean; weighted: boolean; keepSelfLoops?: boolean }

export function fromPairs(n: number, pairs: readonly (readonly [number, number, number?])[], o: GraphOptions): BuiltGraph {
  return buildGraph({
    nodeCount: n,
    source: Int32Array.from(pairs, (p) => p[0]), target: Int32Array.from(pairs, (p) => p[1]),
    weight: Float64Array.from(pairs, (p) => p[2] ?? 1), timestamp: null, type: null, typeNames: [],
  }, { directed: o.directed, weighted: o.weighted, keepSelfLoops: o.keepSelfLoops ?? false });
}

/** n nodes, `rows` random rows (duplicates and self-loops included), integer weights 1..5. */
export function randomGraph(n: number, rows: number, seed: number, o: GraphOptions): BuiltGraph {
  const rnd = lcg(seed);
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < rows; i++) pairs.push([Math.floor(rnd() * n), Math.floor(rnd() * n), 1 + Math.floor(rnd() * 5)]);
  return fromPairs(n, pairs, o);
}

/** Arcs as [u, v, w] triples, w = 1 when the graph is unweighted. */
export function arcs(g: CsrGraph): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let u = 0; u < g.n; u++) {
    for (let e = g.outOffsets[u]!; e < g.outOffsets[u + 1]!; e++) out.push([u, g.outTargets[e]!, g.outWeights?.[e] ?? 1]);
  }
  return out;
}

/** 0 -> 1 -> ... -> n-1 (or the undirected path), built from typed arrays. */
export function bigPath(n: number, directed: boolean, cycle = false): BuiltGraph {
  const rows = cycle ? n : n - 1;
  const s = new Int32Array(rows), t = new Int32Array(rows);
  for (let i = 0; i < rows; i++) { s[i] = i; t[i] = (i + 1) % n; }
  return buildGraph({ nodeCount: n, source: s, target: t, weight: null, timestamp: null, type: null, typeNames: [] }, { directed, weighted: false });
}

/** Hub 0 with `leaves` leaves; leaf -> hub arcs when directed. */
export function bigStar(leaves: number, directed: boolean): BuiltGraph {
  const s = new Int32Array(leaves), t = new Int32Array(leaves);
  for (let i = 0; i < leaves; i++) { s[i] = i + 1; t[i] = 0; }
  return buildGraph({ nodeCount: leaves + 1, source: s, target: t, weight: null, timestamp: null, type: null, typeNames: [] }, { directed, weighted: false });
}

/** True when a and b put exactly the same pairs of positions together. */
export function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  const ab = new Map<number, number>(), ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    if ((ab.get(x) ?? y) !== y || (ba.get(y) ?? x) !== x) return false;
    ab.set(x, y);
    ba.set(y, x);
  }
  return true;
}

/** Labels are 0.. in order of first appearance (the smallest-member convention). */
export function canonicalLabels(m: ArrayLike<number>): boolean {
  let next = 0;
  for (let i = 0; i < m.length; i++) {
    if (m[i]! === next) next++;
    else if (m[i]! > next || m[i]! < 0) return false;
  }
  return true;
}

/** Dense twin for spectral measures: cyclic Jacobi on a symmetric matrix; the eigenvector of the
 * largest eigenvalue, sign made non-negative. Independent of any power iteration. */
export function topEigenvectorSymmetric(m: number[][]): { value: number; vector: number[] } {
  const n = m.length;
  const a = m.map((r) => [...r]);
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off < 1e-26) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!, akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!, aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!, vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  let best = 0;
  for (let i = 1; i < n; i++) if (a[i]![i]! > a[best]![best]!) best = i;
  const vec = v.map((row) => row[best]!);
  const sign = vec.reduce((s, x) => s + x, 0) < 0 ? -1 : 1;
  return { value: a[best]![best]!, vector: vec.map((x) => x * sign) };
}

/** Dense weighted adjacency A[u][v] = w(u->v). */
export function denseAdjacency(g: CsrGraph): number[][] {
  const a = Array.from({ length: g.n }, () => new Array<number>(g.n).fill(0));
  for (const [u, v, w] of arcs(g)) a[u]![v]! += w;
  return a;
}
