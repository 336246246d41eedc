/**
 * Streaming edge upload: the request body goes straight into the ingest reader (no buffering of
 * the file), strict by default: one bad row rejects the whole upload with file:line:reason and
 * nothing is stored. A successful upload is appended as a new dataset version by the store's
 * atomic write. Uploads to one dataset are serialised.
 *
 * Bounds: bytes on the wire (`uploadLimit`, PAYLOAD_TOO_LARGE) here; decompressed bytes, rows and
 * line length (`uploadBytes`, `uploadRows`, `lineBytes`: engine/limits.ts) inside the ingest, as
 * the body streams through, so a gzip bomb fails with 413 INPUT_LIMIT when it passes the limit,
 * with the server's memory bounded by the limit rather than by the upload.
 *
 * Retries: an `Idempotency-Key` header makes an upload safe to repeat (api/idempotency.ts: the
 * same key and body store one version; the same key with another body is 409). `mode=replace`
 * stores a version holding only this file (the store starts the version's chunks over).
 */
import { createHash, type Hash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SupernodeError } from '../../engine/errors.js';
import { ingestStream, type IngestOptions } from '../../engine/ingest/index.js';
import { API_LIMIT_FLAGS } from '../../engine/limits.js';
import type { ContextOpts } from '../context.js';
import { IdempotencyStore, idempotencyKey, scopedKey } from '../idempotency.js';
import { errors, IdParams, IngestQuery, IngestResponse } from '../schemas.js';

const FORMATS: Readonly<Record<string, Pick<IngestOptions, 'format' | 'delimiter'>>> = Object.freeze({
  'text/csv': { format: 'delimited', delimiter: ',' },
  'text/tab-separated-values': { format: 'delimited', delimiter: '\t' },
  'application/x-ndjson': { format: 'ndjson' },
  'application/ndjson': { format: 'ndjson' },
  'application/vnd.apache.arrow.stream': { format: 'arrow' },
  'application/vnd.apache.arrow.file': { format: 'arrow' },
  'text/plain': { format: 'auto', delimiter: 'auto' },
  'application/octet-stream': { format: 'auto' },
  'application/gzip': { format: 'auto' },
});

/** Counts bytes on the wire and fails the stream past the limit (413); hashes them for idempotency keys. */
class LimitStream extends Transform {
  bytes = 0;
  constructor(private readonly limit: number, readonly hash: Hash | null = null) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash?.update(chunk);
    if (this.bytes > this.limit) cb(new SupernodeError('PAYLOAD_TOO_LARGE', `upload exceeds ${this.limit} bytes`));
    else cb(null, chunk);
  }
}

