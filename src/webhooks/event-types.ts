/** The events a webhook endpoint can subscribe to (SPEC §9). */
export const WEBHOOK_EVENT_TYPES = [
  'click.recorded',
  'trigger.fired',
  'queue.updated',
  'action.completed',
  'booking.created',
  'digest.ready',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** One event as its writer hands it to the outbox; the envelope adds type and timestamp. */
export interface WebhookEvent {
  type: WebhookEventType;
  data: Record<string, unknown>;
  /** Kept beside the event for finding it again; not part of what is sent. */
  applicationId?: string | null;
  /** When it happened. (Default: now) */
  at?: Date;
}
