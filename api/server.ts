/**
 * Listening server: `startServer` builds the app, removes what interrupted writes left behind
 * (temporary files of the store, snapshots and job records), listens (127.0.0.1 by default),
 * installs graceful shutdown on SIGINT/SIGTERM and optionally stores and analyses a bundled dataset
 * on first start so `npm start` has something to serve.
 *
 * Shutdown, bounded by SHUTDOWN_GRACE_MS in all: stop accepting (new requests and connections get
 * 503 SHUTTING_DOWN), end SSE streams, answer uploads still reading their body 503 SHUTTING_DOWN
 * (nothing of them is stored; an upload already writing its version finishes and commits), record
 * queued and running jobs as failed with JOB_INTERRUPTED (at most JOB_STOP_MS for kernels to stop),
 * finish the other in-flight requests, close the worker pool, exit. Past the grace the process exits
 * anyway (code 1): job records are on disk by then, and a half-read upload is never committed.
 */
import fs from 'node:fs';
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { ingestFile } from '../engine/ingest/index.js';
import { type AppOptions, buildApp } from './app.js';

/** Longest a graceful shutdown may take before the process exits regardless. */
export const SHUTDOWN_GRACE_MS = 10_000;
/** Longest running jobs get to stop (and their records to land) during a shutdown. */
export const JOB_STOP_MS = 5_000;

export { buildApp } from './app.js';
export type { AppOptions } from './app.js';

export interface StartOptions extends Omit<AppOptions, 'logger'> {
  readonly dataDir: string;
  readonly host?: string;
  readonly port?: number;
  readonly threads?: number;
  readonly logger?: AppOptions['logger'];
  /** Store this file as dataset `name` if absent and start an analysis if it has no snapshot. */
  readonly bundled?: { readonly name: string; readonly file: string; readonly columns?: readonly string[]; readonly directed?: boolean };
  /** Install SIGINT/SIGTERM handlers (default true). */
  readonly handleSignals?: boolean;
}

export interface RunningServer {
  readonly url: string;
  readonly docsUrl: string;
  /** The dashboard with a fresh one-time login token (read scope; api/auth.ts SessionStore). */
  readonly dashboardUrl: string;
  /** The admin key generated on this (first) start, else null. Also in <dataDir>/.admin-key. */
  readonly adminKey: string | null;
  readonly adminKeyFile: string | null;
  readonly app: FastifyInstance;
  /** Job id of the bundled dataset's analysis, when one was started. */
  readonly bundledJob: string | null;
  close(): Promise<void>;
}

export async function startServer(opts: StartOptions): Promise<RunningServer> {
  const envKey = process.env['SUPERNODE_API_KEY'];
  const app = await buildApp({
    logger: opts.logger ?? { level: process.env['LOG_LEVEL'] ?? 'info' },
    ...opts,
    ...(opts.keys === undefined && envKey ? { keys: [{ key: envKey, scope: 'admin' as const, name: 'SUPERNODE_API_KEY' }] } : {}),
  });
  const { ctx, adminKey } = app.supernode;
  const swept = [...await ctx.store.sweepNow(), ...await ctx.snapshots.sweep()];
  if (swept.length > 0) app.log.info({ removed: swept.length }, 'removed temporary files of interrupted writes');
  let bundledJob: string | null = null;
  if (opts.bundled !== undefined && fs.existsSync(opts.bundled.file)) {
    const b = opts.bundled;
    const existing = (await ctx.store.list()).find((d) => d.name === b.name);
    if (existing === undefined || existing.latest === null) {
      if (existing === undefined) await ctx.store.create(b.name, { directed: b.directed ?? true });
      const r = await ingestFile(b.file, b.columns !== undefined ? { columns: b.columns } : {});
      await ctx.store.append(b.name, r);
      app.log.info({ dataset: b.name, rows: r.rows }, 'stored the bundled dataset');
    }
    if (ctx.snapshots.latestOrNull(b.name) === null) bundledJob = (await ctx.jobs.submit(b.name, 'analysis', {})).id;
  }
  const address = await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 8787 });
  const url = address.replace('[::1]', 'localhost');
  let closed: Promise<void> | null = null;
  const grace = opts.handleSignals === false ? null : closeWithGrace({ delay: SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await close();
  });
  const close = () => {
    closed ??= (async () => {
      grace?.uninstall();
      ctx.state.closing = true;
      // app.close() stops accepting and then waits for in-flight requests; a slow upload would
      // hold it (and the job records) until the grace ran out, so end uploads and jobs meanwhile.
      const closing = app.close();
      for (const stop of [...ctx.state.uploads]) stop();
      await ctx.jobs.close(JOB_STOP_MS);
      await closing;
    })();
    return closed;
  };
  return {
    url, docsUrl: `${url}/docs`, dashboardUrl: `${url}/?token=${app.supernode.sessions.issueLoginToken('read')}`, adminKey, adminKeyFile: adminKey !== null ? ctx.keys.adminKeyFile : null, app, bundledJob, close,
  };
}
