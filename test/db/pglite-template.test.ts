import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPgliteTemplate } from '../../src/db/build-pglite-template.js';
import { listMigrations, migrate, MIGRATIONS_DIR, openPgliteDatabase, type Database, type Queryable } from '../../src/db/index.js';
import { seedDataDir } from '../../src/db/pglite-template.js';

/** Everything migrations create in the public schema, as PostgreSQL describes it. */
async function describeSchema(db: Queryable) {
  const q = async (sql: string) => (await db.query(sql)).rows;
  return {
    database: await q(`SELECT pg_encoding_to_char(encoding) AS encoding, datcollate, datctype FROM pg_database WHERE datname = current_database()`),
    columns: await q(
      `SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, column_default, ordinal_position
         FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
    ),
    indexes: await q(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname`),
    constraints: await q(
      `SELECT t.relname AS table_name, c.conname, pg_get_constraintdef(c.oid) AS def
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'public' ORDER BY 1, 2`,
    ),
    triggers: await q(
      `SELECT event_object_table, trigger_name, event_manipulation, action_timing, action_statement
         FROM information_schema.triggers WHERE trigger_schema = 'public' ORDER BY 1, 2, 3`,
    ),
    functions: await q(
      `SELECT p.proname, pg_get_functiondef(p.oid) AS def FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' ORDER BY 1, 2`,
    ),
    views: await q(`SELECT viewname, definition FROM pg_views WHERE schemaname = 'public' ORDER BY 1`),
    sequences: await q(`SELECT sequence_name, data_type, start_value, increment FROM information_schema.sequences WHERE sequence_schema = 'public' ORDER BY 1`),
    migrations: await q('SELECT name FROM schema_migrations ORDER BY name'),
  };
}

const hasMigrationsTable = async (db: Queryable) =>
  (await db.query<{ present: boolean }>(`SELECT to_regclass('public.schema_migrations') IS NOT NULL AS present`)).rows[0].present;

async function withDb<T>(dir: string, options: Parameters<typeof openPgliteDatabase>[1], fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openPgliteDatabase(dir, options);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

describe('PGlite: new data directories start from the prebuilt template', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'hirepulse-template-'));
  const template = path.join(root, 'template');
  let migrations: string[];
  let initdbSchema: Awaited<ReturnType<typeof describeSchema>>;

  beforeAll(async () => {
    migrations = await listMigrations();
    expect(await buildPgliteTemplate(template)).toBe(true);
    // Built once: a second build with the same migrations and PGlite is skipped.
    expect(await buildPgliteTemplate(template)).toBe(false);
    // The plain path, for comparison: initdb, then every migration.
    initdbSchema = await withDb(path.join(root, 'initdb'), { template: false }, async (db) => {
      expect(await hasMigrationsTable(db)).toBe(false);
      expect((await migrate(db)).applied).toEqual(migrations);
      return describeSchema(db);
    });
  }, 240_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a new data dir holds every migration before migrate() runs, and the same schema as initdb + migrations', async () => {
    const dataDir = path.join(root, 'seeded', 'pgdata');
    const schema = await withDb(dataDir, { template }, async (db) => {
      expect(await hasMigrationsTable(db)).toBe(true);
      expect(await migrate(db)).toEqual({ applied: [], alreadyApplied: migrations.length });
      return describeSchema(db);
    });
    expect(schema.columns.length).toBeGreaterThan(20);
    expect(schema).toEqual(initdbSchema);
  }, 120_000);

  it('writes survive a close and a reopen of a seeded data dir; an existing data dir is never seeded again', async () => {
    const dataDir = path.join(root, 'reopened', 'pgdata');
    await withDb(dataDir, { template }, async (db) => {
      await migrate(db);
      await db.query(`INSERT INTO job_applications (company, job_title) VALUES ('Kept Ltd', 'Engineer')`);
    });
    expect(await seedDataDir(dataDir, template)).toBe(false);
    const rows = await withDb(dataDir, { template }, async (db) => {
      expect((await migrate(db)).applied).toEqual([]);
      return (await db.query<{ company: string }>('SELECT company FROM job_applications')).rows;
    });
    expect(rows).toEqual([{ company: 'Kept Ltd' }]);
  }, 120_000);

  it('a template built before the newest migration: migrate() applies only the newer one, and the schema is the same', async () => {
    const olderDir = path.join(root, 'older-migrations');
    mkdirSync(olderDir);
    for (const name of migrations.slice(0, -1)) copyFileSync(path.join(MIGRATIONS_DIR, name), path.join(olderDir, name));
    const olderTemplate = path.join(root, 'older-template');
    await buildPgliteTemplate(olderTemplate, olderDir);

    const schema = await withDb(path.join(root, 'from-older', 'pgdata'), { template: olderTemplate }, async (db) => {
      expect(await migrate(db)).toEqual({ applied: migrations.slice(-1), alreadyApplied: migrations.length - 1 });
      return describeSchema(db);
    });
    expect(schema).toEqual(initdbSchema);
  }, 240_000);

  it('is not used when a migration it holds was edited since, when another PGlite built it, or when it has no manifest', async () => {
    const variant = (name: string, edit: (manifest: { pglite: string; migrations: { name: string; sha256: string }[] }) => void) => {
      const dir = path.join(root, name);
      cpSync(template, dir, { recursive: true });
      const manifest = JSON.parse(readFileSync(`${template}.json`, 'utf8'));
      edit(manifest);
      writeFileSync(`${dir}.json`, JSON.stringify(manifest));
      return dir;
    };
    const edited = variant('edited', (m) => (m.migrations[0].sha256 = '0'.repeat(64)));
    const otherPglite = variant('other-pglite', (m) => (m.pglite = '0.0.1'));
    const gone = variant('gone', (m) => m.migrations.push({ name: '9999_gone.sql', sha256: '0'.repeat(64) }));
    const incomplete = path.join(root, 'incomplete');
    cpSync(template, incomplete, { recursive: true });

    for (const candidate of [edited, otherPglite, gone, incomplete]) {
      const dataDir = path.join(root, `data-${path.basename(candidate)}`, 'pgdata');
      expect(await seedDataDir(dataDir, candidate)).toBe(false);
      expect(existsSync(dataDir)).toBe(false);
    }
    expect(await seedDataDir(path.join(root, 'data-good', 'pgdata'), template)).toBe(true);
  }, 120_000);

  it('a copy left half-made by a start that died is discarded, and the data dir is seeded whole', async () => {
    const dataDir = path.join(root, 'interrupted', 'pgdata');
    mkdirSync(`${dataDir}.seeding`, { recursive: true });
    writeFileSync(path.join(`${dataDir}.seeding`, 'PG_VERSION'), 'half');
    mkdirSync(dataDir); // and an empty data dir, as a first start that died early leaves it
    await withDb(dataDir, { template }, async (db) => {
      expect(await migrate(db)).toEqual({ applied: [], alreadyApplied: migrations.length });
    });
    expect(existsSync(`${dataDir}.seeding`)).toBe(false);
  }, 120_000);
});
