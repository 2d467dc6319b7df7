import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Database } from './database.js';
import { MIGRATION_LOCK } from './lock-keys.js';

/** Shipped migrations: numbered plain SQL, never edited once released. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));


export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

/** The migration files of dir, in the order they apply. */
export async function listMigrations(dir: string = MIGRATIONS_DIR): Promise<string[]> {
  return (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
}

/** Names already recorded, read without a lock: only used to skip work, never to decide to apply. */
async function recordedMigrations(db: Database): Promise<Set<string>> {
  // In the current schema only: the one CREATE TABLE below uses (another schema on the search_path may have its own).
  const table = await db.query<{ present: boolean }>(
    `SELECT to_regclass(quote_ident(current_schema()) || '.schema_migrations') IS NOT NULL AS present`,
  );
  if (!table.rows[0]?.present) return new Set();
  return new Set((await db.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
}

export async function migrate(db: Database, dir: string = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = await listMigrations(dir);
  // A restart usually has nothing to do: one read instead of a locked transaction per file.
  const recorded = await recordedMigrations(db);
  const applied: string[] = [];
  let alreadyApplied = 0;
  for (const file of files) {
    if (recorded.has(file)) {
      alreadyApplied += 1;
      continue;
    }
    const sql = await readFile(path.join(dir, file), 'utf8');
    const didApply = await db.transaction(async (tx) => {
      // Serialize migrators (two processes starting at once), then check under the lock.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await tx.exec(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           name TEXT PRIMARY KEY,
           applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )`,
      );
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [file]);
      if (seen.rows.length > 0) return false;
      await tx.exec(sql);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      return true;
    });
    if (didApply) applied.push(file);
    else alreadyApplied += 1;
  }
  return { applied, alreadyApplied };
}
