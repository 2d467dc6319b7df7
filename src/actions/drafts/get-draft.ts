import type { Queryable } from '../../db/index.js';
import { getApplicationRowOrThrow } from '../../applications/index.js';
import { notFound } from '../../errors.js';
import { DRAFT_SELECT, type DraftRow } from './draft-row.js';

export async function getDraftOrThrow(db: Queryable, applicationId: string, draftId: string, opts: { forUpdate?: boolean } = {}): Promise<DraftRow> {
  if (opts.forUpdate) await db.query(`SELECT 1 FROM email_drafts WHERE id = $1 FOR UPDATE`, [draftId]);
  const res = await db.query<DraftRow>(`${DRAFT_SELECT} WHERE d.id = $1 AND d.application_id = $2`, [draftId, applicationId]);
  const row = res.rows[0];
  if (!row) {
    await getApplicationRowOrThrow(db, applicationId); // 404 names the application when that is what is missing
    throw notFound('draft');
  }
  return row;
}

/** Newest first; withheld decisions too (the person sees why no follow-up was offered). */
export async function listDrafts(db: Queryable, applicationId: string): Promise<DraftRow[]> {
  await getApplicationRowOrThrow(db, applicationId);
  const res = await db.query<DraftRow>(`${DRAFT_SELECT} WHERE d.application_id = $1 ORDER BY d.created_at DESC, d.id`, [applicationId]);
  return res.rows;
}
