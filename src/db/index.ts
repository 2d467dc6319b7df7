export type { Database, Queryable, QueryResult } from './database.js';
export { openDatabase, type DatabaseTarget } from './open-database.js';
export { openPgliteDatabase } from './pglite-database.js';
export { openPostgresDatabase, type PostgresOptions } from './postgres-database.js';
export { migrate, MIGRATIONS_DIR, type MigrationResult } from './migrate.js';
