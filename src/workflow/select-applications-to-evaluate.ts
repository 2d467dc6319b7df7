import { SCORING_VERSION } from '../analytics/index.js';
import type { Queryable } from '../db/index.js';
import { RULES_VERSION } from './rules/index.js';

/**
 * The active applications a full prioritization run must evaluate, in id order: those whose
 * stored evaluation may no longer be right. The others are skipped: nothing they are computed
 * from changed since (every change marks a recalculation request, which keeps them here until
 * the worker handled it), and time alone cannot have moved a score, the label or the queue
 * priority yet (`stable_until`, see src/analytics/scoring/stable-until.ts).
 *
 * One page of applications in id order after `page.after` (PGlite reads in pages so that no
 * single statement holds its one thread for long).
 *
 * Evaluated: never evaluated, or by another scoring or rules version, or with no `stable_until` (written
 * by the analytics-only recompute); `stable_until` reached; the application edited since; a
 * recalculation request waiting; a trigger processed (done, dismissed, cancelled) since.
 */
export async function selectApplicationsToEvaluate(
  db: Queryable,
  activeStatuses: readonly string[],
  now: Date,
  page: { after?: string; limit?: number } = {},
): Promise<{ ids: string[]; active: number; last: string | null }> {
  // One row back (the due ids as an array, the page's size and last id), not a row per application.
  const res = await db.query<{ ids: string[] | null; active: number; last: string | null }>(
    // Hash joins over the (few) requests and processed triggers, not one index probe per application.
    `WITH page AS MATERIALIZED (
       SELECT a.id,
              (an.application_id IS NULL OR an.stable_until IS NULL OR an.stable_until <= $2
               OR an.scoring_version IS DISTINCT FROM $3
               OR an.rules_version IS DISTINCT FROM $6 OR a.updated_at > an.computed_at
               OR r.application_id IS NOT NULL OR t.last_processed_at > an.computed_at) AS due
         FROM job_applications a
         LEFT JOIN application_analytics an ON an.application_id = a.id
         LEFT JOIN recalc_requests r ON r.application_id = a.id
         LEFT JOIN (SELECT application_id, max(processed_at) AS last_processed_at FROM workflow_triggers
                     WHERE processed_at IS NOT NULL GROUP BY application_id) t ON t.application_id = a.id
        WHERE a.status = ANY($1::text[]) AND a.id > $4
        ORDER BY a.id
        LIMIT $5)
     SELECT ARRAY(SELECT id::text FROM page WHERE due ORDER BY id) AS ids,
            (SELECT count(*)::int FROM page) AS active,
            (SELECT id::text FROM page ORDER BY id DESC LIMIT 1) AS last`,
    [activeStatuses, now, SCORING_VERSION, page.after ?? '00000000-0000-0000-0000-000000000000', page.limit ?? null, RULES_VERSION],
  );
  const row = res.rows[0];
  return { ids: row.ids ?? [], active: row.active, last: row.last };
}
