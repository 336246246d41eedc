/**
 * Graphs a browser can draw and an analyst can take to Gephi, cut from a snapshot's graph:
 *   GET /v1/datasets/{id}/members/{m}/ego          the member, its neighbours within `radius` hops
 *                                                  of the undirected view and every tie among them
 *   GET /v1/datasets/{id}/communities/{cid}/graph  the subgraph induced by a community's `limit`
 *                                                  best-scored members
 *   GET /v1/datasets/{id}/communities/graph        the super-graph: one node per community (its
 *                                                  size, life cycle), edges = inter-community flow
 * as graphology's serialisation (default), GEXF or GraphML (`format=`), each member's measures as
 * node attributes (engine/export/graph.ts). The graph is the one the snapshot's analysis ranked
 * (its dataset version, window and types), so the pictures match the rankings.
 *
 * Cost: the super-graph comes from the snapshot alone; member subgraphs are cut in the graph
 * thread (api/graph-thread.ts), which builds and caches the dataset's graph, so the event loop
 * only builds the small graphology graph. Every response is bounded (`limit` <= MAX_MEMBERS nodes,
 * SUBGRAPH_LIMITS.maxEdges ties) and cached per snapshot and query like the ranking pages: a
 * strong ETag derived from the snapshot (answered 304 before any work) and the bytes in a bounded
 * LRU (PAGE_CACHE_BYTES), gzipped once when the client accepts it.
 */
import { gzipSync } from 'node:zlib';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { Type } from 'typebox';
import { SupernodeError } from '../../engine/errors.js';
import { communityGraph, type GraphFormat, serialiseGraph, subgraphToGraphology } from '../../engine/export/graph.js';
import type { ExtractedGraph, Selection } from '../../engine/export/source.js';
import { SUBGRAPH_LIMITS } from '../../engine/export/subgraph.js';
import type { AnalysisRequest } from '../../engine/rank/analysis.js';
import type { ContextOpts } from '../context.js';
import { GraphThread } from '../graph-thread.js';
import type { Snapshot } from '../snapshots/index.js';
import { DatasetName, errors, GraphologyGraph } from '../schemas.js';
import { DEFAULT_JOB_NICE } from '../threads.js';
import { acceptsGzip, etagMatches } from './rankings.js';

/** Most members (or communities) one graph response holds. */
export const MAX_MEMBERS = 2000;
/** Bytes of graph responses kept (plain and gzip forms). */
export const PAGE_CACHE_BYTES = 64 * 2 ** 20;

const FormatQuery = Type.Optional(Type.Union([Type.Literal('graphology'), Type.Literal('gexf'), Type.Literal('graphml')], { default: 'graphology', description: 'graphology JSON (graph.export()), GEXF 1.2 or GraphML' }));
const SnapshotParam = Type.Optional(Type.Integer({ minimum: 1, description: 'cut from this snapshot instead of the latest' }));
const Limit = (def: number, what: string) => Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_MEMBERS, default: def, description: what }));

const graphResponse = {
  200: {
    description: 'the graph, in the requested format',
    content: {
      'application/json': { schema: GraphologyGraph },
      'application/gexf+xml': { schema: Type.String() },
      'application/graphml+xml': { schema: Type.String() },
    },
  },
  304: Type.Null({ description: 'not modified (If-None-Match matched the snapshot-derived ETag)' }),
  ...errors(400, 401, 404),
};

interface CachedGraph { readonly body: Buffer; readonly gzip: Buffer | null; readonly type: string }

