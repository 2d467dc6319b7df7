import { Type } from '@sinclair/typebox';
import { exportApplication } from '../../../../privacy/export-application.js';
import { IdParams, errorResponses } from '../../../../validation/common-schemas.js';
import type { AppContext } from '../../../app-context.js';
import type { RouteScope } from '../../../route-scope.js';

/** /api/applications/:id/export: everything about one application, as one JSON document (`hirepulse export` asks for it). */
export async function exportOfApplicationRoutes(app: RouteScope, ctx: AppContext) {
  app.get(
    '/api/applications/:id/export',
    {
      schema: {
        tags: ['applications'],
        summary: 'Everything hirepulse holds about one application (links, clicks, scores, triggers, queue items, bookings, audit), as stored',
        params: IdParams,
        response: {
          200: Type.Object(
            { format: Type.String(), exported_at: Type.String({ format: 'date-time' }), application: Type.Object({}, { additionalProperties: true }) },
            { additionalProperties: true },
          ),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const document = await ctx.db.transaction((tx) => exportApplication(tx, id));
      // Serialized here, not by the schema: every column comes through as stored, whatever later migrations add.
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="hirepulse-application-${id}.json"`)
        .send(JSON.stringify(document, null, 2));
    },
  );
}
