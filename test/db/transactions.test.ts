import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inlineLiterals } from '../../src/db/inline-literals.js';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '../helpers/databases.js';

/**
 * The transaction seam the click path leans on (issue 9): on PostgreSQL BEGIN travels with a
 * first statement without parameters and `queryThenCommit` carries the COMMIT, so the
 * statements and inlineLiterals must mean exactly what they meant with parameters, and a
 * failure anywhere must still leave nothing behind.
 */
describeEachEngine('transactions', (engine) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(engine, { migrated: false });
    await t.db.exec(`CREATE TABLE tx_probe (id int PRIMARY KEY, note text NOT NULL)`);
  }, 60_000);
  afterAll(async () => t?.close());

  const rows = async () => (await t.db.query<{ id: number; note: string }>('SELECT id, note FROM tx_probe ORDER BY id')).rows;

  it('a first statement without parameters, then queryThenCommit: both committed, the rows of each come back', async () => {
    const out = await t.db.transaction(async (tx) => {
      const first = await tx.query<{ id: number }>(`INSERT INTO tx_probe VALUES (1, 'one') RETURNING id`);
      const second = await tx.query<{ id: number }>('INSERT INTO tx_probe VALUES ($1, $2) RETURNING id', [2, 'two']);
      const last = await tx.queryThenCommit<{ id: number }>(inlineLiterals('INSERT INTO tx_probe VALUES ($1, $2) RETURNING id', [3, "it's three"]));
      return [first.rows[0].id, second.rows[0].id, last.rows[0].id, last.rowCount];
    });
    expect(out).toEqual([1, 2, 3, 1]);
    expect(await rows()).toEqual([
      { id: 1, note: 'one' },
      { id: 2, note: 'two' },
      { id: 3, note: "it's three" },
    ]);
    await t.db.exec('DELETE FROM tx_probe');
  });

  it('queryThenCommit as the only statement commits it', async () => {
    await t.db.transaction((tx) => tx.queryThenCommit(`INSERT INTO tx_probe VALUES (7, 'alone')`));
    expect(await rows()).toEqual([{ id: 7, note: 'alone' }]);
    await t.db.exec('DELETE FROM tx_probe');
  });

  it('a failing last statement leaves nothing of the transaction, and the connection serves the next one', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO tx_probe VALUES (1, 'kept only if committed')`);
        await tx.queryThenCommit(`INSERT INTO tx_probe VALUES (1, 'duplicate key')`);
      }),
    ).rejects.toThrow(/duplicate key|unique/i);
    expect(await rows()).toEqual([]);
    await expect(
      t.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO tx_probe VALUES (2, 'first')`);
        throw new Error('the caller changed its mind');
      }),
    ).rejects.toThrow('the caller changed its mind');
    expect(await rows()).toEqual([]);
    // Every connection of the pool is still usable (none left inside an aborted block).
    for (let i = 0; i < 12; i++) await t.db.transaction((tx) => tx.query(`INSERT INTO tx_probe VALUES (${100 + i}, 'after')`));
    expect(await rows()).toHaveLength(12);
    await t.db.exec('DELETE FROM tx_probe');
  });

  it('nothing may run after queryThenCommit on PostgreSQL; a transaction that runs nothing is fine', async () => {
    await t.db.transaction(async () => undefined);
    if (engine === 'postgres') {
      await expect(
        t.db.transaction(async (tx) => {
          await tx.queryThenCommit(`INSERT INTO tx_probe VALUES (1, 'committed')`);
          await tx.query(`INSERT INTO tx_probe VALUES (2, 'too late')`);
        }),
      ).rejects.toThrow(/already committed/);
      expect(await rows()).toEqual([{ id: 1, note: 'committed' }]);
      await t.db.exec('DELETE FROM tx_probe');
    }
  });

  it('inlineLiterals means what the parameters meant: text, numbers, booleans, nulls, dates, arrays and JSON', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replace(/\u0000/g, ''));
    await fc.assert(
      fc.asyncProperty(
        text,
        fc.array(fc.option(text, { nil: null }), { maxLength: 6 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer(),
        fc.boolean(),
        fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.dictionary(text, fc.oneof(text, fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 4 }),
        async (s, list, d, i, b, date, obj) => {
          const sql = `SELECT $1::text AS s, $2::text[] AS list, $3::double precision AS d, $4::int AS i, $5::boolean AS b,
                              $6::timestamptz AS date, $7::jsonb AS obj, $8::text AS nothing`;
          const params = [s, list, d, i, b, date, JSON.stringify(obj), null];
          const withParams = (await t.db.query(sql, params)).rows[0];
          const inlined = (await t.db.query(inlineLiterals(sql, params))).rows[0];
          expect(inlined).toEqual(withParams);
          expect(inlined.s).toBe(s);
          expect(inlined.list).toEqual(list);
        },
      ),
      { numRuns: 60, seed: 2026_12_02 },
    );
  });

  it('inlineLiterals refuses what it cannot write', () => {
    expect(() => inlineLiterals('SELECT $2', [1])).toThrow(/\$2 has no parameter/);
    expect(() => inlineLiterals('SELECT $1', [Number.NaN])).toThrow(/finite/);
  });
});
