import type { Queryable } from '../db/index.js';
import type { MetricsSource } from './metrics.js';

/** The scrape-time reads behind the state gauges: one small statement. */
export function databaseMetricsSource(db: Queryable): MetricsSource {
  return {
    async read() {
      const res = await db.query<{ pending: number; overdue: number; recalc_waiting: number; recalc_oldest: number | null }>(
        `SELECT (SELECT count(*)::int FROM application_priority_queue WHERE status = 'pending') AS pending,
                (SELECT count(*)::int FROM application_priority_queue
                  WHERE status = 'pending' AND deadline <= (now() AT TIME ZONE 'UTC')) AS overdue,
                (SELECT count(*)::int FROM recalc_requests) AS recalc_waiting,
                (SELECT greatest(0, extract(epoch FROM now() - min(due_at)))::float8 FROM recalc_requests) AS recalc_oldest`,
      );
      const r = res.rows[0];
      return { pending: r.pending, overdue: r.overdue, recalcWaiting: r.recalc_waiting, recalcOldestDueSeconds: r.recalc_oldest };
    },
  };
}
