/**
 * Several processes on one database (SPEC §5, "two processes evaluating at once still fire it
 * once"): on PostgreSQL each "process" is its own connection pool (openAnother); on PGlite the
 * same calls run concurrently on the one connection and must still give the right result.
 */
import { expect, it } from 'vitest';
import type { Database, Queryable } from '../../src/db/index.js';
import { evaluateApplications } from '../../src/workflow/evaluate-applications.js';
import { runPrioritization } from '../../src/workflow/index.js';
import { startRecalcWorker } from '../../src/recalc/index.js';
import { createMetrics } from '../../src/monitoring/metrics.js';
import { describeEachEngine } from '../helpers/databases.js';
import { api, useTestApp } from '../helpers/test-app.js';
import {
  HOUR,
  MINUTE,
  createScenario,
  importClicks,
  iso,
  recordingEvaluations,
  waitFor,
  weekdayNoonUtc,
  type ImportedClick,
} from '../helpers/workflow.js';

const OPTS = { defaultTimezone: 'UTC' };

describeEachEngine('concurrency', (engine) => {
  const t = useTestApp(engine, { PG_POOL_SIZE: '10' });
  const db = () => t().ctx.db;
  /** n database handles that act as separate processes (separate pools on PostgreSQL). */
  const processes = async (n: number): Promise<Database[]> => {
    const out = [db()];
    for (let i = 1; i < n; i++) out.push(engine === 'postgres' ? await t().database.openAnother!(4) : db());
    return out;
  };

  /**
   * n applications whose clicks fire triggers: a Calendly click 1 h after applying (urgent_attention
   * and interview_preparation) for even ones, three links opened twice (high_engagement_followup) for odd ones.
   */
  async function seed(n: number, tag: string): Promise<string[]> {
    const anchor = weekdayNoonUtc();
    const ids: string[] = [];
    const clicks: ImportedClick[] = [];
    for (let i = 0; i < n; i++) {
      if (i % 2 === 0) {
        const s = await createScenario(t().app, { company: `${tag} ${i}`, applied_at: iso(anchor.getTime() - HOUR) }, ['calendly']);
        clicks.push({ tracking_id: s.link.calendly, at: anchor.getTime() + i * MINUTE });
        ids.push(s.id);
      } else {
        const s = await createScenario(t().app, { company: `${tag} ${i}`, applied_at: iso(anchor.getTime() - 72 * HOUR) }, ['resume', 'portfolio', 'github']);
        ['resume', 'portfolio', 'github', 'resume', 'portfolio', 'github'].forEach((type, k) =>
          clicks.push({ tracking_id: s.link[type], at: anchor.getTime() + k * 10 * MINUTE }),
        );
        ids.push(s.id);
      }
    }
    await importClicks(t().app, clicks);
    return ids;
  }
  const expectedTriggers = (ids: string[]) => (ids.length / 2) * 3; // two for each Calendly application, one for each other

  /** Each (application, rule) fired once, each decision logged once, one pending row per application. */
  async function expectFiredOnce(ids: string[]) {
    const dupes = await db().query(
      `SELECT application_id, trigger_type, count(*)::int AS n FROM workflow_triggers
        WHERE application_id = ANY($1::uuid[]) GROUP BY 1, 2 HAVING count(*) > 1`,
      [ids],
    );
    expect(dupes.rows).toEqual([]);
    const triggers = (await db().query<{ n: number }>('SELECT count(*)::int AS n FROM workflow_triggers WHERE application_id = ANY($1::uuid[])', [ids])).rows[0].n;
    expect(triggers).toBe(expectedTriggers(ids));
    const audit = (
      await db().query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE decision = 'trigger_fired' AND application_id = ANY($1::uuid[])`, [ids])
    ).rows[0].n;
    expect(audit).toBe(triggers);
    const pending = await db().query<{ application_id: string; n: number }>(
      `SELECT application_id, count(*)::int AS n FROM application_priority_queue
        WHERE status = 'pending' AND application_id = ANY($1::uuid[]) GROUP BY 1`,
      [ids],
    );
    expect(pending.rows).toHaveLength(ids.length);
    expect(pending.rows.every((r) => r.n === 1)).toBe(true);
    const added = (
      await db().query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE decision = 'queue_added' AND application_id = ANY($1::uuid[])`, [ids])
    ).rows[0].n;
    expect(added).toBe(ids.length);
    return triggers;
  }

  it('two full runs at once fire each trigger once and leave one pending row per application', async () => {
    const ids = await seed(24, 'full-run');
    const [a, b] = await processes(2);
    const results = await Promise.all([
      runPrioritization(a, { ...OPTS, actor: 'worker', batchSize: 5 }),
      runPrioritization(b, { ...OPTS, actor: 'worker', batchSize: 7 }),
    ]);
    const triggers = await expectFiredOnce(ids);
    // what the two runs report adds up to what was stored: nobody claims another's trigger
    expect(results[0].triggersFired.length + results[1].triggersFired.length).toBe(triggers);
    expect(results[0].queue.added + results[1].queue.added).toBe(ids.length);
    // and a third run finds nothing left to do
    const third = await runPrioritization(db(), { ...OPTS, actor: 'cli' });
    expect(third.triggersFired).toEqual([]);
    expect(third.queue.added).toBe(0);
  });

  it('four workers on the same recalculation requests: every request handled once, no double trigger', async () => {
    const ids = await seed(40, 'workers'); // the imports left one due request per application
    const waiting = (await db().query<{ n: number }>('SELECT count(*)::int AS n FROM recalc_requests WHERE application_id = ANY($1::uuid[])', [ids])).rows[0].n;
    expect(waiting).toBe(ids.length);

    const pools = await processes(4);
    const errors: unknown[] = [];
    const recorders = pools.map((p) => recordingEvaluations(p));
    const workers = recorders.map((r) =>
      startRecalcWorker(r.db, createMetrics(), { info() {}, error: (e) => errors.push(e) }, {
        ...OPTS,
        pollMs: 20,
        batchSize: 3,
        fullRunIntervalMs: 0,
      }),
    );
    try {
      await waitFor(
        async () =>
          (await db().query<{ n: number }>('SELECT count(*)::int AS n FROM recalc_requests WHERE application_id = ANY($1::uuid[])', [ids])).rows[0].n === 0,
        20_000,
      );
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
    expect(errors).toEqual([]);
    const evaluated = recorders.flatMap((r) => r.evaluated).filter((id) => ids.includes(id));
    // every request handled, and handled once (claims skip what another worker holds)
    expect([...evaluated].sort()).toEqual([...ids].sort());
    if (engine === 'postgres') {
      // the work really was shared between the processes
      expect(recorders.filter((r) => r.evaluated.some((id) => ids.includes(id))).length).toBeGreaterThan(1);
    }
    await expectFiredOnce(ids);
    const workerAudit = (
      await db().query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE actor = 'worker' AND decision = 'trigger_fired' AND application_id = ANY($1::uuid[])`, [ids])
    ).rows[0].n;
    expect(workerAudit).toBe(expectedTriggers(ids));
  });

  it('concurrent process-triggers calls over HTTP fire each trigger once in all', async () => {
    const ids = await seed(12, 'http');
    const client = api(t().app);
    const calls = [
      client.post('/api/analytics/process-triggers', {}),
      client.post('/api/analytics/process-triggers', { application_id: ids[0] }),
      client.post('/api/analytics/process-triggers', {}),
      client.post('/api/analytics/process-triggers', { application_id: ids[1] }),
      client.post('/api/analytics/process-triggers', { application_id: ids[0] }),
      client.post('/api/analytics/process-triggers', {}),
    ];
    const responses = await Promise.all(calls);
    for (const r of responses) expect(r.status, r.body).toBe(200);
    const fired = responses.flatMap((r) => r.json.triggers_fired as { application_id: string; type: string }[]).filter((f) => ids.includes(f.application_id));
    const keys = fired.map((f) => `${f.application_id}/${f.type}`);
    expect(new Set(keys).size).toBe(keys.length);
    const triggers = await expectFiredOnce(ids);
    expect(fired.length).toBe(triggers);
  });

  it('a full run racing the worker and a user marking items processed keeps one pending row per application', async () => {
    const ids = await seed(10, 'race');
    const [a, b] = await processes(2);
    const worker = startRecalcWorker(b, createMetrics(), { info() {}, error() {} }, { ...OPTS, pollMs: 10, fullRunIntervalMs: 0 });
    try {
      await Promise.all([
        runPrioritization(a, { ...OPTS, actor: 'worker', batchSize: 2 }),
        (async () => {
          for (const id of ids.slice(0, 5)) {
            await api(t().app).post('/api/analytics/process-triggers', { application_id: id });
            await api(t().app).post(`/api/analytics/priority-queue/${id}/processed`, { outcome: 'done' });
          }
        })(),
      ]);
      await waitFor(
        async () => (await db().query<{ n: number }>('SELECT count(*)::int AS n FROM recalc_requests WHERE application_id = ANY($1::uuid[])', [ids])).rows[0].n === 0,
        10_000,
      );
    } finally {
      await worker.stop();
    }
    const rows = await db().query<{ application_id: string; pending: number; processed: number }>(
      `SELECT application_id, count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'processed')::int AS processed
         FROM application_priority_queue WHERE application_id = ANY($1::uuid[]) GROUP BY 1`,
      [ids],
    );
    const byId = new Map(rows.rows.map((r) => [r.application_id, r]));
    // Processing closes the carried trigger only: the Calendly applications (even index) still have
    // interview_preparation open after urgent_attention was done, and it took the queue at once.
    ids.slice(0, 5).forEach((id, i) => expect(byId.get(id), id).toMatchObject({ pending: i % 2 === 0 ? 1 : 0, processed: 1 }));
    for (const id of ids.slice(5)) expect(byId.get(id), id).toMatchObject({ pending: 1, processed: 0 });
    const dupes = await db().query(
      `SELECT 1 FROM workflow_triggers WHERE application_id = ANY($1::uuid[]) GROUP BY application_id, trigger_type HAVING count(*) > 1`,
      [ids],
    );
    expect(dupes.rows).toEqual([]);
  });

  it('marking an item processed while an evaluation of its application is in flight does not bring the item back', async () => {
    const [id] = await seed(2, 'in-flight'); // a Calendly application: urgent_attention + interview_preparation
    expect((await api(t().app).post('/api/analytics/process-triggers', { application_id: id })).status).toBe(200);
    const [, other] = await processes(2);

    // Another process evaluates the application and is caught just before it writes the queue row.
    let reached!: () => void;
    const atUpsert = new Promise<void>((r) => (reached = r));
    let resume!: () => void;
    const resumed = new Promise<void>((r) => (resume = r));
    const sleep = (ms: number) => new Promise<null>((r) => setTimeout(() => r(null), ms));
    const evaluation = other.transaction((tx) => {
      const paused: Queryable = {
        query: async <Row,>(sql: string, params?: readonly unknown[]) => {
          if (sql.includes('INSERT INTO application_priority_queue')) {
            reached();
            await Promise.race([resumed, sleep(1500)]);
          }
          return tx.query<Row>(sql, params);
        },
      };
      return evaluateApplications(paused, [id], { ...OPTS, actor: 'worker' });
    });
    await atUpsert;
    // Meanwhile the user marks the item done (it may have to wait for the evaluation to finish).
    const mark = api(t().app).post(`/api/analytics/priority-queue/${id}/processed`, { outcome: 'done' });
    const early = await Promise.race([mark, sleep(500)]);
    resume();
    await evaluation;
    const res = early ?? (await mark);
    expect(res.status, res.body).toBe(200);

    // The processed item (urgent_attention) stays processed and its trigger closed; the evaluation in
    // flight did not re-add it. The other open trigger took the queue, as processing does (SPEC §5).
    const rows = await db().query<{ status: string; action_type: string }>(
      'SELECT status, action_type FROM application_priority_queue WHERE application_id = $1 ORDER BY created_at',
      [id],
    );
    expect(rows.rows).toEqual([
      { status: 'processed', action_type: 'urgent_attention' },
      { status: 'pending', action_type: 'interview_preparation' },
    ]);
    const open = await db().query<{ trigger_type: string }>('SELECT trigger_type FROM workflow_triggers WHERE application_id = $1 AND status = $2', [id, 'open']);
    expect(open.rows.map((r) => r.trigger_type)).toEqual(['interview_preparation']);
    const queued = (await api(t().app).get('/api/analytics/priority-queue?limit=100')).json.priority_queue.filter((x: { application_id: string }) => x.application_id === id);
    expect(queued.map((x: { action_type: string }) => x.action_type)).toEqual(['interview_preparation']);
  });

  it('a terminal status set while an evaluation of the application is in flight: both finish, and the item ends cancelled', async () => {
    // A Calendly application never evaluated yet: its first evaluation inserts rows that reference it.
    const [id] = await seed(2, 'terminal-in-flight');
    const [, other] = await processes(2);
    let reached!: () => void;
    const atFirstWrite = new Promise<void>((r) => (reached = r));
    let resume!: () => void;
    const resumed = new Promise<void>((r) => (resume = r));
    const sleep = (ms: number) => new Promise<null>((r) => setTimeout(() => r(null), ms));
    const evaluation = other
      .transaction((tx) => {
        const paused: Queryable = {
          query: async <Row,>(sql: string, params?: readonly unknown[]) => {
            if (sql.includes('INSERT INTO application_analytics')) {
              reached();
              await Promise.race([resumed, sleep(1500)]);
            }
            return tx.query<Row>(sql, params);
          },
        };
        return evaluateApplications(paused, [id], { ...OPTS, actor: 'worker' });
      })
      .then(
        () => 'committed',
        (err: Error) => `failed: ${err.message}`,
      );
    await atFirstWrite;
    const patch = api(t().app).patch(`/api/applications/${id}`, { status: 'rejected' });
    const early = await Promise.race([patch, sleep(500)]);
    resume();
    const outcome = await evaluation;
    const res = early ?? (await patch);
    expect(res.status, res.body).toBe(200);
    expect(outcome).toBe('committed');
    const rows = await db().query<{ status: string }>('SELECT status FROM application_priority_queue WHERE application_id = $1', [id]);
    expect(rows.rows.filter((r) => r.status === 'pending')).toEqual([]);
  });
});
