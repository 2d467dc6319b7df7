import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.js';
import { apiKeyGuard } from '../plugins/api-key-auth.js';

export async function healthRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness and database reachability (no key)',
        response: {
          200: Type.Object({ status: Type.Literal('ok'), database: Type.String() }),
          503: Type.Object({ status: Type.Literal('unavailable'), database: Type.String() }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await ctx.db.query('SELECT 1');
        return { status: 'ok' as const, database: ctx.db.engine };
      } catch {
        return reply.status(503).send({ status: 'unavailable' as const, database: ctx.db.engine });
      }
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (text exposition format); the key as X-API-Key or Authorization: Bearer',
        security: [{ apiKey: [] }, { bearer: [] }],
      },
      // Queue sizes and click counts are the user's business: the key guards them too, and
      // Prometheus can send it as a bearer token (docs/operations.md has the scrape config).
      preParsing: apiKeyGuard(ctx.config.apiKey, { bearer: true }),
    },
    async (_request, reply) => {
      reply.header('Content-Type', ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    },
  );
}
