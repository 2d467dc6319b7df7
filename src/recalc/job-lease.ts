import type { Database } from '../db/index.js';

/**
 * Takes the named lease when it is free or expired, and when the job has not finished within
 * `intervalMs`: one process at a time runs periodic work, and not more often than asked.
 */
export async function tryTakeLease(db: Database, name: string, holder: string, intervalMs: number): Promise<boolean> {
  const res = await db.query(
    `INSERT INTO job_leases AS l (name, holder, leased_until) VALUES ($1, $2, now() + interval '30 minutes')
     ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, leased_until = EXCLUDED.leased_until
      WHERE l.leased_until < now()
        AND (l.last_finished_at IS NULL OR l.last_finished_at < now() - make_interval(secs => $3::double precision / 1000))
     RETURNING name`,
    [name, holder, intervalMs],
  );
  return res.rowCount > 0;
}

/** Done: free the lease and remember when, so the next run waits its interval. */
export async function finishLease(db: Database, name: string, holder: string): Promise<void> {
  await db.query(`UPDATE job_leases SET leased_until = now(), last_finished_at = now() WHERE name = $1 AND holder = $2`, [name, holder]);
}

/** Failed or stopped: free the lease without counting a finished run, so another process may try soon. */
export async function abandonLease(db: Database, name: string, holder: string): Promise<void> {
  await db.query(`UPDATE job_leases SET leased_until = now() WHERE name = $1 AND holder = $2`, [name, holder]);
}
