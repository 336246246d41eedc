/** Liveness (/health, public), readiness (/ready, public) and Prometheus metrics (/metrics, read scope). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { ContextOpts } from '../context.js';

export const healthRoutes: FastifyPluginAsyncTypebox<ContextOpts> = async (app, { ctx }) => {
  app.get('/health', {
    config: { scope: 'none', rateLimit: false },
    schema: { tags: ['health'], summary: 'liveness', response: { 200: Type.Object({ status: Type.Literal('ok'), uptime: Type.Number() }) } },
  }, async () => ({ status: 'ok' as const, uptime: process.uptime() }));

  app.get('/ready', {
    config: { scope: 'none', rateLimit: false },
    schema: {
      tags: ['health'], summary: 'readiness: 503 while starting, shutting down or shedding load',
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
    schema: { tags: ['health'], summary: 'Prometheus metrics (text exposition format)', response: { 200: Type.String() } },
  }, async (_req, reply) => {
    const { queued, running } = ctx.jobs.stats;
    ctx.metrics.queue.set({ state: 'queued' }, queued);
    ctx.metrics.queue.set({ state: 'running' }, running);
    return reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
};
