import pg from 'pg';
import type { Database, Queryable } from './database.js';
import { isDatabaseUnavailable } from './is-database-unavailable.js';

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

/** The result of the last statement of a query string (several when BEGIN travelled with it). */
function lastResult(res: pg.QueryResult | pg.QueryResult[]): pg.QueryResult {
  return Array.isArray(res) ? res[res.length - 1] : res;
}

export async function openPostgresDatabase(options: PostgresOptions): Promise<Database> {
  // jit=off: every statement here is short, but one that reads a batch of 1 000 applications from
  // a table without statistics yet is estimated costly enough to be JIT-compiled, which took
  // 15–290 ms per statement (more than the statement itself) in a cold full run.
  const settings = [`-c TimeZone=UTC`, `-c jit=off`];
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
  // A connection that drops while checked out (mid-transaction, between two queries) emits
  // 'error' on its client, and an 'error' nobody listens to kills the process: that is what a
  // PostgreSQL restart did. The query in flight, if any, fails with the error anyway, and the
  // pool discards the broken client when it is released.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
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
      // BEGIN is sent with the first statement when that one has no parameters (one round trip
      // less); `state` says what the server has seen.
      const at: { state: 'not begun' | 'open' | 'committed' } = { state: 'not begun' };
      const run = async (sql: string, params: readonly unknown[]) => {
        if (at.state === 'committed') throw new Error('the transaction is already committed');
        if (at.state === 'open') return lastResult(await client.query(sql, params as unknown[]));
        if (params.length > 0) {
          await client.query('BEGIN');
          at.state = 'open';
          return lastResult(await client.query(sql, params as unknown[]));
        }
        at.state = 'open';
        return lastResult(await client.query(`BEGIN; ${sql}`));
      };
      let result;
      try {
        result = await fn({
          async query<Row>(sql: string, params: readonly unknown[] = []) {
            const res = await run(sql, params);
            return { rows: res.rows as Row[], rowCount: res.rowCount ?? res.rows.length };
          },
          async exec(sql: string) {
            await run(sql, []);
          },
          async queryThenCommit<Row>(sql: string) {
            if (at.state === 'committed') throw new Error('the transaction is already committed');
            const text = at.state === 'not begun' ? `BEGIN; ${sql}; COMMIT` : `${sql}; COMMIT`;
            at.state = 'open'; // until COMMIT has answered: a failure before it leaves a block to roll back
            const results = await client.query(text);
            at.state = 'committed';
            const all = Array.isArray(results) ? results : [results];
            const res = all[all.length - 2] ?? all[0];
            return { rows: res.rows as Row[], rowCount: res.rowCount ?? res.rows.length };
          },
        });
        if (at.state === 'open') await client.query('COMMIT');
      } catch (err) {
        const broken = isDatabaseUnavailable(err);
        if (!broken && at.state !== 'not begun') await client.query('ROLLBACK').catch(() => undefined);
        client.release(broken ? (err as Error) : undefined); // a broken connection is not reused
        throw err;
      }
      client.release();
      return result;
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async close() {
      await pool.end();
    },
  };
}
