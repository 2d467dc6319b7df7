import type { Database, Queryable } from '../../db/index.js';
import type { ApplicationStatus, TriggerPriority } from '../../domain.js';
import { ALL_TRIGGER_RULES } from '../rules/index.js';

export interface QueueItemRow {
  id: string;
  application_id: string;
  priority_score: number;
  engagement_score: number | null;
  intent_score: number | null;
  predicted_outcome: string | null;
  action_type: string | null;
  deadline: Date | null;
  created_at: Date;
  company: string;
  job_title: string;
  contact_name: string | null;
  status: ApplicationStatus;
  timezone: string | null;
  hours_to_first_click: number | null;
  weekend_clicks: number | null;
  human_clicks: number | null;
  distinct_links: number | null;
  unique_visitors: number | null;
  last_click_at: Date | null;
  /** Open triggers of the application (for its flags). */
  open_trigger_types: string[];
}

/** Trigger types (action_type values) of the given priorities. */
export function actionTypesOf(priorities: readonly TriggerPriority[]): string[] {
  return ALL_TRIGGER_RULES.filter((r) => priorities.includes(r.priority)).map((r) => r.type);
}

/**
 * The page query: pending items, priority_score DESC, deadline ASC (no deadline last), oldest
 * first. It walks idx_priority_queue_score and stops after `limit` pending rows. Parameters: $1
 * limit, $2 action types (or NULL), $3 application id (or NULL). Shared with getQueuePage.
 */
export const NEXT_ITEMS_SQL = `SELECT q.id, q.application_id, q.priority_score, q.engagement_score, q.intent_score, q.predicted_outcome,
            q.action_type, q.deadline, q.created_at, a.company, a.job_title, a.contact_name, a.status, a.timezone,
            an.hours_to_first_click, an.weekend_clicks, an.human_clicks, an.distinct_links, an.unique_visitors, an.last_click_at,
            ARRAY(SELECT t.trigger_type FROM workflow_triggers t WHERE t.application_id = q.application_id AND t.status = 'open') AS open_trigger_types
       FROM application_priority_queue q
       JOIN job_applications a ON a.id = q.application_id
       LEFT JOIN application_analytics an ON an.application_id = q.application_id
      WHERE q.status = 'pending'
        AND ($2::text[] IS NULL OR q.action_type = ANY($2::text[]))
        AND ($3::uuid IS NULL OR q.application_id = $3)
      ORDER BY q.priority_score DESC, q.deadline ASC NULLS LAST, q.created_at ASC, q.id ASC
      LIMIT $1`;

/** The next pending items (NEXT_ITEMS_SQL), of one priority or one application when asked. */
export async function getNextItems(
  db: Queryable,
  options: { limit: number; priority?: TriggerPriority; applicationId?: string },
): Promise<QueueItemRow[]> {
  const res = await db.query<QueueItemRow>(NEXT_ITEMS_SQL, [
    options.limit,
    options.priority ? actionTypesOf([options.priority]) : null,
    options.applicationId ?? null,
  ]);
  return res.rows;
}

/**
 * Pending rows (of one priority's action types): the sum of the counts the queue's triggers keep
 * (migration 0007, queue_pending_counts), a few rows whatever the size of the queue.
 */
export async function countPending(db: Queryable, priority?: TriggerPriority): Promise<number> {
  const res = await db.query<{ n: number }>(
    `SELECT coalesce(sum(n), 0)::int AS n FROM queue_pending_counts WHERE $1::text[] IS NULL OR action_type = ANY($1::text[])`,
    [priority ? actionTypesOf([priority]) : null],
  );
  return res.rows[0].n;
}

/** The same number counted over the queue itself (what countPending replaced; tests hold the two equal). */
export async function countPendingRows(db: Queryable, priority?: TriggerPriority): Promise<number> {
  const res = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM application_priority_queue
      WHERE status = 'pending' AND ($1::text[] IS NULL OR action_type = ANY($1::text[]))`,
    [priority ? actionTypesOf([priority]) : null],
  );
  return res.rows[0].n;
}

/**
 * Folds the count rows of connections that have ended into shard 0, so the rows stay few. It
 * leaves a live connection's rows alone, and skips any row another transaction holds (a backend
 * that reused an ended one's pid, another fold): it never waits for a writer, nor deadlocks with
 * one; what it skips is folded by a later run.
 */
export async function mergePendingCounts(db: Queryable): Promise<void> {
  await db.query(
    `WITH ended AS (
       SELECT action_type, shard FROM queue_pending_counts
        WHERE shard <> 0 AND shard NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL)
        FOR UPDATE SKIP LOCKED),
     gone AS (
       DELETE FROM queue_pending_counts c USING ended e
        WHERE c.action_type = e.action_type AND c.shard = e.shard
       RETURNING c.action_type, c.n)
     INSERT INTO queue_pending_counts AS c (action_type, shard, n)
       SELECT action_type, 0, sum(n) FROM gone GROUP BY action_type ORDER BY action_type
     ON CONFLICT (action_type, shard) DO UPDATE SET n = c.n + EXCLUDED.n`,
  );
}

/**
 * Counts the pending rows again from the queue itself: after a bulk load that ran with triggers
 * off (session_replication_role = replica), which the kept counts did not see.
 */
export async function recountPendingCounts(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('LOCK TABLE application_priority_queue IN SHARE MODE');
    await tx.query('DELETE FROM queue_pending_counts');
    await tx.query(
      `INSERT INTO queue_pending_counts (action_type, shard, n)
       SELECT coalesce(action_type, ''), 0, count(*) FROM application_priority_queue WHERE status = 'pending' GROUP BY 1`,
    );
  });
}
