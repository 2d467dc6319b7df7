/**
 * Lock order (docs/workflow.md, "Lock order"): live clicks, the recalculation worker, evaluations,
 * full runs, PATCHes of status and mark-processed at once on PostgreSQL, and not one deadlock.
 *
 * PostgreSQL only: PGlite has one connection, its transactions never overlap, so it cannot
 * deadlock. Every statement goes to the real database; the wrapper only notes each error with
 * SQLSTATE 40P01 (deadlock detected) wherever it happens, because the click path retries a failed
 * shared commit click by click and the worker retries a failed batch: neither a 302 nor the final
 * data would show it.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/api/app-context.js';
import { buildApp } from '../../src/api/build-app.js';
import { createAppContext } from '../../src/main.js';
import type { Database, Queryable } from '../../src/db/index.js';
import { createMetrics } from '../../src/monitoring/metrics.js';
import { ApplicationPriorityQueue, evaluateApplications, runPrioritization } from '../../src/workflow/index.js';
import { startRecalcWorker } from '../../src/recalc/index.js';
import { claimDueRequests, releaseRequests, returnRequests, type ClaimedRequest } from '../../src/recalc/recalc-requests.js';
import { ClickBatcher } from '../../src/tracking/index.js';
import { storeClicks, type ClickToStore } from '../../src/tracking/store-clicks.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../helpers/databases.js';
import { HUMAN_UA, api, seedApplication, testConfig } from '../helpers/test-app.js';
import { HOUR, iso, waitFor } from '../helpers/workflow.js';

const DEADLOCK = '40P01';
const RUN_MS = 6_000;
const APPLICATIONS = 60;

interface Deadlock {
  where: string;
  sql: string;
  detail: string;
}

/** The real database; every deadlock error is noted (and still thrown) before anyone can retry it. */
function noticingDeadlocks(db: Database, where: string, seen: Deadlock[]): Database {
  const wrap = (q: Queryable): Queryable => ({
    async query<Row>(sql: string, params?: readonly unknown[]) {
      try {
        return await q.query<Row>(sql, params);
      } catch (err) {
        const e = err as { code?: string; detail?: string };
        if (e.code === DEADLOCK) seen.push({ where, sql: sql.replace(/\s+/g, ' ').slice(0, 120), detail: e.detail ?? '' });
        throw err;
      }
    },
  });
  return {
    engine: db.engine,
    ...wrap(db),
    exec: (sql: string) => db.exec(sql),
    close: () => db.close(),
    transaction: (fn) => db.transaction((tx) => fn({ ...wrap(tx), exec: (sql: string) => tx.exec(sql), queryThenCommit: (sql: string) => tx.queryThenCommit(sql) })),
  };
}

const pick = <T,>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)];
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `step` again and again until `until`, `lanes` at a time; returns how often it ran. A deadlock (noted already) does not stop a lane. */
async function repeat(lanes: number, until: number, step: () => Promise<unknown>): Promise<number> {
  let runs = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (Date.now() < until) {
        await step().catch((err: { code?: string }) => {
          if (err.code !== DEADLOCK) throw err;
        });
        runs += 1;
      }
    }),
  );
  return runs;
}

interface SeededApp {
  id: string;
  trackingIds: string[];
  linkIds: string[];
}

const liveClick = (a: SeededApp): ClickToStore => ({
  linkId: a.linkIds[0],
  applicationId: a.id,
  clickedAt: new Date(),
  source: 'live',
  method: 'GET',
  userAgent: HUMAN_UA,
  referrer: null,
  ipHash: 'visitor',
  botReasons: [],
});

