import type { Queryable } from '../db/index.js';
import { readRecalcBacklog } from '../recalc/recalc-requests.js';
import { actionTypesOf } from '../workflow/queue/get-next-items.js';

/** The monitoring queries of the seed, plus what an operator wants to see, in two reads. */
export async function getPrioritizationStats(db: Queryable) {
  const queue = await db.query<{
    total_in_queue: number;
    high_priority: number;
    critical: number;
    overdue_actions: number;
    due_within_24h: number;
    avg_processing_time_seconds: number | null;
    processed: number;
    dismissed: number;
    cancelled: number;
    oldest_pending_seconds: number | null;
  }>(
    `SELECT count(*) FILTER (WHERE status = 'pending')::int AS total_in_queue,
            count(*) FILTER (WHERE status = 'pending' AND action_type = ANY($1::text[]))::int AS high_priority,
            count(*) FILTER (WHERE status = 'pending' AND action_type = ANY($2::text[]))::int AS critical,
            count(*) FILTER (WHERE status = 'pending' AND deadline <= (now() AT TIME ZONE 'UTC'))::int AS overdue_actions,
            count(*) FILTER (WHERE status = 'pending' AND deadline > (now() AT TIME ZONE 'UTC')
                               AND deadline <= (now() AT TIME ZONE 'UTC') + interval '24 hours')::int AS due_within_24h,
            avg(extract(epoch FROM processed_at - created_at)) FILTER (WHERE status IN ('processed','dismissed'))::float8
              AS avg_processing_time_seconds,
            count(*) FILTER (WHERE status = 'processed')::int AS processed,
            count(*) FILTER (WHERE status = 'dismissed')::int AS dismissed,
            count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
            extract(epoch FROM (now() AT TIME ZONE 'UTC') - min(created_at) FILTER (WHERE status = 'pending'))::float8
              AS oldest_pending_seconds
       FROM application_priority_queue`,
    [actionTypesOf(['critical', 'high']), actionTypesOf(['critical'])],
  );
  const byAction = await db.query<{ action_type: string; n: number }>(
    `SELECT action_type, count(*)::int AS n FROM application_priority_queue WHERE status = 'pending' GROUP BY action_type ORDER BY action_type`,
  );
  const backlog = await readRecalcBacklog(db);
  const extra = await db.query<{ open_triggers: number; last_full_run_at: Date | null }>(
    `SELECT (SELECT count(*)::int FROM workflow_triggers WHERE status = 'open') AS open_triggers,
            (SELECT last_finished_at FROM job_leases WHERE name = 'full_prioritization') AS last_full_run_at`,
  );
  const q = queue.rows[0];
  const e = extra.rows[0];
  const round = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
  return {
    total_in_queue: q.total_in_queue,
    high_priority: q.high_priority,
    critical: q.critical,
    overdue_actions: q.overdue_actions,
    due_within_24h: q.due_within_24h,
    avg_processing_time_seconds: round(q.avg_processing_time_seconds),
    oldest_pending_seconds: round(q.oldest_pending_seconds),
    processed: q.processed,
    dismissed: q.dismissed,
    cancelled: q.cancelled,
    pending_by_action_type: Object.fromEntries(byAction.rows.map((r) => [r.action_type, r.n])),
    open_triggers: e.open_triggers,
    recalculation_backlog: backlog.waiting,
    recalculation_oldest_due_seconds: round(backlog.oldestDueSeconds),
    last_full_run_at: e.last_full_run_at?.toISOString() ?? null,
  };
}
