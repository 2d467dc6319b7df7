import { Type } from '@sinclair/typebox';
import { MAX_SAFE_ID, Nullable, SingleLine, StringEnum, Uuid, errorResponses } from '../../../validation/common-schemas.js';
import {
  WEBHOOK_EVENT_TYPES,
  createEndpoint,
  deleteEndpoint,
  endpointToJson,
  getEndpointOrThrow,
  listDeliveries,
  listEndpoints,
  replayDelivery,
  sendTestEvent,
  TEST_EVENT_TYPE,
  type CreateEndpointInput,
} from '../../../webhooks/index.js';
import type { AppContext } from '../../app-context.js';
import type { RouteScope } from '../../route-scope.js';

const WebhookParams = Type.Object({ id: Type.String({ ...Uuid, description: 'UUID of the webhook endpoint' }) });

const CreateWebhookBody = Type.Object(
  {
    url: SingleLine({ minLength: 1, maxLength: 2048, description: 'http(s) URL the events are POSTed to' }),
    events: Type.Array(StringEnum(WEBHOOK_EVENT_TYPES), { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length, uniqueItems: true }),
    description: Type.Optional(SingleLine({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

const WebhookJson = Type.Object({
  id: Type.String(),
  url: Type.String(),
  description: Nullable(Type.String()),
  events: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  disabled_at: Nullable(Type.String()),
  disabled_reason: Nullable(Type.String()),
  created_at: Type.String(),
  secret: Type.Optional(Type.String({ description: 'whsec_…: shown in the answer to the creation only' })),
});

const conflict = { 409: { $ref: 'ErrorBody#' } } as const;

/** SPEC §9: outbound webhook endpoints, their delivery log, and replay. */
export async function webhookRoutes(app: RouteScope, ctx: AppContext) {
  app.post(
    '/api/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Register a webhook endpoint; the answer carries its signing secret, shown this once',
        body: CreateWebhookBody,
        response: { 201: WebhookJson, ...errorResponses },
      },
    },
    async (request, reply) => {
      const row = await createEndpoint(ctx.db, request.body, ctx.config.webhookAllowPrivate);
      return reply.status(201).send(endpointToJson(row, true));
    },
  );

  app.get('/api/webhooks', { schema: { tags: ['webhooks'], summary: 'The registered endpoints (without secrets)', response: { 200: Type.Object({ webhooks: Type.Array(WebhookJson) }), ...errorResponses } } }, async () => ({
    webhooks: (await listEndpoints(ctx.db)).map((row) => endpointToJson(row)),
  }));

  app.get(
    '/api/webhooks/:id',
    { schema: { tags: ['webhooks'], summary: 'One endpoint (without its secret)', params: WebhookParams, response: { 200: WebhookJson, ...errorResponses } } },
    async (request) => endpointToJson(await getEndpointOrThrow(ctx.db, request.params.id)),
  );

  app.delete(
    '/api/webhooks/:id',
    { schema: { tags: ['webhooks'], summary: 'Remove an endpoint; nothing more is sent to it', params: WebhookParams, response: { 200: Type.Object({ id: Type.String(), deleted: Type.Literal(true) }), ...errorResponses } } },
    async (request) => {
      const { id } = request.params;
      await deleteEndpoint(ctx.db, id);
      return { id, deleted: true };
    },
  );

  app.get(
    '/api/webhooks/:id/deliveries',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Deliveries to this endpoint, newest first, each with its attempts',
        params: WebhookParams,
        querystring: Type.Object(
          {
            status: Type.Optional(StringEnum(['pending', 'succeeded', 'failed'] as const)),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            before_id: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SAFE_ID })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ deliveries: Type.Array(Type.Object({}, { additionalProperties: true })) }), ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params;
      const q = request.query;
      await getEndpointOrThrow(ctx.db, id);
      return { deliveries: await listDeliveries(ctx.db, id, { limit: q.limit ?? 50, status: q.status, beforeId: q.before_id }) };
    },
  );

  app.post(
    '/api/webhooks/:id/deliveries/:deliveryId/replay',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Send a failed delivery again (same webhook-id, retry schedule anew)',
        params: Type.Object({ id: WebhookParams.properties.id, deliveryId: Type.Integer({ minimum: 1, maximum: MAX_SAFE_ID }) }),
        response: { 200: Type.Object({}, { additionalProperties: true, description: 'the delivery, due again now' }), ...errorResponses, ...conflict },
      },
    },
    async (request) => {
      const { id, deliveryId } = request.params;
      await getEndpointOrThrow(ctx.db, id);
      return replayDelivery(ctx.db, id, deliveryId);
    },
  );

  app.post(
    '/api/webhooks/:id/test',
    {
      schema: {
        tags: ['webhooks'],
        summary: `Send a signed ${TEST_EVENT_TYPE} event to this endpoint now and answer what the receiver said; logged as a delivery, never retried`,
        params: WebhookParams,
        response: {
          200: Type.Object({
            ok: Type.Boolean({ description: 'the receiver answered 2xx' }),
            event_type: Type.String(),
            status_code: Nullable(Type.Integer({ description: "the receiver's status, or null when no answer came" })),
            error: Nullable(Type.String()),
            duration_ms: Type.Integer(),
            message: Type.String({ description: 'the outcome in one sentence' }),
            delivery: Nullable(Type.Object({}, { additionalProperties: true, description: 'the delivery as GET …/deliveries shows it' })),
          }),
          ...errorResponses,
          ...conflict,
        },
      },
    },
    async (request) => {
      const { outcome, delivery } = await sendTestEvent(ctx.db, request.params.id, {
        timeoutMs: ctx.config.webhookTimeoutMs,
        allowPrivate: ctx.config.webhookAllowPrivate,
      });
      const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
      const message = ok
        ? `The receiver answered ${outcome.statusCode} in ${outcome.durationMs} ms.`
        : outcome.statusCode === 410
          ? 'The receiver answered 410 Gone. A test does not stop the endpoint, but the next real event will.'
          : `Not delivered: ${outcome.error ?? `the receiver answered ${outcome.statusCode}`}.`;
      return { ok, event_type: TEST_EVENT_TYPE, status_code: outcome.statusCode, error: outcome.error, duration_ms: outcome.durationMs, message, delivery };
    },
  );
}
