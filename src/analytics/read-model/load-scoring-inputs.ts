import type { Queryable } from '../../db/index.js';
import { ID_RANGE } from '../../db/id-range.js';
import type { ApplicationStatus, LinkType } from '../../domain.js';
import type { ScoringApplication, ScoringClick } from '../types.js';

export interface ScoringInput {
  id: string;
  company: string;
  jobTitle: string;
  contactName: string | null;
  app: ScoringApplication;
  clicks: (ScoringClick & { id: string })[];
}

/**
 * Everything scoring needs for a batch of applications, in two queries whatever the batch size:
 * the applications, then all their clicks (joined to their links) in one ordered scan.
 */
export async function loadScoringInputs(db: Queryable, applicationIds: readonly string[]): Promise<Map<string, ScoringInput>> {
  const out = new Map<string, ScoringInput>();
  if (applicationIds.length === 0) return out;
  const apps = await db.query<{
    id: string;
    company: string;
    job_title: string;
    contact_name: string | null;
    status: ApplicationStatus;
    applied_at: Date;
    timezone: string | null;
  }>(
    `SELECT id, company, job_title, contact_name, status, applied_at, timezone
       FROM job_applications WHERE id = ANY($1::uuid[]) AND ${ID_RANGE}`,
    [applicationIds],
  );
  for (const a of apps.rows) {
    out.set(a.id, {
      id: a.id,
      company: a.company,
      jobTitle: a.job_title,
      contactName: a.contact_name,
      app: { status: a.status, appliedAt: a.applied_at, timezone: a.timezone },
      clicks: [],
    });
  }
  const clicks = await db.query<{
    id: string;
    application_id: string;
    link_id: string;
    clicked_at: Date;
    link_type: LinkType;
    is_calendly: boolean;
    ip_hash: string | null;
    is_bot: boolean;
    device_class: string | null;
    network_kind: string | null;
  }>(
    `SELECT c.id::text AS id, c.application_id, c.link_id, c.clicked_at, l.link_type, l.is_calendly, c.ip_hash, c.is_bot,
            c.device_class, c.network_kind
       FROM link_clicks c
       -- The links of these applications only (by idx_tracked_links_application): without that
       -- condition the planner hashed every link of every application for each batch.
       JOIN tracked_links l ON l.id = c.link_id AND l.application_id = ANY($1::uuid[])
      WHERE c.application_id = ANY($1::uuid[])
      ORDER BY c.application_id, c.clicked_at, c.id`,
    [applicationIds],
  );
  for (const c of clicks.rows) {
    out.get(c.application_id)?.clicks.push({
      id: c.id,
      clickedAt: c.clicked_at,
      linkId: c.link_id,
      linkType: c.link_type,
      isCalendly: c.is_calendly,
      ipHash: c.ip_hash,
      isBot: c.is_bot,
      deviceClass: c.device_class,
      doubtful: !c.is_bot && c.network_kind === 'cloud',
    });
  }
  return out;
}
