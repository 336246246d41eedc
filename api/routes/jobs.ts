/**
 * Jobs: start an analysis or a seeds selection (202 + job id), poll its status, follow it as
 * Server-Sent Events, cancel it. The work itself runs in api/jobs.ts and api/executor.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getAlgorithm } from '../../engine/catalog/index.js';
import { SupernodeError } from '../../engine/errors.js';
import type { ApiContext, ContextOpts } from '../context.js';
import { isTerminal, type JobEvent, type JobRecord } from '../jobs.js';
import { errors, IdParams, JobAccepted, JobParams, JobRequest, JobView, SeedsBody } from '../schemas.js';

export function jobView(j: JobRecord): never {
  return ({
    id: j.id, dataset: j.dataset, kind: j.kind, state: j.state, progress: j.progress, created: j.created,
    started: j.started, finished: j.finished, request: j.request,
    ...(j.snapshot !== null && { snapshot: j.snapshot }), ...(j.error !== null && { error: j.error }),
  }) as never;
}

async function requireData(ctx: ApiContext, id: string): Promise<void> {
  const info = await ctx.store.describe(id);
  if (info.latest === null) throw new SupernodeError('BAD_OPTION', `dataset ${id} has no edges yet: POST /v1/datasets/${id}/edges first`);
}

export const jobRoutes: FastifyPluginAsyncTypebox<ContextOpts> = async (app, { ctx }) => {
  app.post('/v1/datasets/:id/jobs', {
    config: { scope: 'write' },
    schema: {
      tags: ['jobs'], summary: 'start an analysis of the latest version (measures, window, types, seed)',
      params: IdParams, body: Type.Optional(JobRequest), response: { 202: JobAccepted, ...errors(400, 401, 403, 404, 429) },
    },
  }, async (req, reply) => {
    const body = req.body ?? {};
    for (const m of body.measures ?? []) getAlgorithm(m);
    await requireData(ctx, req.params.id);
    const job = ctx.jobs.submit(req.params.id, 'analysis', body);
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
    if (req.body.model === 'ic' && req.body.p === undefined) throw new SupernodeError('BAD_OPTION', 'model "ic" needs p');
    await requireData(ctx, req.params.id);
    const job = ctx.jobs.submit(req.params.id, 'seeds', req.body);
    const location = `/v1/jobs/${job.id}`;
    return reply.code(202).header('location', location).send({ jobId: job.id, state: job.state, location });
  });

  app.get('/v1/datasets/:id/jobs', {
    config: { scope: 'read' },
    schema: { tags: ['jobs'], summary: 'jobs of a dataset, newest first', params: IdParams, response: { 200: Type.Object({ items: Type.Array(JobView) }), ...errors(401) } },
  }, async (req) => ({ items: ctx.jobs.list(req.params.id).sort((a, b) => b.created.localeCompare(a.created)).map(jobView) }));

  app.get('/v1/jobs/:jobId', {
    config: { scope: 'read' },
    schema: { tags: ['jobs'], summary: 'job status and progress', params: JobParams, response: { 200: JobView, ...errors(401, 404) } },
  }, async (req) => jobView(ctx.jobs.get(req.params.jobId)));

  app.delete('/v1/jobs/:jobId', {
    config: { scope: 'write' },
    schema: { tags: ['jobs'], summary: 'cancel a queued or running job', params: JobParams, response: { 202: JobView, ...errors(401, 403, 404) } },
  }, async (req, reply) => reply.code(202).send(jobView(ctx.jobs.cancel(req.params.jobId))));

  app.get('/v1/jobs/:jobId/events', {
    config: { scope: 'read', rateLimit: false },
    schema: {
      tags: ['jobs'], summary: 'Server-Sent Events: `state` and `progress` events with the job view; the stream ends with the job',
      params: JobParams, response: { 200: Type.String({ description: 'text/event-stream' }), ...errors(401, 404) },
    },
  }, async (req, reply) => {
    const job = ctx.jobs.get(req.params.jobId);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive', 'x-accel-buffering': 'no',
    });
    let seq = 0;
    const send = (type: string, j: JobRecord) => res.write(`id: ${++seq}\nevent: ${type}\ndata: ${JSON.stringify(jobView(j))}\n\n`);
    send('state', job);
    if (isTerminal(job.state)) {
      res.end();
      return;
    }
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    heartbeat.unref();
    let unsubscribe = () => {};
    const stop = () => {
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
