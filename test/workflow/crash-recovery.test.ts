/**
 * SPEC §5: a recorded click "is not lost if the process dies right after the click was stored".
 * The real service (`node dist/cli/main.js serve`) takes a click and is killed with SIGKILL right
 * after the 302, before its recalculation is due; started again on the same data, it reflects
 * the click in analytics and queue within seconds, with no call from the user. On PGlite (data
 * dir) and on PostgreSQL (a fresh database).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/databases.js';
import { HUMAN_UA } from '../helpers/test-app.js';
import { waitFor } from '../helpers/workflow.js';
import { call, prepare, startServer, type Server } from '../helpers/service-process.js';

for (const engine of ENGINES) {
  describe(`crash between click and recalculation [${engine}]`, () => {
    const running: Server[] = [];
    let target: Awaited<ReturnType<typeof prepare>> | undefined;

    afterAll(async () => {
      for (const s of running) {
        if (s.child.exitCode === null && s.child.signalCode === null) {
          s.child.kill('SIGTERM');
          await Promise.race([s.exited, new Promise((r) => setTimeout(r, 10_000))]);
          s.child.kill('SIGKILL');
        }
      }
      await target?.cleanup();
    });

    it('a click stored just before SIGKILL reaches analytics and the queue after restart, with no user call', async () => {
      target = await prepare(engine);
      // Recalculation 4 s after the click: the process is dead long before that.
      const first = await startServer({ ...target.env, HIREPULSE_RECALC_DELAY_MS: '4000' });
      running.push(first);
      const created = await call(first, 'POST', '/api/applications', { company: 'Initech', job_title: 'Backend Engineer' });
      expect(created.status, created.text).toBe(201);
      const id = created.json.id as string;
      const link = await call(first, 'POST', `/api/applications/${id}/links`, { link_type: 'calendly', target_url: 'https://calendly.com/initech/intro' });
      expect(link.status, link.text).toBe(201);

      const res = await fetch(`${first.base}/t/${link.json.tracking_id}`, { redirect: 'manual', headers: { 'user-agent': HUMAN_UA } });
      expect(res.status).toBe(302);
      first.child.kill('SIGKILL');
      await first.exited;
      expect(first.child.signalCode).toBe('SIGKILL');

      // The click and its recalculation request survived; nothing was computed from it yet.
      const before = await target.inspect(async (db) => ({
        clicks: (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM link_clicks WHERE application_id = $1', [id])).rows[0].n,
        requests: (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM recalc_requests WHERE application_id = $1', [id])).rows[0].n,
        analytics: (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM application_analytics WHERE application_id = $1', [id])).rows[0].n,
        queue: (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM application_priority_queue WHERE application_id = $1', [id])).rows[0].n,
      }));
      expect(before).toEqual({ clicks: 1, requests: 1, analytics: 0, queue: 0 });

      const second = await startServer({ ...target.env, HIREPULSE_RECALC_DELAY_MS: '300' });
      running.push(second);
      const { value: item, ms } = await waitFor(
        async () => {
          const q = await call(second, 'GET', '/api/analytics/priority-queue?limit=100');
          return (q.json.priority_queue as { application_id: string }[]).find((x) => x.application_id === id);
        },
        10_000,
        100,
      );
      expect(ms).toBeLessThan(10_000);
      expect(item).toMatchObject({ company: 'Initech', action_type: 'urgent_attention', priority: 'critical' });
      const app = await call(second, 'GET', `/api/applications/${id}`);
      expect(app.json.scores).not.toBeNull();
      expect(app.json.scores.intent_score).toBeGreaterThanOrEqual(80);
      const suggestions = await call(second, 'GET', `/api/analytics/workflow-suggestions/${id}`);
      expect(suggestions.status).toBe(200);
      expect((suggestions.json.suggestions as { type: string }[]).map((s) => s.type)).toEqual(
        expect.arrayContaining(['urgent_attention', 'interview_preparation']),
      );

      // the request was handled and cleared
      const stats = await call(second, 'GET', '/api/analytics/stats');
      expect(stats.json).toMatchObject({ total_in_queue: 1, recalculation_backlog: 0 });

      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    });
  });
}
