/**
 * The Fastify application: one plugin per concern (datasets, ingest, jobs, rankings, docs, health)
 * over a shared context (store, snapshots, jobs, keys, worker pool, metrics). `buildApp` returns
 * the instance without listening, for `inject` tests; api/server.ts listens and handles signals.
 *
 * Request path: under-pressure shedding (503) -> API key (401/403, onRequest) -> per-key rate limit
 * (429, preHandler, keyed by the authenticated key) -> schema validation (400) -> thin handler.
 */
import fs from 'node:fs';
import v8 from 'node:v8';
import path from 'node:path';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import { SupernodeError } from '../engine/errors.js';
import { API_INPUT_LIMITS } from '../engine/limits.js';
import { DatasetStore } from '../engine/store/index.js';
import { WorkerPool } from '../workers/pool.js';
import { AnalysisThreads } from './analysis-thread.js';
import { allows, AuthThrottle, CSRF_HEADER, KeyStore, type Scope, SessionStore } from './auth.js';
import type { ApiContext, ApiLimits } from './context.js';
import { makeLock } from './context.js';
import { clientErrorHandler, finiteNumbersOnly, frameworkErrors, installErrorHandling, sendError } from './errors.js';
import { registerCors, parseCorsOrigins } from './cors.js';
import { makeExecutor } from './executor.js';
import { JobManager } from './jobs.js';
import { Metrics } from './metrics.js';
import { LoopPressure } from './pressure.js';
import { DEFAULT_JOB_NICE } from './threads.js';
import { datasetRoutes } from './routes/datasets.js';
import { docsPlugin, openapiRoute } from './routes/docs.js';
import { healthRoutes } from './routes/health.js';
import { ingestRoutes } from './routes/ingest.js';
import { jobRoutes } from './routes/jobs.js';
import { answerRoutes } from './routes/answers.js';
import { rankingRoutes } from './routes/rankings.js';
import { graphRoutes } from './routes/graphs.js';
import { uiRoutes } from './routes/ui.js';
import { ErrorBody } from './schemas.js';
import { DEFAULT_PAGE_CACHE_BYTES, SnapshotStore } from './snapshots/index.js';

export interface AppOptions {
  readonly dataDir: string;
  /** false (default for buildApp), true, pino options, or a pino logger instance. */
  readonly logger?: boolean | Record<string, unknown>;
  /** Worker threads for kernels (default: all cores). Ignored when `pool` is given. */
  readonly threads?: number;
  readonly pool?: WorkerPool;
  /** Keys configured up front (e.g. from SUPERNODE_API_KEY); none = generate an admin key once. */
  readonly keys?: readonly { key: string; scope: Scope; name?: string; rateLimit?: number }[];
  readonly limits?: Partial<ApiLimits>;
  readonly requestTimeoutMs?: number;
  /** Load shedding thresholds; `false` turns shedding off. */
  readonly underPressure?: false | { maxEventLoopDelay?: number; maxHeapUsedBytes?: number; maxRssBytes?: number };
  /**
   * Nice increment for the threads that run jobs (kernels, analysis, seeds): they get every idle
   * cycle but yield the core to the event loop (api/threads.ts). Default 19; 0 turns it off.
   */
  readonly jobNice?: number;
  /** Honour the `failForTest` job field (fault tests). */
  readonly testHooks?: boolean;
  readonly maxConcurrentJobs?: number;
  /** Browser origins allowed by CORS (api/cors.ts); default SUPERNODE_CORS_ORIGINS, none = no CORS. */
  readonly corsOrigins?: readonly string[];
  /** Heap of each analysis thread, MiB (engine/limits.ts ANALYSIS_HEAP_MB); past it the job fails, not the server. */
  readonly jobHeapMb?: number;
}

/** docs/operations.md lists these with their flags; change both together. */
export const DEFAULT_LIMITS: ApiLimits = Object.freeze({
  bodyLimit: 1 << 20, uploadLimit: 1 << 30,
  uploadBytes: API_INPUT_LIMITS.maxBytes, uploadRows: API_INPUT_LIMITS.maxRows, lineBytes: API_INPUT_LIMITS.maxLineBytes, rateLimit: 1200, maxQueuedJobs: 8, ssePerKey: 16, authFailuresPerMinute: 20,
  pageCacheBytes: DEFAULT_PAGE_CACHE_BYTES,
});

