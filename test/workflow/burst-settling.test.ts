/**
 * Issue 7, item 5: a scanner's click must not fire a trigger before its burst shows itself.
 * The sequence reproduced on a running service: a human opens the resume; 2.35 s later a
 * mail scanner opens the Calendly, portfolio and GitHub links within a second. The first
 * click's recalculation was due 2.5 s after it, so the Calendly click was judged 0.15 s old,
 * as human: interview_preparation fired and was queued, and was retracted 3 s later.
 * With the worker and the click path configured as in production (2.5 s delay).
 */
import { expect, it, onTestFinished } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { api, click, useTestApp } from '../helpers/test-app.js';
import { createScenario, pendingRow, triggerRows, useLiveService, waitFor } from '../helpers/workflow.js';

const DELAY_MS = 2500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeEachEngine('a scanner burst that starts just before a recalculation is due', (engine) => {
  const t = useTestApp(engine);
  const live = useLiveService(t, { delayMs: DELAY_MS });

  it('never fires, queues or retracts interview_preparation; the human click still gets its trigger within 5 s', async () => {
    const app = live();
    const db = t().ctx.db;
    const s = await createScenario(app, {}, ['resume', 'calendly', 'portfolio', 'github']);
    const seen = new Set<string>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const row = await pendingRow(db, s.id);
        if (row?.action_type) seen.add(row.action_type);
        await sleep(40);
      }
    })();
    // A failed expectation below must not leave the watcher polling a closed database.
    onTestFinished(async () => {
      watching = false;
      await watcher.catch(() => undefined);
    });

    const humanAt = Date.now();
    expect((await click(app, s.link.resume, { ip: '203.0.113.50' })).statusCode).toBe(302);
    await sleep(humanAt + 2350 - Date.now());
    for (const [i, id] of [s.link.calendly, s.link.portfolio, s.link.github].entries()) {
      expect((await click(app, id, { ip: `198.51.100.${10 + i}` })).statusCode).toBe(302);
      await sleep(350);
    }

    // The human resume click (applied just now: the first click within 2 h) is urgent, within 5 s of it.
    await waitFor(async () => (await pendingRow(db, s.id))?.action_type === 'urgent_attention', 5000);
    expect(Date.now() - humanAt).toBeLessThan(5000);
    // Everything settled: the request is gone and the analytics counted all four clicks.
    await waitFor(async () => {
      const left = await db.query('SELECT 1 FROM recalc_requests WHERE application_id = $1', [s.id]);
      const a = await db.query<{ total_clicks: number }>('SELECT total_clicks FROM application_analytics WHERE application_id = $1', [s.id]);
      return left.rows.length === 0 && a.rows[0]?.total_clicks === 4;
    }, 8000);
    watching = false;
    await watcher;

    const clicks = await db.query<{ is_bot: boolean; n: number }>(
      'SELECT is_bot, count(*)::int AS n FROM link_clicks WHERE application_id = $1 GROUP BY is_bot ORDER BY is_bot',
      [s.id],
    );
    expect(clicks.rows).toEqual([
      { is_bot: false, n: 1 },
      { is_bot: true, n: 3 },
    ]);
    expect((await triggerRows(db, s.id)).map((r) => r.trigger_type)).not.toContain('interview_preparation');
    expect(seen.has('interview_preparation')).toBe(false);
    const audit = (await api(app).get(`/api/audit?application_id=${s.id}&limit=500`)).json.entries as { decision: string; rule: string }[];
    expect(audit.filter((e) => e.decision === 'trigger_retracted')).toEqual([]);
    expect(audit.filter((e) => e.decision === 'trigger_fired').map((e) => e.rule)).not.toContain('interview_preparation');
  });

  it('a click arriving just after the first one was due is shown within 5 s of itself too (the re-mark is not pushed back)', async () => {
    const app = live();
    const db = t().ctx.db;
    const s = await createScenario(app, { applied_at: new Date(Date.now() - 3 * 86_400_000).toISOString() }, ['resume', 'portfolio']);
    const humanClicks = async () =>
      (await db.query<{ human_clicks: number }>('SELECT human_clicks FROM application_analytics WHERE application_id = $1', [s.id])).rows[0]?.human_clicks ?? 0;
    const firstAt = Date.now();
    expect((await click(app, s.link.resume, { ip: '203.0.113.60' })).statusCode).toBe(302);
    await sleep(firstAt + 2400 - Date.now());
    const secondAt = Date.now();
    expect((await click(app, s.link.portfolio, { ip: '203.0.113.60' })).statusCode).toBe(302);
    await waitFor(async () => (await humanClicks()) >= 1, 5000);
    expect(Date.now() - firstAt).toBeLessThan(5000);
    await waitFor(async () => (await humanClicks()) === 2, 5000);
    expect(Date.now() - secondAt).toBeLessThan(5000);
  });
});
