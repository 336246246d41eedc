/**
 * Soak: the real server (api/main.ts in a child process, the code `supernode start` runs) under
 * SOAK_SECONDS (default 600) of mixed traffic on loopback, then the figures that tell a leak or a
 * crash: 5xx count (target 0), latency p50/p99 per kind of request, the server's RSS and open file
 * descriptors sampled every SAMPLE_MS from /proc (targets: RSS growth < 10% after warm-up, FDs flat).
 *
 *   SOAK_SECONDS=600 npx tsx bench/soak.bench.ts     ->  bench/results/soak.json
 *
 * Traffic, every loop bounded by the deadline and an iteration cap, seeded (mulberry32):
 * - POLLERS loops reading ranking pages (plain, gzip, If-None-Match), communities, member profiles,
 *   job status and /health, 10 ms apart;
 * - one uploader: creates a scratch dataset, uploads two slices of CollegeMsg (CSV, one gzipped),
 *   deletes it, so the data on disk stays bounded while every upload path runs;
 * - one job loop: an analysis of the fixed `college` dataset, followed to its end over SSE or by
 *   polling (alternately), and every third one cancelled 0-300 ms after it started;
 * - a wrong key every 10 s (below the failed-authentication budget, so the throttle never trips).
 * The per-key rate limit is raised (`--rate-limit`), since the point is the server's own health
 * under sustained load, not the 429 path (test/api covers that).
 *
 * Warm-up: the first WARMUP_FRACTION of the run (JIT, caches, first snapshots) is not compared;
 * RSS and FDs are the medians of the samples in the WINDOW_S seconds after warm-up and the last
 * WINDOW_S seconds.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { BENCH_DIR, log, writeResults } from './harness.js';

const SECONDS = Number(process.env['SOAK_SECONDS'] ?? 600);
const SAMPLE_MS = 5000;
const WARMUP_FRACTION = 0.2;
const WINDOW_S = Math.min(60, SECONDS * 0.15);
const POLLERS = 4;
const SEED = 20261204;

const ROOT = path.resolve(BENCH_DIR, '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-soak-'));

/** mulberry32: a small seeded generator, so two runs send the same traffic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'api/main.ts'), '--data', dataDir, '--port', '0', '--threads', '1', '--quiet', '--rate-limit', '100000000'], {
  cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
});
const info = await new Promise<{ url: string; adminKey: string }>((resolve, reject) => {
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
    const line = out.split('\n').find((l) => l.includes('"adminKeyFile"'));
    if (line) resolve(JSON.parse(line) as { url: string; adminKey: string });
  });
  child.on('exit', (c) => reject(new Error(`server exited ${c}`)));
});
let serverExit: number | null | undefined;
child.on('exit', (c) => { serverExit = c; });
const H = { authorization: `Bearer ${info.adminKey}` };

/** Every response, by kind: latency, status; network errors counted apart. */
const lat = new Map<string, number[]>();
const statuses = new Map<number, number>();
const codes5xx: string[] = [];
let networkErrors = 0;
interface Answer { status: number; headers: Headers; text: string }
/** Latency is to the whole body, except for event streams (to the headers: the body lasts a job). */
async function call(kind: string, p: string, init: RequestInit = {}): Promise<Answer | null> {
  const t0 = performance.now();
  try {
    const r = await fetch(`${info.url}${p}`, { ...init, headers: { ...H, ...(init.headers ?? {}) } });
    const body = r.text();
    if (kind !== 'events') await body;
    const ms = performance.now() - t0;
    (lat.get(kind) ?? lat.set(kind, []).get(kind)!).push(ms);
    statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    if (r.status >= 500) codes5xx.push(`${kind} ${p} ${r.status}`);
    return { status: r.status, headers: r.headers, text: await body };
  } catch {
    networkErrors++;
    return null;
  }
}
const json = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

/** RSS (VmRSS) and open file descriptors of the server process. */
function sample(): { t: number; rssMiB: number; fds: number } {
  const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return { t: Math.round((performance.now() - started) / 100) / 10, rssMiB: Math.round(rssKiB / 102.4) / 10, fds: fs.readdirSync(`/proc/${child.pid}/fd`).length };
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor(s.length / 2)]!;
};
const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))]! * 100) / 100;
};

const text = gunzipSync(fs.readFileSync(path.join(ROOT, 'datasets/CollegeMsg/CollegeMsg.txt.gz'))).toString('utf8').trim().split('\n');
const rows = text.map((l) => l.trim().split(/\s+/).join(','));
const csvOf = (from: number, n: number) => `source,target,timestamp\n${rows.slice(from, from + n).join('\n')}\n`;

