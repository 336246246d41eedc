/**
 * CORS (api/cors.ts): a listed origin gets the headers, preflights included, before any key is
 * checked; any other origin gets none; with no origins configured nothing changes. Inject for the
 * header rules, and a listening server for what a browser's fetch sees on the wire.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCorsOrigins } from '../../api/cors.js';
import { auth, READER, SMALL_CSV, testApp, waitJob, WRITER } from './helpers.js';

const DASH = 'https://dash.example.com';
const OTHER = 'https://evil.example.net';

describe('CORS', () => {
  let app: FastifyInstance;
  let plain: FastifyInstance;

  beforeAll(async () => {
    ({ app } = await testApp({ corsOrigins: [DASH, 'http://localhost:5173'] }));
    ({ app: plain } = await testApp());
    await app.inject({ method: 'POST', url: '/v1/datasets', headers: auth(WRITER), payload: { name: 'small' } });
    await app.inject({ method: 'POST', url: '/v1/datasets/small/edges', headers: { ...auth(WRITER), 'content-type': 'text/csv' }, payload: SMALL_CSV });
    const job = await app.inject({ method: 'POST', url: '/v1/datasets/small/jobs', headers: auth(WRITER), payload: {} });
    await waitJob(app, job.json().jobId);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await plain?.close();
  });

  const preflight = (a: FastifyInstance, origin: string) => a.inject({
    method: 'OPTIONS', url: '/v1/datasets/small/supernodes',
    headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,if-none-match' },
  });

  it('answers a listed origin\'s preflight before authentication, allowing Authorization and If-None-Match', async () => {
    const r = await preflight(app, DASH);
    expect(r.statusCode).toBe(204);
    expect(r.headers['access-control-allow-origin']).toBe(DASH);
    const allowed = String(r.headers['access-control-allow-headers']).toLowerCase();
    expect(allowed).toContain('authorization');
    expect(allowed).toContain('if-none-match');
    expect(String(r.headers['access-control-allow-methods'])).toContain('GET');
    expect(r.headers['access-control-allow-credentials']).toBeUndefined();
    expect((await preflight(app, 'http://localhost:5173')).headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });

  it('gives a listed origin the headers on real requests, ETag exposed, so it can poll with If-None-Match', async () => {
    const r = await app.inject({ url: '/v1/datasets/small/supernodes', headers: { ...auth(READER), origin: DASH } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe(DASH);
    expect(String(r.headers['access-control-expose-headers']).toLowerCase()).toContain('etag');
    expect(String(r.headers['vary']).toLowerCase()).toContain('origin');
    const etag = r.headers['etag'] as string;
    const again = await app.inject({ url: '/v1/datasets/small/supernodes', headers: { ...auth(READER), origin: DASH, 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.headers['access-control-allow-origin']).toBe(DASH);
    // Errors carry them too, or the page could not read the error body.
    const e = await app.inject({ url: '/v1/datasets/small/supernodes', headers: { origin: DASH } });
    expect(e.statusCode).toBe(401);
    expect(e.headers['access-control-allow-origin']).toBe(DASH);
  });

  it('gives any other origin no CORS headers (its preflight is refused like any keyless request)', async () => {
    const p = await preflight(app, OTHER);
    expect(p.statusCode).not.toBe(204);
    expect(p.headers['access-control-allow-origin']).toBeUndefined();
    const r = await app.inject({ url: '/v1/datasets/small/supernodes', headers: { ...auth(READER), origin: OTHER } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    // Prefix or suffix tricks do not match.
    for (const o of [`${DASH}.evil.net`, 'https://dash.example.co', 'http://dash.example.com']) {
      expect((await preflight(app, o)).headers['access-control-allow-origin'], o).toBeUndefined();
    }
  });

  it('sends no CORS headers when no origin is configured', async () => {
    const p = await preflight(plain, DASH);
    expect(p.headers['access-control-allow-origin']).toBeUndefined();
    expect(p.statusCode).toBe(401);
  });

  it('reads origins from a list and refuses what is not an origin', () => {
    expect(parseCorsOrigins(' https://a.example , http://localhost:5173/ ')).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(parseCorsOrigins(undefined)).toEqual([]);
    for (const bad of ['*', 'a.example', 'https://a.example/path', 'ftp://a.example']) {
      expect(() => parseCorsOrigins(bad), bad).toThrow(/CORS origin/);
    }
  });

  it('works on the wire: a listening server answers the preflight and the request', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const pre = await fetch(`${address}/v1/datasets/small/supernodes`, {
      method: 'OPTIONS', headers: { origin: DASH, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(DASH);
    const first = await fetch(`${address}/v1/datasets/small/supernodes`, { headers: { ...auth(READER), origin: DASH } });
    expect(first.status).toBe(200);
    const tag = first.headers.get('etag')!;
    const r = await fetch(`${address}/v1/datasets/small/supernodes`, { headers: { ...auth(READER), origin: DASH, 'if-none-match': tag } });
    expect(r.status).toBe(304);
    expect(r.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('etag');
  });
});
