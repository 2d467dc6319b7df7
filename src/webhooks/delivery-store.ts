import type { Database, Queryable } from '../db/index.js';
import { nextRetryDelayMs } from './retry-schedule.js';
import type { AttemptOutcome } from './send-attempt.js';

export interface ClaimedDelivery {
  id: number;
  attempts: number;
  event_id: string;
  body: string;
  endpoint_id: string;
  url: string;
  secret: string;
}

/**
 * Leases due deliveries for one worker. Endpoints are taken FOR NO KEY UPDATE SKIP LOCKED, so
 * two workers never count the same endpoint's in-flight deliveries at once: across every
 * process, at most `maxInFlight` deliveries of one endpoint are leased at a time. The claim
 * counts as an attempt (`attempts + 1`), so a worker killed mid-attempt leaves a row that its
 * lease expiry makes due again: delivered at least once.
 */
export async function claimDeliveries(
  db: Database,
  opts: { limit: number; maxInFlight: number; leaseMs: number; holder: string },
): Promise<ClaimedDelivery[]> {
  if (opts.limit <= 0) return [];
  return db.transaction(async (tx) => {
    const endpoints = await tx.query<{ id: string }>(
      `SELECT e.id FROM webhook_endpoints e
        WHERE e.disabled_at IS NULL
          AND EXISTS (SELECT 1 FROM webhook_deliveries d
                       WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.next_attempt_at <= now()
                         AND (d.leased_until IS NULL OR d.leased_until < now()))
        ORDER BY e.id LIMIT 100
        FOR NO KEY UPDATE OF e SKIP LOCKED`,
    );
    if (endpoints.rows.length === 0) return [];
    const res = await tx.query<ClaimedDelivery>(
      `WITH in_flight AS (
         SELECT endpoint_id, count(*)::int AS n FROM webhook_deliveries
          WHERE endpoint_id = ANY($1::uuid[]) AND status = 'pending' AND leased_until >= now()
          GROUP BY endpoint_id
       ), due AS (
         SELECT d.id, d.endpoint_id, row_number() OVER (PARTITION BY d.endpoint_id ORDER BY d.next_attempt_at, d.id) AS rn
           FROM webhook_deliveries d
          WHERE d.endpoint_id = ANY($1::uuid[]) AND d.status = 'pending' AND d.next_attempt_at <= now()
            AND (d.leased_until IS NULL OR d.leased_until < now())
       ), picked AS (
         SELECT due.id FROM due LEFT JOIN in_flight f ON f.endpoint_id = due.endpoint_id
          WHERE due.rn <= $2 - coalesce(f.n, 0)
          ORDER BY due.id LIMIT $3
       )
       UPDATE webhook_deliveries d
          SET leased_until = now() + make_interval(secs => $4::double precision / 1000), lease_holder = $5,
              attempts = d.attempts + 1, last_attempt_at = now()
         FROM picked, webhook_events ev, webhook_endpoints e
        WHERE d.id = picked.id AND ev.id = d.event_id AND e.id = d.endpoint_id
       RETURNING d.id::float8 AS id, d.attempts, d.event_id, ev.body, e.id AS endpoint_id, e.url, e.secret`,
      [endpoints.rows.map((r) => r.id), opts.maxInFlight, opts.limit, opts.leaseMs, opts.holder],
    );
    return res.rows.map((r) => ({ ...r, id: Number(r.id) }));
  });
}

export type AttemptResult = 'succeeded' | 'retrying' | 'failed' | 'endpoint_disabled';

/**
 * Stores what one attempt got, and what happens next: done on a 2xx; on 410 the endpoint is
 * disabled and its pending deliveries fail; otherwise the next try per the schedule (or the
 * receiver's Retry-After), or failure once the schedule is used up. Only the lease holder moves
 * the delivery on (a worker whose lease ran out while it waited still logs its attempt).
 */
export async function recordAttempt(
  db: Database,
  delivery: ClaimedDelivery,
  outcome: AttemptOutcome & { startedAt: Date },
  holder: string,
  random: number = Math.random(),
): Promise<AttemptResult> {
  const succeeded = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
  return db.transaction(async (tx) => {
    // The endpoint (and its deliveries) may have been deleted while the attempt was in flight:
    // then there is nothing left to record.
    const logged = await tx.query(
      `INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error, succeeded)
       SELECT d.id, $2, $3, $4, $5, $6, $7 FROM webhook_deliveries d WHERE d.id = $1 FOR KEY SHARE OF d
       RETURNING 1`,
      [delivery.id, delivery.attempts, outcome.startedAt, outcome.durationMs, outcome.statusCode, outcome.error?.slice(0, 500) ?? null, succeeded],
    );
    if (logged.rows.length === 0) return 'failed';
    if (succeeded) {
      await finish(tx, delivery.id, 'succeeded', outcome);
      return 'succeeded';
    }
    if (outcome.statusCode === 410) {
      await tx.query(
        `UPDATE webhook_endpoints SET disabled_at = now(), disabled_reason = 'the receiver answered 410 Gone'
          WHERE id = $1 AND disabled_at IS NULL`,
        [delivery.endpoint_id],
      );
      await finish(tx, delivery.id, 'failed', outcome);
      await tx.query(
        `UPDATE webhook_deliveries SET status = 'failed', completed_at = now(), leased_until = NULL,
                last_error = 'not sent: the endpoint was disabled (410 Gone)'
          WHERE endpoint_id = $1 AND status = 'pending' AND id <> $2`,
        [delivery.endpoint_id, delivery.id],
      );
      return 'endpoint_disabled';
    }
    const delay = nextRetryDelayMs(delivery.attempts, random, outcome.retryAfterMs);
    if (delay === null) {
      await finish(tx, delivery.id, 'failed', outcome);
      return 'failed';
    }
    await tx.query(
      `UPDATE webhook_deliveries SET leased_until = NULL, lease_holder = NULL,
              next_attempt_at = now() + make_interval(secs => $3::double precision / 1000),
              last_status_code = $4, last_error = $5
        WHERE id = $1 AND lease_holder = $2 AND status = 'pending'`,
      [delivery.id, holder, delay, outcome.statusCode, outcome.error?.slice(0, 500) ?? null],
    );
    return 'retrying';
  });
}

/** Settles a delivery, whoever holds it now: a success reached the receiver even from a late worker. */
async function finish(tx: Queryable, id: number, status: 'succeeded' | 'failed', outcome: AttemptOutcome): Promise<void> {
  await tx.query(
    `UPDATE webhook_deliveries SET status = $2, completed_at = now(), leased_until = NULL, lease_holder = NULL,
            last_status_code = $3, last_error = $4
      WHERE id = $1 AND status = 'pending'`,
    [id, status, outcome.statusCode, outcome.error?.slice(0, 500) ?? null],
  );
}

/** A worker that stops mid-attempt gives the delivery back at once, without spending a retry. */
export async function giveBack(db: Queryable, ids: readonly number[], holder: string): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `UPDATE webhook_deliveries SET leased_until = NULL, lease_holder = NULL, attempts = greatest(attempts - 1, 0), next_attempt_at = now()
      WHERE id = ANY($1::bigint[]) AND lease_holder = $2 AND status = 'pending'`,
    [ids, holder],
  );
}

/** Events older than `days` whose deliveries are all settled go (their attempts with them). */
export async function pruneDeliveredEvents(db: Queryable, days: number): Promise<number> {
  const res = await db.query(
    `DELETE FROM webhook_events ev
      WHERE ev.created_at < now() - make_interval(days => $1)
        AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = ev.id AND d.status = 'pending')`,
    [days],
  );
  return res.rowCount;
}
