/**
 * Issue 14, fault test: 1, 2 and 4 worker processes (`serve --role worker`) on one PostgreSQL,
 * each set on its own copy of the same click history (500 applications, their clicks imported
 * and marked for recalculation). Once every mark is processed, analytics, triggers, queue and
 * audit trail are identical, whatever the number of processes sharing the work.
 */
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

describe.skipIf(!ENGINES.includes('postgres'))('worker processes on one PostgreSQL [postgres]', () => {
  it('1, 2 and 4 worker processes make identical analytics, triggers, queue and audit from the same clicks', async () => {
    const t0 = Date.now();
    const log = (m: string) => process.env.FAULTS_DEBUG && console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s ${m}`);
    history = await makeClickHistory(500);
    log('history');
    expect(history.clicks).toBeGreaterThan(1_200);
    const snapshots = [];
    for (const processes of [1, 2, 4]) {
      const copy = await history.copy();
      const { url } = copy;
      // Batches of 25: the 429 marked applications are 18 batches, for the processes to share.
      const env = { ...copy.env, HIREPULSE_RECALC_BATCH_SIZE: '25' };
      expect(await countRows(url, 'SELECT count(*) AS n FROM recalc_requests')).toBe(history.applications - Math.floor(history.applications / 7));
      // The work becomes due once every process is up, so that they all compete for it.
      await countRows(url, `WITH u AS (UPDATE recalc_requests SET due_at = now() + interval '1 hour' RETURNING 1) SELECT count(*) AS n FROM u`);
      const workers: Server[] = [];
      for (let i = 0; i < processes; i++) {
        workers.push(await startServer(env, ['--role', 'worker'], 120_000));
        running.push(workers[i]);
      }
      await countRows(url, `WITH u AS (UPDATE recalc_requests SET due_at = now() RETURNING 1) SELECT count(*) AS n FROM u`);
      log(`${processes} up`);
      await waitFor(() => workflowSettled(url), 120_000, 250);
      log(`${processes} settled`);
      for (const w of workers) w.child.kill('SIGTERM');
      for (const w of workers) expect(await w.exited).toBe(0);
      const snapshot = await workflowSnapshot(url);
      expect(snapshot.analytics.length).toBe(history.applications - Math.floor(history.applications / 7));
      expect(snapshot.triggers.length).toBeGreaterThan(50);
      expect(snapshot.queue.length).toBeGreaterThan(50);
      if (snapshots.length > 0) expectSameWorkflow(snapshot, snapshots[0], `${processes} processes against 1`);
      snapshots.push(snapshot);
    }
  }, 600_000); // eight service processes, each started from scratch: minutes on a loaded 2-core machine (load 30: 5 min)
});
