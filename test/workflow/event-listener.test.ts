/**
 * The seed's test_event_listener_integration: with the background worker running, a click on
 * /t/:id updates analytics, triggers and the queue within 5 s with no call from the user;
 * clicks on one application coalesce into one evaluation; a click that arrives while its
 * application is being evaluated is not lost (request generations).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateApplications } from '../../src/workflow/evaluate-applications.js';
import { claimDueRequests, releaseRequests, returnRequests } from '../../src/recalc/recalc-requests.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, click, useTestApp } from '../helpers/test-app.js';
import {
  analyticsRow,
  createScenario,
  importClicks,
  pendingRow,
  queueRows,
  recordingEvaluations,
  triggerRows,
  useLiveService,
  waitFor,
} from '../helpers/workflow.js';

// The click path's HIREPULSE_RECALC_DELAY_MS for the worker tests: the default. A delay shorter than
// the burst window (CLICK_SETTLE_MS) costs an extra evaluation: the first one cannot judge the click yet.
const CLICK_DELAY_MS = 2500;

describeEachEngine('event listener (seed test_event_listener_integration)', (engine) => {
  const t = useTestApp(engine); // clicks due at once; no worker until the second block starts one
  const db = () => t().ctx.db;

  describe('recalculation requests: leases and generations (the test plays the worker, step by step)', () => {
    const requestOf = async (id: string) =>
      (
        await db().query<{ generation: number; leased: boolean; due_at: Date; requested_at: Date }>(
          `SELECT generation::int AS generation, leased_until IS NOT NULL AS leased, due_at, requested_at FROM recalc_requests WHERE application_id = $1`,
          [id],
        )
      ).rows[0];
    const evaluate = (ids: string[]) => db().transaction((tx) => evaluateApplications(tx, ids, { defaultTimezone: 'UTC', actor: 'worker' }));

    it('a click that arrives while its application is being evaluated is not lost', async () => {
      const s = await createScenario(t().app, {}, ['resume']);
      await click(t().app, s.link.resume);
      expect(await requestOf(s.id)).toMatchObject({ generation: 1, leased: false });

      const claimed = (await claimDueRequests(db(), 50, 30_000)).filter((c) => c.application_id === s.id);
      expect(claimed.map((c) => c.generation)).toEqual([1]);
      expect(await requestOf(s.id)).toMatchObject({ leased: true });
      // while leased, no other worker gets it
      expect((await claimDueRequests(db(), 50, 30_000)).some((c) => c.application_id === s.id)).toBe(false);

      await evaluate([s.id]);
      // the second click lands during the batch (this app's click path waits 0 ms: due at the click itself)
      const secondAt = Date.now();
      await click(t().app, s.link.resume);
      expect(await requestOf(s.id)).toMatchObject({ generation: 2 });
      await releaseRequests(db(), claimed);
      const kept = await requestOf(s.id);
      expect(kept).toMatchObject({ generation: 2, leased: false });
      expect(kept.due_at.getTime()).toBeGreaterThanOrEqual(secondAt - 100);
      expect((await analyticsRow(db(), s.id)).human_clicks).toBe(1);

      // the next round takes it, and then the request is gone with both clicks counted
      const again = (await claimDueRequests(db(), 50, 30_000)).filter((c) => c.application_id === s.id);
      expect(again.map((c) => c.generation)).toEqual([2]);
      await evaluate([s.id]);
      await releaseRequests(db(), again);
      expect(await requestOf(s.id)).toBeUndefined();
      expect((await analyticsRow(db(), s.id)).human_clicks).toBe(2);
    });

    it('a request whose worker died comes back when the lease expires; a failed batch gives it back for a retry', async () => {
      const s = await createScenario(t().app, {}, ['resume']);
      await click(t().app, s.link.resume);
      const first = (await claimDueRequests(db(), 50, 100)).filter((c) => c.application_id === s.id);
      expect(first).toHaveLength(1);
      expect((await claimDueRequests(db(), 50, 100)).some((c) => c.application_id === s.id)).toBe(false);
      await new Promise((r) => setTimeout(r, 200));
      const retaken = (await claimDueRequests(db(), 50, 30_000)).filter((c) => c.application_id === s.id);
      expect(retaken).toHaveLength(1);

      await returnRequests(db(), [s.id], 200);
      expect(await requestOf(s.id)).toMatchObject({ generation: 1, leased: false });
      expect((await claimDueRequests(db(), 50, 30_000)).some((c) => c.application_id === s.id)).toBe(false);
      await new Promise((r) => setTimeout(r, 250));
      const retried = (await claimDueRequests(db(), 50, 30_000)).filter((c) => c.application_id === s.id);
      expect(retried).toHaveLength(1);
      await releaseRequests(db(), retried);
      expect(await requestOf(s.id)).toBeUndefined();
    });
  });

  describe('with the background worker running: clicks update analytics, triggers and queue with no call from the user', () => {
    let evaluated: string[] = [];
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    beforeAll(() => {
      process.on('warning', onWarning);
    });
    afterAll(() => {
      process.off('warning', onWarning);
    });
    /** An app on the same database whose click path waits CLICK_DELAY_MS, with a worker that records what it evaluates. */
    const app = useLiveService(t, {
      delayMs: CLICK_DELAY_MS,
      workerDb: (db) => {
        const recording = recordingEvaluations(db);
        evaluated = recording.evaluated;
        return recording.db;
      },
    });

    const requestOf = async (id: string) =>
      (await db().query<{ generation: number }>('SELECT generation::int AS generation FROM recalc_requests WHERE application_id = $1', [id])).rows[0];

    it('a Calendly click on /t/:id reaches analytics, triggers and the queue within 5 s', async () => {
      const s = await createScenario(app(), {}, ['calendly']); // applied just now: urgent_attention too
      const res = await click(app(), s.link.calendly);
      expect(res.statusCode).toBe(302);
      const clickedAt = Date.now();
      expect(await analyticsRow(db(), s.id)).toBeUndefined();

      const { value: row } = await waitFor(() => pendingRow(db(), s.id), 5000);
      expect(Date.now() - clickedAt).toBeLessThan(5000);
      expect(row.action_type).toBe('urgent_attention');
      const a = await analyticsRow(db(), s.id);
      expect(a).toMatchObject({ human_clicks: 1, calendly_clicked: true });
      expect(a.intent_score).toBeGreaterThanOrEqual(80);
      expect((await triggerRows(db(), s.id)).map((r) => r.trigger_type).filter((x) => x !== 'weekend_interest').sort()).toEqual([
        'interview_preparation',
        'urgent_attention',
      ]);
      // the request is released right after the evaluation commits
      await waitFor(async () => (await requestOf(s.id)) === undefined, 2000);
      // visible through the API, and decided by the worker
      const q = (await api(app()).get('/api/analytics/priority-queue?limit=100')).json.priority_queue;
      expect(q.some((x: { application_id: string }) => x.application_id === s.id)).toBe(true);
      const audit = (await api(app()).get(`/api/audit?application_id=${s.id}`)).json.entries as { actor: string; decision: string }[];
      expect(audit.filter((e) => e.decision === 'trigger_fired').every((e) => e.actor === 'worker')).toBe(true);
      expect(audit.some((e) => e.decision === 'queue_added' && e.actor === 'worker')).toBe(true);
    });

    it('several clicks on one application coalesce into one request and one evaluation', async () => {
      const s = await createScenario(app(), {}, ['resume', 'portfolio']);
      const before = evaluated.filter((id) => id === s.id).length;
      const clicks = [s.link.resume, s.link.portfolio, s.link.resume, s.link.portfolio, s.link.resume];
      for (const trackingId of clicks) expect((await click(app(), trackingId)).statusCode).toBe(302);
      // one row, bumped once per click (the first click's due time is kept)
      const request = await requestOf(s.id);
      if (request) expect(request.generation).toBe(clicks.length);

      await waitFor(async () => (await requestOf(s.id)) === undefined && (await analyticsRow(db(), s.id)), 5000);
      expect((await analyticsRow(db(), s.id)).human_clicks).toBe(5);
      // give a second (wrong) round the time to happen, then count
      await new Promise((r) => setTimeout(r, 600));
      expect(evaluated.filter((id) => id === s.id).length - before).toBe(1);
    });

    it('bot clicks reach analytics as bot clicks and fire nothing: HEAD, a bot user agent, a scanner burst on live clicks', async () => {
      const s = await createScenario(app(), {}, ['calendly', 'resume', 'portfolio']);
      expect((await click(app(), s.link.calendly, { method: 'HEAD' })).statusCode).toBe(302);
      expect((await click(app(), s.link.calendly, { ua: 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' })).statusCode).toBe(302);
      // a mail scanner opens the three links at once with a browser user agent; the first of them would be an urgent, interview-worthy click
      await Promise.all([s.link.calendly, s.link.resume, s.link.portfolio].map((id, i) => click(app(), id, { ip: `192.0.2.${i + 1}` })));
      await waitFor(async () => (await requestOf(s.id)) === undefined && (await analyticsRow(db(), s.id)), 5000);
      const a = await analyticsRow(db(), s.id);
      expect(a).toMatchObject({ total_clicks: 5, human_clicks: 0, bot_clicks: 5, engagement_score: 0, intent_score: 0 });
      expect(await triggerRows(db(), s.id)).toEqual([]);
      expect(await queueRows(db(), s.id)).toEqual([]);
    });

    it('a status change through the API is reflected in the queue row by the worker', async () => {
      const s = await createScenario(app(), {}, ['calendly']);
      await click(app(), s.link.calendly);
      const { value: first } = await waitFor(() => pendingRow(db(), s.id), 5000);
      expect((await api(app()).patch(`/api/applications/${s.id}`, { status: 'interviewing' })).status).toBe(200);
      // status factor 50 → 90: four more points, no user call
      const { value: updated } = await waitFor(async () => {
        const row = await pendingRow(db(), s.id);
        return row && row.priority_score !== first.priority_score ? row : undefined;
      }, 5000);
      expect(updated.priority_score - first.priority_score).toBeGreaterThanOrEqual(3);
      expect((await analyticsRow(db(), s.id)).predicted_outcome).toBe('interview_likely');
    });

    it('an imported click stamped a little ahead of the server clock (accepted skew) still reaches analytics, triggers and queue', async () => {
      const s = await createScenario(app(), {}, ['calendly']);
      const ahead = Date.now() + 2000;
      await importClicks(app(), [{ tracking_id: s.link.calendly, at: ahead }]);
      const started = Date.now();
      const { value: row } = await waitFor(() => pendingRow(db(), s.id), 6000);
      expect(Date.now() - started).toBeLessThan(6000);
      expect(row.action_type).toBe('urgent_attention');
      expect(await analyticsRow(db(), s.id)).toMatchObject({ human_clicks: 1, calendly_clicked: true });
    });

    it('idle polling leaves nothing behind: no listener pile-up on the stop signal after hundreds of polls', async () => {
      // by now the worker has slept between polls (every 50 ms) for several seconds
      await new Promise((r) => setTimeout(r, 1000));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
    });
  });
});