export const ingestRoutes: FastifyPluginAsyncTypebox<ContextOpts> = async (app, { ctx }) => {
  // Pass the raw stream through: the ingest reader parses (and gunzips, by magic bytes) itself.
  app.addContentTypeParser(Object.keys(FORMATS), (_req, payload, done) => done(null, payload));
  const idempotency = new IdempotencyStore(ctx.dataDir);

  app.post('/v1/datasets/:id/edges', {
    config: { scope: 'write' },
    bodyLimit: ctx.limits.uploadLimit,
    schema: {
      tags: ['datasets'],
      summary: 'upload edges (CSV/TSV with a header row, NDJSON, Arrow IPC; Content-Encoding: gzip allowed) as a new version',
      description: 'Strict: a malformed row rejects the whole upload with 400 {code, message, line}; nothing is stored. '
        + 'An upload past its decompressed-byte, row or line-length limit is 413 INPUT_LIMIT (docs/operations.md). '
        + 'Content types: text/csv, text/tab-separated-values, application/x-ndjson, application/vnd.apache.arrow.stream.',
      params: IdParams, querystring: IngestQuery,
      headers: Type.Object({
        'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'retry-safe upload: the same key and body store one version (24 h, 1,000 keys per dataset); another body under the key is 409' })),
      }),
      response: { 201: IngestResponse, ...errors(400, 401, 403, 404, 409, 413, 415) },
    },
  }, async (req, reply) => {
    const id = req.params.id;
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const fmt = FORMATS[type];
    if (fmt === undefined) throw new SupernodeError('UNSUPPORTED_MEDIA_TYPE', `content type "${type}" is not one of ${Object.keys(FORMATS).join(', ')}`);
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity' && encoding !== 'gzip') {
      throw new SupernodeError('UNSUPPORTED_MEDIA_TYPE', `Content-Encoding "${encoding}" is not supported (gzip or none)`);
    }
    const idem = idempotencyKey(req.headers['idempotency-key']);
    const replace = req.query.mode === 'replace';
    const declared = Number(req.headers['content-length'] ?? NaN);
    // An empty body never reaches the parser: read it as an empty stream (-> INPUT_EMPTY).
    const body = (req.body ?? Readable.from([])) as NodeJS.ReadableStream;
    if (declared > ctx.limits.uploadLimit) {
      reply.header('connection', 'close');
      throw new SupernodeError('PAYLOAD_TOO_LARGE', `upload of ${declared} bytes exceeds ${ctx.limits.uploadLimit}`);
    }
    // Shutdown (api/server.ts) ends an upload still reading its body with 503 SHUTTING_DOWN;
    // once the body is read the version is written and committed as usual.
    if (ctx.state.closing) throw shuttingDown();
    let stopped: SupernodeError | null = null;
    let limited: LimitStream | null = null;
    const stop = () => {
      const err = shuttingDown();
      stopped = err;
      limited?.destroy(err);
    };
    ctx.state.uploads.add(stop);
    const result = await ctx.lock(id, async () => {
      if (stopped !== null) throw stopped;
      const info = await ctx.store.describe(id);
      // The fingerprint: every byte on the wire and what decides how they are read and stored.
      const hash = idem === undefined ? null : createHash('sha256').update(JSON.stringify([type, encoding, req.query.columns ?? null, req.query.skipBad ?? null, req.query.timeUnit ?? null, req.query.mode ?? 'append']));
      const lim = new LimitStream(ctx.limits.uploadLimit, hash);
      limited = lim;
      (body as unknown as NodeJS.ReadableStream & { on: (e: string, f: (err: Error) => void) => void }).on('error', (err) => lim.destroy(err));
      body.pipe(lim);
      const key = idem === undefined ? undefined : scopedKey(req.principal?.keyId ?? '', idem);
      const seen = key === undefined ? undefined : await idempotency.lookup(id, info.created, key);
      if (seen !== undefined) {
        // Read (and hash) the body, store nothing: the first answer again, or a conflict.
        for await (const _chunk of lim) { /* drained into the hash */ }
        if (hash!.digest('hex') !== seen.fingerprint) {
          throw new SupernodeError('IDEMPOTENCY_CONFLICT', `Idempotency-Key "${idem}" was used for another upload to ${id} (a different body or query); use a new key`);
        }
        reply.header('idempotent-replayed', 'true');
        return seen.body as { dataset: string; version: number; edges: number; skipped: number; nodes: number; format: string };
      }
      const dictionary = info.latest !== null && !replace ? (await ctx.store.load(id)).members : undefined;
      const name = `${id}-upload`;
      try {
        const r = await ingestStream(lim, name, {
          ...fmt,
          ...(req.query.columns !== undefined && { columns: req.query.columns.split(',').map((s) => s.trim()) }),
          ...(req.query.skipBad !== undefined && { skipBad: req.query.skipBad }),
          ...(req.query.timeUnit !== undefined && { timeUnit: req.query.timeUnit }),
          ...(dictionary !== undefined && { dictionary }),
          limits: { maxBytes: ctx.limits.uploadBytes, maxRows: ctx.limits.uploadRows, maxLineBytes: ctx.limits.lineBytes },
          limitFlags: API_LIMIT_FLAGS,
        });
        ctx.state.uploads.delete(stop);
        const v = await ctx.store.append(id, r, { replace });
        ctx.metrics.uploads.inc({ outcome: 'stored' });
        const stored = { dataset: id, version: v.version, edges: r.rows, skipped: r.skipped, nodes: (v as { nodes?: number }).nodes ?? r.members.size, format: r.format, mode: replace ? 'replace' : 'append' };
        if (key !== undefined) await idempotency.remember(id, info.created, { key, fingerprint: hash!.digest('hex'), created: Date.now(), status: 201, body: stored });
        return stored;
      } catch (e) {
        ctx.metrics.uploads.inc({ outcome: 'rejected' });
        // A rejected upload stops reading; drain nothing more and close the connection after the reply.
        if (lim.bytes > 0 || !(body as unknown as { readableEnded?: boolean }).readableEnded) reply.header('connection', 'close');
        throw e;
      }
    }).finally(() => ctx.state.uploads.delete(stop));
    return reply.code(201).header('location', `/v1/datasets/${id}`).send(result);
  });
};

function shuttingDown(): SupernodeError {
  return new SupernodeError('SHUTTING_DOWN', 'the server is shutting down; this upload was not stored: send it again once the server is back', {}, { retryAfter: 5 });
}
