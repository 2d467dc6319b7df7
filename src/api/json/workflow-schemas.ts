/**
 * Response schemas of the workflow JSON (workflow-json.ts, analyticsToJson), for the OpenAPI
 * document and the serializer. Objects stay open (additionalProperties) so the serializer never
 * drops a field the service adds; every field listed here is one the shaping functions always set.
 */
import { Type } from '@sinclair/typebox';
import { Nullable } from '../../validation/common-schemas.js';

const open = { additionalProperties: true } as const;
const DateTime = Type.String({ format: 'date-time' });

export const QueueItemJson = Type.Object(
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
    deadline: Nullable(DateTime),
    overdue: Type.Boolean(),
    recommended_action: Type.String({ description: 'a sentence a person can act on' }),
    queued_at: DateTime,
  },
  open,
);

export const PriorityQueueJson = Type.Object({ priority_queue: Type.Array(QueueItemJson), total_pending: Type.Integer() }, open);

const FiredTriggerJson = Type.Object(
  {
    application_id: Type.String(),
    type: Type.String(),
    priority: Type.String(),
    action: Type.String(),
    condition_met_at: DateTime,
    deadline: Nullable(DateTime),
  },
  open,
);

export const RunResultJson = Type.Object(
  {
    evaluated: Type.Integer(),
    triggers_fired: Type.Array(FiredTriggerJson),
    queue: Type.Object({ added: Type.Integer(), updated: Type.Integer(), removed: Type.Integer() }),
    duration_ms: Type.Integer(),
  },
  open,
);

const FactorJson = Type.Object({ name: Type.String(), points: Type.Number(), detail: Type.String() }, open);

export const AnalyticsJson = Type.Object(
  {
    application_id: Type.String(),
    total_clicks: Type.Integer(),
    human_clicks: Type.Integer(),
    bot_clicks: Type.Integer(),
    unique_visitors: Type.Integer(),
    click_sequence: Type.Array(Type.String()),
    first_click_at: Nullable(DateTime),
    hours_to_first_click: Type.Union([Type.Number(), Type.Null()]),
    weekend_clicks: Type.Integer(),
    engagement_score: Type.Integer({ minimum: 0, maximum: 100 }),
    intent_score: Type.Integer({ minimum: 0, maximum: 100 }),
    health_score: Type.Integer({ minimum: 0, maximum: 100 }),
    predicted_outcome: Type.String({ description: 'interview_likely, in_review, stalled or unlikely' }),
    outcome_probability: Type.Number({ minimum: 0, maximum: 1 }),
    factors: Type.Object(
      {
        engagement: Type.Array(FactorJson),
        intent: Type.Array(FactorJson),
        health: Type.Array(FactorJson),
        outcome: Type.Array(FactorJson),
      },
      open,
    ),
  },
  open,
);

const SuggestionJson = Type.Object(
  {
    type: Type.String({ description: 'the trigger type, or the kind of advice' }),
    priority: Type.String(),
    action: Type.String(),
    deadline: Nullable(DateTime),
    recommended_action: Type.String({ description: 'a sentence a person can act on' }),
    reason: Type.String({ description: 'why: what the clicks showed' }),
    source: Type.String({ description: 'trigger (an open trigger) or advice' }),
  },
  open,
);

export const WorkflowSuggestionsJson = Type.Object(
  {
    application: Type.Unsafe({ $ref: 'Application#' }),
    scores: Type.Object(
      {
        engagement_score: Type.Integer(),
        intent_score: Type.Integer(),
        health_score: Type.Integer(),
        predicted_outcome: Type.String(),
        outcome_probability: Type.Number(),
      },
      open,
    ),
    analytics: AnalyticsJson,
    suggestions: Type.Array(SuggestionJson),
    queue_item: Nullable(QueueItemJson),
  },
  open,
);

export const ProcessedJson = Type.Object(
  {
    application_id: Type.String(),
    status: Type.String({ description: 'processed (done) or dismissed' }),
    action_type: Type.Union([Type.String(), Type.Null()]),
    processed_at: DateTime,
    processing_time_seconds: Type.Number({ description: 'from queued to processed' }),
    triggers_closed: Type.Array(Type.String()),
    next_item: Nullable(QueueItemJson),
  },
  open,
);

export const StatsJson = Type.Object(
  {
    total_in_queue: Type.Integer(),
    high_priority: Type.Integer({ description: 'pending items whose trigger is high or critical' }),
    overdue_actions: Type.Integer(),
    avg_processing_time_seconds: Type.Union([Type.Number(), Type.Null()]),
  },
  open,
);
