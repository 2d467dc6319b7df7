/**
 * The thin query seam every repository talks to. One interface, two engines:
 * embedded PGlite (one connection, transactions serialized) and PostgreSQL (a pool).
 * Timestamps travel as ISO strings or Dates and come back as Dates; every session runs in UTC.
 */
export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
}

/**
 * A transaction's queries. On PostgreSQL, BEGIN travels with the first statement when that one
 * has no parameters, and `queryThenCommit` sends the last statement and COMMIT together: the
 * click path is bound by round trips (issue 9). On PGlite both are plain statements.
 */
export interface TransactionQueryable extends Queryable {
  exec(sql: string): Promise<void>;
  /**
   * Runs `sql` (one statement without parameters: see inlineLiterals) and commits, in one round
   * trip. Nothing may run on the transaction after it.
   */
  queryThenCommit<Row = Record<string, unknown>>(sql: string): Promise<QueryResult<Row>>;
}

export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: TransactionQueryable) => Promise<T>): Promise<T>;
  /** Runs a multi-statement script (migrations) outside of any parameter binding. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /**
   * PGlite only: a gzipped tarball of the data directory, consistent as of one moment (taken
   * between transactions: what a restart after a crash would recover). PostgreSQL has pg_dump.
   */
  backup?(): Promise<Buffer>;
}
