import path from 'node:path';
import type { Database } from './database.js';
import { openPgliteDatabase } from './pglite-database.js';
import { openPostgresDatabase } from './postgres-database.js';

export interface DatabaseTarget {
  /** postgres://… — when absent the embedded PGlite is used. */
  databaseUrl?: string;
  /** Where PGlite keeps its files (`<dataDir>/pgdata`). */
  dataDir: string;
  poolSize?: number;
  /** PGlite settings over the defaults (shared_buffers, …); not used with PostgreSQL. */
  pgliteSettings?: Readonly<Record<string, string>>;
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.databaseUrl) {
    return openPostgresDatabase({ connectionString: target.databaseUrl, max: target.poolSize });
  }
  return openPgliteDatabase(path.join(target.dataDir, 'pgdata'), { settings: target.pgliteSettings });
}
