import type { Database } from '../../db/index.js';
import { AppError } from '../../errors.js';
import type { MailSettings } from '../mail-settings.js';
import { isTemplateKey, type TemplateKey } from '../templates/default-templates.js';
import { createDraft } from './create-draft.js';

/**
 * The person asks for a draft (the cadence does not apply). Without a template named, the one
 * of the application's open `send_personalized_email` trigger, else its pending item's
 * trigger, else `check_in`.
 */
export async function requestDraft(db: Database, applicationId: string, template: string | undefined, mail: MailSettings): Promise<string> {
  return db.transaction(async (tx) => {
    let key: TemplateKey = 'check_in';
    if (template !== undefined) {
      if (!isTemplateKey(template)) throw new AppError('invalid_input', 'template is not a template key');
      key = template;
    } else {
      const res = await tx.query<{ trigger_type: string }>(
        `SELECT trigger_type FROM (
           SELECT t.trigger_type, 0 AS rank, t.fired_at FROM workflow_triggers t
            WHERE t.application_id = $1 AND t.status = 'open' AND t.action = 'send_personalized_email'
           UNION ALL
           SELECT q.action_type, 1, q.created_at FROM application_priority_queue q
            WHERE q.application_id = $1 AND q.status = 'pending' AND q.action_type IS NOT NULL) x
          ORDER BY rank, fired_at DESC LIMIT 1`,
        [applicationId],
      );
      const found = res.rows[0]?.trigger_type;
      if (isTemplateKey(found)) key = found;
    }
    const id = await createDraft(tx, { applicationId, triggerId: null, templateKey: key, requestedBy: 'person', actor: 'user' }, mail);
    return id!;
  });
}
