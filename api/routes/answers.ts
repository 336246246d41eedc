/**
 * The answers a growth team acts on, read from the latest analysis snapshot (or `?snapshot=N`):
 * strong and weak ties with the bridges between communities (engine/rank/ties.ts), core and
 * periphery, contribution. Like the ranking routes, a page is built once per snapshot and query,
 * kept as bytes with its strong ETag (and a gzip form), and a matching If-None-Match gets 304.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { SupernodeError } from '../../engine/errors.js';
import { tableRow } from '../../engine/rank/ties.js';
import type { ContextOpts } from '../context.js';
import { toCsv } from '../csv.js';
import type { Snapshot } from '../snapshots/index.js';
import { errors, IdParams, PageQuery, PageResponse } from '../schemas.js';
import { acceptsGzip, etagMatches } from './rankings.js';

const TiesQuery = Type.Object({
  ...PageQuery.properties,
  class: Type.Optional(Type.Union([Type.Literal('strong'), Type.Literal('weak')], { description: 'only strong or only weak ties' })),
  bridge: Type.Optional(Type.Boolean({ description: 'true: only bridges (weak ties between two communities)' })),
  member: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: "only this member's ties" })),
});

/** One page: `items` are already the rows [offset, offset + limit) of `total`. */
const CoreQuery = Type.Object({
  ...PageQuery.properties,
  position: Type.Optional(Type.Union([Type.Literal('core'), Type.Literal('periphery')], { description: 'only core or only periphery members' })),
});

const MovementQuery = Type.Object({
  ...PageQuery.properties,
  direction: Type.Optional(Type.Union([Type.Literal('joined'), Type.Literal('left')], { description: 'joined (default): moved into the core; left: moved out' })),
});

const ContributionQuery = Type.Object({
  ...PageQuery.properties,
  period: Type.Optional(Type.Integer({ minimum: 0, description: 'which window, 0 = the oldest kept; default the latest' })),
  member: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'only this member' })),
});

interface Built { head: Record<string, unknown>; total: number; items: readonly Record<string, unknown>[] }

