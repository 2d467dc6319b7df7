import type { Queryable } from '../db/index.js';

/**
 * The event of the click path: "these applications need their analytics, triggers and queue
 * row recomputed". Written in the transaction that stores the click, so a crash right after
 * the 302 cannot lose it. Coalesced per application: the first mark sets when the work is due
 * (`delayMs` later, so a scanner burst has shown itself), later marks only bump `generation`
 * so the worker knows to go again.
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
  const ids = [...new Set(applicationIds)].sort();
  const newest = ids.map((id) => newestClickAt?.get(id)?.toISOString() ?? null);
  await db.query(
    `INSERT INTO recalc_requests AS r (application_id, due_at)
       SELECT u.id, GREATEST(now(), u.newest) + make_interval(secs => $2::double precision / 1000)
         FROM unnest($1::uuid[], $3::timestamptz[]) AS u(id, newest)
        ORDER BY u.id -- lock order: rows in application_id order (docs/workflow.md, "Lock order")
     ON CONFLICT (application_id) DO UPDATE
       SET generation = r.generation + 1, requested_at = now(),
           due_at = CASE WHEN EXCLUDED.due_at > now() + make_interval(secs => $2::double precision / 1000)
                         THEN GREATEST(r.due_at, EXCLUDED.due_at) ELSE r.due_at END`,
    [ids, delayMs, newest],
  );
}
