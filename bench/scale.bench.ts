/**
 * The scale record (issue 15), through the product's own commands: an R-MAT edge list (Graph500
 * parameters, seed 1) written as text, `supernode ingest FILE --name rmatS`, then
 * `supernode supernodes --dataset rmatS --json` (the full analysis job: PageRank, k-core, reach,
 * Leiden, constraint, effective size, sampled betweenness, composite, leaders, roles, brokers).
 * Per stage: wall seconds and peak RSS (each command its own process, /usr/bin/time), and the
 * analysis' own per-measure seconds from its diagnostics. Target at scale 22, edge factor 16
 * (67.1M rows): total (ingest + analysis) <= 300 s within 24 GiB.
 * Needs `npm run build`. Run: npx tsx bench/scale.bench.ts [scale=22] [edgeFactor=16]
 * (scale 18 or 20 for a quick check).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rmat } from '../datasets/generators.js';
import { BENCH_DIR, type CaseResult, log, writeResults } from './harness.js';

const scale = Number(process.argv[2] ?? 22), edgeFactor = Number(process.argv[3] ?? 16);
const BIN = path.join(BENCH_DIR, '..', 'bin', 'supernode.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-scale-'));

/** One product command in its own process: wall seconds, peak RSS (MiB), exit status, stdout. */
function stage(args: string[]): { seconds: number; peakRssMiB: number; status: number | string; stdout: string } {
  const rss = path.join(tmp, 'rss');
  const t0 = performance.now();
  let stdout = '', status: number | string = 0;
  try {
    stdout = execFileSync('/usr/bin/time', ['-o', rss, '-f', '%M %x', process.execPath, BIN, ...args], {
      encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'inherit'],
    });
  } catch (e) {
    const err = e as { status?: number; signal?: string; stdout?: string };
    status = err.signal ?? err.status ?? 'failed';
    stdout = err.stdout ?? '';
  }
  const seconds = (performance.now() - t0) / 1000;
  const line = fs.existsSync(rss) ? fs.readFileSync(rss, 'utf8').trim().split('\n').pop()! : 'NaN';
  return { seconds, peakRssMiB: Number(line.split(' ')[0]) / 1024, status, stdout };
}

const cases: CaseResult[] = [];
const loadBefore = os.loadavg();
try {
  const file = path.join(tmp, `rmat${scale}.txt`);
  let t0 = performance.now();
  const { source, target } = rmat({ scale, edgeFactor, seed: 1 });
  const fd = fs.openSync(file, 'w');
  for (let i = 0; i < source.length; i += 1 << 16) {
    let s = '';
    for (let j = i; j < Math.min(source.length, i + (1 << 16)); j++) s += `${source[j]}\t${target[j]}\n`;
    fs.writeSync(fd, s);
  }
  fs.closeSync(fd);
  const rows = source.length;
  cases.push({ name: 'write text edge list (bench, not the product)', seconds: (performance.now() - t0) / 1000, rows, bytes: fs.statSync(file).size });
  log(`wrote ${rows} rows in ${(cases[0]!['seconds'] as number).toFixed(1)} s`);
  const data = path.join(tmp, 'data'), name = `rmat${scale}`;
  const ingest = stage(['ingest', file, '--name', name, '--data', data, '--quiet']);
  cases.push({ name: 'supernode ingest', seconds: ingest.seconds, peakRssMiB: ingest.peakRssMiB, status: ingest.status });
  log(`ingest ${ingest.seconds.toFixed(1)} s, peak ${ingest.peakRssMiB.toFixed(0)} MiB, status ${ingest.status}`);
  t0 = performance.now();
  const sn = stage(['supernodes', '--dataset', name, '--data', data, '--json', '--quiet']);
  let measures: Record<string, number> = {};
  try {
    const d = JSON.parse(sn.stdout)['diagnostics'] as Record<string, unknown>;
    measures = Object.fromEntries(Object.entries(d).flatMap(([k, v]) => (
      v !== null && typeof v === 'object' && typeof (v as Record<string, unknown>)['seconds'] === 'number' ? [[k, (v as Record<string, number>)['seconds']!]] : [])));
  } catch { /* failed run: no diagnostics */ }
  cases.push({ name: 'supernode supernodes --dataset (full analysis)', seconds: sn.seconds, peakRssMiB: sn.peakRssMiB, status: sn.status, measureSeconds: measures });
  log(`supernodes ${sn.seconds.toFixed(1)} s, peak ${sn.peakRssMiB.toFixed(0)} MiB, status ${sn.status}; ${JSON.stringify(measures)}`);
  cases.push({ name: 'total (ingest + analysis)', seconds: ingest.seconds + sn.seconds, peakRssMiB: Math.max(ingest.peakRssMiB, sn.peakRssMiB), target: { seconds: 300, peakRssGiB: 24 } });
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
log(`results: ${writeResults(`scale-${scale}`, cases, {
  scale, edgeFactor, loadavgBefore: loadBefore, loadavgAfter: os.loadavg(),
  note: 'shared 2-core machine: 7 other agents were running during this record',
})}`);