export const answerRoutes: FastifyPluginAsyncTypebox<ContextOpts> = async (app, { ctx }) => {
  /** Snapshot -> cached page -> 304 or body; `format=csv` (or Accept: text/csv) gives the items as CSV. */
  function serve(req: FastifyRequest, reply: FastifyReply, dataset: string, q: { limit: number; offset: number; snapshot?: number; format?: string },
    key: string, build: (s: Snapshot) => Built) {
    const s = ctx.snapshots.get(dataset, q.snapshot);
    const accept = req.headers.accept;
    const csv = q.format !== undefined ? q.format === 'csv' : accept !== undefined && accept.includes('text/csv') && !accept.includes('application/json');
    const page = ctx.snapshots.page(s, `${key}|${q.limit}|${q.offset}|${csv ? 'csv' : 'json'}`, () => {
      const b = build(s);
      const items = b.items;
      if (csv) return { body: toCsv(items), type: 'text/csv; charset=utf-8' };
      return {
        body: JSON.stringify({ dataset, snapshot: s.meta.id, datasetVersion: s.meta.datasetVersion, ...b.head, total: b.total, limit: q.limit, offset: q.offset, items }),
        type: 'application/json; charset=utf-8',
      };
    });
    const gz = page.gzip !== null && acceptsGzip(req.headers['accept-encoding']) ? page.gzip : null;
    const etag = gz?.etag ?? page.etag;
    reply.header('etag', etag).header('cache-control', 'private, no-cache').header('x-snapshot', String(s.meta.id)).header('vary', 'accept-encoding');
    const inm = req.headers['if-none-match'];
    if (inm !== undefined && etagMatches(inm, etag)) return reply.code(304).send();
    if (gz !== null) reply.header('content-encoding', 'gzip');
    return reply.type(page.type).send(gz?.body ?? page.body);
  }
  const read = { config: { scope: 'read' as const } };
  const response = { 200: PageResponse, 304: Type.Null(), ...errors(400, 401, 404) };

  app.get('/v1/datasets/:id/ties', {
    ...read,
    schema: {
      tags: ['answers'], params: IdParams, querystring: TiesQuery, response,
      summary: 'strong and weak ties, strongest first: weight, interaction count, reciprocal, neighbourhood overlap, class, bridge, last interaction; the page head carries reciprocity, the class rule and totals',
    },
  }, async (req, reply) => {
    const q = req.query;
    return serve(req, reply, req.params.id, q, `ties|${q.class ?? ''}|${q.bridge ?? ''}|${q.member ?? ''}`, (s) => {
      const t = s.ties;
      if (t === null) throw new SupernodeError('SNAPSHOT_NOT_FOUND', `snapshot ${s.meta.id} has no ties (written before ties existed): run a new analysis job`);
      // Count every match, dress only the page's rows.
      const items: Record<string, unknown>[] = [];
      let total = 0;
      for (let i = 0; i < t.source.length; i++) {
        if (q.class !== undefined && (t.strong[i] === 1) !== (q.class === 'strong')) continue;
        if (q.bridge !== undefined && (t.bridge[i] === 1) !== q.bridge) continue;
        if (q.member !== undefined && t.source[i] !== q.member && t.target[i] !== q.member) continue;
        if (total >= q.offset && items.length < q.limit) items.push({ ...tableRow(t, i) });
        total++;
      }
      return { head: { reciprocity: t.reciprocity, rule: t.rule, totals: t.totals, tiesInGraph: t.total, tiesKept: t.source.length }, total, items };
    });
  });

  const corePart = (s: Snapshot) => {
    if (s.corePeriphery === null) throw new SupernodeError('SNAPSHOT_NOT_FOUND', `snapshot ${s.meta.id} has no core-periphery answer (written before it existed): run a new analysis job`);
    return s.corePeriphery;
  };

  app.get('/v1/datasets/:id/core-periphery', {
    ...read,
    schema: {
      tags: ['answers'], params: IdParams, querystring: CoreQuery, response,
      summary: 'members by Borgatti-Everett coreness (1 = most central core member) with their core/periphery position; the head gives the core size and the fit of the cut',
    },
  }, async (req, reply) => {
    const q = req.query;
    return serve(req, reply, req.params.id, q, `core|${q.position ?? ''}`, (s) => {
      const cp = corePart(s);
      // Members in snapshot order; the coreness order is built once per snapshot and cached.
      let order = s.orders.get('core-score:desc');
      if (order === undefined) {
        const v = s.members.map((m) => m.measures['core-score'] ?? 0);
        order = Int32Array.from(v.keys()).sort((a, b) => v[b]! - v[a]! || a - b);
        s.orders.set('core-score:desc', order);
      }
      const items: Record<string, unknown>[] = [];
      let total = 0;
      for (let k = 0; k < order.length; k++) {
        const m = s.members[order[k]!]!;
        const position = m.measures['in-core'] === 1 ? 'core' : 'periphery';
        if (q.position !== undefined && position !== q.position) continue;
        if (total >= q.offset && items.length < q.limit) items.push({ id: m.id, rank: k + 1, coreness: m.measures['core-score'] ?? 0, position, community: m.community });
        total++;
      }
      return { head: { coreSize: cp.coreSize, fit: cp.fit, converged: cp.converged }, total, items };
    });
  });

  app.get('/v1/datasets/:id/core-periphery/movement', {
    ...read,
    schema: {
      tags: ['answers'], params: IdParams, querystring: MovementQuery, response,
      summary: 'who moved into (direction=joined) or out of (left) the core between the last two windows of the job\'s window (default 30 days, ending at the latest interaction); the head gives both windows',
    },
  }, async (req, reply) => {
    const q = req.query;
    return serve(req, reply, req.params.id, q, `movement|${q.direction ?? ''}`, (s) => {
      const mv = corePart(s).movement;
      if (mv === null) throw new SupernodeError('BAD_OPTION', `dataset ${req.params.id} has no timestamps: core-periphery movement needs them`);
      const rows = q.direction === 'left' ? mv.left : mv.joined;
      const windows = mv.windows.map((w) => ({ from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString(), coreSize: w.coreSize, fit: w.fit }));
      return { head: { windows }, total: rows.length, items: rows.slice(q.offset, q.offset + q.limit).map((r) => ({ ...r })) };
    });
  });

  app.get('/v1/datasets/:id/contribution', {
    ...read,
    schema: {
      tags: ['answers'], params: IdParams, querystring: ContributionQuery, response,
      summary: "contribution per member for one pay period (the job's window, default 30 days; the last 3, oldest first): points, pool share and every component (recognition, conversations, bridges, cross-community) with value, percentile and share",
    },
  }, async (req, reply) => {
    const q = req.query;
    return serve(req, reply, req.params.id, q, `contribution|${q.period ?? ''}|${q.member ?? ''}`, (s) => {
      const c = s.contribution;
      if (c === null) throw new SupernodeError('SNAPSHOT_NOT_FOUND', `snapshot ${s.meta.id} has no contribution answer (written before it existed): run a new analysis job`);
      const k = q.period ?? c.windows.length - 1;
      const w = c.windows[k];
      if (w === undefined) throw new SupernodeError('BAD_OPTION', `period ${k} does not exist: this snapshot has periods 0..${c.windows.length - 1}`);
      const rows = q.member === undefined ? w.members : w.members.filter((m) => m.id === q.member);
      const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
      return {
        head: {
          period: k, from: iso(w.from), to: iso(w.to), interactions: w.interactions, active: w.active, weights: w.weights,
          periods: c.windows.map((x, i) => ({ period: i, from: iso(x.from), to: iso(x.to), interactions: x.interactions, active: x.active })),
        },
        total: rows.length, items: rows.slice(q.offset, q.offset + q.limit).map((r) => ({ ...r })),
      };
    });
  });

  app.get('/v1/datasets/:id/stability', {
    ...read,
    schema: {
      tags: ['answers'], params: IdParams, querystring: PageQuery, response,
      summary: 'bootstrap rank stability of the super-node top 10: per member the share of resamples it stays in the top 10, its median rank and 90% rank interval; the head gives resamples and the mean top-10 overlap',
    },
  }, async (req, reply) => serve(req, reply, req.params.id, req.query, 'stability', (s) => {
    const st = s.stability;
    if (st === null) {
      throw new SupernodeError('SNAPSHOT_NOT_FOUND', `snapshot ${s.meta.id} has no rank stability (written before it existed, or above the interaction bound): see diagnostics`);
    }
    const q = req.query;
    return {
      head: { measure: st.measure, k: st.k, resamples: st.resamples, meanOverlap: st.meanOverlap, betweenness: st.betweenness },
      total: st.members.length, items: st.members.slice(q.offset, q.offset + q.limit).map((m) => ({ ...m })),
    };
  }));
};
