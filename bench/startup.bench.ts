/**
 * Start-up cost of the installed bin (issue 15): `supernode --help` against bare `node -e 0`
 * (wall seconds, best of 10, and peak RSS from /usr/bin/time), and the 1M-row end-to-end PageRank
 * through `node bin/supernode.js compute pagerank FILE --json` against graphology +
 * graphology-metrics (bench/e2e-child.ts graphology mode), each in its own process.
 * Needs `npm run build` (dist/). Run: npx tsx bench/startup.bench.ts
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rmat } from '../datasets/generators.js';
import { BENCH_DIR, type CaseResult, log, writeResults } from './harness.js';

const ROOT = path.join(BENCH_DIR, '..');
const BIN = path.join(ROOT, 'bin', 'supernode.js');

/** Wall seconds and peak RSS (MiB), best of `runs`, each run a fresh process. */
function run(args: string[], runs: number): { seconds: number; rssMiB: number } {
  let seconds = Infinity, rssMiB = Infinity;
  for (let i = 0; i < runs; i++) {
    const tmp = path.join(os.tmpdir(), `sn-startup-${process.pid}.txt`);
    const t0 = performance.now();
    execFileSync('/usr/bin/time', ['-o', tmp, '-f', '%M', ...args], { stdio: 'ignore', maxBuffer: 1 << 26 });
    seconds = Math.min(seconds, (performance.now() - t0) / 1000);
    rssMiB = Math.min(rssMiB, Number(fs.readFileSync(tmp, 'utf8').trim().split('\n').pop()) / 1024);
    fs.rmSync(tmp, { force: true });
  }
  return { seconds, rssMiB };
}

const cases: CaseResult[] = [];
const node = run([process.execPath, '-e', '0'], 10);
const help = run([process.execPath, BIN, '--help'], 10);
cases.push({ name: 'supernode --help vs node -e 0', node, help, ratio: help.seconds / node.seconds, target: 2.5 });
log(`--help ${help.seconds.toFixed(3)} s ${help.rssMiB.toFixed(0)} MiB; node -e 0 ${node.seconds.toFixed(3)} s ${node.rssMiB.toFixed(0)} MiB; x${(help.seconds / node.seconds).toFixed(2)}`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-startup-'));
try {
  const file = path.join(tmp, 'rmat16.txt');
  const { source, target } = rmat({ scale: 16, edgeFactor: 16, seed: 1 });
  const lines: string[] = [];
  for (let i = 0; i < source.length; i++) lines.push(`${source[i]}\t${target[i]}`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const ours = run([process.execPath, BIN, 'compute', 'pagerank', file, '--json', '--quiet'], 3);
  const child = path.join(ROOT, 'dist', 'bench', 'e2e-child.js');
  const theirs = run([process.execPath, '--max-old-space-size=16000', child, 'graphology', file], 3);
  cases.push({
    name: 'pagerank e2e, rmat(2^16, 16), 1M rows: installed bin vs graphology+graphology-metrics', rows: source.length,
    supernode: ours, graphology: theirs, speedup: theirs.seconds / ours.seconds, rssRatio: theirs.rssMiB / ours.rssMiB,
    targets: { speedup: 20, rssRatio: 5 },
  });
  log(`1M-row PageRank e2e: bin ${ours.seconds.toFixed(2)} s ${ours.rssMiB.toFixed(0)} MiB; graphology ${theirs.seconds.toFixed(2)} s ${theirs.rssMiB.toFixed(0)} MiB; x${(theirs.seconds / ours.seconds).toFixed(1)} faster, x${(theirs.rssMiB / ours.rssMiB).toFixed(1)} less RSS`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
log(`results: ${writeResults('startup', cases, { note: 'shared 2-core machine, other agents running; best of 10 (--help) and 3 (e2e) fresh processes' })}`);
