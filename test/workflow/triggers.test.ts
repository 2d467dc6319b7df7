/**
 * The seed's test_trigger_conditions, through the API: each of the four rules of SPEC §5 fires
 * under its condition and not otherwise, with its priority, action and a deadline counted from
 * the human click with which the condition first held; re-running moves nothing; a processed
 * rule fires again only on a newer human click; bot clicks never fire anything.
 */
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { api, click, useTestApp } from '../helpers/test-app.js';
import {
  BOT_UA,
  HOUR,
  MINUTE,
  calendlyScenario,
  createScenario,
  fridayLateUtc,
  highEngagementScenario,
  importClicks,
  iso,
  pendingRow,
  processTriggers,
  queueRows,
  triggerRows,
  weekdayNoonUtc,
} from '../helpers/workflow.js';

const firedTypes = (r: { triggers_fired: { type: string; application_id: string }[] }, id: string) =>
  r.triggers_fired.filter((f) => f.application_id === id).map((f) => f.type).sort();

describeEachEngine('trigger conditions (seed test_trigger_conditions)', (engine) => {
  const t = useTestApp(engine);
  const db = () => t().ctx.db;

  describe('high_engagement_followup', () => {
    it('fires at the click with which engagement reached 70: high, send_personalized_email, deadline that click + 24 h', async () => {
      const s = await highEngagementScenario(t().app);
      const r = await processTriggers(t().app, s.id);
      expect(r.triggers_fired).toEqual([
        {
          application_id: s.id,
          type: 'high_engagement_followup',
          priority: 'high',
          action: 'send_personalized_email',
          condition_met_at: iso(s.firesAt),
          deadline: iso(s.firesAt.getTime() + 24 * HOUR),
        },
      ]);
      const [row] = await triggerRows(db(), s.id);
      expect(row).toMatchObject({ trigger_type: 'high_engagement_followup', priority: 'high', status: 'open', rule_version: 'v1' });
      expect(row.condition_met_at.toISOString()).toBe(iso(s.firesAt));
      expect(row.deadline!.toISOString()).toBe(iso(s.firesAt.getTime() + 24 * HOUR));
      // the scores the rule saw, as of that click
      expect(row.inputs.engagement_score).toBeGreaterThanOrEqual(70);
      expect(row.inputs.human_clicks).toBe(6);
    });

    it('does not fire while engagement stays below 70 (the same clicks without the sixth)', async () => {
      const anchor = weekdayNoonUtc();
      const s = await createScenario(t().app, { applied_at: iso(anchor.getTime() - 72 * HOUR) }, ['resume', 'portfolio', 'github']);
      const order = ['resume', 'portfolio', 'github', 'resume', 'portfolio'];
      await importClicks(t().app, order.map((type, i) => ({ tracking_id: s.link[type], at: anchor.getTime() + i * 10 * MINUTE })));
      const r = await processTriggers(t().app, s.id);
      expect(r.triggers_fired).toEqual([]);
      expect(await triggerRows(db(), s.id)).toEqual([]);
      expect(await queueRows(db(), s.id)).toEqual([]);
      const a = (await api(t().app).get(`/api/analytics/applications/${s.id}`)).json;
      expect(a.engagement_score).toBeLessThan(70);
    });
  });

  describe('interview_preparation', () => {
    it('fires on a human Calendly click: high, prepare_interview_materials, deadline that click + 12 h', async () => {
      const at = weekdayNoonUtc();
      const s = await calendlyScenario(t().app, at);
      const r = await processTriggers(t().app, s.id);
      expect(r.triggers_fired).toEqual([
        {
          application_id: s.id,
          type: 'interview_preparation',
          priority: 'high',
          action: 'prepare_interview_materials',
          condition_met_at: iso(at),
          deadline: iso(at.getTime() + 12 * HOUR),
        },
      ]);
    });

    it('does not fire without a Calendly click', async () => {
      const at = weekdayNoonUtc();
      const s = await createScenario(t().app, { applied_at: iso(at.getTime() - 72 * HOUR) }, ['resume', 'calendly', 'linkedin']);
      await importClicks(t().app, [
        { tracking_id: s.link.resume, at },
        { tracking_id: s.link.linkedin, at: at.getTime() + 5 * MINUTE },
      ]);
      expect((await processTriggers(t().app, s.id)).triggers_fired).toEqual([]);
    });
  });

  describe('urgent_attention', () => {
    it('fires when the first human click came under 2 h after applying: critical, flag_for_review, deadline that click + 4 h', async () => {
      const at = weekdayNoonUtc();
      const s = await createScenario(t().app, { applied_at: iso(at.getTime() - (2 * HOUR - MINUTE)) }); // 1 h 59 min
      await importClicks(t().app, [
        { tracking_id: s.link.resume, at },
        { tracking_id: s.link.resume, at: at.getTime() + 3 * HOUR },
      ]);
      const r = await processTriggers(t().app, s.id);
      expect(r.triggers_fired).toEqual([
        {
          application_id: s.id,
          type: 'urgent_attention',
          priority: 'critical',
          action: 'flag_for_review',
          condition_met_at: iso(at),
          deadline: iso(at.getTime() + 4 * HOUR),
        },
      ]);
    });

    it('does not fire at exactly 2 h, or later', async () => {
      const at = weekdayNoonUtc();
      for (const hoursBefore of [2, 3, 30]) {
        const s = await createScenario(t().app, { applied_at: iso(at.getTime() - hoursBefore * HOUR) });
        await importClicks(t().app, [{ tracking_id: s.link.resume, at }]);
        expect((await processTriggers(t().app, s.id)).triggers_fired, `${hoursBefore} h`).toEqual([]);
      }
    });

    it('judges the first human click: a bot opening the link at once does not count', async () => {
      const at = weekdayNoonUtc();
      const s = await createScenario(t().app, { applied_at: iso(at.getTime() - 30 * MINUTE) });
      await importClicks(t().app, [
        { tracking_id: s.link.resume, at, ua: BOT_UA },
        { tracking_id: s.link.resume, at: at.getTime() + 3 * HOUR },
      ]);
      expect((await processTriggers(t().app, s.id)).triggers_fired).toEqual([]);
    });
  });

  describe('weekend_interest', () => {
    it('fires on a human click on a Saturday in the application zone: low, note_personal_interest, no deadline', async () => {
      const at = fridayLateUtc(); // Saturday morning in Tokyo, Friday evening in UTC and New York
      const tokyo = await createScenario(t().app, { applied_at: iso(at.getTime() - 72 * HOUR), timezone: 'Asia/Tokyo' });
      await importClicks(t().app, [{ tracking_id: tokyo.link.resume, at }]);
      const r = await processTriggers(t().app, tokyo.id);
      expect(r.triggers_fired).toEqual([
        {
          application_id: tokyo.id,
          type: 'weekend_interest',
          priority: 'low',
          action: 'note_personal_interest',
          condition_met_at: iso(at),
          deadline: null,
        },
      ]);
      for (const timezone of ['UTC', 'America/New_York']) {
        const s = await createScenario(t().app, { applied_at: iso(at.getTime() - 72 * HOUR), timezone });
        await importClicks(t().app, [{ tracking_id: s.link.resume, at }]);
        expect((await processTriggers(t().app, s.id)).triggers_fired, timezone).toEqual([]);
      }
    });
  });

  it('applications that are not active (draft, closed) fire nothing', async () => {
    const at = weekdayNoonUtc();
    for (const status of ['draft', 'rejected', 'ghosted']) {
      const s = await calendlyScenario(t().app, at, 1, { status });
      const r = await processTriggers(t().app, s.id);
      expect(r.evaluated).toBe(1);
      expect(r.triggers_fired, status).toEqual([]);
      expect(await queueRows(db(), s.id)).toEqual([]);
    }
  });

  it('re-running fires nothing new and never moves a deadline, even after later clicks', async () => {
    const at = weekdayNoonUtc();
    const s = await calendlyScenario(t().app, at, 1); // urgent_attention and interview_preparation
    const first = await processTriggers(t().app, s.id);
    expect(firedTypes(first, s.id)).toEqual(['interview_preparation', 'urgent_attention']);
    const before = await triggerRows(db(), s.id);

    expect((await processTriggers(t().app, s.id)).triggers_fired).toEqual([]);
    // more Calendly clicks later: the condition first held at the first one, so nothing moves
    await importClicks(t().app, [
      { tracking_id: s.link.calendly, at: at.getTime() + 2 * HOUR },
      { tracking_id: s.link.resume, at: at.getTime() + 3 * HOUR },
    ]);
    expect((await processTriggers(t().app, s.id)).triggers_fired).toEqual([]);
    const full = await processTriggers(t().app);
    expect(full.triggers_fired.filter((f) => f.application_id === s.id)).toEqual([]);
    const again = await processTriggers(t().app);
    expect(again.triggers_fired).toEqual([]);

    const after = await triggerRows(db(), s.id);
    expect(after.map((r) => [r.id, r.trigger_type, r.deadline?.toISOString(), r.condition_met_at.toISOString()])).toEqual(
      before.map((r) => [r.id, r.trigger_type, r.deadline?.toISOString(), r.condition_met_at.toISOString()]),
    );
    const pending = await pendingRow(db(), s.id);
    expect(pending!.deadline!.toISOString()).toBe(iso(at.getTime() + 4 * HOUR));
  });

  it('after its item is processed, a rule fires again only on a human click later than processed_at', async () => {
    const at = weekdayNoonUtc();
    const s = await calendlyScenario(t().app, at, 1);
    expect(firedTypes(await processTriggers(t().app, s.id), s.id)).toEqual(['interview_preparation', 'urgent_attention']);
    // each item closes its own trigger: urgent_attention first, then interview_preparation (which took the queue)
    const first = await api(t().app).post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'done' });
    expect(first.json.triggers_closed).toEqual(['urgent_attention']);
    const done = await api(t().app).post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'done' });
    expect(done.status, done.body).toBe(200);
    expect(done.json.triggers_closed).toEqual(['interview_preparation']);
    const processedAt = Date.parse(done.json.processed_at);
    expect((await triggerRows(db(), s.id)).every((r) => r.status === 'processed')).toBe(true);

    // an old Calendly click (before processed_at), imported late: nothing fires
    await importClicks(t().app, [{ tracking_id: s.link.calendly, at: at.getTime() + 30 * MINUTE }]);
    const old = await processTriggers(t().app, s.id);
    expect(old.triggers_fired).toEqual([]);
    expect(await pendingRow(db(), s.id)).toBeUndefined();

    // a new human Calendly click: interview_preparation fires again from that click; urgent_attention
    // (about the first click, which happens once) does not
    await new Promise((r) => setTimeout(r, 20));
    const newClick = new Date();
    expect(newClick.getTime()).toBeGreaterThan(processedAt);
    await importClicks(t().app, [{ tracking_id: s.link.calendly, at: newClick }]);
    const fresh = await processTriggers(t().app, s.id);
    const refired = fresh.triggers_fired.filter((f) => f.application_id === s.id && f.type !== 'weekend_interest');
    expect(refired).toEqual([
      {
        application_id: s.id,
        type: 'interview_preparation',
        priority: 'high',
        action: 'prepare_interview_materials',
        condition_met_at: iso(newClick),
        deadline: iso(newClick.getTime() + 12 * HOUR),
      },
    ]);
    const rows = (await triggerRows(db(), s.id)).filter((r) => r.trigger_type === 'interview_preparation');
    expect(rows.map((r) => r.status)).toEqual(['processed', 'open']);
    const pending = await pendingRow(db(), s.id);
    expect(pending).toMatchObject({ action_type: 'interview_preparation' });
    expect(pending!.deadline!.toISOString()).toBe(iso(newClick.getTime() + 12 * HOUR));
    expect((await queueRows(db(), s.id)).map((r) => r.status)).toEqual(['processed', 'processed', 'pending']);
  });

  it('high engagement fires again after processing only with a newer human click', async () => {
    const s = await highEngagementScenario(t().app);
    await processTriggers(t().app, s.id);
    expect((await api(t().app).post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'dismissed' })).status).toBe(200);
    await importClicks(t().app, [{ tracking_id: s.link.resume, at: s.firesAt.getTime() + 5 * MINUTE }]);
    expect((await processTriggers(t().app, s.id)).triggers_fired).toEqual([]);
    await new Promise((r) => setTimeout(r, 20));
    const newClick = new Date();
    await importClicks(t().app, [{ tracking_id: s.link.portfolio, at: newClick }]);
    const r = await processTriggers(t().app, s.id);
    const fired = r.triggers_fired.find((f) => f.type === 'high_engagement_followup');
    expect(fired).toMatchObject({ condition_met_at: iso(newClick), deadline: iso(newClick.getTime() + 24 * HOUR) });
  });

  it('bot clicks (bot user agent, HEAD, scanner burst) never fire anything', async () => {
    // Applied just now: a human click on the booking page would fire urgent_attention and interview_preparation.
    const s = await createScenario(t().app, {}, ['calendly', 'resume', 'portfolio']);
    const now = Date.now();
    await importClicks(t().app, [
      { tracking_id: s.link.calendly, at: now, ua: BOT_UA },
      // a scanner opens all three links within a second, with a browser user agent
      { tracking_id: s.link.resume, at: now - 10_000, ip: '192.0.2.1' },
      { tracking_id: s.link.calendly, at: now - 9_700, ip: '192.0.2.2' },
      { tracking_id: s.link.portfolio, at: now - 9_200, ip: '192.0.2.3' },
    ]);
    expect((await click(t().app, s.link.calendly, { method: 'HEAD' })).statusCode).toBe(302);
    const r = await processTriggers(t().app, s.id);
    expect(r.triggers_fired).toEqual([]);
    expect(await triggerRows(db(), s.id)).toEqual([]);
    expect(await queueRows(db(), s.id)).toEqual([]);
    const a = (await api(t().app).get(`/api/analytics/applications/${s.id}`)).json;
    expect(a).toMatchObject({ human_clicks: 0, bot_clicks: 5, engagement_score: 0, intent_score: 0 });
  });

  describe('POST /api/analytics/process-triggers', () => {
    it('full run: {evaluated, triggers_fired, queue:{added, updated, removed}, duration_ms}, evaluating every active application', async () => {
      const s = await calendlyScenario(t().app, weekdayNoonUtc());
      const r = await processTriggers(t().app);
      const active = (
        await db().query<{ n: number }>(
          `SELECT count(*)::int AS n FROM job_applications WHERE status IN ('applied','screening','interviewing','offer')`,
        )
      ).rows[0].n;
      expect(Object.keys(r).sort()).toEqual(['duration_ms', 'evaluated', 'queue', 'triggers_fired']);
      expect(r.evaluated).toBe(active);
      expect(Object.keys(r.queue).sort()).toEqual(['added', 'removed', 'updated']);
      expect(Number.isInteger(r.duration_ms) && r.duration_ms >= 0).toBe(true);
      expect(firedTypes(r, s.id)).toEqual(['interview_preparation']);
      expect(r.queue.added).toBeGreaterThanOrEqual(1);
      for (const f of r.triggers_fired) {
        expect(Object.keys(f).sort()).toEqual(['action', 'application_id', 'condition_met_at', 'deadline', 'priority', 'type']);
      }
    });

    it('with {application_id}: evaluates that application alone', async () => {
      const s = await calendlyScenario(t().app, weekdayNoonUtc());
      const other = await calendlyScenario(t().app, weekdayNoonUtc());
      const r = await processTriggers(t().app, s.id);
      expect(r.evaluated).toBe(1);
      expect(r.queue).toEqual({ added: 1, updated: 0, removed: 0 });
      expect(r.triggers_fired.map((f) => f.application_id)).toEqual([s.id]);
      expect(await triggerRows(db(), other.id)).toEqual([]);
    });

    it('404 for an unknown application; 400 for a malformed id or an unknown field; nothing changes', async () => {
      const before = (await db().query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0].n;
      const unknown = await api(t().app).post('/api/analytics/process-triggers', { application_id: '6f1c1e9e-4a8b-4c6e-9d0a-1b2c3d4e5f60' });
      expect(unknown.status).toBe(404);
      expect(unknown.json.error.code).toBe('not_found');
      for (const body of [{ application_id: 'abc' }, { application_id: 42 }, { foo: 1 }, { application_id: null }]) {
        const res = await api(t().app).post('/api/analytics/process-triggers', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.json.error.code).toBe('invalid_input');
      }
      expect((await db().query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0].n).toBe(before);
    });
  });
});
