import type { Queryable } from '../db/index.js';

/**
 * Longest wait, from the first pending mark of an application, before its work is due, however
 * many clicks keep pushing it: SPEC §5 promises the queue within 5 s of a click, and the worker's
 * poll (250 ms) and its batch need the second left (4.5 s left 0.3 s: a loaded machine missed the
 * 5 s by 50 ms in the burst-settling test). A click that
 * is still younger than its burst window when the work runs is judged in a later round (the
 * worker re-marks it), so the cap never lets a half-seen scanner burst fire a trigger.
 */
export const MAX_RECALC_WAIT_MS = 4_000;

/**
 * The event of the click path: "these applications need their analytics, triggers and queue
 * row recomputed". Written in the transaction that stores the click, so a crash right after
 * the 302 cannot lose it. Coalesced per application: every mark bumps `generation` (so a
 * worker in the middle of a batch knows to go again) and moves the due time to its own click
 * plus `delayMs`, so a scanner burst that starts with this click has shown itself before the
 * click is judged; never past MAX_RECALC_WAIT_MS after the first pending mark (`requested_at`).
 *
 * `newestClickAt` (per application) covers clicks stamped ahead of the database clock (imports
 * accept a little clock skew): scoring ignores clicks later than its `now`, so the work is not
 * due before the newest click's time plus `delayMs`, even when a request is already waiting.
 */
export async function markForRecalculation(
  db: Queryable,
  applicationIds: readonly string[],
  delayMs: number,
  newestClickAt?: ReadonlyMap<string, Date>,
): Promise<void> {
  if (applicationIds.length === 0) return;
  const mark = recalcMarkStatement(applicationIds, delayMs, newestClickAt);
  await db.query(mark.sql, mark.params);
}

/**
 * The statement markForRecalculation runs, for a caller that runs it together with other work
 * in one statement (the click path): its parameters are $1 to $4.
 */
export function recalcMarkStatement(
  applicationIds: readonly string[],
  delayMs: number,
  newestClickAt?: ReadonlyMap<string, Date>,
): { sql: string; params: unknown[] } {
  const ids = [...new Set(applicationIds)].sort();
  const newest = ids.map((id) => newestClickAt?.get(id)?.toISOString() ?? null);
  return {
    sql: `INSERT INTO recalc_requests AS r (application_id, due_at)
       SELECT u.id, GREATEST(now(), u.newest) + make_interval(secs => $2::double precision / 1000)
         FROM unnest($1::uuid[], $3::timestamptz[]) AS u(id, newest)
         ORDER BY u.id
     ON CONFLICT (application_id) DO UPDATE
       SET generation = r.generation + 1,
           -- the cap counts from the first pending mark; a request under a worker's lease was
           -- marked while its batch runs, so for it the wait starts now
           due_at = GREATEST(r.due_at, LEAST(EXCLUDED.due_at,
                      CASE WHEN r.leased_until IS NULL THEN r.requested_at ELSE now() END + make_interval(secs => $4::double precision / 1000)))`,
    params: [ids, delayMs, newest, MAX_RECALC_WAIT_MS],
  };
}
