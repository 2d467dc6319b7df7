/**
 * Issue 14: leases expire, so a dead worker's work is picked up. On a copy of a click history
 * (500 applications, their clicks imported and marked), a worker process (`serve --role worker`,
 * batches of 25) is killed with SIGKILL while it holds leased recalculation requests. A second
 * worker process then takes the free requests at once and the dead one's when their 15 s lease
 * has run out, never before; in the end analytics, triggers, queue, drafts and audit equal those
 * of a clean run by one worker on another copy: nothing lost, nothing doubled.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/databases.js';
import { countRows, expectSameWorkflow, makeClickHistory, workflowSettled, workflowSnapshot, type ClickHistory } from '../helpers/click-history.js';
import { startServer, type Server } from '../helpers/service-process.js';
import { waitFor } from '../helpers/workflow.js';

let history: ClickHistory | undefined;
const running: Server[] = [];
afterAll(async () => {
  for (const s of running) {
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await s.exited;
  }
  await history?.cleanup();
});

async function ids(url: string, sql: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ application_id: string }>(sql)).rows.map((r) => r.application_id);
  } finally {
    await c.end();
  }
}

const LEASED = `SELECT count(*) AS n FROM recalc_requests WHERE leased_until > now()`;

describe.skipIf(!ENGINES.includes('postgres'))('a worker process killed holding leases [postgres]', () => {
  it('another worker process takes its requests once the leases expire; the result equals a clean run', async () => {
    history = await makeClickHistory(500);
    const worker = async (env: Record<string, string>) => {
      const s = await startServer({ ...env, HIREPULSE_RECALC_BATCH_SIZE: '25' }, ['--role', 'worker'], 120_000);
      running.push(s);
      return s;
    };
    const hold = (url: string) => countRows(url, `WITH u AS (UPDATE recalc_requests SET due_at = now() + interval '1 hour' RETURNING 1) SELECT count(*) AS n FROM u`);
    const release = (url: string) => countRows(url, `WITH u AS (UPDATE recalc_requests SET due_at = now() RETURNING 1) SELECT count(*) AS n FROM u`);

    // The clean run: one worker, to the end.
    const clean = await history.copy();
    await hold(clean.url);
    const cleanWorker = await worker(clean.env);
    await release(clean.url);
    await waitFor(() => workflowSettled(clean.url), 120_000, 250);
    cleanWorker.child.kill('SIGTERM');
    expect(await cleanWorker.exited).toBe(0);
    const expected = await workflowSnapshot(clean.url);

    // The fault: killed as soon as it holds leases.
    const target = await history.copy();
    const marked = await hold(target.url);
    const doomed = await worker(target.env);
    await release(target.url);
    await waitFor(async () => (await countRows(target.url, LEASED)) > 0, 30_000, 5);
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    const orphans = await ids(target.url, 'SELECT application_id FROM recalc_requests WHERE leased_until > now()');
    expect(orphans.length, 'requests leased by the dead process').toBeGreaterThan(0);
    const inOrphans = `application_id IN (${orphans.map((o) => `'${o}'`).join(', ')})`;

    const survivor = await worker(target.env);
    // The free requests are taken at once; the dead worker's stay until their leases (15 s from its claim) expire.
    await waitFor(async () => (await countRows(target.url, `SELECT count(*) AS n FROM recalc_requests WHERE NOT (${inOrphans})`)) === 0, 60_000, 100);
    const held = await countRows(
      target.url,
      `SELECT CASE WHEN now() < min(leased_until) THEN count(*) ELSE -1 END AS n FROM recalc_requests WHERE ${inOrphans}`,
    );
    if (held !== -1) expect(held, 'the dead worker’s requests before their leases expired').toBe(orphans.length);
    const { ms } = await waitFor(async () => (await countRows(target.url, 'SELECT count(*) AS n FROM recalc_requests')) === 0, 60_000, 100);
    await waitFor(() => workflowSettled(target.url), 60_000, 250);
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toBe(0);
    expectSameWorkflow(await workflowSnapshot(target.url), expected, 'after a worker was killed holding leases');
    if (process.env.FAULTS_DEBUG) console.log({ marked, orphans: orphans.length, heldUntilExpiry: held, drainedOrphansMs: ms });
  }, 600_000); // three service processes started from scratch and a click history: minutes on a loaded 2-core machine
});
