import { appendAudit } from '../../audit/index.js';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { findTrackingWords } from '../templates/tracking-words.js';
import { DRAFT_RULE_VERSION } from './create-draft.js';
import { getDraftOrThrow } from './get-draft.js';

export interface DraftChanges {
  subject?: string;
  body?: string;
  to_name?: string | null;
  to_email?: string | null;
}

/** The person edits a draft before approving it. Returns words in it that would reveal tracking. */
export async function updateDraft(db: Database, applicationId: string, draftId: string, changes: DraftChanges): Promise<{ warnings: string[] }> {
  return db.transaction(async (tx) => {
    const draft = await getDraftOrThrow(tx, applicationId, draftId, { forUpdate: true });
    if (draft.status !== 'draft') throw new AppError('conflict', `the draft is ${draft.status}; only a draft can be edited`);
    await tx.query(
      `UPDATE email_drafts SET subject = coalesce($2, subject), body = coalesce($3, body),
              to_name = CASE WHEN $4::boolean THEN $5 ELSE to_name END,
              to_email = CASE WHEN $6::boolean THEN $7 ELSE to_email END, updated_at = now()
        WHERE id = $1`,
      [draftId, changes.subject ?? null, changes.body ?? null, 'to_name' in changes, changes.to_name ?? null, 'to_email' in changes, changes.to_email ?? null],
    );
    await appendAudit(tx, [
      {
        applicationId,
        actor: 'user',
        decision: 'draft_edited',
        rule: 'manual',
        ruleVersion: DRAFT_RULE_VERSION,
        inputs: { draft_id: draftId, fields: Object.keys(changes) },
        outcome: {},
      },
    ]);
    return { warnings: findTrackingWords(`${changes.subject ?? draft.subject}\n${changes.body ?? draft.body}`) };
  });
}
