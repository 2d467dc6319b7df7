import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Database, QueryResult } from './database.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import { PGLITE_TEMPLATE_DIR, seedDataDir } from './pglite-template.js';

/**
 * PGlite quirks, kept here next to the adapter:
 * - One connection. PGlite's own mutex serializes `query` and `transaction`, so
 *   transactions never interleave; callers must not await other db work inside one.
 * - Multi-statement SQL only through `exec()`.
 * - `TIMESTAMP` (without zone) would be parsed in the process' local zone: we parse it as UTC.
 * - File storage survives a process crash (SIGKILL) but does not fsync: a power loss can lose
 *   the last writes. Use PostgreSQL where that matters (docs/operations.md).
 * - Its WASM runs on this thread and a query's promise settles without a turn of the event
 *   loop: a loop of queries (a full run, a busy worker) would never let a request in. Every
 *   query and transaction therefore yields one I/O turn when it is done, and a transaction
 *   that has run 40 ms without one yields between its statements.
 * - Nothing in PGlite stops two processes from opening one data directory (and losing writes):
 *   a pid lock file next to it does (data-dir-lock.ts).
 */
const TIMESTAMP_OID = 1114;
/** A transaction yields a turn of the event loop between statements once it has run this long without one. */
const TRANSACTION_TURN_MS = 40;

/**
 * postgresql.conf settings the embedded database starts with. PostgreSQL's default
 * shared_buffers (128 MB) is touched at start and stays resident: most of PGlite's memory for a
 * job seeker's few thousand rows. 16 MB holds this service's working set; the rest is the OS
 * page cache's job (docs/operations.md says how to tune it, HIREPULSE_PGLITE_SETTINGS).
 */
export const DEFAULT_PGLITE_SETTINGS: Readonly<Record<string, string>> = Object.freeze({ shared_buffers: '16MB' });

export interface PgliteOptions {
  /** Settings over DEFAULT_PGLITE_SETTINGS, passed at start as `-c name=value`. */
  settings?: Readonly<Record<string, string>>;
  /** The prebuilt data directory a new dataDir starts as a copy of (pglite-template.ts); false: initdb. (Default: PGLITE_TEMPLATE_DIR) */
  template?: string | false;
  /** A backup (Database.backup's tarball) a new, empty dataDir starts from, instead of the template. */
  restoreFrom?: Blob;
}

function startParams(settings: Readonly<Record<string, string>> = {}): string[] {
  const all = { ...DEFAULT_PGLITE_SETTINGS, ...settings };
  return [...PGlite.defaultStartParams, ...Object.entries(all).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
}

export async function openPgliteDatabase(dataDir: string | undefined, options: PgliteOptions = {}): Promise<Database> {
  let release = () => {};
  if (dataDir) {
    mkdirSync(path.dirname(dataDir), { recursive: true });
    release = acquireDataDirLock(`${dataDir}.lock`);
  }
  let pg: PGlite;
  try {
    if (dataDir && options.template !== false && !options.restoreFrom) await seedDataDir(dataDir, options.template ?? PGLITE_TEMPLATE_DIR);
    pg = await PGlite.create({
      dataDir,
      loadDataDir: options.restoreFrom,
      startParams: startParams(options.settings),
      parsers: { [TIMESTAMP_OID]: (value: string) => new Date(value.replace(' ', 'T') + 'Z') },
    });
    await pg.exec(`SET TimeZone TO 'UTC'`);
  } catch (err) {
    release();
    throw err;
  }

  const toResult = <Row>(res: { rows: unknown[]; affectedRows?: number }): QueryResult<Row> => ({
    rows: res.rows as Row[],
    rowCount: res.affectedRows ?? res.rows.length,
  });

  const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

  return {
    engine: 'pglite',
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = toResult<Row>(await pg.query(sql, params as unknown[]));
      await yieldToIo();
      return result;
    },
    async transaction(fn) {
      let lastTurn = performance.now();
      try {
        return await pg.transaction(async (tx) =>
        fn({
          async query<Row>(sql: string, params: readonly unknown[] = []) {
            const result = toResult<Row>(await tx.query(sql, params as unknown[]));
            // A long transaction (a full-run batch) also gives the event loop a turn between its
            // statements once it has held it for TRANSACTION_TURN_MS: the loop then waits about
            // that long plus one statement, not a whole batch (issue 9). A short one (most worker
            // batches) keeps going: a turn per statement let /t/ traffic slow it down. What
            // arrives meanwhile queues on PGlite's mutex until the transaction ends.
            if (performance.now() - lastTurn >= TRANSACTION_TURN_MS) {
              await yieldToIo();
              lastTurn = performance.now();
            }
            return result;
          },
          async exec(sql: string) {
            await tx.exec(sql);
          },
          // In process: no round trip to save. The statement runs; PGlite commits when fn returns.
          async queryThenCommit<Row>(sql: string) {
            return toResult<Row>(await tx.query(sql));
          },
        }),
        );
      } finally {
        await yieldToIo();
      }
    },
    async exec(sql: string) {
      await pg.exec(sql);
    },
    async close() {
      if (!pg.closed) await pg.close();
      release();
    },
    async backup() {
      // Inside a transaction of our own, so no other transaction is between two statements
      // while the files are read; single statements run under PGlite's query lock anyway.
      const tarball = await pg.transaction(async () => pg.dumpDataDir('gzip'));
      return Buffer.from(await tarball.arrayBuffer());
    },
  };
}
