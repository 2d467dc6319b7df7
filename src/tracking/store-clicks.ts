import type { Queryable } from '../db/index.js';
import { groupBy } from '../shared/group-by.js';
import { CLICK_BURST_LOCK } from '../db/lock-keys.js';
import { markForRecalculation } from '../recalc/mark-for-recalculation.js';
import { judgeListedNetworks } from './judge-listed-networks.js';
import { BURST_REASON, DEFAULT_BURST_WINDOW_MS, findScannerBursts } from './rules/index.js';

/** A click ready to be stored: its link resolved, its address hashed, its first bot reasons known. */
export interface ClickToStore {
  linkId: string;
  applicationId: string;
  clickedAt: Date;
  source: 'live' | 'import';
  method: string | null;
  userAgent: string | null;
  referrer: string | null;
  ipHash: string | null;
  botReasons: string[];
  /** SPEC §10: the network (ASN; label and kind when listed) and the device parsed from the user agent. */
  networkAsn?: number | null;
  networkLabel?: string | null;
  networkKind?: 'gateway' | 'cloud' | null;
  deviceClass?: string | null;
  browserFamily?: string | null;
}

/**
 * The one path every click takes, live or imported: insert, re-judge scanner bursts over all
 * clicks of each application around the new ones, and mark the applications for recalculation,
 * all in the caller's transaction. An advisory lock per application serializes concurrent
 * writers of one application, so two halves of a burst arriving at once still see each other.
 */
export async function storeClicks(tx: Queryable, clicks: readonly ClickToStore[], recalcDelayMs: number): Promise<void> {
  if (clicks.length === 0) return;
  const byApp = groupBy(clicks, (c) => c.applicationId);
  const appIds = [...byApp.keys()].sort(); // fixed lock order: no deadlock between two writers
  await tx.query(
    `SELECT pg_advisory_xact_lock(hashtextextended(id::text, $2)) FROM unnest($1::uuid[]) AS id ORDER BY id`,
    [appIds, CLICK_BURST_LOCK],
  );

  await tx.query(
    `INSERT INTO link_clicks (link_id, application_id, clicked_at, source, method, user_agent, referrer, ip_hash, is_bot, bot_reasons,
            network_asn, network_label, network_kind, device_class, browser_family)
     SELECT r.link_id, r.application_id, r.clicked_at, r.source, r.method, r.user_agent, r.referrer, r.ip_hash,
            cardinality(r.bot_reasons) > 0, r.bot_reasons, r.network_asn, r.network_label, r.network_kind, r.device_class, r.browser_family
       FROM jsonb_to_recordset($1::jsonb) AS r(link_id uuid, application_id uuid, clicked_at timestamptz, source text,
            method text, user_agent text, referrer text, ip_hash text, bot_reasons text[],
            network_asn int, network_label text, network_kind text, device_class text, browser_family text)`,
    [
      JSON.stringify(
        clicks.map((c) => ({
          link_id: c.linkId,
          application_id: c.applicationId,
          clicked_at: c.clickedAt.toISOString(),
          source: c.source,
          method: c.method,
          user_agent: c.userAgent,
          referrer: c.referrer,
          ip_hash: c.ipHash,
          bot_reasons: c.botReasons,
          network_asn: c.networkAsn ?? null,
          network_label: c.networkLabel ?? null,
          network_kind: c.networkKind ?? null,
          device_class: c.deviceClass ?? null,
          browser_family: c.browserFamily ?? null,
        })),
      ),
    ],
  );

  await markScannerBursts(tx, byApp);
  await judgeListedNetworks(tx, clicks);
  // Clicks stamped ahead of the clock (imports accept a little skew) count once their time has come.
  const newestClickAt = new Map<string, Date>();
  for (const [applicationId, list] of byApp) {
    let newest = -Infinity;
    for (const c of list) newest = Math.max(newest, c.clickedAt.getTime());
    newestClickAt.set(applicationId, new Date(newest));
  }
  await markForRecalculation(tx, appIds, recalcDelayMs, newestClickAt);
}

/** Any burst that contains a new click lies within the window around it: only that span is read. */
async function markScannerBursts(tx: Queryable, byApp: Map<string, ClickToStore[]>): Promise<void> {
  const spans = [...byApp.entries()].map(([applicationId, list]) => {
    let min = Infinity;
    let max = -Infinity;
    for (const c of list) {
      min = Math.min(min, c.clickedAt.getTime());
      max = Math.max(max, c.clickedAt.getTime());
    }
    return {
      application_id: applicationId,
      from: new Date(min - DEFAULT_BURST_WINDOW_MS).toISOString(),
      to: new Date(max + DEFAULT_BURST_WINDOW_MS).toISOString(),
    };
  });
  const nearby = await tx.query<{ id: string; link_id: string; clicked_at: Date; already: boolean }>(
    `SELECT c.id::text AS id, c.link_id::text AS link_id, c.clicked_at, c.application_id::text AS application_id,
            ($2 = ANY(c.bot_reasons)) AS already
       FROM jsonb_to_recordset($1::jsonb) AS s(application_id uuid, "from" timestamptz, "to" timestamptz)
       JOIN link_clicks c ON c.application_id = s.application_id AND c.clicked_at BETWEEN s."from" AND s."to"`,
    [JSON.stringify(spans), BURST_REASON],
  );
  if (nearby.rows.length < 3) return;
  const byAppRows = groupBy(nearby.rows as (typeof nearby.rows[number] & { application_id: string })[], (r) => r.application_id);
  const toMark: string[] = [];
  for (const rows of byAppRows.values()) {
    const burst = findScannerBursts(rows.map((r) => ({ id: r.id, linkId: r.link_id, clickedAt: r.clicked_at })));
    for (const r of rows) if (burst.has(r.id) && !r.already) toMark.push(r.id);
  }
  if (toMark.length === 0) return;
  await tx.query(
    `UPDATE link_clicks SET is_bot = true, bot_reasons = array_append(bot_reasons, $2)
      WHERE id = ANY($1::bigint[])`,
    [toMark, BURST_REASON],
  );
}
