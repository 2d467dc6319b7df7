/** Stored template versions (message_templates); the built-in text is version 0. */
import type { Queryable } from '../../db/index.js';
import { AppError } from '../../errors.js';
import { DEFAULT_TEMPLATES, TEMPLATE_KEYS, type TemplateKey, type TemplateText } from './default-templates.js';

export interface StoredTemplate extends TemplateText {
  key: TemplateKey;
  version: number;
  isDefault: boolean;
  updatedAt: Date | null;
}

/** The template in use for `key`: its newest saved version, else the built-in one. */
export async function getCurrentTemplate(db: Queryable, key: TemplateKey): Promise<StoredTemplate> {
  const res = await db.query<{ version: number; subject: string; body: string; created_at: Date }>(
    `SELECT version, subject, body, created_at FROM message_templates WHERE template_key = $1 ORDER BY version DESC LIMIT 1`,
    [key],
  );
  const row = res.rows[0];
  if (!row) return { key, version: 0, isDefault: true, updatedAt: null, ...DEFAULT_TEMPLATES[key] };
  return { key, version: row.version, isDefault: false, updatedAt: row.created_at, subject: row.subject, body: row.body };
}

export async function listCurrentTemplates(db: Queryable): Promise<StoredTemplate[]> {
  const res = await db.query<{ template_key: TemplateKey; version: number; subject: string; body: string; created_at: Date }>(
    `SELECT DISTINCT ON (template_key) template_key, version, subject, body, created_at
       FROM message_templates ORDER BY template_key, version DESC`,
  );
  const saved = new Map(res.rows.map((r) => [r.template_key, r]));
  return TEMPLATE_KEYS.map((key) => {
    const row = saved.get(key);
    return row
      ? { key, version: row.version, isDefault: false, updatedAt: row.created_at, subject: row.subject, body: row.body }
      : { key, version: 0, isDefault: true, updatedAt: null, ...DEFAULT_TEMPLATES[key] };
  });
}

/** Saves a new version (the previous ones stay, so a draft can always name the text it came from). */
export async function saveTemplateVersion(db: Queryable, key: TemplateKey, text: TemplateText): Promise<StoredTemplate> {
  try {
    const res = await db.query<{ version: number; created_at: Date }>(
      `INSERT INTO message_templates (template_key, version, subject, body)
       SELECT $1::text, coalesce(max(version), 0) + 1, $2::text, $3::text FROM message_templates WHERE template_key = $1::text
       RETURNING version, created_at`,
      [key, text.subject, text.body],
    );
    const row = res.rows[0];
    return { key, version: row.version, isDefault: false, updatedAt: row.created_at, ...text };
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new AppError('conflict', 'the template was saved by someone else at the same moment; try again', { cause: err });
    throw err;
  }
}
