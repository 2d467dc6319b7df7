import type { Database } from '../db/index.js';
import { AppError } from '../errors.js';
import { listDeliveries } from './delivery-log.js';
import { getEndpointOrThrow } from './endpoint-store.js';
import { sendAttempt, type AttemptOutcome } from './send-attempt.js';
import { generateMessageId, webhookHeaders } from './sign-webhook.js';

/** The type of the test event: not one of SPEC §9's events, and never sent unless asked for. */
export const TEST_EVENT_TYPE = 'webhook.test';

export interface TestDeliveryResult {
  outcome: AttemptOutcome;
  /** The delivery as the log shows it (null when the endpoint was removed while the test ran). */
  delivery: Awaited<ReturnType<typeof listDeliveries>>[number] | null;
}

/**
 * Settings → "Send test event": one signed `webhook.test` delivery to one endpoint, sent now
 * and answered in the same request, not through the outbox (a person waits for the answer).
 * It goes through the same signer, SSRF guard and time limit as the worker's attempts, and is
 * written to the delivery log afterwards, already settled (delivered, or failed after one
 * attempt): no retry is scheduled, the per-endpoint limit of the worker is not consulted, and
 * an answer of 410 does not stop the endpoint (only real deliveries do that). A stopped
 * endpoint is not tested (409), as it is not replayed.
 */
export async function sendTestEvent(
  db: Database,
  endpointId: string,
  options: { timeoutMs: number; allowPrivate: boolean; signal?: AbortSignal },
): Promise<TestDeliveryResult> {
  const endpoint = await getEndpointOrThrow(db, endpointId);
  if (endpoint.disabled_at) throw new AppError('conflict', 'the endpoint is stopped (it answered 410 Gone); register it again to receive events');
  const id = generateMessageId();
  const startedAt = new Date();
  const body = JSON.stringify({
    type: TEST_EVENT_TYPE,
    timestamp: startedAt.toISOString(),
    data: {
      webhook_id: endpoint.id,
      description: endpoint.description,
      message: 'A test event sent from hirepulse (Settings → Webhooks → Send test event). Nothing happened; answer 2xx to show the endpoint works.',
    },
  });
  const outcome = await sendAttempt(endpoint.url, body, webhookHeaders(endpoint.secret, id, body, startedAt), options);
  const succeeded = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
  const error = outcome.error?.slice(0, 500) ?? null;
  const deliveryId = await db.transaction(async (tx) => {
    // The endpoint may have been removed while the attempt was in flight: then nothing is logged.
    const stored = await tx.query(
      `INSERT INTO webhook_events (id, type, body) SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM webhook_endpoints WHERE id = $4) RETURNING id`,
      [id, TEST_EVENT_TYPE, body, endpoint.id],
    );
    if (stored.rows.length === 0) return null;
    const delivery = await tx.query<{ id: string | number }>(
      `INSERT INTO webhook_deliveries (event_id, endpoint_id, status, attempts, next_attempt_at, last_attempt_at, last_status_code, last_error, completed_at)
       SELECT $1, e.id, $3, 1, $4, $4, $5, $6, now() FROM webhook_endpoints e WHERE e.id = $2
       RETURNING id::float8 AS id`,
      [id, endpoint.id, succeeded ? 'succeeded' : 'failed', startedAt, outcome.statusCode, error],
    );
    const row = delivery.rows[0];
    if (!row) return null;
    await tx.query(
      `INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error, succeeded) VALUES ($1, 1, $2, $3, $4, $5, $6)`,
      [row.id, startedAt, outcome.durationMs, outcome.statusCode, error, succeeded],
    );
    return Number(row.id);
  });
  const delivery = deliveryId === null ? null : ((await listDeliveries(db, endpoint.id, { limit: 1, beforeId: deliveryId + 1 }))[0] ?? null);
  return { outcome, delivery };
}
