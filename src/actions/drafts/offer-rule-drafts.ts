import type { Database } from '../../db/index.js';
import type { MailSettings } from '../mail-settings.js';
import { templateKeyFor } from '../templates/default-templates.js';
import { approveDraftInTx } from './approve-draft.js';
import { createDraft } from './create-draft.js';
import { decideFollowUpOffer } from './follow-up-cadence.js';

/**
 * The work of `send_personalized_email`: every open trigger with that action gets one draft
 * (or one recorded decision to withhold it, by the follow-up cadence). Runs in the actions
 * worker after evaluation, not inside it; a trigger's draft is made once, whoever runs this.
 * With HIREPULSE_AUTO_SEND the draft is approved at once (and queued for sending).
 */
export async function offerRuleDrafts(db: Database, mail: MailSettings, limit = 50): Promise<number> {
  const due = await db.query<{ trigger_id: string; application_id: string; trigger_type: string }>(
    `SELECT t.id AS trigger_id, t.application_id, t.trigger_type
       FROM workflow_triggers t
      WHERE t.status = 'open' AND t.action = 'send_personalized_email'
        AND NOT EXISTS (SELECT 1 FROM email_drafts d WHERE d.trigger_id = t.id)
      ORDER BY t.fired_at LIMIT $1`,
    [limit],
  );
  let made = 0;
  for (const t of due.rows) {
    await db.transaction(async (tx) => {
      // One offer decision per application at a time (two workers, or a person asking at once).
      await tx.query(`SELECT 1 FROM job_applications WHERE id = $1 FOR NO KEY UPDATE`, [t.application_id]);
      const offered = await tx.query<{ created_at: Date }>(
        `SELECT d.created_at FROM email_drafts d
           LEFT JOIN follow_up_resets r ON r.application_id = d.application_id
          WHERE d.application_id = $1 AND d.status <> 'withheld' AND (r.reset_at IS NULL OR d.created_at > r.reset_at)`,
        [t.application_id],
      );
      const decision = decideFollowUpOffer(offered.rows.map((r) => r.created_at), new Date(), false);
      const id = await createDraft(
        tx,
        {
          applicationId: t.application_id,
          triggerId: t.trigger_id,
          templateKey: templateKeyFor(t.trigger_type),
          requestedBy: 'rule',
          actor: 'worker',
          withheldReason: decision.offer ? undefined : decision.reason,
        },
        mail,
      );
      if (id && decision.offer) {
        made += 1;
        // Auto-send needs an address; without one the draft waits for the person like any other.
        const addressed = (await tx.query(`SELECT 1 FROM email_drafts WHERE id = $1 AND to_email IS NOT NULL`, [id])).rows.length > 0;
        if (mail.autoSend && addressed) await approveDraftInTx(tx, t.application_id, id, mail, { actor: 'worker', rule: 'auto_send' });
      }
    });
  }
  return made;
}
