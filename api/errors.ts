/**
 * Errors to HTTP, once: every error response carries `{code, message[, line, column, file]}` with
 * the status the catalogue (engine/errors.ts) gives that code, whoever raised it:
 * - routes and plugins (the error handler below);
 * - Fastify itself: schema validation, body parsing, content types, unknown routes (404), a known
 *   route with the wrong method (405 with Allow), malformed or over-long path parameters
 *   (`frameworkErrors`: 400/414);
 * - Node's HTTP parser before any route runs (`clientErrorHandler`: 400 malformed, 408 timeout,
 *   414 request line too long, 431 headers too large), written straight to the socket.
 * Messages never carry the absolute data directory (it is replaced by `<data>`).
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { ERROR_CATALOGUE, type ErrorCode, isSupernodeError, SupernodeError } from '../engine/errors.js';

/** Codes that tell the client to come back later carry Retry-After (seconds). */
const RETRY_AFTER: Partial<Record<ErrorCode, number>> = { RATE_LIMITED: 1, QUEUE_FULL: 5, OVERLOADED: 2, SHUTTING_DOWN: 5 };

export function statusOf(code: ErrorCode): number {
  return ERROR_CATALOGUE[code].status;
}

/** The body every error response carries. */
export function errorBody(e: SupernodeError): Record<string, unknown> {
  return e.toJSON();
}

/** Fastify's own error codes, by what they mean to a client. */
const FRAMEWORK: Readonly<Record<string, { code: ErrorCode; message?: string }>> = Object.freeze({
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: 'request body exceeds the size limit' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_INVALID_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'BAD_OPTION' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BAD_OPTION' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'BAD_OPTION' },
  FST_ERR_BAD_URL: { code: 'BAD_OPTION', message: 'the URL is not valid (bad percent-encoding)' },
  FST_ERR_MAX_PARAM_LENGTH: { code: 'URI_TOO_LONG', message: 'a path parameter exceeds the length limit' },
});

/** Last resort by status, for plugin errors that carry a statusCode but no code we know. */
const BY_STATUS: Readonly<Record<number, ErrorCode>> = Object.freeze({
  400: 'BAD_OPTION', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 408: 'REQUEST_TIMEOUT', 413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED', 431: 'HEADERS_TOO_LARGE', 503: 'OVERLOADED',
});

/** Framework and unexpected errors as catalogue errors. */
export function toSupernodeError(e: unknown): SupernodeError {
  if (isSupernodeError(e)) {
    if (e instanceof SupernodeError) return e;
    // A coded error that crossed a worker boundary lost its class: rebuild it.
    const x = e as unknown as { code: ErrorCode; message: string; line?: number; column?: number; file?: string };
    return new SupernodeError(x.code, x.message, {
      ...(x.file !== undefined && { file: x.file }), ...(x.line !== undefined && { line: x.line }),
      ...(x.column !== undefined && { column: x.column }),
    });
  }
  const fe = e as Partial<FastifyError> & { validation?: unknown; validationContext?: string };
  if (fe.validation !== undefined) {
    // A bad dataset name in the path is a name error, not a generic option error.
    const onId = fe.validationContext === 'params' && /\bid\b/.test(fe.message ?? '');
    return new SupernodeError(onId ? 'DATASET_BAD_NAME' : 'BAD_OPTION', fe.message ?? 'invalid request');
  }
  const known = fe.code !== undefined ? FRAMEWORK[fe.code] : undefined;
  if (known !== undefined) return new SupernodeError(known.code, known.message ?? fe.message ?? known.code);
  if (fe instanceof SyntaxError) return new SupernodeError('BAD_OPTION', fe.message);
  const byStatus = fe.statusCode !== undefined ? BY_STATUS[fe.statusCode] : undefined;
  if (byStatus !== undefined) return new SupernodeError(byStatus, fe.message ?? byStatus);
  return new SupernodeError('INTERNAL', 'internal server error');
}

/** `text` with every occurrence of the data directory `dir` replaced by `<data>`. */
export function withoutDir(text: string, dir: string | undefined): string {
  return dir === undefined || dir.length < 2 ? text : text.split(dir).join('<data>');
}

/** The same error with the data directory replaced by `<data>` in its message and file. */
export function redacted(e: SupernodeError, dir: string | undefined): SupernodeError {
  if (dir === undefined || dir.length < 2 || !(e.message.includes(dir) || e.file?.includes(dir))) return e;
  const where = { ...(e.file !== undefined && { file: withoutDir(e.file, dir) }), ...(e.line !== undefined && { line: e.line }), ...(e.column !== undefined && { column: e.column }) };
  return new SupernodeError(e.code, withoutDir(e.message, dir), where, e.details);
}

export function sendError(reply: FastifyReply, e: SupernodeError): FastifyReply {
  const retry = RETRY_AFTER[e.code];
  const details = e.details as { retryAfter?: number } | undefined;
  if (retry !== undefined) reply.header('retry-after', String(details?.retryAfter ?? retry));
  return reply.code(e.status).type('application/json; charset=utf-8').send(JSON.stringify(errorBody(e)));
}

/** Above this many bytes before the first CRLF, a header overflow is the request line's fault (414). */
const LONG_REQUEST_LINE = 8 * 1024;

