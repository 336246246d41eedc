/**
 * Rankings read from the latest analysis snapshot (or a pinned one with ?snapshot=): super-nodes,
 * communities and their flow, opinion leaders per community, brokers, roles, rising stars, one
 * member's profile, and seeds results. Every page is built once per snapshot and query, cached with
 * its strong ETag, and answered 304 on a matching If-None-Match. Every response names its snapshot
 * (body `snapshot`, header X-Snapshot), so a dashboard can tell when the data moved on.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type TSchema, Type } from 'typebox';
import { SupernodeError } from '../../engine/errors.js';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import {
  CONTENT_TYPES, type FlatTable, arrowChunks, brokerTable, communityTable, csvChunks, flowTable, objectTable, risingTable, roleTable, supernodeTable,
} from '../../engine/export/table.js';
import type { BrokerRow, CommunityRow, MemberRow, RisingRow, RoleRow } from '../../engine/rank/analysis.js';
import type { ContextOpts } from '../context.js';
import { toCsv } from '../csv.js';
import type { Snapshot } from '../snapshots/index.js';
import { readDatasetLabelsSync } from '../../engine/store/labels.js';
import {
  BrokerItem, CommunityItem, DatasetName, documentResponses, FlowItem, IdParams, LeaderItem, MemberProfile, pageResponses, PageQuery, RisingItem,
  RoleItem, SeedsResponse, SnapshotQuery, SupernodeItem,
} from '../schemas.js';

const CACHE_CONTROL = 'private, no-cache';

interface Page { total: number; items: readonly unknown[] }
interface Query { limit: number; offset: number; community?: number; sort?: string; order?: 'asc' | 'desc'; role?: string; format?: 'json' | 'csv' | 'arrow'; snapshot?: number }

export function etagMatches(header: string, etag: string): boolean {
  if (header === etag) return true;
  for (const part of header.split(',')) {
    const t = part.trim();
    if (t === '*' || t === etag || (t.startsWith('W/') && t.slice(2) === etag)) return true;
  }
  return false;
}

/** Whether Accept-Encoding allows gzip (a `gzip;q=0` refuses it; `*` accepts it). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined || header.length === 0) return false;
  for (const part of header.split(',')) {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

function wantsCsv(req: FastifyRequest, format: string | undefined): boolean {
  return exportFormat(req, format) === 'csv';
}

/** csv or arrow from ?format=, else from Accept (JSON wins when it is acceptable too); null = JSON. */
function exportFormat(req: FastifyRequest, format: string | undefined): 'csv' | 'arrow' | null {
  if (format !== undefined) return format === 'csv' || format === 'arrow' ? format : null;
  const accept = req.headers.accept;
  if (accept === undefined || accept.includes('application/json')) return null;
  return accept.includes('text/csv') ? 'csv' : accept.includes('application/vnd.apache.arrow.stream') ? 'arrow' : null;
}

/** Whether the request named `limit` itself (the schema fills in the default 50 otherwise). */
function limitGiven(req: FastifyRequest): boolean {
  const q = req.url.indexOf('?');
  return q >= 0 && new URLSearchParams(req.url.slice(q + 1)).has('limit');
}

/** The flat table of a ranking route's rows: typed columns per route, scalar keys otherwise. */
function routeTable(route: string, s: Snapshot, items: readonly unknown[]): FlatTable {
  switch (route) {
    case 'supernodes': return supernodeTable(items as MemberRow[], s.meta.measureNames);
    case 'communities': return communityTable(items as CommunityRow[]);
    case 'flow': return flowTable(items as { from: number; to: number; weight: number }[]);
    case 'brokers': return brokerTable(items as BrokerRow[]);
    case 'roles': return roleTable(items as RoleRow[]);
    case 'rising': return risingTable(items as RisingRow[]);
    default: return objectTable(items as Record<string, unknown>[]);
  }
}

