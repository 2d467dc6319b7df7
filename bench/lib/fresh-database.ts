/**
 * A fresh, migrated database per benchmark run, on the engine asked for, removed afterwards:
 * PostgreSQL: a schema of its own on BENCH_DATABASE_URL, dropped on close.
 * PGlite: a file-backed data directory in a temp folder (as users run it), deleted on close.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrate, openPgliteDatabase, openPostgresDatabase, type Database } from '../../src/db/index.js';
import type { Engine } from './benchmark.js';

/** (Default: postgres://postgres@127.0.0.1:5432/postgres) */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
/** Parent folder of the PGlite data directories. (Default: the OS temp folder) */
const PGLITE_PARENT = process.env.BENCH_PGLITE_DIR ?? tmpdir();

export interface BenchDatabase {
  db: Database;
  engine: Engine;
  /** Where the data lives, for the printed report. */
  where: string;
  /** A scratch folder that is removed with the database (config data dir, etc.). */
  scratchDir: string;
  /** PostgreSQL: the schema the data lives in (a second pool on it plays a second process). */
  schema?: string;
  close(): Promise<void>;
}

/** Cleanups still to run if the process is interrupted (Ctrl-C) mid-benchmark. */
export const pendingCleanups = new Set<() => Promise<void>>();

/** Resolves to undefined when PostgreSQL answers, else to the reason it does not. */
export async function probePostgres(url = BENCH_DATABASE_URL): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return (err as Error).message || String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Server settings that decide what "durable" means on PostgreSQL. */
export async function postgresDurability(url = BENCH_DATABASE_URL): Promise<{ version: string; fsync: string; synchronousCommit: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const show = async (name: string) => (await client.query<Record<string, string>>(`SHOW ${name}`)).rows[0][name];
    return {
      version: (await show('server_version')) ?? '?',
      fsync: (await show('fsync')) ?? '?',
      synchronousCommit: (await show('synchronous_commit')) ?? '?',
    };
  } finally {
    await client.end();
  }
}

export async function openFreshDatabase(engine: Engine, options: { poolSize?: number } = {}): Promise<BenchDatabase> {
  const scratchDir = await mkdtemp(path.join(PGLITE_PARENT, 'hirepulse-bench-'));
  const removeScratch = () => rm(scratchDir, { recursive: true, force: true });

  if (engine === 'pglite') {
    const dataDir = path.join(scratchDir, 'pgdata');
    const db = await openPgliteDatabase(dataDir);
    const close = async () => {
      pendingCleanups.delete(close);
      await db.close().catch(() => undefined);
      await removeScratch();
    };
    pendingCleanups.add(close);
    await migrate(db);
    return { db, engine, where: `PGlite, file-backed at ${dataDir}`, scratchDir, close };
  }

  const schema = `hp_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  let db: Database | undefined;
  const close = async () => {
    pendingCleanups.delete(close);
    await db?.close().catch(() => undefined);
    const cleanup = new pg.Client({ connectionString: BENCH_DATABASE_URL });
    await cleanup.connect();
    await cleanup.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await cleanup.end();
    await removeScratch();
  };
  pendingCleanups.add(close);
  db = await openPostgresDatabase({
    connectionString: BENCH_DATABASE_URL,
    schema,
    max: options.poolSize,
    applicationName: 'hirepulse-bench',
  });
  await migrate(db);
  return { db, engine, where: `PostgreSQL ${redact(BENCH_DATABASE_URL)}, schema ${schema}`, scratchDir, schema, close };
}

/** The URL without its password, for printing. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * An empty database of its own on the benchmark server (CREATE DATABASE), for a service started
 * with DATABASE_URL as users run it; dropped by drop() (and on Ctrl-C).
 */
export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hp_bench_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: BENCH_DATABASE_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const drop = async () => {
    pendingCleanups.delete(drop);
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  pendingCleanups.add(drop);
  const url = new URL(BENCH_DATABASE_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop };
}
