/**
 * Dashboard sessions and the page's routes (api/routes/ui.ts, SessionStore in api/auth.ts), at the
 * inject level: one-time login tokens, sessions from typed keys (scope capped at write), expiry on
 * an injected clock, revocation, the CSRF header on cookie writes, the cookie's attributes, and the
 * static routes (public, immutable assets) that leave unknown URLs behind a key. The browser walk
 * through the page itself is test/browser/dashboard.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieValue, KeyStore, LOGIN_TOKEN_TTL_MS, SESSION_TTL_MS, SessionStore } from '../../../api/auth.js';
import { WEB_ROOT } from '../../../api/routes/ui.js';
import { ADMIN, auth, READER, tempDir, testApp, WRITER } from '../helpers.js';

const cookieOf = (setCookie: string | string[] | undefined) => {
  const line = Array.isArray(setCookie) ? setCookie[0]! : setCookie!;
  return line.split(';')[0]!;
};

describe('dashboard sessions (SessionStore)', () => {
  let now = 1_000_000;
  const keys = new KeyStore(tempDir('sn-sess-'));
  const store = new SessionStore(keys, () => now);
  beforeAll(async () => {
    await keys.init([{ key: 'k-admin', scope: 'admin' }, { key: 'k-read', scope: 'read' }]);
  });

  it('a login token opens one read session, once, and not after it expires', () => {
    const t = store.issueLoginToken();
    const { id, session } = store.redeem(t);
    expect(session.scope).toBe('read');
    expect(store.lookup(`sn_session=${id}`)).toBe(session);
    expect(() => store.redeem(t)).toThrow(/unknown, used or expired/);
    const late = store.issueLoginToken();
    now += LOGIN_TOKEN_TTL_MS;
    expect(() => store.redeem(late)).toThrow(/unknown, used or expired/);
  });

  it('a typed key opens a session of its scope capped at write; sessions expire and die with their key', async () => {
    expect(store.fromKey('k-read').session.scope).toBe('read');
    const { id, session } = store.fromKey('k-admin');
    expect(session.scope).toBe('write');
    expect(() => store.fromKey('nope')).toThrow(/unknown API key/);
    now += SESSION_TTL_MS - 1;
    expect(store.lookup(`a=b; sn_session=${id}`)).not.toBeNull();
    now += 1;
    expect(store.lookup(`sn_session=${id}`)).toBeNull();
    const again = store.fromKey('k-read');
    await keys.revoke(again.session.keyId!);
    expect(store.lookup(`sn_session=${again.id}`)).toBeNull();
  });

  it('cookie writes need the session CSRF token; reads do not', () => {
    const { id, session } = store.fromKey('k-admin');
    const c = `sn_session=${id}`;
    expect(store.authenticate(c, 'GET', undefined).scope).toBe('write');
    expect(() => store.authenticate(c, 'POST', undefined)).toThrow(/x-csrf-token/);
    expect(() => store.authenticate(c, 'POST', 'wrong')).toThrow(/x-csrf-token/);
    expect(store.authenticate(c, 'POST', session.csrf).keyId).toBe(session.keyId);
    expect(() => store.authenticate('sn_session=forged', 'GET', undefined)).toThrow(/session expired/);
  });

  it('parses Cookie headers by name (RFC 6265 pairs)', () => {
    expect(cookieValue('a=1; sn_session=xyz; b=2', 'sn_session')).toBe('xyz');
    expect(cookieValue('xsn_session=1', 'sn_session')).toBeUndefined();
    expect(cookieValue(undefined, 'sn_session')).toBeUndefined();
  });
});

describe('dashboard routes (inject)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await testApp());
  });
  afterAll(async () => {
    await app.close();
  });

  it('GET /?token= sets an HttpOnly SameSite=Strict cookie and redirects; a spent token goes to the prompt', async () => {
    const token = app.supernode.sessions.issueLoginToken();
    const r = await app.inject({ url: `/?token=${token}` });
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/');
    const set = String(r.headers['set-cookie']);
    expect(set).toMatch(/^sn_session=[\w-]{32}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800$/);
    const again = await app.inject({ url: `/?token=${token}` });
    expect([again.statusCode, again.headers.location, again.headers['set-cookie']]).toEqual([303, '/?login=expired', undefined]);
    const who = await app.inject({ url: '/v1/session', headers: { cookie: cookieOf(r.headers['set-cookie']) } });
    expect(who.json()).toMatchObject({ via: 'session', scope: 'read' });
    expect(who.json().csrf).toMatch(/^[\w-]{24}$/);
  });

  it('a read session reads but cannot start jobs; a write key session can, with the CSRF header', async () => {
    const read = cookieOf((await app.inject({ url: `/?token=${app.supernode.sessions.issueLoginToken()}` })).headers['set-cookie']);
    expect((await app.inject({ url: '/v1/datasets', headers: { cookie: read } })).statusCode).toBe(200);
    const who = (await app.inject({ url: '/v1/session', headers: { cookie: read } })).json();
    const denied = await app.inject({ method: 'POST', url: '/v1/datasets', headers: { cookie: read, 'x-csrf-token': who.csrf }, payload: { name: 'x' } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().message).toMatch(/needs the write scope/);

    const opened = await app.inject({ method: 'POST', url: '/v1/session', payload: { key: ADMIN } });
    expect(opened.statusCode).toBe(201);
    expect(opened.json().scope).toBe('write');
    const write = cookieOf(opened.headers['set-cookie']);
    const noCsrf = await app.inject({ method: 'POST', url: '/v1/datasets', headers: { cookie: write }, payload: { name: 'viacookie' } });
    expect(noCsrf.statusCode).toBe(403);
    const ok = await app.inject({ method: 'POST', url: '/v1/datasets', headers: { cookie: write, 'x-csrf-token': opened.json().csrf }, payload: { name: 'viacookie' } });
    expect(ok.statusCode).toBe(201);
    // Capped at write: key management stays with Authorization.
    expect((await app.inject({ url: '/v1/keys', headers: { cookie: write } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/v1/session', payload: { key: 'sn_bad' } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/v1/session', payload: { key: READER } })).json().scope).toBe('read');
    expect((await app.inject({ method: 'POST', url: '/v1/session', payload: { key: WRITER } })).json().scope).toBe('write');
  });

  it('logout ends the session (CSRF header required)', async () => {
    const opened = await app.inject({ method: 'POST', url: '/v1/session', payload: { key: READER } });
    const cookie = cookieOf(opened.headers['set-cookie']);
    expect((await app.inject({ method: 'DELETE', url: '/v1/session', headers: { cookie } })).statusCode).toBe(403);
    const out = await app.inject({ method: 'DELETE', url: '/v1/session', headers: { cookie, 'x-csrf-token': opened.json().csrf } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^sn_session=; .*Max-Age=0/);
    expect((await app.inject({ url: '/v1/datasets', headers: { cookie } })).statusCode).toBe(401);
  });

  it('typed keys count against the address budget of failed authentications (429 past it)', async () => {
    const { app: strict } = await testApp({ limits: { authFailuresPerMinute: 2 } });
    try {
      const bad = () => strict.inject({ method: 'POST', url: '/v1/session', payload: { key: 'sn_wrong' } });
      expect([(await bad()).statusCode, (await bad()).statusCode, (await bad()).statusCode]).toEqual([401, 401, 429]);
    } finally {
      await strict.close();
    }
  });

  it('Authorization wins over a cookie; a bad cookie is a 401', async () => {
    expect((await app.inject({ url: '/v1/session', headers: { ...auth(READER), cookie: 'sn_session=junk' } })).json()).toEqual({ via: 'key', scope: 'read' });
    expect((await app.inject({ url: '/v1/datasets', headers: { cookie: 'sn_session=junk' } })).statusCode).toBe(401);
  });

  it.skipIf(!fs.existsSync(path.join(WEB_ROOT, 'index.html')))('serves the page and its assets publicly; unknown URLs still need a key', async () => {
    const page = await app.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(page.body)![1]!;
    const js = await app.inject({ url: asset });
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject({ url: '/assets/nope.js' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/etc/passwd' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/v1/nothing-here' })).statusCode).toBe(401);
  });
});
