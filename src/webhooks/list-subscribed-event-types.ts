import type { Queryable } from '../db/index.js';
import type { WebhookEventType } from './event-types.js';

/**
 * The event types some enabled endpoint subscribes to. enqueueWebhookEvents stores only those;
 * a writer of many events (an evaluation batch) reads this first and builds only those events.
 */
export async function listSubscribedEventTypes(db: Queryable): Promise<Set<WebhookEventType>> {
  const res = await db.query<{ type: WebhookEventType }>(
    `SELECT DISTINCT unnest(events) AS type FROM webhook_endpoints WHERE disabled_at IS NULL`,
  );
  return new Set(res.rows.map((r) => r.type));
}
