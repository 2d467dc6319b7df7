/**
 * The audit trail (SPEC §5): every automated decision (trigger fired, queue item added, updated,
 * cancelled) and every processed item has a row with the rule, its version, the inputs it saw and
 * what it did; GET /api/audit lists them newest first; the table is append-only.
 */
import { expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { api, useTestApp } from '../helpers/test-app.js';
import {
  HOUR,
  calendlyScenario,
  highEngagementScenario,
  importClicks,
  processTriggers,
  triggerRows,
  weekdayNoonUtc,
} from '../helpers/workflow.js';

interface Entry {
  id: number;
  occurred_at: string;
  application_id: string | null;
  actor: string;
  decision: string;
  rule: string;
  rule_version: string;
  inputs: Record<string, any>;
  outcome: Record<string, any>;
}

describeEachEngine('audit trail', (engine) => {
  const t = useTestApp(engine);
  const db = () => t().ctx.db;
  const entries = async (query: string) => {
    const res = await api(t().app).get(`/api/audit${query}`);
    expect(res.status, res.body).toBe(200);
    return res.json.entries as Entry[];
  };

  it('every decision of an application life has its entry: rule, version, inputs (scores) and outcome', async () => {
    const at = weekdayNoonUtc();
    const s = await calendlyScenario(t().app, at, 1);
    await processTriggers(t().app, s.id);
    const triggers = await triggerRows(db(), s.id);
    expect(triggers).toHaveLength(2);

    // scores change with a new click: the queue row is updated
    await importClicks(t().app, [{ tracking_id: s.link.resume, at: at.getTime() + HOUR }]);
    await processTriggers(t().app, s.id);
    // the user closes the items one by one (urgent_attention first; then interview_preparation, which took the
    // queue at once); a new Calendly click queues the application again; a rejection cancels it
    expect((await api(t().app).post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'done', note: 'called them' })).status).toBe(200);
    expect((await api(t().app).post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'done', note: 'prepared' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    await importClicks(t().app, [{ tracking_id: s.link.calendly, at: Date.now() }]);
    await processTriggers(t().app, s.id);
    expect((await api(t().app).patch(`/api/applications/${s.id}`, { status: 'rejected' })).status).toBe(200);

    const log = (await entries(`?application_id=${s.id}&limit=500`)).reverse(); // oldest first
    const decisions = log.map((e) => e.decision);
    expect(decisions.slice(0, 3)).toEqual(['trigger_fired', 'trigger_fired', 'queue_added']);
    expect(decisions).toContain('queue_updated');
    expect(decisions.filter((d) => d === 'queue_processed')).toHaveLength(2);
    // first trigger, the next open trigger after the first item was processed, the refire after the new click
    expect(decisions.filter((d) => d === 'queue_added')).toHaveLength(3);
    expect(decisions[decisions.length - 1]).toBe('queue_cancelled');
    for (const e of log) {
      expect(e.application_id).toBe(s.id);
      expect(e.rule.length).toBeGreaterThan(0);
      expect(e.rule_version.length).toBeGreaterThan(0);
      expect(typeof e.inputs).toBe('object');
      expect(typeof e.outcome).toBe('object');
    }

    // trigger_fired: one per stored trigger, with the scores the rule saw as of the click and what it created
    const fired = log.filter((e) => e.decision === 'trigger_fired');
    const allTriggers = await triggerRows(db(), s.id);
    expect(fired).toHaveLength(allTriggers.length);
    expect(fired.map((e) => e.outcome.trigger_id).sort()).toEqual(allTriggers.map((r) => r.id).sort());
    for (const e of fired) {
      const trigger = allTriggers.find((r) => r.id === e.outcome.trigger_id)!;
      expect(e.rule).toBe(trigger.trigger_type);
      expect(e.rule_version).toBe('v1');
      expect(e.actor).toBe('api');
      expect(e.inputs).toMatchObject({
        engagement_score: expect.any(Number),
        intent_score: expect.any(Number),
        health_score: expect.any(Number),
        human_clicks: expect.any(Number),
        condition_met_at: trigger.condition_met_at.toISOString(),
        scoring_version: expect.any(String),
        reason: expect.any(String),
      });
      expect(e.outcome).toMatchObject({ priority: trigger.priority, action: trigger.action, deadline: trigger.deadline?.toISOString() ?? null });
    }

    // queue_added / queue_updated: the priority formula's inputs and the score it gave
    for (const e of log.filter((x) => x.decision === 'queue_added' || x.decision === 'queue_updated')) {
      expect(e.rule).toBe('priority_score');
      expect(e.inputs).toMatchObject({
        engagement_score: expect.any(Number),
        intent_score: expect.any(Number),
        time_sensitivity: expect.any(Number),
        status_factor: 50,
        trigger: expect.any(String),
      });
      expect(e.outcome).toMatchObject({ priority_score: expect.any(Number), action_type: e.inputs.trigger });
    }
    const updated = log.find((e) => e.decision === 'queue_updated')!;
    expect(updated.outcome.previous_priority_score).toEqual(expect.any(Number));

    const [processed, processedNext] = log.filter((e) => e.decision === 'queue_processed');
    expect(processed).toMatchObject({ actor: 'user', rule: 'manual' });
    expect(processed.inputs).toMatchObject({ action_type: 'urgent_attention', note: 'called them' });
    expect(processed.outcome).toMatchObject({ status: 'processed' });
    expect(processed.outcome.triggers_closed).toEqual(['urgent_attention']);
    expect(processedNext.inputs).toMatchObject({ action_type: 'interview_preparation', note: 'prepared' });
    expect(processedNext.outcome.triggers_closed).toEqual(['interview_preparation']);

    const cancelled = log[log.length - 1];
    expect(cancelled).toMatchObject({ rule: 'terminal_status', inputs: { previous_status: 'applied', status: 'rejected' } });
    expect(cancelled.outcome).toMatchObject({ queue_item_cancelled: true });
  });

  it('a dismissed item and a full-run cancellation are logged too', async () => {
    const s = await calendlyScenario(t().app, weekdayNoonUtc());
    await processTriggers(t().app, s.id);
    expect((await api(t().app).post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'dismissed' })).status).toBe(200);
    const [dismissed] = await entries(`?application_id=${s.id}&limit=1`);
    expect(dismissed).toMatchObject({ decision: 'queue_dismissed', actor: 'user', outcome: { status: 'dismissed' } });

    // an application closed behind the API's back (e.g. a bulk SQL fix) loses its item at the next full run
    const h = await highEngagementScenario(t().app);
    await processTriggers(t().app, h.id);
    await db().query(`UPDATE job_applications SET status = 'ghosted' WHERE id = $1`, [h.id]);
    const run = await processTriggers(t().app);
    expect(run.queue.removed).toBeGreaterThanOrEqual(1);
    const [last] = await entries(`?application_id=${h.id}&limit=1`);
    expect(last).toMatchObject({ decision: 'queue_cancelled', rule: 'inactive_status', inputs: { status: 'ghosted' }, outcome: { status: 'cancelled' } });
  });

  it('GET /api/audit: newest first, filtered by application, limit within bounds', async () => {
    const a = await calendlyScenario(t().app, weekdayNoonUtc(), 1);
    const b = await highEngagementScenario(t().app);
    await processTriggers(t().app, a.id);
    await processTriggers(t().app, b.id);

    const all = await entries('?limit=500');
    const ids = all.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
    expect(all.map((e) => e.occurred_at)).toEqual([...all.map((e) => e.occurred_at)].sort().reverse());
    expect(all[0].application_id).toBe(b.id);

    const onlyA = await entries(`?application_id=${a.id}`);
    expect(onlyA.length).toBe(3); // two triggers, one queue item
    expect(onlyA.every((e) => e.application_id === a.id)).toBe(true);
    expect(await entries('?application_id=6f1c1e9e-4a8b-4c6e-9d0a-1b2c3d4e5f60')).toEqual([]);

    expect(await entries('?limit=2')).toEqual(all.slice(0, 2));
    expect((await entries('')).length).toBe(Math.min(50, all.length));
    // paging backwards
    expect(await entries(`?limit=2&before_id=${all[1].id}`)).toEqual(all.slice(2, 4));

    for (const q of ['?limit=0', '?limit=501', '?limit=abc', '?application_id=abc', '?application_id=1%27%20OR%201%3D1', '?foo=1']) {
      const res = await api(t().app).get(`/api/audit${q}`);
      expect(res.status, q).toBe(400);
      expect(res.json.error.code).toBe('invalid_input');
    }
    const unauthenticated = await t().app.inject({ method: 'GET', url: '/api/audit' });
    expect(unauthenticated.statusCode).toBe(401);
  });

  it('the audit log is append-only: UPDATE and DELETE fail, the rows stay as written', async () => {
    const before = await db().query<{ n: number; max: number }>('SELECT count(*)::int AS n, max(id)::int AS max FROM audit_log');
    expect(before.rows[0].n).toBeGreaterThan(0);
    await expect(db().query(`UPDATE audit_log SET rule = 'tampered'`)).rejects.toThrow(/append-only/);
    await expect(db().query('DELETE FROM audit_log WHERE id = $1', [before.rows[0].max])).rejects.toThrow(/append-only/);
    await expect(
      db().transaction(async (tx) => {
        await tx.query(`UPDATE audit_log SET outcome = '{}'::jsonb WHERE id = $1`, [before.rows[0].max]);
      }),
    ).rejects.toThrow(/append-only/);
    const after = await db().query<{ n: number; tampered: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE rule = 'tampered' OR outcome = '{}'::jsonb)::int AS tampered FROM audit_log`,
    );
    expect(after.rows[0]).toEqual({ n: before.rows[0].n, tampered: 0 });
    // deleting an application keeps its trail
    const s = await calendlyScenario(t().app, weekdayNoonUtc());
    await processTriggers(t().app, s.id);
    expect((await api(t().app).delete(`/api/applications/${s.id}`)).status).toBe(200);
    const trail = await entries(`?application_id=${s.id}`);
    expect(trail.length).toBe(3); // its two decisions, and the line that says it was erased
    expect(trail[0].decision).toBe('application_erased');
  });
});
