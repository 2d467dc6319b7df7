import type { Queryable } from '../db/index.js';
import { readRecalcBacklog } from '../recalc/recalc-requests.js';
import type { MetricsSource } from './metrics.js';

/** The scrape-time reads behind the state gauges: two small statements. */
export function databaseMetricsSource(db: Queryable): MetricsSource {
  return {
    async read() {
      const [res, backlog] = await Promise.all([
        db.query<{ pending: number; overdue: number }>(
        `SELECT (SELECT count(*)::int FROM application_priority_queue WHERE status = 'pending') AS pending,
                (SELECT count(*)::int FROM application_priority_queue
                  WHERE status = 'pending' AND deadline <= (now() AT TIME ZONE 'UTC')) AS overdue`,
        ),
        readRecalcBacklog(db),
      ]);
      const r = res.rows[0];
      return { pending: r.pending, overdue: r.overdue, recalcWaiting: backlog.waiting, recalcOldestDueSeconds: backlog.oldestDueSeconds };
    },
  };
}
