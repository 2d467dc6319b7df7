import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import { openPgliteDatabase } from '../../db/index.js';
import { CliError, fetchFromRunningService, loadCliConfig, parseFlags, withDatabase } from '../cli-support.js';

/**
 * `hirepulse backup <file.tar.gz>`: a consistent copy of the embedded database. The running
 * service is asked first (GET /api/backup: PGlite lets one process open the data directory);
 * when none answers, the data directory is opened and dumped here. PostgreSQL: use pg_dump.
 */
export async function backupCommand(args: string[]): Promise<void> {
  const { positional } = parseFlags(args, {});
  const file = positional[0];
  if (!file || positional.length > 1) throw new CliError('usage: hirepulse backup <file.tar.gz>');
  const config = loadCliConfig();
  if (config.databaseUrl) throw new CliError('this configuration uses PostgreSQL (DATABASE_URL): back it up with pg_dump (docs/operations.md §7)');
  const fromService = await askRunningService(config);
  const tarball = fromService ?? (await withDatabase(async (db) => db.backup!()));
  // Written next to its final name and renamed: a crash never leaves half a backup under that name.
  const partial = `${file}.partial`;
  writeFileSync(partial, tarball);
  renameSync(partial, file);
  process.stdout.write(
    `backup written to ${file} (${(tarball.length / 1024).toFixed(0)} KiB, ${fromService ? 'from the running service' : 'the service was not running'}).\n` +
      `Keep ${path.join(config.dataDir, 'secrets.json')} (or your WEBHOOK_API_KEY and IP_HASH_SECRET) with it. Restore: hirepulse restore ${file}\n`,
  );
}

const askRunningService = (config: Config) => fetchFromRunningService(config, '/api/backup', 'a backup');

/**
 * `hirepulse restore <file.tar.gz>`: makes the data directory from a backup. Refuses a data
 * directory that already holds a database (move it away first): a restore never overwrites.
 */
export async function restoreCommand(args: string[]): Promise<void> {
  const { positional } = parseFlags(args, {});
  const file = positional[0];
  if (!file || positional.length > 1) throw new CliError('usage: hirepulse restore <file.tar.gz>');
  const config = loadCliConfig();
  if (config.databaseUrl) throw new CliError('this configuration uses PostgreSQL (DATABASE_URL): restore it with pg_restore or psql');
  if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
  const pgdata = path.join(config.dataDir, 'pgdata');
  if (existsSync(pgdata) && readdirSync(pgdata).length > 0) {
    throw new CliError(`${pgdata} already holds a database: stop the service and move it away first (a restore never overwrites)`);
  }
  let db;
  try {
    db = await openPgliteDatabase(pgdata, { restoreFrom: new Blob([readFileSync(file)]), settings: config.pgliteSettings });
  } catch (err) {
    throw new CliError(`cannot restore from ${file}: ${(err as Error).message}`);
  }
  try {
    const n = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM job_applications')).rows[0].n;
    process.stdout.write(`restored ${file} into ${pgdata}: ${n} applications. Start the service with npm start.\n`);
  } finally {
    await db.close();
  }
}
