/**
 * Issue 14: HIREPULSE_CLICK_RETENTION_DAYS in the running service (test/workflow/click-retention.test.ts
 * checks what one retention run does). The real service with the variable set: soon after its
 * workers start, the clicks older than N days lose their user agent, referrer and address hash,
 * the recent ones keep them, the application's analytics are the same through the API, and the
 * audit trail has the run. On both engines.
 */
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/databases.js';
import { call, useServiceProcesses } from '../helpers/service-process.js';
import { HUMAN_UA } from '../helpers/test-app.js';
import { waitFor } from '../helpers/workflow.js';

const { start, newTarget } = useServiceProcesses();
const DAY = 86_400_000;

for (const engine of ENGINES) {
  describe(`click retention in the service [${engine}]`, () => {
    it('HIREPULSE_CLICK_RETENTION_DAYS=30: old clicks lose their details, recent ones keep them, the analytics stay, the run is audited', async () => {
      const target = await newTarget(engine);
      const now = Date.now();
      const env = { ...target.env, HIREPULSE_RECALC_DELAY_MS: '200' };
      // First without retention: the clicks are stored and counted.
      let server = await start(env);
      const created = await call(server, 'POST', '/api/applications', { company: 'Old Clicks Ltd', job_title: 'SRE', applied_at: new Date(now - 60 * DAY).toISOString() });
      const id = created.json.id as string;
      const link = await call(server, 'POST', `/api/applications/${id}/links`, { link_type: 'resume', target_url: 'https://example.com/cv.pdf' });
      const click = (daysAgo: number, ip: string) => ({
        tracking_id: link.json.tracking_id,
        clicked_at: new Date(now - daysAgo * DAY).toISOString(),
        user_agent: HUMAN_UA,
        referrer: 'https://mail.example.com/inbox',
        ip,
      });
      const imported = await call(server, 'POST', '/api/clicks/import', { clicks: [click(45, '198.51.100.7'), click(40, '198.51.100.8'), click(2, '198.51.100.9')] });
      expect(imported.json).toMatchObject({ imported: 3, rejected: [] });
      const { value: before } = await waitFor(async () => {
        const a = await call(server, 'GET', `/api/analytics/applications/${id}`);
        return a.status === 200 && a.json.total_clicks === 3 ? a.json : undefined;
      }, 30_000, 200);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);

      // With retention: the worker's first round (5 s after it starts) expires the old details.
      server = await start({ ...env, HIREPULSE_CLICK_RETENTION_DAYS: '30' });
      const details = () =>
        target.inspect(
          async (db) =>
            (
              await db.query<{ old: boolean; user_agent: string | null; referrer: string | null; ip_hash: string | null }>(
                `SELECT clicked_at < now() - interval '30 days' AS old, user_agent, referrer, ip_hash FROM link_clicks WHERE application_id = $1 ORDER BY clicked_at`,
                [id],
              )
            ).rows,
        );
      const audited = async () => {
        const trail = await call(server, 'GET', '/api/audit?limit=50');
        return (trail.json.entries as { decision: string; outcome: { clicks: number } }[]).find((e) => e.decision === 'click_details_expired');
      };
      const { value: entry } = await waitFor(audited, 60_000, 250);
      expect(entry.outcome.clicks).toBe(2);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);

      const rows = await details();
      expect(rows.map((r) => r.old)).toEqual([true, true, false]);
      for (const r of rows.slice(0, 2)) {
        expect(r).toMatchObject({ user_agent: null, referrer: null });
        expect(r.ip_hash).toMatch(/^expired:[0-9a-f]{32}$/);
      }
      expect(rows[2]).toMatchObject({ user_agent: HUMAN_UA, referrer: 'https://mail.example.com/inbox' });
      expect(rows[2].ip_hash).toMatch(/^[0-9a-f]{32}$/);

      // The aggregates stay: the same analytics once recalculated from the blanked clicks.
      server = await start(env);
      expect((await call(server, 'POST', '/api/analytics/process-triggers', { application_id: id })).status).toBe(200);
      const after = (await call(server, 'GET', `/api/analytics/applications/${id}`)).json;
      for (const field of ['total_clicks', 'human_clicks', 'unique_visitors', 'engagement_score', 'intent_score']) {
        expect(after[field], field).toBe(before[field]);
      }
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }, 240_000);
  });
}
