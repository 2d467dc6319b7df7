import { analyticsToJson } from '../../../../analytics/index.js';
import { getApplicationAnalytics } from '../../../../analytics/get-application-analytics.js';
import { IdParams, errorResponses } from '../../../../validation/common-schemas.js';
import type { AppContext } from '../../../app-context.js';
import { AnalyticsJson } from '../../../json/workflow-schemas.js';
import type { RouteScope } from '../../../route-scope.js';

/** /api/analytics/applications/:id: one application's engagement analytics. */
export async function analyticsOfApplicationRoutes(app: RouteScope, ctx: AppContext) {
  const scoring = { defaultTimezone: ctx.config.defaultTimezone };
  app.get(
    '/api/analytics/applications/:id',
    {
      schema: {
        tags: ['analytics & workflow'],
        summary: 'Engagement analytics of one application, computed now, with the factors behind each score',
        params: IdParams,
        response: { 200: AnalyticsJson, ...errorResponses },
      },
    },
    async (request) => analyticsToJson(request.params.id, await getApplicationAnalytics(ctx.db, request.params.id, scoring)),
  );
}
