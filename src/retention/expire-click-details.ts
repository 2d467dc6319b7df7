import { appendAudit } from '../audit/index.js';
import type { Database } from '../db/index.js';

/** Prefix of an address hash replaced by retention: see expireClickDetails. */
export const EXPIRED_VISITOR_PREFIX = 'expired:';

/**
 * Click retention (HIREPULSE_CLICK_RETENTION_DAYS): clicks older than `days` lose their details
 * (user agent and referrer) and their address hash, which is replaced by a pseudonym that only
 * means "the same visitor, within this application" (md5 of application id and hash). So the
 * scores computed from old clicks do not change (visitors stay distinct within an application),
 * but an old click can no longer be tied to an address or to the same visitor elsewhere. Time,
 * link and bot verdict stay. Works in batches of `batchSize` rows, one transaction each, and
 * logs one audit line per run that changed anything. Returns how many clicks it changed.
 */
export async function expireClickDetails(db: Database, days: number, batchSize = 5_000): Promise<number> {
  let total = 0;
  for (;;) {
    const changed = await db.transaction(async (tx) => {
      const res = await tx.query(
        `UPDATE link_clicks c
            SET user_agent = NULL, referrer = NULL,
                ip_hash = CASE WHEN c.ip_hash IS NULL THEN NULL
                               ELSE $3 || md5(c.application_id::text || ':' || c.ip_hash) END
          WHERE c.id IN (
                SELECT id FROM link_clicks
                 WHERE clicked_at < now() - make_interval(days => $1)
                   AND (user_agent IS NOT NULL OR referrer IS NOT NULL OR (ip_hash IS NOT NULL AND ip_hash NOT LIKE $3 || '%'))
                 ORDER BY id
                 LIMIT $2
                   FOR UPDATE SKIP LOCKED)`,
        [days, batchSize, EXPIRED_VISITOR_PREFIX],
      );
      return res.rowCount;
    });
    total += changed;
    if (changed < batchSize) break;
  }
  if (total > 0) {
    await appendAudit(db, [
      {
        applicationId: null,
        actor: 'worker',
        decision: 'click_details_expired',
        rule: 'click_retention',
        ruleVersion: 'v1',
        inputs: { retention_days: days },
        outcome: { clicks: total, removed: ['user_agent', 'referrer', 'ip_hash'] },
      },
    ]);
  }
  return total;
}
