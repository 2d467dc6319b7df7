import type { Queryable } from '../db/index.js';

export interface WithdrawnDraft {
  id: string;
  application_id: string;
  trigger_id: string;
}

/**
 * A retracted trigger's reason is gone (a booking answered the click, or the clicks turned out
 * to be a scanner's): the draft its action made is withdrawn (discarded) while nobody approved
 * it yet. An approved draft was the person's decision (or auto-send's) and is left alone.
 */
export async function withdrawRetractedDrafts(tx: Queryable, triggerIds: readonly string[]): Promise<WithdrawnDraft[]> {
  if (triggerIds.length === 0) return [];
  const res = await tx.query<WithdrawnDraft>(
    `UPDATE email_drafts SET status = 'discarded', discarded_at = now(), updated_at = now()
      WHERE trigger_id = ANY($1::uuid[]) AND status = 'draft'
      RETURNING id, application_id, trigger_id`,
    [[...triggerIds]],
  );
  return res.rows;
}