describeOnPostgres('lock order', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let db: Database;
  const deadlocks: Deadlock[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres', { poolSize: 12 });
    db = noticingDeadlocks(database.db, 'app', deadlocks);
    const ctx: AppContext = createAppContext(testConfig(), db, createMetrics());
    app = await buildApp(ctx, { logger: false });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });
  // Each test answers for its own deadlocks.
  beforeEach(() => {
    deadlocks.length = 0;
  });

  /** Applied an hour ago, with a booking link: a human click on it fires triggers, so there are queue items to process. */
  const seed = (n: number, tag: string): Promise<SeededApp[]> =>
    Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const { application, links } = await seedApplication(app, { company: `${tag} ${i}`, applied_at: iso(Date.now() - HOUR) }, [
          { link_type: 'calendly' },
          { link_type: 'resume' },
        ]);
        return { id: application.id as string, trackingIds: links.map((l) => l.tracking_id), linkIds: links.map((l) => l.id) };
      }),
    );

  /** A connection of its own (a pool of one), and its server process id to watch in pg_stat_activity. */
  async function connection(): Promise<{ db: Database; pid: number }> {
    const one = await database.openAnother!(1);
    const pid = (await one.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    return { db: one, pid };
  }
  const waitingForLock = (pid: number) =>
    waitFor(async () => {
      const res = await database.db.query<{ wait: string | null }>('SELECT wait_event_type AS wait FROM pg_stat_activity WHERE pid = $1', [pid]);
      return res.rows[0]?.wait === 'Lock';
    });

  it('a worker releasing requests while a click marks the same applications: they wait, never deadlock', async () => {
    // The cycle the stress test below found, step by step. A < B (the order clicks mark them in);
    // the worker hands them to the release as the claim returned them, B first.
    const [a, b] = (await seed(2, 'Release')).sort((x, y) => (x.id < y.id ? -1 : 1));
    await storeClicks(database.db, [liveClick(b)], 0);
    await storeClicks(database.db, [liveClick(a)], 0);
    const claimed = await claimDueRequests(database.db, 10, 60_000);
    const byId = new Map(claimed.map((c) => [c.application_id, c]));
    const handled: ClaimedRequest[] = [byId.get(b.id)!, byId.get(a.id)!];
    expect(handled.every(Boolean)).toBe(true);

    const [holder, clicker, worker] = [await connection(), await connection(), await connection()];
    const local: Deadlock[] = [];
    // Someone holds A's request for a moment (here: a bare row lock), so the two meet in a known order.
    let letGo!: () => void;
    const held = holder.db.transaction(async (tx) => {
      await tx.query('SELECT 1 FROM recalc_requests WHERE application_id = $1 FOR UPDATE', [a.id]);
      await new Promise<void>((resolve) => (letGo = resolve));
    });
    await waitFor(async () => letGo !== undefined);
    // A click on both (the click path's commit): marks A first, and waits for A.
    const click = noticingDeadlocks(clicker.db, 'click', local).transaction((tx) => storeClicks(tx, [liveClick(a), liveClick(b)], 0));
    await waitingForLock(clicker.pid);
    // The worker releases B and A; it must not hold B while it waits for A.
    const release = releaseRequests(noticingDeadlocks(worker.db, 'worker', local), handled);
    await waitingForLock(worker.pid);
    letGo();
    const settled = await Promise.allSettled([held, click, release]);

    expect(local, JSON.stringify(local, null, 2)).toEqual([]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    // The click came after the claim: both applications are due again, neither is leased.
    const left = await database.db.query<{ application_id: string; leased: boolean }>(
      'SELECT application_id::text, leased_until IS NOT NULL AS leased FROM recalc_requests WHERE application_id = ANY($1::uuid[]) ORDER BY 1',
      [[a.id, b.id]],
    );
    expect(left.rows).toEqual([
      { application_id: a.id, leased: false },
      { application_id: b.id, leased: false },
    ]);
  });

  it('evaluations and full runs cancelling the items of ended applications at once: no deadlock', async () => {
    // Ended applications whose items were put in by hand: every evaluation of one cancels its item,
    // and so does the end of every full run. Both used to cancel several rows each in their own order.
    const ended = (await seed(30, 'Ended')).map((a) => a.id);
    await database.db.query(`UPDATE job_applications SET status = 'rejected' WHERE id = ANY($1::uuid[])`, [ended]);
    const queue = new ApplicationPriorityQueue(db, { defaultTimezone: 'UTC' });
    const sample = (n: number) => [...ended].sort(() => Math.random() - 0.5).slice(0, n);
    const opts = { defaultTimezone: 'UTC', actor: 'worker' as const };
    const until = Date.now() + 4_000;
    const [added, evaluated, fullRuns] = await Promise.all([
      repeat(6, until, () => queue.addToQueue(pick(ended), 40)),
      repeat(2, until, () => db.transaction((tx) => evaluateApplications(tx, sample(15), opts))),
      repeat(2, until, () => runPrioritization(db, opts)),
    ]);
    expect(deadlocks, `deadlocks:\n${JSON.stringify(deadlocks, null, 2)}`).toEqual([]);
    expect(Math.min(added, evaluated, fullRuns)).toBeGreaterThan(0);
  });

  it('clicks, the worker, evaluations, full runs, status changes and mark-processed at once: no deadlock', async () => {
    const apps = await seed(APPLICATIONS, 'Stress');

    // Two more "processes" run the worker, each on its own pool, as two more servers would.
    const workerErrors: string[] = [];
    const workers: { stop(): Promise<void> }[] = [];
    for (const name of ['worker 1', 'worker 2']) {
      const workerDb = noticingDeadlocks(await database.openAnother!(2), name, deadlocks);
      const log = { info() {}, error: (obj: { err?: Error }, msg?: string) => workerErrors.push(`${msg}: ${obj.err?.message}`) };
      workers.push(startRecalcWorker(workerDb, createMetrics(), log, { defaultTimezone: 'UTC', pollMs: 1, batchSize: 10, fullRunIntervalMs: 0 }));
    }

    // The redirect route's group commit, without the HTTP parsing that the two cores cannot spare.
    const batcher = new ClickBatcher(db, { recalcDelayMs: 0 });
    let visitor = 0;
    const storeClick = () =>
      batcher.store({
        trackingId: pick(pick(apps).trackingIds),
        clickedAt: new Date(),
        source: 'live',
        method: 'GET',
        userAgent: HUMAN_UA,
        referrer: null,
        ipHash: `visitor-${(visitor += 1)}`,
        botReasons: [],
      });
    const queue = new ApplicationPriorityQueue(db, { defaultTimezone: 'UTC' });
    const client = api(app);
    const unexpected: string[] = [];
    const expectStatus = (what: string, status: number, allowed: number[]) => {
      if (!allowed.includes(status)) unexpected.push(`${what}: ${status}`);
    };

    const until = Date.now() + RUN_MS;
    let counts: Record<string, number>;
    try {
      const lanes = {
        // Clicks in waves over every application: each commit carries clicks of many of them.
        clicks: repeat(3, until, async () => {
          const links = await Promise.all(Array.from({ length: 30 }, storeClick));
          if (links.some((l) => l === null)) unexpected.push('click: link not found');
        }),
        // A click commit slowed down (a busy disk): it holds its locks 20 ms longer, and the others queue up behind it.
        slowClicks: repeat(2, until, () =>
          db.transaction(async (tx) => {
            await storeClicks(tx, [pick(apps), pick(apps), pick(apps)].map(liveClick), 0);
            await sleep(20);
          }),
        ),
        // The worker's bookkeeping at full speed, between the real workers' rounds: claim, then release or give back.
        bookkeeping: repeat(2, until, async () => {
          const claimed = await claimDueRequests(db, 30, 15_000);
          if (claimed.length === 0) await sleep(1);
          else if (Math.random() < 0.8) await releaseRequests(db, claimed);
          else await returnRequests(db, claimed.map((c) => c.application_id), 0);
        }),
        // Status changes: terminal (cancels the item at once) and back to active.
        patches: repeat(2, until, async () => {
          const res = await client.patch(`/api/applications/${pick(apps).id}`, { status: pick(['rejected', 'screening', 'interviewing', 'applied']) });
          expectStatus('PATCH status', res.status, [200]);
        }),
        // A person working through the queue (404: nothing pending right now), and putting items in by hand.
        processed: repeat(2, until, async () => {
          const res = await client.post(`/api/analytics/priority-queue/${pick(apps).id}/processed`, { outcome: pick(['done', 'dismissed']) });
          expectStatus('mark processed', res.status, [200, 404]);
        }),
        manualItems: repeat(1, until, async () => {
          await queue.addToQueue(pick(apps).id, 50);
          await sleep(5);
        }),
        // Evaluations besides the worker's: one application now, and full runs (which also cancel the items of inactive ones).
        evaluations: repeat(1, until, async () => {
          const res = await client.post('/api/analytics/process-triggers', { application_id: pick(apps).id });
          expectStatus('process one', res.status, [200]);
        }),
        fullRuns: repeat(1, until, async () => {
          const res = await client.post('/api/analytics/process-triggers', {});
          expectStatus('full run', res.status, [200]);
          await sleep(100);
        }),
      };
      const names = Object.keys(lanes);
      const runs = await Promise.all(Object.values(lanes));
      counts = Object.fromEntries(names.map((name, i) => [name, runs[i]]));
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }

    expect(deadlocks, `deadlocks:\n${JSON.stringify(deadlocks, null, 2)}`).toEqual([]);
    expect(workerErrors).toEqual([]);
    expect(unexpected).toEqual([]);
    // The load really ran: every kind of operation went round, and the workers evaluated.
    for (const [lane, n] of Object.entries(counts)) expect(n, lane).toBeGreaterThan(0);
    const byWorker = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE actor = 'worker'`);
    expect(byWorker.rows[0].n).toBeGreaterThan(0);
  });
});
