/**
 * Issue 14, fault test: SIGKILL mid full run. `hirepulse prioritize` (the real CLI, a child
 * process) evaluates 2 500 active applications in batches of 1 000, each batch one transaction.
 * On copies of one click history it is killed at two points, found by watching the database:
 * - mid-batch: while its first batch holds the evaluation locks, before anything is committed;
 * - between batches: once the first batch is committed, before the run ends.
 * Then it is run again to the end. Analytics, triggers, queue and audit trail are the same as a
 * clean run's on another copy: nothing lost, nothing doubled.
 */
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/databases.js';
import { countRows, expectSameWorkflow, makeClickHistory, workflowSnapshot, type ClickHistory } from '../helpers/click-history.js';
import { ROOT } from '../helpers/service-process.js';
import { waitFor } from '../helpers/workflow.js';

let history: ClickHistory | undefined;
afterAll(async () => {
  await history?.cleanup();
});

/** `node dist/cli/main.js prioritize` on the given database; `killWhen` is polled while it runs. */
async function prioritize(env: Record<string, string>, killWhen?: () => Promise<boolean>) {
  const child = spawn(process.execPath, ['dist/cli/main.js', 'prioritize'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  if (killWhen) {
    let done = false;
    void exited.then(() => (done = true));
    while (!done && !(await killWhen())) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
  }
  return { ...(await exited), output };
}

const ACTIVE = 2_500;

describe.skipIf(!ENGINES.includes('postgres'))('SIGKILL mid full run [postgres]', () => {
  it('killed mid-batch or between batches, then run again: the same analytics, triggers, queue and audit as a clean run', async () => {
    const t0 = Date.now();
    const log = (m: string) => process.env.FAULTS_DEBUG && console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s ${m}`);
    history = await makeClickHistory(ACTIVE);
    log('history');

    const clean = await history.copy();
    const cleanRun = await prioritize(clean.env);
    expect(cleanRun.code, cleanRun.output).toBe(0);
    expect(cleanRun.output).toMatch(/evaluated 2500 active applications .*\(3 batches\)/);
    const expected = await workflowSnapshot(clean.url);
    log('clean run');
    expect(expected.analytics.length).toBe(ACTIVE);
    expect(expected.triggers.length).toBeGreaterThan(100);

    const points = {
      // The first batch holds its evaluation locks (one advisory lock per application): mid-transaction.
      'mid-batch': (url: string) => async () =>
        (await countRows(url, `SELECT count(*) AS n FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND locktype = 'advisory' AND granted`)) > 100 &&
        (await countRows(url, 'SELECT count(*) AS n FROM application_analytics')) === 0,
      // The first batch is committed, the run is not over.
      'between batches': (url: string) => async () => (await countRows(url, 'SELECT count(*) AS n FROM application_analytics')) >= 1_000,
    };
    for (const [point, when] of Object.entries(points)) {
      const target = await history.copy();
      const killed = await prioritize(target.env, when(target.url));
      expect(killed.signal, `${point}: the run ended before the kill point\n${killed.output}`).toBe('SIGKILL');
      const analysed = await countRows(target.url, 'SELECT count(*) AS n FROM application_analytics');
      expect(analysed, point).toBeLessThan(ACTIVE);
      if (point === 'mid-batch') expect(analysed).toBe(0);
      else expect(analysed).toBeGreaterThanOrEqual(1_000);

      // The killed session's locks went with it: the next run is not blocked.
      await waitFor(async () => (await countRows(target.url, `SELECT count(*) AS n FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND locktype = 'advisory'`)) === 0, 10_000, 50);
      const rerun = await prioritize(target.env);
      expect(rerun.code, rerun.output).toBe(0);
      const after = await workflowSnapshot(target.url);
      expectSameWorkflow(after, expected, point);
      log(`${point}: killed with ${analysed} applications analysed; the same after the second run`);
    }
  }, 600_000); // a service start and four CLI runs over 2 500 applications: minutes on a loaded 2-core machine
});