/** Longest path parameter (decoded characters): member ids up to this length can be looked up. */
export const MAX_PARAM_LENGTH = 1024;

/** pino's level numbers (the request logger may be a child with a per-route level). */
const LOG_LEVELS: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

export interface SupernodeApp {
  readonly ctx: ApiContext;
  /** The admin key generated on this start (first start without keys), else null. */
  readonly adminKey: string | null;
  /** Dashboard login tokens and cookie sessions (in memory). */
  readonly sessions: SessionStore;
}

declare module 'fastify' {
  interface FastifyInstance {
    supernode: SupernodeApp;
  }
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const limits: ApiLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const logger = opts.logger ?? false;
  const isInstance = typeof logger === 'object' && typeof (logger as { info?: unknown }).info === 'function';
  const fastifyOpts: FastifyServerOptions = {
    bodyLimit: limits.bodyLimit,
    requestTimeout: opts.requestTimeoutMs ?? 120_000,
    keepAliveTimeout: 72_000,
    // Request lines are logged by our own onResponse hook (errors and writes at info, reads at debug).
    logController: new LogController({ disableRequestLogging: true }),
    // Requests that arrive while closing get 503 SHUTTING_DOWN from the onRequest hook below, in our
    // error shape (Fastify's own 503 body is {error, message, statusCode}).
    return503OnClosing: false,
    // Errors from the HTTP parser and the router get the one error shape too (api/errors.ts).
    clientErrorHandler, frameworkErrors,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    ...(isInstance ? { loggerInstance: logger as never } : {
      logger: logger === false ? false : { level: 'info', redact: ['req.headers.authorization'], ...(logger === true ? {} : logger) },
    }),
  };
  const app = Fastify(fastifyOpts).withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance;

  const keys = new KeyStore(dataDir);
  const { adminKey } = await keys.init(opts.keys ?? []);
  const sessions = new SessionStore(keys);
  const store = new DatasetStore(dataDir);
  const snapshots = new SnapshotStore(dataDir, {
    pageCacheBytes: limits.pageCacheBytes,
    onSkip: (dataset, id, err) => app.log.error({ dataset, snapshot: id, reason: err.message }, 'skipped an unreadable snapshot; serving the newest readable one'),
  });
  const nice = opts.jobNice ?? DEFAULT_JOB_NICE;
  const pool = opts.pool ?? new WorkerPool({ ...(opts.threads !== undefined && { threads: opts.threads }), niceIncrement: nice });
  const metrics = new Metrics();
  const lock = makeLock();
  const concurrency = opts.maxConcurrentJobs ?? 1;
  const analysis = new AnalysisThreads(pool, nice, concurrency, opts.jobHeapMb);
  const jobs = new JobManager({
    dataDir, maxQueued: limits.maxQueuedJobs, concurrency,
    execute: makeExecutor({ store, snapshots, analysis, lock, nice, testHooks: !!opts.testHooks }),
    onPersistError: (job, err) => app.log.error({ job: job.id, state: job.state, err }, 'could not write a job record (a restart reports the job interrupted)'),
  });
  await jobs.restore();
  const ctx: ApiContext = {
    dataDir, store, snapshots, jobs, keys, pool, metrics, limits,
    state: { ready: false, closing: false, streams: new Set(), uploads: new Set() }, lock,
  };
  snapshots.onPublish(() => metrics.snapshots.inc());
  jobs.subscribeAll((j) => metrics.jobs.inc({ kind: j.kind, state: j.state }));
  app.decorate('supernode', { ctx, adminKey, sessions });
  app.decorateRequest('principal', null);

  installErrorHandling(app, { dataDir });
  const throttle = new AuthThrottle(limits.authFailuresPerMinute);
  app.addSchema(ErrorBody);
  metrics.install(app);

  let loop: LoopPressure | null = null;
  if (opts.underPressure !== false) {
    const up = opts.underPressure ?? {};
    // Memory through @fastify/under-pressure; the event loop through LoopPressure (see pressure.ts).
    await app.register(underPressure, {
      maxEventLoopDelay: 0,
      maxHeapUsedBytes: up.maxHeapUsedBytes ?? Math.floor(v8.getHeapStatistics().heap_size_limit * 0.95),
      ...(up.maxRssBytes !== undefined && { maxRssBytes: up.maxRssBytes }),
      retryAfter: 2,
      pressureHandler: (_req, reply, type) => {
        sendError(reply, new SupernodeError('OVERLOADED', `the server is under pressure (${type}); retry shortly`, {}, { retryAfter: 2 }));
      },
    });
    loop = new LoopPressure(up.maxEventLoopDelay ?? 1000);
    const l = loop;
    ctx.state.pressure = () => l.underPressure;
    app.addHook('onClose', async () => l.close());
  }

