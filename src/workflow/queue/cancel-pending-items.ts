import type { Queryable } from '../../db/index.js';

/** Cancels the pending rows of these applications; returns the applications that had one. */
export async function cancelPendingItems(db: Queryable, applicationIds: readonly string[]): Promise<string[]> {
  if (applicationIds.length === 0) return [];
  const res = await db.query<{ application_id: string }>(
    `UPDATE application_priority_queue SET status = 'cancelled', updated_at = now() AT TIME ZONE 'UTC'
      WHERE status = 'pending' AND application_id = ANY($1::uuid[])
      RETURNING application_id`,
    [applicationIds],
  );
  return res.rows.map((r) => r.application_id);
}

/** Cancels pending rows of applications that are no longer active (set-based, for the full run). */
export async function cancelItemsOfInactiveApplications(db: Queryable, activeStatuses: readonly string[]): Promise<{ application_id: string; status: string }[]> {
  const res = await db.query<{ application_id: string; status: string }>(
    `UPDATE application_priority_queue q SET status = 'cancelled', updated_at = now() AT TIME ZONE 'UTC'
       FROM job_applications a
      WHERE q.status = 'pending' AND a.id = q.application_id AND NOT (a.status = ANY($1::text[]))
      RETURNING q.application_id, a.status`,
    [activeStatuses],
  );
  return res.rows;
}
