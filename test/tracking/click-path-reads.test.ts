import { expect, it } from 'vitest';
import { lockActiveLinksByTrackingIds } from '../../src/tracking/link-repository.js';
import { storeClicks, type ClickToStore } from '../../src/tracking/store-clicks.js';
import { describeEachEngine } from '../helpers/databases.js';
import { seedApplication, useTestApp } from '../helpers/test-app.js';

/**
 * The click path reads only the clicks around the new ones, by index, even on a database whose
 * statistics are not gathered yet (a new install filling up, before autovacuum's first ANALYZE).
 * Found by the redirect benchmark: the planner joined the burst-window read as a hash join over
 * a sequential scan of link_clicks, so every batch read the whole table.
 */
describeEachEngine('the click path on a table without statistics', (engine) => {
  const t = useTestApp(engine);

  it('stores a batch of clicks without reading link_clicks whole', async () => {
    const db = t().ctx.db;
    const { application, links } = await seedApplication(t().app, {}, [{ link_type: 'resume' }, { link_type: 'github' }]);
    // 6 000 earlier clicks, hours apart from now; never analyzed.
    await db.query(
      `INSERT INTO link_clicks (link_id, application_id, clicked_at, source, is_bot, bot_reasons)
       SELECT $1, $2, now() - interval '3 hours' - i * interval '1 second', 'import', false, '{}' FROM generate_series(1, 6000) AS i`,
      [links[0].id, application.id],
    );
    const reads = await db.transaction(async (tx) => {
      const scans = async () =>
        (
          await tx.query<{ seq: number; idx: number }>(
            `SELECT coalesce(seq_scan, 0)::int AS seq, coalesce(idx_scan, 0)::int AS idx
               FROM pg_stat_xact_user_tables WHERE relid = 'link_clicks'::regclass`,
          )
        ).rows[0] ?? { seq: 0, idx: 0 };
      const before = await scans();
      const found = await lockActiveLinksByTrackingIds(tx, [links[0].tracking_id, links[1].tracking_id]);
      const clicks: ClickToStore[] = [...found.values()].map((l) => ({
        linkId: l.link_id,
        applicationId: l.application_id,
        clickedAt: new Date(),
        source: 'live',
        method: 'GET',
        userAgent: 'Mozilla/5.0',
        referrer: null,
        ipHash: null,
        botReasons: [],
      }));
      await storeClicks(tx, clicks, 0, { applicationsLocked: true });
      const after = await scans();
      return { seq: after.seq - before.seq, idx: after.idx - before.idx };
    });
    expect(reads.seq).toBe(0);
    expect(reads.idx).toBeGreaterThan(0);
    const stored = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM link_clicks WHERE application_id = $1 AND source = 'live'`, [application.id]);
    expect(stored.rows[0].n).toBe(2);
  });
});