  // Before the key check: a listed origin's preflight is answered without a key (api/cors.ts).
  await registerCors(app, opts.corsOrigins ?? parseCorsOrigins(process.env['SUPERNODE_CORS_ORIGINS']));

  // One hook for every request, reading the route config once (each `req.routeOptions` builds an
  // object): event-loop shedding (503), then API keys. Every route names its scope; unknown routes
  // still need a valid key (no probing).
  app.addHook('onRequest', (req, reply, done) => {
    if (ctx.state.closing) {
      reply.header('connection', 'close');
      sendError(reply, new SupernodeError('SHUTTING_DOWN', 'the server is shutting down; retry against the next instance'));
      return;
    }
    const scope = req.routeOptions.config?.scope;
    if (loop?.underPressure === true && scope !== 'none') {
      sendError(reply, new SupernodeError('OVERLOADED', `event loop delay ${Math.round(loop.delayMs)} ms; retry shortly`, {}, { retryAfter: 2 }));
      return;
    }
    if (scope === 'none' || (scope === undefined && req.url.startsWith('/docs'))) {
      done();
      return;
    }
    try {
      // No Authorization but a Cookie: the dashboard's session (CSRF header on writes; api/auth.ts).
      const p = req.headers.authorization === undefined && req.headers.cookie !== undefined
        ? sessions.authenticate(req.headers.cookie, req.method, req.headers[CSRF_HEADER])
        : keys.authenticate(req.headers.authorization, { ip: req.ip, throttle });
      req.principal = p;
      const need: Scope = scope ?? (req.is404 ? 'read' : 'admin');
      if (!allows(p.scope, need)) throw new SupernodeError('FORBIDDEN', `this route needs the ${need} scope; the key has ${p.scope}`);
      done();
    } catch (e) {
      sendError(reply, e as SupernodeError);
    }
  });

  await app.register(rateLimit, {
    global: true, hook: 'preHandler', timeWindow: 60_000,
    keyGenerator: (req) => req.principal?.keyId ?? req.ip,
    max: (req) => req.principal?.rateLimit ?? limits.rateLimit,
    errorResponseBuilder: (_req, c) => new SupernodeError('RATE_LIMITED', `rate limit of ${c.max} requests per minute exceeded; retry in ${c.after}`, {}, { retryAfter: Math.max(1, Math.ceil(c.ttl / 1000)) }),
  });
  // Ajv coerces `limit=Infinity` (and 1e400) to a number that passes integer and maximum checks.
  app.addHook('preHandler', finiteNumbersOnly);

  if (logger !== false) {
    app.addHook('onResponse', (req, reply, done) => {
      const status = reply.statusCode;
      const level = status >= 500 ? 'warn' : status >= 400 || req.method !== 'GET' ? 'info' : 'debug';
      // Polled reads log at debug: at the default level a 200/304 must not even build the line.
      if ((LOG_LEVELS[req.log.level] ?? 0) <= LOG_LEVELS[level]!) {
        req.log[level]({ method: req.method, url: req.url, status, ms: Math.round(reply.elapsedTime * 100) / 100, key: req.principal?.keyId }, 'request');
      }
      done();
    });
  }

  await app.register(docsPlugin);
  await app.register(openapiRoute);
  await app.register(healthRoutes, { ctx });
  await app.register(datasetRoutes, { ctx });
  await app.register(ingestRoutes, { ctx });
  await app.register(jobRoutes, { ctx });
  await app.register(rankingRoutes, { ctx });
  await app.register(answerRoutes, { ctx });
  await app.register(graphRoutes, { ctx, nice });
  await app.register(uiRoutes, { ctx, sessions, throttle });

  app.addHook('onReady', async () => {
    ctx.state.ready = true;
  });
  app.addHook('preClose', async () => {
    ctx.state.closing = true;
    for (const stop of [...ctx.state.streams]) stop();
  });
  app.addHook('onClose', async () => {
    await jobs.close();
    await analysis.close();
    if (opts.pool === undefined) await pool.close();
  });
  return app;
}
