/**
 * Jobs: start an analysis or a seeds selection (202 + job id), poll its status, follow it as
 * Server-Sent Events, cancel it. The work itself runs in api/jobs.ts and api/executor.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getAlgorithm } from '../../engine/catalog/index.js';
import { SupernodeError } from '../../engine/errors.js';
import { parseDuration, parseTime } from '../../engine/graph/window.js';
import type { DatasetInfo } from '../../engine/store/index.js';
import type { ApiContext, ContextOpts } from '../context.js';
import { withoutDir } from '../errors.js';
import { sendTagged } from '../etag.js';
import { isTerminal, type JobEvent, type JobRecord } from '../jobs.js';
import { errors, IdParams, JobAccepted, JobParams, JobRequest, JobView, SeedsBody } from '../schemas.js';

/** A job as the API shows it; a failed job's message never names the data directory `dir`. */
export function jobView(j: JobRecord, dir?: string): never {
  return ({
    id: j.id, dataset: j.dataset, kind: j.kind, state: j.state, progress: j.progress, created: j.created,
    started: j.started, finished: j.finished, request: j.request,
    ...(j.snapshot !== null && { snapshot: j.snapshot }), ...(j.error !== null && { error: { ...j.error, message: withoutDir(j.error.message, dir) } }),
  }) as never;
}

async function requireData(ctx: ApiContext, id: string): Promise<DatasetInfo> {
  const info = await ctx.store.describe(id);
  if (info.latest === null) throw new SupernodeError('BAD_OPTION', `dataset ${id} has no edges yet: POST /v1/datasets/${id}/edges first`);
  return info;
}

/** One job option's check, given the whole request and the dataset it will run on; throws a coded 400. */
type OptionCheck = (value: never, request: Readonly<Record<string, unknown>>, info: DatasetInfo) => void;

function needsTimestamps(name: string, info: DatasetInfo): void {
  if (info.timeSpan === null) throw new SupernodeError('BAD_OPTION', `${name} needs timestamps, and dataset ${info.name} has none`);
}

/**
 * What the schema cannot say about a job's options, checked when the job is requested so that a
 * bad option answers 400 now instead of a failed job later (in the API's words: `window`, not
 * `--window`). One entry per option; an option without an entry needs only its schema.
 */
export const JOB_OPTION_CHECKS: Readonly<Record<string, OptionCheck>> = Object.freeze({
  measures: (ms: readonly string[]) => {
    for (const m of ms) getAlgorithm(m);
  },
  window: (w: string, _r, info) => {
    if (!(parseDuration(w, 'window') > 0)) throw new SupernodeError('BAD_OPTION', `window "${w}" must be longer than zero`);
    needsTimestamps('window', info);
  },
  types: (types: readonly string[], _r, info) => {
    if (info.types.length === 0) throw new SupernodeError('BAD_OPTION', `types needs interaction types, and dataset ${info.name} has none (upload a type column)`);
    const unknown = types.filter((t) => !info.types.includes(t));
    if (unknown.length > 0) throw new SupernodeError('BAD_OPTION', `types ${JSON.stringify(unknown)} are not in dataset ${info.name} (it has ${info.types.slice(0, 20).join(', ')})`);
  },
  from: (t: string, r, info) => {
    const from = parseTime(t, 'from');
    needsTimestamps('from', info);
    if (typeof r['to'] === 'string' && from >= parseTime(r['to'], 'to')) throw new SupernodeError('BAD_OPTION', `from "${t}" must be before to "${r['to']}"`);
  },
  to: (t: string, _r, info) => {
    parseTime(t, 'to');
    needsTimestamps('to', info);
  },
  typeWeights: (w: Readonly<Record<string, number>>, _r, info) => {
    if (info.types.length === 0) throw new SupernodeError('BAD_OPTION', `typeWeights needs interaction types, and dataset ${info.name} has none`);
    const unknown = Object.keys(w).filter((t) => !info.types.includes(t));
    if (unknown.length > 0) throw new SupernodeError('BAD_OPTION', `typeWeights names types ${unknown.join(', ')} that dataset ${info.name} does not have (${info.types.join(', ')})`);
  },
  model: (m: string, r) => {
    if (m === 'ic' && r['p'] === undefined) throw new SupernodeError('BAD_OPTION', 'model "ic" needs p');
  },
});

/** Runs the check of every option the request holds. */
export function validateJobOptions(request: Readonly<Record<string, unknown>>, info: DatasetInfo): void {
  for (const [name, check] of Object.entries(JOB_OPTION_CHECKS)) {
    if (request[name] !== undefined) check(request[name] as never, request, info);
  }
}

