import path from 'node:path';
import type { Database } from './database.js';

export interface DatabaseTarget {
  /** postgres://… — when absent the embedded PGlite is used. */
  databaseUrl?: string;
  /** Where PGlite keeps its files (`<dataDir>/pgdata`). */
  dataDir: string;
  poolSize?: number;
  /** PGlite settings over the defaults (shared_buffers, …); not used with PostgreSQL. */
  pgliteSettings?: Readonly<Record<string, string>>;
}

/** Loads only the engine it opens: a PGlite start never loads pg, a PostgreSQL one never loads PGlite. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.databaseUrl) {
    const { openPostgresDatabase } = await import('./postgres-database.js');
    return openPostgresDatabase({ connectionString: target.databaseUrl, max: target.poolSize });
  }
  const { openPgliteDatabase } = await import('./pglite-database.js');
  return openPgliteDatabase(path.join(target.dataDir, 'pgdata'), { settings: target.pgliteSettings });
}