/** The catalogue error for a Node HTTP parser failure (`clientError`), before any route ran. */
export function clientErrorOf(err: Error & { code?: string; rawPacket?: unknown }): SupernodeError {
  switch (err.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new SupernodeError('REQUEST_TIMEOUT', 'the request did not arrive within the request timeout');
    case 'HPE_HEADER_OVERFLOW': {
      // Node counts the request line with the headers; without a CRLF early on, the URL is what overflowed.
      const raw = Buffer.isBuffer(err.rawPacket) ? err.rawPacket : undefined;
      const eol = raw === undefined ? -1 : raw.indexOf('\r\n');
      if (raw !== undefined && (eol < 0 ? raw.length : eol) > LONG_REQUEST_LINE) {
        return new SupernodeError('URI_TOO_LONG', `the request line exceeds the server's header size limit (${http.maxHeaderSize} bytes)`);
      }
      return new SupernodeError('HEADERS_TOO_LARGE', `the request headers exceed the server's limit (${http.maxHeaderSize} bytes)`);
    }
    case 'HPE_URI_TOO_LONG':
      return new SupernodeError('URI_TOO_LONG', 'the request URL is too long');
    default:
      return new SupernodeError('BAD_OPTION', `malformed HTTP request (${err.code ?? 'parse error'})`);
  }
}

/** Fastify's `clientErrorHandler`: our body shape on the raw socket, then close it (as Node does). */
export function clientErrorHandler(err: Error & { code?: string; rawPacket?: unknown }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const e = clientErrorOf(err);
  const body = JSON.stringify(errorBody(e));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${e.status} ${http.STATUS_CODES[e.status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`
      + `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}

/** Fastify's `frameworkErrors`: bad URL encoding, over-long path parameters. */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  sendError(reply, toSupernodeError(err));
}

/**
 * Which methods serve a path, for 405 + Allow. Patterns come from the onRoute hook; a path is
 * matched segment by segment (`:param` matches one segment, `*` the rest). Only consulted on a
 * 404, so the linear scan over the routes costs nothing on the hot path. Catch-all OPTIONS routes
 * (CORS preflight) say nothing about which methods a path serves and are skipped.
 */
export class MethodIndex {
  private readonly routes: { segs: string[]; method: string }[] = [];

  add(route: Pick<RouteOptions, 'method' | 'url'>): void {
    const url = route.url ?? '';
    for (const m of Array.isArray(route.method) ? route.method : [route.method]) {
      if (m === 'OPTIONS' && url.includes('*')) continue;
      this.routes.push({ segs: url.split('/'), method: m });
    }
  }

  allowed(pathname: string): string[] {
    const segs = pathname.split('/');
    const out = new Set<string>();
    for (const r of this.routes) if (matches(r.segs, segs)) out.add(r.method);
    return [...out].sort();
  }
}

function matches(pattern: readonly string[], segs: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p === '*' || (p.endsWith('*') && segs[i]?.startsWith(p.slice(0, -1)))) return true;
    if (i >= segs.length) return false;
    if (p.startsWith(':')) {
      if (segs[i]!.length === 0) return false;
    } else if (p !== segs[i]) return false;
  }
  return pattern.length === segs.length;
}

export function installErrorHandling(app: FastifyInstance, opts: { dataDir?: string } = {}): void {
  const dir = opts.dataDir;
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    let e = redacted(toSupernodeError(err), dir);
    if ((err as { code?: string }).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      // Fastify says only "Unsupported Media Type": name the type and the route.
      e = new SupernodeError(e.code, `content type "${(req.headers['content-type'] ?? '').slice(0, 100)}" is not accepted by ${req.method} ${req.url.split('?')[0]}`);
    }
    if (e.code === 'INTERNAL') req.log.error({ err }, 'unhandled error');
    else if (e.status >= 500) req.log.warn({ code: e.code, msg: e.message }, 'request failed');
    return sendError(reply, e);
  });
  const methods = new MethodIndex();
  app.addHook('onRoute', (r) => methods.add(r));
  app.setNotFoundHandler((req, reply) => {
    const pathname = req.url.split('?')[0]!;
    const allow = methods.allowed(pathname);
    if (allow.length > 0 && !allow.includes(req.method)) {
      reply.header('allow', allow.join(', '));
      return sendError(reply, new SupernodeError('METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${pathname}; use ${allow.join(', ')}`));
    }
    return sendError(reply, new SupernodeError('NOT_FOUND', `no route ${req.method} ${pathname}`));
  });
}

/** The first non-finite number in a validated request part (plain objects and arrays), as a path. */
export function nonFinitePath(value: unknown, at: string, depth = 0): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : at;
  if (value === null || typeof value !== 'object' || depth > 32) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = nonFinitePath(value[i], `${at}/${i}`, depth + 1);
      if (p !== null) return p;
    }
    return null;
  }
  // Plain records only (the query parser's objects have a null-prototype prototype); not streams or buffers.
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== null && proto !== Object.prototype && Object.getPrototypeOf(proto) !== null) return null;
  for (const [k, v] of Object.entries(value)) {
    const p = nonFinitePath(v, `${at}/${k}`, depth + 1);
    if (p !== null) return p;
  }
  return null;
}

/**
 * preHandler: no number in the query, path or JSON body may be Infinity or NaN. Ajv's type
 * coercion turns `limit=Infinity` (and `1e400`) into Infinity, which then passes `integer` and
 * `maximum`, so every schema would need its own guard; one check after validation covers them all.
 */
export function finiteNumbersOnly(req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void {
  const bad = nonFinitePath(req.query, 'querystring') ?? nonFinitePath(req.params, 'params') ?? nonFinitePath(req.body, 'body');
  done(bad === null ? undefined : new SupernodeError('BAD_OPTION', `${bad} must be a finite number`));
}
