import type { Queryable } from '../db/index.js';

export interface ClaimedRequest {
  application_id: string;
  generation: number;
  requested_at: Date;
}

/**
 * Hands out due recalculation requests: SKIP LOCKED so several workers never take the same
 * one, and a lease so a worker that dies mid-batch gives its requests back when it expires.
 */
export async function claimDueRequests(db: Queryable, limit: number, leaseMs: number): Promise<ClaimedRequest[]> {
  const res = await db.query<ClaimedRequest>(
    `UPDATE recalc_requests r SET leased_until = now() + make_interval(secs => $2::double precision / 1000)
      WHERE r.application_id IN (
        SELECT application_id FROM recalc_requests
         WHERE due_at <= now() AND (leased_until IS NULL OR leased_until < now())
         ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING r.application_id, r.generation::float8 AS generation, r.requested_at`,
    [limit, leaseMs],
  );
  return res.rows;
}

/**
 * Clears the requests that were handled. A request marked again meanwhile (newer generation)
 * stays, due once the new click has had its burst window, and is handled in a later round.
 */
export async function releaseRequests(db: Queryable, handled: readonly ClaimedRequest[], delayMs: number): Promise<void> {
  if (handled.length === 0) return;
  const ids = handled.map((h) => h.application_id);
  const generations = handled.map((h) => h.generation);
  await db.query(
    `WITH done AS (SELECT * FROM unnest($1::uuid[], $2::bigint[]) AS d(id, generation)),
     deleted AS (
       DELETE FROM recalc_requests r USING done WHERE r.application_id = done.id AND r.generation = done.generation
       RETURNING r.application_id)
     UPDATE recalc_requests r SET leased_until = NULL,
            due_at = GREATEST(r.due_at, r.requested_at + make_interval(secs => $3::double precision / 1000))
       FROM done WHERE r.application_id = done.id AND r.generation <> done.generation`,
    [ids, generations, delayMs],
  );
}

/** Gives requests back without handling them (the batch failed): they are retried after a pause. */
export async function returnRequests(db: Queryable, applicationIds: readonly string[], retryMs: number): Promise<void> {
  if (applicationIds.length === 0) return;
  await db.query(
    `UPDATE recalc_requests SET leased_until = NULL, due_at = now() + make_interval(secs => $2::double precision / 1000)
      WHERE application_id = ANY($1::uuid[])`,
    [applicationIds, retryMs],
  );
}

export async function recalcBacklog(db: Queryable): Promise<{ waiting: number; oldest_due_seconds: number | null }> {
  const res = await db.query<{ waiting: number; oldest_due_seconds: number | null }>(
    `SELECT count(*)::int AS waiting, extract(epoch FROM now() - min(due_at))::float8 AS oldest_due_seconds FROM recalc_requests`,
  );
  return res.rows[0];
}
