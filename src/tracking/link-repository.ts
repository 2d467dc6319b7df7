import { inlineLiterals } from '../db/inline-literals.js';
import { CLICK_BURST_LOCK } from '../db/lock-keys.js';
import type { Queryable } from '../db/index.js';
import type { LinkType } from '../domain.js';

export interface LinkRow {
  id: string;
  application_id: string;
  tracking_id: string;
  link_type: LinkType;
  label: string | null;
  target_url: string;
  is_calendly: boolean;
  sent_at: Date | null;
  disabled_at: Date | null;
  created_at: Date;
}

const LINK_COLUMNS = 'id, application_id, tracking_id, link_type, label, target_url, is_calendly, sent_at, disabled_at, created_at';

export async function insertLink(
  db: Queryable,
  link: Omit<LinkRow, 'id' | 'created_at' | 'disabled_at'>,
): Promise<LinkRow> {
  const res = await db.query<LinkRow>(
    `INSERT INTO tracked_links (application_id, tracking_id, link_type, label, target_url, is_calendly, sent_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${LINK_COLUMNS}`,
    [link.application_id, link.tracking_id, link.link_type, link.label, link.target_url, link.is_calendly, link.sent_at],
  );
  return res.rows[0];
}

export async function listLinksOfApplication(db: Queryable, applicationId: string): Promise<LinkRow[]> {
  const res = await db.query<LinkRow>(
    `SELECT ${LINK_COLUMNS} FROM tracked_links WHERE application_id = $1 ORDER BY created_at, id`,
    [applicationId],
  );
  return res.rows;
}

/**
 * Revokes (disabled = true) or restores a link; null when there is no such link. Disabling
 * again keeps the first time it was disabled. Its clicks stay: only new ones are refused.
 */
export async function setLinkDisabled(db: Queryable, linkId: string, disabled: boolean): Promise<LinkRow | null> {
  const res = await db.query<LinkRow>(
    `UPDATE tracked_links SET disabled_at = CASE WHEN $2::boolean THEN coalesce(disabled_at, now()) END
      WHERE id = $1 RETURNING ${LINK_COLUMNS}`,
    [linkId, disabled],
  );
  return res.rows[0] ?? null;
}

export interface RedirectTarget {
  link_id: string;
  application_id: string;
  target_url: string;
  /** A booking page (SPEC §9: the redirect adds the booking attribution). */
  is_calendly: boolean;
}

/** Sets (or clears, with null) when the link's email went out; null when there is no such link. */
export async function setLinkSentAt(db: Queryable, linkId: string, sentAt: Date | null): Promise<LinkRow | null> {
  const res = await db.query<LinkRow>(`UPDATE tracked_links SET sent_at = $2 WHERE id = $1 RETURNING ${LINK_COLUMNS}`, [linkId, sentAt]);
  return res.rows[0] ?? null;
}

/** One indexed read by tracking id; $1 is the tracking ids. */
const ACTIVE_LINKS_BY_TRACKING_IDS = `SELECT tracking_id, id AS link_id, application_id, target_url, is_calendly
  FROM tracked_links WHERE tracking_id = ANY($1::text[]) AND disabled_at IS NULL`;

/**
 * The first statement of a live click batch: the active links of these tracking ids, with the
 * click-path lock of each of their applications taken, in application id order (no deadlock
 * between two writers), in the same round trip. The caller's later statements see every click
 * a concurrent writer of those applications committed before the locks were granted.
 */
export async function lockActiveLinksByTrackingIds(tx: Queryable, trackingIds: readonly string[]): Promise<Map<string, RedirectTarget>> {
  // Without parameters, so that BEGIN travels with it (see TransactionQueryable).
  const res = await tx.query<RedirectTarget & { tracking_id: string }>(
    inlineLiterals(
      `WITH l AS MATERIALIZED (${ACTIVE_LINKS_BY_TRACKING_IDS}),
       locked AS MATERIALIZED (
         SELECT pg_advisory_xact_lock(hashtextextended(a.application_id::text, $2))
           FROM (SELECT DISTINCT application_id FROM l ORDER BY application_id) a)
       SELECT l.* FROM l WHERE (SELECT count(*) FROM locked) >= 0`,
      [trackingIds, CLICK_BURST_LOCK],
    ),
  );
  return new Map(res.rows.map((r) => [r.tracking_id, r]));
}

/** The active links of these tracking ids (for an import: no lock; the live path uses lockActiveLinksByTrackingIds). */
export async function findActiveLinksByTrackingIds(db: Queryable, trackingIds: readonly string[]): Promise<Map<string, RedirectTarget>> {
  const res = await db.query<RedirectTarget & { tracking_id: string }>(ACTIVE_LINKS_BY_TRACKING_IDS, [trackingIds]);
  return new Map(res.rows.map((r) => [r.tracking_id, r]));
}

export function linkToJson(row: LinkRow, publicBaseUrl: string) {
  return {
    id: row.id,
    application_id: row.application_id,
    tracking_id: row.tracking_id,
    tracking_url: `${publicBaseUrl}/t/${row.tracking_id}`,
    link_type: row.link_type,
    label: row.label,
    target_url: row.target_url,
    is_calendly: row.is_calendly,
    sent_at: row.sent_at?.toISOString() ?? null,
    disabled: row.disabled_at !== null,
    disabled_at: row.disabled_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
  };
}
