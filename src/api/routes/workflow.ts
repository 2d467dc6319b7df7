import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { TRIGGER_PRIORITIES, type TriggerPriority } from '../../domain.js';
import { getPrioritizationStats } from '../../monitoring/queue-stats.js';
import { analyticsToJson } from '../../analytics/index.js';
import { getApplicationAnalytics } from '../../analytics/get-application-analytics.js';
import { getPriorityQueue, getWorkflowSuggestions, markItemProcessed, processTriggers } from '../../workflow/index.js';
import { priorityQueueToJson, processedToJson, runResultToJson, workflowSuggestionsToJson } from '../json/workflow-json.js';
import { ApplicationIdParams, IdParams, MultiLine, StringEnum, Uuid, errorResponses } from '../../validation/common-schemas.js';
import type { AppContext } from '../app-context.js';

const tags = ['analytics & workflow'];

// Response shapes for the OpenAPI document. Objects stay open (additionalProperties) so the
// serializer never drops a field the service adds.
const open = { additionalProperties: true } as const;
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const QueueItem = Type.Object(
  {
    application_id: Type.String(),
    priority_score: Type.Integer({ minimum: 0, maximum: 100 }),
    priority: Type.Union([Type.String(), Type.Null()], { description: 'critical, high, medium or low (of the trigger)' }),
    job_title: Type.String(),
    company: Type.String(),
    status: Type.String(),
    engagement_score: Type.Union([Type.Integer(), Type.Null()]),
    intent_score: Type.Union([Type.Integer(), Type.Null()]),
    predicted_outcome: Type.Union([Type.String(), Type.Null()]),
    action_type: Type.Union([Type.String(), Type.Null()], { description: 'the trigger type, e.g. high_engagement_followup' }),
    action: Type.Union([Type.String(), Type.Null()], { description: "the rule's action, e.g. send_personalized_email" }),
    deadline: Nullable(Type.String({ format: 'date-time' })),
    overdue: Type.Boolean(),
    recommended_action: Type.String({ description: 'a sentence a person can act on' }),
    queued_at: Type.String({ format: 'date-time' }),
  },
  open,
);
const FiredTrigger = Type.Object(
  {
    application_id: Type.String(),
    type: Type.String(),
    priority: Type.String(),
    action: Type.String(),
    condition_met_at: Type.String({ format: 'date-time' }),
    deadline: Nullable(Type.String({ format: 'date-time' })),
  },
  open,
);
const Factor = Type.Object({ name: Type.String(), points: Type.Number(), detail: Type.String() }, open);

export async function workflowRoutes(app: FastifyInstance, ctx: AppContext) {
  const scoring = { defaultTimezone: ctx.config.defaultTimezone };

  app.get(
    '/api/analytics/applications/:id',
    {
      schema: {
        tags,
        summary: 'Engagement analytics of one application, computed now, with the factors behind each score',
        params: IdParams,
        response: {
          200: Type.Object(
            {
              application_id: Type.String(),
              total_clicks: Type.Integer(),
              human_clicks: Type.Integer(),
              bot_clicks: Type.Integer(),
              unique_visitors: Type.Integer(),
              click_sequence: Type.Array(Type.String()),
              first_click_at: Nullable(Type.String({ format: 'date-time' })),
              hours_to_first_click: Type.Union([Type.Number(), Type.Null()]),
              weekend_clicks: Type.Integer(),
              engagement_score: Type.Integer({ minimum: 0, maximum: 100 }),
              intent_score: Type.Integer({ minimum: 0, maximum: 100 }),
              health_score: Type.Integer({ minimum: 0, maximum: 100 }),
              predicted_outcome: Type.String({ description: 'interview_likely, in_review, stalled or unlikely' }),
              outcome_probability: Type.Number({ minimum: 0, maximum: 1 }),
              factors: Type.Object(
                {
                  engagement: Type.Array(Factor),
                  intent: Type.Array(Factor),
                  health: Type.Array(Factor),
                  outcome: Type.Array(Factor),
                },
                open,
              ),
            },
            open,
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      return analyticsToJson(id, await getApplicationAnalytics(ctx.db, id, scoring));
    },
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
            priority: Type.Optional(StringEnum(TRIGGER_PRIORITIES)),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ priority_queue: Type.Array(QueueItem), total_pending: Type.Integer() }, open), ...errorResponses },
      },
    },
    async (request) => priorityQueueToJson(await getPriorityQueue(ctx.db, request.query as { limit?: number; priority?: TriggerPriority }, scoring)),
  );

  app.post(
    '/api/analytics/process-triggers',
    {
      schema: {
        tags,
        summary: 'Evaluate triggers and prioritization now (one application, or a full run)',
        body: Type.Object({ application_id: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: {
          200: Type.Object(
            {
              evaluated: Type.Integer(),
              triggers_fired: Type.Array(FiredTrigger),
              queue: Type.Object({ added: Type.Integer(), updated: Type.Integer(), removed: Type.Integer() }),
              duration_ms: Type.Integer(),
            },
            open,
          ),
          ...errorResponses,
        },
      },
      // The body is optional (the seed's own example sends none): no body means {}.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request) =>
      runResultToJson(await processTriggers(ctx.db, (request.body as { application_id?: string } | undefined)?.application_id, { ...scoring, actor: 'api' })),
  );

  app.get(
    '/api/analytics/workflow-suggestions/:applicationId',
    {
      schema: {
        tags,
        summary: 'Every open trigger of an application with a recommended action, any further advice, and its queue item',
        params: ApplicationIdParams,
        response: { ...errorResponses },
      },
    },
    async (request) => {
      const { applicationId } = request.params as { applicationId: string };
      return workflowSuggestionsToJson(applicationId, await getWorkflowSuggestions(ctx.db, applicationId, scoring));
    },
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
        response: { ...errorResponses },
      },
    },
    async (request) =>
      processedToJson(
        await markItemProcessed(ctx.db, (request.params as { applicationId: string }).applicationId, request.body as { outcome: 'done' | 'dismissed'; note?: string }, scoring),
      ),
  );

  app.get(
    '/api/analytics/stats',
    {
      schema: {
        tags,
        summary: 'Queue and prioritization statistics',
        response: {
          200: Type.Object(
            {
              total_in_queue: Type.Integer(),
              high_priority: Type.Integer({ description: 'pending items whose trigger is high or critical' }),
              overdue_actions: Type.Integer(),
              avg_processing_time_seconds: Type.Union([Type.Number(), Type.Null()]),
            },
            open,
          ),
          ...errorResponses,
        },
      },
    },
    async () => getPrioritizationStats(ctx.db),
  );
}
