/**
 * Datasets: create, list, describe (ETag: a poll for a new version or snapshot is a 304), delete,
 * and the snapshots of one (id, created, job request, seed, window, dataset version, which one is
 * latest). Also the admin key routes.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SupernodeError } from '../../engine/errors.js';
import type { DatasetInfo as StoreInfo } from '../../engine/store/index.js';
import type { ApiContext, ContextOpts } from '../context.js';
import { isTerminal } from '../jobs.js';
import { sendTagged } from '../etag.js';
import { CreateDataset, DatasetInfo, errors, IdParams, KeyBody, SnapshotList } from '../schemas.js';
import { SnapshotListing } from '../snapshots/index.js';

function view(ctx: ApiContext, info: StoreInfo): never {
  let snapshot: number | null = null;
  try {
    snapshot = ctx.snapshots.latestOrNull(info.name)?.meta.id ?? null;
  } catch { /* an unreadable snapshot does not hide the dataset */ }
  return { id: info.name, ...info, snapshot } as never;
}

export const datasetRoutes: FastifyPluginAsyncTypebox<ContextOpts> = async (app, { ctx }) => {
  app.post('/v1/datasets', {
    config: { scope: 'write' },
    schema: { tags: ['datasets'], summary: 'create an empty dataset', operationId: 'createDataset', body: CreateDataset, response: { 201: DatasetInfo, ...errors(400, 401, 403, 409) } },
  }, async (req, reply) => {
    const info = await ctx.lock(req.body.name, () => ctx.store.create(req.body.name, { directed: req.body.directed ?? true }));
    return reply.code(201).header('location', `/v1/datasets/${info.name}`).send(view(ctx, info));
  });

  app.get('/v1/datasets', {
    config: { scope: 'read' },
    schema: { tags: ['datasets'], summary: 'list datasets', operationId: 'listDatasets', response: { 200: Type.Object({ items: Type.Array(DatasetInfo), total: Type.Integer() }), ...errors(401) } },
  }, async () => {
    const items = (await ctx.store.list()).map((d) => view(ctx, d));
    return { items, total: items.length };
  });

  app.get('/v1/datasets/:id', {
    config: { scope: 'read' },
    schema: {
      tags: ['datasets'], summary: 'describe a dataset: nodes, edges, time span, interaction types, versions, latest snapshot (strong ETag: If-None-Match polls are 304 until a version or snapshot is added)',
      operationId: 'getDataset', params: IdParams, response: { 200: DatasetInfo, 304: Type.Null({ description: 'not modified' }), ...errors(400, 401, 404) },
    },
  }, async (req, reply) => sendTagged(req, reply, view(ctx, await ctx.store.describe(req.params.id))));

  const listing = new SnapshotListing(ctx.snapshots);
  app.get('/v1/datasets/:id/snapshots', {
    config: { scope: 'read' },
    schema: {
      tags: ['datasets'], operationId: 'listSnapshots',
      summary: 'the snapshots of a dataset, newest first: id, kind, created, job and its request (seed, window, publish), dataset version, sizes, and which one the rankings serve (latest)',
      params: IdParams, response: { 200: SnapshotList, 304: Type.Null({ description: 'not modified' }), ...errors(400, 401, 404) },
    },
  }, async (req, reply) => {
    const info = await ctx.store.describe(req.params.id);
    const items = listing.list(info.name, info.created);
    return sendTagged(req, reply, { dataset: info.name, latest: items.find((i) => i.latest)?.id ?? null, total: items.length, items });
  });

  app.delete('/v1/datasets/:id', {
    config: { scope: 'write' },
    schema: { tags: ['datasets'], summary: 'delete a dataset, its versions and snapshots (cancels its jobs)', operationId: 'deleteDataset', params: IdParams, response: { 204: Type.Null(), ...errors(400, 401, 403, 404) } },
  }, async (req, reply) => {
    const id = req.params.id;
    await ctx.lock(id, async () => {
      await ctx.store.describe(id);
      for (const j of ctx.jobs.list(id)) if (!isTerminal(j.state)) ctx.jobs.cancel(j.id);
      await ctx.store.delete(id);
      ctx.snapshots.drop(id);
    });
    return reply.code(204).send(null);
  });

  // API keys (admin).
  const KeyView = Type.Object({ id: Type.String(), name: Type.String(), scope: Type.String(), created: Type.String(), rateLimit: Type.Optional(Type.Integer()) });
  app.post('/v1/keys', {
    config: { scope: 'admin' },
    schema: { tags: ['keys'], summary: 'create an API key (the key is shown once)', operationId: 'createKey', body: KeyBody, response: { 201: Type.Object({ key: Type.String(), id: Type.String(), scope: Type.String() }), ...errors(400, 401, 403) } },
  }, async (req, reply) => {
    const { key, record } = await ctx.keys.create(req.body.scope, req.body.name, req.body.rateLimit);
    return reply.code(201).send({ key, id: record.id, scope: record.scope });
  });
  app.get('/v1/keys', {
    config: { scope: 'admin' },
    schema: { tags: ['keys'], summary: 'list API keys (never the keys themselves)', operationId: 'listKeys', response: { 200: Type.Object({ items: Type.Array(KeyView) }), ...errors(401, 403) } },
  }, async () => ({ items: ctx.keys.list().map(({ hash: _h, ...r }) => r) }));
  app.delete('/v1/keys/:keyId', {
    config: { scope: 'admin' },
    schema: { tags: ['keys'], summary: 'revoke an API key', operationId: 'deleteKey', params: Type.Object({ keyId: Type.String({ maxLength: 64 }) }), response: { 204: Type.Null(), ...errors(401, 403, 404) } },
  }, async (req, reply) => {
    if (!(await ctx.keys.revoke(req.params.keyId))) throw new SupernodeError('NOT_FOUND', `no key ${req.params.keyId}`);
    return reply.code(204).send(null);
  });
};
