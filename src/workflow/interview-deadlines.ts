import type { Queryable } from '../db/index.js';
import { getTriggerRule } from './rules/index.js';

export interface ChangedDeadline {
  application_id: string;
  trigger_id: string;
  deadline: Date | null;
  previous_deadline: Date | null;
}

/** How long before a booked meeting the interview preparation is due (SPEC §9). */
export const PREPARE_BEFORE_MEETING_MS = 24 * 3_600_000;

/**
 * Sets the deadline of each open `interview_preparation` trigger of these applications to the
 * earlier of its own (the rule's: condition_met_at + 12 h) and 24 h before the first active
 * booked meeting (SPEC §9). Computed from the rule and the bookings each time, so a booking
 * tightens it, its cancellation loosens it back, and running it again changes nothing.
 */
export async function refreshInterviewDeadlines(tx: Queryable, applicationIds: readonly string[]): Promise<ChangedDeadline[]> {
  if (applicationIds.length === 0) return [];
  const own = getTriggerRule('interview_preparation').deadlineAfterMs ?? 0;
  const res = await tx.query<ChangedDeadline>(
    `WITH target AS (
       SELECT t.id, t.deadline AS previous_deadline,
              LEAST(t.condition_met_at + make_interval(secs => $2::double precision / 1000),
                    (SELECT min(b.starts_at) FROM bookings b
                      WHERE b.application_id = t.application_id AND b.status = 'active') - make_interval(secs => $3::double precision / 1000)) AS deadline
         -- One probe of idx_workflow_triggers_open per application, and the rows to update by
         -- primary key, whatever the statistics (a table that grew during a cold full run,
         -- never analyzed, was otherwise read whole).
         FROM unnest($1::uuid[]) AS a(app)
         CROSS JOIN LATERAL (SELECT * FROM workflow_triggers w
                              WHERE w.application_id = a.app AND w.trigger_type = 'interview_preparation' AND w.status = 'open' OFFSET 0) t
     )
     UPDATE workflow_triggers t SET deadline = target.deadline
       FROM target
      WHERE t.id = ANY(ARRAY(SELECT id FROM target)) AND t.id = target.id AND t.deadline IS DISTINCT FROM target.deadline
     RETURNING t.application_id, t.id AS trigger_id, t.deadline, target.previous_deadline`,
    [[...applicationIds], own, PREPARE_BEFORE_MEETING_MS],
  );
  return res.rows;
}
