import type { Queryable } from '../../db/index.js';

/** action_type of an item a person (or a script) put in the queue by hand, not a trigger. */
export const MANUAL_ACTION_TYPE = 'manual_review';

/**
 * Cancels the pending rows of these applications; returns the applications that had one.
 * With `keepManual`, items added by hand stay (they have no trigger to lose).
 */
export async function cancelPendingItems(
  db: Queryable,
  applicationIds: readonly string[],
  options: { keepManual?: boolean } = {},
): Promise<string[]> {
  if (applicationIds.length === 0) return [];
  const res = await db.query<{ application_id: string }>(
    // The pending row of each application by idx_priority_queue_app (one probe per application,
    // OFFSET 0), then those rows by primary key, whatever the statistics: on a queue filled by a
    // cold full run, never analyzed, `application_id = ANY` was planned as a walk of every pending
    // row (up to 116 ms per batch of 1 000).
    `UPDATE application_priority_queue SET status = 'cancelled', updated_at = now() AT TIME ZONE 'UTC'
      WHERE id = ANY(ARRAY(SELECT q.id FROM unnest($1::uuid[]) AS b(app)
                           CROSS JOIN LATERAL (SELECT id FROM application_priority_queue p
                                                WHERE p.application_id = b.app AND p.status = 'pending' OFFSET 0) q))
        AND status = 'pending' AND application_id = ANY($1::uuid[])
        AND NOT ($2::boolean AND action_type IS NOT DISTINCT FROM $3)
      RETURNING application_id`,
    [applicationIds, options.keepManual ?? false, MANUAL_ACTION_TYPE],
  );
  return res.rows.map((r) => r.application_id);
}

/** Applications that are no longer active but still have a pending row (the full run cancels those). */
export async function findItemsOfInactiveApplications(db: Queryable, activeStatuses: readonly string[]): Promise<string[]> {
  const res = await db.query<{ application_id: string }>(
    `SELECT q.application_id FROM application_priority_queue q JOIN job_applications a ON a.id = q.application_id
      WHERE q.status = 'pending' AND NOT (a.status = ANY($1::text[]))`,
    [activeStatuses],
  );
  return res.rows.map((r) => r.application_id);
}

/**
 * Cancels the pending rows of these applications that are no longer active (set-based, for the
 * full run). The caller holds their evaluation locks: the status is read again here, after them.
 */
export async function cancelItemsOfInactiveApplications(
  db: Queryable,
  applicationIds: readonly string[],
  activeStatuses: readonly string[],
): Promise<{ application_id: string; status: string }[]> {
  if (applicationIds.length === 0) return [];
  const res = await db.query<{ application_id: string; status: string }>(
    `UPDATE application_priority_queue q SET status = 'cancelled', updated_at = now() AT TIME ZONE 'UTC'
       FROM job_applications a
      WHERE q.status = 'pending' AND q.application_id = ANY($1::uuid[]) AND a.id = q.application_id
        AND NOT (a.status = ANY($2::text[]))
      RETURNING q.application_id, a.status`,
    [applicationIds, activeStatuses],
  );
  return res.rows;
}
