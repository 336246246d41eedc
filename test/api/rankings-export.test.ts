/**
 * format=csv|arrow on the ranking routes: the whole ranking (past the 1,000-row page cap),
 * streamed, flat columns (no JSON in a cell), formula-looking ids defused, times in ISO 8601,
 * the same rows as the JSON pages, an ETag per snapshot and query.
 */
import { gunzipSync } from 'node:zlib';
import { tableFromIPC } from 'apache-arrow';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, READER, testApp, waitJob, WRITER } from './helpers.js';

/** 1,500 members in rings of 30 with chords; ids include formula leads (=, -, +, @). */
function csvBody(): string {
  const rows = ['source,target,weight,timestamp'];
  const id = (i: number) => (i === 0 ? '=cmd' : i === 1 ? '-2+3' : i === 2 ? '@sum' : i === 3 ? '+x' : `m${i}`);
  for (let i = 0; i < 1500; i++) {
    const ring = Math.floor(i / 30), next = ring * 30 + ((i + 1) % 30);
    rows.push(`"${id(i)}","${id(next)}",${1 + (i % 3)},${1700000000 + i * 600}`);
    if (i % 5 === 0) rows.push(`"${id(i)}","${id((i + 77) % 1500)}",1,${1700000000 + i * 600 + 60}`);
  }
  return rows.join('\n');
}

/** Minimal RFC 4180 reader (quoted fields, "" escapes) for checking what we wrote. */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [], f = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === '"' && text[i + 1] === '"') { f += '"'; i++; } else if (c === '"') q = false; else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(f); f = ''; } else if (c === '\n') { row.push(f); out.push(row); row = []; f = ''; } else f += c;
  }
  return out;
}

describe('ranking exports', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await testApp());
    await app.inject({ method: 'POST', url: '/v1/datasets', headers: auth(WRITER), payload: { name: 'big' } });
    const up = await app.inject({ method: 'POST', url: '/v1/datasets/big/edges', headers: { ...auth(WRITER), 'content-type': 'text/csv' }, payload: csvBody() });
    expect(up.statusCode).toBe(201);
    const job = await app.inject({ method: 'POST', url: '/v1/datasets/big/jobs', headers: auth(WRITER), payload: {} });
    expect((await waitJob(app, job.json().jobId, 60_000))['state']).toBe('succeeded');
  }, 90_000);
  afterAll(async () => app.close());

  it('csv: every member (1,500 > the 1,000 page cap), flat columns, the JSON order, ids defused', async () => {
    const r = await app.inject({ url: '/v1/datasets/big/supernodes?format=csv', headers: auth(READER) });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/csv');
    expect(r.headers['x-total-count']).toBe('1500');
    const rows = parseCsv(r.body);
    const head = rows[0]!;
    expect(head.slice(0, 4)).toEqual(['id', 'rank', 'score', 'community']);
    for (const c of ['influence', 'reach', 'embeddedness', 'brokerage']) {
      expect(head).toEqual(expect.arrayContaining([`${c}_value`, `${c}_percentile`, `${c}_share`]));
    }
    expect(rows).toHaveLength(1501);
    expect(rows.slice(1).some((row) => row.some((cell) => cell.startsWith('{') || cell.startsWith('[')))).toBe(false);
    const page = (await app.inject({ url: '/v1/datasets/big/supernodes?limit=1000', headers: auth(READER) })).json();
    const ids = rows.slice(1).map((row) => row[0]!.replace(/^'(?=[=+\-@])/, ''));
    expect(ids.slice(0, 1000)).toEqual(page.items.map((i: { id: string }) => i.id));
    const cells = new Set(rows.slice(1).map((row) => row[0]));
    for (const bad of ['=cmd', '-2+3', '@sum', '+x']) {
      expect(cells.has(`'${bad}`)).toBe(true);
      expect(cells.has(bad)).toBe(false);
    }
    // the shares of one member sum to its score
    const k = (n: string) => head.indexOf(n);
    const first = rows[1]!;
    const shares = ['influence', 'reach', 'embeddedness', 'brokerage'].reduce((s, c) => s + Number(first[k(`${c}_share`)]), 0);
    expect(shares).toBeCloseTo(Number(first[k('score')]), 9);
  });

  it('an explicit limit/offset still pages the export; filters apply', async () => {
    const r = await app.inject({ url: '/v1/datasets/big/supernodes?format=csv&limit=10&offset=5', headers: auth(READER) });
    expect(parseCsv(r.body)).toHaveLength(11);
    const c = (await app.inject({ url: '/v1/datasets/big/supernodes?limit=1', headers: auth(READER) })).json().items[0].community as number;
    const inC = parseCsv((await app.inject({ url: `/v1/datasets/big/supernodes?format=csv&community=${c}`, headers: auth(READER) })).body);
    const ci = inC[0]!.indexOf('community');
    expect(inC.slice(1).every((row) => Number(row[ci]) === c)).toBe(true);
  });

  it('arrow: an IPC stream apache-arrow reads, the same rows and types', async () => {
    const r = await app.inject({ url: '/v1/datasets/big/supernodes?format=arrow', headers: auth(READER) });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('application/vnd.apache.arrow.stream');
    const t = tableFromIPC(r.rawPayload);
    expect(t.numRows).toBe(1500);
    expect(t.schema.fields.slice(0, 4).map((f) => f.name)).toEqual(['id', 'rank', 'score', 'community']);
    const csv = parseCsv((await app.inject({ url: '/v1/datasets/big/supernodes?format=csv', headers: auth(READER) })).body);
    expect(t.getChild('id')!.get(0)).toBe(csv[1]![0]!.replace(/^'/, ''));
    expect(t.getChild('rank')!.get(1499)).toBe(Number(csv[1500]![1]));
  });

  it('communities: week starts as ISO 8601 in JSON and CSV; the other routes export flat tables', async () => {
    const j = (await app.inject({ url: '/v1/datasets/big/communities', headers: auth(READER) })).json();
    expect(j.items[0].activity[0].weekStart).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/);
    const c = parseCsv((await app.inject({ url: '/v1/datasets/big/communities?format=csv', headers: auth(READER) })).body);
    expect(c[1]![c[0]!.indexOf('first_week')]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    for (const route of ['communities/flow', 'brokers', 'roles', 'rising']) {
      const r = await app.inject({ url: `/v1/datasets/big/${route}?format=csv`, headers: auth(READER) });
      expect(r.statusCode, route).toBe(200);
      const rows = parseCsv(r.body);
      expect(rows[0]!.length, route).toBeGreaterThan(1);
      if (route !== 'rising') expect(rows.length, route).toBeGreaterThan(1); // rising is empty: 10 days < two 30-day windows
      expect(rows.every((row) => row.length === rows[0]!.length), route).toBe(true);
    }
  });

  it('ETag per snapshot, query and encoding: 304 on a match; gzip when accepted', async () => {
    const url = '/v1/datasets/big/supernodes?format=csv';
    const a = await app.inject({ url, headers: auth(READER) });
    const again = await app.inject({ url, headers: { ...auth(READER), 'if-none-match': a.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    const gz = await app.inject({ url, headers: { ...auth(READER), 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.etag).not.toBe(a.headers.etag);
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(a.body);
  });
});
