/** Liveness and version (/health, public), readiness (/ready, public) and Prometheus metrics (/metrics, read scope). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ContextOpts } from '../context.js';
import { errors } from '../schemas.js';
import { SERVER_VERSION } from './docs.js';

export const healthRoutes: FastifyPluginAsyncTypebox<ContextOpts> = async (app, { ctx }) => {
  app.get('/health', {
    config: { scope: 'none', rateLimit: false },
    schema: {
      tags: ['health'], summary: 'liveness and the server version', operationId: 'getHealth',
      response: { 200: Type.Object({ status: Type.Literal('ok'), version: Type.String({ description: 'package.json version' }), uptime: Type.Number({ description: 'seconds' }) }) },
    },
  }, async () => ({ status: 'ok' as const, version: SERVER_VERSION, uptime: process.uptime() }));

  app.get('/ready', {
    config: { scope: 'none', rateLimit: false },
    schema: {
      tags: ['health'], summary: 'readiness: 503 while starting, shutting down or shedding load', operationId: 'getReady',
      response: { 200: Type.Object({ ready: Type.Boolean(), jobs: Type.Object({ queued: Type.Integer(), running: Type.Integer() }) }), 503: Type.Ref('Error') },
    },
  }, async (_req, reply) => {
    const pressure = ((app as unknown as { isUnderPressure?: () => boolean }).isUnderPressure?.() ?? false) || (ctx.state.pressure?.() ?? false);
    if (!ctx.state.ready || ctx.state.closing || pressure) {
      const code = ctx.state.closing ? 'SHUTTING_DOWN' : 'OVERLOADED';
      return reply.code(503).header('retry-after', '2').send({ code, message: ctx.state.closing ? 'shutting down' : 'not ready' });
    }
    const { queued, running } = ctx.jobs.stats;
    return { ready: true, jobs: { queued, running } };
  });

  app.get('/metrics', {
    config: { scope: 'read', rateLimit: false },
    schema: {
      tags: ['health'], summary: 'Prometheus metrics (text exposition format)', operationId: 'getMetrics',
      response: { 200: { description: 'Prometheus text exposition format 0.0.4', content: { 'text/plain; version=0.0.4': { schema: Type.String() } } }, ...errors(401) },
    },
  }, async (_req, reply) => {
    const { queued, running } = ctx.jobs.stats;
    ctx.metrics.queue.set({ state: 'queued' }, queued);
    ctx.metrics.queue.set({ state: 'running' }, running);
    return reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
};
