import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MIGRATIONS_DIR, migrate, type Database, type Queryable } from '../../src/db/index.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/databases.js';

const MIGRATION_FILES = readdirSync(MIGRATIONS_DIR)
  .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
  .sort();

/** Verbatim from the seed task (seed/task-05-workflow-integration.md, section 3). */
const SEED_QUEUE_DDL = `
CREATE TABLE application_priority_queue (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id UUID REFERENCES job_applications(id) ON DELETE CASCADE,
  priority_score INTEGER NOT NULL,
  engagement_score INTEGER,
  intent_score INTEGER,
  predicted_outcome VARCHAR(50),
  action_type VARCHAR(100),
  deadline TIMESTAMP,
  status VARCHAR(50) DEFAULT 'pending',
  processed_at TIMESTAMP,
  created_at TIMESTAMP DEFAULT NOW(),
  updated_at TIMESTAMP DEFAULT NOW()
);

CREATE INDEX idx_priority_queue_score ON application_priority_queue(priority_score DESC, deadline ASC);
CREATE INDEX idx_priority_queue_status ON application_priority_queue(status);
CREATE UNIQUE INDEX idx_priority_queue_app ON application_priority_queue(application_id) WHERE status = 'pending';
`;

interface TableShape {
  columns: unknown[];
  indexes: { indexname: string; indexdef: string }[];
  constraints: { contype: string; def: string }[];
}

/** Columns, indexes and constraints of a table as PostgreSQL itself describes them, schema names removed. */
async function describeTable(db: Queryable, schema: string, table: string): Promise<TableShape> {
  const strip = (s: string) => s.split(`${schema}.`).join('');
  const columns = await db.query(
    `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default, ordinal_position
       FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [schema, table],
  );
  const indexes = await db.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY indexname`,
    [schema, table],
  );
  const constraints = await db.query<{ contype: string; def: string }>(
    `SELECT c.contype::text AS contype, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 AND t.relname = $2 ORDER BY 1, 2`,
    [schema, table],
  );
  return {
    columns: columns.rows,
    indexes: indexes.rows.map((r) => ({ indexname: r.indexname, indexdef: strip(r.indexdef) })),
    constraints: constraints.rows.map((r) => ({ contype: r.contype, def: strip(r.def) })),
  };
}

