export type { Database, Queryable, QueryResult, TransactionQueryable } from './database.js';
export { openDatabase, type DatabaseTarget } from './open-database.js';
export { DEFAULT_PGLITE_SETTINGS, openPgliteDatabase, type PgliteOptions } from './pglite-database.js';
export { openPostgresDatabase, type PostgresOptions } from './postgres-database.js';
export { listMigrations, migrate, MIGRATIONS_DIR, type MigrationResult } from './migrate.js';
