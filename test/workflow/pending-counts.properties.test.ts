/**
 * total_pending is read from the counts the queue's statement triggers keep (migration 0007,
 * queue_pending_counts). Property: after any sequence of changes to the queue — inserts, upserts,
 * status and action-type updates, deletes, deleted applications (cascade), a TRUNCATE, a statement
 * that fails, a transaction rolled back, a fold of ended connections' rows — the kept count equals
 * count(*) of the pending rows, per action type and through the API, on both engines. On
 * PostgreSQL the same holds when several pools ("processes") change the queue at once, and a
 * writer never waits for another writer's open transaction over a count.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { TRIGGER_PRIORITIES } from '../../src/domain.js';
import type { Database, Queryable } from '../../src/db/index.js';
import { countPendingRows, mergePendingCounts } from '../../src/workflow/queue/get-next-items.js';
import { describeEachEngine, describeOnPostgres, createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { api, useTestApp } from '../helpers/test-app.js';

const APPS = 6;
const ACTION_TYPES = ['high_engagement_followup', 'interview_preparation', 'urgent_attention', 'weekend_interest', 'booking_not_completed', 'manual_review', null] as const;
const STATUSES = ['pending', 'pending', 'processed', 'dismissed', 'cancelled', null] as const;

type Op =
  | { kind: 'insert'; app: number; status: (typeof STATUSES)[number]; action: (typeof ACTION_TYPES)[number]; many: number }
  | { kind: 'upsert'; app: number; action: (typeof ACTION_TYPES)[number] }
  | { kind: 'setStatus'; app: number; status: (typeof STATUSES)[number] }
  | { kind: 'setAction'; app: number; action: (typeof ACTION_TYPES)[number] }
  | { kind: 'reopen'; app: number }
  | { kind: 'deleteRows'; app: number }
  | { kind: 'deleteApplication'; app: number }
  | { kind: 'truncate' }
  | { kind: 'failingStatement'; app: number }
  | { kind: 'rolledBack'; app: number }
  | { kind: 'merge' };

const appArb = fc.integer({ min: 0, max: APPS - 1 });
const actionArb = fc.constantFrom(...ACTION_TYPES);
const statusArb = fc.constantFrom(...STATUSES);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), app: appArb, status: statusArb, action: actionArb, many: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('upsert' as const), app: appArb, action: actionArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('setStatus' as const), app: appArb, status: statusArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('setAction' as const), app: appArb, action: actionArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reopen' as const), app: appArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteRows' as const), app: appArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteApplication' as const), app: appArb }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'truncate' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('failingStatement' as const), app: appArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rolledBack' as const), app: appArb }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'merge' as const }) },
);

/** One application per slot, replaced when a test deletes it. */
async function createApplications(db: Queryable, n: number): Promise<string[]> {
  const res = await db.query<{ id: string }>(
    `INSERT INTO job_applications (company, job_title) SELECT 'Count Co ' || g, 'Engineer' FROM generate_series(1, $1::int) g RETURNING id`,
    [n],
  );
  return res.rows.map((r) => r.id);
}