const appliedNames = async (db: Queryable) =>
  (await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows.map((r) => r.name);

describeEachEngine('migrations', (engine) => {
  let t: TestDatabase;
  let schema: string;
  beforeAll(async () => {
    t = await createTestDatabase(engine);
    schema = (await t.db.query<{ s: string }>('SELECT current_schema() AS s')).rows[0].s;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates every table of SPEC §2', async () => {
    const tables = (
      await t.db.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`,
        [schema],
      )
    ).rows.map((r) => r.table_name);
    for (const table of ['job_applications', 'tracked_links', 'link_clicks', 'application_priority_queue', 'audit_log', 'schema_migrations']) {
      expect(tables).toContain(table);
    }
    const columns = async (table: string) =>
      (
        await t.db.query<{ column_name: string }>(
          'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
          [schema, table],
        )
      ).rows.map((r) => r.column_name);
    expect(await columns('job_applications')).toEqual(
      expect.arrayContaining(['id', 'company', 'job_title', 'status', 'applied_at', 'contact_name', 'contact_email', 'job_url', 'timezone', 'notes', 'created_at', 'updated_at']),
    );
    expect(await columns('tracked_links')).toEqual(
      expect.arrayContaining(['tracking_id', 'application_id', 'link_type', 'label', 'target_url']),
    );
    const clickColumns = await columns('link_clicks');
    expect(clickColumns).toEqual(expect.arrayContaining(['clicked_at', 'link_id', 'application_id', 'user_agent', 'referrer', 'ip_hash', 'is_bot']));
    // Only a hash of the address is ever kept.
    expect(clickColumns.filter((c) => /(^|_)ip($|_)|addr/.test(c) && c !== 'ip_hash')).toEqual([]);
  });

  it('job_applications: UUID ids by default, status defaults to applied and is restricted to the SPEC statuses', async () => {
    const row = await t.db.query<{ id: string; status: string }>(
      `INSERT INTO job_applications (company, job_title) VALUES ('Schema Co', 'Tester') RETURNING id::text, status`,
    );
    expect(row.rows[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(row.rows[0].status).toBe('applied');
    for (const status of ['draft', 'applied', 'screening', 'interviewing', 'offer', 'accepted', 'rejected', 'withdrawn', 'ghosted']) {
      await t.db.query(`INSERT INTO job_applications (company, job_title, status) VALUES ('S', 'T', $1)`, [status]);
    }
    await expect(t.db.query(`INSERT INTO job_applications (company, job_title, status) VALUES ('S', 'T', 'hired')`)).rejects.toThrow();
    await expect(t.db.query(`INSERT INTO job_applications (company, job_title) VALUES ('', 'T')`)).rejects.toThrow();
    await expect(t.db.query(`INSERT INTO job_applications (company, job_title) VALUES ($1, 'T')`, ['x'.repeat(201)])).rejects.toThrow();
  });

  it('tracked_links: tracking ids are unique', async () => {
    const app = (await t.db.query<{ id: string }>(`INSERT INTO job_applications (company, job_title) VALUES ('L', 'T') RETURNING id::text`)).rows[0].id;
    const insert = () =>
      t.db.query(
        `INSERT INTO tracked_links (tracking_id, application_id, link_type, target_url) VALUES ('same-id-0123456789', $1, 'resume', 'https://x.example/')`,
        [app],
      );
    await insert();
    await expect(insert()).rejects.toThrow();
  });

  it('application_priority_queue is exactly the seed task table with its three indexes', async () => {
    const actual = await describeTable(t.db, schema, 'application_priority_queue');
    // Build the seed DDL in a scratch schema inside a transaction that is rolled back, and compare.
    const refSchema = `seed_reference_${Math.random().toString(36).slice(2, 10)}`;
    let expected: TableShape | undefined;
    await t.db
      .transaction(async (tx) => {
        await tx.exec(`CREATE SCHEMA ${refSchema}; SET LOCAL search_path TO ${refSchema};`);
        await tx.exec(`CREATE TABLE job_applications (id UUID PRIMARY KEY DEFAULT gen_random_uuid()); ${SEED_QUEUE_DDL}`);
        expected = await describeTable(tx, refSchema, 'application_priority_queue');
        throw new Error('roll back the reference schema');
      })
      .catch((err: Error) => {
        if (err.message !== 'roll back the reference schema') throw err;
      });
    expect(expected).toBeDefined();
    expect(actual.columns).toEqual(expected!.columns);
    expect(actual.indexes).toEqual(expected!.indexes);
    expect(actual.constraints).toEqual(expected!.constraints);
    // And, readably, the three indexes of the seed (plus the primary key).
    expect(actual.indexes.map((i) => i.indexname).sort()).toEqual(
      ['application_priority_queue_pkey', 'idx_priority_queue_app', 'idx_priority_queue_score', 'idx_priority_queue_status'].sort(),
    );
    const def = (name: string) => actual.indexes.find((i) => i.indexname === name)!.indexdef;
    expect(def('idx_priority_queue_score')).toMatch(/USING btree \(priority_score DESC, deadline\)$/);
    expect(def('idx_priority_queue_status')).toMatch(/USING btree \(status\)$/);
    expect(def('idx_priority_queue_app')).toMatch(/^CREATE UNIQUE INDEX .*USING btree \(application_id\) WHERE \(\(status\)::text = 'pending'::text\)$/);
    // The rolled-back scratch schema is gone.
    const ref = await t.db.query(`SELECT 1 FROM information_schema.schemata WHERE schema_name = $1`, [refSchema]);
    expect(ref.rows).toHaveLength(0);
  });

  it('the queue allows one pending row per application, and deleting the application deletes its rows', async () => {
    const app = (await t.db.query<{ id: string }>(`INSERT INTO job_applications (company, job_title) VALUES ('Q', 'T') RETURNING id::text`)).rows[0].id;
    await t.db.query(`INSERT INTO application_priority_queue (application_id, priority_score) VALUES ($1, 50)`, [app]);
    await expect(t.db.query(`INSERT INTO application_priority_queue (application_id, priority_score) VALUES ($1, 60)`, [app])).rejects.toThrow();
    await t.db.query(`INSERT INTO application_priority_queue (application_id, priority_score, status) VALUES ($1, 60, 'processed')`, [app]);
    await t.db.query('DELETE FROM job_applications WHERE id = $1', [app]);
    const left = await t.db.query('SELECT 1 FROM application_priority_queue WHERE application_id = $1', [app]);
    expect(left.rows).toHaveLength(0);
  });

  it('running the migrations again is a no-op that keeps the data', async () => {
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM job_applications');
    expect(before.rows[0].n).toBeGreaterThan(0);
    expect(await appliedNames(t.db)).toEqual(MIGRATION_FILES);
    const again = await migrate(t.db);
    expect(again).toEqual({ applied: [], alreadyApplied: MIGRATION_FILES.length });
    expect(await appliedNames(t.db)).toEqual(MIGRATION_FILES);
    const after = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM job_applications');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('audit_log is append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    await t.db.query(
      `INSERT INTO audit_log (actor, decision, rule, rule_version, inputs, outcome)
       VALUES ('test', 'queued', 'rule-x', 'v1', '{"a":1}', '{"b":2}')`,
    );
    const row = (await t.db.query<{ id: number; decision: string }>(`SELECT id::int AS id, decision FROM audit_log WHERE rule = 'rule-x'`)).rows[0];
    await expect(t.db.query(`UPDATE audit_log SET decision = 'tampered' WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`DELETE FROM audit_log WHERE id = $1`, [row.id])).rejects.toThrow(/append-only/);
    await expect(t.db.query(`UPDATE audit_log SET decision = 'tampered'`)).rejects.toThrow(/append-only/);
    await expect(t.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    const still = await t.db.query<{ decision: string }>('SELECT decision FROM audit_log WHERE id = $1', [row.id]);
    expect(still.rows).toEqual([{ decision: 'queued' }]);
  });

  it('concurrent migrators on a fresh database both succeed and apply each migration once', async () => {
    const fresh = await createTestDatabase(engine, { migrated: false });
    try {
      const handles: Database[] = engine === 'postgres' ? [fresh.db, await fresh.openAnother!(), await fresh.openAnother!()] : [fresh.db, fresh.db, fresh.db];
      const results = await Promise.all(handles.map((db) => migrate(db)));
      const applied = results.flatMap((r) => r.applied);
      expect(applied.sort()).toEqual(MIGRATION_FILES);
      for (const r of results) expect(r.applied.length + r.alreadyApplied).toBe(MIGRATION_FILES.length);
      const rows = await fresh.db.query<{ name: string; n: number }>('SELECT name, count(*)::int AS n FROM schema_migrations GROUP BY name ORDER BY name');
      expect(rows.rows).toEqual(MIGRATION_FILES.map((name) => ({ name, n: 1 })));
      // The schema works after the race.
      const ok = await fresh.db.query<{ id: string }>(`INSERT INTO job_applications (company, job_title) VALUES ('Race', 'T') RETURNING id::text`);
      expect(ok.rows).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });

  it('a failing migration is rolled back entirely and not recorded; earlier ones stay', async () => {
    const fresh = await createTestDatabase(engine, { migrated: false });
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'hirepulse-migrations-'));
      writeFileSync(path.join(dir, '0001_good.sql'), 'CREATE TABLE good_one (id INT PRIMARY KEY);');
      writeFileSync(path.join(dir, '0002_bad.sql'), 'CREATE TABLE half_done (id INT); SELECT no_such_function();');
      writeFileSync(path.join(dir, 'README.md'), 'not a migration');
      await expect(migrate(fresh.db, dir)).rejects.toThrow();
      expect(await appliedNames(fresh.db)).toEqual(['0001_good.sql']);
      const tables = (
        await fresh.db.query<{ table_name: string }>(
          `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`,
        )
      ).rows.map((r) => r.table_name);
      expect(tables).toContain('good_one');
      expect(tables).not.toContain('half_done');
      // Fixed, it applies on the next run.
      writeFileSync(path.join(dir, '0002_bad.sql'), 'CREATE TABLE half_done (id INT);');
      expect(await migrate(fresh.db, dir)).toEqual({ applied: ['0002_bad.sql'], alreadyApplied: 1 });
    } finally {
      await fresh.close();
    }
  });
});
