/**
 * The faster evaluation gives the results of the one it replaced (issue 9), on the suite's
 * fixtures: the same data is evaluated three times over, one at a time (evaluateOne per active
 * application, the trigger rules scored with computeAnalytics per click prefix: the loop the full
 * run replaced), old-style (every active application in every run, computeAnalytics, one batch at
 * a time) and new-style (the prefix scorer, batches in flight together, and a second run that
 * skips what is still right), with the same operations in between. Analytics, triggers, queue and audit must
 * agree, except what is stamped with the moment of writing (computed_at and the "… ago" texts of
 * the factors of an application that was skipped, row ids and write times).
 */
import { describe, expect, it } from 'vitest';
import { computeAnalytics } from '../../src/analytics/scoring/index.js';
import type { Database } from '../../src/db/index.js';
import { evaluateOne, runPrioritization, type RunOptions, type RunResult } from '../../src/workflow/index.js';
import { emptyResult, mergeResults } from '../../src/workflow/evaluate-applications.js';
import { ACTIVE_STATUSES } from '../../src/domain.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, useTestApp } from '../helpers/test-app.js';
import {
  BOT_UA,
  DAY,
  HOUR,
  MINUTE,
  calendlyScenario,
  createScenario,
  highEngagementScenario,
  importClicks,
  iso,
  saturdayNoonUtc,
  weekdayNoonUtc,
} from '../helpers/workflow.js';

const T1 = new Date(Date.now() - 2 * DAY);
const T2 = new Date(Date.now() - 5 * MINUTE);
const OLD: Partial<RunOptions> = { all: true, concurrency: 1, triggerScorer: () => computeAnalytics };
const NEW: Partial<RunOptions> = {};
/** Not a full run: evaluateOne for each active application in turn, each in its own transaction. */
const ONE_AT_A_TIME = 'one at a time';

async function evaluateOneByOne(db: Database, options: RunOptions): Promise<RunResult> {
  const ids = (await db.query<{ id: string }>('SELECT id FROM job_applications WHERE status = ANY($1::text[]) ORDER BY id', [ACTIVE_STATUSES])).rows;
  const result = emptyResult();
  for (const { id } of ids) mergeResults(result, await evaluateOne(db, id, options));
  return { ...result, batches: ids.length, skipped: 0, durationMs: 0 };
}

async function snapshot(db: Database, auditAfter: number) {
  const q = async (sql: string, params: unknown[] = []) => (await db.query<Record<string, any>>(sql, params)).rows;
  const analytics = (
    await q(`SELECT application_id, total_clicks, human_clicks, bot_clicks, unique_visitors, distinct_links, click_sequence,
                    first_click_at, last_click_at, hours_to_first_click, weekend_clicks, business_hours_clicks, calendly_clicked,
                    engagement_score, intent_score, health_score, predicted_outcome, outcome_probability, factors, scoring_version
               FROM application_analytics ORDER BY application_id`)
  ).map((r) => ({
    ...r,
    // The points of every factor must agree; the texts say "… ago" as of the last write.
    factors: Object.fromEntries(Object.entries(r.factors as Record<string, { name: string; points: number }[]>).map(([k, v]) => [k, v.map((f) => [f.name, f.points])])),
  }));
  const triggers = await q(`SELECT application_id, trigger_type, priority, action, condition_met_at, deadline, status,
                                   processed_at IS NOT NULL AS processed, rule_version, inputs
                              FROM workflow_triggers ORDER BY application_id, trigger_type, condition_met_at, status`);
  const queue = await q(`SELECT application_id, priority_score, engagement_score, intent_score, predicted_outcome, action_type, deadline, status
                           FROM application_priority_queue ORDER BY application_id, status, action_type`);
  const audit = (
    await q(`SELECT application_id, actor, decision, rule, rule_version, inputs, outcome FROM audit_log WHERE id > $1
              ORDER BY application_id, decision, rule, (outcome->>'priority_score')`, [auditAfter])
  ).map((r) => {
    const { trigger_id: _t, ...outcome } = (r.outcome ?? {}) as Record<string, unknown>;
    const { computed_at: _c, ...inputs } = (r.inputs ?? {}) as Record<string, unknown>;
    return { ...r, outcome, inputs };
  });
  return { analytics, triggers, queue, audit };
}

const maxAuditId = async (db: Database) => (await db.query<{ n: number }>('SELECT coalesce(max(id), 0)::int AS n FROM audit_log')).rows[0].n;

