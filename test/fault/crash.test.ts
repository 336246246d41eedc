/**
 * kill -9 against the real server (child process, real store on disk): while an upload's version is
 * being written, while a job's snapshot is being written, and a worker thread dying under a job.
 * The window for the kill is a delay injected before the matching file's write (test/fault/
 * faulty-fs.ts), so the kill lands while the temporary exists. After each: the committed versions
 * and snapshot are served as before, nothing partial is visible or left on disk, and the server
 * restarts and accepts the same work again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, edgesCsv, kill9, leftovers, type Server, start, stop, tempDir, until } from './server.js';

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

const hasTemp = (dir: string) => fs.existsSync(dir) && fs.readdirSync(dir).some((n) => n.startsWith('.tmp-'));

describe('kill -9 (real server, real store)', () => {
  it('during an upload\'s write and during a snapshot\'s write: committed data served, no leftovers, same work succeeds after restart', async () => {
    const dataDir = tempDir();
    // Faults armed by writing a path pattern into armFile: a 10 s pause before each matching write.
    const armFile = path.join(tempDir('sn-fault-arm-'), 'arm');
    const faults = { delayMs: 10_000, armFile };
    let s = await boot(dataDir, { faults });
    let c = api(s);
    expect((await c.createDataset('d')).status).toBe(201);
    expect((await c.upload('d', edgesCsv(300))).status).toBe(201);
    const job = await c.job('d');
    expect(job.status).toBe(202);
    expect(await c.waitJob(job.json['jobId'] as string)).toMatchObject({ state: 'succeeded', snapshot: 1 });
    const page = await c.get('/v1/datasets/d/supernodes?limit=5');
    expect(page.status, page.text).toBe(200);

    // 1. An upload killed while its edges chunk is being written (the manifest is not yet renamed).
    fs.writeFileSync(armFile, 'edges-');
    const pending = c.upload('d', edgesCsv(200, 7, 100)).catch((e: unknown) => e);
    await until(() => hasTemp(path.join(dataDir, 'd')), 10_000, 'the upload\'s temporary file');
    await kill9(s);
    expect(await pending).toBeInstanceOf(Error); // the client got no answer, so it knows nothing was confirmed
    expect(leftovers(dataDir).length).toBeGreaterThan(0);

    // 2. A job killed while its snapshot directory is being written.
    fs.writeFileSync(armFile, 'snapshots');
    s = await boot(dataDir, { faults });
    c = api(s);
    // The crashed writer's temporaries are gone at start (its pid is dead), not a minute later.
    expect(leftovers(dataDir)).toEqual([]);
    expect((await c.get('/v1/datasets/d')).json).toMatchObject({ latest: 0, edges: 301 });
    const j2 = await c.job('d');
    expect(j2.status).toBe(202);
    await until(() => hasTemp(path.join(dataDir, 'd', 'snapshots')), 15_000, 'the snapshot\'s temporary directory');
    await kill9(s);

    s = await boot(dataDir);
    c = api(s);
    expect(leftovers(dataDir)).toEqual([]);
    expect(fs.readdirSync(path.join(dataDir, 'd', 'snapshots'))).toEqual(['1']);
    // The last committed snapshot, byte for byte (same strong ETag), and the interrupted job says so.
    const again = await c.get('/v1/datasets/d/supernodes?limit=5');
    expect(again.status, again.text).toBe(200);
    expect(again.etag).toBe(page.etag);
    expect((await c.get(`/v1/jobs/${j2.json['jobId'] as string}`)).json).toMatchObject({ state: 'failed', error: { code: 'JOB_INTERRUPTED' } });
    // And the same work goes through now.
    expect((await c.upload('d', edgesCsv(200, 7, 100))).json).toMatchObject({ version: 1 });
    const j3 = await c.job('d');
    expect(await c.waitJob(j3.json['jobId'] as string)).toMatchObject({ state: 'succeeded', snapshot: 2 });
  });

  it('a worker thread dying under a job fails that job with a code; the server stays up and runs the next', async () => {
    const dataDir = tempDir();
    const s = await boot(dataDir, { args: ['--job-heap-mb', '48'] });
    const c = api(s);
    await c.createDataset('w');
    await c.upload('w', edgesCsv(200));
    const bad = await c.job('w', { failForTest: 'analysis-heap' });
    expect(bad.status).toBe(202);
    const failed = await c.waitJob(bad.json['jobId'] as string);
    expect(failed).toMatchObject({ state: 'failed' });
    expect((failed['error'] as { code: string }).code).toMatch(/^(JOB_FAILED|WORKER_FAILED)$/);
    expect((await fetch(`${s.url}/health`)).status).toBe(200);
    const good = await c.job('w');
    expect(await c.waitJob(good.json['jobId'] as string)).toMatchObject({ state: 'succeeded', snapshot: 1 });
  });
});
