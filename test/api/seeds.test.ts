import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { auth, READER, SMALL_CSV, testApp, waitJob, WRITER } from './helpers.js';

describe('seeds jobs (IMM in a worker thread)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await testApp());
    await app.inject({ method: 'POST', url: '/v1/datasets', headers: auth(WRITER), payload: { name: 's' } });
    await app.inject({ method: 'POST', url: '/v1/datasets/s/edges', headers: { ...auth(WRITER), 'content-type': 'text/csv' }, payload: SMALL_CSV });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('POST /seeds -> 202 job whose snapshot holds k seeds with their spread; same seed, same seeds', async () => {
    const run = async () => {
      const r = await app.inject({ method: 'POST', url: '/v1/datasets/s/seeds', headers: auth(WRITER), payload: { k: 2, model: 'wc', seed: 3 } });
      expect(r.statusCode, r.body).toBe(202);
      const job = await waitJob(app, r.json().jobId);
      expect(job['state'], JSON.stringify(job)).toBe('succeeded');
      const s = await app.inject({ url: `/v1/datasets/s/seeds/${job['snapshot']}`, headers: auth(READER) });
      expect(s.statusCode, s.body).toBe(200);
      return s.json();
    };
    const a = await run();
    expect(a.seeds).toHaveLength(2);
    expect(a.seeds[0]).toMatchObject({ order: 1, id: expect.any(String) });
    expect(a.spread.mean).toBeGreaterThanOrEqual(2);
    const b = await run();
    expect(b.seeds).toEqual(a.seeds);
    // Seeds snapshots never replace the rankings snapshot.
    expect((await app.inject({ url: '/v1/datasets/s/supernodes', headers: auth(READER) })).statusCode).toBe(404);
  });

  it('validates the model and budget', async () => {
    expect((await app.inject({ method: 'POST', url: '/v1/datasets/s/seeds', headers: auth(WRITER), payload: { k: 0, model: 'wc' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/v1/datasets/s/seeds', headers: auth(WRITER), payload: { k: 2, model: 'ic' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/v1/datasets/s/seeds', headers: auth(READER), payload: { k: 2, model: 'wc' } })).statusCode).toBe(403);
  });
});