describeEachEngine('old-style and new-style evaluation agree', (engine) => {
  const t = useTestApp(engine);

  it('on the suite fixtures: first run, an item handled, later clicks, a second run (new-style skips what is still right)', async () => {
    const { app } = t();
    const db = t().ctx.db;
    // The fixtures, all clicked before T1 (a run at T1 sees them), then a few clicks between T1 and T2.
    const high = await highEngagementScenario(app, weekdayNoonUtc(60));
    const booked = await calendlyScenario(app, weekdayNoonUtc(80), 72, { timezone: 'America/Los_Angeles' });
    const urgent = await createScenario(app, { applied_at: iso(T1.getTime() - 10 * HOUR) }, ['resume', 'linkedin']);
    await importClicks(app, [{ tracking_id: urgent.link.resume, at: T1.getTime() - 9 * HOUR }]);
    const weekend = await createScenario(app, { applied_at: iso(saturdayNoonUtc(60).getTime() - 5 * DAY), timezone: 'Asia/Tokyo' }, ['portfolio', 'github']);
    await importClicks(app, [
      { tracking_id: weekend.link.portfolio, at: saturdayNoonUtc(60) },
      { tracking_id: weekend.link.github, at: saturdayNoonUtc(60).getTime() + 30 * MINUTE, ip: '203.0.113.9' },
    ]);
    const early = await createScenario(app, { applied_at: iso(T1.getTime() - 3 * DAY) }, ['resume']);
    await importClicks(app, [{ tracking_id: early.link.resume, at: T1.getTime() - 4 * DAY }]); // before applying
    const scanned = await createScenario(app, { applied_at: iso(T1.getTime() - 20 * HOUR) }, ['calendly', 'resume']);
    const burstAt = T1.getTime() - 19 * HOUR;
    await importClicks(
      app,
      [0, 300, 600, 900].map((ms, i) => ({ tracking_id: i % 2 ? scanned.link.resume : scanned.link.calendly, at: burstAt + ms, ip: '192.0.2.50', ua: BOT_UA })),
    );
    const old = await createScenario(app, { applied_at: iso(T1.getTime() - 40 * DAY), status: 'screening' }, ['website', 'resume']);
    await importClicks(app, [
      { tracking_id: old.link.website, at: T1.getTime() - 30 * DAY },
      { tracking_id: old.link.resume, at: T1.getTime() - 29 * DAY },
    ]);
    const quiet = await createScenario(app, { applied_at: iso(T1.getTime() - 5 * DAY) }, ['resume']);
    const closed = await createScenario(app, { applied_at: iso(T1.getTime() - 6 * DAY), status: 'interviewing' }, ['calendly']);
    await importClicks(app, [{ tracking_id: closed.link.calendly, at: T1.getTime() - 5 * DAY }]);
    // Between the runs: new clicks (a Calendly refire after the item is handled, a quiet one wakes up).
    await importClicks(app, [
      { tracking_id: booked.link.calendly, at: T1.getTime() + 6 * HOUR },
      { tracking_id: quiet.link.resume, at: T1.getTime() + 7 * HOUR },
    ]);
    await db.query('DELETE FROM recalc_requests'); // no worker here: as if it had caught up

    const evaluate = (style: Partial<RunOptions> | typeof ONE_AT_A_TIME, now: Date) =>
      style === ONE_AT_A_TIME
        ? evaluateOneByOne(db, { defaultTimezone: 'UTC', actor: 'cli', now, triggerScorer: () => computeAnalytics })
        : runPrioritization(db, { defaultTimezone: 'UTC', actor: 'cli', now, ...style });
    const world = async (style: Partial<RunOptions> | typeof ONE_AT_A_TIME) => {
      const before = await maxAuditId(db);
      const first = await evaluate(style, T1);
      // The same hand-made operations in both worlds: one item done, one application closed.
      expect((await api(app).post(`/api/analytics/priority-queue/${booked.id}/processed`, { outcome: 'done' })).status).toBe(200);
      expect((await api(app).patch(`/api/applications/${closed.id}`, { status: 'rejected' })).status).toBe(200);
      await db.query('DELETE FROM recalc_requests');
      const second = await evaluate(style, T2);
      const state = await snapshot(db, before);
      // Rewind for the other world: the evaluation's own rows go (the audit trail is append-only: compared per world).
      await db.query(`UPDATE job_applications SET status = 'interviewing' WHERE id = $1`, [closed.id]);
      for (const table of ['application_priority_queue', 'workflow_triggers', 'application_analytics', 'recalc_requests']) await db.query(`DELETE FROM ${table}`);
      return { first, second, state };
    };

    const loop = await world(ONE_AT_A_TIME);
    const a = await world(OLD);
    const b = await world(NEW);
    // The full run (old-style) did what the loop did, decision by decision.
    expect(a.first.triggersFired.map((f) => f.applicationId + f.type).sort()).toEqual(loop.first.triggersFired.map((f) => f.applicationId + f.type).sort());
    expect(a.state).toEqual(loop.state);
    expect(a.first.triggersFired.length).toBeGreaterThanOrEqual(5);
    expect(b.second.skipped).toBeGreaterThan(0); // the skip path was taken
    expect(b.second.evaluated).toBeLessThan(a.second.evaluated);
    expect(b.first.triggersFired.map((f) => f.applicationId + f.type).sort()).toEqual(a.first.triggersFired.map((f) => f.applicationId + f.type).sort());
    expect(b.second.triggersFired.map((f) => f.applicationId + f.type).sort()).toEqual(a.second.triggersFired.map((f) => f.applicationId + f.type).sort());
    expect(b.state.analytics).toEqual(a.state.analytics);
    expect(b.state.triggers).toEqual(a.state.triggers);
    expect(b.state.queue).toEqual(a.state.queue);
    expect(b.state.audit).toEqual(a.state.audit);
    expect(a.state.triggers.map((r) => r.trigger_type)).toEqual(expect.arrayContaining(['high_engagement_followup', 'interview_preparation', 'urgent_attention', 'weekend_interest']));
    void high;
  });
});
