import { getWorkflowSuggestions } from '../../../../workflow/index.js';
import { ApplicationIdParams, errorResponses } from '../../../../validation/common-schemas.js';
import type { AppContext } from '../../../app-context.js';
import { workflowSuggestionsToJson } from '../../../json/workflow-json.js';
import { WorkflowSuggestionsJson } from '../../../json/workflow-schemas.js';
import type { RouteScope } from '../../../route-scope.js';

/** /api/analytics/workflow-suggestions/:applicationId: what to do about one application, and why. */
export async function workflowSuggestionsRoutes(app: RouteScope, ctx: AppContext) {
  const scoring = { defaultTimezone: ctx.config.defaultTimezone };
  app.get(
    '/api/analytics/workflow-suggestions/:applicationId',
    {
      schema: {
        tags: ['analytics & workflow'],
        summary: 'Every open trigger of an application with a recommended action, any further advice, and its queue item',
        params: ApplicationIdParams,
        response: { 200: WorkflowSuggestionsJson, ...errorResponses },
      },
    },
    async (request) => {
      const { applicationId } = request.params;
      return workflowSuggestionsToJson(applicationId, await getWorkflowSuggestions(ctx.db, applicationId, scoring));
    },
  );
}
