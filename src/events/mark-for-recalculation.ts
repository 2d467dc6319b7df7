import type { Queryable } from '../db/index.js';

/**
 * The event of the click path: "these applications need their analytics, triggers and queue
 * row recomputed". Written in the transaction that stores the click, so a crash right after
 * the 302 cannot lose it. Coalesced per application: the first mark sets when the work is due
 * (`delayMs` later, so a scanner burst has shown itself), later marks only bump `generation`
 * so the worker knows to go again.
 */
export async function markForRecalculation(db: Queryable, applicationIds: readonly string[], delayMs: number): Promise<void> {
  if (applicationIds.length === 0) return;
  const ids = [...new Set(applicationIds)].sort();
  await db.query(
    `INSERT INTO recalc_requests AS r (application_id, due_at)
       SELECT id, now() + make_interval(secs => $2::double precision / 1000)
         FROM unnest($1::uuid[]) AS id
     ON CONFLICT (application_id) DO UPDATE
       SET generation = r.generation + 1, requested_at = now()`,
    [ids, delayMs],
  );
}
