import { appendAudit } from '../../audit/index.js';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { markSentByPerson, requeueMessage } from '../../mail/outbox-store.js';
import { DRAFT_RULE_VERSION } from './create-draft.js';
import { getDraftOrThrow } from './get-draft.js';
import { recordDraftDelivery } from './record-delivery.js';

/**
 * A send whose outcome is unknown (or that failed) waits for the person: `mark_sent` when the
 * message did arrive (checked in the Sent folder), `send_again` to hand it to the server once
 * more (same Message-ID, so a receiving server or client may fold a duplicate).
 */
export async function resolveUncertainSend(db: Database, applicationId: string, draftId: string, decision: 'mark_sent' | 'send_again'): Promise<void> {
  await db.transaction(async (tx) => {
    const draft = await getDraftOrThrow(tx, applicationId, draftId, { forUpdate: true });
    const allowed = decision === 'mark_sent' ? ['unknown'] : ['unknown', 'failed'];
    if (!allowed.includes(draft.status)) throw new AppError('conflict', `the draft is ${draft.status}; this applies to a send whose outcome is ${allowed.join(' or ')}`);
    if (decision === 'mark_sent') {
      await markSentByPerson(tx, draftId);
      await recordDraftDelivery(tx, draftId, { kind: 'sent', response: 'confirmed by the person' }, 'user');
      return;
    }
    if (!(await requeueMessage(tx, draftId))) throw new AppError('conflict', 'the message is not waiting for a decision');
    await tx.query(`UPDATE email_drafts SET status = 'approved', updated_at = now() WHERE id = $1`, [draftId]);
    await appendAudit(tx, [
      {
        applicationId,
        actor: 'user',
        decision: 'email_send_again',
        rule: 'manual',
        ruleVersion: DRAFT_RULE_VERSION,
        inputs: { draft_id: draftId, previous_status: draft.status, message_id: draft.message_id },
        outcome: { status: 'approved', delivery: 'queued again' },
      },
    ]);
  });
}
