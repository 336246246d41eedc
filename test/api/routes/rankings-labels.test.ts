/** Member labels in the API (api/routes/rankings.ts): super-node rows and the member profile carry `label` from the dataset's labels.json. */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDatasetLabels } from '../../../engine/store/labels.js';
import { auth, READER, SMALL_CSV, testApp, waitJob, WRITER } from '../helpers.js';

describe('member labels in the API', () => {
  let app: FastifyInstance, dataDir: string;
  beforeAll(async () => {
    ({ app, dataDir } = await testApp());
    expect((await app.inject({ method: 'POST', url: '/v1/datasets', headers: auth(WRITER), payload: { name: 'club', directed: true } })).statusCode).toBe(201);
    const up = await app.inject({ method: 'POST', url: '/v1/datasets/club/edges', headers: { ...auth(WRITER), 'content-type': 'text/csv' }, payload: SMALL_CSV });
    expect(up.statusCode, up.body).toBe(201);
    // What `supernode ingest --labels` writes (its CLI path: test/engine/cli/labels.test.ts); "__proto__" is an id like any other.
    await writeDatasetLabels(dataDir, 'club', new Map([['a', 'Ada'], ['__proto__', 'Proto, the id']]));
    const job = await app.inject({ method: 'POST', url: '/v1/datasets/club/jobs', headers: auth(WRITER), payload: { measures: ['kcore'], seed: 7 } });
    expect(job.statusCode, job.body).toBe(202);
    expect(await waitJob(app, job.json().jobId)).toMatchObject({ state: 'succeeded' });
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('supernode rows have "label" for labelled ids only', async () => {
    const r = await app.inject({ url: '/v1/datasets/club/supernodes?limit=100', headers: auth(READER) });
    expect(r.statusCode).toBe(200);
    const items = r.json().items as { id: string; label?: string }[];
    expect(items).toHaveLength(8);
    expect(items.find((m) => m.id === 'a')!.label).toBe('Ada');
    expect(items.find((m) => m.id === '__proto__')!.label).toBe('Proto, the id');
    expect(items.find((m) => m.id === 'b')).not.toHaveProperty('label');
  });

  it("the member profile's member has its label", async () => {
    const a = await app.inject({ url: '/v1/datasets/club/members/a', headers: auth(READER) });
    expect(a.statusCode).toBe(200);
    expect(a.json().member.label).toBe('Ada');
    const b = await app.inject({ url: '/v1/datasets/club/members/b', headers: auth(READER) });
    expect(b.json().member).not.toHaveProperty('label');
  });
});
