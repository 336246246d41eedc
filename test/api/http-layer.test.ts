/**
 * What only a real socket shows (issue 13 items 9 and 11): errors Node's HTTP parser raises before
 * any route runs (400 malformed, 408 timeout, 414 request line too long, 431 headers too large)
 * and requests that arrive while the server closes (503) come back in our `{code, message}` shape;
 * and the per-key cap on concurrent job event streams.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { auth, READER, SMALL_CSV, testApp, WRITER } from './helpers.js';

/** Writes raw bytes, reads until the server closes: status and JSON body. */
function raw(port: number, bytes: string, timeoutMs = 15_000): Promise<{ status: number; headers: string; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    const t = setTimeout(() => { s.destroy(); reject(new Error(`no answer; got ${JSON.stringify(got.slice(0, 200))}`)); }, timeoutMs);
    s.on('data', (d) => { got += d.toString('latin1'); });
    s.on('error', () => undefined); // the server resets after answering
    s.on('close', () => {
      clearTimeout(t);
      const head = got.slice(0, got.indexOf('\r\n\r\n'));
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      try {
        resolve({ status, headers: head, body: JSON.parse(got.slice(got.indexOf('\r\n\r\n') + 4)) as Record<string, unknown> });
      } catch (e) {
        reject(new Error(`not JSON: ${JSON.stringify(got.slice(0, 300))} (${String(e)})`));
      }
    });
    s.write(bytes);
  });
}

function ourShape(body: Record<string, unknown>, code: string): void {
  expect(body['code']).toBe(code);
  expect(typeof body['message']).toBe('string');
  expect(body).not.toHaveProperty('statusCode');
  expect(body).not.toHaveProperty('error');
}

describe('HTTP parser errors on a listening server', () => {
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    ({ app } = await testApp({ requestTimeoutMs: 1000 }));
    // Node checks request timeouts every 30 s by default; check often so the 408 comes in ~1 s.
    (app.server as http.Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = 100;
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('431 HEADERS_TOO_LARGE for headers past the limit', async () => {
    const r = await raw(port, `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(http.maxHeaderSize + 1000)}\r\n\r\n`);
    expect(r.status).toBe(431);
    ourShape(r.body, 'HEADERS_TOO_LARGE');
  });

  it('414 URI_TOO_LONG for a request line past the limit', async () => {
    const r = await raw(port, `GET /v1/datasets/${'a'.repeat(http.maxHeaderSize + 1000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(r.status).toBe(414);
    ourShape(r.body, 'URI_TOO_LONG');
  });

  it('400 for a malformed request', async () => {
    const r = await raw(port, 'NOT A REQUEST\r\n\r\n');
    expect(r.status).toBe(400);
    ourShape(r.body, 'BAD_OPTION');
    expect(r.body['message']).toContain('malformed HTTP request');
  });

  it('408 REQUEST_TIMEOUT when the request does not arrive in time', async () => {
    const t0 = Date.now();
    const r = await raw(port, 'GET /health HTTP/1.1\r\nHost: x\r\n');
    expect(r.status).toBe(408);
    ourShape(r.body, 'REQUEST_TIMEOUT');
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('the server still answers after all that', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  });
});

describe('concurrent event streams per key', () => {
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    ({ app } = await testApp({ limits: { ssePerKey: 2 } }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('past the cap a stream is 429 RATE_LIMITED; closing one frees its place', async () => {
    const post = (url: string, body: unknown) => fetch(`${base}${url}`, { method: 'POST', headers: { ...auth(WRITER), 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await post('/v1/datasets', { name: 's' });
    const up = await fetch(`${base}/v1/datasets/s/edges`, { method: 'POST', headers: { ...auth(WRITER), 'content-type': 'text/csv' }, body: SMALL_CSV });
    expect(up.status).toBe(201);
    // An upload whose body is still arriving holds the dataset's write lock, so the job below
    // cannot publish its snapshot: it stays running, and its event streams stay open.
    const slow = http.request(`${base}/v1/datasets/s/edges`, { method: 'POST', headers: { ...auth(WRITER), 'content-type': 'text/csv' } });
    slow.on('error', () => undefined);
    slow.write('source,target\n');
    await new Promise((res) => setTimeout(res, 200));
    const job = (await (await post('/v1/datasets/s/jobs', {})).json()) as { jobId: string };

    const open = (key = READER) => {
      const ac = new AbortController();
      return { ac, res: fetch(`${base}/v1/jobs/${job.jobId}/events`, { headers: auth(key), signal: ac.signal }) };
    };
    const a = open(), b = open();
    expect((await a.res).status).toBe(200);
    expect((await b.res).status).toBe(200);
    const c = await open().res;
    expect(c.status).toBe(429);
    const body = (await c.json()) as Record<string, unknown>;
    ourShape(body, 'RATE_LIMITED');
    expect(c.headers.get('retry-after')).toBe('5');
    // Another key has its own budget.
    const other = open(WRITER);
    expect((await other.res).status).toBe(200);
    // Closing a stream gives its place back.
    a.ac.abort();
    let again: Response | null = null;
    for (let i = 0; i < 50; i++) {
      await new Promise((res) => setTimeout(res, 50));
      const d = open();
      const r = await d.res;
      if (r.status === 200) {
        again = r;
        d.ac.abort();
        break;
      }
      await r.body?.cancel();
    }
    expect(again?.status).toBe(200);
    b.ac.abort();
    other.ac.abort();
    slow.end('x,y\n');
    await new Promise((res) => slow.on('response', res));
  });
});

describe('requests while the server closes', () => {
  it('a request pipelined behind an in-flight upload gets 503 SHUTTING_DOWN in our shape', async () => {
    const { app } = await testApp();
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as net.AddressInfo).port;
    await app.inject({ method: 'POST', url: '/v1/datasets', headers: auth(WRITER), payload: { name: 's' } });
    const body = `${SMALL_CSV}\n`;
    const s = net.connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => { got += d.toString('latin1'); });
    s.on('error', () => undefined);
    const ended = new Promise((res) => s.on('close', res));
    s.write(`POST /v1/datasets/s/edges HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${WRITER}\r\nContent-Type: text/csv\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 20)}`);
    await new Promise((res) => setTimeout(res, 300));
    // The upload is in its handler; closing waits for it, and anything after it on the socket is refused.
    const closing = app.close();
    await new Promise((res) => setTimeout(res, 100));
    s.write(`${body.slice(20)}GET /v1/datasets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${READER}\r\n\r\n`);
    await Promise.race([ended, new Promise((res) => setTimeout(res, 10_000))]);
    s.destroy();
    await closing;
    const answers = got.split(/(?=HTTP\/1\.1 )/).map((a) => ({ status: Number(a.slice(9, 12)), body: a.slice(a.indexOf('\r\n\r\n') + 4) }));
    expect(answers.map((a) => a.status)).toEqual([201, 503]);
    ourShape(JSON.parse(answers[1]!.body) as Record<string, unknown>, 'SHUTTING_DOWN');
  });
});
