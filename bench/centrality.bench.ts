/**
 * Path-based centrality benchmark: exact Brandes betweenness on a source subset (extrapolated to
 * all sources), Riondato-Kornaropoulos sampled betweenness, closeness and harmonic on a node subset,
 * on a seeded R-MAT graph of ~1M arcs (Graph500 parameters, scale 17, edge factor 8, directed).
 * The side-by-side comparison with python-igraph is bench/suite.bench.ts; this one shows what the
 * sampled estimator buys over the exact measure at a size where the exact one takes hours.
 * Run: npx tsx bench/centrality.bench.ts [--scale 17] [--sources 32]   -> bench/results/centrality.json
 */
import { rmat } from '../datasets/generators.js';
import { buildGraph } from '../engine/graph/builder.js';
import { edgeCount } from '../engine/graph/csr.js';
import { betweennessRaw } from '../engine/algorithms/betweenness.js';
import { approxBetweenness } from '../engine/algorithms/betweenness-approx.js';
import { closenessRange } from '../engine/algorithms/closeness.js';
import { harmonicRange } from '../engine/algorithms/harmonic.js';
import { type CaseResult, log, peakRssMiB, writeResults } from './harness.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const scale = arg('scale', 17), sources = arg('sources', 32), seed = 42;

const t0 = performance.now();
const e = rmat({ scale, edgeFactor: 8, seed });
const g = buildGraph({
  nodeCount: e.n, source: e.source, target: e.target, weight: null, timestamp: null, type: null, typeNames: [],
}, { directed: true, weighted: false });
const buildSeconds = (performance.now() - t0) / 1000;
log(`R-MAT scale ${scale}: n=${g.n} arcs=${edgeCount(g)} built in ${buildSeconds.toFixed(2)} s`);

const cases: CaseResult[] = [];
const time = <T>(f: () => T): [T, number] => {
  const s = performance.now();
  const r = f();
  return [r, (performance.now() - s) / 1000];
};

// Sources spread over the id range: R-MAT ids are scrambled, so a stride gives a fair mix of degrees.
const stride = Math.max(1, Math.floor(g.n / sources));
let bcSeconds = 0;
for (let k = 0; k < sources; k++) bcSeconds += time(() => betweennessRaw(g, k * stride, k * stride + 1))[1];
cases.push({
  name: 'betweenness-exact-subset', sources, seconds: bcSeconds, secondsPerSource: bcSeconds / sources,
  extrapolatedAllSourcesSeconds: (bcSeconds / sources) * g.n,
});
log(`exact betweenness: ${sources} sources in ${bcSeconds.toFixed(2)} s (${((bcSeconds / sources) * 1000).toFixed(1)} ms/source, all ${g.n}: ~${((bcSeconds / sources) * g.n / 60).toFixed(0)} min single-threaded)`);

for (const epsilon of [0.05, 0.02]) {
  const [r, secs] = time(() => approxBetweenness(g, { epsilon, delta: 0.1, seed }));
  cases.push({
    name: `betweenness-approx-eps${epsilon}`, epsilon, delta: 0.1, samples: r.samples, vertexDiameter: r.vertexDiameter,
    seconds: secs, msPerSample: (secs * 1000) / r.samples,
  });
  log(`approx betweenness eps ${epsilon}: ${r.samples} samples (VD <= ${r.vertexDiameter}) in ${secs.toFixed(2)} s`);
}

for (const [name, f] of [['closeness', closenessRange], ['harmonic', harmonicRange]] as const) {
  let secs = 0;
  for (let k = 0; k < sources; k++) secs += time(() => f(g, k * stride, k * stride + 1))[1];
  cases.push({ name: `${name}-subset`, nodes: sources, seconds: secs, extrapolatedAllNodesSeconds: (secs / sources) * g.n });
  log(`${name}: ${sources} nodes in ${secs.toFixed(2)} s`);
}

const file = writeResults('centrality', cases, {
  graph: { generator: 'rmat', scale, edgeFactor: 8, seed, directed: true, n: g.n, arcs: edgeCount(g), buildSeconds },
  peakRssMiB: peakRssMiB(),
});
log(`wrote ${file}`);
