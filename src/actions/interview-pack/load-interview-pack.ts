import type { Queryable } from '../../db/index.js';
import { LINK_DISPLAY_NAMES, type LinkType } from '../../domain.js';
import { getApplicationRowOrThrow } from '../../applications/index.js';
import { getZoneClock } from '../../analytics/scoring/zone-clock.js';
import type { PackInput } from './interview-pack.js';
import { suggestedQuestions } from './suggested-questions.js';

const TRIGGER_WORDS: Record<string, string> = {
  high_engagement_followup: 'Several of your links were read: follow-up suggested',
  interview_preparation: 'Your booking page was opened: interview preparation suggested',
  urgent_attention: 'Your application was read soon after you sent it',
  weekend_interest: 'Your application was read outside working days',
  booking_not_completed: 'Your booking page was opened but no meeting was booked: two times offered',
};

/** Everything the pack shows, from the application, its human clicks, triggers and sent follow-ups. */
export async function loadInterviewPack(db: Queryable, applicationId: string, defaultTimezone: string, now = new Date()): Promise<PackInput> {
  const a = await getApplicationRowOrThrow(db, applicationId);
  const clicks = await db.query<{ link_type: LinkType; label: string | null; clicked_at: Date }>(
    `SELECT l.link_type, l.label, c.clicked_at FROM link_clicks c JOIN tracked_links l ON l.id = c.link_id
      WHERE c.application_id = $1 AND NOT c.is_bot ORDER BY c.clicked_at, c.id`,
    [applicationId],
  );
  const triggers = await db.query<{ trigger_type: string; condition_met_at: Date }>(
    `SELECT trigger_type, condition_met_at FROM workflow_triggers WHERE application_id = $1 AND NOT (status = 'cancelled' AND processed_at IS NULL)`,
    [applicationId],
  );
  const sent = await db.query<{ subject: string; sent_at: Date }>(
    `SELECT subject, sent_at FROM email_drafts WHERE application_id = $1 AND status = 'sent' AND sent_at IS NOT NULL`,
    [applicationId],
  );
  const opened = clicks.rows.map((c) => ({ link: LINK_DISPLAY_NAMES[c.link_type] ?? c.link_type, label: c.label, at: c.clicked_at }));
  return {
    company: a.company,
    jobTitle: a.job_title,
    status: a.status,
    contactName: a.contact_name,
    contactEmail: a.contact_email,
    jobUrl: a.job_url,
    notes: a.notes,
    timeZone: getZoneClock(a.timezone ?? defaultTimezone).zone,
    appliedAt: a.applied_at,
    opened,
    events: [
      ...opened.map((o) => ({ at: o.at, what: `${o.link} opened` })),
      ...triggers.rows.map((t) => ({ at: t.condition_met_at, what: TRIGGER_WORDS[t.trigger_type] ?? t.trigger_type })),
      ...sent.rows.map((s) => ({ at: s.sent_at, what: `You sent "${s.subject}"` })),
    ],
    questions: suggestedQuestions(a.job_url, a.job_title, a.company),
    now,
  };
}
