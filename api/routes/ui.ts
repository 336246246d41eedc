/**
 * The dashboard: the static page built by Vite from web/ into dist/web (`npm run build:web`, run by
 * `prepare`), served by @fastify/static, plus the session routes it logs in with (api/auth.ts has
 * the session model and the CSRF rule).
 *
 * - `GET /?token=T` spends a one-time login token, sets the HttpOnly SameSite=Strict session cookie
 *   and redirects (303) to `/`; a spent or unknown token redirects to `/?login=expired`.
 * - `GET /` is the page itself (public: it holds no data; without a session it shows a key prompt).
 * - `POST /v1/session {key}` opens a session from a typed API key; `GET /v1/session` says who the
 *   caller is and hands the page its CSRF token; `DELETE /v1/session` logs out.
 *
 * Static routes are registered one per built file (`wildcard: false`), not as `/*`, so an unknown
 * URL still reaches the API's 404 path behind a key (no probing), and every asset route is marked
 * public through an onRoute hook scoped to this plugin.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { SupernodeError } from '../../engine/errors.js';
import type { AuthThrottle } from '../auth.js';
import { type Session, SessionStore } from '../auth.js';
import type { ApiContext } from '../context.js';
import { errors } from '../schemas.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..', import.meta.url.endsWith('.ts') ? '' : '..');
/** Where `vite build` (web/vite.config.ts) writes the bundle. */
export const WEB_ROOT = path.join(ROOT, 'dist', 'web');

/**
 * The page only talks to its own origin; sigma draws with WebGL and sets element styles from
 * script, hence style-src 'unsafe-inline' (no inline script is allowed). Framing is refused.
 */
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const SessionView = Type.Object({
  via: Type.Union([Type.Literal('session'), Type.Literal('key')], { description: 'a dashboard cookie session or an Authorization key' }),
  scope: Type.String(),
  expires: Type.Optional(Type.String({ description: 'session expiry (ISO 8601)' })),
  csrf: Type.Optional(Type.String({ description: 'send as X-CSRF-Token on every non-GET request made with the cookie' })),
});

function sessionView(s: Session): { via: 'session'; scope: string; expires: string; csrf: string } {
  return { via: 'session', scope: s.scope, expires: new Date(s.expires).toISOString(), csrf: s.csrf };
}

function isTls(req: FastifyRequest): boolean {
  return req.protocol === 'https';
}

export const uiRoutes: FastifyPluginAsyncTypebox<{ ctx: ApiContext; sessions: SessionStore; throttle?: AuthThrottle }> = async (app, { sessions, throttle }) => {
  // Every route of this plugin without its own scope (the static files) is public.
  app.addHook('onRoute', (route) => {
    if (route.config?.scope === undefined) route.config = { ...route.config, scope: 'none' };
  });

  const built = fs.existsSync(path.join(WEB_ROOT, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: WEB_ROOT, prefix: '/', wildcard: false, index: false, globIgnore: ['index.html'], etag: true,
      // Vite names assets by content hash, so they never change under one name.
      setHeaders: (res, file) => {
        res.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
        res.header('x-content-type-options', 'nosniff');
      },
    });
  }

  const page = (reply: FastifyReply) => {
    reply.headers(PAGE_HEADERS).header('cache-control', 'no-store');
    if (!built) {
      return reply.code(503).type('text/html; charset=utf-8').send(
        '<!doctype html><title>supernode</title><p>The dashboard is not built: run <code>npm run build:web</code> (npm install runs it).</p>',
      );
    }
    return reply.sendFile('index.html');
  };

  app.get('/', {
    config: { scope: 'none' },
    schema: {
      tags: ['dashboard'], summary: 'the dashboard page; ?token= spends a one-time login token and redirects here with a session cookie',
      operationId: 'dashboardPage', querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 128 })), login: Type.Optional(Type.String({ maxLength: 32 })) }),
    },
  }, async (req, reply) => {
    const token = req.query.token;
    if (token === undefined) return page(reply);
    try {
      const { id } = sessions.redeem(token);
      return reply.header('set-cookie', SessionStore.cookie(id, isTls(req))).header('cache-control', 'no-store').redirect('/', 303);
    } catch (e) {
      if (!(e instanceof SupernodeError)) throw e;
      return reply.header('cache-control', 'no-store').redirect('/?login=expired', 303);
    }
  });

  app.get('/v1/session', {
    config: { scope: 'read' },
    schema: { tags: ['dashboard'], summary: 'who the caller is; for a dashboard session also its expiry and CSRF token', operationId: 'getSession', response: { 200: SessionView, ...errors(401) } },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const s = req.headers.authorization === undefined ? sessions.lookup(req.headers.cookie) : null;
    return s !== null ? sessionView(s) : { via: 'key' as const, scope: req.principal!.scope };
  });

  app.post('/v1/session', {
    config: { scope: 'none' },
    schema: {
      tags: ['dashboard'], summary: 'open a dashboard session from an API key (scope capped at write); sets the session cookie',
      operationId: 'createSession', body: Type.Object({ key: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false }),
      response: { 201: SessionView, ...errors(400, 401) },
    },
  }, async (req, reply) => {
    // A typed key counts against the caller's failed-key budget like an Authorization header.
    const { id, session } = sessions.fromKey(req.body.key, throttle && { ip: req.ip, throttle });
    return reply.code(201).header('set-cookie', SessionStore.cookie(id, isTls(req))).header('cache-control', 'no-store').send(sessionView(session));
  });

  app.delete('/v1/session', {
    config: { scope: 'read' },
    schema: { tags: ['dashboard'], summary: 'log out: end the dashboard session and clear its cookie', operationId: 'deleteSession', response: { 204: Type.Null(), ...errors(401, 403) } },
  }, async (req, reply) => {
    sessions.close(req.headers.cookie);
    return reply.code(204).header('set-cookie', SessionStore.cookie('', isTls(req), 0)).send(null);
  });
};
