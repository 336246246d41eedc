/**
 * Test-side access to the committed reference values (test/fixtures/reference, a copy of
 * ../shared/reference: NetworkX 2.8.8 / python-igraph 0.10.2 outputs, provenance in its README)
 * and a deliberately naive loader for the committed datasets (datasets/), independent of
 * engine/ingest so it can serve as that module's oracle too.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { type BuiltGraph, type EdgeColumns, buildGraph } from '../../engine/graph/builder.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const REF = path.join(ROOT, 'test/fixtures/reference');

export interface RefCase {
  name: string;
  file: string;
  flags: string[];
  weighted: boolean;
  third?: string;
}

export const CASES: RefCase[] = JSON.parse(fs.readFileSync(path.join(REF, 'cases.json'), 'utf8'));

export interface RefFile {
  result: Record<string, number | null>;
  extra: Record<string, unknown> & { modularity?: number; hubs?: Record<string, number>; clustering?: Record<string, number> };
  params: Record<string, unknown>;
  n: number;
  m: number;
}

export function readRef(dataset: string, algo: string): RefFile | null {
  const p = path.join(REF, dataset, `${algo}.json.gz`);
  return fs.existsSync(p) ? JSON.parse(zlib.gunzipSync(fs.readFileSync(p)).toString('utf8')) : null;
}

export interface LoadedCase {
  graph: BuiltGraph;
  ids: string[];
  index: Map<string, number>;
}

const cache = new Map<string, LoadedCase>();

/** Loads a reference case the naive way: split lines, Map ids, then the real builder. */
export function loadCase(c: RefCase, overrides: { directed?: boolean; weighted?: boolean } = {}): LoadedCase {
  const key = `${c.name}:${JSON.stringify(overrides)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const text = zlib.gunzipSync(fs.readFileSync(path.join(ROOT, 'datasets', c.file))).toString('utf8');
  const index = new Map<string, number>();
  const ids: string[] = [];
  const src: number[] = [], dst: number[] = [], w: number[] = [];
  const id = (s: string) => {
    let i = index.get(s);
    if (i === undefined) { i = ids.length; index.set(s, i); ids.push(s); }
    return i;
  };
  for (const line of text.split('\n')) {
    if (!line.trim() || line[0] === '#' || line[0] === '%') continue;
    const p = line.trim().split(/\s+/);
    src.push(id(p[0]!));
    dst.push(id(p[1]!));
    w.push(c.third === 'weight' && p.length > 2 ? Number(p[2]) : 1);
  }
  const cols: EdgeColumns = {
    nodeCount: ids.length, source: Int32Array.from(src), target: Int32Array.from(dst),
    weight: Float64Array.from(w), timestamp: null, type: null, typeNames: [],
  };
  const graph = buildGraph(cols, {
    directed: overrides.directed ?? !c.flags.includes('--undirected'),
    weighted: overrides.weighted ?? !c.flags.includes('--unweighted'),
  });
  const loaded = { graph, ids, index };
  cache.set(key, loaded);
  return loaded;
}

/** Largest |got - want| over the reference's nodes, relative to max |want| (the check's rule). */
export function maxRelDiff(got: Float64Array, loaded: LoadedCase, want: Record<string, number | null>): { diff: number; at: string | null } {
  let scale = 0;
  for (const v of Object.values(want)) if (v !== null) scale = Math.max(scale, Math.abs(v));
  scale ||= 1;
  let diff = 0, at: string | null = null;
  for (const [k, v] of Object.entries(want)) {
    const i = loaded.index.get(k);
    if (i === undefined) return { diff: Infinity, at: k };
    const g = got[i]!;
    if (v === null) {
      if (!Number.isNaN(g)) return { diff: Infinity, at: k };
      continue;
    }
    const d = Math.abs(g - v) / scale;
    if (d > diff) { diff = d; at = k; }
  }
  return { diff, at };
}