export const graphRoutes: FastifyPluginAsyncTypebox<ContextOpts & { nice?: number }> = async (app, { ctx, nice }) => {
  const thread = new GraphThread(nice ?? DEFAULT_JOB_NICE);
  app.addHook('onClose', async () => thread.close());
  const pages = new LRUCache<string, CachedGraph>({ maxSize: PAGE_CACHE_BYTES, sizeCalculation: (p) => p.body.length + (p.gzip?.length ?? 0) + 64 });
  const inflight = new Map<string, Promise<CachedGraph>>();

  /** Snapshot -> ETag (304 before any work) -> cached bytes or `build` once per key. */
  async function serve(req: FastifyRequest, reply: FastifyReply, dataset: string, pin: number | undefined, key: string,
    format: GraphFormat, build: (s: Snapshot) => Promise<{ body: string; type: string }>) {
    let s: Snapshot;
    try {
      s = ctx.snapshots.get(dataset, pin);
    } catch (e) {
      // No snapshot because there is no dataset: say so (describe throws DATASET_NOT_FOUND).
      if ((e as { code?: string }).code === 'SNAPSHOT_NOT_FOUND') await ctx.store.describe(dataset);
      throw e;
    }
    const fullKey = `graph|${key}|${format}`;
    const gz = acceptsGzip(req.headers['accept-encoding']);
    const etag = ctx.snapshots.etag(s, fullKey);
    reply.header('cache-control', 'private, no-cache').header('x-snapshot', String(s.meta.id)).header('vary', 'accept-encoding');
    const inm = req.headers['if-none-match'];
    const cacheKey = `${s.meta.uid}/${s.meta.id}/${fullKey}`;
    let page = pages.get(cacheKey);
    // The gzip form has its own strong ETag (one validator per encoding), known before building.
    const gzEtag = `${etag.slice(0, -1)}-gz"`;
    if (inm !== undefined && (etagMatches(inm, etag) || (gz && etagMatches(inm, gzEtag)))) {
      return reply.header('etag', etagMatches(inm, etag) ? etag : gzEtag).code(304).send();
    }
    if (page === undefined) {
      let p = inflight.get(cacheKey);
      if (p === undefined) {
        p = build(s).then(({ body, type }) => {
          const bytes = Buffer.from(body, 'utf8');
          const z = bytes.length >= 1024 ? gzipSync(bytes) : null;
          const built: CachedGraph = { body: bytes, gzip: z !== null && z.length < bytes.length * 0.9 ? z : null, type };
          pages.set(cacheKey, built);
          return built;
        });
        inflight.set(cacheKey, p);
        void p.then(() => inflight.delete(cacheKey), () => inflight.delete(cacheKey));
      }
      page = await p;
    }
    const zipped = gz && page.gzip !== null;
    reply.header('etag', zipped ? gzEtag : etag);
    if (zipped) reply.header('content-encoding', 'gzip');
    return reply.type(page.type).send(zipped ? page.gzip : page.body);
  }

  /** Cuts a member subgraph in the graph thread and dresses it with the snapshot's measures. */
  async function memberGraph(s: Snapshot, selection: Selection, maxNodes: number, format: GraphFormat, attributes: Record<string, unknown>) {
    const info = await ctx.store.describe(s.meta.dataset);
    if (s.meta.datasetVersion === null) throw new SupernodeError('SNAPSHOT_NOT_FOUND', `snapshot ${s.meta.id} names no dataset version`);
    const sub: ExtractedGraph = await thread.extract({
      dataDir: ctx.dataDir, dataset: s.meta.dataset, created: info.created, version: s.meta.datasetVersion, directed: info.directed,
      request: s.meta.request as AnalysisRequest, selection, limits: { ...SUBGRAPH_LIMITS, maxNodes },
    });
    const member = (id: string) => {
      const at = s.byId.get(id);
      return at === undefined ? undefined : s.members[at];
    };
    const g = subgraphToGraphology(sub, sub.ids, member, sub.counts, {
      ...attributes, dataset: s.meta.dataset, snapshot: s.meta.id, datasetVersion: s.meta.datasetVersion,
    });
    return serialiseGraph(g, format);
  }

  const read = { config: { scope: 'read' as const } };

  app.get('/v1/datasets/:id/members/:memberId/ego', {
    ...read,
    schema: {
      tags: ['graphs'], operationId: 'getEgoNetwork',
      summary: "a member's ego network: the member, its neighbours within `radius` hops (undirected view) and every tie among them, weights and counts on the ties, measures on the members",
      description: `Capped at \`limit\` members (default ${SUBGRAPH_LIMITS.maxNodes}, at most ${MAX_MEMBERS}): nearer rings first, strongest ties first; ties capped at ${SUBGRAPH_LIMITS.maxEdges} (heaviest kept). Graph attributes nodesDropped, edgesDropped and truncated say what the caps left out.`,
      params: Type.Object({ id: DatasetName, memberId: Type.String({ minLength: 1, maxLength: 1024 }) }),
      querystring: Type.Object({
        radius: Type.Optional(Type.Integer({ minimum: 1, maximum: 2, default: 1 })),
        limit: Limit(SUBGRAPH_LIMITS.maxNodes, 'most members in the graph'),
        format: FormatQuery, snapshot: SnapshotParam,
      }),
      response: graphResponse,
    },
  }, async (req, reply) => {
    const { radius = 1, limit = SUBGRAPH_LIMITS.maxNodes, format = 'graphology', snapshot } = req.query;
    const m = req.params.memberId;
    return serve(req, reply, req.params.id, snapshot, `ego|${m}|${radius}|${limit}`, format, async (s) => {
      if (!s.byId.has(m)) throw new SupernodeError('UNKNOWN_MEMBER', `no member "${m}" in ${req.params.id} (snapshot ${s.meta.id})`);
      return memberGraph(s, { kind: 'ego', member: m, radius }, limit, format, { kind: 'ego', ego: m, radius });
    });
  });

  app.get('/v1/datasets/:id/communities/:cid/graph', {
    ...read,
    schema: {
      tags: ['graphs'], operationId: 'getCommunityGraph',
      summary: "a community's subgraph: its `limit` best-scored members and every tie among them",
      params: Type.Object({ id: DatasetName, cid: Type.Integer({ minimum: -1 }) }),
      querystring: Type.Object({ limit: Limit(200, 'members, best super-node score first'), format: FormatQuery, snapshot: SnapshotParam }),
      response: graphResponse,
    },
  }, async (req, reply) => {
    const { limit = 200, format = 'graphology', snapshot } = req.query;
    const cid = req.params.cid;
    return serve(req, reply, req.params.id, snapshot, `community|${cid}|${limit}`, format, async (s) => {
      const c = s.communityById.get(cid);
      if (c === undefined) throw new SupernodeError('COMMUNITY_NOT_FOUND', `snapshot ${s.meta.id} has no community ${cid}`);
      const ids: string[] = [];
      for (const m of s.members) { // rank order: the best scores first
        if (m.community !== cid) continue;
        ids.push(m.id);
        if (ids.length >= limit) break;
      }
      return memberGraph(s, { kind: 'members', members: ids }, limit, format, {
        kind: 'community', community: cid, members: c.size, lifecycle: c.lifecycle,
      });
    });
  });

  app.get('/v1/datasets/:id/communities/graph', {
    ...read,
    schema: {
      tags: ['graphs'], operationId: 'getCommunitySuperGraph',
      summary: 'the community super-graph: one node per community (members, life cycle, cohesion), edges weighted by the interaction flow between them',
      description: `The \`limit\` largest communities and at most ${SUBGRAPH_LIMITS.maxEdges} flows among them (the heaviest); graph attributes nodesDropped, edgesDropped and truncated say what was left out.`,
      params: Type.Object({ id: DatasetName }),
      querystring: Type.Object({ limit: Limit(200, 'communities, largest first'), format: FormatQuery, snapshot: SnapshotParam }),
      response: graphResponse,
    },
  }, async (req, reply) => {
    const { limit = 200, format = 'graphology', snapshot } = req.query;
    return serve(req, reply, req.params.id, snapshot, `communities|${limit}`, format, async (s) => serialiseGraph(
      communityGraph(s.communities, s.flow, limit, { dataset: s.meta.dataset, snapshot: s.meta.id, datasetVersion: s.meta.datasetVersion }), format));
  });
};

