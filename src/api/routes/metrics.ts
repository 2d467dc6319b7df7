import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.js';
import { apiKeyGuard } from '../plugins/api-key-auth.js';
import type { RouteScope } from '../route-scope.js';

/** /metrics: Prometheus metrics. build-app.ts registers this in a scope with its own rate limit. */
export async function metricsRoutes(app: RouteScope, ctx: AppContext) {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (text exposition format); the key as X-API-Key or Authorization: Bearer',
        security: [{ apiKey: [] }, { bearer: [] }],
        response: {
          200: { description: 'the Prometheus text exposition format', content: { 'text/plain': { schema: Type.String() } } },
          401: { $ref: 'ErrorBody#' },
        },
      },
      // Queue sizes and click counts are the user's business: the key guards them too, and
      // Prometheus can send it as a bearer token (docs/operations.md has the scrape config).
      preParsing: apiKeyGuard(ctx, { bearer: true }),
    },
    async (_request, reply) => {
      reply.header('Content-Type', ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    },
  );
}
