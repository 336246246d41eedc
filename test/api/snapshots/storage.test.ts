/**
 * Snapshot storage on a real data directory: a snapshot that cannot be read (torn JSON, a
 * truncated Arrow file) is skipped and reported, and the newest readable one is served; the server
 * starts over such a directory (issue 13 item 2: start-up exited STORE_CORRUPT), and a later job
 * takes a fresh id instead of reusing the damaged one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../../api/server.js';
import { SnapshotStore } from '../../../api/snapshots/index.js';
import { ADMIN, auth, SMALL_CSV, testApp, waitJob, WRITER } from '../helpers.js';

async function twoSnapshots(): Promise<{ dataDir: string; etag1: string }> {
  const { app, dataDir } = await testApp();
  await app.inject({ method: 'POST', url: '/v1/datasets', headers: auth(WRITER), payload: { name: 's' } });
  await app.inject({ method: 'POST', url: '/v1/datasets/s/edges', headers: { ...auth(WRITER), 'content-type': 'text/csv' }, payload: SMALL_CSV });
  let etag1 = '';
  for (let k = 1; k <= 2; k++) {
    const job = await app.inject({ method: 'POST', url: '/v1/datasets/s/jobs', headers: auth(WRITER), payload: {} });
    expect(await waitJob(app, job.json().jobId)).toMatchObject({ state: 'succeeded', snapshot: k });
    if (k === 1) etag1 = (await app.inject({ url: '/v1/datasets/s/supernodes', headers: auth(ADMIN) })).headers.etag as string;
  }
  await app.close();
  return { dataDir, etag1 };
}

describe('unreadable snapshots', () => {
  it('torn JSON or a truncated Arrow file: skipped, reported once, the previous snapshot served', async () => {
    for (const damage of ['snapshot.json', 'members.arrow']) {
      const { dataDir, etag1 } = await twoSnapshots();
      const file = path.join(dataDir, 's', 'snapshots', '2', damage);
      fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
      const skipped: string[] = [];
      const store = new SnapshotStore(dataDir, { onSkip: (d, id, err) => skipped.push(`${d}/${id} ${err.code}`) });
      expect(store.latestOrNull('s')?.meta.id).toBe(1);
      expect(store.latestOrNull('s')?.meta.id).toBe(1);
      expect(skipped).toEqual(['s/2 STORE_CORRUPT']);
      // Asked for by number, the damaged one is a coded error, not a crash.
      expect(() => store.get('s', 2)).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));

      const { app } = await testApp({ dataDir });
      try {
        const r = await app.inject({ url: '/v1/datasets/s/supernodes', headers: auth(ADMIN) });
        expect(r.statusCode).toBe(200);
        expect(r.headers.etag).toBe(etag1);
        const job = await app.inject({ method: 'POST', url: '/v1/datasets/s/jobs', headers: auth(WRITER), payload: {} });
        expect(await waitJob(app, job.json().jobId)).toMatchObject({ state: 'succeeded', snapshot: 3 });
      } finally {
        await app.close();
      }
    }
  });

  it('the server starts over a damaged latest snapshot of its bundled dataset and serves the previous one', async () => {
    const { dataDir, etag1 } = await twoSnapshots();
    fs.writeFileSync(path.join(dataDir, 's', 'snapshots', '2', 'snapshot.json'), '{"meta":{"id":2,');
    const csv = path.join(dataDir, 'bundled.csv');
    fs.writeFileSync(csv, SMALL_CSV);
    const server = await startServer({
      dataDir, port: 0, handleSignals: false, logger: false, threads: 1, underPressure: false,
      keys: [{ key: ADMIN, scope: 'admin' }], bundled: { name: 's', file: csv },
    });
    try {
      expect(server.bundledJob).toBeNull(); // it has a readable analysis: nothing to redo
      const r = await fetch(`${server.url}/v1/datasets/s/supernodes`, { headers: { ...auth(ADMIN), 'accept-encoding': 'identity' } });
      expect(r.status).toBe(200);
      expect(r.headers.get('etag')).toBe(etag1);
    } finally {
      await server.close();
    }
  });
});
