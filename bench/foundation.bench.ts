/**
 * Foundation benchmarks (issue: Arrow ingest, shared CSR, worker PageRank).
 *
 * Cases:
 *  - "pagerank e2e, rmat(2^16, 16) ~1M rows, supernode vs graphology": read a SNAP-style text file,
 *    build, PageRank; each pipeline in its own child process (peak RSS is per process). Ratios are
 *    graphology / supernode for time and peak RSS, measured in this one run.
 *  - "csr bytes per edge": bytes of CSR+CSC with weights per stored arc, from graphBytes().
 *  - "30M rows, rmat(2^21, 15)": only with BENCH_LARGE=1 (writes a ~0.5 GB temp file): load and rank
 *    past graphology's 16,777,216-edge cap within 24 GiB.
 * Run: npx tsx bench/foundation.bench.ts   (BENCH_LARGE=1 for the 30M case)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rmat } from '../datasets/generators.js';
import { BENCH_DIR, type CaseResult, log, writeResults } from './harness.js';

function writeSnap(file: string, scale: number, edgeFactor: number, seed: number): number {
  const { source, target } = rmat({ scale, edgeFactor, seed });
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, `# rmat scale=${scale} edgeFactor=${edgeFactor} seed=${seed}\n`);
  const CHUNK = 1 << 16;
  for (let i = 0; i < source.length; i += CHUNK) {
    let s = '';
    for (let j = i; j < Math.min(source.length, i + CHUNK); j++) s += `${source[j]}\t${target[j]}\n`;
    fs.writeSync(fd, s);
  }
  fs.closeSync(fd);
  return source.length;
}

/**
 * Both pipelines run as compiled JS (dist/, built by `npm install`) with the same flags, so peak
 * RSS is the pipeline's own and not a TypeScript loader's; falls back to tsx without a build.
 */
function child(mode: string, file: string, heapMiB = 16000): Record<string, number | string> {
  const compiled = path.join(BENCH_DIR, '..', 'dist', 'bench', 'e2e-child.js');
  const entry = fs.existsSync(compiled) ? [compiled] : ['--import', 'tsx', path.join(BENCH_DIR, 'e2e-child.ts')];
  const out = execFileSync(process.execPath, [`--max-old-space-size=${heapMiB}`, ...entry, mode, file], {
    encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const cases: CaseResult[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'supernode-bench-'));
try {
  const file = path.join(tmp, 'rmat16.txt');
  const rows = writeSnap(file, 16, 16, 1);
  const sn = child('supernode', file);
  const gy = child('graphology', file);
  const c = {
    name: 'pagerank e2e, rmat(2^16, 16), 1M rows: supernode vs graphology+graphology-metrics',
    rows, supernode: sn, graphology: gy,
    speedup: Number(gy['totalSeconds']) / Number(sn['totalSeconds']),
    rssRatio: Number(gy['peakRssMiB']) / Number(sn['peakRssMiB']),
    sameTopMember: sn['top'] === gy['top'],
  };
  cases.push(c);
  log(`${c.name}\n  supernode ${Number(sn['totalSeconds']).toFixed(2)} s, ${Number(sn['peakRssMiB']).toFixed(0)} MiB peak;`
    + ` graphology ${Number(gy['totalSeconds']).toFixed(2)} s, ${Number(gy['peakRssMiB']).toFixed(0)} MiB peak`
    + `\n  speedup x${c.speedup.toFixed(1)}, peak RSS x${c.rssRatio.toFixed(1)} less, same top member: ${c.sameTopMember}`);
  cases.push({ name: 'csr+csc bytes per arc (weighted, float32 weights), rmat(2^16,16)', bytesPerArc: sn['bytesPerArc'], weights: sn['weights'] });
  log(`  CSR+CSC with weights: ${Number(sn['bytesPerArc']).toFixed(2)} bytes per arc (${sn['weights']})`);

  if (process.env['BENCH_LARGE'] === '1') {
    const big = path.join(tmp, 'rmat21.txt');
    const bigRows = writeSnap(big, 21, 15, 2);
    const r = child('supernode', big, 20000);
    cases.push({ name: 'load + build + PageRank, rmat(2^21, 15), 31.5M rows (past graphology\'s 16.7M cap)', rows: bigRows, supernode: r });
    log(`30M case: ${bigRows} rows, ${r['arcs']} arcs, total ${Number(r['totalSeconds']).toFixed(1)} s `
      + `(load ${Number(r['loadSeconds']).toFixed(1)}, build ${Number(r['buildSeconds']).toFixed(1)}, PageRank ${Number(r['computeSeconds']).toFixed(1)}), peak RSS ${(Number(r['peakRssMiB']) / 1024).toFixed(2)} GiB`);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
log(`results: ${writeResults('foundation', cases)}`);
