import type { Queryable } from '../db/index.js';
import { AppError, notFound } from '../errors.js';

interface DeliveryRow {
  id: string | number;
  event_id: string;
  type: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  completed_at: Date | null;
  created_at: Date;
  attempt_log: { attempt: number; started_at: string; duration_ms: number; status_code: number | null; error: string | null; succeeded: boolean }[];
}

/** The deliveries of one endpoint, newest first, each with its attempts (GET /api/webhooks/:id/deliveries). */
export async function listDeliveries(
  db: Queryable,
  endpointId: string,
  filter: { limit: number; status?: 'pending' | 'succeeded' | 'failed'; beforeId?: number },
) {
  const res = await db.query<DeliveryRow>(
    `SELECT d.id::float8 AS id, d.event_id, ev.type, d.status, d.attempts, d.next_attempt_at, d.last_attempt_at,
            d.last_status_code, d.last_error, d.completed_at, d.created_at,
            coalesce((SELECT jsonb_agg(jsonb_build_object('attempt', a.attempt, 'started_at', a.started_at, 'duration_ms', a.duration_ms,
                                 'status_code', a.status_code, 'error', a.error, 'succeeded', a.succeeded) ORDER BY a.id)
                        FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]'::jsonb) AS attempt_log
       FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id
      WHERE d.endpoint_id = $1 AND ($2::text IS NULL OR d.status = $2) AND ($4::bigint IS NULL OR d.id < $4)
      ORDER BY d.id DESC LIMIT $3`,
    [endpointId, filter.status ?? null, filter.limit, filter.beforeId ?? null],
  );
  return res.rows.map(deliveryToJson);
}

function deliveryToJson(r: DeliveryRow) {
  return {
    id: Number(r.id),
    event_id: r.event_id,
    event_type: r.type,
    status: r.status,
    attempts: r.attempts,
    next_attempt_at: r.status === 'pending' ? r.next_attempt_at.toISOString() : null,
    last_attempt_at: r.last_attempt_at?.toISOString() ?? null,
    last_status_code: r.last_status_code,
    last_error: r.last_error,
    completed_at: r.completed_at?.toISOString() ?? null,
    created_at: r.created_at.toISOString(),
    attempt_log: r.attempt_log.map((a) => ({ ...a, started_at: new Date(a.started_at).toISOString() })),
  };
}

/**
 * Sends a failed delivery again: due now, with the retry schedule starting anew. The same
 * webhook-id goes out, so a receiver that did get it after all can tell. Refused (409) for a
 * delivery that is not failed, or whose endpoint is disabled.
 */
export async function replayDelivery(db: Queryable, endpointId: string, deliveryId: number) {
  const found = await db.query<{ status: string; disabled: boolean }>(
    `SELECT d.status, e.disabled_at IS NOT NULL AS disabled
       FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
      WHERE d.id = $1 AND d.endpoint_id = $2`,
    [deliveryId, endpointId],
  );
  const row = found.rows[0];
  if (!row) throw notFound('delivery');
  if (row.disabled) throw new AppError('conflict', 'the endpoint is disabled (it answered 410 Gone); register it again to receive events');
  const res = await db.query(
    `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), completed_at = NULL,
            leased_until = NULL, lease_holder = NULL
      WHERE id = $1 AND endpoint_id = $2 AND status = 'failed'`,
    [deliveryId, endpointId],
  );
  if (res.rowCount === 0) throw new AppError('conflict', `only a failed delivery can be replayed; this one is ${row.status}`);
  return (await listDeliveries(db, endpointId, { limit: 1, beforeId: deliveryId + 1 }))[0];
}
