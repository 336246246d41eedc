/**
 * CORS for dashboards on another origin (@fastify/cors): only the configured origins
 * (`--cors-origin A,B`, SUPERNODE_CORS_ORIGINS), compared exactly (scheme, host and port; no
 * wildcards: an API key in a browser must not be usable from any page). Registered before the
 * API-key hook, so a preflight (OPTIONS with Origin and Access-Control-Request-Method, which a
 * browser sends without Authorization) from a listed origin is answered 204 by the plugin's
 * onRequest hook before authentication runs; a request from any other origin gets no CORS headers
 * at all (its preflight falls through to the key check, 401, and the browser blocks the call).
 *
 * Allowed request headers: Authorization and If-None-Match (ETag polling), plus Content-Type,
 * Content-Encoding and Idempotency-Key for uploads. Exposed response headers: ETag, X-Snapshot
 * (which snapshot a page is), Location (job and dataset URLs), Retry-After. No credentials
 * (cookies are for the same-origin dashboard); preflights are cached for 10 minutes.
 */
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { SupernodeError } from '../engine/errors.js';

export const CORS_ALLOWED_HEADERS = ['Authorization', 'If-None-Match', 'Content-Type', 'Content-Encoding', 'Idempotency-Key'];
export const CORS_EXPOSED_HEADERS = ['ETag', 'X-Snapshot', 'Location', 'Retry-After'];

/** "https://a.example, http://localhost:5173" -> origins; each must be scheme://host[:port]. */
export function parseCorsOrigins(text: string | undefined): string[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((s) => s.trim()).filter(Boolean).map((o) => {
    let u: URL;
    try {
      u = new URL(o);
    } catch {
      throw new SupernodeError('BAD_OPTION', `CORS origin "${o}" is not a URL origin such as https://dash.example.com`);
    }
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.origin !== o.replace(/\/$/, '')) {
      throw new SupernodeError('BAD_OPTION', `CORS origin "${o}" must be scheme://host[:port] (http or https, no path), e.g. ${u.origin}`);
    }
    return u.origin;
  });
}

/** Registers CORS for `origins` (none: nothing registered, no CORS headers). Call before the auth hook. */
export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  const allowed = new Set(origins);
  await app.register(cors, {
    origin: (origin, cb) => cb(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_ALLOWED_HEADERS, exposedHeaders: CORS_EXPOSED_HEADERS,
    credentials: false, maxAge: 600, strictPreflight: true, hideOptionsRoute: true,
  });
  // The plugin adds `Vary: Origin` in onRequest; routes that set their own Vary (accept-encoding,
  // for the gzip forms) replace it. A cache must key CORS answers by origin: merge it back last.
  app.addHook('onSend', (_req, reply, payload, done) => {
    const vary = reply.getHeader('vary');
    const list = (Array.isArray(vary) ? vary.join(',') : vary === undefined ? '' : String(vary)).split(',').map((v) => v.trim()).filter(Boolean);
    if (!list.some((v) => v.toLowerCase() === 'origin' || v === '*')) reply.header('vary', [...list, 'Origin'].join(', '));
    done(null, payload);
  });
}
