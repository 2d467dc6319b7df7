/**
 * Issue 14: processes with roles on one PostgreSQL, and a gentle SIGTERM under load. The real
 * service (`node dist/cli/main.js serve`), in child processes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/databases.js';
import { API_KEY, ROOT, call, useServiceProcesses, type Server, type Target } from '../helpers/service-process.js';
import { HUMAN_UA } from '../helpers/test-app.js';
import { waitFor } from '../helpers/workflow.js';

const { start, newTarget } = useServiceProcesses();

const count = async (t: Target, sql: string, params: unknown[] = []) =>
  t.inspect(async (db) => (await db.query<{ n: number }>(sql, params)).rows[0].n);

/** An application with one Calendly link, through the API: a human click on it fires interview_preparation. */
async function applicationWithLink(server: Server) {
  const created = await call(server, 'POST', '/api/applications', { company: 'Initech', job_title: 'Backend Engineer' });
  expect(created.status, created.text).toBe(201);
  const link = await call(server, 'POST', `/api/applications/${created.json.id}/links`, { link_type: 'calendly', target_url: 'https://calendly.com/initech/intro' });
  expect(link.status, link.text).toBe(201);
  return { id: created.json.id as string, trackingId: link.json.tracking_id as string };
}

describe('roles', () => {
  it('--role api or worker on the embedded database stops start-up with one line naming HIREPULSE_ROLE', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hirepulse-role-'));
    for (const role of ['api', 'worker']) {
      const child = spawn(process.execPath, ['dist/cli/main.js', 'serve', '--role', role], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), HIREPULSE_DATA_DIR: dataDir, PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr!.on('data', (d) => (err += d));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(err).toMatch(/HIREPULSE_ROLE: .*needs PostgreSQL \(DATABASE_URL\)/);
      expect(err).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  describe.skipIf(!ENGINES.includes('postgres'))('on one PostgreSQL [postgres]', () => {
    it('an api process takes the click and leaves it; a worker process (health and metrics only) puts it in the queue', async () => {
      const target = await newTarget('postgres');
      const env = { ...target.env, HIREPULSE_RECALC_DELAY_MS: '300' };
      const apiProcess = await start(env, ['--role', 'api']);
      expect(apiProcess.output()).toMatch(/API only/);
      const { id, trackingId } = await applicationWithLink(apiProcess);
      const res = await fetch(`${apiProcess.base}/t/${trackingId}`, { redirect: 'manual', headers: { 'user-agent': HUMAN_UA } });
      expect(res.status).toBe(302);

      // Well past its due time, nothing has recalculated it: the api process runs no worker.
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await count(target, 'SELECT count(*)::int AS n FROM recalc_requests WHERE application_id = $1', [id])).toBe(1);
      expect(await count(target, 'SELECT count(*)::int AS n FROM application_priority_queue WHERE application_id = $1', [id])).toBe(0);

      const worker = await start(env, ['--role', 'worker']);
      expect(worker.output()).toMatch(/worker running/);
      expect((await fetch(`${worker.base}/healthz`)).status).toBe(200);
      expect((await call(worker, 'GET', '/api/applications')).status).toBe(404); // no API in a worker
      expect((await fetch(`${worker.base}/t/${trackingId}`, { redirect: 'manual' })).status).toBe(404);
      const metrics = await fetch(`${worker.base}/metrics`, { headers: { authorization: `Bearer ${API_KEY}` } });
      expect(metrics.status).toBe(200);

      const { value: item } = await waitFor(
        async () => {
          const q = await call(apiProcess, 'GET', '/api/analytics/priority-queue?limit=100');
          return (q.json.priority_queue as { application_id: string; action_type: string }[]).find((x) => x.application_id === id);
        },
        15_000,
        100,
      );
      expect(item.action_type).toBe('urgent_attention');
      expect(await count(target, 'SELECT count(*)::int AS n FROM recalc_requests WHERE application_id = $1', [id])).toBe(0);
    }, 240_000); // several service processes, each started from scratch: minutes on a loaded 2-core machine
  });
});

for (const engine of ENGINES) {
  describe(`SIGTERM under load [${engine}]`, () => {
    it('every 302 is a stored click; a restart on the same data loses none; the process exits 0', async () => {
      const target = await newTarget(engine);
      let server = await start({ ...target.env, HIREPULSE_RECALC_DELAY_MS: '300' });
      const { id, trackingId } = await applicationWithLink(server);
      let redirected = 0;
      let refused = 0;
      const hammer = async (base: string, until: () => boolean) => {
        while (!until()) {
          try {
            const r = await fetch(`${base}/t/${trackingId}`, { redirect: 'manual', headers: { 'user-agent': HUMAN_UA } });
            if (r.status === 302) redirected += 1;
            else {
              expect(r.status).toBe(503); // closing: refused cleanly, never a 302 without its click
              refused += 1;
            }
          } catch {
            refused += 1; // the listener is closed: the connection is refused
            await new Promise((r) => setTimeout(r, 10));
          }
        }
      };
      let stop = false;
      const base = server.base;
      const clients = Array.from({ length: 8 }, () => hammer(base, () => stop));
      await waitFor(async () => redirected >= 25, 120_000, 50); // under way, however loaded the machine
      const firstRun = server;
      firstRun.child.kill('SIGTERM');
      const code = await firstRun.exited;
      stop = true;
      await Promise.all(clients);
      expect(code).toBe(0);
      expect(redirected).toBeGreaterThan(20);
      const storedAfterFirst = await count(target, 'SELECT count(*)::int AS n FROM link_clicks WHERE application_id = $1', [id]);
      // Every 302 waited for its committed click. A click can be stored whose 302 was lost with
      // its connection at close, but never the other way round.
      expect(storedAfterFirst).toBeGreaterThanOrEqual(redirected);
      expect(storedAfterFirst).toBeLessThanOrEqual(redirected + refused);

      // A restart on the same data (one process at a time; the overlapping rolling restart of two
      // processes on PostgreSQL is test/cli/rolling-restart.test.ts): it sees every click and takes more.
      server = await start({ ...target.env, HIREPULSE_RECALC_DELAY_MS: '300' });
      const before = redirected;
      stop = false;
      await Promise.all(Array.from({ length: 4 }, () => hammer(server.base, () => redirected >= before + 20)));
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      const storedAfterSecond = await count(target, 'SELECT count(*)::int AS n FROM link_clicks WHERE application_id = $1', [id]);
      expect(storedAfterSecond).toBeGreaterThanOrEqual(storedAfterFirst + 20);
      expect(storedAfterSecond).toBeGreaterThanOrEqual(redirected);
    }, 240_000); // several service processes, each started from scratch: minutes on a loaded 2-core machine
  });
}
