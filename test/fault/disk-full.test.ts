/**
 * A full disk under the real server (child process): injected ENOSPC and short writes through the
 * durable-write layer (test/fault/faulty-fs.ts, armed while the server runs), and a real tmpfs
 * filled to the last byte when the suite runs as root. Every write path answers a coded
 * STORAGE_FULL (507) and stores nothing of it: uploads, job submissions, job snapshots, keys, new
 * datasets; the server stays up, what was committed is served unchanged, nothing partial is left,
 * and it restarts on the still-full disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mountTmpfs } from './faulty-fs.js';
import { api, edgesCsv, leftovers, type Server, start, stop, tempDir } from './server.js';

let running: Server[] = [];
afterEach(async () => {
  for (const s of running) await stop(s);
  running = [];
});
async function boot(dataDir: string, opts: Parameters<typeof start>[1] = {}): Promise<Server> {
  const s = await start(dataDir, opts);
  running.push(s);
  return s;
}

const full = (r: { status: number; json: Record<string, unknown> }) => [r.status, r.json['code']];

describe('disk full (real server)', () => {
  it('injected ENOSPC: every write path is 507 STORAGE_FULL, nothing stored, nothing queued, the server serves', async () => {
    const dataDir = tempDir();
    const armFile = path.join(tempDir('sn-fault-arm-'), 'arm');
    const s = await boot(dataDir, { faults: { capacityBytes: 0, armFile } });
    const c = api(s);
    await c.createDataset('d');
    expect((await c.upload('d', edgesCsv(300))).status).toBe(201);
    const j1 = await c.job('d');
    expect(await c.waitJob(j1.json['jobId'] as string)).toMatchObject({ state: 'succeeded', snapshot: 1 });
    const page = await c.get('/v1/datasets/d/supernodes?limit=5');
    const jobsBefore = (await c.get('/v1/datasets/d/jobs')).json;
    const keysBefore = (await c.get('/v1/keys')).text;

    fs.writeFileSync(armFile, ''); // every durable write now meets a full disk
    const up = await c.upload('d', edgesCsv(200, 5, 50));
    expect(full(up)).toEqual([507, 'STORAGE_FULL']);
    expect(up.json['message']).toMatch(/no space left .*dataset "d"/);
    expect(full(await c.job('d'))).toEqual([507, 'STORAGE_FULL']);
    expect(full(await c.call('POST', '/v1/keys', { scope: 'read', name: 'x' }))).toEqual([507, 'STORAGE_FULL']);
    expect(full(await c.createDataset('e'))).toEqual([507, 'STORAGE_FULL']);
    // Nothing of any of them exists: no version, no queued job, no key, no dataset, no temporary.
    expect((await c.get('/v1/datasets/d')).json).toMatchObject({ latest: 0, edges: 301 });
    expect((await c.get('/v1/datasets/d/jobs')).json).toEqual(jobsBefore);
    expect((await c.get('/v1/keys')).text).toBe(keysBefore);
    expect((await c.get('/v1/datasets/e')).status).toBe(404);
    expect(leftovers(dataDir)).toEqual([]);

    // Only snapshots full: the job is accepted and fails STORAGE_FULL; the previous snapshot serves.
    fs.writeFileSync(armFile, 'snapshots');
    const j2 = await c.job('d');
    expect(j2.status).toBe(202);
    expect(await c.waitJob(j2.json['jobId'] as string)).toMatchObject({ state: 'failed', error: { code: 'STORAGE_FULL' } });
    expect((await fetch(`${s.url}/health`)).status).toBe(200);
    expect((await c.get('/v1/datasets/d/supernodes?limit=5')).etag).toBe(page.etag);
    expect(fs.readdirSync(path.join(dataDir, 'd', 'snapshots'))).toEqual(['1']);

    // Space again: the same work goes through.
    fs.rmSync(armFile);
    expect((await c.upload('d', edgesCsv(200, 5, 50))).json).toMatchObject({ version: 1 });
    const j3 = await c.job('d');
    expect(await c.waitJob(j3.json['jobId'] as string)).toMatchObject({ state: 'succeeded', snapshot: 2 });
    expect(leftovers(dataDir)).toEqual([]);
  });

  it('short writes everywhere (512 bytes per call): every file whole; a restart serves the same bytes', async () => {
    const dataDir = tempDir();
    let s = await boot(dataDir, { faults: { maxWriteBytes: 512 } });
    let c = api(s);
    await c.createDataset('d');
    expect((await c.upload('d', edgesCsv(2000))).status).toBe(201);
    const j = await c.job('d');
    expect(await c.waitJob(j.json['jobId'] as string)).toMatchObject({ state: 'succeeded', snapshot: 1 });
    const page = await c.get('/v1/datasets/d/supernodes?limit=50');
    await stop(s);
    s = await boot(dataDir);
    c = api(s);
    const again = await c.get('/v1/datasets/d/supernodes?limit=50');
    expect([again.status, again.etag, again.text]).toEqual([200, page.etag, page.text]);
    expect((await c.get(`/v1/jobs/${j.json['jobId'] as string}`)).json).toMatchObject({ state: 'succeeded' });
    // The dataset loads whole: a job on it reads every chunk.
    const j2 = await c.job('d');
    expect(await c.waitJob(j2.json['jobId'] as string)).toMatchObject({ state: 'succeeded', snapshot: 2 });
  });

  it('a real tmpfs filled by uploads: 507 at the edge, a job on the full disk fails STORAGE_FULL, restart on the full disk serves', async (t) => {
    const dataDir = tempDir();
    const m = await mountTmpfs(dataDir, 4 * 1024 * 1024);
    if (!m.ok) {
      t.skip(m.reason);
      return;
    }
    try {
      let s = await boot(dataDir);
      let c = api(s);
      await c.createDataset('d');
      expect((await c.upload('d', edgesCsv(300))).status).toBe(201);
      const j1 = await c.job('d');
      expect(await c.waitJob(j1.json['jobId'] as string)).toMatchObject({ state: 'succeeded', snapshot: 1 });
      const page = await c.get('/v1/datasets/d/supernodes?limit=5');
      // 1 MiB of ballast to give back at the end; upload until the disk says no (each upload
      // ~0.5 MB stored); then fill the last bytes.
      const ballast = path.join(dataDir, 'ballast');
      fs.writeFileSync(ballast, Buffer.alloc(1 << 20));
      let statuses: unknown[] = [];
      for (let i = 0; i < 20; i++) {
        const r = await c.upload('d', edgesCsv(30_000, 100 + i, 1000 * (i + 1)));
        statuses.push(r.json['code'] ?? r.status);
        if (r.status !== 201) break;
      }
      expect(statuses.at(-1)).toBe('STORAGE_FULL');
      statuses = [];
      const filler = path.join(dataDir, 'filler');
      try { fs.writeFileSync(filler, Buffer.alloc(8 * 1024 * 1024)); } catch (e) { expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC'); }
      const versions = (await c.get('/v1/datasets/d')).json['latest'];
      const j2 = await c.job('d');
      if (j2.status === 202) expect(await c.waitJob(j2.json['jobId'] as string)).toMatchObject({ state: 'failed', error: { code: 'STORAGE_FULL' } });
      else expect(full(j2)).toEqual([507, 'STORAGE_FULL']);
      expect((await fetch(`${s.url}/health`)).status).toBe(200);
      expect(leftovers(dataDir)).toEqual([]);
      await stop(s);

      // The disk is still full: the server starts (it used to exit STORE_CORRUPT) and serves.
      s = await boot(dataDir);
      c = api(s);
      expect((await c.get('/v1/datasets/d')).json['latest']).toBe(versions);
      expect((await c.get('/v1/datasets/d/supernodes?limit=5')).etag).toBe(page.etag);
      fs.rmSync(filler);
      fs.rmSync(ballast);
      const j3 = await c.job('d');
      expect(await c.waitJob(j3.json['jobId'] as string)).toMatchObject({ state: 'succeeded', snapshot: 2 });
      await stop(s);
    } finally {
      await m.unmount();
    }
  });
});
