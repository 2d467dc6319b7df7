import type { Queryable } from '../db/index.js';

/**
 * A cheap fingerprint of what the dashboard shows: the newest click, the newest automated or
 * manual decision (queue added/updated/cancelled/processed, triggers), the newest application.
 * Each part is the end of an index (primary keys, created_at), so the read costs the same with
 * ten rows or ten million. When it changes, open dashboards reload.
 */
export async function readChangeMark(db: Queryable): Promise<string> {
  const res = await db.query<{ mark: string }>(
    `SELECT concat_ws(':',
              (SELECT coalesce(max(id), 0) FROM link_clicks),
              (SELECT coalesce(max(id), 0) FROM audit_log),
              (SELECT coalesce(to_char(max(created_at), 'YYYYMMDDHH24MISSUS'), '-') FROM job_applications)) AS mark`,
  );
  return res.rows[0].mark;
}
