import type { Queryable, TransactionQueryable } from '../db/index.js';
import { inlineLiterals } from '../db/inline-literals.js';
import { groupBy } from '../shared/group-by.js';
import { CLICK_BURST_LOCK } from '../db/lock-keys.js';
import { recalcMarkStatement } from '../recalc/mark-for-recalculation.js';
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
 * The live path takes those locks itself with its link lookup (`applicationsLocked`).
 *
 * Three statements in the common case (the click path is bound by round trips and statement
 * overhead, not by rows): the insert and the read of the clicks around the new ones, then the
 * listed-network check (only for clicks from a listed network), then the burst marks and the
 * recalculation mark together. The mark stays last: it locks the application's request row,
 * which an application update or a worker may wait for while holding what the insert needs.
 */
export async function storeClicks(
  tx: Queryable,
  clicks: readonly ClickToStore[],
  recalcDelayMs: number,
  options: {
    /** The caller took the click-path lock of every application of `clicks` (the live path does, with its link lookup). */
    applicationsLocked?: boolean;
    /** Nothing follows in the transaction: its last statement carries the COMMIT (one round trip less on PostgreSQL). */
    commitsTransaction?: boolean;
  } = {},
): Promise<void> {
  if (clicks.length === 0) return;
  const byApp = groupBy(clicks, (c) => c.applicationId);
  const appIds = [...byApp.keys()].sort(); // fixed lock order: no deadlock between two writers
  if (!options.applicationsLocked) {
    await tx.query(
      `SELECT pg_advisory_xact_lock(hashtextextended(id::text, $2)) FROM unnest($1::uuid[]) AS id ORDER BY id`,
      [appIds, CLICK_BURST_LOCK],
    );
  }

  // Per application, the first and the last of its new clicks (ms).
  const spans = new Map<string, { first: number; last: number }>();
  for (const [applicationId, list] of byApp) {
    let first = Infinity;
    let last = -Infinity;
    for (const c of list) {
      first = Math.min(first, c.clickedAt.getTime());
      last = Math.max(last, c.clickedAt.getTime());
    }
    spans.set(applicationId, { first, last });
  }

  const nearby = await insertAndReadAround(tx, clicks, spans);
  const toMark = scannerBurstsToMark(nearby);
  await judgeListedNetworks(tx, clicks);
  // Clicks stamped ahead of the clock (imports accept a little skew) count once their time has come.
  const newestClickAt = new Map([...spans].map(([applicationId, { last }]) => [applicationId, new Date(last)]));
  const mark = recalcMarkStatement(appIds, recalcDelayMs, newestClickAt);
  const n = mark.params.length;
  const last =
    toMark.length === 0
      ? mark
      : {
          sql: `WITH burst AS (UPDATE link_clicks SET is_bot = true, bot_reasons = array_append(bot_reasons, $${n + 2})
                                WHERE id = ANY($${n + 1}::bigint[]) AND NOT ($${n + 2} = ANY(bot_reasons)))
                ${mark.sql}`,
          params: [...mark.params, toMark, BURST_REASON],
        };
  if (options.commitsTransaction && 'queryThenCommit' in tx) {
    await (tx as TransactionQueryable).queryThenCommit(inlineLiterals(last.sql, last.params));
  } else {
    await tx.query(last.sql, last.params);
  }
}

interface NearbyClick {
  id: string;
  linkId: string;
  clickedAt: Date;
  /** Already marked as part of a scanner burst. */
  already: boolean;
}

/**
 * Inserts the clicks and returns, in the same statement, every click of their applications
 * within the burst window around them (one list per application): the rows committed before (the statement's snapshot is
 * taken after the application locks) and the new rows (from RETURNING, which the snapshot does
 * not show). Any burst that contains a new click lies within that span.
 */
async function insertAndReadAround(
  tx: Queryable,
  clicks: readonly ClickToStore[],
  spans: ReadonlyMap<string, { first: number; last: number }>,
): Promise<NearbyClick[][]> {
  const windows = [...spans].map(([applicationId, { first, last }]) => ({
    application_id: applicationId,
    from: new Date(first - DEFAULT_BURST_WINDOW_MS).toISOString(),
    to: new Date(last + DEFAULT_BURST_WINDOW_MS).toISOString(),
  }));
  // One row per application with its clicks as one JSON array ([id, link id, epoch ms, already in
  // a burst]): a busy application has thousands of clicks in the window, and a row (and a Date
  // to parse) per click cost more than the rest of the batch. Fewer than three clicks cannot
  // make a burst: such applications are not sent back at all.
  const res = await tx.query<{ application_id: string; clicks: [string, string, number, boolean][] }>(
    `WITH new AS (
       INSERT INTO link_clicks (link_id, application_id, clicked_at, source, method, user_agent, referrer, ip_hash, is_bot, bot_reasons,
              network_asn, network_label, network_kind, device_class, browser_family)
       SELECT r.link_id, r.application_id, r.clicked_at, r.source, r.method, r.user_agent, r.referrer, r.ip_hash,
              cardinality(r.bot_reasons) > 0, r.bot_reasons, r.network_asn, r.network_label, r.network_kind, r.device_class, r.browser_family
         FROM jsonb_to_recordset($1::jsonb) AS r(link_id uuid, application_id uuid, clicked_at timestamptz, source text,
              method text, user_agent text, referrer text, ip_hash text, bot_reasons text[],
              network_asn int, network_label text, network_kind text, device_class text, browser_family text)
       RETURNING id, link_id, application_id, clicked_at, bot_reasons),
     around AS (
       SELECT c.id, c.link_id, c.application_id, c.clicked_at, c.bot_reasons
         FROM jsonb_to_recordset($2::jsonb) AS s(application_id uuid, "from" timestamptz, "to" timestamptz)
         -- OFFSET 0 keeps this an index probe per application: pulled up into a join, a table the
         -- planner has no statistics for yet (a new database filling up) was read whole per batch
         CROSS JOIN LATERAL (SELECT * FROM link_clicks c
                              WHERE c.application_id = s.application_id AND c.clicked_at BETWEEN s."from" AND s."to" OFFSET 0) c
       UNION ALL
       SELECT id, link_id, application_id, clicked_at, bot_reasons FROM new)
     SELECT application_id::text AS application_id,
            json_agg(json_build_array(id::text, link_id, floor(extract(epoch FROM clicked_at) * 1000), $3 = ANY(bot_reasons))) AS clicks
       FROM around GROUP BY application_id HAVING count(*) >= 3`,
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
      JSON.stringify(windows),
      BURST_REASON,
    ],
  );
  return res.rows.map((r) => r.clicks.map(([id, linkId, ms, already]) => ({ id, linkId, clickedAt: new Date(ms), already })));
}

/** The clicks that lie in a scanner burst and are not marked yet (the one pure rule decides). */
function scannerBurstsToMark(nearbyByApplication: readonly NearbyClick[][]): string[] {
  const toMark: string[] = [];
  for (const clicks of nearbyByApplication) {
    const burst = findScannerBursts(clicks);
    for (const c of clicks) if (!c.already && burst.has(c.id)) toMark.push(c.id);
  }
  return toMark;
}
