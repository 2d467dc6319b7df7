import { Type } from '@sinclair/typebox';
import { TRIGGER_PRIORITIES } from '../../../../domain.js';
import { bookingSourceConfigured } from '../../../../bookings/booking-source.js';
import { getPriorityQueue, markItemProcessed } from '../../../../workflow/index.js';
import { ApplicationIdParams, MultiLine, StringEnum, errorResponses } from '../../../../validation/common-schemas.js';
import type { AppContext } from '../../../app-context.js';
import { priorityQueueToJson, processedToJson } from '../../../json/workflow-json.js';
import { PriorityQueueJson, ProcessedJson } from '../../../json/workflow-schemas.js';
import type { RouteScope } from '../../../route-scope.js';

const tags = ['analytics & workflow'];

/** /api/analytics/priority-queue: the queue, and marking its items done. */
export async function priorityQueueRoutes(app: RouteScope, ctx: AppContext) {
  const scoring = { defaultTimezone: ctx.config.defaultTimezone, bookingSource: bookingSourceConfigured(ctx.config) };

  app.get(
    '/api/analytics/priority-queue',
    {
      schema: {
        tags,
        summary: 'The next applications to act on: priority_score DESC, deadline ASC (none last), oldest first',
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
            priority: Type.Optional(StringEnum(TRIGGER_PRIORITIES)),
          },
          { additionalProperties: false },
        ),
        response: { 200: PriorityQueueJson, ...errorResponses },
      },
    },
    async (request) => priorityQueueToJson(await getPriorityQueue(ctx.db, request.query, scoring)),
  );

  app.post(
    '/api/analytics/priority-queue/:applicationId/processed',
    {
      schema: {
        tags,
        summary: 'Mark the pending item of an application done or dismissed (404 when there is none)',
        params: ApplicationIdParams,
        body: Type.Object(
          {
            outcome: StringEnum(['done', 'dismissed']),
            note: Type.Optional(MultiLine({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ProcessedJson, ...errorResponses },
      },
    },
    async (request) => processedToJson(await markItemProcessed(ctx.db, request.params.applicationId, request.body, scoring)),
  );
}
