export const DRAFT_STATUSES = ['draft', 'approved', 'sent', 'failed', 'unknown', 'discarded', 'withheld'] as const;
export type DraftStatus = (typeof DRAFT_STATUSES)[number];

export interface DraftRow {
  id: string;
  application_id: string;
  trigger_id: string | null;
  trigger_type: string | null;
  template_key: string;
  template_version: number;
  requested_by: 'rule' | 'person';
  status: DraftStatus;
  withheld_reason: string | null;
  to_name: string | null;
  to_email: string | null;
  subject: string;
  body: string;
  message_id: string;
  in_reply_to: string | null;
  references_ids: string | null;
  created_at: Date;
  updated_at: Date;
  approved_at: Date | null;
  sent_at: Date | null;
  discarded_at: Date | null;
  /** From the outbox, when the draft was handed to it. */
  delivery_state: string | null;
  delivery_attempts: number | null;
  delivery_error: string | null;
  next_attempt_at: Date | null;
}

export const DRAFT_SELECT = `SELECT d.id, d.application_id, d.trigger_id, t.trigger_type, d.template_key, d.template_version, d.requested_by,
       d.status, d.withheld_reason, d.to_name, d.to_email, d.subject, d.body, d.message_id, d.in_reply_to, d.references_ids,
       d.created_at, d.updated_at, d.approved_at, d.sent_at, d.discarded_at,
       o.state AS delivery_state, o.attempts AS delivery_attempts, o.last_error AS delivery_error, o.next_attempt_at
  FROM email_drafts d
  LEFT JOIN workflow_triggers t ON t.id = d.trigger_id
  LEFT JOIN mail_outbox o ON o.draft_id = d.id`;
