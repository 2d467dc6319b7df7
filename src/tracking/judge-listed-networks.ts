/**
 * The part of a click's verdict that needs the database (SPEC §10): a click from a cloud network
 * is a machine's when it came within 5 minutes after the email went out (the link's sent_at, else
 * the application's applied_at), or when another link was opened within 2 s from a listed
 * network. Runs inside storeClicks' transaction (after the insert, under the application lock),
 * and only for batches holding a click from a listed network: clicks from every other network
 * cost nothing here. The facts are read back from the rows and judged by the one pure function,
 * judgeClick; reasons only ever accumulate.
 */
import type { Queryable } from '../db/index.js';
import { CLOUD_PAIR_WINDOW_MS, judgeClick, OWNER_REASON, type ClickNetwork } from './rules/index.js';

interface ListedClick {
  applicationId: string;
  clickedAt: Date;
  networkKind?: 'gateway' | 'cloud' | null;
}

interface Row {
  id: string;
  link_id: string;
  clicked_at: Date;
  source: string;
  method: string | null;
  user_agent: string | null;
  referrer: string | null;
  network_asn: number;
  network_label: string;
  network_kind: 'gateway' | 'cloud';
  bot_reasons: string[];
  sent_at: Date;
}

export async function judgeListedNetworks(tx: Queryable, clicks: readonly ListedClick[]): Promise<void> {
  const spans = new Map<string, { min: number; max: number }>();
  for (const c of clicks) {
    if (!c.networkKind) continue;
    const t = c.clickedAt.getTime();
    const span = spans.get(c.applicationId);
    if (span) {
      span.min = Math.min(span.min, t);
      span.max = Math.max(span.max, t);
    } else spans.set(c.applicationId, { min: t, max: t });
  }
  if (spans.size === 0) return;
  const res = await tx.query<Row & { application_id: string }>(
    `SELECT c.id::text AS id, c.link_id::text AS link_id, c.application_id::text AS application_id, c.clicked_at, c.source,
            c.method, c.user_agent, c.referrer, c.network_asn, c.network_label, c.network_kind, c.bot_reasons,
            coalesce(l.sent_at, a.applied_at) AS sent_at
       FROM jsonb_to_recordset($1::jsonb) AS s(application_id uuid, "from" timestamptz, "to" timestamptz)
       -- an index probe per application, whatever the statistics say (see storeClicks)
       CROSS JOIN LATERAL (SELECT * FROM link_clicks c
                            WHERE c.application_id = s.application_id AND c.clicked_at BETWEEN s."from" AND s."to" OFFSET 0) c
       JOIN tracked_links l ON l.id = c.link_id
       JOIN job_applications a ON a.id = c.application_id
      WHERE c.network_kind IS NOT NULL`,
    [
      JSON.stringify(
        [...spans].map(([applicationId, s]) => ({
          application_id: applicationId,
          from: new Date(s.min - CLOUD_PAIR_WINDOW_MS).toISOString(),
          to: new Date(s.max + CLOUD_PAIR_WINDOW_MS).toISOString(),
        })),
      ),
    ],
  );
  const byApp = new Map<string, Row[]>();
  for (const r of res.rows) {
    const list = byApp.get(r.application_id);
    if (list) list.push(r);
    else byApp.set(r.application_id, [r]);
  }
  const updates: { id: string; reasons: string[] }[] = [];
  for (const rows of byApp.values()) {
    for (const r of rows) {
      const added = rejudge(r, rows).filter((reason) => !r.bot_reasons.includes(reason));
      if (added.length > 0) updates.push({ id: r.id, reasons: [...r.bot_reasons, ...added] });
    }
  }
  if (updates.length === 0) return;
  await tx.query(
    `UPDATE link_clicks c SET bot_reasons = u.reasons, is_bot = cardinality(u.reasons) > 0
       FROM jsonb_to_recordset($1::jsonb) AS u(id bigint, reasons text[])
      WHERE c.id = u.id`,
    [JSON.stringify(updates)],
  );
}

/** The reasons judgeClick gives a stored listed-network click, its neighbours (±2 s) known. */
export function rejudge(r: Row, neighbours: readonly Row[]): string[] {
  const t = r.clicked_at.getTime();
  const paired = neighbours.some((o) => o.link_id !== r.link_id && Math.abs(o.clicked_at.getTime() - t) <= CLOUD_PAIR_WINDOW_MS);
  const network: ClickNetwork = { asn: r.network_asn, label: r.network_label, kind: r.network_kind };
  return judgeClick({
    method: r.method,
    userAgent: r.user_agent,
    userAgentExpected: r.source === 'live',
    referrer: r.referrer,
    owner: r.bot_reasons.includes(OWNER_REASON),
    network,
    msAfterSending: t - r.sent_at.getTime(),
    pairedWithin2s: paired,
    inBurst: false, // bursts are marked by markScannerBursts; their reason is already in bot_reasons
  }).reasons;
}

/**
 * After a link's sent_at changed: the clicks on it from cloud networks are judged again against
 * the new time. This is the one place a `network:` reason can go away: the user corrected when
 * the email went out. Other reasons stay. Returns whether any click changed.
 */
export async function rejudgeClicksOfLink(tx: Queryable, linkId: string, applicationId: string): Promise<boolean> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1::uuid::text, 7270))`, [applicationId]);
  const res = await tx.query<Row>(
    `SELECT c.id::text AS id, c.link_id::text AS link_id, c.clicked_at, c.source, c.method, c.user_agent, c.referrer,
            c.network_asn, c.network_label, c.network_kind, c.bot_reasons, coalesce(l.sent_at, a.applied_at) AS sent_at
       FROM link_clicks c JOIN tracked_links l ON l.id = c.link_id JOIN job_applications a ON a.id = c.application_id
      WHERE c.application_id = $1 AND c.network_kind IS NOT NULL
      ORDER BY c.clicked_at`,
    [applicationId],
  );
  const updates: { id: string; reasons: string[] }[] = [];
  for (const r of res.rows) {
    if (r.link_id !== linkId || r.network_kind !== 'cloud') continue;
    const t = r.clicked_at.getTime();
    const near = res.rows.filter((o) => Math.abs(o.clicked_at.getTime() - t) <= CLOUD_PAIR_WINDOW_MS);
    const own = `network:${r.network_label}`;
    const kept = r.bot_reasons.filter((reason) => reason !== own);
    const fresh = rejudge({ ...r, bot_reasons: kept }, near).filter((reason) => !kept.includes(reason));
    const next = [...kept, ...fresh];
    if (next.length !== r.bot_reasons.length || next.some((x, i) => x !== r.bot_reasons[i])) updates.push({ id: r.id, reasons: next });
  }
  if (updates.length === 0) return false;
  await tx.query(
    `UPDATE link_clicks c SET bot_reasons = u.reasons, is_bot = cardinality(u.reasons) > 0
       FROM jsonb_to_recordset($1::jsonb) AS u(id bigint, reasons text[])
      WHERE c.id = u.id`,
    [JSON.stringify(updates)],
  );
  return true;
}
