import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { TRIGGER_PRIORITIES, type TriggerPriority } from '../../domain.js';
import { getPrioritizationStats } from '../../monitoring/queue-stats.js';
import {
  getApplicationAnalytics,
  getPriorityQueue,
  getWorkflowSuggestions,
  markProcessed,
  processTriggers,
} from '../../prioritization/workflow-service.js';
import { MultiLine, Uuid, errorResponses } from '../../validation/common-schemas.js';
import type { AppContext } from '../app-context.js';

const tags = ['analytics & workflow'];
const AppIdParams = Type.Object({ applicationId: Type.String({ description: 'UUID of the application' }) });

export async function workflowRoutes(app: FastifyInstance, ctx: AppContext) {
  const scoring = { defaultTimezone: ctx.config.defaultTimezone };

  app.get(
    '/api/analytics/applications/:id',
    {
      schema: {
        tags,
        summary: 'Engagement analytics of one application, computed now, with the factors behind each score',
        params: Type.Object({ id: Type.String() }),
        response: { ...errorResponses },
      },
    },
    async (request) => getApplicationAnalytics(ctx.db, (request.params as { id: string }).id, scoring),
  );

  app.get(
    '/api/analytics/priority-queue',
    {
      schema: {
        tags,
        summary: 'The next applications to act on: priority_score DESC, deadline ASC (none last), oldest first',
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
            priority: Type.Optional(Type.Union(TRIGGER_PRIORITIES.map((p) => Type.Literal(p)))),
          },
          { additionalProperties: false },
        ),
        response: { ...errorResponses },
      },
    },
    async (request) => getPriorityQueue(ctx.db, request.query as { limit?: number; priority?: TriggerPriority }),
  );

  app.post(
    '/api/analytics/process-triggers',
    {
      schema: {
        tags,
        summary: 'Evaluate triggers and prioritization now (one application, or a full run)',
        body: Type.Object({ application_id: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: { ...errorResponses },
      },
      // The body is optional (the seed's own example sends none): no body means {}.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request) =>
      processTriggers(ctx.db, (request.body as { application_id?: string } | undefined)?.application_id, { ...scoring, actor: 'api' }),
  );

  app.get(
    '/api/analytics/workflow-suggestions/:applicationId',
    {
      schema: {
        tags,
        summary: 'Every open trigger of an application with a recommended action, any further advice, and its queue item',
        params: AppIdParams,
        response: { ...errorResponses },
      },
    },
    async (request) => getWorkflowSuggestions(ctx.db, (request.params as { applicationId: string }).applicationId, scoring),
  );

  app.post(
    '/api/analytics/priority-queue/:applicationId/processed',
    {
      schema: {
        tags,
        summary: 'Mark the pending item of an application done or dismissed (404 when there is none)',
        params: AppIdParams,
        body: Type.Object(
          {
            outcome: Type.Union([Type.Literal('done'), Type.Literal('dismissed')]),
            note: Type.Optional(MultiLine({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { ...errorResponses },
      },
    },
    async (request) =>
      markProcessed(ctx.db, (request.params as { applicationId: string }).applicationId, request.body as { outcome: 'done' | 'dismissed'; note?: string }),
  );

  app.get(
    '/api/analytics/stats',
    { schema: { tags, summary: 'Queue and prioritization statistics', response: { ...errorResponses } } },
    async () => getPrioritizationStats(ctx.db),
  );
}
