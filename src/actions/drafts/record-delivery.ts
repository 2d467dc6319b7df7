/**
 * What the sender learnt about a draft's message, written to the draft and the audit trail in
 * the same transaction as the outbox row's new state.
 */
import { appendAudit } from '../../audit/index.js';
import type { Queryable } from '../../db/index.js';
import type { DeliveryOutcome } from '../../mail/deliver-outbox.js';
import { DRAFT_RULE_VERSION } from './create-draft.js';


const DECISION = { sent: 'email_sent', retry: 'email_retry_scheduled', failed: 'email_failed', unknown: 'email_outcome_unknown' } as const;
const STATUS = { sent: 'sent', retry: null, failed: 'failed', unknown: 'unknown' } as const;

export async function recordDraftDelivery(tx: Queryable, draftId: string, outcome: DeliveryOutcome, actor: 'worker' | 'user' = 'worker'): Promise<void> {
  const status = STATUS[outcome.kind];
  const res = await tx.query<{ application_id: string; message_id: string; to_email: string | null; subject: string }>(
    `UPDATE email_drafts SET status = coalesce($2, status), updated_at = now(), sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END
      WHERE id = $1 RETURNING application_id, message_id, to_email, subject`,
    [draftId, status],
  );
  const d = res.rows[0];
  if (!d) return;
  await appendAudit(tx, [
    {
      applicationId: d.application_id,
      actor,
      decision: DECISION[outcome.kind],
      rule: 'smtp_delivery',
      ruleVersion: DRAFT_RULE_VERSION,
      inputs: { draft_id: draftId, message_id: d.message_id, to_email: d.to_email, subject: d.subject, attempt: 'attempt' in outcome ? outcome.attempt : undefined },
      outcome:
        outcome.kind === 'sent'
          ? { status: 'sent', server_response: outcome.response }
          : outcome.kind === 'retry'
            ? { status: 'will_retry', error: outcome.error, retry_in_seconds: Math.round(outcome.retryInMs / 1000) }
            : outcome.kind === 'failed'
              ? { status: 'failed', error: outcome.error }
              : { status: 'unknown', error: outcome.error, next_step: 'check your Sent folder or the recipient, then mark it sent or send it again' },
    },
  ]);
}
