/**
 * Issue 14: exactly one process runs the periodic full run (and click retention) at a time. The
 * job lease (`job_leases`, src/recalc/job-lease.ts) played by four pools on one PostgreSQL
 * schema, as four processes would: at once, one takes it; while it is held nobody else does;
 * a finished run keeps the next one away for its interval; an abandoned one (failed or stopped)
 * frees it at once; a dead holder's lease is taken once it has expired, not before.
 * test/cli/rolling-restart.test.ts checks the same with service processes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/index.js';
import { abandonLease, finishLease, tryTakeLease } from '../../src/recalc/job-lease.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../helpers/databases.js';

const HOUR = 3_600_000;

describeOnPostgres('job lease shared by several processes', () => {
  let database: TestDatabase;
  let pools: Database[];
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    pools = [database.db, ...(await Promise.all([1, 2, 3].map(() => database.openAnother!(2))))];
  });
  afterAll(async () => {
    await database?.close();
  });
  const holderOf = async (name: string) =>
    (await database.db.query<{ holder: string }>('SELECT holder FROM job_leases WHERE name = $1', [name])).rows[0]?.holder;

  it('four processes asking at once: one of them runs it, 20 times over', async () => {
    for (let round = 0; round < 20; round++) {
      const name = `race_${round}`;
      const won = await Promise.all(pools.map((db, i) => tryTakeLease(db, name, `process-${i}`, HOUR)));
      expect(won.filter(Boolean), `round ${round}`).toHaveLength(1);
      expect(await holderOf(name)).toBe(`process-${won.indexOf(true)}`);
    }
  });

  it('held: nobody else takes it; finished: nobody for the interval; abandoned: the next one at once', async () => {
    expect(await tryTakeLease(pools[0], 'full_run_a', 'p0', HOUR)).toBe(true);
    expect(await tryTakeLease(pools[1], 'full_run_a', 'p1', HOUR)).toBe(false);
    // Only the holder's finish counts.
    await finishLease(pools[1], 'full_run_a', 'p1');
    expect(await tryTakeLease(pools[2], 'full_run_a', 'p2', HOUR)).toBe(false);
    await finishLease(pools[0], 'full_run_a', 'p0');
    expect(await tryTakeLease(pools[1], 'full_run_a', 'p1', HOUR)).toBe(false); // ran less than an hour ago
    expect(await tryTakeLease(pools[1], 'full_run_a', 'p1', 0)).toBe(true); // a zero interval: due again

    expect(await tryTakeLease(pools[0], 'full_run_b', 'p0', HOUR)).toBe(true);
    await abandonLease(pools[0], 'full_run_b', 'p0'); // a failed or stopped run counts as no run
    expect(await tryTakeLease(pools[3], 'full_run_b', 'p3', HOUR)).toBe(true);
    expect(await holderOf('full_run_b')).toBe('p3');
  });

  it("a dead holder's lease (SIGKILL: never finished nor abandoned) is taken once it has expired, not before", async () => {
    expect(await tryTakeLease(pools[0], 'full_run_c', 'dead-process', HOUR)).toBe(true);
    // The process dies here. A minute later its lease (30 min) still holds the run back.
    await database.db.query(`UPDATE job_leases SET leased_until = leased_until - interval '1 minute' WHERE name = 'full_run_c'`);
    expect(await Promise.all(pools.slice(1).map((db, i) => tryTakeLease(db, 'full_run_c', `p${i + 1}`, HOUR)))).toEqual([false, false, false]);
    // Past its end: exactly one of the survivors takes it over.
    await database.db.query(`UPDATE job_leases SET leased_until = now() - interval '1 second' WHERE name = 'full_run_c'`);
    const won = await Promise.all(pools.slice(1).map((db, i) => tryTakeLease(db, 'full_run_c', `p${i + 1}`, HOUR)));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await holderOf('full_run_c')).not.toBe('dead-process');
  });
});
