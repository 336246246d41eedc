/**
 * The polling path dashboards hit: cached pages as bytes with an ETag per encoding (gzip when
 * accepted), 304 on a match, Vary on every answer; and jobs that run off the event loop at a
 * lower CPU priority than it.
 */
import fs from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsGzip } from '../../api/routes/rankings.js';
import { auth, READER, testApp, waitJob, WRITER } from './helpers.js';

/** 120 members in 6 loose rings: a 50-item page is several KiB, so it has a gzip form. */
function ringsCsv(): string {
  const rows = ['source,target,weight,timestamp'];
  for (let i = 0; i < 120; i++) {
    const ring = Math.floor(i / 20), next = ring * 20 + ((i + 1) % 20);
    rows.push(`m${i},m${next},${1 + (i % 3)},${1700000000 + i * 3600}`);
    if (i % 7 === 0) rows.push(`m${i},m${(i + 37) % 120},1,${1700000000 + i * 3600 + 60}`);
  }
  return rows.join('\n');
}

describe('polling a cached ranking page', () => {
  let app: FastifyInstance;
  const url = '/v1/datasets/rings/supernodes?limit=50';

  beforeAll(async () => {
    ({ app } = await testApp());
    await app.inject({ method: 'POST', url: '/v1/datasets', headers: auth(WRITER), payload: { name: 'rings' } });
    const up = await app.inject({ method: 'POST', url: '/v1/datasets/rings/edges', headers: { ...auth(WRITER), 'content-type': 'text/csv' }, payload: ringsCsv() });
    expect(up.statusCode).toBe(201);
    const job = await app.inject({ method: 'POST', url: '/v1/datasets/rings/jobs', headers: auth(WRITER), payload: {} });
    expect((await waitJob(app, job.json().jobId))['state']).toBe('succeeded');
  });
  afterAll(async () => app.close());

  it('parses Accept-Encoding: gzip unless refused with q=0', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, GZIP;q=0.5')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('gzip; q=0.000')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip('')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });

  it('sends the same page gzipped to clients that accept it, with its own strong ETag', async () => {
    const plain = await app.inject({ url, headers: auth(READER) });
    const zipped = await app.inject({ url, headers: { ...auth(READER), 'accept-encoding': 'gzip, deflate, br' } });
    expect(plain.statusCode).toBe(200);
    expect(zipped.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    for (const r of [plain, zipped]) {
      expect(r.headers['vary']).toContain('accept-encoding');
      expect(r.headers['content-type']).toContain('application/json');
      expect(r.headers['x-snapshot']).toBe('1');
      expect(r.headers.etag).toMatch(/^"[^"]+"$/);
    }
    expect(zipped.headers.etag).not.toBe(plain.headers.etag);
    expect(Number(zipped.headers['content-length'])).toBeLessThan(Number(plain.headers['content-length']));
    const body = gunzipSync(zipped.rawPayload).toString('utf8');
    expect(body).toBe(plain.body);
    expect(JSON.parse(body).items).toHaveLength(50);
  });

  it('answers 304 for the ETag of the encoding the client gets, and 200 otherwise', async () => {
    const gz = { ...auth(READER), 'accept-encoding': 'gzip' };
    const plain = await app.inject({ url, headers: auth(READER) });
    const zipped = await app.inject({ url, headers: gz });
    const again = await app.inject({ url, headers: { ...gz, 'if-none-match': zipped.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(zipped.headers.etag);
    expect(again.headers['vary']).toContain('accept-encoding');
    const plainAgain = await app.inject({ url, headers: { ...auth(READER), 'if-none-match': plain.headers.etag as string } });
    expect(plainAgain.statusCode).toBe(304);
    // A validator of the other encoding does not match: the client gets the bytes it can use.
    const crossed = await app.inject({ url, headers: { ...gz, 'if-none-match': plain.headers.etag as string } });
    expect(crossed.statusCode).toBe(200);
    expect(crossed.headers['content-encoding']).toBe('gzip');
  });

  it('keeps small pages and CSV correct: no gzip below the threshold, CSV gzipped when large', async () => {
    const small = await app.inject({ url: '/v1/datasets/rings/communities/flow?limit=1', headers: { ...auth(READER), 'accept-encoding': 'gzip' } });
    expect(small.statusCode).toBe(200);
    expect(small.body.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json().items).toHaveLength(1);
    const csv = await app.inject({ url: `${url}&format=csv`, headers: { ...auth(READER), 'accept-encoding': 'gzip' } });
    expect(csv.headers['content-type']).toContain('text/csv');
    const text = csv.headers['content-encoding'] === 'gzip' ? gunzipSync(csv.rawPayload).toString('utf8') : csv.body;
    expect(text.trim().split('\n')).toHaveLength(51);
  });

  it('serves reads while a job runs and the new snapshot once it is published', async () => {
    const before = await app.inject({ url, headers: auth(READER) });
    const start = await app.inject({ method: 'POST', url: '/v1/datasets/rings/jobs', headers: auth(WRITER), payload: { measures: ['betweenness', 'closeness'] } });
    const jobId = start.json().jobId as string;
    const during = await app.inject({ url, headers: { ...auth(READER), 'if-none-match': before.headers.etag as string } });
    expect([200, 304]).toContain(during.statusCode);
    const done = await waitJob(app, jobId);
    expect(done['state']).toBe('succeeded');
    const after = await app.inject({ url, headers: { ...auth(READER), 'if-none-match': before.headers.etag as string } });
    expect(after.statusCode).toBe(200);
    expect(after.json().snapshot).toBe(done['snapshot']);
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });

  it.runIf(process.platform === 'linux')('runs job threads at a lower CPU priority than the event loop', async () => {
    const nice = (tid: string) => {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    let niceModule = true;
    try {
      await import('@napi-rs/nice' as string);
    } catch {
      niceModule = false;
    }
    const threads = fs.readdirSync('/proc/self/task');
    // This file runs in a forked process: its main thread is the event loop answering requests.
    expect(nice(String(process.pid))).toBe(0);
    if (niceModule) {
      // The kernel thread (piscina niceIncrement) and the kept analysis thread.
      expect(threads.filter((t) => nice(t) === 19).length).toBeGreaterThanOrEqual(2);
    }
  });
});
