import type { Queryable } from '../../db/index.js';

export interface PendingItem {
  applicationId: string;
  priorityScore: number;
  engagementScore: number;
  intentScore: number;
  predictedOutcome: string;
  /** The trigger type of the most urgent open trigger. */
  actionType: string;
  deadline: Date | null;
}

export interface UpsertedItem {
  application_id: string;
  inserted: boolean;
  priority_score: number;
  previous_priority_score: number | null;
}

/**
 * Adds or refreshes the one pending row per application. The conflict target names the partial
 * unique index's predicate, so two processes upserting the same application end with one row;
 * rows whose values did not change are left alone (and not reported).
 */
export async function upsertPendingItems(db: Queryable, items: readonly PendingItem[]): Promise<UpsertedItem[]> {
  if (items.length === 0) return [];
  const res = await db.query<UpsertedItem>(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(application_id uuid, priority_score int, engagement_score int,
              intent_score int, predicted_outcome text, action_type text, deadline timestamptz)
     ), before AS (
       SELECT q.application_id, q.priority_score FROM application_priority_queue q
        JOIN input i ON i.application_id = q.application_id WHERE q.status = 'pending'
     )
     INSERT INTO application_priority_queue AS q
            (application_id, priority_score, engagement_score, intent_score, predicted_outcome, action_type, deadline, status)
     SELECT application_id, priority_score, engagement_score, intent_score, predicted_outcome, action_type,
            deadline AT TIME ZONE 'UTC', 'pending'
       FROM input
     ON CONFLICT (application_id) WHERE status = 'pending' DO UPDATE SET
            priority_score = EXCLUDED.priority_score, engagement_score = EXCLUDED.engagement_score,
            intent_score = EXCLUDED.intent_score, predicted_outcome = EXCLUDED.predicted_outcome,
            action_type = EXCLUDED.action_type, deadline = EXCLUDED.deadline, updated_at = now() AT TIME ZONE 'UTC'
      WHERE (q.priority_score, q.engagement_score, q.intent_score, q.predicted_outcome, q.action_type, q.deadline)
            IS DISTINCT FROM
            (EXCLUDED.priority_score, EXCLUDED.engagement_score, EXCLUDED.intent_score, EXCLUDED.predicted_outcome,
             EXCLUDED.action_type, EXCLUDED.deadline)
     RETURNING q.application_id, (q.xmax = 0) AS inserted, q.priority_score,
               (SELECT b.priority_score FROM before b WHERE b.application_id = q.application_id) AS previous_priority_score`,
    [
      JSON.stringify(
        items.map((i) => ({
          application_id: i.applicationId,
          priority_score: i.priorityScore,
          engagement_score: i.engagementScore,
          intent_score: i.intentScore,
          predicted_outcome: i.predictedOutcome,
          action_type: i.actionType,
          deadline: i.deadline?.toISOString() ?? null,
        })),
      ),
    ],
  );
  return res.rows;
}
