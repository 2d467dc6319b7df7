import type { ScoringOptions } from '../../analytics/index.js';
import { appendAudit } from '../../audit/index.js';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { evaluateApplications, lockApplicationsForEvaluation, markItemProcessed } from '../../workflow/index.js';
import { DRAFT_RULE_VERSION } from './create-draft.js';

/**
 * A sent draft settles the trigger it was made for. When the application's pending queue item
 * carries that trigger, the item is marked done with outcome `sent` (SPEC §8); when another,
 * more urgent trigger holds the item, only this trigger is closed and the item stays.
 * A sweep over every sent draft whose trigger is still open: it also finishes the work of a
 * sender that died between committing the send and closing the trigger.
 */
export async function closeTriggersOfSentDrafts(db: Database, opts: ScoringOptions & { bookingSource?: boolean }): Promise<number> {
  const open = await db.query<{ application_id: string; trigger_id: string; trigger_type: string; draft_id: string; carried: boolean }>(
    `SELECT d.application_id, t.id AS trigger_id, t.trigger_type, d.id AS draft_id,
            EXISTS (SELECT 1 FROM application_priority_queue q WHERE q.application_id = d.application_id
                       AND q.status = 'pending' AND q.action_type = t.trigger_type) AS carried
       FROM email_drafts d JOIN workflow_triggers t ON t.id = d.trigger_id
      WHERE d.status = 'sent' AND t.status = 'open'
      LIMIT 50`,
  );
  let closed = 0;
  for (const row of open.rows) {
    if (row.carried) {
      try {
        await markItemProcessed(db, row.application_id, { outcome: 'sent', note: `follow-up email sent (draft ${row.draft_id})` }, { ...opts, actor: 'worker' });
        closed += 1;
        continue;
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'not_found')) throw err;
        // The item went meanwhile: close the trigger alone, below.
      }
    }
    await db.transaction(async (tx) => {
      await lockApplicationsForEvaluation(tx, [row.application_id]);
      const res = await tx.query(`UPDATE workflow_triggers SET status = 'processed', processed_at = now() WHERE id = $1 AND status = 'open'`, [row.trigger_id]);
      if (res.rowCount === 0) return;
      await appendAudit(tx, [
        {
          applicationId: row.application_id,
          actor: 'worker',
          decision: 'trigger_processed',
          rule: 'email_sent',
          ruleVersion: DRAFT_RULE_VERSION,
          inputs: { trigger_id: row.trigger_id, trigger_type: row.trigger_type, draft_id: row.draft_id },
          outcome: { status: 'processed', outcome: 'sent', note: 'another trigger holds the queue item, which stays' },
        },
      ]);
      await evaluateApplications(tx, [row.application_id], { ...opts, actor: 'worker' });
      closed += 1;
    });
  }
  return closed;
}
