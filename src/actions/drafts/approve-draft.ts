import { appendAudit, type AuditEntry } from '../../audit/index.js';
import type { Database, Queryable } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { enqueueMessage } from '../../mail/outbox-store.js';
import type { MailSettings } from '../mail-settings.js';
import { DRAFT_RULE_VERSION } from './create-draft.js';
import { getDraftOrThrow } from './get-draft.js';
import { draftMessage } from './draft-message.js';

/**
 * The person approved the draft (or auto-send did): it can no longer be edited; with SMTP it is
 * written to the outbox in the same transaction, so it is sent exactly once; without SMTP it is
 * offered as a mailto: link and an .eml file.
 */
export async function approveDraftInTx(
  tx: Queryable,
  applicationId: string,
  draftId: string,
  mail: MailSettings,
  by: { actor: AuditEntry['actor']; rule: string },
): Promise<void> {
  const draft = await getDraftOrThrow(tx, applicationId, draftId, { forUpdate: true });
  if (draft.status !== 'draft') throw new AppError('conflict', `the draft is ${draft.status}; only a draft can be approved`);
  if (!draft.to_email) throw new AppError('invalid_input', "to_email: add the recipient's address before approving");
  await tx.query(`UPDATE email_drafts SET status = 'approved', approved_at = now(), updated_at = now() WHERE id = $1`, [draftId]);
  let outboxId: string | null = null;
  if (mail.smtpEnabled && mail.from) outboxId = await enqueueMessage(tx, { draftId }, draftMessage(draft, mail.from));
  await appendAudit(tx, [
    {
      applicationId,
      actor: by.actor,
      decision: 'draft_approved',
      rule: by.rule,
      ruleVersion: DRAFT_RULE_VERSION,
      inputs: { draft_id: draftId, subject: draft.subject, to_email: draft.to_email },
      outcome: { delivery: outboxId ? 'queued for sending by SMTP' : 'offered as a mailto: link and an .eml file (no SMTP configured)', outbox_id: outboxId },
    },
  ]);
}

export async function approveDraft(db: Database, applicationId: string, draftId: string, mail: MailSettings): Promise<void> {
  await db.transaction((tx) => approveDraftInTx(tx, applicationId, draftId, mail, { actor: 'user', rule: 'manual' }));
}
