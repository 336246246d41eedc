/**
 * Uploads a pipeline can retry (api/idempotency.ts, mode=replace in engine/store): three uploads of
 * one file under one Idempotency-Key store one version and the counts of one upload; another body
 * under the key is 409 IDEMPOTENCY_CONFLICT; the key survives a restart; another API key's same key
 * is its own; mode=replace makes a version holding only its file, earlier versions intact.
 */
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetStore } from '../../engine/store/index.js';
import { ADMIN, auth, READER, SMALL_CSV, testApp, WRITER } from './helpers.js';

describe('retry-safe uploads', () => {
  let app: FastifyInstance;
  let dataDir: string;

  beforeAll(async () => {
    ({ app, dataDir } = await testApp());
    for (const name of ['idem', 'repl']) {
      expect((await app.inject({ method: 'POST', url: '/v1/datasets', headers: auth(WRITER), payload: { name } })).statusCode).toBe(201);
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  const upload = (ds: string, body: string | Buffer, headers: Record<string, string> = {}, query = '', key = WRITER) => app.inject({
    method: 'POST', url: `/v1/datasets/${ds}/edges${query}`, headers: { ...auth(key), 'content-type': 'text/csv', ...headers }, payload: body,
  });
  const describeDs = async (ds: string) => (await app.inject({ url: `/v1/datasets/${ds}`, headers: auth(READER) })).json();

  it('stores one version for three uploads of one body under one key, and replays the first answer', async () => {
    const first = await upload('idem', SMALL_CSV, { 'idempotency-key': 'batch-2026-12-04' });
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    for (let i = 0; i < 2; i++) {
      const again = await upload('idem', SMALL_CSV, { 'idempotency-key': 'batch-2026-12-04' });
      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());
    }
    const d = await describeDs('idem');
    expect(d.versions).toHaveLength(1);
    expect(d.edges).toBe(SMALL_CSV.split('\n').length - 1);
    // Without a key each upload is a new version (the behaviour a key exists to prevent).
    await upload('idem', SMALL_CSV);
    expect((await describeDs('idem')).edges).toBe(2 * (SMALL_CSV.split('\n').length - 1));
  });

  it('answers 409 IDEMPOTENCY_CONFLICT for the key with another body, query or encoding, and stores nothing', async () => {
    const before = (await describeDs('idem')).versions.length;
    const other = await upload('idem', `${SMALL_CSV}\nx,y,1,1700000900`, { 'idempotency-key': 'batch-2026-12-04' });
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('IDEMPOTENCY_CONFLICT');
    expect((await upload('idem', SMALL_CSV, { 'idempotency-key': 'batch-2026-12-04' }, '?skipBad=true')).statusCode).toBe(409);
    expect((await upload('idem', gzipSync(SMALL_CSV), { 'idempotency-key': 'batch-2026-12-04', 'content-encoding': 'gzip' })).statusCode).toBe(409);
    expect((await describeDs('idem')).versions.length).toBe(before);
    // Another API key's identical key is a different key.
    const admin = await upload('idem', `${SMALL_CSV}\nx,y,1,1700000900`, { 'idempotency-key': 'batch-2026-12-04' }, '', ADMIN);
    expect(admin.statusCode).toBe(201);
    expect(admin.headers['idempotent-replayed']).toBeUndefined();
    // A malformed key is refused before anything is read.
    expect((await upload('idem', SMALL_CSV, { 'idempotency-key': 'x'.repeat(256) })).statusCode).toBe(400);
  });

  it('does not remember a rejected upload: the fixed file goes in under the same key', async () => {
    const bad = await upload('idem', 'source,target,weight\na,b,-1', { 'idempotency-key': 'fix-me' });
    expect(bad.statusCode).toBe(400);
    const good = await upload('idem', 'source,target,weight\na,b,1', { 'idempotency-key': 'fix-me' });
    expect(good.statusCode).toBe(201);
    expect(good.headers['idempotent-replayed']).toBeUndefined();
  });

  it('recognises a key after a restart (the keys are on disk with the dataset)', async () => {
    const versions = (await describeDs('idem')).versions.length;
    await app.close();
    ({ app } = await testApp({ dataDir }));
    const again = await upload('idem', SMALL_CSV, { 'idempotency-key': 'batch-2026-12-04' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await describeDs('idem')).versions.length).toBe(versions);
  });

  it('mode=replace stores a version holding only its file; earlier versions stay readable', async () => {
    await upload('repl', SMALL_CSV);
    await upload('repl', 'source,target\nq,r\nr,s');
    expect((await describeDs('repl')).edges).toBe(SMALL_CSV.split('\n').length - 1 + 2);
    const r = await upload('repl', 'source,target\nm,n\nn,o\no,m', {}, '?mode=replace');
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ version: 2, edges: 3, nodes: 3, mode: 'replace' });
    const d = await describeDs('repl');
    expect(d).toMatchObject({ edges: 3, nodes: 3 });
    expect(d.versions[2]).toMatchObject({ rows: 3, nodes: 3, base: 2 });
    // An append after a replace builds on the replacement only.
    const more = await upload('repl', 'source,target\nm,z');
    expect(more.json()).toMatchObject({ version: 3, nodes: 4 });
    expect((await describeDs('repl')).edges).toBe(4);
    const store = new DatasetStore(dataDir);
    expect((await store.load('repl', 1)).columns.source.length).toBe(SMALL_CSV.split('\n').length - 1 + 2);
    expect((await store.load('repl', 3)).members.ids().sort()).toEqual(['m', 'n', 'o', 'z']);
    // The analysis of the latest version sees only those members.
    const job = await app.inject({ method: 'POST', url: '/v1/datasets/repl/jobs', headers: auth(WRITER), payload: {} });
    const { waitJob } = await import('./helpers.js');
    expect((await waitJob(app, job.json().jobId))['state']).toBe('succeeded');
    const top = (await app.inject({ url: '/v1/datasets/repl/supernodes?limit=100', headers: auth(READER) })).json();
    expect(top.items.map((m: { id: string }) => m.id).sort()).toEqual(['m', 'n', 'o', 'z']);
    expect((await upload('repl', SMALL_CSV, {}, '?mode=sideways')).statusCode).toBe(400);
  });
});
