/**
 * The page cache is bounded by bytes (api/snapshots/page-cache.ts): many distinct pages of a real
 * snapshot (fastify inject over a real analysis) never hold more than the bound, the least
 * recently used go first, a page bigger than the bound is served but not kept, and an evicted page
 * comes back byte for byte with the same ETag. Issue 13 item 5: 900 distinct 1000-member pages
 * (gzip) took a count-bounded cache from 143 MB to 1.15 GB RSS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_PAGE_CACHE_BYTES } from '../../../api/snapshots/index.js';
import { auth, READER, testApp, waitJob, WRITER } from '../helpers.js';

/** 600 members in 30 rings of 20 with one chord each: enough distinct pages of 20 to pass a small bound. */
function ringsCsv(): string {
  const rows = ['source,target'];
  for (let r = 0; r < 30; r++) {
    for (let i = 0; i < 20; i++) rows.push(`r${r}m${i},r${r}m${(i + 1) % 20}`);
    rows.push(`r${r}m0,r${(r + 1) % 30}m10`);
  }
  return rows.join('\n');
}

const BOUND = 64 * 1024;

describe('page cache bounded by bytes', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await testApp({ limits: { pageCacheBytes: BOUND } }));
    await app.inject({ method: 'POST', url: '/v1/datasets', headers: auth(WRITER), payload: { name: 'rings' } });
    await app.inject({ method: 'POST', url: '/v1/datasets/rings/edges', headers: { ...auth(WRITER), 'content-type': 'text/csv' }, payload: ringsCsv() });
    const job = await app.inject({ method: 'POST', url: '/v1/datasets/rings/jobs', headers: auth(WRITER), payload: { measures: ['pagerank', 'degree'] } });
    expect(await waitJob(app, job.json().jobId)).toMatchObject({ state: 'succeeded' });
  });
  afterAll(async () => { await app.close(); });

  const page = (offset: number, limit = 20) => app.inject({
    url: `/v1/datasets/rings/supernodes?limit=${limit}&offset=${offset}`, headers: { ...auth(READER), 'accept-encoding': 'gzip' },
  });

  it('defaults to 64 MiB, documented in docs/operations.md', () => {
    expect(DEFAULT_PAGE_CACHE_BYTES).toBe(64 * 1024 * 1024);
  });

  it('many distinct pages: the charged bytes stay within the bound, the oldest go first', async () => {
    const stats = () => app.supernode.ctx.snapshots.cacheStats;
    const first = await page(0);
    expect(first.statusCode).toBe(200);
    let bodies = 0;
    for (let offset = 1; offset <= 580; offset += 1) {
      const r = await page(offset);
      expect(r.statusCode).toBe(200);
      bodies += r.rawPayload.length;
      expect(stats().bytes).toBeLessThanOrEqual(BOUND);
    }
    // Far more was served than the bound holds, so pages were evicted...
    expect(bodies).toBeGreaterThan(4 * BOUND);
    expect(stats().pages).toBeLessThan(580);
    expect(stats().bytes).toBeGreaterThan(BOUND / 2);
    // ...and the first page (least recently used) came back the same, bytes and ETag.
    const again = await page(0);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.rawPayload.equals(first.rawPayload)).toBe(true);
  });

  it('a page larger than the whole bound is served but never kept', async () => {
    const before = app.supernode.ctx.snapshots.cacheStats;
    const big = await app.inject({ url: '/v1/datasets/rings/supernodes?limit=600', headers: auth(READER) });
    expect(big.statusCode).toBe(200);
    expect(big.rawPayload.length).toBeGreaterThan(BOUND);
    const after = app.supernode.ctx.snapshots.cacheStats;
    expect(after).toEqual(before);
    const twice = await app.inject({ url: '/v1/datasets/rings/supernodes?limit=600', headers: auth(READER) });
    expect(twice.headers.etag).toBe(big.headers.etag);
    expect(twice.rawPayload.equals(big.rawPayload)).toBe(true);
  });
});
