/**
 * End to end against a real server on 127.0.0.1 in a child process (api/main.ts): upload real
 * datasets, run a job and follow its SSE progress, read rankings and get 304 on repeat, cancel a job,
 * restart and read the same snapshot, and kill -9 the server mid-upload (previous version intact).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Server { child: ChildProcess; url: string; adminKey: string | null }

async function startChild(dataDir: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'api/main.ts'), '--data', dataDir, '--port', '0', '--threads', '2', '--quiet'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.includes('"adminKeyFile"'));
      if (line) {
        clearTimeout(timer);
        const info = JSON.parse(line) as { url: string; adminKey: string | null };
        resolve({ child, url: info.url, adminKey: info.adminKey });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

function collegeCsv(): string {
  const text = gunzipSync(fs.readFileSync(path.join(ROOT, 'datasets/CollegeMsg/CollegeMsg.txt.gz'))).toString('utf8');
  const rows = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.trim().split(/\s+/).join(','));
  return `source,target,timestamp\n${rows.join('\n')}\n`;
}

describe('API end to end (real server)', () => {
  const dataDir = tempDir('sn-e2e-');
  let server: Server;
  let key: string;
  const H = () => ({ authorization: `Bearer ${key}` });
  const api = (p: string, init: RequestInit = {}) => fetch(`${server.url}${p}`, { ...init, headers: { ...H(), ...(init.headers ?? {}) } });
  const json = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  beforeAll(async () => {
    server = await startChild(dataDir);
    key = server.adminKey!;
  });
  afterAll(async () => {
    if (server?.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
  });

  let jobId = '';
  let etag = '';
  let snapshot = 0;

  it('prints a fresh admin key and refuses requests without it', async () => {
    expect(key).toMatch(/^sn_/);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${server.url}/v1/datasets`)).status).toBe(401);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('uploads CollegeMsg as gzip CSV and email-Eu-core as gzip text', async () => {
    expect((await api('/v1/datasets', json({ name: 'college', directed: true }))).status).toBe(201);
    const up = await api('/v1/datasets/college/edges', {
      method: 'POST', body: gzipSync(collegeCsv()), headers: { 'content-type': 'text/csv', 'content-encoding': 'gzip' },
    });
    expect(up.status).toBe(201);
    expect(await up.json()).toMatchObject({ edges: 59835 });
    expect((await api('/v1/datasets', json({ name: 'email' }))).status).toBe(201);
    const up2 = await api('/v1/datasets/email/edges?columns=source,target', {
      method: 'POST', body: fs.readFileSync(path.join(ROOT, 'datasets/email-Eu-core/email-Eu-core.txt.gz')), headers: { 'content-type': 'text/plain' },
    });
    expect(up2.status).toBe(201);
    expect(await up2.json()).toMatchObject({ edges: 25571, nodes: 1005 });
  });

  it('starts a job and follows its progress over SSE to success', async () => {
    const r = await api('/v1/datasets/college/jobs', json({ measures: ['betweenness-approx', 'kcore'], seed: 1 }));
    expect(r.status).toBe(202);
    jobId = ((await r.json()) as { jobId: string }).jobId;
    const sse = await api(`/v1/jobs/${jobId}/events`);
    expect(sse.headers.get('content-type')).toContain('text/event-stream');
    const text = await sse.text(); // the stream ends with the job
    const events = text.split('\n\n').filter((e) => e.includes('data: ')).map((e) => ({
      type: /event: (\w+)/.exec(e)![1], data: JSON.parse(e.split('\n').find((l) => l.startsWith('data: '))!.slice(6)),
    }));
    expect(events.length).toBeGreaterThanOrEqual(2);
    const last = events.at(-1)!;
    expect(last.data.state).toBe('succeeded');
    const fractions = events.map((e) => e.data.progress as number);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    snapshot = last.data.snapshot;
    expect(snapshot).toBe(1);
  });

  it('serves rankings with a strong ETag and 304 on repeat', async () => {
    const r = await api('/v1/datasets/college/supernodes?limit=10');
    expect(r.status).toBe(200);
    etag = r.headers.get('etag')!;
    const body = (await r.json()) as { snapshot: number; total: number; items: { id: string; rank: number }[] };
    expect(body.snapshot).toBe(snapshot);
    expect(body.total).toBe(1899);
    expect(body.items.map((i) => i.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const again = await api('/v1/datasets/college/supernodes?limit=10', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('x-snapshot')).toBe(String(snapshot));
    const member = await api(`/v1/datasets/college/members/${body.items[0]!.id}`);
    const profile = (await member.json()) as { member: { rank: number }; trajectory: { measure: string; windows: { from: string; to: string; rank: number; interactions: number }[] } | null };
    expect(profile.member.rank).toBe(1);
    // The top super-node's PageRank rank per 30-day window, oldest first.
    expect(profile.trajectory!.measure).toBe('pagerank');
    expect(profile.trajectory!.windows.length).toBeGreaterThan(2);
    expect(Date.parse(profile.trajectory!.windows[0]!.to)).toBeLessThan(Date.parse(profile.trajectory!.windows.at(-1)!.to));
    for (const w of profile.trajectory!.windows) expect(w.rank).toBeGreaterThanOrEqual(1);
  });

  it('cancels a running job', async () => {
    const r = await api('/v1/datasets/email/jobs', json({ measures: ['betweenness', 'closeness', 'harmonic', 'betweenness-approx'] }));
    const id = ((await r.json()) as { jobId: string }).jobId;
    for (let i = 0; i < 100; i++) {
      const s = (await (await api(`/v1/jobs/${id}`)).json()) as { state: string };
      if (s.state !== 'queued') break;
      await new Promise((res) => setTimeout(res, 20));
    }
    expect((await api(`/v1/jobs/${id}`, { method: 'DELETE' })).status).toBe(202);
    let state = '';
    for (let i = 0; i < 200 && !['cancelled', 'succeeded', 'failed'].includes(state); i++) {
      state = ((await (await api(`/v1/jobs/${id}`)).json()) as { state: string }).state;
      await new Promise((res) => setTimeout(res, 25));
    }
    expect(state).toBe('cancelled');
    expect((await api('/v1/datasets/email/supernodes')).status).toBe(404);
  });

  it('restarts gracefully and serves the same snapshot (same ETag -> 304)', async () => {
    server.child.kill('SIGTERM');
    expect(await exited(server.child)).toBe(0);
    server = await startChild(dataDir);
    expect(server.adminKey).toBeNull();
    const again = await api('/v1/datasets/college/supernodes?limit=10', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const r = await api('/v1/datasets/college/supernodes?limit=10');
    expect(r.headers.get('etag')).toBe(etag);
    expect(((await r.json()) as { snapshot: number }).snapshot).toBe(snapshot);
    const job = (await (await api(`/v1/jobs/${jobId}`)).json()) as { state: string; snapshot: number };
    expect(job).toMatchObject({ state: 'succeeded', snapshot });
  });

  it('kill -9 during an upload leaves the previous version intact and no partial one', async () => {
    const before = (await (await api('/v1/datasets/college')).json()) as { latest: number; edges: number; versions: unknown[] };
    const body = Buffer.from(collegeCsv().repeat(4));
    const req = http.request(`${server.url}/v1/datasets/college/edges`, {
      method: 'POST', headers: { ...H(), 'content-type': 'text/csv', 'content-length': String(body.length) },
    });
    req.on('error', () => { /* the server dies under us */ });
    req.write(body.subarray(0, body.length / 2));
    await new Promise((res) => setTimeout(res, 400));
    server.child.kill('SIGKILL');
    await exited(server.child);
    req.destroy();
    server = await startChild(dataDir);
    const after = (await (await api('/v1/datasets/college')).json()) as { latest: number; edges: number; versions: unknown[] };
    expect(after.latest).toBe(before.latest);
    expect(after.edges).toBe(before.edges);
    expect(after.versions).toHaveLength(before.versions.length);
    // And the dataset still loads and analyses.
    const r = await api('/v1/datasets/college/jobs', json({}));
    const id = ((await r.json()) as { jobId: string }).jobId;
    let job: { state: string; snapshot?: number } = { state: '' };
    for (let i = 0; i < 400 && !['succeeded', 'failed', 'cancelled'].includes(job.state); i++) {
      job = (await (await api(`/v1/jobs/${id}`)).json()) as typeof job;
      await new Promise((res) => setTimeout(res, 25));
    }
    expect(job.state).toBe('succeeded');
    expect(job.snapshot).toBe(snapshot + 1);
  });
});
