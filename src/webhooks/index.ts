/** Outbound webhooks (SPEC §9): endpoints, the outbox, Standard Webhooks signing, delivery. */
export { WEBHOOK_EVENT_TYPES, type WebhookEvent, type WebhookEventType } from './event-types.js';
export { enqueueWebhookEvents } from './enqueue-events.js';
export { countWebhookEndpoints, createEndpoint, deleteEndpoint, endpointToJson, getEndpointOrThrow, listEndpoints, type CreateEndpointInput } from './endpoint-store.js';
export { listDeliveries, replayDelivery } from './delivery-log.js';
export { startWebhookDelivery, type DeliveryWorkerOptions } from './delivery-worker.js';
export { signWebhook, webhookHeaders, generateWebhookSecret } from './sign-webhook.js';
export { sendTestEvent, TEST_EVENT_TYPE, type TestDeliveryResult } from './send-test-event.js';
