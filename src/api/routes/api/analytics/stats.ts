import { getPrioritizationStats } from '../../../../monitoring/queue-stats.js';
import { errorResponses } from '../../../../validation/common-schemas.js';
import type { AppContext } from '../../../app-context.js';
import { StatsJson } from '../../../json/workflow-schemas.js';
import type { RouteScope } from '../../../route-scope.js';

/** /api/analytics/stats: queue and prioritization statistics. */
export async function statsRoutes(app: RouteScope, ctx: AppContext) {
  app.get(
    '/api/analytics/stats',
    {
      schema: {
        tags: ['analytics & workflow'],
        summary: 'Queue and prioritization statistics',
        response: { 200: StatsJson, ...errorResponses },
      },
    },
    async () => getPrioritizationStats(ctx.db),
  );
}
