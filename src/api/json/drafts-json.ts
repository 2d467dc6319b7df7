/** Drafts as the API shows them: snake_case, ISO timestamps, and how to send an approved one. */
import type { DraftRow } from '../../actions/drafts/draft-row.js';
import { mailtoLink } from '../../mail/mailto-link.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function draftToJson(d: DraftRow, opts: { smtpEnabled: boolean }) {
  const manual = !opts.smtpEnabled && d.to_email !== null && ['draft', 'approved'].includes(d.status);
  return {
    id: d.id,
    application_id: d.application_id,
    status: d.status,
    withheld_reason: d.withheld_reason,
    requested_by: d.requested_by,
    trigger_id: d.trigger_id,
    trigger_type: d.trigger_type,
    template: { key: d.template_key, version: d.template_version },
    to_name: d.to_name,
    to_email: d.to_email,
    subject: d.subject,
    body: d.body,
    message_id: d.message_id,
    in_reply_to: d.in_reply_to,
    references: d.references_ids ? d.references_ids.split(/\s+/).filter(Boolean) : [],
    created_at: d.created_at.toISOString(),
    updated_at: d.updated_at.toISOString(),
    approved_at: iso(d.approved_at),
    sent_at: iso(d.sent_at),
    discarded_at: iso(d.discarded_at),
    delivery: d.delivery_state
      ? { state: d.delivery_state, attempts: d.delivery_attempts ?? 0, last_error: d.delivery_error, next_attempt_at: iso(d.next_attempt_at) }
      : null,
    // Without SMTP, an approved draft is sent by the person: from their mail program, or as a file.
    mailto: manual && d.status === 'approved' ? mailtoLink({ to: { name: d.to_name ?? '', address: d.to_email! }, subject: d.subject, text: d.body }) : null,
    eml_url: manual && d.status === 'approved' ? `/api/applications/${d.application_id}/drafts/${d.id}/eml` : null,
  };
}