function memberItem(m: MemberRow, labels: ReadonlyMap<string, string> | null): Record<string, unknown> {
  const label = labels?.get(m.id);
  return { id: m.id, ...(label !== undefined && { label }), rank: m.rank, score: m.score, community: m.community, measures: m.measures, explanation: m.explanation };
}

/**
 * The dataset's member labels (engine/store/labels.ts, stored by `supernode ingest --labels`),
 * read once per snapshot: pages are cached per snapshot, so new labels show from the next one.
 */
const snapshotLabels = new WeakMap<Snapshot, ReadonlyMap<string, string> | null>();
function labelsOf(dataDir: string, dataset: string, s: Snapshot): ReadonlyMap<string, string> | null {
  let l = snapshotLabels.get(s);
  if (l === undefined) snapshotLabels.set(s, l = readDatasetLabelsSync(dataDir, dataset));
  return l;
}

/** Member positions ordered by a measure (cached per snapshot); nulls last, ties by rank. */
function memberOrder(s: Snapshot, sort: string, order: 'asc' | 'desc'): Int32Array {
  const key = `${sort}:${order}`;
  let o = s.orders.get(key);
  if (o !== undefined) return o;
  const n = s.members.length;
  o = new Int32Array(n);
  for (let i = 0; i < n; i++) o[i] = i;
  if (!(sort === 'rank' && order === 'asc')) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const m = s.members[i]!;
      const x = sort === 'rank' ? m.rank : sort === 'score' ? m.score : m.measures[sort];
      v[i] = x === null || x === undefined ? Number.NaN : x;
    }
    const sign = order === 'asc' ? 1 : -1;
    o.sort((a, b) => {
      const va = v[a]!, vb = v[b]!;
      if (Number.isNaN(va) || Number.isNaN(vb)) return Number.isNaN(va) ? (Number.isNaN(vb) ? a - b : 1) : -1;
      return sign * (va - vb) || a - b;
    });
  }
  s.orders.set(key, o);
  return o;
}

/** Week starts as ISO 8601 (they are epoch ms in the snapshot), like every other time the API sends. */
function isoActivity(p: Page): Page {
  return {
    total: p.total,
    items: (p.items as CommunityRow[]).map((c) => ({ ...c, activity: c.activity.map((a) => ({ weekStart: new Date(a.weekStart).toISOString(), interactions: a.interactions })) })),
  };
}

function paginate<T>(rows: readonly T[], q: Query): Page {
  return { total: rows.length, items: rows.slice(q.offset, q.offset + q.limit) };
}