/** Applies one operation through SQL, as any client of the database could. */
async function apply(db: Database, apps: string[], op: Op): Promise<void> {
  const score = Math.floor(Math.random() * 100);
  switch (op.kind) {
    case 'insert':
      // Several rows in one statement; a second pending row of an application is skipped (one pending row each).
      await db.query(
        `INSERT INTO application_priority_queue (application_id, priority_score, action_type, status)
         SELECT $1, $2, $3, $4 FROM generate_series(1, $5::int)
         ON CONFLICT (application_id) WHERE status = 'pending' DO NOTHING`,
        [apps[op.app], score, op.action, op.status, op.many],
      );
      return;
    case 'upsert': // the path the workflow takes: an existing pending row is updated in place
      await db.query(
        `INSERT INTO application_priority_queue (application_id, priority_score, action_type, status) VALUES ($1, $2, $3, 'pending')
         ON CONFLICT (application_id) WHERE status = 'pending' DO UPDATE SET action_type = EXCLUDED.action_type, priority_score = EXCLUDED.priority_score`,
        [apps[op.app], score, op.action],
      );
      return;
    case 'setStatus':
      // To pending only where that keeps one pending row per application.
      await db.query(
        `UPDATE application_priority_queue q SET status = $2, updated_at = now()
          WHERE q.application_id = $1
            AND ($2::text IS DISTINCT FROM 'pending'
                 OR (q.id = (SELECT min(id::text)::uuid FROM application_priority_queue WHERE application_id = $1)
                     AND NOT EXISTS (SELECT 1 FROM application_priority_queue p WHERE p.application_id = $1 AND p.status = 'pending')))`,
        [apps[op.app], op.status],
      );
      return;
    case 'setAction':
      await db.query(`UPDATE application_priority_queue SET action_type = $2 WHERE application_id = $1`, [apps[op.app], op.action]);
      return;
    case 'reopen': // every history row back to pending, through a statement that fails when that makes two
      await db
        .query(`UPDATE application_priority_queue SET status = 'pending' WHERE application_id = $1 AND status IS DISTINCT FROM 'pending'`, [apps[op.app]])
        .catch((err: { code?: string }) => {
          if (err.code !== '23505') throw err;
        });
      return;
    case 'deleteRows':
      await db.query(`DELETE FROM application_priority_queue WHERE application_id = $1 AND (status = 'pending') = (random() < 0.7)`, [apps[op.app]]);
      return;
    case 'deleteApplication':
      await db.query('DELETE FROM job_applications WHERE id = $1', [apps[op.app]]);
      apps[op.app] = (await createApplications(db, 1))[0];
      return;
    case 'truncate':
      await db.query('TRUNCATE application_priority_queue');
      return;
    case 'failingStatement': {
      // The first rows are inserted, then a NULL priority fails the statement: none of it may count.
      const err = await db
        .query(
          `INSERT INTO application_priority_queue (application_id, priority_score, action_type, status)
           VALUES ($1, 10, 'manual_review', 'pending'), ($1, NULL, 'manual_review', 'processed')`,
          [apps[op.app]],
        )
        .then(() => null, (e: { code?: string }) => e);
      expect(err?.code === '23502' || err?.code === '23505', `expected a failed insert, got ${String(err)}`).toBe(true);
      return;
    }
    case 'rolledBack': {
      const rollback = new Error('roll back on purpose');
      await db
        .transaction(async (tx) => {
          await tx.query(`UPDATE application_priority_queue SET status = 'processed' WHERE application_id = $1`, [apps[op.app]]);
          await tx.query(`INSERT INTO application_priority_queue (application_id, priority_score, action_type, status) VALUES ($1, 5, 'urgent_attention', 'pending')`, [apps[op.app]]);
          // The others' pending rows (of this caller's applications: concurrent writers keep to their own).
          await tx.query(`DELETE FROM application_priority_queue WHERE application_id = ANY($2::uuid[]) AND application_id <> $1 AND status = 'pending'`, [apps[op.app], apps]);
          throw rollback;
        })
        .catch((err: unknown) => {
          if (err !== rollback) throw err;
        });
      return;
    }
    case 'merge':
      await mergePendingCounts(db);
      return;
  }
}

/** Action types whose kept count differs from the rows (empty when they agree). */
async function disagreements(db: Queryable): Promise<{ t: string; kept: number | null; counted: number | null }[]> {
  const res = await db.query<{ t: string; kept: number | null; counted: number | null }>(
    `SELECT coalesce(k.t, r.t) AS t, k.n AS kept, r.n AS counted
       FROM (SELECT action_type AS t, sum(n)::int AS n FROM queue_pending_counts GROUP BY 1 HAVING sum(n) <> 0) k
       FULL JOIN (SELECT coalesce(action_type, '') AS t, count(*)::int AS n FROM application_priority_queue WHERE status = 'pending' GROUP BY 1) r
         ON k.t = r.t
      WHERE k.n IS DISTINCT FROM r.n`,
  );
  return res.rows;
}

describeEachEngine('total_pending equals the pending rows after random changes', (engine) => {
  const t = useTestApp(engine);

  it('after every operation of random sequences, per action type and through the API', async () => {
    const db = t().ctx.db;
    const apps = await createApplications(db, APPS);
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), async (ops) => {
        await db.query('TRUNCATE application_priority_queue');
        for (const [i, op] of ops.entries()) {
          await apply(db, apps, op);
          expect(await disagreements(db), `after op ${i} (${JSON.stringify(op)})`).toEqual([]);
        }
        for (const priority of [undefined, ...TRIGGER_PRIORITIES]) {
          const res = await api(t().app).get(`/api/analytics/priority-queue${priority ? `?priority=${priority}` : ''}`);
          expect(res.status).toBe(200);
          expect(res.json.total_pending, `priority ${priority ?? 'any'}`).toBe(await countPendingRows(db, priority));
          // Page and count come from one statement: the page is full unless the count says fewer.
          expect(res.json.priority_queue.length, `items, priority ${priority ?? 'any'}`).toBe(Math.min(10, res.json.total_pending));
        }
      }),
      { numRuns: engine === 'pglite' ? 40 : 25 },
    );
  });
});

