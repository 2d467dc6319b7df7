import type { Queryable } from '../db/index.js';
import { LINK_DISPLAY_NAMES, type LinkType } from '../domain.js';
import { getZoneClock } from '../analytics/scoring/zone-clock.js';
import { verdictOf, type VerdictKind } from './rules/index.js';

export interface ClickJson {
  id: string;
  /** UTC. */
  clicked_at: string;
  /** The same instant in the application's zone (else the configured default), with its offset. */
  clicked_at_local: string;
  timezone: string;
  link_id: string;
  link_type: string;
  link_label: string;
  source: string;
  /** desktop / mobile / tablet / bot, and the browser family; null when no user agent came with it. */
  device: { class: string; browser: string | null } | null;
  /** The network's ASN, and for a listed one its label and kind; null when unknown (no address, private, unrouted). */
  network: { asn: number; label: string | null; kind: string | null } | null;
  verdict: VerdictKind;
  is_bot: boolean;
  reasons: string[];
}

/**
 * The clicks of one application, newest first, each with its verdict and every reason behind
 * it (the dashboard's timeline, SPEC §10). Never the address: only its keyed hash is stored,
 * and that is not shown either.
 */
export async function listClicksOfApplication(
  db: Queryable,
  applicationId: string,
  limit: number,
  defaultTimezone = 'UTC',
): Promise<ClickJson[]> {
  const res = await db.query<{
    id: string;
    clicked_at: Date;
    link_id: string;
    link_type: LinkType;
    label: string | null;
    source: string;
    is_bot: boolean;
    bot_reasons: string[];
    network_asn: number | null;
    network_label: string | null;
    network_kind: string | null;
    device_class: string | null;
    browser_family: string | null;
    timezone: string | null;
  }>(
    `SELECT c.id::text AS id, c.clicked_at, c.link_id, l.link_type, l.label, c.source, c.is_bot, c.bot_reasons,
            c.network_asn, c.network_label, c.network_kind, c.device_class, c.browser_family, a.timezone
       FROM link_clicks c JOIN tracked_links l ON l.id = c.link_id JOIN job_applications a ON a.id = c.application_id
      WHERE c.application_id = $1
      ORDER BY c.clicked_at DESC, c.id DESC
      LIMIT $2`,
    [applicationId, limit],
  );
  return res.rows.map((r) => {
    const clock = getZoneClock(r.timezone ?? defaultTimezone);
    return {
      id: r.id,
      clicked_at: r.clicked_at.toISOString(),
      clicked_at_local: localIso(r.clicked_at.getTime(), clock.offsetAt(r.clicked_at.getTime())),
      timezone: clock.zone,
      link_id: r.link_id,
      link_type: r.link_type,
      link_label: r.label ?? LINK_DISPLAY_NAMES[r.link_type] ?? r.link_type,
      source: r.source,
      device: r.device_class === null ? null : { class: r.device_class, browser: r.browser_family },
      network: r.network_asn === null ? null : { asn: r.network_asn, label: r.network_label, kind: r.network_kind },
      verdict: verdictOf(r.bot_reasons, r.network_kind),
      is_bot: r.is_bot,
      reasons: r.bot_reasons,
    };
  });
}

/** "2026-12-02T10:15:30.000+01:00": local wall time and the offset it has there. */
export function localIso(ms: number, offsetMs: number): string {
  const wall = new Date(ms + offsetMs).toISOString().slice(0, -1);
  const sign = offsetMs < 0 ? '-' : '+';
  const abs = Math.abs(Math.round(offsetMs / 60_000));
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
