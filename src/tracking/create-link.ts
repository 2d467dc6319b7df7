import type { Database } from '../db/index.js';
import { invalidInput, notFound } from '../errors.js';
import { insertLink, type LinkRow } from './link-repository.js';
import type { CreateLinkInput } from './link-schemas.js';
import { isBookingLink, newTrackingId, validateTargetUrl } from './rules/index.js';

/** Creates a tracked link for an application; refuses unsafe targets and links back to our own /t/. */
export async function createLink(db: Database, applicationId: string, input: CreateLinkInput, publicBaseUrl: string): Promise<LinkRow> {
  const target = validateTargetUrl(input.target_url, publicBaseUrl);
  if (!target.ok) throw invalidInput(target.message);
  const exists = await db.query('SELECT 1 FROM job_applications WHERE id = $1', [applicationId]);
  if (exists.rows.length === 0) throw notFound('application');
  return insertLink(db, {
    application_id: applicationId,
    tracking_id: newTrackingId(),
    link_type: input.link_type,
    label: input.label ?? null,
    target_url: target.url,
    is_calendly: isBookingLink(input.link_type, target.url),
  });
}
