import type { Queryable } from '../../db/index.js';

/** A status change (or a reply the person records) starts the follow-up cadence over (SPEC §8). */
export async function resetFollowUpCadence(tx: Queryable, applicationId: string, reason: string): Promise<void> {
  await tx.query(
    `INSERT INTO follow_up_resets (application_id, reset_at, reason) VALUES ($1, now(), $2)
     ON CONFLICT (application_id) DO UPDATE SET reset_at = EXCLUDED.reset_at, reason = EXCLUDED.reason`,
    [applicationId, reason.slice(0, 100)],
  );
}
