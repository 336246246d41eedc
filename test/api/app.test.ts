import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.js';
import { ADMIN, auth, READER, SMALL_CSV, tempDir, testApp, waitJob, WRITER } from './helpers.js';

describe('API (inject)', () => {
  let app: FastifyInstance;
  let dataDir: string;

  beforeAll(async () => {
    ({ app, dataDir } = await testApp({ limits: { uploadLimit: 64 * 1024, bodyLimit: 4096, maxQueuedJobs: 2 } }));
  });
  afterAll(async () => {
    await app?.close();
  });

  const csv = (body: string | Buffer, key = WRITER, extra: Record<string, string> = {}, ds = 'small') => app.inject({
    method: 'POST', url: `/v1/datasets/${ds}/edges`, headers: { ...auth(key), 'content-type': 'text/csv', ...extra }, payload: body,
  });

  it('health and readiness are public; everything else needs a key (401) of the right scope (403)', async () => {
    expect((await app.inject('/health')).statusCode).toBe(200);
    expect((await app.inject('/ready')).json()).toMatchObject({ ready: true });
    const none = await app.inject('/v1/datasets');
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('UNAUTHORIZED');
    const wrong = await app.inject({ url: '/v1/datasets', headers: auth('nope') });
    expect(wrong.statusCode).toBe(401);
    const readerWrites = await app.inject({ method: 'POST', url: '/v1/datasets', headers: auth(READER), payload: { name: 'x' } });
    expect(readerWrites.statusCode).toBe(403);
    expect(readerWrites.json().code).toBe('FORBIDDEN');
    const writerAdmin = await app.inject({ method: 'POST', url: '/v1/keys', headers: auth(WRITER), payload: { scope: 'read', name: 'r' } });
    expect(writerAdmin.statusCode).toBe(403);
    expect((await app.inject({ url: '/v1/nothing', headers: auth(READER) })).statusCode).toBe(404);
  });

  it('creates, lists and validates datasets; names cannot traverse paths', async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/datasets', headers: auth(WRITER), payload: { name: 'small', directed: true } });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ id: 'small', directed: true, latest: null, snapshot: null });
    const dup = await app.inject({ method: 'POST', url: '/v1/datasets', headers: auth(WRITER), payload: { name: 'small' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('DATASET_EXISTS');
    for (const bad of ['..', '.hidden', 'a/b', '../../etc', 'x'.repeat(65)]) {
      const b = await app.inject({ method: 'POST', url: '/v1/datasets', headers: auth(WRITER), payload: { name: bad } });
      expect(b.statusCode, bad).toBe(400);
    }
    for (const bad of ['..', '..%2F..%2Fetc', '.git', '%2e%2e']) {
      const b = await app.inject({ url: `/v1/datasets/${bad}`, headers: auth(READER) });
      expect([400, 404], bad).toContain(b.statusCode);
      if (b.statusCode === 400) expect(b.json().code).toBe('DATASET_BAD_NAME');
    }
    expect(fs.existsSync(path.join(dataDir, '..', 'etc'))).toBe(false);
    const list = (await app.inject({ url: '/v1/datasets', headers: auth(READER) })).json();
    expect(list.items.map((d: { id: string }) => d.id)).toContain('small');
    expect((await app.inject({ url: '/v1/datasets/missing', headers: auth(READER) })).statusCode).toBe(404);
  });

  it('strict upload: a bad row rejects the whole file with its line, nothing stored', async () => {
    const bad = await csv('source,target,weight\na,b,1\nb,c,heavy\nc,d,1\n');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'INPUT_BAD_WEIGHT', line: 3 });
    expect(bad.json().message).toMatch(/:3:\d+: /);
    const d = (await app.inject({ url: '/v1/datasets/small', headers: auth(READER) })).json();
    expect(d.latest).toBeNull();
    expect(d.versions).toHaveLength(0);
  });

  it('uploads gzip CSV, appends a new version, describes nodes/edges/time span', async () => {
    const r1 = await csv(gzipSync(SMALL_CSV), WRITER, { 'content-encoding': 'gzip' });
    expect(r1.statusCode, r1.body).toBe(201);
    expect(r1.json()).toMatchObject({ dataset: 'small', edges: 9 });
    const r2 = await app.inject({
      method: 'POST', url: '/v1/datasets/small/edges', headers: { ...auth(WRITER), 'content-type': 'application/x-ndjson' },
      payload: '{"source":"g","target":"h","weight":1,"timestamp":1700000900}\n',
    });
    expect(r2.statusCode, r2.body).toBe(201);
    expect(r2.json().version).toBe(r1.json().version + 1);
    const d = (await app.inject({ url: '/v1/datasets/small', headers: auth(READER) })).json();
    expect(d.versions).toHaveLength(2);
    expect(d.nodes).toBe(9);
    expect(d.edges).toBe(10);
    expect(d.timeSpan).not.toBeNull();
  });

  it('rejects unsupported media (415), oversize uploads and JSON bodies (413)', async () => {
    const m = await app.inject({ method: 'POST', url: '/v1/datasets/small/edges', headers: { ...auth(WRITER), 'content-type': 'image/png' }, payload: 'x' });
    expect(m.statusCode).toBe(415);
    const big = await csv(`source,target\n${'a,b\n'.repeat(20_000)}`);
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('PAYLOAD_TOO_LARGE');
    const json = await app.inject({ method: 'POST', url: '/v1/datasets', headers: auth(WRITER), payload: { name: 'x'.repeat(64), pad: 'y'.repeat(8000) } });
    expect(json.statusCode).toBe(413);
    expect(json.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  let snapshot = 0;
  it('runs a job (202), publishes a snapshot, serves rankings with ETag/304 and CSV', async () => {
    const start = await app.inject({ method: 'POST', url: '/v1/datasets/small/jobs', headers: auth(WRITER), payload: { measures: ['kcore'], seed: 7 } });
    expect(start.statusCode, start.body).toBe(202);
    const job = await waitJob(app, start.json().jobId);
    expect(job).toMatchObject({ state: 'succeeded', progress: 1 });
    snapshot = job['snapshot'] as number;
    expect(snapshot).toBeGreaterThan(0);

    const page = await app.inject({ url: '/v1/datasets/small/supernodes?limit=3', headers: auth(READER) });
    expect(page.statusCode).toBe(200);
    const body = page.json();
    expect(body).toMatchObject({ snapshot, total: 9, limit: 3, offset: 0 });
    expect(body.items).toHaveLength(3);
    expect(body.items[0]).toMatchObject({ rank: 1 });
    expect(body.items[0].explanation.sentence).toBeTypeOf('string');
    expect(page.headers['x-snapshot']).toBe(String(snapshot));
    expect(page.headers['cache-control']).toContain('no-cache');
    const etag = page.headers.etag as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await app.inject({ url: '/v1/datasets/small/supernodes?limit=3', headers: { ...auth(READER), 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const next = await app.inject({ url: '/v1/datasets/small/supernodes?limit=3&offset=3', headers: auth(READER) });
    expect(next.json().items[0].rank).toBe(4);
    expect(next.headers.etag).not.toBe(etag);

    const byK = (await app.inject({ url: '/v1/datasets/small/supernodes?sort=kcore&limit=20', headers: auth(READER) })).json();
    const ks = byK.items.map((i: { measures: Record<string, number> }) => i.measures['kcore']);
    expect(ks).toEqual([...ks].sort((a, b) => b - a));
    const badSort = await app.inject({ url: '/v1/datasets/small/supernodes?sort=constructor', headers: auth(READER) });
    expect(badSort.statusCode).toBe(400);

    const c = body.items[0].community as number;
    const inC = (await app.inject({ url: `/v1/datasets/small/supernodes?community=${c}&limit=100`, headers: auth(READER) })).json();
    expect(inC.items.every((i: { community: number }) => i.community === c)).toBe(true);

    const asCsv = await app.inject({ url: '/v1/datasets/small/supernodes?limit=2', headers: { ...auth(READER), accept: 'text/csv' } });
    expect(asCsv.headers['content-type']).toContain('text/csv');
    expect(asCsv.body.split('\n')[0]).toContain('id,rank,score');
    expect(asCsv.body.trim().split('\n')).toHaveLength(3);

    for (const route of ['communities', 'communities/flow', 'brokers', 'roles', 'rising']) {
      const r = await app.inject({ url: `/v1/datasets/small/${route}`, headers: auth(READER) });
      expect(r.statusCode, route).toBe(200);
      expect(r.json()).toMatchObject({ snapshot, total: expect.any(Number), items: expect.any(Array) });
    }
  });

  it('member profiles: ids are data (__proto__ is a member), unknown ids are 404', async () => {
    const p = await app.inject({ url: '/v1/datasets/small/members/__proto__', headers: auth(READER) });
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json().member).toMatchObject({ id: '__proto__' });
    expect(({} as Record<string, unknown>)['rank']).toBeUndefined();
    const a = (await app.inject({ url: '/v1/datasets/small/members/a', headers: auth(READER) })).json();
    expect(a.member.explanation.components.length).toBeGreaterThan(0);
    // 900 seconds of interactions (SMALL_CSV's 9 rows and the appended g->h): one 30-day window.
    expect(a.trajectory.windows).toHaveLength(1);
    expect(a.trajectory.windows[0].interactions).toBe(10);
    expect(a.snapshot).toBe(snapshot);
    for (const id of ['constructor', 'toString', 'hasOwnProperty', 'nobody']) {
      const r = await app.inject({ url: `/v1/datasets/small/members/${id}`, headers: auth(READER) });
      expect(r.statusCode, id).toBe(404);
      expect(r.json().code).toBe('UNKNOWN_MEMBER');
    }
  });

  it('a job whose worker throws fails with a coded error, and the pool serves the next job', async () => {
    const bad = await app.inject({ method: 'POST', url: '/v1/datasets/small/jobs', headers: auth(WRITER), payload: { failForTest: 'boom' } });
    const failed = await waitJob(app, bad.json().jobId);
    expect(failed['state']).toBe('failed');
    expect(failed['error']).toMatchObject({ code: 'WORKER_FAILED' });
    expect((failed['error'] as { message: string }).message).toContain('boom');
    const good = await app.inject({ method: 'POST', url: '/v1/datasets/small/jobs', headers: auth(WRITER), payload: {} });
    const ok = await waitJob(app, good.json().jobId);
    expect(ok['state']).toBe('succeeded');
    expect(ok['snapshot']).toBe(snapshot + 1);
    // The old snapshot stays readable when pinned; the latest moved on.
    const pinned = await app.inject({ url: `/v1/datasets/small/supernodes?snapshot=${snapshot}`, headers: auth(READER) });
    expect(pinned.json().snapshot).toBe(snapshot);
    const latest = await app.inject({ url: '/v1/datasets/small/supernodes', headers: auth(READER) });
    expect(latest.json().snapshot).toBe(snapshot + 1);
    snapshot += 1;
  });

  it('bounded queue: 429 with Retry-After when full; cancel queued and running jobs', async () => {
    const ids: string[] = [];
    let full: Awaited<ReturnType<typeof app.inject>> | null = null;
    for (let i = 0; i < 6; i++) {
      const r = await app.inject({ method: 'POST', url: '/v1/datasets/small/jobs', headers: auth(WRITER), payload: { measures: ['betweenness'] } });
      if (r.statusCode === 429) {
        full = r;
        break;
      }
      ids.push(r.json().jobId);
    }
    expect(full).not.toBeNull();
    expect(full!.json().code).toBe('QUEUE_FULL');
    expect(Number(full!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    for (const id of ids) {
      const r = await app.inject({ method: 'DELETE', url: `/v1/jobs/${id}`, headers: auth(WRITER) });
      expect(r.statusCode).toBe(202);
    }
    for (const id of ids) expect(['cancelled', 'succeeded']).toContain((await waitJob(app, id))['state']);
    expect((await waitJob(app, ids.at(-1)!))['state']).toBe('cancelled');
    const missing = await app.inject({ url: '/v1/jobs/00000000-0000-0000-0000-000000000000', headers: auth(READER) });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('JOB_NOT_FOUND');
  });

  it('streams job progress as Server-Sent Events', async () => {
    const start = await app.inject({ method: 'POST', url: '/v1/datasets/small/jobs', headers: auth(WRITER), payload: {} });
    const id = start.json().jobId as string;
    const sse = await app.inject({ url: `/v1/jobs/${id}/events`, headers: auth(READER) });
    expect(sse.headers['content-type']).toContain('text/event-stream');
    const events = sse.body.split('\n\n').filter((e) => e.startsWith('id:'));
    expect(events.length).toBeGreaterThanOrEqual(1);
    const last = JSON.parse(events.at(-1)!.split('\n').find((l) => l.startsWith('data: '))!.slice(6));
    expect(last.state).toBe('succeeded');
  });

  it('OpenAPI 3 lists every route; Swagger UI and metrics are served', async () => {
    const spec = (await app.inject('/openapi.json')).json();
    expect(spec.openapi).toMatch(/^3\./);
    for (const p of ['/v1/datasets', '/v1/datasets/{id}/edges', '/v1/datasets/{id}/jobs', '/v1/jobs/{jobId}', '/v1/jobs/{jobId}/events',
      '/v1/datasets/{id}/supernodes', '/v1/datasets/{id}/communities/{cid}/leaders', '/v1/datasets/{id}/members/{memberId}', '/v1/datasets/{id}/seeds']) {
      expect(Object.keys(spec.paths), p).toContain(p);
    }
    expect((await app.inject('/docs/')).statusCode).toBeLessThan(400);
    const m = await app.inject({ url: '/metrics', headers: auth(READER) });
    expect(m.body).toContain('supernode_http_requests_total');
    expect(m.body).toContain('supernode_jobs_total');
  });

  it('key management: admin creates a read key that can read but not write; revoked keys are 401', async () => {
    const k = await app.inject({ method: 'POST', url: '/v1/keys', headers: auth(ADMIN), payload: { scope: 'read', name: 'dash' } });
    expect(k.statusCode).toBe(201);
    const { key, id } = k.json();
    expect((await app.inject({ url: '/v1/datasets', headers: auth(key) })).statusCode).toBe(200);
    expect((await app.inject({ method: 'DELETE', url: '/v1/datasets/small', headers: auth(key) })).statusCode).toBe(403);
    const stored = fs.readFileSync(path.join(dataDir, '.api-keys.json'), 'utf8');
    expect(stored).not.toContain(key);
    expect(fs.statSync(path.join(dataDir, '.api-keys.json')).mode & 0o777).toBe(0o600);
    expect((await app.inject({ method: 'DELETE', url: `/v1/keys/${id}`, headers: auth(ADMIN) })).statusCode).toBe(204);
    expect((await app.inject({ url: '/v1/datasets', headers: auth(key) })).statusCode).toBe(401);
  });

  it('deletes a dataset with its snapshots', async () => {
    expect((await app.inject({ method: 'DELETE', url: '/v1/datasets/small', headers: auth(WRITER) })).statusCode).toBe(204);
    expect((await app.inject({ url: '/v1/datasets/small', headers: auth(READER) })).statusCode).toBe(404);
    expect((await app.inject({ url: '/v1/datasets/small/supernodes', headers: auth(READER) })).statusCode).toBe(404);
  });
});

describe('API security defaults', () => {
  it('first start generates an admin key, stores it 0600 and only its hash in the key file', async () => {
    const dataDir = tempDir();
    const app = await buildApp({ dataDir, threads: 1, underPressure: false });
    try {
      const key = app.supernode.adminKey!;
      expect(key).toMatch(/^sn_/);
      const file = path.join(dataDir, '.admin-key');
      expect(fs.readFileSync(file, 'utf8').trim()).toBe(key);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(path.join(dataDir, '.api-keys.json'), 'utf8')).not.toContain(key);
      expect((await app.inject({ url: '/v1/datasets', headers: auth(key) })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
    const again = await buildApp({ dataDir, threads: 1, underPressure: false });
    expect(again.supernode.adminKey).toBeNull();
    await again.close();
  });

  it('per-key rate limits answer 429 with Retry-After', async () => {
    const { app } = await testApp({ keys: [{ key: 'slow', scope: 'read', rateLimit: 3 }] });
    try {
      const codes: number[] = [];
      let last;
      for (let i = 0; i < 5; i++) {
        last = await app.inject({ url: '/v1/datasets', headers: auth('slow') });
        codes.push(last.statusCode);
      }
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      expect(last!.json().code).toBe('RATE_LIMITED');
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });

  it('sheds load with 503 + Retry-After when under pressure', async () => {
    const { app } = await testApp({ underPressure: { maxHeapUsedBytes: 1 } });
    try {
      let r;
      for (let i = 0; i < 40; i++) {
        r = await app.inject({ url: '/v1/datasets', headers: auth(READER) });
        if (r.statusCode === 503) break;
        await new Promise((res) => setTimeout(res, 50));
      }
      expect(r!.statusCode).toBe(503);
      expect(r!.json().code).toBe('OVERLOADED');
      expect(r!.headers['retry-after']).toBeDefined();
    } finally {
      await app.close();
    }
  });
});
