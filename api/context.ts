/**
 * What every route plugin shares: the dataset store, snapshots, jobs, keys, the pool and options.
 * Passed to each plugin as its options (no global state), so tests can build several apps.
 */
import type { FastifyRequest } from 'fastify';
import type { DatasetStore } from '../engine/store/index.js';
import type { WorkerPool } from '../workers/pool.js';
import type { KeyStore, Principal, Scope } from './auth.js';
import type { JobManager } from './jobs.js';
import type { Metrics } from './metrics.js';
import type { SnapshotStore } from './snapshots/index.js';

export interface ApiLimits {
  /** JSON bodies, bytes. */
  readonly bodyLimit: number;
  /** Edge uploads (bytes on the wire, compressed or not). */
  readonly uploadLimit: number;
  /** One upload, decompressed bytes / edge rows / bytes per line (engine/limits.ts API_INPUT_LIMITS); 413 INPUT_LIMIT past them. */
  readonly uploadBytes: number;
  readonly uploadRows: number;
  readonly lineBytes: number;
  /** Requests per minute per key, unless the key record sets its own. */
  readonly rateLimit: number;
  readonly maxQueuedJobs: number;
  /** Concurrent job event streams (SSE) per key; one more answers 429 RATE_LIMITED. */
  readonly ssePerKey: number;
  /** Failed authentications per client IP per minute before that IP gets 429 (api/auth.ts). */
  readonly authFailuresPerMinute: number;
  /** Bound of the rankings page cache, bytes (api/snapshots/page-cache.ts); least recently used pages go first. */
  readonly pageCacheBytes: number;
}

export interface ApiContext {
  readonly dataDir: string;
  readonly store: DatasetStore;
  readonly snapshots: SnapshotStore;
  readonly jobs: JobManager;
  readonly keys: KeyStore;
  readonly pool: WorkerPool;
  readonly metrics: Metrics;
  readonly limits: ApiLimits;
  readonly state: {
    ready: boolean; closing: boolean; readonly streams: Set<() => void>; pressure?: () => boolean;
    /** Uploads still reading their body: each ends its upload with 503 SHUTTING_DOWN (shutdown). */
    readonly uploads: Set<() => void>;
  };
  /** Serialises writes (uploads, deletes) per dataset. */
  readonly lock: <T>(dataset: string, f: () => Promise<T>) => Promise<T>;
}

export interface ContextOpts { ctx: ApiContext }

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Scope the route needs; 'none' = public (health, docs). */
    scope?: Scope | 'none';
  }
}

export type Req = FastifyRequest;

export function makeLock(): ApiContext['lock'] {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(key: string, f: () => Promise<T>): Promise<T> => {
    const prev = tails.get(key) ?? Promise.resolve();
    const run = prev.then(f, f);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
