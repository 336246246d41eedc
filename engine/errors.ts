/**
 * The coded error catalogue: every error the engine, CLI and API raise on purpose.
 *
 * One place so that the CLI can print `code: message` on one line, the API can map each code
 * to an HTTP status once (api/errors.ts reads `status` from here), and tests match on `code`,
 * never on message text. `docs/errors.md` lists the same codes; test/engine/errors.test.ts
 * keeps the two in step.
 */

export const ERROR_CATALOGUE = {
  // Input files and uploads: 400, always with file, line and column where they exist.
  INPUT_EMPTY: { status: 400, summary: 'The input holds no edge rows.' },
  INPUT_MISSING_FIELD: { status: 400, summary: 'A row lacks a required field (source or target).' },
  INPUT_COLUMN_COUNT: { status: 400, summary: 'A row has a different number of columns than the file.' },
  INPUT_BAD_WEIGHT: { status: 400, summary: 'A weight is not a finite, non-negative number.' },
  INPUT_BAD_TIMESTAMP: { status: 400, summary: 'A timestamp cannot be parsed.' },
  INPUT_EMPTY_ID: { status: 400, summary: 'A member id is empty.' },
  INPUT_BAD_UTF8: { status: 400, summary: 'A row is not valid UTF-8.' },
  INPUT_BAD_QUOTE: { status: 400, summary: 'A quoted field is not closed on its line.' },
  INPUT_BAD_JSON: { status: 400, summary: 'An NDJSON line is not a JSON object.' },
  INPUT_BAD_HEADER: { status: 400, summary: 'The header or --columns list names no source/target column, or an unknown one.' },
  INPUT_BAD_ARROW: { status: 400, summary: 'An Arrow IPC input is unreadable or lacks the source/target columns.' },
  INPUT_BAD_PARQUET: { status: 400, summary: 'A Parquet input is unreadable or lacks the source/target columns.' },
  INPUT_BAD_GRAPH: { status: 400, summary: 'A GML, GraphML or GEXF input is malformed, or an edge names a node it does not declare.' },
  INPUT_UNSUPPORTED_FORMAT: { status: 415, summary: 'The input format is not supported.' },
  INPUT_TOO_LARGE: { status: 400, summary: 'The graph exceeds the engine limits (2^31-1 members or arcs).' },
  INPUT_LIMIT: { status: 413, summary: 'The input exceeds a configured limit (decompressed bytes, rows or line length); the message names the limit and its flag.' },
  INPUT_NOT_FOUND: { status: 400, summary: 'The input file does not exist.' },
  INPUT_BAD_GZIP: { status: 400, summary: 'A gzip-compressed input is truncated or corrupt.' },
  INPUT_BAD_ID: { status: 400, summary: 'A member id column has an unsupported type (ids are strings or integers).' },
  // Arguments and options.
  BAD_OPTION: { status: 400, summary: 'An option value is invalid.' },
  UNKNOWN_ALGORITHM: { status: 400, summary: 'No algorithm of that name.' },
  UNKNOWN_MEMBER: { status: 404, summary: 'No member of that id in the dataset.' },
  // Store.
  DATASET_NOT_FOUND: { status: 404, summary: 'No dataset of that name.' },
  DATASET_EXISTS: { status: 409, summary: 'A dataset of that name exists already.' },
  DATASET_BAD_NAME: { status: 400, summary: 'Dataset names are 1-64 characters of [A-Za-z0-9._-], not starting with a dot.' },
  STORE_CORRUPT: { status: 500, summary: 'A stored dataset is unreadable.' },
  STORAGE_FULL: { status: 507, summary: 'The data directory is full (ENOSPC or EDQUOT); nothing was stored.' },
  // Graph and kernels.
  GRAPH_NO_INEDGES: { status: 500, summary: 'The kernel needs in-edges but the graph was built without them.' },
  CANCELLED: { status: 409, summary: 'The computation was cancelled.' },
  WORKER_FAILED: { status: 500, summary: 'A worker task failed.' },
  NOT_CONVERGED: { status: 500, summary: 'An iterative method did not converge within its iteration cap.' },
  // HTTP API.
  UNAUTHORIZED: { status: 401, summary: 'No API key, or an unknown one (send Authorization: Bearer <key>).' },
  FORBIDDEN: { status: 403, summary: 'The API key lacks the scope this route needs (read, write or admin).' },
  NOT_FOUND: { status: 404, summary: 'No such route.' },
  METHOD_NOT_ALLOWED: { status: 405, summary: 'The route exists but not with this method (see the Allow header).' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, summary: 'The request body has a content type this route does not accept.' },
  URI_TOO_LONG: { status: 414, summary: 'The request URL is too long.' },
  HEADERS_TOO_LARGE: { status: 431, summary: 'The request headers are too large.' },
  IDEMPOTENCY_CONFLICT: { status: 409, summary: 'The Idempotency-Key was used before with a different request body.' },
  JOB_FAILED: { status: 500, summary: 'The job failed (the message gives the reason, e.g. a memory limit); the server is unaffected.' },
  JOB_NOT_FOUND: { status: 404, summary: 'No job of that id.' },
  SNAPSHOT_NOT_FOUND: { status: 404, summary: 'The dataset has no analysis snapshot of that version yet (start a job).' },
  COMMUNITY_NOT_FOUND: { status: 404, summary: 'No community of that id in the snapshot.' },
  PAYLOAD_TOO_LARGE: { status: 413, summary: 'The request body exceeds the size limit.' },
  RATE_LIMITED: { status: 429, summary: 'Too many requests for this API key; retry after the Retry-After seconds.' },
  QUEUE_FULL: { status: 429, summary: 'The job queue is full; retry after the Retry-After seconds.' },
  OVERLOADED: { status: 503, summary: 'The server is under pressure and shed the request; retry after the Retry-After seconds.' },
  SHUTTING_DOWN: { status: 503, summary: 'The server is shutting down.' },
  REQUEST_TIMEOUT: { status: 408, summary: 'The request took too long to arrive.' },
  JOB_INTERRUPTED: { status: 500, summary: 'The server stopped while the job ran; start it again.' },
  LISTEN_FAILED: { status: 500, summary: 'The server cannot listen on that host and port (in use, or not permitted); choose another with --port.' },
  NOT_IMPLEMENTED: { status: 501, summary: 'This capability is not available in this build.' },
  INTERNAL: { status: 500, summary: 'An unexpected server error.' },
} as const satisfies Record<string, { status: number; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
}

