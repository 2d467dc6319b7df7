import { Type } from '@sinclair/typebox';
import { ImportClicksBody, importClicks } from '../../../tracking/index.js';
import { errorResponses } from '../../../validation/common-schemas.js';
import type { AppContext } from '../../app-context.js';
import type { RouteScope } from '../../route-scope.js';

/** /api/clicks/import: click history from elsewhere, through the same bot rules and event path as live clicks. */
export async function clickRoutes(app: RouteScope, ctx: AppContext) {
  app.post(
    '/api/clicks/import',
    {
      bodyLimit: 8 * 1024 * 1024,
      schema: {
        tags: ['tracking'],
        summary: 'Import click history (same bot rules and event path as live clicks)',
        body: ImportClicksBody,
        response: {
          200: Type.Object({
            imported: Type.Integer(),
            rejected: Type.Array(Type.Object({ index: Type.Integer(), error: Type.String() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const result = await importClicks(ctx.db, request.body.clicks, {
        ipHashSecret: ctx.config.ipHashSecret,
        recalcDelayMs: ctx.config.recalcDelayMs,
      });
      if (result.imported > 0) ctx.metrics.clicks.inc({ source: 'import', bot: 'unknown' }, result.imported);
      return result;
    },
  );
}
