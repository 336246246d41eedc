/**
 * API limits from the environment, for `supernode start` and api/main.ts (docs/operations.md lists
 * every limit, its default and what a client gets past it). Only what is set is returned, so
 * buildApp's DEFAULT_LIMITS fill the rest; a value that is not a positive integer is a coded error
 * at start, never a silently unlimited server.
 */
import { SupernodeError } from '../engine/errors.js';
import type { ApiLimits } from './context.js';

/** Environment variable -> the limit it sets. */
export const LIMIT_ENV: Readonly<Record<string, keyof ApiLimits>> = Object.freeze({
  SUPERNODE_RATE_LIMIT: 'rateLimit',
  SUPERNODE_AUTH_FAILURES: 'authFailuresPerMinute',
  SUPERNODE_SSE_PER_KEY: 'ssePerKey',
  SUPERNODE_MAX_QUEUED_JOBS: 'maxQueuedJobs',
  SUPERNODE_MAX_UPLOAD_BYTES: 'uploadBytes',
  SUPERNODE_MAX_UPLOAD_ROWS: 'uploadRows',
  SUPERNODE_MAX_LINE_BYTES: 'lineBytes',
  SUPERNODE_PAGE_CACHE_BYTES: 'pageCacheBytes',
});

export function limitsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): Partial<ApiLimits> {
  const out: Partial<Record<keyof ApiLimits, number>> = {};
  for (const [name, key] of Object.entries(LIMIT_ENV)) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 1) throw new SupernodeError('BAD_OPTION', `${name}="${text}" is not a positive integer`);
    out[key] = n;
  }
  return out as Partial<ApiLimits>;
}