describeOnPostgres('total_pending under concurrent writers', () => {
  let database: TestDatabase;
  const pools: Database[] = [];

  it('several pools changing the queue at once: the kept count still equals the rows', async () => {
    database = await createTestDatabase('postgres');
    try {
      for (let i = 0; i < 3; i++) pools.push(await database.openAnother!(3));
      await fc.assert(
        fc.asyncProperty(fc.array(fc.array(opArb, { minLength: 5, maxLength: 15 }), { minLength: 3, maxLength: 3 }), async (perWriter) => {
          await database.db.query('TRUNCATE application_priority_queue');
          // Each writer its own applications (no unique-index races), but one table and one set of counts.
          const appsPerWriter = await Promise.all(perWriter.map(() => createApplications(database.db, APPS)));
          await Promise.all(
            perWriter.map(async (ops, w) => {
              // Several statements of one writer in flight at once, over its pool's connections.
              const halves = [ops.filter((_, i) => i % 2 === 0), ops.filter((_, i) => i % 2 === 1)];
              await Promise.all(
                halves.map(async (half, h) => {
                  const apps = appsPerWriter[w].slice(h * (APPS / 2), (h + 1) * (APPS / 2));
                  for (const op of half) {
                    // TRUNCATE takes the whole table: leave it to the sequential property.
                    if (op.kind === 'truncate') continue;
                    await apply(pools[w], apps, 'app' in op ? { ...op, app: op.app % apps.length } : op);
                  }
                }),
              );
            }),
          );
          expect(await disagreements(database.db)).toEqual([]);
        }),
        { numRuns: 15 },
      );
    } finally {
      await database.close();
      pools.length = 0;
    }
  });

  it('the fold of ended connections\' rows skips a row another transaction holds instead of waiting', async () => {
    const another = await createTestDatabase('postgres');
    try {
      const other = await another.openAnother!(2);
      const [a] = await createApplications(another.db, 1);
      await another.db.query(`INSERT INTO application_priority_queue (application_id, priority_score, action_type) VALUES ($1, 1, 'urgent_attention')`, [a]);
      // Rows of a backend that is gone (no live pid is negative), one of them held by an open transaction.
      await another.db.query(`INSERT INTO queue_pending_counts (action_type, shard, n) VALUES ('weekend_interest', -7, 3), ('weekend_interest', -8, -3)`);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holder = another.db.transaction(async (tx) => {
        await tx.query(`SELECT 1 FROM queue_pending_counts WHERE shard = -7 FOR UPDATE`);
        locked();
        await held;
      });
      await isLocked;
      await other.transaction(async (tx) => {
        await tx.query(`SET LOCAL lock_timeout = '1s'`);
        await mergePendingCounts(tx);
      });
      const shards = (await other.query<{ shard: number }>(`SELECT shard FROM queue_pending_counts WHERE shard < 0 ORDER BY shard`)).rows.map((r) => r.shard);
      expect(shards).toEqual([-7]); // -8 folded into shard 0, -7 left for a later fold
      expect(await disagreements(other)).toEqual([]);
      release();
      await holder;
      await mergePendingCounts(another.db);
      expect((await another.db.query(`SELECT count(*)::int AS n FROM queue_pending_counts WHERE shard < 0`)).rows[0].n).toBe(0);
      expect(await disagreements(another.db)).toEqual([]);
    } finally {
      await another.close();
    }
  });

  it('a writer does not wait for another writer\'s open transaction over the count', async () => {
    const another = await createTestDatabase('postgres');
    try {
      const other = await another.openAnother!(2);
      const [a, b] = await createApplications(another.db, 2);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inserted!: () => void;
      const insertedInA = new Promise<void>((resolve) => (inserted = resolve));
      // Transaction A adds a pending row (and so writes its connection's count row) and stays open.
      const txA = another.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO application_priority_queue (application_id, priority_score, action_type) VALUES ($1, 1, 'urgent_attention')`, [a]);
        inserted();
        await held;
      });
      await insertedInA;
      // Meanwhile B, on another connection, adds a row of the same action type and commits within its lock timeout.
      await other.transaction(async (tx) => {
        await tx.query(`SET LOCAL lock_timeout = '1s'`);
        await tx.query(`INSERT INTO application_priority_queue (application_id, priority_score, action_type) VALUES ($1, 1, 'urgent_attention')`, [b]);
      });
      expect(await countPendingRows(other)).toBe(1);
      expect(await disagreements(other)).toEqual([]);
      release();
      await txA;
      expect(await disagreements(another.db)).toEqual([]);
      expect(await countPendingRows(another.db)).toBe(2);
    } finally {
      await another.close();
    }
  });
});
