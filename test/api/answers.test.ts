/** The answer routes (api/routes/answers.ts) on a real analysis job: ties paged, filtered, cached with ETags. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { auth, READER, testApp, waitJob, WRITER } from './helpers.js';

/**
 * Two two-way triangles {a,b,c} and {d,e,f} and the one-way tie c -> d, with timestamps: the same
 * shape as test/engine/rank/ties.test.ts, whose hand count gives the numbers below (7 ties, 6 of
 * them strong, the one-way {c,d} weak; 12 of the 13 distinct arcs have a reverse).
 */
const CSV = [
  'source,target,timestamp',
  'a,b,1000', 'b,a,1001', 'a,b,1002', 'b,c,1003', 'c,b,1004', 'c,a,1005', 'a,c,1006', 'a,c,1007',
  'd,e,1008', 'e,d,1009', 'e,f,1010', 'f,e,1011', 'f,d,1012', 'd,f,1013', 'd,e,1014', 'c,d,1015',
].join('\n');

describe('GET /v1/datasets/{id}/ties', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await testApp());
    await app.inject({ method: 'POST', url: '/v1/datasets', headers: auth(WRITER), payload: { name: 'tri', directed: true } });
    const up = await app.inject({ method: 'POST', url: '/v1/datasets/tri/edges', headers: { ...auth(WRITER), 'content-type': 'text/csv' }, payload: CSV });
    expect(up.statusCode, up.body).toBeLessThan(300);
    const job = await app.inject({ method: 'POST', url: '/v1/datasets/tri/jobs', headers: auth(WRITER), payload: { seed: 1 } });
    expect((await waitJob(app, job.json().jobId))['state']).toBe('succeeded');
  });
  afterAll(async () => app.close());

  it('pages every tie strongest first with reciprocity, the rule and totals in the head; ETag and 304', async () => {
    const r = await app.inject({ url: '/v1/datasets/tri/ties?limit=3', headers: auth(READER) });
    expect(r.statusCode, r.body).toBe(200);
    const j = r.json();
    // Distinct arcs a<->b, b<->c, a<->c, d<->e, e<->f, d<->f (12, each with its reverse) and c->d.
    expect(j).toMatchObject({ total: 7, limit: 3, offset: 0, tiesInGraph: 7, tiesKept: 7, reciprocity: 12 / 13 });
    expect(j.totals).toEqual({ ties: 7, strong: 6, weak: 1, bridges: j.totals.bridges });
    expect(j.items).toHaveLength(3);
    expect(Object.keys(j.items[0])).toEqual(['source', 'target', 'weight', 'count', 'reciprocal', 'overlap', 'class', 'bridge', 'last']);
    expect(j.items[0]).toMatchObject({ weight: 3, count: 3, reciprocal: true, overlap: 1, class: 'strong', bridge: false });
    const etag = r.headers.etag as string;
    const again = await app.inject({ url: '/v1/datasets/tri/ties?limit=3', headers: { ...auth(READER), 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    const rest = (await app.inject({ url: '/v1/datasets/tri/ties?limit=50&offset=3', headers: auth(READER) })).json();
    expect(rest.items).toHaveLength(4);
  });

  it('filters by class, bridge and member', async () => {
    const weak = (await app.inject({ url: '/v1/datasets/tri/ties?class=weak', headers: auth(READER) })).json();
    expect(weak.items).toEqual([expect.objectContaining({ source: 'c', target: 'd', weight: 1, count: 1, reciprocal: false, overlap: 0, class: 'weak', last: new Date(1015e3).toISOString() })]);
    const bridges = (await app.inject({ url: '/v1/datasets/tri/ties?bridge=true', headers: auth(READER) })).json();
    // Whether {c,d} is a bridge depends on Leiden putting the triangles apart, which it does here.
    expect(bridges.items.map((t: { source: string; target: string }) => `${t.source}-${t.target}`)).toEqual(['c-d']);
    const mine = (await app.inject({ url: '/v1/datasets/tri/ties?member=d', headers: auth(READER) })).json();
    expect(mine.total).toBe(3);
    const csv = await app.inject({ url: '/v1/datasets/tri/ties?format=csv&class=weak', headers: auth(READER) });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[0]).toBe('source,target,weight,count,reciprocal,overlap,class,bridge,last');
    const bad = await app.inject({ url: '/v1/datasets/tri/ties?class=medium', headers: auth(READER) });
    expect(bad.statusCode).toBe(400);
  });

  it('lists the strong-tie share and bridges per member as measures', async () => {
    const m = (await app.inject({ url: '/v1/datasets/tri/supernodes?sort=bridges&limit=2', headers: auth(READER) })).json();
    expect(m.items.map((x: { id: string }) => x.id).sort()).toEqual(['c', 'd']);
    expect(m.items[0].measures['strong-tie-share']).toBeCloseTo(2 / 3, 12);
  });

  it('serves core-periphery coreness with positions, and the movement between the last two windows', async () => {
    const r = await app.inject({ url: '/v1/datasets/tri/core-periphery', headers: auth(READER) });
    expect(r.statusCode, r.body).toBe(200);
    const j = r.json();
    expect(j.total).toBe(6);
    expect(j.items[0]).toMatchObject({ rank: 1, coreness: 1 });
    expect(j.items.filter((m: { position: string }) => m.position === 'core')).toHaveLength(j.coreSize);
    const core = (await app.inject({ url: '/v1/datasets/tri/core-periphery?position=core', headers: auth(READER) })).json();
    expect(core.total).toBe(j.coreSize);
    // Every interaction lies in the last 30 days, so the window before is empty: the core "joined" from absent.
    const mv = (await app.inject({ url: '/v1/datasets/tri/core-periphery/movement', headers: auth(READER) })).json();
    expect(mv.windows).toHaveLength(2);
    expect(mv.total).toBe(j.coreSize);
    expect(mv.items.every((m: { before: string; now: string }) => m.before === 'absent' && m.now === 'core')).toBe(true);
    const etag = (await app.inject({ url: '/v1/datasets/tri/core-periphery/movement', headers: auth(READER) })).headers.etag as string;
    expect((await app.inject({ url: '/v1/datasets/tri/core-periphery/movement', headers: { ...auth(READER), 'if-none-match': etag } })).statusCode).toBe(304);
  });

  it('serves contribution per pay period with every component', async () => {
    const r = await app.inject({ url: '/v1/datasets/tri/contribution', headers: auth(READER) });
    expect(r.statusCode, r.body).toBe(200);
    const j = r.json();
    // Three 30-day periods ending at the latest interaction; only the last holds the 16 rows.
    expect(j.periods.map((p: { interactions: number }) => p.interactions)).toEqual([0, 0, 16]);
    expect(j).toMatchObject({ period: 2, interactions: 16, active: 6, total: 6 });
    // The hand count of test/engine/rank/contribution.test.ts (same rows): d leads with 80 points.
    expect(j.items[0]).toMatchObject({ id: 'd', rank: 1, points: 80 });
    expect(Object.keys(j.items[0].components)).toEqual(['recognition', 'conversations', 'bridges', 'cross-community']);
    expect(j.items.reduce((a: number, m: { poolShare: number }) => a + m.poolShare, 0)).toBeCloseTo(1, 12);
    const one = (await app.inject({ url: '/v1/datasets/tri/contribution?member=c', headers: auth(READER) })).json();
    expect(one.items).toEqual([expect.objectContaining({ id: 'c', points: 60 })]);
    expect((await app.inject({ url: '/v1/datasets/tri/contribution?period=0', headers: auth(READER) })).json().total).toBe(0);
    expect((await app.inject({ url: '/v1/datasets/tri/contribution?period=9', headers: auth(READER) })).statusCode).toBe(400);
  });

  it('says rising stars without activity in the earlier window are new, with both windows and activity counts', async () => {
    const r = (await app.inject({ url: '/v1/datasets/tri/rising', headers: auth(READER) })).json();
    expect(r.items.length).toBeGreaterThan(0);
    for (const x of r.items) {
      // Every interaction lies in the last 30 days: nobody was active in the window before.
      expect(x).toMatchObject({ status: 'new', rankBefore: null, activityBefore: 0, scoreBefore: expect.any(Number) });
      expect(x.activityNow).toBeGreaterThan(0);
    }
    const leaders = (await app.inject({ url: '/v1/datasets/tri/communities/0/leaders', headers: auth(READER) })).json();
    expect(leaders.items[0].why).toMatch(/^#1 of 3 in community 0: \d+ interactions? from \d+ of its members, \d+% of the community's internal interactions\.$/);
    const top = (await app.inject({ url: '/v1/datasets/tri/supernodes?limit=1', headers: auth(READER) })).json();
    expect(top.items[0].explanation.sentence).toMatch(/^#1 of 6: /);
  });

  it('serves the bootstrap stability of the super-node top 10', async () => {
    const r = await app.inject({ url: '/v1/datasets/tri/stability', headers: auth(READER) });
    expect(r.statusCode, r.body).toBe(200);
    const j = r.json();
    // Six members: the "top 10" is all of them, so each stays in it in every resample.
    expect(j).toMatchObject({ measure: 'supernode', k: 10, resamples: 20, total: 6, meanOverlap: 1 });
    for (const m of j.items) {
      expect(m.stayShare).toBe(1);
      expect(m.rankInterval90[0]).toBeLessThanOrEqual(m.medianRank);
      expect(m.medianRank).toBeLessThanOrEqual(m.rankInterval90[1]);
    }
    const top = (await app.inject({ url: '/v1/datasets/tri/supernodes?limit=6', headers: auth(READER) })).json();
    expect(j.items.map((m: { id: string }) => m.id).sort()).toEqual(top.items.map((m: { id: string }) => m.id).sort());
  });
});
