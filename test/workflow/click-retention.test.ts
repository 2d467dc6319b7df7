/**
 * Issue 14: HIREPULSE_CLICK_RETENTION_DAYS. Old clicks lose their user agent, referrer and
 * address hash; the scores computed from them stay; the run is audited.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { expireClickDetails } from '../../src/retention/expire-click-details.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, testConfig, useTestApp } from '../helpers/test-app.js';
import { DAY, HOUR, createScenario, importClicks, processTriggers } from '../helpers/workflow.js';

describeEachEngine('click retention', (engine) => {
  const t = useTestApp(engine);
  const db = () => t().ctx.db;
  const clicksOf = async (id: string) =>
    (
      await db().query<{ clicked_at: Date; user_agent: string | null; referrer: string | null; ip_hash: string | null; is_bot: boolean }>(
        'SELECT clicked_at, user_agent, referrer, ip_hash, is_bot FROM link_clicks WHERE application_id = $1 ORDER BY clicked_at, id',
        [id],
      )
    ).rows;

  it('removes the details of clicks older than N days, keeps their scores, and audits the run', async () => {
    const now = Date.now();
    const s = await createScenario(t().app, { applied_at: new Date(now - 60 * DAY).toISOString() }, ['resume', 'portfolio']);
    const other = await createScenario(t().app, { applied_at: new Date(now - 60 * DAY).toISOString() }, ['resume']);
    // Two visitors 40 days ago (one of them twice), one visitor yesterday; the same address in another application.
    await importClicks(t().app, [
      { tracking_id: s.link.resume, at: now - 40 * DAY, ip: '198.51.100.1' },
      { tracking_id: s.link.portfolio, at: now - 40 * DAY + HOUR, ip: '198.51.100.1' },
      { tracking_id: s.link.resume, at: now - 39 * DAY, ip: '198.51.100.2' },
      { tracking_id: s.link.portfolio, at: now - DAY, ip: '198.51.100.3' },
      { tracking_id: other.link.resume, at: now - 40 * DAY, ip: '198.51.100.1' },
    ]);
    await processTriggers(t().app);
    const analytics = async (id: string) => (await api(t().app).get(`/api/analytics/applications/${id}`)).json;
    const before = await analytics(s.id);
    const clicksBefore = await clicksOf(s.id);
    expect(before.unique_visitors).toBe(3);

    const changed = await expireClickDetails(db(), 30, 2); // small batches: the pseudonyms must agree across them
    expect(changed).toBe(4);
    const after = await clicksOf(s.id);
    for (const [i, c] of after.entries()) {
      const old = c.clicked_at.getTime() < now - 30 * DAY;
      expect(c.clicked_at).toEqual(clicksBefore[i].clicked_at);
      expect(c.is_bot).toBe(clicksBefore[i].is_bot);
      if (old) {
        expect(c).toMatchObject({ user_agent: null, referrer: null });
        expect(c.ip_hash).toMatch(/^expired:[0-9a-f]{32}$/);
      } else {
        expect(c).toEqual(clicksBefore[i]); // the recent click keeps everything
      }
    }
    // The same visitor stays one visitor within the application, and cannot be matched across applications.
    expect(after[0].ip_hash).toBe(after[1].ip_hash);
    expect(after[0].ip_hash).not.toBe(after[2].ip_hash);
    expect((await clicksOf(other.id))[0].ip_hash).not.toBe(after[0].ip_hash);

    const recomputed = await analytics(s.id);
    for (const field of ['unique_visitors', 'human_clicks', 'engagement_score', 'intent_score', 'health_score']) {
      expect(recomputed[field], field).toBe(before[field]);
    }
    const audit = await db().query<{ outcome: { clicks: number } }>(
      `SELECT outcome FROM audit_log WHERE decision = 'click_details_expired' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.rows[0].outcome.clicks).toBe(4);

    // A second run finds nothing left to do, and logs nothing.
    const lines = (await db().query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n;
    expect(await expireClickDetails(db(), 30)).toBe(0);
    expect((await db().query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n).toBe(lines);
  });
});

describe('HIREPULSE_CLICK_RETENTION_DAYS', () => {
  it('defaults to 0 (kept forever), takes whole days, and names itself when wrong', () => {
    expect(testConfig().clickRetentionDays).toBe(0);
    expect(testConfig({ HIREPULSE_CLICK_RETENTION_DAYS: '180' }).clickRetentionDays).toBe(180);
    expect(() => loadConfig({ ...process.env, HIREPULSE_CLICK_RETENTION_DAYS: 'soon' })).toThrow(/HIREPULSE_CLICK_RETENTION_DAYS/);
    expect(() => loadConfig({ ...process.env, HIREPULSE_CLICK_RETENTION_DAYS: '-1' })).toThrow(/HIREPULSE_CLICK_RETENTION_DAYS/);
  });
});