export const rankingRoutes: FastifyPluginAsyncTypebox<ContextOpts> = async (app, { ctx }) => {
  /** No snapshot: say DATASET_NOT_FOUND when the dataset itself is missing (store.describe throws it). */
  async function missing(dataset: string, e: unknown): Promise<never> {
    if ((e as { code?: string }).code === 'SNAPSHOT_NOT_FOUND') await ctx.store.describe(dataset);
    throw e;
  }
  /**
   * format=csv|arrow: the whole ranking (filters and sort apply; limit/offset only when given),
   * streamed from the snapshot in slices (engine/export/table.ts), never held as one body. The
   * bytes are a function of the snapshot and the query, so the ETag is too (304 on a match).
   */
  function exportRanking(req: FastifyRequest, reply: FastifyReply, s: Snapshot, q: Query, key: string, format: 'csv' | 'arrow', build: (s: Snapshot) => Page | Record<string, unknown>) {
    if (!limitGiven(req)) (req.query as Query).limit = Number.MAX_SAFE_INTEGER;
    const gzip = acceptsGzip(req.headers['accept-encoding']);
    const etag = `"${s.meta.id}-${createHash('sha256').update(`${format}|${key}|${limitGiven(req) ? q.limit : 'all'}`).digest('base64url').slice(0, 22)}${gzip ? '-gz' : ''}"`;
    reply.header('etag', etag).header('cache-control', CACHE_CONTROL).header('x-snapshot', String(s.meta.id)).header('vary', 'accept-encoding');
    const inm = req.headers['if-none-match'];
    if (inm !== undefined && etagMatches(inm, etag)) return reply.code(304).send();
    const built = build(s);
    const isPage = Array.isArray((built as Page).items) && typeof (built as Page).total === 'number';
    const table = routeTable(key.split('|')[0]!, s, isPage ? (built as Page).items : [built]);
    reply.header('x-total-count', String(isPage ? (built as Page).total : 1));
    const body = Readable.from(format === 'csv' ? csvChunks(table) : arrowChunks(table), { objectMode: false });
    reply.type(CONTENT_TYPES[format]);
    if (!gzip) return reply.send(body);
    const gz = createGzip({ level: 6 });
    body.on('error', (e) => gz.destroy(e));
    return reply.header('content-encoding', 'gzip').send(body.pipe(gz));
  }

  /** The shared read path: snapshot -> cached page -> 304 or body. */
  function serve(req: FastifyRequest, reply: FastifyReply, dataset: string, q: Query, key: string, build: (s: Snapshot) => Page | Record<string, unknown>) {
    let s: Snapshot;
    try {
      s = ctx.snapshots.get(dataset, q.snapshot);
    } catch (e) {
      return missing(dataset, e);
    }
    const exp = exportFormat(req, q.format);
    if (exp !== null && key !== 'seeds' && !key.startsWith('member|')) return exportRanking(req, reply, s, q, key, exp, build);
    const csv = exp === 'csv';
    const page = ctx.snapshots.page(s, csv ? `${key}|csv` : key, () => {
      const built = build(s);
      const isPage = Array.isArray((built as Page).items) && typeof (built as Page).total === 'number';
      if (csv) return { body: toCsv(isPage ? (built as Page).items : [built]), type: 'text/csv; charset=utf-8' };
      const head = { dataset, snapshot: s.meta.id, datasetVersion: s.meta.datasetVersion };
      const body = isPage ? { ...head, total: (built as Page).total, limit: q.limit, offset: q.offset, items: (built as Page).items } : { ...head, ...built };
      return { body: JSON.stringify(body), type: 'application/json; charset=utf-8' };
    });
    // The bytes were encoded (and gzipped) once per snapshot and query; a reply only picks a form.
    const gz = page.gzip !== null && acceptsGzip(req.headers['accept-encoding']) ? page.gzip : null;
    const etag = gz?.etag ?? page.etag;
    reply.header('etag', etag).header('cache-control', CACHE_CONTROL).header('x-snapshot', String(s.meta.id)).header('vary', 'accept-encoding');
    const inm = req.headers['if-none-match'];
    if (inm !== undefined && etagMatches(inm, etag)) return reply.code(304).send();
    if (gz !== null) reply.header('content-encoding', 'gzip');
    return reply.type(page.type).send(gz?.body ?? page.body);
  }
  const pageKey = (route: string, q: Query) => `${route}|${q.limit}|${q.offset}|${q.community ?? ''}|${q.sort ?? ''}|${q.order ?? ''}|${q.role ?? ''}`;
  const common = (summary: string, operationId: string, item: TSchema) => ({
    tags: ['rankings'], summary, operationId, params: IdParams, querystring: PageQuery, response: pageResponses(item),
  });
  const read = { config: { scope: 'read' as const } };

  app.get('/v1/datasets/:id/supernodes', { ...read, schema: common('super-nodes: members by super-node score, with explanations; sort by any measure, filter by community', 'listSupernodes', SupernodeItem) },
    async (req, reply) => serve(req, reply, req.params.id, req.query, pageKey('supernodes', req.query), (s) => {
      const sort = req.query.sort ?? 'rank';
      if (sort !== 'rank' && sort !== 'score' && !s.meta.measureNames.includes(sort)) {
        throw new SupernodeError('BAD_OPTION', `sort "${sort}" is not rank, score or one of ${s.meta.measureNames.join(', ')}`);
      }
      const order = req.query.order ?? (sort === 'rank' ? 'asc' : 'desc');
      const pos = memberOrder(s, sort, order);
      const c = req.query.community;
      const picked: number[] = [];
      let total = 0;
      for (let k = 0; k < pos.length; k++) {
        const i = pos[k]!;
        if (c !== undefined && s.members[i]!.community !== c) continue;
        if (total >= req.query.offset && picked.length < req.query.limit) picked.push(i);
        total++;
      }
      return { total, items: picked.map((i) => memberItem(s.members[i]!, labelsOf(ctx.store.dataDir, req.params.id, s))) };
    }));

  app.get('/v1/datasets/:id/communities', { ...read, schema: common('communities: size, cohesion, life cycle, top members, activity', 'listCommunities', CommunityItem) },
    async (req, reply) => serve(req, reply, req.params.id, req.query, pageKey('communities', req.query), (s) => {
      const rows = req.query.community === undefined ? s.communities : s.communities.filter((c) => c.id === req.query.community);
      const sort = req.query.sort as keyof (typeof rows)[number] | undefined;
      if (sort === undefined) return isoActivity(paginate(rows, req.query));
      if (!['size', 'internalWeight', 'externalWeight', 'density', 'conductance', 'id'].includes(sort)) {
        throw new SupernodeError('BAD_OPTION', `sort "${String(sort)}" is not size, internalWeight, externalWeight, density, conductance or id`);
      }
      const sign = (req.query.order ?? 'desc') === 'asc' ? 1 : -1;
      return isoActivity(paginate([...rows].sort((a, b) => sign * ((a[sort] as number) - (b[sort] as number)) || a.id - b.id), req.query));
    }));

  app.get('/v1/datasets/:id/communities/flow', { ...read, schema: common('interaction flow between communities (from, to, weight), heaviest first', 'listCommunityFlow', FlowItem) },
    async (req, reply) => serve(req, reply, req.params.id, req.query, pageKey('flow', req.query), (s) => {
      const c = req.query.community;
      const rows = s.flow.filter((f) => c === undefined || f.from === c || f.to === c);
      return paginate([...rows].sort((a, b) => b.weight - a.weight || a.from - b.from || a.to - b.to), req.query);
    }));

  app.get('/v1/datasets/:id/communities/:cid/leaders', {
    ...read,
    schema: {
      tags: ['rankings'], summary: 'opinion leaders of one community', operationId: 'listCommunityLeaders', params: Type.Object({ id: DatasetName, cid: Type.Integer({ minimum: -1 }) }),
      querystring: PageQuery, response: pageResponses(LeaderItem),
    },
  }, async (req, reply) => serve(req, reply, req.params.id, req.query, pageKey(`leaders/${req.params.cid}`, req.query), (s) => {
    const row = s.leadersByCommunity.get(req.params.cid);
    if (row === undefined) throw new SupernodeError('COMMUNITY_NOT_FOUND', `snapshot ${s.meta.id} has no leaders for community ${req.params.cid}`);
    return paginate(row.members.map((m) => ({ ...m, community: row.community })), req.query);
  }));

  app.get('/v1/datasets/:id/brokers', { ...read, schema: common('brokers: members spanning structural holes between communities', 'listBrokers', BrokerItem) },
    async (req, reply) => serve(req, reply, req.params.id, req.query, pageKey('brokers', req.query), (s) => {
      const c = req.query.community;
      const rows = c === undefined ? s.brokers : s.brokers.filter((b) => b.communitiesLinked.includes(c) || s.members[s.byId.get(b.id) ?? -1]?.community === c);
      return paginate(rows, req.query);
    }));

  app.get('/v1/datasets/:id/roles', { ...read, schema: common('Guimera-Amaral roles (z-score, participation); filter by community and role', 'listRoles', RoleItem) },
    async (req, reply) => serve(req, reply, req.params.id, req.query, pageKey('roles', req.query), (s) => {
      const { community: c, role } = req.query;
      return paginate(s.roles.filter((r) => (c === undefined || r.community === c) && (role === undefined || r.role === role)), req.query);
    }));

  app.get('/v1/datasets/:id/rising', { ...read, schema: common('rising stars: biggest rank gains between the earlier and the recent window', 'listRising', RisingItem) },
    async (req, reply) => serve(req, reply, req.params.id, req.query, pageKey('rising', req.query), (s) => {
      const c = req.query.community;
      const rows = c === undefined ? s.rising : s.rising.filter((r) => s.members[s.byId.get(r.id) ?? -1]?.community === c);
      return paginate(rows, req.query);
    }));

  app.get('/v1/datasets/:id/members/:memberId', {
    ...read,
    schema: {
      tags: ['rankings'], summary: "one member's profile: rank, measures, explanation, community, role, broker and rising entries, and its PageRank rank per window (top super-nodes and rising stars)",
      params: Type.Object({ id: DatasetName, memberId: Type.String({ minLength: 1, maxLength: 1024 }) }), querystring: SnapshotQuery,
      operationId: 'getMember', response: documentResponses(MemberProfile, "the member's profile"),
    },
  }, async (req, reply) => {
    const q = { limit: 1, offset: 0, ...req.query };
    return serve(req, reply, req.params.id, q, `member|${req.params.memberId}`, (s) => {
      const at = s.byId.get(req.params.memberId);
      if (at === undefined) throw new SupernodeError('UNKNOWN_MEMBER', `no member "${req.params.memberId}" in ${req.params.id} (snapshot ${s.meta.id})`);
      const m = s.members[at]!;
      const leaderOf = s.leaders.filter((l) => l.members.some((x) => x.id === m.id)).map((l) => l.community);
      const t = s.trajectories, ti = s.trajectoryById.get(m.id);
      const trajectory = t === null || ti === undefined ? null : {
        measure: t.measure,
        windows: t.windows.map((w, i) => ({
          from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString(), interactions: w.interactions,
          rank: t.members[ti]!.ranks[i]!, score: t.members[ti]!.scores[i]!,
        })),
      };
      return {
        member: { ...memberItem(m, labelsOf(ctx.store.dataDir, req.params.id, s)), percentile: s.members.length > 1 ? 1 - (m.rank - 1) / (s.members.length - 1) : 1 },
        community: s.communityById.get(m.community) ?? null,
        role: s.roleById.get(m.id) ?? null, broker: s.brokerById.get(m.id) ?? null, rising: s.risingById.get(m.id) ?? null,
        leaderOf, trajectory,
      };
    });
  });

  app.get('/v1/datasets/:id/seeds/:snapshotId', {
    ...read,
    schema: {
      tags: ['rankings'], summary: 'the seeds a seeds job chose (its snapshot id) with their estimated spread',
      params: Type.Object({ id: DatasetName, snapshotId: Type.Integer({ minimum: 1 }) }), querystring: SnapshotQuery,
      operationId: 'getSeeds', response: documentResponses(SeedsResponse, 'the seeds and their estimated spread'),
    },
  }, async (req, reply) => serve(req, reply, req.params.id, { limit: 1, offset: 0, snapshot: req.params.snapshotId, ...(req.query.format && { format: req.query.format }) }, 'seeds', (s) => {
    if (s.seeds === null) throw new SupernodeError('SNAPSHOT_NOT_FOUND', `snapshot ${s.meta.id} is not a seeds result`);
    return req.query.format === 'csv' || wantsCsv(req, req.query.format) ? { total: s.seeds.seeds.length, items: s.seeds.seeds } : { ...s.seeds };
  }));
};
