/**
 * The published contract: /openapi.json validates as OpenAPI (@apidevtools/swagger-parser, the
 * validator dashboard generators use), every operation has a unique operationId, responses are
 * typed (ranking items with id, rank, score, measures, explanation; the member profile; seeds;
 * errors) with their real media types (SSE, CSV, Arrow, Prometheus text), paging parameters are
 * optional, test hooks are not published and /health needs no key.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivedOperationId } from '../../api/routes/docs.js';
import { testApp } from './helpers.js';

type Op = { operationId?: string; security?: unknown[]; parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }>; $ref?: string }> };

describe('OpenAPI document', () => {
  let app: FastifyInstance;
  let spec: { openapi: string; info: { version: string }; paths: Record<string, Record<string, Op>>; components: Record<string, unknown> };
  const op = (p: string, m = 'get') => spec.paths[p]![m]!;

  beforeAll(async () => {
    ({ app } = await testApp()); // test hooks on: they must still not be published
    spec = (await app.inject('/openapi.json')).json();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('validates (OpenAPI 3.1: the route schemas are JSON Schema)', async () => {
    expect(spec.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(spec) as never)).resolves.toBeTruthy();
    expect(spec.info.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('names every operation once', () => {
    const ids: string[] = [];
    for (const ops of Object.values(spec.paths)) for (const o of Object.values(ops)) ids.push(o.operationId!);
    expect(ids.every((i) => typeof i === 'string' && /^[a-z][A-Za-z0-9]*$/.test(i))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(op('/v1/datasets/{id}/supernodes').operationId).toBe('listSupernodes');
    expect(derivedOperationId('GET', '/v1/jobs/:jobId')).toBe('getJobsByJobId');
    expect(derivedOperationId('POST', '/v1/datasets/:id/jobs')).toBe('createDatasetsJobs');
  });

  it('types ranking items, the member profile, seeds and errors', () => {
    const page = op('/v1/datasets/{id}/supernodes').responses['200']!.content!['application/json']!.schema as { properties: { items: { items: { properties: Record<string, unknown>; required: string[] } } } };
    const item = page.properties.items.items;
    expect(item.required).toEqual(expect.arrayContaining(['id', 'rank', 'score', 'community', 'measures', 'explanation']));
    expect(Object.keys((item.properties['explanation'] as { properties: object }).properties)).toEqual(['components', 'sentence']);
    const profile = op('/v1/datasets/{id}/members/{memberId}').responses['200']!.content!['application/json']!.schema as { properties: Record<string, unknown> };
    expect(Object.keys(profile.properties)).toEqual(expect.arrayContaining(['member', 'community', 'role', 'broker', 'rising', 'leaderOf', 'trajectory']));
    const seeds = op('/v1/datasets/{id}/seeds/{snapshotId}').responses['200']!.content!['application/json']!.schema as { properties: Record<string, unknown> };
    expect(Object.keys(seeds.properties)).toEqual(expect.arrayContaining(['k', 'model', 'seeds', 'spread']));
    for (const p of ['/v1/datasets/{id}/communities', '/v1/datasets/{id}/brokers', '/v1/datasets/{id}/roles', '/v1/datasets/{id}/rising', '/v1/datasets/{id}/communities/flow']) {
      const items = (op(p).responses['200']!.content!['application/json']!.schema as { properties: { items: { items: { properties?: object } } } }).properties.items.items;
      expect(Object.keys(items.properties ?? {}).length, p).toBeGreaterThan(2);
    }
    const err = op('/v1/datasets/{id}/supernodes').responses['404']!.content!['application/json']!.schema;
    expect(err['$ref']).toBe('#/components/schemas/Error');
    const errorSchema = (spec.components['schemas'] as Record<string, { properties: object; required: string[] }>)['Error']!;
    expect(errorSchema.required).toEqual(['code', 'message']);
  });

  it('states the real media types: SSE, CSV, Arrow, Prometheus text, GEXF and GraphML', () => {
    expect(Object.keys(op('/v1/jobs/{jobId}/events').responses['200']!.content!)).toEqual(['text/event-stream']);
    expect(Object.keys(op('/v1/datasets/{id}/supernodes').responses['200']!.content!)).toEqual(expect.arrayContaining(['application/json', 'text/csv', 'application/vnd.apache.arrow.stream']));
    expect(Object.keys(op('/metrics').responses['200']!.content!)[0]).toMatch(/^text\/plain/);
    expect(Object.keys(op('/v1/datasets/{id}/members/{memberId}/ego').responses['200']!.content!)).toEqual(['application/json', 'application/gexf+xml', 'application/graphml+xml']);
  });

  it('makes limit and offset optional, publishes no test hook and leaves /health open', () => {
    const params = op('/v1/datasets/{id}/supernodes').parameters!;
    for (const name of ['limit', 'offset']) expect(params.find((p) => p.name === name && p.in === 'query')?.required, name).toBe(false);
    const body = op('/v1/datasets/{id}/jobs', 'post').requestBody!.content['application/json']!.schema;
    expect(Object.keys(body.properties!)).not.toContain('failForTest');
    expect(JSON.stringify(spec)).not.toContain('failForTest');
    expect(op('/health').security).toEqual([]);
    expect(op('/ready').security).toEqual([]);
    expect(op('/v1/datasets/{id}/supernodes').security).toBeUndefined(); // the document default: bearer
  });

  it('reports the server version on /health', async () => {
    const h = (await app.inject('/health')).json();
    expect(h).toMatchObject({ status: 'ok', version: spec.info.version });
  });
});
