import type { Queryable } from '../../db/index.js';
import type { LinkType } from '../../domain.js';
import { getApplicationRowOrThrow, type ApplicationRow } from '../../applications/index.js';

export interface DraftContext {
  application: ApplicationRow;
  /** Link types a person opened, first opening first. */
  openedLinkTypes: LinkType[];
  bookingUrl: string | null;
  /** Message-IDs of the application's earlier sent messages, oldest first (for threading). */
  sentMessageIds: string[];
}

/** What a draft is written from: the application, what was opened (human clicks only), earlier messages. */
export async function loadDraftContext(db: Queryable, applicationId: string): Promise<DraftContext> {
  const application = await getApplicationRowOrThrow(db, applicationId);
  // One after another: inside a transaction they share one connection.
  const opened = await db.query<{ link_type: LinkType }>(
      `SELECT l.link_type FROM link_clicks c JOIN tracked_links l ON l.id = c.link_id
        WHERE c.application_id = $1 AND NOT c.is_bot
        GROUP BY l.link_type ORDER BY min(c.clicked_at)`,
      [applicationId],
  );
  const booking = await db.query<{ target_url: string }>(
      `SELECT target_url FROM tracked_links WHERE application_id = $1 AND (is_calendly OR link_type = 'calendly') AND disabled_at IS NULL
        ORDER BY created_at LIMIT 1`,
      [applicationId],
  );
  const sent = await db.query<{ message_id: string }>(
      `SELECT message_id FROM email_drafts WHERE application_id = $1 AND status = 'sent' ORDER BY sent_at, created_at`,
      [applicationId],
  );
  return {
    application,
    openedLinkTypes: opened.rows.map((r) => r.link_type),
    bookingUrl: booking.rows[0]?.target_url ?? null,
    sentMessageIds: sent.rows.map((r) => r.message_id),
  };
}
