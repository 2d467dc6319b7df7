import type { Queryable } from '../../db/index.js';
import type { TriggerPriority } from '../../domain.js';
import { actionTypesOf, NEXT_ITEMS_SQL, type QueueItemRow } from './get-next-items.js';

/**
 * The next pending items and the number of all pending ones (total_pending), in one statement:
 * one round trip on one connection, where the page query and countPending in parallel took two
 * connections and waited for the slower of two round trips (on PGlite, one after the other).
 * Both read one snapshot, so the count and the page always agree. The count is the sum of the
 * kept counts (migration 0007); the page is NEXT_ITEMS_SQL unchanged, so its plan is the same.
 */
export async function getQueuePage(
  db: Queryable,
  options: { limit: number; priority?: TriggerPriority },
): Promise<{ rows: QueueItemRow[]; totalPending: number }> {
  const res = await db.query<QueueItemRow & { total_pending: number }>(
    `SELECT c.total_pending, p.*
       FROM (SELECT coalesce(sum(n), 0)::int AS total_pending FROM queue_pending_counts
              WHERE $2::text[] IS NULL OR action_type = ANY($2::text[])) c
       LEFT JOIN LATERAL (${NEXT_ITEMS_SQL}) p ON true
      ORDER BY p.priority_score DESC, p.deadline ASC NULLS LAST, p.created_at ASC, p.id ASC`,
    [options.limit, options.priority ? actionTypesOf([options.priority]) : null, null],
  );
  const totalPending = res.rows[0]?.total_pending ?? 0;
  // No pending item: one row of NULLs from the LEFT JOIN, carrying the count alone.
  const rows = res.rows.filter((r) => r.id !== null).map(({ total_pending: _, ...row }) => row);
  return { rows, totalPending };
}
