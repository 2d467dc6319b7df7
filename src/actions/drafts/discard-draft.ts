import { appendAudit } from '../../audit/index.js';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { DRAFT_RULE_VERSION } from './create-draft.js';
import { getDraftOrThrow } from './get-draft.js';

/**
 * The person does not want to send it. An approved draft may still be discarded while its
 * message waits in the outbox (not once a sender has claimed it).
 */
export async function discardDraft(db: Database, applicationId: string, draftId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const draft = await getDraftOrThrow(tx, applicationId, draftId, { forUpdate: true });
    if (draft.status === 'approved') {
      const cancelled = await tx.query(`UPDATE mail_outbox SET state = 'cancelled', updated_at = now() WHERE draft_id = $1 AND state = 'queued'`, [draftId]);
      if (draft.delivery_state !== null && cancelled.rowCount === 0) throw new AppError('conflict', 'the message is being sent and can no longer be discarded');
    } else if (draft.status !== 'draft' && draft.status !== 'failed') {
      throw new AppError('conflict', `the draft is ${draft.status}; only a draft, an approved draft not yet sent, or a failed one can be discarded`);
    }
    await tx.query(`UPDATE email_drafts SET status = 'discarded', discarded_at = now(), updated_at = now() WHERE id = $1`, [draftId]);
    await appendAudit(tx, [
      {
        applicationId,
        actor: 'user',
        decision: 'draft_discarded',
        rule: 'manual',
        ruleVersion: DRAFT_RULE_VERSION,
        inputs: { draft_id: draftId, previous_status: draft.status },
        outcome: { status: 'discarded' },
      },
    ]);
  });
}
