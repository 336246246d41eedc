/**
 * OpenAPI 3.1 at /openapi.json and Swagger UI at /docs (both public: they hold no data).
 *
 * 3.1 because the route schemas are JSON Schema (TypeBox): `exclusiveMinimum: 0` and
 * `{type: 'null'}` are valid there and not in 3.0 (test/api/openapi.test.ts validates the document
 * with @apidevtools/swagger-parser). The transform below states, once for every route, what the
 * route schemas cannot: public routes (scope 'none') need no key (`security: []`); a query
 * parameter with a default is optional; every operation has an operationId (its own, else one
 * derived from method and path); test hooks are not part of the contract.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Request fields that exist for the fault tests only (honoured with testHooks on): never published. */
const UNPUBLISHED_FIELDS = ['failForTest'];

const VERBS: Readonly<Record<string, string>> = { GET: 'get', POST: 'create', PUT: 'replace', PATCH: 'update', DELETE: 'delete', HEAD: 'head' };

/** GET /v1/datasets/:id/ties -> getDatasetsTies, GET /v1/jobs/:jobId -> getJobsByJobId (a fallback: routes name their own). */
export function derivedOperationId(method: string, url: string): string {
  const segs = url.split('/').filter((w) => w !== '' && w !== 'v1');
  const last = segs[segs.length - 1];
  const words = segs.filter((w) => !w.startsWith(':')).flatMap((w) => w.split(/[^A-Za-z0-9]+/)).filter(Boolean);
  if (last?.startsWith(':')) words.push('by', ...last.slice(1).split(/[^A-Za-z0-9]+/).filter(Boolean));
  return (VERBS[method] ?? method.toLowerCase()) + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function withoutFields(schema: unknown): unknown {
  if (schema === null || typeof schema !== 'object') return schema;
  const o = { ...(schema as Record<string, unknown>) };
  if (o['properties'] !== undefined) {
    const props = { ...(o['properties'] as Record<string, unknown>) };
    for (const f of UNPUBLISHED_FIELDS) delete props[f];
    o['properties'] = props;
    if (Array.isArray(o['required'])) o['required'] = (o['required'] as string[]).filter((r) => !UNPUBLISHED_FIELDS.includes(r));
  }
  return o;
}

/** A querystring schema whose defaulted properties are not required (their default applies). */
function defaultsOptional(schema: unknown): unknown {
  if (schema === null || typeof schema !== 'object') return schema;
  const o = schema as { properties?: Record<string, { default?: unknown }>; required?: string[] };
  if (!Array.isArray(o.required) || o.properties === undefined) return schema;
  return { ...o, required: o.required.filter((k) => o.properties![k]?.default === undefined) };
}

/** The server's version (package.json; from dist/api/routes in a build, api/routes in source runs). */
export const SERVER_VERSION: string = (JSON.parse(fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..',
  import.meta.url.endsWith('.ts') ? '' : '..', 'package.json'), 'utf8')) as { version: string }).version;

/** Registered before the routes, so the spec sees every route (fastify-plugin: not encapsulated). */
export const docsPlugin = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'supernode API', version: SERVER_VERSION,
        description: 'Datasets, analysis jobs and rankings of the members who hold online communities together. '
          + 'Every route but /health, /ready and the docs needs `Authorization: Bearer <key>`. Errors are `{code, message}` with the '
          + 'codes of docs/errors.md. Ranking responses carry a strong ETag, `X-Snapshot` and the snapshot id in the body.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // Shared schemas keep their $id as their component name (#/components/schemas/Error).
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json['$id'] === 'string' ? json['$id'] : `def-${i}`) },
    transform: ({ schema, url, route }) => {
      if (schema === undefined || schema === null) return { schema, url };
      const s = { ...(schema as Record<string, unknown>) };
      const method = (Array.isArray(route.method) ? route.method[0] : route.method) as string;
      s['operationId'] ??= derivedOperationId(method, url);
      if ((route.config as { scope?: string } | undefined)?.scope === 'none') s['security'] = [];
      if (s['body'] !== undefined) s['body'] = withoutFields(s['body']);
      if (s['querystring'] !== undefined) s['querystring'] = defaultsOptional(s['querystring']);
      return { schema: s as never, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
}, { name: 'supernode-docs' });

export async function openapiRoute(app: FastifyInstance): Promise<void> {
  app.get('/openapi.json', { config: { scope: 'none', rateLimit: false }, schema: { hide: true } }, async () => app.swagger());
}
