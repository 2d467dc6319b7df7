import type { Database, Queryable } from '../db/index.js';

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
 * Locks these requests in application_id order, the order every writer of recalc_requests takes
 * them in (docs/workflow.md, "Lock order"). A statement that locked them as it met them (a hash
 * join in claim order) could hold one row while a click marking several waits for it, and wait
 * for a row that click already holds: a deadlock.
 */
async function lockRequests(tx: Queryable, applicationIds: readonly string[]): Promise<void> {
  await tx.query(
    `SELECT 1 FROM recalc_requests WHERE application_id = ANY($1::uuid[]) ORDER BY application_id FOR UPDATE`,
    [applicationIds],
  );
}

/**
 * Clears the requests that were handled. A request marked again meanwhile (newer generation)
 * stays, due when that mark said (its click + the delay, or its newest unjudged click + the
 * settle time), and is handled in a later round; its first pending mark counts from now.
 */
export async function releaseRequests(db: Database, handled: readonly ClaimedRequest[]): Promise<void> {
  if (handled.length === 0) return;
  const ids = handled.map((h) => h.application_id);
  const generations = handled.map((h) => h.generation);
  await db.transaction(async (tx) => {
    // The lock waits for a click still marking a row. The DELETE, a new statement, sees that mark
    // committed and skips the row (its generation moved on); the UPDATE frees it for the next round.
    await lockRequests(tx, ids);
    await tx.query(
      `DELETE FROM recalc_requests r USING unnest($1::uuid[], $2::bigint[]) AS d(id, generation)
        WHERE r.application_id = d.id AND r.generation = d.generation`,
      [ids, generations],
    );
    await tx.query(
      `UPDATE recalc_requests SET leased_until = NULL, requested_at = now()
        WHERE application_id = ANY($1::uuid[]) AND leased_until IS NOT NULL`,
      [ids],
    );
  });
}

/**
 * After an evaluation that judged clicks up to `judgedUpTo`: the applications that have clicks
 * after that moment (too young for their burst window, or stamped ahead of the clock) are
 * marked again, due once their newest click is `settleMs` old. Bumps the generation, so the
 * release that follows keeps the request instead of deleting it.
 */
export async function remarkUnjudgedClicks(db: Queryable, applicationIds: readonly string[], judgedUpTo: Date, settleMs: number): Promise<string[]> {
  if (applicationIds.length === 0) return [];
  const res = await db.query<{ application_id: string }>(
    `INSERT INTO recalc_requests AS r (application_id, due_at)
       SELECT application_id, max(clicked_at) + make_interval(secs => $3::double precision / 1000)
         FROM link_clicks WHERE application_id = ANY($1::uuid[]) AND clicked_at > $2
        GROUP BY application_id ORDER BY application_id
     ON CONFLICT (application_id) DO UPDATE SET generation = r.generation + 1, due_at = GREATEST(r.due_at, EXCLUDED.due_at)
     RETURNING application_id`,
    [[...applicationIds].sort(), judgedUpTo, settleMs],
  );
  return res.rows.map((r) => r.application_id);
}

/** Gives requests back without handling them (the batch failed): they are retried after a pause. */
export async function returnRequests(db: Database, applicationIds: readonly string[], retryMs: number): Promise<void> {
  if (applicationIds.length === 0) return;
  await db.transaction(async (tx) => {
    await lockRequests(tx, applicationIds);
    await tx.query(
      `UPDATE recalc_requests SET leased_until = NULL, due_at = now() + make_interval(secs => $2::double precision / 1000)
        WHERE application_id = ANY($1::uuid[])`,
      [applicationIds, retryMs],
    );
  });
}

export interface RecalcBacklog {
  /** Applications marked and not yet recalculated. */
  waiting: number;
  /** How long the oldest due mark has been due, in seconds (0 when none is due yet, null when none waits). */
  oldestDueSeconds: number | null;
}

/** The backlog of the protocol, for /metrics and /api/analytics/stats. */
export async function readRecalcBacklog(db: Queryable): Promise<RecalcBacklog> {
  const res = await db.query<{ waiting: number; oldest: number | null }>(
    `SELECT count(*)::int AS waiting, greatest(0, extract(epoch FROM now() - min(due_at)))::float8 AS oldest FROM recalc_requests`,
  );
  return { waiting: res.rows[0].waiting, oldestDueSeconds: res.rows[0].oldest };
}
