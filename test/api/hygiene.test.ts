/**
 * API hygiene (issue 13 items 7, 9, 11) at the inject level: one error shape for every failure,
 * finite numbers only, ids as long as the route allows, jobs validated when requested, 405/415,
 * Authorization scheme case, failed-authentication throttling and the default rate limit.
 * What only a real socket shows (408/414/431 from Node's parser, SSE caps) is in http-layer.test.ts.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_LIMITS, MAX_PARAM_LENGTH } from '../../api/app.js';
import { auth, READER, SMALL_CSV, testApp, waitJob, WRITER } from './helpers.js';

/** Our shape: code + message, never Fastify's {error, statusCode}. */
function expectShape(body: string, code: string): Record<string, unknown> {
  const j = JSON.parse(body) as Record<string, unknown>;
  expect(j['code'], body).toBe(code);
  expect(typeof j['message']).toBe('string');
  expect(j).not.toHaveProperty('error');
  expect(j).not.toHaveProperty('statusCode');
  return j;
}

describe('API hygiene (inject)', () => {
  let app: FastifyInstance;
  let dataDir: string;
  const longId = `m${'x'.repeat(299)}`;

  beforeAll(async () => {
    ({ app, dataDir } = await testApp());
    const up = (ds: string, body: string | Buffer) => app.inject({ method: 'POST', url: `/v1/datasets/${ds}/edges`, headers: { ...auth(WRITER), 'content-type': 'text/csv' }, payload: body });
    for (const name of ['s', 'plain', 'fresh', 'typed']) await app.inject({ method: 'POST', url: '/v1/datasets', headers: auth(WRITER), payload: { name } });
    expect((await up('s', `${SMALL_CSV}\n${longId},a,1,1700000900`)).statusCode).toBe(201);
    expect((await up('plain', 'source,target\na,b\nb,c\n')).statusCode).toBe(201);
    expect((await up('fresh', 'source,target\na,b\n')).statusCode).toBe(201);
    expect((await up('typed', 'source,target,type\na,b,reply\nb,c,reply\n')).statusCode).toBe(201);
    const j = await app.inject({ method: 'POST', url: '/v1/datasets/s/jobs', headers: auth(WRITER), payload: {} });
    expect((await waitJob(app, j.json().jobId))['state']).toBe('succeeded');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('rejects non-finite numbers that Ajv coerces (limit=Infinity returned the whole ranking)', async () => {
    for (const q of ['limit=Infinity', 'limit=1e400', 'offset=Infinity', 'community=-Infinity', 'snapshot=Infinity']) {
      const r = await app.inject({ url: `/v1/datasets/s/supernodes?${q}`, headers: auth(READER) });
      expect(r.statusCode, q).toBe(400);
      expect(expectShape(r.body, 'BAD_OPTION')['message']).toContain('finite');
    }
    const body = await app.inject({ method: 'POST', url: '/v1/datasets/s/seeds', headers: { ...auth(WRITER), 'content-type': 'application/json' }, payload: '{"k": 2, "epsilon": 1e400}' });
    expect(body.statusCode).toBe(400);
    expect((await app.inject({ url: '/v1/datasets/s/supernodes?limit=3', headers: auth(READER) })).json().items).toHaveLength(3);
  });

  it('member ids up to the id bound can be looked up; longer ones are 414 URI_TOO_LONG in our shape', async () => {
    const r = await app.inject({ url: `/v1/datasets/s/members/${longId}`, headers: auth(READER) });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().member.id).toBe(longId);
    const tooLong = await app.inject({ url: `/v1/datasets/s/members/${'y'.repeat(MAX_PARAM_LENGTH + 1)}`, headers: auth(READER) });
    expect(tooLong.statusCode).toBe(414);
    expectShape(tooLong.body, 'URI_TOO_LONG');
  });

  it('framework 400s come in our shape: bad percent-encoding, bad JSON, empty JSON body', async () => {
    const url = await app.inject({ url: '/v1/datasets/%E0%A4%A', headers: auth(READER) });
    expect(url.statusCode).toBe(400);
    expectShape(url.body, 'BAD_OPTION');
    const json = await app.inject({ method: 'POST', url: '/v1/datasets', headers: { ...auth(WRITER), 'content-type': 'application/json' }, payload: '{"name":' });
    expect(json.statusCode).toBe(400);
    expectShape(json.body, 'BAD_OPTION');
    const empty = await app.inject({ method: 'POST', url: '/v1/datasets', headers: { ...auth(WRITER), 'content-type': 'application/json' }, payload: '' });
    expect(empty.statusCode).toBe(400);
    expectShape(empty.body, 'BAD_OPTION');
  });

  it('a truncated gzip upload is a 400 input error, not 415', async () => {
    const gz = gzipSync(SMALL_CSV).subarray(0, 30);
    for (const extra of [{}, { 'content-encoding': 'gzip' }]) {
      const r = await app.inject({ method: 'POST', url: '/v1/datasets/s/edges', headers: { ...auth(WRITER), 'content-type': 'text/csv', ...extra }, payload: gz });
      expect(r.statusCode).toBe(400);
      expectShape(r.body, 'INPUT_BAD_GZIP');
    }
  });

  it('not-found errors name no absolute path; rankings of an unknown dataset say DATASET_NOT_FOUND', async () => {
    const d = await app.inject({ url: '/v1/datasets/nope', headers: auth(READER) });
    expect(d.statusCode).toBe(404);
    expect(expectShape(d.body, 'DATASET_NOT_FOUND')['message']).not.toContain(dataDir);
    expect(d.body).not.toContain(dataDir);
    for (const route of ['supernodes', 'communities', 'members/a', 'brokers']) {
      const r = await app.inject({ url: `/v1/datasets/nope/${route}`, headers: auth(READER) });
      expect(r.statusCode, route).toBe(404);
      expectShape(r.body, 'DATASET_NOT_FOUND');
    }
    // A dataset that exists but was never analysed still says SNAPSHOT_NOT_FOUND.
    const fresh = await app.inject({ url: '/v1/datasets/fresh/supernodes', headers: auth(READER) });
    expect(fresh.statusCode).toBe(404);
    expectShape(fresh.body, 'SNAPSHOT_NOT_FOUND');
  });

  it("a failed job's message names no absolute path either", async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/datasets/s/jobs', headers: auth(WRITER), payload: { failForTest: `cannot read ${dataDir}/s/edges-0.arrow` } });
    const job = await waitJob(app, r.json().jobId);
    expect(job['state']).toBe('failed');
    expect((job['error'] as { message: string }).message).toContain('cannot read <data>/s/edges-0.arrow');
    expect(JSON.stringify(job['error'])).not.toContain(dataDir);
  });

  it('validates job options when the job is requested: 400 in API words, nothing queued', async () => {
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['s', { window: '7x' }, 'BAD_OPTION', 'window "7x"'],
      ['s', { window: '0d' }, 'BAD_OPTION', 'longer than zero'],
      ['s', { measures: ['no-such-measure'] }, 'UNKNOWN_ALGORITHM', 'no-such-measure'],
      ['plain', { window: '30d' }, 'BAD_OPTION', 'needs timestamps'],
      ['s', { window: '99999999999999999999d' }, 'BAD_OPTION', 'longer than 1000 years'],
      ['s', { types: ['reply'] }, 'BAD_OPTION', 'has none'],
      ['typed', { types: ['like'] }, 'BAD_OPTION', '["like"] are not in dataset typed (it has reply)'],
    ];
    for (const [ds, payload, code, words] of cases) {
      const before = (await app.inject({ url: `/v1/datasets/${ds}/jobs`, headers: auth(READER) })).json().items.length;
      const r = await app.inject({ method: 'POST', url: `/v1/datasets/${ds}/jobs`, headers: auth(WRITER), payload });
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      const message = expectShape(r.body, code)['message'] as string;
      expect(message).toContain(words);
      expect(message).not.toContain('--');
      expect((await app.inject({ url: `/v1/datasets/${ds}/jobs`, headers: auth(READER) })).json().items.length).toBe(before);
    }
    const ic = await app.inject({ method: 'POST', url: '/v1/datasets/s/seeds', headers: auth(WRITER), payload: { k: 2, model: 'ic' } });
    expect(ic.statusCode).toBe(400);
    expectShape(ic.body, 'BAD_OPTION');
    for (const [ds, payload] of [['s', { window: '7d' }], ['typed', { types: ['reply'] }]] as const) {
      const ok = await app.inject({ method: 'POST', url: `/v1/datasets/${ds}/jobs`, headers: auth(WRITER), payload });
      expect(ok.statusCode, ok.body).toBe(202);
      expect((await waitJob(app, ok.json().jobId))['state']).toBe('succeeded');
    }
  });

  it('405 METHOD_NOT_ALLOWED with Allow on a known route; 404 on an unknown one', async () => {
    const cases: [string, string, string][] = [
      ['PUT', '/v1/datasets', 'GET, HEAD, POST'],
      ['PATCH', '/v1/datasets/s', 'DELETE, GET, HEAD'],
      ['DELETE', '/v1/datasets/s/supernodes', 'GET, HEAD'],
      ['POST', '/v1/jobs/abc', 'DELETE, GET, HEAD'],
    ];
    for (const [method, url, allow] of cases) {
      const r = await app.inject({ method: method as 'PUT', url, headers: auth(WRITER) });
      expect(r.statusCode, `${method} ${url}`).toBe(405);
      expect(r.headers['allow']).toBe(allow);
      expectShape(r.body, 'METHOD_NOT_ALLOWED');
    }
    const none = await app.inject({ method: 'PUT', url: '/v1/nothing/here', headers: auth(WRITER) });
    expect(none.statusCode).toBe(404);
    expectShape(none.body, 'NOT_FOUND');
    // 405 is no way around authentication.
    expect((await app.inject({ method: 'PUT', url: '/v1/datasets' })).statusCode).toBe(401);
  });

  it('415 UNSUPPORTED_MEDIA_TYPE for a content type the route does not accept', async () => {
    const xml = await app.inject({ method: 'POST', url: '/v1/datasets', headers: { ...auth(WRITER), 'content-type': 'application/xml' }, payload: '<x/>' });
    expect(xml.statusCode).toBe(415);
    expect(expectShape(xml.body, 'UNSUPPORTED_MEDIA_TYPE')['message']).toBe('content type "application/xml" is not accepted by POST /v1/datasets');
    const png = await app.inject({ method: 'POST', url: '/v1/datasets/s/edges', headers: { ...auth(WRITER), 'content-type': 'image/png' }, payload: 'x' });
    expect(png.statusCode).toBe(415);
    expectShape(png.body, 'UNSUPPORTED_MEDIA_TYPE');
    const json = await app.inject({ method: 'POST', url: '/v1/datasets/s/edges', headers: { ...auth(WRITER), 'content-type': 'application/json' }, payload: '{}' });
    expect(json.statusCode).toBe(415);
    expectShape(json.body, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('accepts the Bearer scheme in any case (RFC 7235), with one or more spaces', async () => {
    for (const h of [`bearer ${READER}`, `BEARER ${READER}`, `Bearer   ${READER}`]) {
      expect((await app.inject({ url: '/v1/datasets', headers: { authorization: h } })).statusCode, h).toBe(200);
    }
    for (const h of [`Bearer${READER}`, `Basic ${READER}`, 'bearer ']) {
      const r = await app.inject({ url: '/v1/datasets', headers: { authorization: h } });
      expect(r.statusCode, h).toBe(401);
      expectShape(r.body, 'UNAUTHORIZED');
    }
  });
});

describe('API rate limits (inject)', () => {
  it('has a real default rate limit per key', async () => {
    expect(Number.isFinite(DEFAULT_LIMITS.rateLimit)).toBe(true);
    expect(DEFAULT_LIMITS.rateLimit).toBeLessThanOrEqual(10_000);
    const { app } = await testApp({ limits: { rateLimit: DEFAULT_LIMITS.rateLimit } });
    try {
      const r = await app.inject({ url: '/v1/datasets', headers: auth(READER) });
      expect(r.headers['x-ratelimit-limit']).toBe(String(DEFAULT_LIMITS.rateLimit));
    } finally {
      await app.close();
    }
  });

  it('throttles failed authentications per IP: 429 after the budget, keys verified before still work', async () => {
    const { app } = await testApp({ limits: { authFailuresPerMinute: 3 } });
    try {
      expect((await app.inject({ url: '/v1/datasets', headers: auth(READER) })).statusCode).toBe(200);
      const codes: number[] = [];
      let last;
      for (let i = 0; i < 5; i++) {
        last = await app.inject({ url: '/v1/datasets', headers: auth(`wrong-${i}`) });
        codes.push(last.statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      expectShape(last!.body, 'RATE_LIMITED');
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
      // A key this server verified before still works from that address; one it never saw does not.
      expect((await app.inject({ url: '/v1/datasets', headers: auth(READER) })).statusCode).toBe(200);
      expect((await app.inject({ url: '/v1/datasets', headers: auth(WRITER) })).statusCode).toBe(429);
      // Other addresses are not affected.
      expect((await app.inject({ url: '/v1/datasets', headers: auth(WRITER), remoteAddress: '10.0.0.9' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
