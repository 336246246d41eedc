/**
 * The graph routes on a real dataset (email-Eu-core, SNAP; datasets/PROVENANCE.md): the ego
 * network's GraphML and GEXF, read back by NetworkX, hold exactly the members and ties NetworkX
 * finds in the source file (`ego_graph` of the undirected graph with self-loops dropped and
 * weight = arcs per pair, the undirected view's definition), with the snapshot's measures as node
 * attributes; the default body is graphology's serialisation; ETags per snapshot; bounded sizes.
 * NetworkX: test/helpers/networkx.ts (skips, saying so, without it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { UndirectedGraph } from 'graphology';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../engine/cli/options.js';
import { compareWithNetworkx, hasNetworkx } from '../helpers/networkx.js';
import { auth, READER, tempDir, testApp, waitJob, WRITER } from './helpers.js';


const SOURCE = path.join(ROOT, 'datasets/email-Eu-core/email-Eu-core.txt.gz');

describe('graph routes', () => {
  let app: FastifyInstance;
  let dir: string;
  let center: string;

  beforeAll(async () => {
    ({ app } = await testApp());
    dir = tempDir('sn-graphs-');
    expect((await app.inject({ method: 'POST', url: '/v1/datasets', headers: auth(WRITER), payload: { name: 'email', directed: true } })).statusCode).toBe(201);
    const up = await app.inject({
      method: 'POST', url: '/v1/datasets/email/edges?columns=source,target', headers: { ...auth(WRITER), 'content-type': 'text/plain' },
      payload: gunzipSync(fs.readFileSync(SOURCE)),
    });
    expect(up.statusCode, up.body).toBe(201);
    const job = await app.inject({ method: 'POST', url: '/v1/datasets/email/jobs', headers: auth(WRITER), payload: {} });
    expect((await waitJob(app, job.json().jobId, 120_000))['state']).toBe('succeeded');
    // A member of middling degree: its ego network is neither trivial nor capped.
    const top = (await app.inject({ url: '/v1/datasets/email/supernodes?limit=200', headers: auth(READER) })).json();
    center = top.items[150].id;
  }, 180_000);
  afterAll(async () => {
    await app?.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers: { ...auth(READER), ...headers } });

  it.skipIf(!hasNetworkx)('the ego network as GraphML and GEXF holds exactly the members and ties NetworkX finds in the source file', async () => {
    const member = (await get(`/v1/datasets/email/members/${center}`)).json().member;
    for (const format of ['graphml', 'gexf'] as const) {
      for (const radius of [1, 2]) {
        const r = await get(`/v1/datasets/email/members/${center}/ego?radius=${radius}&format=${format}&limit=2000`);
        expect(r.statusCode, r.body).toBe(200);
        expect(r.headers['content-type']).toBe(`application/${format}+xml; charset=utf-8`);
        const file = path.join(dir, `ego-${radius}.${format}`);
        fs.writeFileSync(file, r.rawPayload);
        const out = compareWithNetworkx(SOURCE, file, format, { center, radius });
        expect(out, `${format} radius ${radius}`).toMatchObject({ sameNodes: true, sameTies: true, weightsEqual: true, countsEqual: true, directed: false });
        expect(out['nodes']).toBeGreaterThan(radius === 1 ? 5 : 100);
        // The member's measures travel as node attributes (GEXF puts them under the same names).
        const at = out.attributes[center]!;
        expect(Number(at['pagerank'])).toBeCloseTo(member.measures.pagerank, 12);
        expect(Number(at['kcore'])).toBe(member.measures.kcore);
        expect(Number(at['rank'])).toBe(member.rank);
      }
    }
  }, 60_000);

  it('answers graphology JSON by default, with ETags per snapshot (304) and a bounded size', async () => {
    const r = await get(`/v1/datasets/email/members/${center}/ego`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = r.json();
    const g = UndirectedGraph.from(body);
    expect(g.type).toBe('undirected');
    expect(g.getAttribute('kind')).toBe('ego');
    expect(g.hasNode(center)).toBe(true);
    expect(g.getNodeAttribute(center, 'ring')).toBe(0);
    expect(typeof g.getNodeAttribute(center, 'score')).toBe('number');
    g.forEachEdge((_e, a) => { expect(a['weight']).toBeGreaterThan(0); expect(a['count']).toBeGreaterThan(0); });
    const etag = r.headers['etag'] as string;
    expect(etag).toMatch(/^"/);
    expect((await get(`/v1/datasets/email/members/${center}/ego`, { 'if-none-match': etag })).statusCode).toBe(304);
    // Capped: the strongest `limit` members, and the graph says what it left out.
    const capped = (await get(`/v1/datasets/email/members/${center}/ego?radius=2&limit=20`)).json();
    expect(capped.nodes.length).toBe(20);
    expect(capped.attributes).toMatchObject({ truncated: true });
    expect(capped.attributes.nodesDropped).toBeGreaterThan(0);
    expect((await get(`/v1/datasets/email/members/${center}/ego?radius=3`)).statusCode).toBe(400);
    expect((await get(`/v1/datasets/email/members/${center}/ego?limit=5000`)).statusCode).toBe(400);
    const missing = await get('/v1/datasets/email/members/nobody/ego');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('UNKNOWN_MEMBER');
    expect((await get('/v1/datasets/nothere/communities/graph')).json().code).toBe('DATASET_NOT_FOUND');
  });

  it('cuts a community subgraph (best members by score) and the community super-graph', async () => {
    const communities = (await get('/v1/datasets/email/communities?sort=size&limit=3')).json().items;
    const c = communities[0];
    const r = await get(`/v1/datasets/email/communities/${c.id}/graph?limit=30`);
    expect(r.statusCode, r.body).toBe(200);
    const g = UndirectedGraph.from(r.json());
    expect(g.order).toBe(Math.min(30, c.size));
    const top = (await get(`/v1/datasets/email/supernodes?community=${c.id}&limit=30`)).json().items.map((m: { id: string }) => m.id);
    expect(new Set(g.nodes())).toEqual(new Set(top));
    g.forEachNode((_n, a) => expect(a['community']).toBe(c.id));
    expect((await get('/v1/datasets/email/communities/99999/graph')).json().code).toBe('COMMUNITY_NOT_FOUND');

    const sr = await get('/v1/datasets/email/communities/graph?format=graphml');
    expect(sr.headers['content-type']).toBe('application/graphml+xml; charset=utf-8');
    const s = UndirectedGraph.from((await get('/v1/datasets/email/communities/graph')).json());
    const all = (await get('/v1/datasets/email/communities?limit=1000')).json();
    expect(s.order).toBe(Math.min(200, all.total));
    expect(s.getNodeAttribute(String(c.id), 'members')).toBe(c.size);
    expect(s.getNodeAttribute(String(c.id), 'lifecycle')).toBe(c.lifecycle);
    // Edge weights are the flow both ways between two communities.
    const flow = (await get('/v1/datasets/email/communities/flow?limit=1000')).json().items as { from: number; to: number; weight: number }[];
    const between = (a: number, b: number) => flow.filter((f) => (f.from === a && f.to === b) || (f.from === b && f.to === a)).reduce((x, f) => x + f.weight, 0);
    s.forEachEdge((_e, a, u, v) => expect(a['weight']).toBeCloseTo(between(Number(u), Number(v)), 9));
  });
});
