/**
 * Strong ETags for small JSON descriptors (a dataset, a job, a snapshot list): the tag is a hash of
 * the bytes sent, so it changes exactly when the answer does (a new version, a new snapshot, a job's
 * progress), and `If-None-Match` with it answers 304 with no body. A dashboard asking "is there a
 * new snapshot?" polls GET /v1/datasets/{id} with its last ETag and gets 304 until there is one.
 * (Ranking pages have their own snapshot-derived ETags: api/snapshots/page-cache.ts.)
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { etagMatches } from './routes/rankings.js';

export function jsonEtag(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
}

/** Sends `value` as JSON with a strong ETag, or 304 when If-None-Match names it. */
export function sendTagged(req: FastifyRequest, reply: FastifyReply, value: unknown, status = 200): FastifyReply {
  const body = JSON.stringify(value);
  const etag = jsonEtag(body);
  reply.header('etag', etag).header('cache-control', 'private, no-cache');
  const inm = req.headers['if-none-match'];
  if (status === 200 && inm !== undefined && etagMatches(inm, etag)) return reply.code(304).send();
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}
