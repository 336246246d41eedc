/**
 * SIGTERM against the real server (child process) with a slow upload still sending its body and a
 * job writing its snapshot (slowed by an injected delay before each write): the upload is answered
 * 503 SHUTTING_DOWN and stores nothing, the job is recorded as failed JOB_INTERRUPTED on disk and
 * publishes nothing, and the process exits by itself well inside its grace (api/server.ts
 * SHUTDOWN_GRACE_MS); the restarted server serves what was committed, with nothing left over.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, edgesCsv, exited, KEY, leftovers, start, stop, tempDir, until } from './server.js';

/** A POST that sends its first rows and then waits: resolves with the answer the server gives. */
function slowUpload(url: string, dataset: string): { answer: Promise<{ status: number; body: string }>; sent: Promise<void> } {
  const u = new URL(`${url}/v1/datasets/${dataset}/edges`);
  let sent!: () => void;
  const sentP = new Promise<void>((r) => { sent = r; });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({
      host: u.hostname, port: u.port, path: u.pathname, method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'text/csv', 'transfer-encoding': 'chunked' },
    }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.write(edgesCsv(50, 3).slice(0, 400), () => sent());
    // ...and never finishes the body (the server must answer regardless).
  });
  return { answer, sent: sentP };
}

describe('SIGTERM with work in flight (real server)', () => {
  it('answers the slow upload 503, records the running job interrupted, exits inside its grace', async () => {
    const dataDir = tempDir();
    const armFile = path.join(tempDir('sn-fault-arm-'), 'arm');
    const s = await start(dataDir, { faults: { delayMs: 1500, armFile } });
    const c = api(s);
    await c.createDataset('d');
    await c.createDataset('u');
    expect((await c.upload('d', edgesCsv(300))).status).toBe(201);
    expect((await c.upload('u', edgesCsv(100, 2))).status).toBe(201);

    fs.writeFileSync(armFile, 'snapshots');
    const job = await c.job('d');
    expect(job.status).toBe(202);
    const jobId = job.json['jobId'] as string;
    await until(() => fs.existsSync(path.join(dataDir, 'd', 'snapshots')) && fs.readdirSync(path.join(dataDir, 'd', 'snapshots')).some((n) => n.startsWith('.tmp-')), 20_000, 'the job writing its snapshot');
    const upload = slowUpload(s.url, 'u');
    await upload.sent;
    await new Promise((r) => setTimeout(r, 300)); // the server is now reading the body

    const t0 = Date.now();
    s.child.kill('SIGTERM');
    const answer = await upload.answer;
    const exit = await exited(s.child);
    const seconds = (Date.now() - t0) / 1000;
    expect(answer.status, answer.body).toBe(503);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'SHUTTING_DOWN' });
    expect(exit).toEqual({ code: 0, signal: null });
    // Bounded by the 1.5 s write in progress plus closing, far inside the 10 s grace (was: killed at 10 s).
    expect(seconds).toBeLessThan(6);
    const record = JSON.parse(fs.readFileSync(path.join(dataDir, '.jobs', `${jobId}.json`), 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({ state: 'failed', error: { code: 'JOB_INTERRUPTED' } });

    const s2 = await start(dataDir);
    try {
      const c2 = api(s2);
      expect(leftovers(dataDir)).toEqual([]);
      expect((await c2.get('/v1/datasets/u')).json).toMatchObject({ latest: 0, edges: 101 });
      expect((await c2.get(`/v1/jobs/${jobId}`)).json).toMatchObject({ state: 'failed', error: { code: 'JOB_INTERRUPTED' } });
      expect(fs.readdirSync(path.join(dataDir, 'd', 'snapshots'))).toEqual([]);
      const again = await c2.job('d');
      expect(await c2.waitJob(again.json['jobId'] as string)).toMatchObject({ state: 'succeeded', snapshot: 1 });
    } finally {
      await stop(s2);
    }
  });
});
