import type { Database } from '../db/index.js';
import { invalidInput, notFound } from '../errors.js';
import { insertLink, type LinkRow } from './link-repository.js';
import type { CreateLinkInput } from './link-schemas.js';
import { TIMESTAMP_HINT, parseTimestamp } from '../validation/timestamp.js';
import { isBookingLink, newTrackingId, validateTargetUrl } from './rules/index.js';

/** Creates a tracked link for an application; refuses unsafe targets and links back to our own /t/. */
export async function createLink(db: Database, applicationId: string, input: CreateLinkInput, publicBaseUrl: string): Promise<LinkRow> {
  const target = validateTargetUrl(input.target_url, publicBaseUrl);
  if (!target.ok) throw invalidInput(target.message);
  const sentAt = checkSentAt(input.sent_at);
  const exists = await db.query('SELECT 1 FROM job_applications WHERE id = $1', [applicationId]);
  if (exists.rows.length === 0) throw notFound('application');
  return insertLink(db, {
    application_id: applicationId,
    tracking_id: newTrackingId(),
    link_type: input.link_type,
    label: input.label ?? null,
    target_url: target.url,
    is_calendly: isBookingLink(input.link_type, target.url),
    sent_at: sentAt,
  });
}

/** sent_at as given (null or absent: none), checked like applied_at: a real instant, not in the future. */
export function checkSentAt(value: string | null | undefined, now = new Date()): Date | null {
  if (value === undefined || value === null) return null;
  const at = parseTimestamp(value);
  if (at === null) throw invalidInput(`sent_at must be ${TIMESTAMP_HINT}`);
  if (at.getTime() > now.getTime() + 60_000) throw invalidInput('sent_at must not be in the future');
  if (at.getTime() < Date.UTC(2000, 0, 1)) throw invalidInput('sent_at must be after 2000-01-01');
  return at;
}