/** The one error class the project throws on purpose. `code` is the stable contract. */
export class SupernodeError extends Error {
  readonly code: ErrorCode;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, where: ErrorLocation = {}, details?: Record<string, unknown>) {
    super(message);
    this.name = 'SupernodeError';
    this.code = code;
    if (where.file !== undefined) this.file = where.file;
    if (where.line !== undefined) this.line = where.line;
    if (where.column !== undefined) this.column = where.column;
    if (details !== undefined) this.details = details;
  }

  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }

  /** `file:line:column: reason`, the shape compilers use, so editors can jump to the row. */
  static located(code: ErrorCode, reason: string, where: ErrorLocation): SupernodeError {
    const parts = [where.file ?? '<input>'];
    if (where.line !== undefined) parts.push(String(where.line));
    if (where.column !== undefined) parts.push(String(where.column));
    return new SupernodeError(code, `${parts.join(':')}: ${reason}`, where);
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.file !== undefined && { file: this.file }),
      ...(this.line !== undefined && { line: this.line }),
      ...(this.column !== undefined && { column: this.column }),
      ...(this.details !== undefined && { details: this.details }),
    };
  }
}

/** Brand check that also works across worker boundaries, where `instanceof` does not. */
export function isSupernodeError(e: unknown): e is SupernodeError {
  return typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'string'
    && (e as { code: string }).code in ERROR_CATALOGUE;
}
