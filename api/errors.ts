/**
 * Errors to HTTP, once: every error a route raises becomes `{code, message[, line, column, file]}`
 * with the status the catalogue (engine/errors.ts) gives that code. Framework errors (schema
 * validation, body limits, unknown routes, timeouts) are translated to catalogue codes here too,
 * so clients match on `code` alone and never see two shapes of error.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new SupernodeError('PAYLOAD_TOO_LARGE', 'request body exceeds the size limit');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new SupernodeError('INPUT_UNSUPPORTED_FORMAT', fe.message ?? 'unsupported media type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new SupernodeError('BAD_OPTION', fe.message ?? 'bad request body');
    default:
      break;
  }
  if (fe.statusCode === 400 || (fe instanceof SyntaxError)) return new SupernodeError('BAD_OPTION', fe.message ?? 'bad request');
  if (fe.statusCode === 413) return new SupernodeError('PAYLOAD_TOO_LARGE', fe.message ?? 'request body too large');
  if (fe.statusCode === 408) return new SupernodeError('REQUEST_TIMEOUT', fe.message ?? 'request timeout');
  if (fe.statusCode === 429) return new SupernodeError('RATE_LIMITED', fe.message ?? 'rate limited');
  if (fe.statusCode === 503) return new SupernodeError('OVERLOADED', fe.message ?? 'overloaded');
  return new SupernodeError('INTERNAL', 'internal server error');
}

export function sendError(reply: FastifyReply, e: SupernodeError): FastifyReply {
  const retry = RETRY_AFTER[e.code];
  const details = e.details as { retryAfter?: number } | undefined;
  if (retry !== undefined) reply.header('retry-after', String(details?.retryAfter ?? retry));
  return reply.code(e.status).type('application/json; charset=utf-8').send(JSON.stringify(errorBody(e)));
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const e = toSupernodeError(err);
    if (e.code === 'INTERNAL') req.log.error({ err }, 'unhandled error');
    else if (e.status >= 500) req.log.warn({ code: e.code, msg: e.message }, 'request failed');
    return sendError(reply, e);
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, new SupernodeError('NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`)));
}
