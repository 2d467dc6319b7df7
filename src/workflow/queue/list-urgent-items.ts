import type { Queryable } from '../../db/index.js';
import { actionTypesOf } from './get-next-items.js';

export interface UrgentItem {
  application_id: string;
  company: string;
  job_title: string;
  action_type: string | null;
  priority_score: number;
  deadline: Date | null;
}

/** Pending items that need a person now: a critical trigger, or due within `withinHours`; soonest deadline first. */
export async function listUrgentItems(db: Queryable, limit: number, withinHours = 4): Promise<UrgentItem[]> {
  const res = await db.query<UrgentItem>(
    `SELECT q.application_id, a.company, a.job_title, q.action_type, q.priority_score, q.deadline
       FROM application_priority_queue q JOIN job_applications a ON a.id = q.application_id
      WHERE q.status = 'pending'
        AND (q.action_type = ANY($2::text[]) OR q.deadline <= (now() AT TIME ZONE 'UTC') + make_interval(hours => $3))
      ORDER BY q.deadline ASC NULLS LAST, q.priority_score DESC, q.created_at ASC
      LIMIT $1`,
    [limit, actionTypesOf(['critical']), withinHours],
  );
  return res.rows;
}
