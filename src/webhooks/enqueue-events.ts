import type { Queryable } from '../db/index.js';
import type { WebhookEvent } from './event-types.js';
import { generateMessageId } from './sign-webhook.js';

/**
 * Writes events to the outbox in the caller's transaction, with one delivery row for each
 * enabled endpoint subscribed to the event's type (one statement). An event nobody subscribes
 * to is not stored: there is nobody to deliver it to, now or on a retry.
 */
export async function enqueueWebhookEvents(tx: Queryable, events: readonly WebhookEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const rows = events.map((e) => {
    const id = generateMessageId();
    const timestamp = (e.at ?? new Date()).toISOString();
    return { id, type: e.type, application_id: e.applicationId ?? null, body: JSON.stringify({ type: e.type, timestamp, data: e.data }) };
  });
  const res = await tx.query<{ n: number }>(
    `WITH subscribed AS (
       SELECT id, events FROM webhook_endpoints WHERE disabled_at IS NULL
     ), stored AS (
       INSERT INTO webhook_events (id, type, body, application_id)
       SELECT r.id, r.type, r.body, r.application_id
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, type text, body text, application_id uuid)
        WHERE EXISTS (SELECT 1 FROM subscribed s WHERE r.type = ANY(s.events))
       RETURNING id, type
     ), fanned AS (
       INSERT INTO webhook_deliveries (event_id, endpoint_id)
       SELECT stored.id, s.id FROM stored JOIN subscribed s ON stored.type = ANY(s.events)
       RETURNING 1
     )
     SELECT count(*)::int AS n FROM fanned`,
    [JSON.stringify(rows)],
  );
  return res.rows[0]?.n ?? 0;
}
