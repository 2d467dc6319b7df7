/**
 * The priority queue through the API (SPEC §5; seed tests test_high_engagement_triggers_priority,
 * test_priority_score_calculation, test_queue_ordering): what goes in, its score, its order, its
 * shape, one pending row per application, marking processed, cancelling on a terminal status,
 * and the stats route.
 */
import { describe, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/databases.js';
import { api, useTestApp } from '../helpers/test-app.js';
import {
  DAY,
  HOUR,
  MINUTE,
  analyticsRow,
  calendlyScenario,
  createScenario,
  fridayLateUtc,
  highEngagementScenario,
  importClicks,
  iso,
  pendingRow,
  processTriggers,
  queueRows,
  saturdayNoonUtc,
  triggerRows,
  weekdayNoonUtc,
} from '../helpers/workflow.js';

const STATUS_FACTOR: Record<string, number> = { offer: 100, interviewing: 90, screening: 70, applied: 50 };

/** SPEC §5 by hand: round(0.4·e + 0.4·i + 0.1·ts + 0.1·sf), ts from the deadline as seen at `at`. */
function handPriority(e: number, i: number, deadline: Date | null, status: string, at: Date) {
  let ts = 0;
  if (deadline) {
    const hoursAway = (deadline.getTime() - at.getTime()) / HOUR;
    ts = hoursAway <= 0 ? 100 : Math.max(0, 100 * (1 - hoursAway / 72));
  }
  return { score: Math.round(0.4 * e + 0.4 * i + 0.1 * ts + 0.1 * STATUS_FACTOR[status]), ts };
}

const ITEM_KEYS = [
  'application_id',
  'priority_score',
  'priority',
  'job_title',
  'company',
  'status',
  'engagement_score',
  'intent_score',
  'predicted_outcome',
  'action_type',
  'action',
  'deadline',
  'recommended_action',
];

describeEachEngine('priority queue', (engine) => {
  const t = useTestApp(engine);
  const db = () => t().ctx.db;
  const queue = async (query = '') => {
    const res = await api(t().app).get(`/api/analytics/priority-queue${query}`);
    expect(res.status, res.body).toBe(200);
    return res.json as { priority_queue: Record<string, any>[]; total_pending: number };
  };

  it('high engagement adds the application to the queue (seed test_high_engagement_triggers_priority)', async () => {
    const s = await highEngagementScenario(t().app, weekdayNoonUtc(), { company: 'Globex', job_title: 'Platform Lead' });
    expect(await queueRows(db(), s.id)).toEqual([]);
    const r = await processTriggers(t().app, s.id);
    expect(r.queue).toEqual({ added: 1, updated: 0, removed: 0 });
    const row = await pendingRow(db(), s.id);
    expect(row).toMatchObject({ action_type: 'high_engagement_followup', status: 'pending' });
    expect(row!.deadline!.toISOString()).toBe(iso(s.firesAt.getTime() + 24 * HOUR));
    const item = (await queue('?limit=100')).priority_queue.find((x) => x.application_id === s.id);
    expect(item).toMatchObject({
      company: 'Globex',
      job_title: 'Platform Lead',
      action_type: 'high_engagement_followup',
      action: 'send_personalized_email',
      priority: 'high',
      deadline: iso(s.firesAt.getTime() + 24 * HOUR),
    });
    expect(item!.recommended_action).toMatch(/follow-up/i);
    expect(item!.recommended_action).toContain('Globex');
  });

  describe('priority score (seed test_priority_score_calculation)', () => {
    it('stored score = round(0.4·engagement + 0.4·intent + 0.1·time sensitivity + 0.1·status factor), for each status', async () => {
      const cases: { status: string; at: Date }[] = [
        { status: 'applied', at: weekdayNoonUtc(30) }, // deadline passed: time sensitivity 100
        { status: 'screening', at: new Date(Date.now() - HOUR) }, // deadline 11 h away
        { status: 'interviewing', at: new Date(Date.now() - 10 * MINUTE) },
        { status: 'offer', at: new Date(Date.now() - 2 * HOUR) },
      ];
      for (const c of cases) {
        const s = await calendlyScenario(t().app, c.at, 72, { status: c.status });
        await processTriggers(t().app, s.id);
        const row = (await pendingRow(db(), s.id))!;
        const an = await analyticsRow(db(), s.id);
        expect(row.engagement_score).toBe(an.engagement_score);
        expect(row.intent_score).toBe(an.intent_score);
        expect(row.predicted_outcome).toBe(an.predicted_outcome);
        expect(row.deadline!.toISOString()).toBe(iso(c.at.getTime() + 12 * HOUR));
        // the evaluation's `now` is the read model's computed_at
        const hand = handPriority(an.engagement_score, an.intent_score, row.deadline, c.status, an.computed_at);
        expect(row.priority_score, c.status).toBe(hand.score);
        if (c.status === 'applied') expect(hand.ts).toBe(100);
        else expect(hand.ts).toBeGreaterThan(0);
        // the audit trail shows the same parts
        const audit = (
          await db().query<{ inputs: Record<string, any>; outcome: Record<string, any> }>(
            `SELECT inputs, outcome FROM audit_log WHERE application_id = $1 AND decision = 'queue_added'`,
            [s.id],
          )
        ).rows[0];
        expect(audit.inputs).toMatchObject({ engagement_score: an.engagement_score, intent_score: an.intent_score, status: c.status, status_factor: STATUS_FACTOR[c.status] });
        expect(audit.inputs.time_sensitivity).toBeCloseTo(hand.ts, 1);
        expect(audit.outcome.priority_score).toBe(row.priority_score);
      }
    });

    it('without a deadline (weekend interest only) time sensitivity is 0', async () => {
      const at = saturdayNoonUtc(1);
      const s = await createScenario(t().app, { applied_at: iso(at.getTime() - 3 * DAY), status: 'screening' });
      await importClicks(t().app, [{ tracking_id: s.link.resume, at }]);
      await processTriggers(t().app, s.id);
      const row = (await pendingRow(db(), s.id))!;
      expect(row).toMatchObject({ action_type: 'weekend_interest', deadline: null });
      const an = await analyticsRow(db(), s.id);
      expect(row.priority_score).toBe(handPriority(an.engagement_score, an.intent_score, null, 'screening', an.computed_at).score);
    });
  });

  it('queue order: priority_score DESC, deadline ASC, no deadline last, then oldest first (seed test_queue_ordering)', async () => {
    await db().query('DELETE FROM application_priority_queue');
    const base = Date.now();
    const apps: Record<string, string> = {};
    for (const name of ['A', 'B', 'C', 'D', 'E', 'F', 'G']) apps[name] = (await createScenario(t().app, { company: `Order ${name}` })).id;
    const rows: [string, number, number | null, number][] = [
      // app, priority_score, deadline (h from now) or null, created (h ago)
      ['A', 90, null, 1],
      ['B', 90, 2, 1],
      ['C', 90, 1, 1],
      ['D', 95, null, 1],
      ['E', 80, -5, 1],
      ['F', 90, null, 3], // older than A: before it
      ['G', 90, 1, 0.5], // same score and deadline as C, newer: after it
    ];
    for (const [name, score, deadlineH, createdH] of rows) {
      await db().query(
        `INSERT INTO application_priority_queue (application_id, priority_score, engagement_score, intent_score, predicted_outcome,
                action_type, deadline, status, created_at)
         VALUES ($1, $2, 50, 50, 'in_review', 'high_engagement_followup', $3::timestamptz AT TIME ZONE 'UTC', 'pending',
                 $4::timestamptz AT TIME ZONE 'UTC')`,
        [apps[name], score, deadlineH === null ? null : iso(base + deadlineH * HOUR), iso(base - createdH * HOUR)],
      );
    }
    // a processed and a cancelled row never show
    await db().query(
      `INSERT INTO application_priority_queue (application_id, priority_score, action_type, status) VALUES ($1, 100, 'urgent_attention', 'processed'),
              ($1, 100, 'urgent_attention', 'cancelled')`,
      [apps.A],
    );
    const q = await queue('?limit=100');
    expect(q.priority_queue.map((x) => x.company)).toEqual(['Order D', 'Order C', 'Order G', 'Order B', 'Order F', 'Order A', 'Order E']);
    expect(q.total_pending).toBe(7);
    expect(q.priority_queue.map((x) => x.deadline)).toEqual([
      null,
      iso(base + HOUR),
      iso(base + HOUR),
      iso(base + 2 * HOUR),
      null,
      null,
      iso(base - 5 * HOUR),
    ]);
    // limit keeps the head of that order; default is 10
    expect((await queue('?limit=3')).priority_queue.map((x) => x.company)).toEqual(['Order D', 'Order C', 'Order G']);
    expect((await queue()).priority_queue).toHaveLength(7);
  });

  it('limit must be 1–100; priority filters by the priority of the item action', async () => {
    for (const bad of ['0', '101', 'abc', '-1', '1.5']) {
      const res = await api(t().app).get(`/api/analytics/priority-queue?limit=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.json.error.code).toBe('invalid_input');
    }
    expect((await api(t().app).get('/api/analytics/priority-queue?priority=urgent')).status).toBe(400);
    expect((await api(t().app).get('/api/analytics/priority-queue?sort=asc')).status).toBe(400);

    await db().query('DELETE FROM application_priority_queue');
    const now = Date.now();
    const urgent = await createScenario(t().app, { applied_at: iso(now - HOUR) });
    await importClicks(t().app, [{ tracking_id: urgent.link.resume, at: now - 30 * MINUTE }]);
    const calendly = await calendlyScenario(t().app, weekdayNoonUtc());
    const weekend = await createScenario(t().app, { applied_at: iso(fridayLateUtc().getTime() - 3 * DAY), timezone: 'Asia/Tokyo' });
    await importClicks(t().app, [{ tracking_id: weekend.link.resume, at: fridayLateUtc() }]);
    for (const s of [urgent, calendly, weekend]) await processTriggers(t().app, s.id);

    const all = await queue('?limit=100');
    expect(all.total_pending).toBe(3);
    const critical = await queue('?priority=critical');
    expect(critical.priority_queue.map((x) => x.application_id)).toEqual([urgent.id]);
    expect(critical.total_pending).toBe(1);
    const high = await queue('?priority=high');
    expect(high.priority_queue.map((x) => [x.application_id, x.priority])).toEqual([[calendly.id, 'high']]);
    const low = await queue('?priority=low&limit=5');
    expect(low.priority_queue.map((x) => [x.application_id, x.action_type, x.deadline])).toEqual([[weekend.id, 'weekend_interest', null]]);
    expect((await queue('?limit=1')).priority_queue).toHaveLength(1);
  });

  it('every item has the SPEC §5 shape with a recommended_action sentence a person can act on', async () => {
    const q = await queue('?limit=100');
    expect(q.priority_queue.length).toBeGreaterThanOrEqual(3);
    for (const item of q.priority_queue) {
      for (const key of ITEM_KEYS) expect(item, key).toHaveProperty(key);
      expect(Number.isInteger(item.priority_score)).toBe(true);
      expect(['critical', 'high', 'medium', 'low']).toContain(item.priority);
      expect(['interview_likely', 'in_review', 'stalled', 'unlikely']).toContain(item.predicted_outcome);
      expect(item.deadline === null || !Number.isNaN(Date.parse(item.deadline))).toBe(true);
      expect(typeof item.recommended_action).toBe('string');
      expect(item.recommended_action.length).toBeGreaterThan(30);
      expect(item.recommended_action).toMatch(/^[A-Z].*[.!]$/s);
      expect(item.recommended_action).toContain(item.company);
    }
  });

  it('one pending row per application, however often it is evaluated', async () => {
    const at = weekdayNoonUtc();
    const s = await calendlyScenario(t().app, at, 1);
    for (let i = 0; i < 4; i++) await processTriggers(t().app, s.id);
    await importClicks(t().app, [{ tracking_id: s.link.resume, at: at.getTime() + HOUR }]);
    await processTriggers(t().app, s.id);
    await processTriggers(t().app);
    const rows = await queueRows(db(), s.id);
    expect(rows.map((r) => r.status)).toEqual(['pending']);
    // the database itself refuses a second pending row
    await expect(
      db().query(`INSERT INTO application_priority_queue (application_id, priority_score, status) VALUES ($1, 10, 'pending')`, [s.id]),
    ).rejects.toThrow();
  });

  it('the row carries the most urgent open trigger: critical before high before low, then the earliest deadline', async () => {
    // urgent_attention (critical, +4 h) and interview_preparation (high, +12 h): critical wins
    const at = weekdayNoonUtc();
    const both = await calendlyScenario(t().app, at, 1);
    await processTriggers(t().app, both.id);
    expect(await pendingRow(db(), both.id)).toMatchObject({ action_type: 'urgent_attention' });
    expect((await pendingRow(db(), both.id))!.deadline!.toISOString()).toBe(iso(at.getTime() + 4 * HOUR));

    // two high triggers: high_engagement_followup (+24 h from click 6) before a Calendly click 20 h later (+12 h)
    const s = await highEngagementScenario(t().app, weekdayNoonUtc(60));
    await api(t().app).post(`/api/applications/${s.id}/links`, { link_type: 'calendly', target_url: 'https://example.com/book' });
    const links = (await api(t().app).get(`/api/applications/${s.id}/links`)).json.links as { tracking_id: string; link_type: string }[];
    const calendly = links.find((l) => l.link_type === 'calendly')!.tracking_id;
    await importClicks(t().app, [{ tracking_id: calendly, at: s.firesAt.getTime() + 20 * HOUR }]);
    await processTriggers(t().app, s.id);
    // (a Calendly click the next morning may also be a weekend click: that low trigger cannot matter here)
    const types = (await triggerRows(db(), s.id)).map((r) => r.trigger_type).filter((x) => x !== 'weekend_interest').sort();
    expect(types).toEqual(['high_engagement_followup', 'interview_preparation']);
    const row = (await pendingRow(db(), s.id))!;
    expect(row.action_type).toBe('high_engagement_followup');
    expect(row.deadline!.toISOString()).toBe(iso(s.firesAt.getTime() + 24 * HOUR));

    // a low trigger never outranks a high one, even without a deadline to compare
    const sat = saturdayNoonUtc(30);
    const w = await calendlyScenario(t().app, sat, 72, { timezone: 'UTC' });
    await processTriggers(t().app, w.id);
    expect((await triggerRows(db(), w.id)).map((r) => r.trigger_type).sort()).toEqual(['interview_preparation', 'weekend_interest']);
    expect(await pendingRow(db(), w.id)).toMatchObject({ action_type: 'interview_preparation' });
  });

  it('workflow suggestions list every open trigger with a sentence to act on, the reason, and the queue item', async () => {
    const at = weekdayNoonUtc();
    const s = await calendlyScenario(t().app, at, 1, { company: 'Hooli', contact_name: 'Gavin' });
    await processTriggers(t().app, s.id);
    const res = await api(t().app).get(`/api/analytics/workflow-suggestions/${s.id}`);
    expect(res.status, res.body).toBe(200);
    expect(res.json.application).toMatchObject({ id: s.id, company: 'Hooli' });
    expect(res.json.scores.intent_score).toBeGreaterThanOrEqual(80);
    const fromTriggers = (res.json.suggestions as Record<string, any>[]).filter((x) => x.source !== 'advice');
    expect(fromTriggers.map((x) => [x.type, x.priority, x.action, x.deadline]).sort()).toEqual([
      ['interview_preparation', 'high', 'prepare_interview_materials', iso(at.getTime() + 12 * HOUR)],
      ['urgent_attention', 'critical', 'flag_for_review', iso(at.getTime() + 4 * HOUR)],
    ]);
    for (const x of fromTriggers) {
      expect(x.recommended_action).toMatch(/^[A-Z].{30,}[.!]$/s);
      expect(x.recommended_action).toContain('Hooli');
      expect(x.reason.length).toBeGreaterThan(10);
    }
    expect(res.json.queue_item).toMatchObject({ application_id: s.id, action_type: 'urgent_attention', priority: 'critical' });

    // Processing the item closes the trigger it carries, and only that one (SPEC §5).
    expect((await api(t().app).post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'done' })).status).toBe(200);
    const after = (await api(t().app).get(`/api/analytics/workflow-suggestions/${s.id}`)).json;
    expect(after.suggestions.filter((x: { source?: string }) => x.source !== 'advice').map((x: { type: string }) => x.type)).toEqual(['interview_preparation']);
    expect(after.queue_item).toMatchObject({ action_type: 'interview_preparation', deadline: iso(at.getTime() + 12 * HOUR) });
    expect((await api(t().app).post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'done' })).status).toBe(200);
    const last = (await api(t().app).get(`/api/analytics/workflow-suggestions/${s.id}`)).json;
    expect(last.suggestions.filter((x: { source?: string }) => x.source !== 'advice')).toEqual([]);
    expect(last.queue_item).toBeNull();
    expect((await api(t().app).get('/api/analytics/workflow-suggestions/6f1c1e9e-4a8b-4c6e-9d0a-1b2c3d4e5f60')).status).toBe(404);
    expect((await api(t().app).get('/api/analytics/workflow-suggestions/nope')).status).toBe(400);
  });

  describe('mark processed', () => {
    it('done or dismissed: 200, the row leaves the queue with its status and processed_at; a second time 404', async () => {
      for (const outcome of ['done', 'dismissed'] as const) {
        const s = await calendlyScenario(t().app, weekdayNoonUtc());
        await processTriggers(t().app, s.id);
        const before = Date.now();
        const res = await api(t().app).post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome, note: 'Emailed the recruiter' });
        expect(res.status, res.body).toBe(200);
        const status = outcome === 'done' ? 'processed' : 'dismissed';
        expect(res.json).toMatchObject({ application_id: s.id, status, action_type: 'interview_preparation', triggers_closed: ['interview_preparation'] });
        const rows = await queueRows(db(), s.id);
        expect(rows).toHaveLength(1);
        expect(rows[0].status).toBe(status);
        expect(Math.abs(rows[0].processed_at!.getTime() - before)).toBeLessThan(60_000);
        expect((await triggerRows(db(), s.id)).map((r) => r.status)).toEqual([status]);
        expect((await queue('?limit=100')).priority_queue.some((x) => x.application_id === s.id)).toBe(false);

        const again = await api(t().app).post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome });
        expect(again.status).toBe(404);
        expect(again.json.error.code).toBe('not_found');
      }
    });

    it('closes only the trigger the item carries; the next open trigger becomes the pending row at once, with its own deadline', async () => {
      const at = weekdayNoonUtc();
      const s = await calendlyScenario(t().app, at, 1); // applied 1 h before a Calendly click: urgent_attention and interview_preparation
      await processTriggers(t().app, s.id);
      expect((await pendingRow(db(), s.id))?.action_type).toBe('urgent_attention');

      const res = await api(t().app).post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'done' });
      expect(res.status, res.body).toBe(200);
      expect(res.json).toMatchObject({ action_type: 'urgent_attention', triggers_closed: ['urgent_attention'] });
      expect(res.json.next_item).toMatchObject({
        application_id: s.id,
        action_type: 'interview_preparation',
        action: 'prepare_interview_materials',
        priority: 'high',
        deadline: iso(at.getTime() + 12 * HOUR),
      });
      const open = (await triggerRows(db(), s.id)).filter((r) => r.status === 'open').map((r) => r.trigger_type);
      expect(open).toContain('interview_preparation');
      expect(open).not.toContain('urgent_attention');
      const pending = await pendingRow(db(), s.id);
      expect(pending).toMatchObject({ action_type: 'interview_preparation' });
      expect(pending!.deadline!.toISOString()).toBe(iso(at.getTime() + 12 * HOUR));
      expect((await queue('?limit=100')).priority_queue.find((x) => x.application_id === s.id)?.action_type).toBe('interview_preparation');

      // running the triggers again neither brings urgent_attention back nor moves the deadline
      await processTriggers(t().app, s.id);
      expect((await pendingRow(db(), s.id))?.action_type).toBe('interview_preparation');
      expect((await triggerRows(db(), s.id)).filter((r) => r.trigger_type === 'urgent_attention').map((r) => r.status)).toEqual(['processed']);

      const dismissed = await api(t().app).post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'dismissed' });
      expect(dismissed.json).toMatchObject({ action_type: 'interview_preparation', triggers_closed: ['interview_preparation'] });
      const audit = (await api(t().app).get(`/api/audit?application_id=${s.id}`)).json.entries as { decision: string; outcome: { triggers_closed?: string[] } }[];
      expect(audit.filter((e) => e.decision === 'queue_processed').map((e) => e.outcome.triggers_closed)).toEqual([['urgent_attention']]);
    });

    it('unknown application 404; bad outcome or unknown field 400 and nothing changes', async () => {
      const unknown = await api(t().app).post('/api/analytics/priority-queue/6f1c1e9e-4a8b-4c6e-9d0a-1b2c3d4e5f60/processed', { outcome: 'done' });
      expect(unknown.status).toBe(404);
      expect((await api(t().app).post('/api/analytics/priority-queue/nope/processed', { outcome: 'done' })).status).toBe(400); // malformed id (SPEC §6)
      const s = await calendlyScenario(t().app, weekdayNoonUtc());
      await processTriggers(t().app, s.id);
      for (const body of [{ outcome: 'finished' }, {}, { outcome: 'done', status: 'processed' }, { outcome: 'done', note: 'a\u0000b' }]) {
        const res = await api(t().app).post(`/api/analytics/priority-queue/${s.id}/processed`, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.json.error.code).toBe('invalid_input');
      }
      expect(await pendingRow(db(), s.id)).toBeDefined();
    });
  });

  it('a terminal status via PATCH cancels the pending row at once and closes its open triggers; it does not come back', async () => {
    for (const status of ['rejected', 'withdrawn', 'accepted', 'ghosted']) {
      const s = await calendlyScenario(t().app, weekdayNoonUtc(), 1);
      await processTriggers(t().app, s.id);
      expect(await pendingRow(db(), s.id)).toBeDefined();
      const res = await api(t().app).patch(`/api/applications/${s.id}`, { status });
      expect(res.status, res.body).toBe(200);
      // no worker runs in this app: the cancellation happened in the PATCH itself
      expect((await queueRows(db(), s.id)).map((r) => r.status)).toEqual(['cancelled']);
      expect((await triggerRows(db(), s.id)).map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
      await processTriggers(t().app, s.id);
      await processTriggers(t().app);
      expect((await queueRows(db(), s.id)).map((r) => r.status), status).toEqual(['cancelled']);
    }
    // a non-terminal change keeps the item
    const s = await calendlyScenario(t().app, weekdayNoonUtc());
    await processTriggers(t().app, s.id);
    await api(t().app).patch(`/api/applications/${s.id}`, { status: 'interviewing' });
    expect(await pendingRow(db(), s.id)).toBeDefined();
  });

  it('stats: total_in_queue, high_priority, overdue_actions, avg_processing_time_seconds for a known queue', async () => {
    await db().query('DELETE FROM application_priority_queue');
    const now = Date.now();
    // overdue: a Calendly click two days ago (deadline +12 h has passed); high
    const overdue = await calendlyScenario(t().app, weekdayNoonUtc(30));
    // critical, due in 3.5 h
    const urgent = await createScenario(t().app, { applied_at: iso(now - HOUR) });
    await importClicks(t().app, [{ tracking_id: urgent.link.resume, at: now - 30 * MINUTE }]);
    // low, no deadline
    const weekend = await createScenario(t().app, { applied_at: iso(saturdayNoonUtc(30).getTime() - 3 * DAY) });
    await importClicks(t().app, [{ tracking_id: weekend.link.resume, at: saturdayNoonUtc(30) }]);
    // two processed items that waited 1 h and 2 h
    const p1 = await calendlyScenario(t().app, weekdayNoonUtc());
    const p2 = await calendlyScenario(t().app, weekdayNoonUtc());
    for (const s of [overdue, urgent, weekend, p1, p2]) await processTriggers(t().app, s.id);
    for (const [s, hours] of [[p1, 1], [p2, 2]] as const) {
      await db().query(`UPDATE application_priority_queue SET created_at = created_at - make_interval(hours => $2) WHERE application_id = $1`, [s.id, hours]);
      expect((await api(t().app).post(`/api/analytics/priority-queue/${s.id}/processed`, { outcome: 'done' })).status).toBe(200);
    }
    const res = await api(t().app).get('/api/analytics/stats');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ total_in_queue: 3, high_priority: 2, overdue_actions: 1 });
    expect(res.json.avg_processing_time_seconds).toBeGreaterThanOrEqual(5400 - 5);
    expect(res.json.avg_processing_time_seconds).toBeLessThanOrEqual(5400 + 5);
    const q = await queue('?limit=100');
    expect(q.total_pending).toBe(res.json.total_in_queue);
    expect(q.priority_queue.find((x) => x.application_id === overdue.id)!.deadline < new Date().toISOString()).toBe(true);
  });
});