let started = performance.now();
const samples: ReturnType<typeof sample>[] = [];
const counts = { polls: 0, uploads: 0, uploadsRejected: 0, datasetsDeleted: 0, jobs: 0, jobsSucceeded: 0, jobsCancelled: 0, jobsFailed: 0, sseStreams: 0, badKeys: 0 };
try {
  const setup = await call('setup', '/v1/datasets', json({ name: 'college' }));
  if (setup?.status !== 201) throw new Error(`create failed: ${setup?.status}`);
  const up = await call('setup', '/v1/datasets/college/edges', { method: 'POST', body: csvOf(0, rows.length), headers: { 'content-type': 'text/csv' } });
  if (up?.status !== 201) throw new Error(`upload failed: ${up?.status}`);
  const first = (await (await fetch(`${info.url}/v1/datasets/college/jobs`, { ...json({}), headers: { ...H, 'content-type': 'application/json' } })).json()) as { jobId: string };
  for (let i = 0; i < 600; i++) {
    const j = (await (await fetch(`${info.url}/v1/jobs/${first.jobId}`, { headers: H })).json()) as { state: string };
    if (j.state === 'succeeded') break;
    if (j.state === 'failed' || j.state === 'cancelled') throw new Error(`first job ${j.state}`);
    await sleep(100);
  }
  const members = ((await (await fetch(`${info.url}/v1/datasets/college/supernodes?limit=200`, { headers: H })).json()) as { items: { id: string }[] }).items.map((m) => m.id);

  started = performance.now();
  const deadline = started + SECONDS * 1000;
  const live = () => performance.now() < deadline && serverExit === undefined;
  samples.push(sample());
  const sampler = setInterval(() => samples.push(sample()), SAMPLE_MS);
  let lastJob = first.jobId;

  const poller = async (k: number) => {
    const r = rng(SEED + k);
    const etags = new Map<string, string>();
    for (let i = 0; i < 10_000_000 && live(); i++) {
      const x = r();
      const gzip = r() < 0.5;
      const p = x < 0.4 ? `/v1/datasets/college/supernodes?limit=${[10, 50, 100][Math.floor(r() * 3)]}&offset=${Math.floor(r() * 20) * 10}`
        : x < 0.55 ? '/v1/datasets/college/communities?limit=20'
          : x < 0.75 ? `/v1/datasets/college/members/${encodeURIComponent(members[Math.floor(r() * members.length)]!)}`
            : x < 0.9 ? `/v1/jobs/${lastJob}` : '/health';
      const key = `${gzip}|${p}`;
      const headers: Record<string, string> = { ...(gzip && { 'accept-encoding': 'gzip' }), ...(etags.has(key) && r() < 0.7 && { 'if-none-match': etags.get(key)! }) };
      const res = await call(p.startsWith('/health') ? 'health' : p.includes('/jobs/') ? 'job-status' : 'ranking', p, { headers });
      const etag = res?.headers.get('etag');
      if (etag) etags.set(key, etag);
      counts.polls++;
      await sleep(10);
    }
  };

  const uploader = async () => {
    const r = rng(SEED + 100);
    for (let i = 0; i < 1_000_000 && live(); i++) {
      const name = `scratch-${i}`;
      await call('datasets', '/v1/datasets', json({ name }));
      for (let k = 0; k < 2 && live(); k++) {
        const from = Math.floor(r() * (rows.length - 2000));
        const body = csvOf(from, 500 + Math.floor(r() * 1500));
        const res = await call('upload', `/v1/datasets/${name}/edges`, {
          method: 'POST', body: k === 0 ? body : gzipSync(body), headers: { 'content-type': 'text/csv', ...(k === 1 && { 'content-encoding': 'gzip' }) },
        });
        if (res?.status === 201) counts.uploads++;
        else counts.uploadsRejected++;
      }
      const del = await call('datasets', `/v1/datasets/${name}`, { method: 'DELETE' });
      if (del?.status === 204) counts.datasetsDeleted++;
      await sleep(500 + Math.floor(r() * 1000));
    }
  };

  const jobber = async () => {
    const r = rng(SEED + 200);
    for (let i = 0; i < 1_000_000 && live(); i++) {
      const res = await call('job-start', '/v1/datasets/college/jobs', json({ seed: i }));
      if (res?.status !== 202) {
        await sleep(1000);
        continue;
      }
      const { jobId } = JSON.parse(res.text) as { jobId: string };
      counts.jobs++;
      lastJob = jobId;
      if (i % 3 === 2) {
        await sleep(Math.floor(r() * 300));
        await call('job-cancel', `/v1/jobs/${jobId}`, { method: 'DELETE' });
      }
      let state = '';
      if (i % 2 === 0) {
        // Follow it over SSE to the end (the stream closes with the job).
        const sse = await call('events', `/v1/jobs/${jobId}/events`);
        if (sse?.status === 200) {
          counts.sseStreams++;
          state = /"state":"(\w+)"[^\n]*$/.exec(sse.text.trim())?.[1] ?? '';
        }
      }
      for (let k = 0; k < 6000 && !['succeeded', 'failed', 'cancelled'].includes(state) && serverExit === undefined; k++) {
        const s = await call('job-status', `/v1/jobs/${jobId}`);
        state = s?.status === 200 ? (JSON.parse(s.text) as { state: string }).state : '';
        if (!['succeeded', 'failed', 'cancelled'].includes(state)) await sleep(100);
      }
      if (state === 'succeeded') counts.jobsSucceeded++;
      else if (state === 'cancelled') counts.jobsCancelled++;
      else counts.jobsFailed++;
      await sleep(Math.floor(r() * 1000));
    }
  };

  const badKeys = async () => {
    for (let i = 0; i < 100_000 && live(); i++) {
      await sleep(10_000);
      await call('bad-key', '/v1/datasets', { headers: { authorization: `Bearer wrong-${i}` } });
      counts.badKeys++;
    }
  };

  await Promise.all([...Array.from({ length: POLLERS }, (_, k) => poller(k)), uploader(), jobber(), badKeys()]);
  clearInterval(sampler);
  samples.push(sample());

  const warm = SECONDS * WARMUP_FRACTION;
  const after = samples.filter((s) => s.t >= warm && s.t < warm + WINDOW_S);
  const last = samples.filter((s) => s.t >= SECONDS - WINDOW_S);
  const rssStart = median(after.map((s) => s.rssMiB)), rssEnd = median(last.map((s) => s.rssMiB));
  const fdStart = median(after.map((s) => s.fds)), fdEnd = median(last.map((s) => s.fds));
  const fiveXx = [...statuses].filter(([s]) => s >= 500).reduce((a, [, c]) => a + c, 0);
  const all = [...lat.values()].flat();
  const result = {
    name: 'mixed traffic', seconds: SECONDS, warmupSeconds: warm, windowSeconds: WINDOW_S, pollers: POLLERS, serverExited: serverExit ?? null,
    requests: all.length, requestsPerSecond: Math.round(all.length / SECONDS), networkErrors, fiveXx, fiveXxSamples: codes5xx.slice(0, 20),
    statuses: Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])),
    latencyMs: Object.fromEntries([...lat].map(([k, xs]) => [k, { n: xs.length, p50: pct(xs, 0.5), p99: pct(xs, 0.99), max: pct(xs, 1) }])),
    /** The polled reads (rankings, job status, health): what a dashboard waits on. */
    p99ms: pct([...(lat.get('ranking') ?? []), ...(lat.get('job-status') ?? []), ...(lat.get('health') ?? [])], 0.99),
    counts,
    rss: { startMiB: rssStart, endMiB: rssEnd, growth: Math.round((rssEnd / rssStart - 1) * 1000) / 1000, peakMiB: Math.max(...samples.map((s) => s.rssMiB)) },
    fds: { start: fdStart, end: fdEnd, min: Math.min(...samples.map((s) => s.fds)), max: Math.max(...samples.map((s) => s.fds)) },
    targets: { zero5xx: fiveXx === 0 && networkErrors === 0 && serverExit === undefined, rssGrowthUnder10pct: rssEnd / rssStart - 1 < 0.1, fdsFlat: fdEnd <= fdStart + 5 },
    samples,
  };
  const note = process.env['SOAK_NOTE'] ?? (SECONDS < 600 ? `shortened run (${SECONDS} s instead of 600) on a machine shared with other work; see machine.loadavg` : '');
  const file = writeResults('soak', [result], { note, flags: ['--threads', '1', '--rate-limit', '100000000'] });
  log(`soak ${SECONDS} s: ${all.length} requests (${result.requestsPerSecond}/s), 5xx ${fiveXx}, network errors ${networkErrors}, p99 ${result.p99ms} ms; RSS ${rssStart} -> ${rssEnd} MiB (${(result.rss.growth * 100).toFixed(1)}%), FDs ${fdStart} -> ${fdEnd}; jobs ${counts.jobs} (${counts.jobsSucceeded} ok, ${counts.jobsCancelled} cancelled, ${counts.jobsFailed} other), uploads ${counts.uploads}`);
  log(`wrote ${file}`);
} finally {
  child.kill('SIGTERM');
  await new Promise((res) => (serverExit !== undefined ? res(null) : child.once('exit', res)));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
