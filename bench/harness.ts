/**
 * Benchmark plumbing shared by bench/*.bench.ts: the machine record, named cases, JSON results in
 * bench/results/<bench>.json. Speed is reported as ratios against a baseline run in the same script
 * (never as absolute times in tests).
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

export function machine(): Record<string, unknown> {
  let commit: string | null = null;
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: BENCH_DIR, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch { /* not a checkout */ }
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version, v8: process.versions.v8, loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100), platform: `${os.platform()} ${os.release()}`, commit, date: new Date().toISOString(),
  };
}

export interface CaseResult {
  readonly name: string;
  readonly [key: string]: unknown;
}

export function writeResults(bench: string, cases: CaseResult[], extra: Record<string, unknown> = {}): string {
  const dir = path.join(BENCH_DIR, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${bench}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ bench, machine: machine(), ...extra, cases }, null, 2)}\n`);
  return file;
}

export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
