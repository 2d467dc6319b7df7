import type { Queryable } from '../../db/index.js';

export interface ProcessedItem {
  id: string;
  application_id: string;
  action_type: string | null;
  priority_score: number;
  created_at: Date;
  processed_at: Date;
}

/** Marks the pending item of an application done or dismissed; null when there is none. */
export async function closePendingItem(
  db: Queryable,
  applicationId: string,
  outcome: 'processed' | 'dismissed',
): Promise<ProcessedItem | null> {
  const res = await db.query<ProcessedItem>(
    `UPDATE application_priority_queue
        SET status = $2, processed_at = now() AT TIME ZONE 'UTC', updated_at = now() AT TIME ZONE 'UTC'
      WHERE application_id = $1 AND status = 'pending'
      RETURNING id, application_id, action_type, priority_score, created_at, processed_at`,
    [applicationId, outcome],
  );
  return res.rows[0] ?? null;
}
