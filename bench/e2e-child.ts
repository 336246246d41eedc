/**
 * One end-to-end run in its own process, so peak RSS belongs to that pipeline alone:
 *   supernode  <file>: ingest (streaming) -> CSR+CSC build -> PageRank
 *   graphology <file>: readline -> graphology DirectedGraph (parallel rows merged, weights summed)
 *                      -> graphology-metrics PageRank
 * Prints one JSON line: phase seconds, peak RSS, top member, graph bytes per edge.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { DirectedGraph } from 'graphology';
import { centrality } from 'graphology-metrics';
import { ingestFile } from '../engine/ingest/index.js';
import { buildGraph } from '../engine/graph/builder.js';
import { graphBytes } from '../engine/graph/csr.js';
import { pagerank } from '../engine/algorithms/pagerank.js';

const [mode, file] = process.argv.slice(2) as [string, string];
const t0 = performance.now();
const rssMiB = () => process.resourceUsage().maxRSS / 1024;

if (mode === 'supernode') {
  const r = await ingestFile(file);
  const t1 = performance.now();
  const g = buildGraph(r.columns, { directed: true, weighted: true });
  const t2 = performance.now();
  const pr = pagerank(g);
  const t3 = performance.now();
  let best = 0;
  for (let i = 1; i < g.n; i++) if (pr.scores[i]! > pr.scores[best]!) best = i;
  console.log(JSON.stringify({
    mode, nodes: g.n, arcs: g.m, rows: r.rows, loadSeconds: (t1 - t0) / 1000, buildSeconds: (t2 - t1) / 1000,
    computeSeconds: (t3 - t2) / 1000, totalSeconds: (t3 - t0) / 1000, iterations: pr.iterations,
    top: r.members.idOf(best), topScore: pr.scores[best], peakRssMiB: rssMiB(),
    graphBytes: graphBytes(g), bytesPerArc: graphBytes(g) / g.m, weights: g.outWeights?.constructor.name ?? 'none',
  }));
} else if (mode === 'graphology') {
  const g = new DirectedGraph();
  const input = file.endsWith('.gz') ? fs.createReadStream(file).pipe(zlib.createGunzip()) : fs.createReadStream(file);
  let rows = 0;
  for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
    if (!line || line[0] === '#') continue;
    const [s, t] = line.split(/\s+/) as [string, string];
    rows++;
    if (s === t) { g.mergeNode(s); continue; }
    g.updateEdge(s, t, (a: Record<string, unknown>) => ({ weight: ((a['weight'] as number | undefined) ?? 0) + 1 }));
  }
  const t1 = performance.now();
  const pr = centrality.pagerank(g, { getEdgeWeight: 'weight', tolerance: 1e-10, maxIterations: 1000 });
  const t2 = performance.now();
  let best = '', bestScore = -1;
  for (const [k, v] of Object.entries(pr)) if (v > bestScore) { best = k; bestScore = v; }
  console.log(JSON.stringify({
    mode, nodes: g.order, arcs: g.size, rows, loadSeconds: (t1 - t0) / 1000, buildSeconds: 0,
    computeSeconds: (t2 - t1) / 1000, totalSeconds: (t2 - t0) / 1000, top: best, topScore: bestScore, peakRssMiB: rssMiB(),
  }));
} else {
  throw new Error(`unknown mode ${mode}`);
}
