import fc from 'fast-check';
import { expect, it } from 'vitest';
import { findScannerBursts } from '../../src/tracking/rules/index.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, click, seedApplication, useTestApp } from '../helpers/test-app.js';

/**
 * The burst check reads only part of the window around new clicks (every click since the first
 * new one, and before it the latest click of each link plus those not yet in a burst). Whatever
 * the order and grouping in which clicks arrive, the clicks marked scanner_burst must be exactly
 * those findScannerBursts finds over all clicks of the application.
 */
describeEachEngine('burst check over a partial read of the window', (engine) => {
  const t = useTestApp(engine);
  const BASE = Date.now() - 3_600_000;

  const historyArb = fc.record({
    clicks: fc.array(fc.record({ link: fc.integer({ min: 0, max: 3 }), offset: fc.integer({ min: 0, max: 9_000 }) }), {
      minLength: 3,
      maxLength: 30,
    }),
    batchSizes: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 30, maxLength: 30 }),
  });

  it('imported in random batches and orders: marked clicks = findScannerBursts over all of them', async () => {
    await fc.assert(
      fc.asyncProperty(historyArb, async ({ clicks, batchSizes }) => {
        const { application, links } = await seedApplication(t().app, {}, [
          { link_type: 'resume' },
          { link_type: 'github' },
          { link_type: 'linkedin' },
          { link_type: 'portfolio' },
        ]);
        let at = 0;
        for (const size of batchSizes) {
          if (at >= clicks.length) break;
          const batch = clicks.slice(at, at + size);
          at += size;
          const res = await api(t().app).post('/api/clicks/import', {
            clicks: batch.map((c) => ({ tracking_id: links[c.link].tracking_id, clicked_at: new Date(BASE + c.offset).toISOString() })),
          });
          expect(res.json.imported, res.body).toBe(batch.length);
        }
        const stored = await t().ctx.db.query<{ id: string; link_id: string; clicked_at: Date; burst: boolean }>(
          `SELECT id::text AS id, link_id::text AS link_id, clicked_at, 'scanner_burst' = ANY(bot_reasons) AS burst
             FROM link_clicks WHERE application_id = $1`,
          [application.id],
        );
        expect(stored.rows).toHaveLength(clicks.length);
        const expected = findScannerBursts(stored.rows.map((r) => ({ id: r.id, linkId: r.link_id, clickedAt: r.clicked_at })));
        const marked = new Set(stored.rows.filter((r) => r.burst).map((r) => r.id));
        expect([...marked].sort()).toEqual([...expected].sort());
      }),
      { numRuns: 12, seed: 9_2026 },
    );
  });

  it('live clicks on one busy application: each stored once, and a burst of 3 links is marked whole', async () => {
    const { application, links } = await seedApplication(t().app, {}, [
      { link_type: 'resume' },
      { link_type: 'github' },
      { link_type: 'linkedin' },
    ]);
    const responses = await Promise.all(Array.from({ length: 60 }, (_, i) => click(t().app, links[i % 3].tracking_id, { ip: `198.51.100.${i}` })));
    expect(responses.every((r) => r.statusCode === 302)).toBe(true);
    const stored = await t().ctx.db.query<{ id: string; link_id: string; clicked_at: Date; burst: boolean }>(
      `SELECT id::text AS id, link_id::text AS link_id, clicked_at, 'scanner_burst' = ANY(bot_reasons) AS burst
         FROM link_clicks WHERE application_id = $1`,
      [application.id],
    );
    expect(stored.rows).toHaveLength(60);
    const expected = findScannerBursts(stored.rows.map((r) => ({ id: r.id, linkId: r.link_id, clickedAt: r.clicked_at })));
    expect(expected.size).toBe(60);
    expect(stored.rows.every((r) => r.burst)).toBe(true);
  });
});
