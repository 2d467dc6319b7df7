import { Type } from '@sinclair/typebox';
import { loadSampleData } from '../../../demo/index.js';
import { AppError } from '../../../errors.js';
import { errorResponses } from '../../../validation/common-schemas.js';
import type { AppContext } from '../../app-context.js';
import type { RouteScope } from '../../route-scope.js';

/**
 * POST /api/demo: the sample data of `hirepulse demo`, from the dashboard. PGlite allows one
 * process per data directory, so the CLI cannot load it beside a running service; this can.
 * Only into an empty database: sample rows must never mix with a real search.
 */
export async function demoRoutes(app: RouteScope, ctx: AppContext) {
  let loading = false;
  app.post(
    '/api/demo',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'Load realistic sample data (only when there are no applications yet)',
        body: Type.Object({}, { additionalProperties: false }),
        response: {
          200: Type.Object({ applications: Type.Integer(), clicks: Type.Integer(), triggers_fired: Type.Integer(), queued: Type.Integer() }),
          ...errorResponses,
        },
      },
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async () => {
      if (loading) throw new AppError('conflict', 'sample data is being loaded already');
      loading = true;
      try {
        const any = await ctx.db.query('SELECT 1 FROM job_applications LIMIT 1');
        if (any.rows.length > 0) throw new AppError('conflict', 'sample data only goes into an empty database; this one has applications');
        const result = await loadSampleData(ctx.db, {
          publicBaseUrl: ctx.config.publicBaseUrl,
          ipHashSecret: ctx.config.ipHashSecret,
          defaultTimezone: ctx.config.defaultTimezone,
          actor: 'api',
        });
        return { applications: result.applications.length, clicks: result.clicks, triggers_fired: result.triggersFired, queued: result.queued };
      } finally {
        loading = false;
      }
    },
  );
}
