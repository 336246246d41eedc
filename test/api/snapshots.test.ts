/**
 * Snapshots a dashboard can reason about: the listing (id, created, job request, seed, window,
 * dataset version, latest), `?snapshot=N` on the ranking and graph routes, `publish: "none"` for a
 * one-off that must not replace what the rankings serve, ETags on the dataset and job descriptors
 * (a poll is 304 until there is news), and the CLI's options in job requests.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, READER, SMALL_CSV, testApp, waitJob, WRITER } from './helpers.js';

describe('snapshots and job options', () => {
  let app: FastifyInstance;
  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers: { ...auth(READER), ...headers } });
  const job = async (payload: Record<string, unknown>) => {
    const r = await app.inject({ method: 'POST', url: '/v1/datasets/snap/jobs', headers: auth(WRITER), payload });
    expect(r.statusCode, r.body).toBe(202);
    const j = await waitJob(app, r.json().jobId);
    expect(j['state'], JSON.stringify(j)).toBe('succeeded');
    return j as { id: string; snapshot: number };
  };

  beforeAll(async () => {
    ({ app } = await testApp());
    await app.inject({ method: 'POST', url: '/v1/datasets', headers: auth(WRITER), payload: { name: 'snap' } });
    await app.inject({ method: 'POST', url: '/v1/datasets/snap/edges', headers: { ...auth(WRITER), 'content-type': 'text/csv' }, payload: SMALL_CSV });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('publishes a job as latest unless it asks for publish "none"; the dataset ETag polls for that', async () => {
    const first = await job({ seed: 7 });
    const d1 = await get('/v1/datasets/snap');
    const etag = d1.headers['etag'] as string;
    expect(d1.json().snapshot).toBe(first.snapshot);
    expect((await get('/v1/datasets/snap', { 'if-none-match': etag })).statusCode).toBe(304);

    // A one-off 10-minute look: a snapshot of its own, not what the rankings serve.
    const oneOff = await job({ window: '10m', publish: 'none' });
    expect(oneOff.snapshot).toBe(first.snapshot + 1);
    expect((await get('/v1/datasets/snap', { 'if-none-match': etag })).statusCode).toBe(304);
    expect((await get('/v1/datasets/snap/supernodes')).headers['x-snapshot']).toBe(String(first.snapshot));
    const pinned = await get(`/v1/datasets/snap/supernodes?snapshot=${oneOff.snapshot}`);
    expect(pinned.headers['x-snapshot']).toBe(String(oneOff.snapshot));
    // The window (the last 600 s up to the latest row, 1700000800) left out c->a at 1700000200.
    const inDegree = async (q: string) => (await get(`/v1/datasets/snap/members/a${q}`)).json().member.measures['in-degree'];
    expect(await inDegree('')).toBe(3);
    expect(await inDegree(`?snapshot=${oneOff.snapshot}`)).toBe(2);

    // The CLI's options: undirected, resolution, from/to; published, so now the dataset moved on.
    const third = await job({ undirected: true, resolution: 2, from: '1700000100', to: '1700000800' });
    const d3 = await get('/v1/datasets/snap', { 'if-none-match': etag });
    expect(d3.statusCode).toBe(200);
    expect(d3.json().snapshot).toBe(third.snapshot);
    expect(d3.headers['etag']).not.toBe(etag);
    const top = (await get('/v1/datasets/snap/supernodes?limit=100')).json().items as { id: string; measures: Record<string, number> }[];
    // Undirected view: in- and out-degree agree.
    for (const m of top) expect(m.measures['in-degree'], m.id).toBe(m.measures['out-degree']);
    // to is exclusive: __proto__'s only row (1700000800) is out, so it has no tie in this snapshot.
    expect(top.find((m) => m.id === '__proto__')!.measures['in-degree']).toBe(0);
    expect(top.find((m) => m.id === '__proto__')!.measures['out-degree']).toBe(0);
  }, 60_000);

  it('lists the snapshots newest first with their request, seed, window, dataset version and latest mark', async () => {
    const r = await get('/v1/datasets/snap/snapshots');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.items.map((i: { id: number }) => i.id)).toEqual([3, 2, 1]);
    expect(body.latest).toBe(3);
    expect(body.items[0]).toMatchObject({ id: 3, kind: 'analysis', readable: true, latest: true, publish: 'latest', datasetVersion: 0, request: { undirected: true, resolution: 2 } });
    expect(body.items[1]).toMatchObject({ id: 2, latest: false, publish: 'none', window: '10m', seed: 42 });
    expect(body.items[2]).toMatchObject({ id: 1, latest: false, seed: 7, window: null });
    expect(Date.parse(body.items[0].created)).toBeGreaterThan(0);
    expect((await get('/v1/datasets/snap/snapshots', { 'if-none-match': r.headers['etag'] as string })).statusCode).toBe(304);
    expect((await get('/v1/datasets/nope/snapshots')).json().code).toBe('DATASET_NOT_FOUND');
  });

  it('pins every ranking and graph route with ?snapshot=N', async () => {
    const routes = ['supernodes', 'communities', 'communities/flow', 'brokers', 'roles', 'rising', 'members/a', 'members/a/ego', 'communities/graph'];
    for (const route of routes) {
      for (const n of [1, 2]) {
        const r = await get(`/v1/datasets/snap/${route}?snapshot=${n}`);
        expect(r.statusCode, `${route} ${r.body}`).toBe(200);
        expect(r.headers['x-snapshot'], route).toBe(String(n));
      }
    }
    expect((await get('/v1/datasets/snap/supernodes?snapshot=99')).json().code).toBe('SNAPSHOT_NOT_FOUND');
  });

  it('tags the job descriptor: a finished job polls as 304', async () => {
    const jobs = (await get('/v1/datasets/snap/jobs')).json().items as { id: string }[];
    const r = await get(`/v1/jobs/${jobs[0]!.id}`);
    expect((await get(`/v1/jobs/${jobs[0]!.id}`, { 'if-none-match': r.headers['etag'] as string })).statusCode).toBe(304);
  });

  it('validates the new job options when the job is requested', async () => {
    const post = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/v1/datasets/snap/jobs', headers: auth(WRITER), payload });
    const tw = await post({ typeWeights: { reply: 2 } });
    expect(tw.statusCode).toBe(400);
    expect(tw.json().message).toMatch(/typeWeights needs interaction types/);
    expect((await post({ resolution: 0 })).statusCode).toBe(400);
    expect((await post({ publish: 'sometimes' })).statusCode).toBe(400);
    expect((await post({ from: '1700000800', to: '1700000100' })).statusCode).toBe(400);
  });
});
