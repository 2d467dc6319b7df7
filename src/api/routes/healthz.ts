import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app-context.js';
import type { RouteScope } from '../route-scope.js';

/** /healthz: liveness for load balancers and `docker healthcheck`; no key. */
export async function healthRoutes(app: RouteScope, ctx: AppContext) {
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
}
