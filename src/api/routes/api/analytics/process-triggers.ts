import { Type } from '@sinclair/typebox';
import { bookingSourceConfigured } from '../../../../bookings/booking-source.js';
import { processTriggers } from '../../../../workflow/index.js';
import { Uuid, errorResponses } from '../../../../validation/common-schemas.js';
import type { AppContext } from '../../../app-context.js';
import { runResultToJson } from '../../../json/workflow-json.js';
import { RunResultJson } from '../../../json/workflow-schemas.js';
import type { RouteScope } from '../../../route-scope.js';

/** /api/analytics/process-triggers: evaluate now instead of waiting for the worker. */
export async function processTriggersRoutes(app: RouteScope, ctx: AppContext) {
  app.post(
    '/api/analytics/process-triggers',
    {
      schema: {
        tags: ['analytics & workflow'],
        summary: 'Evaluate triggers and prioritization now (one application, or a full run)',
        body: Type.Object({ application_id: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: { 200: RunResultJson, ...errorResponses },
      },
      // The body is optional (the seed's own example sends none): no body means {}.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request) =>
      runResultToJson(await processTriggers(ctx.db, request.body?.application_id, { defaultTimezone: ctx.config.defaultTimezone, actor: 'api', bookingSource: bookingSourceConfigured(ctx.config) })),
  );
}