export const jobRoutes: FastifyPluginAsyncTypebox<ContextOpts> = async (app, { ctx }) => {
  /** Open event streams per key: each holds a socket and a subscription until its job ends. */
  const streamsByKey = new Map<string, number>();
  app.post('/v1/datasets/:id/jobs', {
    config: { scope: 'write' },
    schema: {
      tags: ['jobs'], summary: 'start an analysis of the latest version (measures, window, types, seed)',
      params: IdParams, body: Type.Optional(JobRequest), response: { 202: JobAccepted, ...errors(400, 401, 403, 404, 429) },
    },
  }, async (req, reply) => {
    const body = req.body ?? {};
    validateJobOptions(body, await requireData(ctx, req.params.id));
    const job = await ctx.jobs.submit(req.params.id, 'analysis', body);
    const location = `/v1/jobs/${job.id}`;
    return reply.code(202).header('location', location).send({ jobId: job.id, state: job.state, location });
  });

  app.post('/v1/datasets/:id/seeds', {
    config: { scope: 'write' },
    schema: {
      tags: ['jobs'], summary: 'choose k seed users (IMM influence maximisation) as a job; its snapshot holds the seeds and their spread',
      params: IdParams, body: SeedsBody, response: { 202: JobAccepted, ...errors(400, 401, 403, 404, 429) },
    },
  }, async (req, reply) => {
    validateJobOptions(req.body, await requireData(ctx, req.params.id));
    const job = await ctx.jobs.submit(req.params.id, 'seeds', req.body);
    const location = `/v1/jobs/${job.id}`;
    return reply.code(202).header('location', location).send({ jobId: job.id, state: job.state, location });
  });

  app.get('/v1/datasets/:id/jobs', {
    config: { scope: 'read' },
    schema: { tags: ['jobs'], summary: 'jobs of a dataset, newest first', params: IdParams, response: { 200: Type.Object({ items: Type.Array(JobView) }), ...errors(401) } },
  }, async (req) => ({ items: ctx.jobs.list(req.params.id).sort((a, b) => b.created.localeCompare(a.created)).map((j) => jobView(j, ctx.dataDir)) }));

  app.get('/v1/jobs/:jobId', {
    config: { scope: 'read' },
    schema: { tags: ['jobs'], summary: 'job status and progress (strong ETag: a poll is 304 until the job moves)', params: JobParams, response: { 200: JobView, 304: Type.Null({ description: 'not modified' }), ...errors(401, 404) } },
  }, async (req, reply) => sendTagged(req, reply, jobView(ctx.jobs.get(req.params.jobId), ctx.dataDir)));

  app.delete('/v1/jobs/:jobId', {
    config: { scope: 'write' },
    schema: { tags: ['jobs'], summary: 'cancel a queued or running job', params: JobParams, response: { 202: JobView, ...errors(401, 403, 404) } },
  }, async (req, reply) => reply.code(202).send(jobView(ctx.jobs.cancel(req.params.jobId), ctx.dataDir)));

  app.get('/v1/jobs/:jobId/events', {
    config: { scope: 'read', rateLimit: false },
    schema: {
      tags: ['jobs'], summary: 'Server-Sent Events: `state` and `progress` events with the job view; the stream ends with the job',
      params: JobParams, response: { 200: { description: 'an event stream', content: { 'text/event-stream': { schema: Type.String() } } }, ...errors(401, 404, 429) },
    },
  }, async (req, reply) => {
    const job = ctx.jobs.get(req.params.jobId);
    const owner = req.principal?.keyId ?? req.ip;
    const open = streamsByKey.get(owner) ?? 0;
    if (open >= ctx.limits.ssePerKey && !isTerminal(job.state)) {
      throw new SupernodeError('RATE_LIMITED', `${open} event streams are open for this key (at most ${ctx.limits.ssePerKey}); close one or poll GET /v1/jobs/${job.id}`, {}, { retryAfter: 5 });
    }
    reply.hijack();
    const res = reply.raw;
    // Headers set by hooks (CORS for a listed origin) would be lost with the hijack: carry them over.
    res.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string | string[]>),
      'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive', 'x-accel-buffering': 'no',
    });
    let seq = 0;
    const send = (type: string, j: JobRecord) => res.write(`id: ${++seq}\nevent: ${type}\ndata: ${JSON.stringify(jobView(j, ctx.dataDir))}\n\n`);
    send('state', job);
    if (isTerminal(job.state)) {
      res.end();
      return;
    }
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    heartbeat.unref();
    let unsubscribe = () => {};
    streamsByKey.set(owner, open + 1);
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      const left = (streamsByKey.get(owner) ?? 1) - 1;
      if (left > 0) streamsByKey.set(owner, left);
      else streamsByKey.delete(owner);
      clearInterval(heartbeat);
      unsubscribe();
      ctx.state.streams.delete(stop);
      if (!res.writableEnded) res.end();
    };
    unsubscribe = ctx.jobs.subscribe(job.id, (e: JobEvent) => {
      send(e.type, e.job);
      if (isTerminal(e.job.state)) stop();
    });
    ctx.state.streams.add(stop);
    req.raw.on('close', stop);
  });
};
