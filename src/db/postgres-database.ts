import pg from 'pg';
import type { Database, Queryable } from './database.js';

const TIMESTAMP_OID = 1114;
const INT8_OID = 20;

// TIMESTAMP without zone holds UTC in this schema: parse it as UTC, not as the process' local time.
pg.types.setTypeParser(TIMESTAMP_OID, (value: string) => new Date(value.replace(' ', 'T') + 'Z'));
// Counts and sums fit in a double for any dataset this service will see.
pg.types.setTypeParser(INT8_OID, (value: string) => Number(value));
// Dates sent as parameters are written in UTC whatever the process' zone.
(pg.defaults as { parseInputDatesAsUTC?: boolean }).parseInputDatesAsUTC = true;

export interface PostgresOptions {
  connectionString: string;
  /** Pool size. (Default: 10) */
  max?: number;
  /** Schema to put first on the search_path (tests use one schema per test file). */
  schema?: string;
  applicationName?: string;
}

export async function openPostgresDatabase(options: PostgresOptions): Promise<Database> {
  const settings = [`-c TimeZone=UTC`];
  if (options.schema) settings.push(`-c search_path=${options.schema},public`);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    options: settings.join(' '),
    application_name: options.applicationName ?? 'hirepulse',
    connectionTimeoutMillis: 10_000,
  });
  // A dropped idle connection must not crash the process: log and let the pool replace it.
  pool.on('error', (err) => {
    process.emitWarning(`PostgreSQL idle client error: ${err.message}`);
  });
  // Fail fast with a clear message when the server is unreachable.
  const probe = await pool.connect();
  probe.release();

  const asQueryable = (client: pg.PoolClient | pg.Pool): Queryable => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const res = await client.query(sql, params as unknown[]);
      return { rows: res.rows as Row[], rowCount: res.rowCount ?? res.rows.length };
    },
  });

  const base = asQueryable(pool);
  return {
    engine: 'postgres',
    query: base.query,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          ...asQueryable(client),
          async exec(sql: string) {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async close() {
      await pool.end();
    },
  };
}
