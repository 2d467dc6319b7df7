import type { Queryable } from '../db/index.js';
import { LINK_DISPLAY_NAMES, type LinkType } from '../domain.js';

export interface ClickJson {
  id: string;
  clicked_at: string;
  link_id: string;
  link_type: string;
  link_label: string;
  source: string;
  is_bot: boolean;
  reasons: string[];
}

/**
 * The clicks of one application, newest first, each with its verdict and every reason behind
 * it (the dashboard's timeline). Never the address: only its keyed hash is stored, and that is
 * not shown either.
 */
export async function listClicksOfApplication(db: Queryable, applicationId: string, limit: number): Promise<ClickJson[]> {
  const res = await db.query<{
    id: string;
    clicked_at: Date;
    link_id: string;
    link_type: LinkType;
    label: string | null;
    source: string;
    is_bot: boolean;
    bot_reasons: string[];
  }>(
    `SELECT c.id::text AS id, c.clicked_at, c.link_id, l.link_type, l.label, c.source, c.is_bot, c.bot_reasons
       FROM link_clicks c JOIN tracked_links l ON l.id = c.link_id
      WHERE c.application_id = $1
      ORDER BY c.clicked_at DESC, c.id DESC
      LIMIT $2`,
    [applicationId, limit],
  );
  return res.rows.map((r) => ({
    id: r.id,
    clicked_at: r.clicked_at.toISOString(),
    link_id: r.link_id,
    link_type: r.link_type,
    link_label: r.label ?? LINK_DISPLAY_NAMES[r.link_type] ?? r.link_type,
    source: r.source,
    is_bot: r.is_bot,
    reasons: r.bot_reasons,
  }));
}
