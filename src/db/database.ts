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

export interface Database extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable & { exec(sql: string): Promise<void> }) => Promise<T>): Promise<T>;
  /** Runs a multi-statement script (migrations) outside of any parameter binding. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /**
   * PGlite only: a gzipped tarball of the data directory, consistent as of one moment (taken
   * between transactions: what a restart after a crash would recover). PostgreSQL has pg_dump.
   */
  backup?(): Promise<Buffer>;
}
