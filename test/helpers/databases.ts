import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import { migrate, openPgliteDatabase, openPostgresDatabase, type Database } from '../../src/db/index.js';

export type Engine = 'pglite' | 'postgres';

/** The PostgreSQL the suite runs against (CI: 127.0.0.1:5432, trust auth, user postgres). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Every engine the data layer is tested on. Set HIREPULSE_TEST_SKIP_PG=1 to run on PGlite alone. */
export const ENGINES: Engine[] = process.env.HIREPULSE_TEST_SKIP_PG === '1' ? ['pglite'] : ['pglite', 'postgres'];

export interface TestDatabase {
  db: Database;
  engine: Engine;
  /** For PostgreSQL: the schema this test file owns; open more pools on it to play several processes. */
  schema?: string;
  /** Opens another connection pool on the same data (PostgreSQL only): a second "process". */
  openAnother?: (max?: number) => Promise<Database>;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database: a PGlite copied from the prebuilt template into a temporary
 * folder, or a schema of its own on the test PostgreSQL (dropped on close), so test files never
 * see each other's rows. (`migrated: false`: an empty in-memory PGlite, or an empty schema.)
 * PostgreSQL runs the migrations per file (about 0.6 s): a template database measured no
 * faster, since DROP DATABASE costs more than the migrations it saves.
 */
export async function createTestDatabase(engine: Engine, options: { poolSize?: number; migrated?: boolean } = {}): Promise<TestDatabase> {
  if (engine === 'pglite') {
    if (options.migrated === false) {
      const db = await openPgliteDatabase(undefined);
      return { db, engine, close: () => db.close() };
    }
    // A copy of the prebuilt, migrated template (dist/pglite-template, made by the build the
    // global setup runs): under a second to open, where initdb and every migration in memory
    // take 8 s or more on a busy 2-core machine. migrate() then only checks it is current.
    const dir = mkdtempSync(path.join(tmpdir(), 'hirepulse-test-db-'));
    const db = await openPgliteDatabase(path.join(dir, 'data'));
    await migrate(db);
    return {
      db,
      engine,
      async close() {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `hp_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL tests need a server at ${TEST_DATABASE_URL} (set TEST_DATABASE_URL, or HIREPULSE_TEST_SKIP_PG=1 to skip them): ${(err as Error).message}`,
    );
  }
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const open = (max?: number) => openPostgresDatabase({ connectionString: TEST_DATABASE_URL, schema, max: max ?? options.poolSize ?? 10 });
  const db = await open();
  if (options.migrated !== false) await migrate(db);
  const others: Database[] = [];
  return {
    db,
    engine,
    schema,
    openAnother: async (max?: number) => {
      const another = await open(max);
      others.push(another);
      return another;
    },
    async close() {
      for (const o of others) await o.close().catch(() => undefined);
      await db.close();
      const cleanup = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await cleanup.connect();
      await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleanup.end();
    },
  };
}

/** describe() once per engine: `describeEachEngine('x', (engine) => { ... })`. */
export function describeEachEngine(name: string, body: (engine: Engine) => void): void {
  for (const engine of ENGINES) describe(`${name} [${engine}]`, () => body(engine));
}

/** describe() on PostgreSQL only (several pools, lock behaviour): skipped, and listed as skipped, where the run has no PostgreSQL. */
export function describeOnPostgres(name: string, body: () => void): void {
  describe.skipIf(!ENGINES.includes('postgres'))(`${name} [postgres]`, body);
}
