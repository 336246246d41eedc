/** OpenAPI 3 at /openapi.json and Swagger UI at /docs (both public: they hold no data). */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Registered before the routes, so the spec sees every route (fastify-plugin: not encapsulated). */
export const docsPlugin = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'supernode API', version: '1',
        description: 'Datasets, analysis jobs and rankings of the members who hold online communities together. '
          + 'Every route but /health, /ready and the docs needs `Authorization: Bearer <key>`. Errors are `{code, message}` with the '
          + 'codes of docs/errors.md. Ranking responses carry a strong ETag, `X-Snapshot` and the snapshot id in the body.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
}, { name: 'supernode-docs' });

export async function openapiRoute(app: FastifyInstance): Promise<void> {
  app.get('/openapi.json', { config: { scope: 'none', rateLimit: false }, schema: { hide: true } }, async () => app.swagger());
}
