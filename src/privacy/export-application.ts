import type { Queryable } from '../db/index.js';
import { notFound } from '../errors.js';
import { isUuid } from '../validation/is-uuid.js';

/** What an export holds, each a list of the rows as stored (timestamps in ISO 8601, UTC). */
const PARTS: readonly { name: string; sql: string }[] = [
  { name: 'links', sql: 'SELECT * FROM tracked_links WHERE application_id = $1 ORDER BY created_at, id' },
  { name: 'clicks', sql: 'SELECT * FROM link_clicks WHERE application_id = $1 ORDER BY clicked_at, id' },
  { name: 'analytics', sql: 'SELECT * FROM application_analytics WHERE application_id = $1' },
  { name: 'triggers', sql: 'SELECT * FROM workflow_triggers WHERE application_id = $1 ORDER BY fired_at, id' },
  { name: 'queue_items', sql: 'SELECT * FROM application_priority_queue WHERE application_id = $1 ORDER BY created_at, id' },
  { name: 'bookings', sql: 'SELECT * FROM bookings WHERE application_id = $1 ORDER BY received_at, id' },
  { name: 'drafts', sql: 'SELECT * FROM email_drafts WHERE application_id = $1 ORDER BY created_at, id' },
  {
    name: 'mail_outbox',
    sql: 'SELECT o.* FROM mail_outbox o JOIN email_drafts d ON d.id = o.draft_id WHERE d.application_id = $1 ORDER BY o.created_at, o.id',
  },
  { name: 'follow_up_resets', sql: 'SELECT * FROM follow_up_resets WHERE application_id = $1' },
  { name: 'webhook_events', sql: 'SELECT * FROM webhook_events WHERE application_id = $1 ORDER BY created_at, id' },
  { name: 'audit', sql: 'SELECT * FROM audit_log WHERE application_id = $1 ORDER BY id' },
];

export const EXPORT_FORMAT = 'hirepulse-export/1';

/**
 * Everything hirepulse holds about one application, for the person's own records (issue 14):
 * the application and every row that refers to it, as stored, read in one transaction so the
 * parts agree. The client address was never stored; address hashes are included as they are.
 */
export async function exportApplication(db: Queryable, id: string): Promise<Record<string, unknown>> {
  if (!isUuid(id)) throw notFound('application');
  const application = (await db.query('SELECT * FROM job_applications WHERE id = $1', [id])).rows[0];
  if (!application) throw notFound('application');
  const out: Record<string, unknown> = { format: EXPORT_FORMAT, exported_at: new Date().toISOString(), application };
  for (const part of PARTS) out[part.name] = (await db.query(part.sql, [id])).rows;
  return out;
}
